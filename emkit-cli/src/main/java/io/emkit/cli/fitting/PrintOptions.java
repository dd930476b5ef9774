package io.emkit.cli.fitting;

import io.emkit.cli.WordedMixin;
import picocli.CommandLine.Option;

/**
 * How much a fitting command prints (fit, kmeans, classify, hmm fit through {@link FitOutputs}; select):
 * {@code --json}, {@code --quiet}, {@code --verbose}, a picocli mixin. Declared here once; a command whose output
 * is not a fit's summary (select's table, a line per fit) says so in its own wording.
 */
final class PrintOptions extends WordedMixin {
    @Option(names = "--json", description = "Print one JSON object instead of the readable summary.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (and the JSON with --json).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print a line per iteration on standard error.")
    boolean verbose;

    /** @return whether the readable summary is printed (neither {@code --quiet} nor {@code --json}), and notes with it */
    boolean readable() {
        return !quiet && !json;
    }

    /**
     * @param jsonHelp    how this command describes {@code --json}
     * @param verboseHelp how this command describes {@code --verbose}
     * @return this mixin
     */
    PrintOptions help(String jsonHelp, String verboseHelp) {
        wording.put("--json", jsonHelp).put("--verbose", verboseHelp);
        return this;
    }
}
