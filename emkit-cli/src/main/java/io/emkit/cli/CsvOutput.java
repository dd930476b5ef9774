package io.emkit.cli;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code -o/--out} of the commands that write one CSV (sample, hmm sample, impute), a picocli mixin: a file written
 * atomically, or standard output when it is not given.
 */
public final class CsvOutput {
    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the CSV to FILE (default: standard output).")
    Path file;

    /** @return the file, or null for standard output */
    public Path file() {
        return file;
    }

    /**
     * Refuses a file that is one of the command's inputs ({@link Outputs#checkNotAnInput}).
     *
     * @param inputs the command's inputs (nulls ignored)
     */
    public void checkNotAnInput(Path... inputs) {
        Outputs.checkNotAnInput(file, "--out", inputs);
    }

    /**
     * Writes the CSV to the file, or to {@code stdout} ({@link Outputs#write}).
     *
     * @param stdout standard output
     * @param text   what to write
     */
    public void write(PrintWriter stdout, Outputs.Text text) {
        Outputs.write(file, stdout, text);
    }
}
