package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.io.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command's results go: standard output, or a file written atomically. */
public final class Outputs {
    private Outputs() {
    }

    /** Writes text to a writer; may throw {@link IOException}. */
    @FunctionalInterface
    public interface Text {
        /**
         * @param w where to write
         * @throws IOException when writing fails
         */
        void writeTo(Writer w) throws IOException;
    }

    /**
     * Writes to {@code file} atomically, or to {@code stdout} when {@code file} is null.
     *
     * @param file   the file, or null
     * @param stdout standard output
     * @param text   what to write
     */
    public static void write(Path file, PrintWriter stdout, Text text) {
        if (file == null) {
            try {
                text.writeTo(stdout);
            } catch (IOException e) {
                throw new EmkitException("cannot write to standard output: " + e.getMessage(), e);
            }
            stdout.flush();
            return;
        }
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            text.writeTo(w);
            w.flush();
        });
    }

    /**
     * Refuses an output path that is one of the inputs: writing it would destroy what the user had.
     *
     * @param output the output, or null
     * @param option the option naming it, for the message
     * @param inputs the command's inputs (nulls ignored)
     */
    public static void checkNotAnInput(Path output, String option, Path... inputs) {
        if (output == null) {
            return;
        }
        for (Path input : inputs) {
            if (input == null) {
                continue;
            }
            boolean same;
            try {
                same = Files.exists(output) && Files.exists(input) ? Files.isSameFile(output, input)
                        : output.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize());
            } catch (IOException e) {
                same = false;
            }
            if (same) {
                throw new EmkitException(option + " " + output + " is also an input of this command; "
                        + "writing it would destroy the input: choose another file");
            }
        }
    }
}
