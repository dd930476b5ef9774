package io.emkit.cli.fitting;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** A uniform noise component ({@code fit --noise}): a picocli mixin, declared and checked once. */
final class NoiseOptions {
    @Option(names = "--noise",
            description = "Add a uniform noise component (mclust's Vinv): a constant density over the data's box"
                    + " (the smaller of the bounding box and the principal-axes box, as mclust's hypvol) that takes"
                    + " the rows no Gaussian component explains; predict labels them -1. Started from a"
                    + " nearest-neighbour guess of the noise (as NNclean). Rows with missing cells are fitted on their observed"
                    + " values (the noise then spreads over the bounding box, uniform over its observed columns).")
    boolean noise;

    @Option(names = "--noise-neighbours", paramLabel = "K",
            description = "With --noise: the neighbour whose distance guesses the noise rows the fit starts from."
                    + " Default: ${DEFAULT-VALUE}.")
    int neighbours = io.emkit.noise.NearestNeighbourNoise.DEFAULT_NEIGHBOURS;

    /** Checks the options together, as usage errors. */
    void check(CommandLine cl) {
        if (!noise && cl.getParseResult().hasMatchedOption("--noise-neighbours")) {
            throw new CommandLine.ParameterException(cl, "--noise-neighbours goes with --noise");
        }
        if (neighbours < 1) {
            throw new CommandLine.ParameterException(cl, "--noise-neighbours must be at least 1, got " + neighbours);
        }
    }
}
