package io.emkit.cli.fitting;

import io.emkit.cli.Outputs;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** What the fitting commands (fit, kmeans, classify, hmm fit) print and save: a picocli mixin. */
final class FitOutputs {
    @Option(names = "--model-out", paramLabel = "FILE", description = "Save the fitted model (JSON) to FILE.")
    Path modelOut;

    @Mixin
    PrintOptions mode = new PrintOptions();

    /**
     * Refuses a {@code --model-out} that names one of the command's inputs, before the fit rather than after it.
     *
     * @param inputs the data file and any other file the command reads (a starting model)
     */
    void checkNotAnInput(Path... inputs) {
        Outputs.checkNotAnInput(modelOut, "--model-out", inputs);
    }

    /**
     * Prints a fit as these options ask: one JSON object, or the readable summary unless quiet, on standard
     * output; then, unless quiet, the fit's warnings and where the model was saved on standard error.
     */
    void print(PrintWriter out, PrintWriter err, Supplier<String> jsonObject, Supplier<String> summary,
               List<String> warnings) {
        if (mode.json) {
            Outputs.write(null, out, w -> w.write(jsonObject.get() + "\n"));
        } else if (!mode.quiet) {
            out.print(summary.get());
            out.flush();
        }
        if (!mode.quiet) {
            for (String w : warnings) {
                err.println("warning: " + w);
            }
            if (modelOut != null && !mode.json) {
                err.println("model saved to " + modelOut);
            }
        }
    }
}
