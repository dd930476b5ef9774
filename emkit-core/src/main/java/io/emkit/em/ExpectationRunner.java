package io.emkit.em;

/**
 * One E-step over all the data, wherever they live: on this machine's cores (the engine's own), streamed
 * from a file, or spread over a Spark cluster. It returns the statistics merged over every row and the
 * total log-likelihood, under the given parameters. Mini-batch EM's runner is the one stateful exception:
 * each call covers one batch, folded into running statistics, and the call after the last batch covers
 * every row (see {@code io.emkit.em.MiniBatch}).
 *
 * @param <P> the parameters
 * @param <S> the statistics
 */
@FunctionalInterface
public interface ExpectationRunner<P, S> {
    /**
     * @param params the current parameters
     * @return the merged statistics and the total log-likelihood
     */
    ExpectationMaximization.Expectation<S> run(P params);
}
