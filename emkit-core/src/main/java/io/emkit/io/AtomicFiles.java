package io.emkit.io;

import io.emkit.EmkitException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file in
 * the same directory, which then replaces the target in one rename. If anything fails, the target is
 * left as it was and the temporary file is removed.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes content to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out where to write; closed by the caller
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes content through a file channel, which it may also read and seek; may throw {@link IOException}. */
    @FunctionalInterface
    public interface ChannelContent {
        /**
         * @param out the new, empty file, open for reading and writing; closed by the caller
         * @throws IOException if writing fails
         */
        void writeTo(FileChannel out) throws IOException;
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param target  the file to create or replace
     * @param content what to write
     * @throws EmkitException if the file cannot be written, naming it and the reason
     */
    public static void write(Path target, Content content) {
        writeChannel(target, ch -> {
            OutputStream out = Channels.newOutputStream(ch);
            content.writeTo(out);
            out.flush();
        });
    }

    /**
     * Writes {@code target} atomically through a channel, for content that must go back to finish what it
     * began (a header whose counts are known only at the end).
     *
     * @param target  the file to create or replace
     * @param content what to write
     * @throws EmkitException if the file cannot be written, naming it and the reason
     */
    public static void writeChannel(Path target, ChannelContent content) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new EmkitException(target + ": is a directory; cannot write a file there");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new EmkitException(target + ": cannot write: directory " + dir + " does not exist");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new EmkitException(target + ": cannot write: " + describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure matters more than a leftover temporary file.
                }
            }
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
        return m == null ? kind : kind + " (" + m + ")";
    }
}
