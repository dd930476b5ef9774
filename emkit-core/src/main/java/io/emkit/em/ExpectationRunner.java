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
     * The runner a fit converges on: the same E-step over the same rows, made where it costs less. A search makes
     * hundreds to thousands of E-steps, a plain run dozens; where each is one of an engine's jobs (Spark's, on rows
     * its driver also holds in full) each costs the job's overhead. The search or the plain runs
     * ({@link EmOptions#withInitializations}) then run on the explorer and this runner evaluates their answer once,
     * the log-likelihood reported. Runs of an exact number of iterations (tolerance 0: benchmarks, reproductions)
     * stay with this runner. By default, this runner itself.
     *
     * @return the runner for the search and plain runs
     */
    default ExpectationRunner<P, S> explorer() {
        return this;
    }

    /**
     * This runner with {@code explorer} for its fits ({@link #explorer()}).
     *
     * @param explorer the same E-step over the same rows, cheaper to run
     * @return the pair: the answer and exact runs evaluated here, the search and plain runs on {@code explorer}
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
