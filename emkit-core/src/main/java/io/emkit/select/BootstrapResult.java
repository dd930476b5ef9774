package io.emkit.select;

import java.util.List;

/**
 * What a {@link Bootstrap} found: per parameter of the fitted model, its bootstrap standard error and
 * percentile confidence interval.
 *
 * @param kind       how the replicates perturbed the data
 * @param replicates the replicates whose refit succeeded (those the figures come from)
 * @param failed     the replicates whose refit failed, left out
 * @param level      the intervals' coverage, e.g. 0.95
 * @param parameters the weights, means and covariance entries (upper triangle) of each component in turn
 */
public record BootstrapResult(Bootstrap.Kind kind, int replicates, int failed, double level, List<Parameter> parameters) {

    /**
     * One parameter.
     *
     * @param name          {@code weight}, {@code mean COL}, {@code variance COL} or {@code covariance COL1,COL2}
     * @param component     its component, from 0
     * @param estimate      its value in the fitted model
     * @param standardError the standard deviation of its bootstrap replicates
     * @param lower         the {@code (1 − level)/2} quantile of the replicates
     * @param upper         the {@code (1 + level)/2} quantile of the replicates
     */
    public record Parameter(String name, int component, double estimate, double standardError, double lower,
                            double upper) {
    }
}
