package io.emkit.cli.fitting;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What the fitting commands (fit, kmeans, hmm fit) print and save: a picocli mixin. */
final class FitOutputs {
    @Option(names = "--model-out", paramLabel = "FILE", description = "Save the fitted model (JSON) to FILE.")
    Path modelOut;

    @Option(names = "--json", description = "Print one JSON object instead of the readable summary.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (and the JSON with --json).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print a line per iteration on standard error.")
    boolean verbose;
}
