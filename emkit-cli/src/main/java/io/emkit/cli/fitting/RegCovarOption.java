package io.emkit.cli.fitting;

import io.emkit.cli.WordedMixin;
import io.emkit.gaussian.GaussianMixture;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --reg-covar}, the amount added to covariance diagonals (fit, select, classify, hmm fit), a picocli mixin.
 * Declared and checked here once; a command whose covariances are only some of its model's (hmm fit's Gaussian
 * emissions) says so in its own wording.
 */
final class RegCovarOption extends WordedMixin {
    /** The option's name, for messages and the report's table of options. */
    static final String NAME = "--reg-covar";

    @Option(names = NAME, paramLabel = "X", description = "Added to covariance diagonals. Default: 1e-6.")
    double value = GaussianMixture.DEFAULT_REG_COVAR;

    /**
     * @param text how this command describes {@code --reg-covar}
     * @return this mixin
     */
    RegCovarOption help(String text) {
        wording.put(NAME, text);
        return this;
    }

    /** A usage error (exit 2) unless the value is a finite number {@code >= 0}. */
    void check(CommandLine cl) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new CommandLine.ParameterException(cl, NAME + " must be a finite number >= 0, got " + value);
        }
    }
}
