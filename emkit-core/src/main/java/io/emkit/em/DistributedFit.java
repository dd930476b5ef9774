package io.emkit.em;

import io.emkit.data.Dataset;

import java.util.Objects;

/**
 * A configured mixture fit ({@code GaussianMixture.distributed()}, {@code KMeans.distributed()},
 * {@code ProductMixture.distributed()}) whose E-steps another engine runs over rows it holds — Spark, in
 * emkit-spark. The engine ships {@link #steps()} to its workers, runs them on every partition, merges the
 * statistics and returns them from an {@link ExpectationRunner}; {@link #fit} is the single-machine loop
 * (restarts, M-steps, convergence, the result) around that runner.
 *
 * @param <P> the parameters
 * @param <S> the statistics
 */
public final class DistributedFit<P, S extends SufficientStatistics<S>> {
    /** The driver's side: the engine's loop around a runner. */
    public interface Loop<P, S> {
        /**
         * Runs the fit over {@code runner}.
         *
         * @param runner one E-step over all the rows
         * @param rows   how many rows the runner covers
         * @param sample rows held in memory to initialise from
         * @return the best run's model and how the fit went
         */
        EmResult<P> fit(ExpectationRunner<P, S> runner, long rows, Dataset sample);
    }

    private final PartitionSteps<P, S> steps;
    private final Loop<P, S> loop;

    /**
     * A fit whose E-steps are {@code steps} and whose driver is {@code loop}; made by the models' {@code distributed()}.
     *
     * @param steps the E-step kernel the engine ships to its workers
     * @param loop  the driver's loop around a runner
     */
    public DistributedFit(PartitionSteps<P, S> steps, Loop<P, S> loop) {
        this.steps = steps;
        this.loop = loop;
    }

    /**
     * The count a fit's mean log-likelihood (its convergence test) and BIC divide by, as the single-machine fit of
     * the rows counts them: the rows, or for weighted rows their total weight — the sample's when it holds every row,
     * else the sample's mean weight times the rows.
     *
     * @param rows   how many rows the engine holds
     * @param sample the rows the engine passed to initialise from, weighted when the rows are
     * @return the count
     */
    public static double units(long rows, Dataset sample) {
        if (!sample.isWeighted()) {
            return rows;
        }
        return rows == sample.rows() ? sample.totalWeight() : sample.totalWeight() / sample.rows() * rows;
    }

    /** @return the E-step kernel to run on every partition (serializable) */
    public PartitionSteps<P, S> steps() {
        return steps;
    }

    /**
     * Runs the fit: restarts, iterations and the convergence test as on one machine, each E-step by
     * {@code runner}.
     *
     * @param runner one E-step over all the rows, with {@link #steps()}' statistics merged over the partitions
     * @param rows   how many rows the runner covers
     * @param sample rows to initialise from (and to check: finite values, at least K distinct rows, values in
     *               their family's support), a sample of all the rows held in memory
     * @return the best run's model and how the fit went, as the single-machine fit returns them
     * @throws io.emkit.EmkitException if the fit fails
     */
    public EmResult<P> fit(ExpectationRunner<P, S> runner, long rows, Dataset sample) {
        return loop.fit(Objects.requireNonNull(runner, "runner"), rows, Objects.requireNonNull(sample, "sample"));
    }
}
