package io.emkit.em;

import io.emkit.EmkitException;

import io.emkit.data.Dataset;
import io.emkit.data.Rows;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * How mini-batch (stepwise, online) EM ({@code GaussianMixture.miniBatch}) and mini-batch k-means
 * ({@code KMeans.miniBatch}, which uses the batches but not the step sizes) run: the batch size, the
 * step-size schedule, the number of passes and the order of the rows. Immutable; start from
 * {@link #ofSize(int)} and change what differs.
 *
 * <p><b>The algorithm.</b> The rows are cut into ⌈n / B⌉ consecutive batches of equal size (within one
 * row, never more than B). Stepwise EM keeps running statistics {@code s}, normalised to one row's worth,
 * that start as the statistics the starting model implies. For the t-th batch (t = 0, 1, ... across all
 * passes) it computes the batch's normalised statistics {@code ŝ_t} under the current parameters,
 * updates {@code s ← (1 − η_t) s + η_t ŝ_t}, and makes an M-step from {@code s}. After the last batch
 * one more read of all the rows computes the fitted model's exact log-likelihood, which is what the
 * result reports (and what picks the best of several initialisations).
 *
 * <p><b>The step size</b> is {@code η_t = (t + 2)^(−α)} with α in (0.5, 1], default
 * {@value #DEFAULT_STEP_EXPONENT}: the schedule of Liang and Klein (2009), <i>Online EM for unsupervised
 * models</i>, and of Cappé and Moulines (2009), <i>On-line expectation–maximization algorithm for latent
 * data models</i>. For α in (0.5, 1] the steps sum to infinity while their squares do not (the
 * Robbins–Monro conditions), which makes {@code s} converge to a stationary point of the likelihood as
 * the number of batches grows. α = 1 weighs every batch equally (a running average, whose early batches,
 * computed under poor parameters, are forgotten slowly); smaller α forgets them faster at the price of
 * more noise. Liang and Klein found α between 0.5 and 0.7 best, with batches of hundreds to thousands
 * of rows; 0.6 sits in that range.
 *
 * <p><b>Order.</b> By default the batches follow the order of the rows (a file is then read once per
 * pass, front to back). A file sorted by class or by time gives biased batches; {@link #shuffled} draws
 * a new random order of the rows for every pass from the fit's seed (4 bytes of memory per row, and
 * random reads of a file that is not in memory).
 */
public final class MiniBatch {
    /** The default exponent α of the step-size schedule. */
    public static final double DEFAULT_STEP_EXPONENT = 0.6;

    private final int batchSize;
    private final double stepExponent;
    private final int passes;
    private final boolean shuffled;

    private MiniBatch(int batchSize, double stepExponent, int passes, boolean shuffled) {
        this.batchSize = batchSize;
        this.stepExponent = stepExponent;
        this.passes = passes;
        this.shuffled = shuffled;
    }

    /**
     * Batches of {@code batchSize} rows, α = {@value #DEFAULT_STEP_EXPONENT}, one pass, in the rows' order.
     *
     * @param batchSize B, at least 1
     * @return the configuration
     * @throws EmkitException if {@code batchSize} is below 1
     */
    public static MiniBatch ofSize(int batchSize) {
        if (batchSize < 1) {
            throw new EmkitException("the mini-batch size must be at least 1, got " + batchSize);
        }
        return new MiniBatch(batchSize, DEFAULT_STEP_EXPONENT, 1, false);
    }

    /**
     * @param alpha the exponent α of the step size {@code (t + 2)^(−α)}, in (0.5, 1]
     * @return a changed copy
     * @throws EmkitException if α is outside (0.5, 1]
     */
    public MiniBatch stepExponent(double alpha) {
        if (!(alpha > 0.5 && alpha <= 1.0)) {
            throw new EmkitException("the step-size exponent must be in (0.5, 1], got " + alpha);
        }
        return new MiniBatch(batchSize, alpha, passes, shuffled);
    }

    /**
     * @param passes how many times to go through the rows, at least 1
     * @return a changed copy
     * @throws EmkitException if {@code passes} is below 1
     */
    public MiniBatch passes(int passes) {
        if (passes < 1) {
            throw new EmkitException("the number of passes must be at least 1, got " + passes);
        }
        return new MiniBatch(batchSize, stepExponent, passes, shuffled);
    }

    /**
     * @param shuffled whether each pass visits the rows in a new random order (from the fit's seed)
     *                 instead of their order in the data
     * @return a changed copy
     */
    public MiniBatch shuffled(boolean shuffled) {
        return new MiniBatch(batchSize, stepExponent, passes, shuffled);
    }

    /** @return B, the most rows per batch */
    public int batchSize() {
        return batchSize;
    }

    /** @return α, the exponent of the step-size schedule */
    public double stepExponent() {
        return stepExponent;
    }

    /** @return how many passes over the rows */
    public int passes() {
        return passes;
    }

    /** @return whether every pass visits the rows in a new random order */
    public boolean shuffled() {
        return shuffled;
    }

    /**
     * The step size of the t-th update.
     *
     * @param t the update's number, from 0, counted across passes
     * @return {@code (t + 2)^(−α)}
     */
    public double stepSize(long t) {
        return Math.pow(t + 2.0, -stepExponent);
    }

    /**
     * @param rows n, the number of rows
     * @return the batches in one pass over {@code rows} rows: ⌈n / B⌉
     */
    public int batchesPerPass(int rows) {
        return (int) ((rows + (long) batchSize - 1) / batchSize);
    }

    /**
     * The order in which a pass visits the rows, drawn at the first batch of every pass.
     *
     * @param rows   n, the number of rows
     * @param random draws the order of a shuffled schedule (Fisher–Yates, from the top); unused otherwise
     * @return a uniformly random permutation of {@code 0..n-1} if {@link #shuffled()}, else {@code null}
     *         (the rows' own order)
     */
    public int[] passOrder(int rows, SplittableRandom random) {
        if (!shuffled) {
            return null;
        }
        int[] p = new int[rows];
        for (int i = 0; i < rows; i++) {
            p[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = p[i];
            p[i] = p[j];
            p[j] = swap;
        }
        return p;
    }

    /**
     * The rows of the {@code t}-th batch, copied into memory: batch {@code t mod ⌈n / B⌉} of its pass, rows
     * {@code [b·n/⌈n/B⌉, (b+1)·n/⌈n/B⌉)} of the pass's order.
     *
     * @param data  the rows
     * @param t     the batch's number, from 0, counted across passes
     * @param order the pass's order ({@link #passOrder}), or {@code null} for the rows' own
     * @return the batch's rows, unweighted, with {@code data}'s column names
     */
    public Dataset batch(Rows data, long t, int[] order) {
        int n = data.rows();
        int batches = batchesPerPass(n);
        long b = t % batches;
        int from = (int) (b * n / batches);
        int to = (int) ((b + 1) * n / batches);
        int d = data.columns();
        double[] values = new double[Math.multiplyExact(to - from, d)];
        if (order == null) {
            data.copyRows(from, to, values);
        } else {
            double[] row = new double[d];
            for (int i = from; i < to; i++) {
                data.copyRows(order[i], order[i] + 1, row);
                System.arraycopy(row, 0, values, (i - from) * d, d);
            }
        }
        return Dataset.wrap(values, to - from, d, data.columnNames());
    }

    /**
     * One run's walk through the batches of a schedule over some rows: which batch comes next, and the row
     * order of the current pass. Stateful; {@link #restart} begins a run.
     */
    public static final class Batches {
        private final MiniBatch schedule;
        private final Rows data;
        private final int updates;
        private SplittableRandom random;
        private int[] order;
        private int taken;

        /**
         * @param schedule the batches
         * @param data     the rows
         */
        public Batches(MiniBatch schedule, Rows data) {
            this.schedule = schedule;
            this.data = data;
            this.updates = Math.multiplyExact(schedule.batchesPerPass(data.rows()), schedule.passes());
        }

        /** @return the batches of one run, over every pass: one M-step each */
        public int updates() {
            return updates;
        }

        /**
         * Begins a run.
         *
         * @param orderRandom draws the row orders of a shuffled schedule; unused otherwise
         */
        public void restart(SplittableRandom orderRandom) {
            random = orderRandom;
            order = null;
            taken = 0;
        }

        /** @return how many batches this run has taken: the number of the next, from 0 */
        public int taken() {
            return taken;
        }

        /** @return whether every batch of the run has been taken */
        public boolean finished() {
            return taken == updates;
        }

        /**
         * The next batch ({@link MiniBatch#batch}), a new order drawn at the start of each pass.
         *
         * @return its rows, copied into memory
         */
        public Dataset next() {
            int n = data.rows();
            if (taken % schedule.batchesPerPass(n) == 0) {
                order = schedule.passOrder(n, random);
            }
            return schedule.batch(data, taken++, order);
        }
    }

    /**
     * Mini-batch EM's E-side, as the engine's {@link ExpectationRunner}: each call takes the next batch of the
     * schedule and folds its statistics into running ones, and the engine's M-step after each call moves the
     * parameters; the call after the last batch is an ordinary E-step over all the rows, whose log-likelihood
     * belongs exactly to the fitted parameters. Which batch comes when is the same for every model; how a
     * batch's statistics join the running ones is the model's.
     *
     * <p>Stateful: {@link #fit} begins a new walk through the batches before each initialisation.
     *
     * @param <P> the parameters
     * @param <S> the statistics
     */
    public abstract static class Runner<P, S extends SufficientStatistics<S>> implements ExpectationRunner<P, S> {
        private final Rows data;
        private final Batches batches;
        private S running;

        /**
         * @param schedule the batches
         * @param data     all the rows
         */
        protected Runner(MiniBatch schedule, Rows data) {
            this.data = data;
            this.batches = new Batches(schedule, data);
        }

        /**
         * Fits by the engine's loop with a batch per E-step: as many M-steps as the schedule has batches, no
         * tolerance and no extrapolation (each E-step sees other rows: there is no fixed map to speed up).
         *
         * @param steps      the model's M-step
         * @param normalizer the count that turns the total log-likelihood into the per-unit mean
         * @param start      chooses starting parameters from an initialisation's random stream
         * @param options    the run's options (their tolerance, iteration limit and acceleration are replaced)
         * @return the best run's result
         */
        public final EmResult<P> fit(EmSteps<?, P, S> steps, double normalizer, Function<SplittableRandom, P> start,
                                     EmOptions options) {
            return ExpectationMaximization.fit(steps, this, normalizer, random -> {
                // The order stream is split off first, so a shuffled and an ordered fit start alike.
                batches.restart(random.split());
                running = null;
                return start.apply(random);
            }, options.withTolerance(0).withMaxIterations(batches.updates()).withAcceleration(Acceleration.NONE));
        }

        @Override
        public final ExpectationMaximization.Expectation<S> run(P params) {
            if (batches.finished()) {
                return allRows(params);
            }
            if (running == null) {
                running = startRunning(params);
            }
            int t = batches.taken();
            Dataset batch = batches.next();
            ExpectationMaximization.Expectation<S> e = batch(params, batch);
            S seen = fold(running, e.statistics(), batch.rows(), t);
            return new ExpectationMaximization.Expectation<>(seen, e.logLikelihood() * data.rows() / batch.rows());
        }

        /**
         * @param params the fitted parameters
         * @return an ordinary E-step over all the rows
         */
        protected abstract ExpectationMaximization.Expectation<S> allRows(P params);

        /**
         * @param params the parameters of a run's first batch
         * @return the running statistics a run begins with
         */
        protected abstract S startRunning(P params);

        /**
         * @param params the current parameters
         * @param batch  the batch's rows
         * @return the E-step over the batch
         */
        protected abstract ExpectationMaximization.Expectation<S> batch(P params, Dataset batch);

        /**
         * Folds a batch's statistics into the running ones.
         *
         * @param running   the running statistics, changed in place
         * @param batchSums the batch's statistics
         * @param batchRows how many rows the batch has
         * @param t         the batch's number in the run, from 0
         * @return what the M-step sees: the running statistics, scaled as the model's M-step needs
         */
        protected abstract S fold(S running, S batchSums, int batchRows, int t);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MiniBatch[size=%d, stepExponent=%s, passes=%d, shuffled=%s]",
                batchSize, stepExponent, passes, shuffled);
    }
}
