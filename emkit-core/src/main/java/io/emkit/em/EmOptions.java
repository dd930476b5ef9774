package io.emkit.em;

import java.util.Objects;

/**
 * How EM runs: convergence tolerance, acceleration, iteration limit, search or number of initialisations, seed,
 * threads and a progress listener. Immutable; each {@code with} method returns a changed copy and checks its argument.
 *
 * <p>Defaults: tolerance {@value #DEFAULT_TOLERANCE}, {@link Acceleration#SQUAREM}, at most
 * {@value #DEFAULT_MAX_ITERATIONS} iterations, the {@linkplain Search.Level#DEFAULT default search} for the
 * global optimum, seed 0, all available cores, no listener. Choosing a number of initialisations
 * ({@link #withInitializations}) turns the search off: that many full runs, the best one kept. A tolerance of
 * 0 (exactly {@link #maxIterations()} iterations) or 0 iterations make one plain run.
 *
 * <p><b>The default tolerance.</b> A run converges when the per-unit mean objective (the log-likelihood
 * per row, or per observation for sequences) changes by less than the tolerance across one iteration of
 * plain EM, or across one accelerated cycle (from the parameters a cycle starts from to those it ends with)
 * under SQUAREM. With SQUAREM the change of a cycle is about the distance left to the optimum, so the
 * default {@value #DEFAULT_TOLERANCE} puts the reported log-likelihood within about
 * {@code 1e-8 · n} of the optimum's: 7 significant digits or more whenever the mean log-likelihood per
 * row is at least 0.1 in magnitude, and an error far below what separates models by BIC or a likelihood
 * ratio test. Plain EM (acceleration off) slows down near the optimum, where each iteration's change
 * underestimates the distance left; to reproduce the engine's former behaviour use tolerance 1e-3 with
 * {@link Acceleration#NONE}.
 */
public final class EmOptions {
    /** Rows per block when the engine cuts data for threads. Fixed so that results never depend on threads. */
    public static final int DEFAULT_BLOCK_SIZE = 4096;

    /** The default convergence tolerance on the per-unit mean objective (see the class comment). */
    public static final double DEFAULT_TOLERANCE = 1e-8;

    /**
     * The default iteration limit: large (as mclust's), so that a fit stops on the tolerance and not on the
     * limit; at the default tolerance some fits (a Gaussian-mixture-emission HMM, slowly converging
     * mixtures) take more than 100 iterations, each E-step of a SQUAREM cycle counting as one.
     */
    public static final int DEFAULT_MAX_ITERATIONS = 1000;

    private static final EmOptions DEFAULTS = new EmOptions(DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, 1, 0L,
            Runtime.getRuntime().availableProcessors(), IterationListener.NONE, DEFAULT_BLOCK_SIZE,
            Search.Level.DEFAULT, Acceleration.SQUAREM);

    private final double tolerance;
    private final int maxIterations;
    private final int initializations;
    private final long seed;
    private final int threads;
    private final IterationListener listener;
    private final int blockSize;
    private final Search.Level search;
    private final Acceleration acceleration;

    private EmOptions(double tolerance, int maxIterations, int initializations, long seed, int threads,
                      IterationListener listener, int blockSize, Search.Level search,
                      Acceleration acceleration) {
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.initializations = initializations;
        this.seed = seed;
        this.threads = threads;
        this.listener = listener;
        this.blockSize = blockSize;
        this.search = search;
        this.acceleration = acceleration;
    }

