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

    /**
     * A configured fit of a sequence model whose E-step statistics add up over sequences (a hidden Markov model, a
     * semi-Markov model, an input–output HMM, an HMM with known states), its E-steps run by another engine over
     * sequences it holds, each sequence whole on one worker. The engine ships {@link #kernel()} to its workers, runs
     * it on the sequences of each part, merges the parts' statistics with {@link SufficientStatistics#merge} and
     * returns them from an {@link ExpectationRunner}; {@link #fit} is the single-machine loop (restarts, M-steps,
     * convergence) around that runner.
     *
     * <p>Each step of the sequences the engine holds is a row of numbers: the model's observations, then whatever
     * else the model reads per step (an input–output HMM's covariates, a labelled HMM's class index, -1 where a
     * step has none), in the order the configuration's {@code distributed()} documents.
     *
     * @param <P> the parameters
     * @param <S> the statistics
     */
    public static final class OverSequences<P, S extends SufficientStatistics<S>> {
        /**
         * The E-step of one part of the sequences, as a worker runs it: the single-machine kernel, serializable.
         *
         * @param <P> the parameters
         * @param <S> the statistics
         */
        public interface Kernel<P, S extends SufficientStatistics<S>> extends java.io.Serializable {
            /**
             * @param params the parameters of the current E-step
             * @return zero statistics
             */
            S emptyStatistics(P params);

            /**
             * The E-step over every sequence of one part: adds their statistics under {@code params}.
             *
             * @param params     the current parameters
             * @param sequences  the part's sequences, their columns as the plan documents
             * @param firstStep  the index of the part's first step among all the steps (parts in order), for
             *                   statistics kept per step
             * @param statistics where to add
             * @return the sequences' log-likelihood, summed
             */
            double accumulate(P params, io.emkit.data.Sequences sequences, long firstStep, S statistics);
        }

        /**
         * How many sequences and steps the engine holds, and the longest sequence's length.
         *
         * @param sequences how many sequences
         * @param steps     how many steps, over every sequence
         * @param longest   the longest sequence's steps
         */
        public record Extent(long sequences, long steps, int longest) {
        }

        /**
         * The driver's side: the engine's loop around a runner.
         *
         * @param <P> the parameters
         * @param <S> the statistics
         */
        public interface Loop<P, S> {
            /**
             * Runs the fit over {@code runner}.
             *
             * @param runner one E-step over every sequence
             * @param extent what the runner covers
             * @param sample sequences held in memory to initialise from, their columns as the kernel's
             * @return the best run's model and how the fit went
             */
            EmResult<P> fit(ExpectationRunner<P, S> runner, Extent extent, io.emkit.data.Sequences sample);
        }

        private final Kernel<P, S> kernel;
        private final Loop<P, S> loop;
        private final long seed;

        /**
         * A fit whose E-steps are {@code kernel} and whose driver is {@code loop}; made by the models'
         * {@code distributed()}.
         *
         * @param kernel the E-step the engine ships to its workers
         * @param loop   the driver's loop around a runner
         * @param seed   the seed of the sample of sequences an engine draws when it cannot take every one (the
         *               configuration's)
         */
        public OverSequences(Kernel<P, S> kernel, Loop<P, S> loop, long seed) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            this.loop = Objects.requireNonNull(loop, "loop");
            this.seed = seed;
        }

        /** @return the seed of the sample of sequences an engine draws when it cannot take every one */
        public long seed() {
            return seed;
        }

        /** @return the E-step to run on every part of the sequences (serializable) */
        public Kernel<P, S> kernel() {
            return kernel;
        }

        /**
         * Runs the fit: restarts, iterations and the convergence test as on one machine, each E-step by
         * {@code runner}. When {@code sample} is every sequence, the fit starts where the single-machine fit of
         * the same sequences starts, and follows it up to the rounding of sums taken in another order.
         *
         * @param runner one E-step over every sequence, the parts' statistics merged
         * @param extent how many sequences and steps the runner covers, and the longest sequence's length
         * @param sample sequences to initialise from and check, with the kernel's columns
         * @return the best run's model and how the fit went, as the single-machine fit returns them
         * @throws io.emkit.EmkitException if the fit fails
         */
        public EmResult<P> fit(ExpectationRunner<P, S> runner, Extent extent, io.emkit.data.Sequences sample) {
            return loop.fit(Objects.requireNonNull(runner, "runner"), Objects.requireNonNull(extent, "extent"),
                    Objects.requireNonNull(sample, "sample"));
        }
    }
}
