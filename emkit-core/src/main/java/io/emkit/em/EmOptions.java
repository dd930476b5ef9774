package io.emkit.em;

import java.util.Objects;
import java.util.function.Consumer;

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

    private static final EmOptions DEFAULTS = new EmOptions(new Settings());

    /** The values; never changed once these options hold them (a wither changes a copy before it is held). */
    private final Settings settings;

    private EmOptions(Settings settings) {
        this.settings = settings;
    }

    /**
     * The values of one {@code EmOptions}, at their defaults when new. Kept apart so that every wither is the
     * same copy with one change (the options' {@code with}) and a new setting is declared once.
     */
    private static final class Settings {
        private double tolerance = DEFAULT_TOLERANCE;
        private int maxIterations = DEFAULT_MAX_ITERATIONS;
        private int initializations = 1;
        private long seed;
        private int threads = Runtime.getRuntime().availableProcessors();
        private IterationListener listener = IterationListener.NONE;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private Search.Level search = Search.Level.DEFAULT;
        private Acceleration acceleration = Acceleration.SQUAREM;

        Settings() {
        }

        Settings(Settings from) {
            tolerance = from.tolerance;
            maxIterations = from.maxIterations;
            initializations = from.initializations;
            seed = from.seed;
            threads = from.threads;
            listener = from.listener;
            blockSize = from.blockSize;
            search = from.search;
            acceleration = from.acceleration;
        }
    }

    /** @return options with these settings but for what {@code change} sets on a copy of them */
    private EmOptions with(Consumer<Settings> change) {
        Settings changed = new Settings(settings);
        change.accept(changed);
        return new EmOptions(changed);
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
        return with(s -> s.tolerance = tolerance);
    }

    /**
     * @param maxIterations the most iterations (E-steps after the first, extrapolated ones included) one run
     *                      may take (0 evaluates the starting parameters only)
     * @return changed options
     */
    public EmOptions withMaxIterations(int maxIterations) {
        requireAtLeast(maxIterations, 0, "max iterations");
        return with(s -> s.maxIterations = maxIterations);
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
        return with(s -> {
            s.initializations = initializations;
            s.search = null;
        });
    }

    /**
     * Searches for the global optimum with this effort ({@link Search}) instead of a fixed number of full runs.
     *
     * @param level how hard to search
     * @return changed options
     */
    public EmOptions withSearch(Search.Level level) {
        Objects.requireNonNull(level, "level");
        return with(s -> {
            s.initializations = 1;
            s.search = level;
        });
    }

    /**
     * @param seed the one seed that decides every random choice of the fit
     * @return changed options
     */
    public EmOptions withSeed(long seed) {
        return with(s -> s.seed = seed);
    }

    /**
     * @param threads how many threads the E-step uses; the result does not depend on it
     * @return changed options
     */
    public EmOptions withThreads(int threads) {
        requireAtLeast(threads, 1, "threads");
        return with(s -> s.threads = threads);
    }

    /**
     * @param listener told of every iteration
     * @return changed options
     */
    public EmOptions withListener(IterationListener listener) {
        Objects.requireNonNull(listener, "listener");
        return with(s -> s.listener = listener);
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
        return with(s -> s.blockSize = blockSize);
    }

    /**
     * @param acceleration how to speed up the EM map; {@link Acceleration#NONE} runs plain EM
     * @return changed options
     */
    public EmOptions withAcceleration(Acceleration acceleration) {
        Objects.requireNonNull(acceleration, "acceleration");
        return with(s -> s.acceleration = acceleration);
    }

    /** Throws the withers' one message when {@code value} is below {@code min}. */
    private static void requireAtLeast(int value, int min, String what) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
        }
    }

    /** @return how the EM map is sped up */
    public Acceleration acceleration() {
        return settings.acceleration;
    }

    /** @return the convergence tolerance on the per-unit mean objective */
    public double tolerance() {
        return settings.tolerance;
    }

    /** @return the most iterations per run */
    public int maxIterations() {
        return settings.maxIterations;
    }

    /** @return the number of initialisations */
    public int initializations() {
        return settings.initializations;
    }

    /** @return the seed */
    public long seed() {
        return settings.seed;
    }

    /** @return the number of threads */
    public int threads() {
        return settings.threads;
    }

    /** @return the listener */
    public IterationListener listener() {
        return settings.listener;
    }

    /**
     * @return the effort of the search for the global optimum, or {@code null} when the fit makes
     *         {@link #initializations()} plain runs instead
     */
    public Search.Level search() {
        return settings.search;
    }

    /** @return units per block */
    public int blockSize() {
        return settings.blockSize;
    }

    @Override
    public String toString() {
        Settings s = settings;
        return "EmOptions[tolerance=" + s.tolerance + ", maxIterations=" + s.maxIterations + ", initializations="
                + s.initializations + ", seed=" + s.seed + ", threads=" + s.threads + ", blockSize=" + s.blockSize
                + ", acceleration=" + s.acceleration + (s.search == null ? "" : ", search=" + s.search.label()) + "]";
    }
}