    /** @return the default options */
    public static EmOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param tolerance converge when the per-unit mean objective changes by less than this across one
     *                  iteration of plain EM or one accelerated cycle (see the class comment); 0 runs
     *                  exactly {@link #maxIterations()} iterations
     * @return changed options
     */
    public EmOptions withTolerance(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0, got " + tolerance);
        }
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads, listener, blockSize,
                search, acceleration);
    }

    /**
     * @param maxIterations the most iterations (E-steps after the first, extrapolated ones included) one run
     *                      may take (0 evaluates the starting parameters only)
     * @return changed options
     */
    public EmOptions withMaxIterations(int maxIterations) {
        requireAtLeast(maxIterations, 0, "max iterations");
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads, listener, blockSize,
                search, acceleration);
    }

    /**
     * Runs this many full EM runs, each from its own start, and keeps the best: the plain multi-start
     * strategy, without the {@linkplain #withSearch search} (which this turns off).
     *
     * @param initializations how many initialisations to run; the one with the best final objective wins
     * @return changed options
     */
    public EmOptions withInitializations(int initializations) {
        requireAtLeast(initializations, 1, "number of initialisations");
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads, listener, blockSize,
                null, acceleration);
    }

    /**
     * Searches for the global optimum with this effort ({@link Search}) instead of a fixed number of full runs.
     *
     * @param level how hard to search
     * @return changed options
     */
    public EmOptions withSearch(Search.Level level) {
        return new EmOptions(tolerance, maxIterations, 1, seed, threads, listener, blockSize,
                Objects.requireNonNull(level, "level"), acceleration);
    }

    /**
     * @param seed the one seed that decides every random choice of the fit
     * @return changed options
     */
    public EmOptions withSeed(long seed) {
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads, listener, blockSize,
                search, acceleration);
    }

    /**
     * @param threads how many threads the E-step uses; the result does not depend on it
     * @return changed options
     */
    public EmOptions withThreads(int threads) {
        requireAtLeast(threads, 1, "threads");
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads, listener, blockSize,
                search, acceleration);
    }

    /**
     * @param listener told of every iteration
     * @return changed options
     */
    public EmOptions withListener(IterationListener listener) {
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads,
                Objects.requireNonNull(listener, "listener"), blockSize, search, acceleration);
    }

    /**
     * Changes how many units make one block. Results depend on it (through the order of floating-point
     * sums), never on the thread count; the default suits almost every use.
     *
     * @param blockSize units per block
     * @return changed options
     */
    public EmOptions withBlockSize(int blockSize) {
        requireAtLeast(blockSize, 1, "block size");
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads, listener, blockSize,
                search, acceleration);
    }

    /**
     * @param acceleration how to speed up the EM map; {@link Acceleration#NONE} runs plain EM
     * @return changed options
     */
    public EmOptions withAcceleration(Acceleration acceleration) {
        return new EmOptions(tolerance, maxIterations, initializations, seed, threads, listener, blockSize, search,
                Objects.requireNonNull(acceleration, "acceleration"));
    }

    /** Throws the withers' one message when {@code value} is below {@code min}. */
    private static void requireAtLeast(int value, int min, String what) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
        }
    }

    /** @return how the EM map is sped up */
    public Acceleration acceleration() {
        return acceleration;
    }

    /** @return the convergence tolerance on the per-unit mean objective */
    public double tolerance() {
        return tolerance;
    }

    /** @return the most iterations per run */
    public int maxIterations() {
        return maxIterations;
    }

    /** @return the number of initialisations */
    public int initializations() {
        return initializations;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the number of threads */
    public int threads() {
        return threads;
    }

    /** @return the listener */
    public IterationListener listener() {
        return listener;
    }

    /**
     * @return the effort of the search for the global optimum, or {@code null} when the fit makes
     *         {@link #initializations()} plain runs instead
     */
    public Search.Level search() {
        return search;
    }

    /** @return units per block */
    public int blockSize() {
        return blockSize;
    }

    @Override
    public String toString() {
        return "EmOptions[tolerance=" + tolerance + ", maxIterations=" + maxIterations + ", initializations="
                + initializations + ", seed=" + seed + ", threads=" + threads + ", blockSize=" + blockSize
                + ", acceleration=" + acceleration + (search == null ? "" : ", search=" + search.label()) + "]";
    }
}
