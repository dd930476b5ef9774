package io.emkit.cli.fitting;

import io.emkit.cli.Outputs;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

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

    /**
     * Prints a fit as these options ask: one JSON object, or the readable summary unless quiet, on standard
     * output; then, unless quiet, the fit's warnings and where the model was saved on standard error.
     */
    void print(PrintWriter out, PrintWriter err, Supplier<String> jsonObject, Supplier<String> summary,
               List<String> warnings) {
        if (json) {
            Outputs.write(null, out, w -> w.write(jsonObject.get() + "\n"));
        } else if (!quiet) {
            out.print(summary.get());
            out.flush();
        }
        if (!quiet) {
            for (String w : warnings) {
                err.println("warning: " + w);
            }
            if (modelOut != null && !json) {
                err.println("model saved to " + modelOut);
            }
        }
    }
}
