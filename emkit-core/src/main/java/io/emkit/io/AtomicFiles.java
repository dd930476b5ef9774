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
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file in
 * the same directory, named {@code .NAME.emkit-tmp-PID} (recognisable, and never the name of another run's
 * leftover), which then replaces the target in one rename. If anything fails, the target is left as it was
 * and the temporary file is removed; if the JVM is stopped (Ctrl-C, a kill), a shutdown hook removes it.
 *
 * <p>A new file gets the permissions the umask gives (as any program's output); a replaced file keeps its own.
 */
public final class AtomicFiles {
    /** What a temporary file's name has between the target's name and the process id. */
    public static final String TEMPORARY_MARK = ".emkit-tmp-";
    /** Temporary files being written, removed by the shutdown hook if the JVM stops before they are renamed. */
    private static final Set<Path> UNFINISHED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private AtomicFiles() {
    }

    /**
     * The temporary file a write of {@code target} uses.
     *
     * @param target the file written
     * @return {@code .NAME.emkit-tmp-PID} in the target's directory
     */
    public static Path temporaryFor(Path target) {
        Path absolute = target.toAbsolutePath();
        String name = absolute.getFileName().toString();
        // A file name has at most 255 bytes on common file systems; the mark and the pid need about 20.
        String head = name.length() > 200 ? name.substring(0, 200) : name;
        return absolute.resolveSibling("." + head + TEMPORARY_MARK + ProcessHandle.current().pid());
    }

    /** Removes the temporary files of writes not finished: what the shutdown hook does. */
    static void removeUnfinished() {
        for (Path p : UNFINISHED) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // The JVM is stopping; nothing more can be done about a file that will not go.
            }
        }
    }

    private static void hookOnce() {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::removeUnfinished, "emkit-temporary-files"));
        }
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
        hookOnce();
        Path tmp = null;
        try {
            tmp = temporaryFor(absolute);
            UNFINISHED.add(tmp);
            // A leftover of a run that was killed, or of this process id in an earlier life: never a reason to fail.
            Files.deleteIfExists(tmp);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            keepPermissions(absolute, tmp);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            UNFINISHED.remove(tmp);
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
                UNFINISHED.remove(tmp);
            }
        }
    }

    /** A file replaced keeps its permissions (a shared 0664 file stays 0664); a new one has the umask's. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target);
            Files.setPosixFilePermissions(tmp, mode);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: there are no modes to keep.
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
        return m == null ? kind : kind + " (" + m + ")";
    }
}
