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

    /**
     * The runner a {@link Search}'s short runs take: the same E-step over the same rows, made where it costs less.
     * A search makes hundreds of short E-steps to choose which runs to continue; where they are one engine's jobs
     * each (Spark's, on rows its driver also holds in full) they cost the job's overhead over and over. The
     * continued runs, and so the answer, stay with this runner. By default, this runner itself.
     *
     * @return the runner for short runs
     */
    default ExpectationRunner<P, S> explorer() {
        return this;
    }

    /**
     * This runner with its search's short runs made by {@code explorer} ({@link #explorer()}).
     *
     * @param explorer the same E-step over the same rows, cheaper to run
     * @return the pair, running full runs here
     */
    default ExpectationRunner<P, S> exploringWith(ExpectationRunner<P, S> explorer) {
        ExpectationRunner<P, S> full = this;
        return new ExpectationRunner<>() {
            @Override
            public ExpectationMaximization.Expectation<S> run(P params) {
                return full.run(params);
            }

            @Override
            public ExpectationRunner<P, S> explorer() {
                return explorer;
            }
        };
    }
}
