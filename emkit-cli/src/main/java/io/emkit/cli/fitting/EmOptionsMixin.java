package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.Format;
import io.emkit.cli.WordedMixin;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.Search;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of the search every fitting command runs (fit, fit --family, kmeans, select, hmm fit):
 * {@code --search}, {@code --n-init}, {@code --max-iter}, {@code --tol}, {@code --accelerate}, {@code --seed},
 * {@code --threads}. Declared here once; an EM command starts from {@link #em}, k-means gives its defaults to the
 * constructor, and each, with {@link #tolHelp} and its siblings, says what an option means for its model (k-means'
 * tolerance is relative to the inertia, an HMM's is per time step). An option about how
 * the engine searches for the best fit belongs here too, so that every fitting command takes it alike.
 */
final class EmOptionsMixin extends WordedMixin {
    /** The options' names, for messages and the report's table of options. */
    static final String SEARCH = "--search", N_INIT = "--n-init", MAX_ITER = "--max-iter", TOL = "--tol",
            ACCELERATE = "--accelerate", SEED = "--seed", THREADS = "--threads";

    /** What {@code --search} does, the same for every command; a command adds its kinds of start. */
    static final String SEARCH_HELP = "How hard to search for the best fit: quick, default or thorough (short EM"
            + " runs from many starts, the best continued, then split/merge moves; the effort is sized from the data).";

    @Option(names = SEARCH, paramLabel = "LEVEL", converter = SearchConverter.class,
            description = SEARCH_HELP + " Default: default.")
    Search.Level search;

    /** What {@code --n-init} says, the same for every command, after which runs it makes and which it keeps. */
    private static final String N_INIT_INSTEAD = ", instead of the search (the plain multi-start strategy;"
            + " overrides --search). Default: ";

    @Option(names = N_INIT, paramLabel = "N",
            description = "Make N full runs and keep the best" + N_INIT_INSTEAD + "the search.")
    Integer nInit;

    @Option(names = MAX_ITER, paramLabel = "N",
            description = "Most EM iterations per initialisation. Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = TOL, paramLabel = "X",
            description = "Stop when the objective changes by less than X. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = ACCELERATE, paramLabel = "METHOD",
            description = "How to speed up EM: squarem (extrapolation with a monotonicity safeguard; every E-step counts"
                    + " as an iteration), daarem (damped Anderson acceleration with restarts, the same safeguard) or none"
                    + " (plain EM). Default: squarem.")
    String accelerate = EmOptions.defaults().acceleration().name().toLowerCase(java.util.Locale.ROOT);

    /** False for a command whose map cannot be extrapolated (k-means): it does not offer {@code --accelerate}. */
    private boolean accelerable = true;

    @Option(names = SEED, paramLabel = "N", description = "Seed deciding every random choice. Default: ${DEFAULT-VALUE}.")
    long seed = 0;

    @Option(names = THREADS, paramLabel = "N",
            description = "Threads (the result does not depend on it). Default: all cores.")
    int threads = Runtime.getRuntime().availableProcessors();

    /**
     * @param maxIter the command's default iteration limit per run
     * @param tol     its default tolerance
     */
    EmOptionsMixin(int maxIter, double tol) {
        this.maxIter = maxIter;
        this.tol = tol;
    }

    /** What {@code --tol} says for an EM command; {@code %s} is the unit the mean log-likelihood is per. */
    private static final String EM_TOL_HELP = "Stop when the mean log-likelihood per %s changes by less than X"
            + " across one iteration (one SQUAREM cycle under --accelerate squarem); the default ${DEFAULT-VALUE}"
            + " gives the optimum's log-likelihood to about 7 significant digits. 0 runs exactly --max-iter"
            + " iterations. Default: ${DEFAULT-VALUE}.";

    /**
     * The options of a command that fits by EM on the log-likelihood (fit, select, hmm fit): the library's
     * iteration limit and tolerance, {@code --tol} worded alike in each.
     *
     * @param unit what the mean log-likelihood is per, in {@code --tol}'s help: row, time step
     * @return the mixin, for the command to word its other options
     */
    static EmOptionsMixin em(String unit) {
        return new EmOptionsMixin(EmOptions.DEFAULT_MAX_ITERATIONS, EmOptions.DEFAULT_TOLERANCE)
                .tolHelp(EM_TOL_HELP.formatted(unit));
    }

    /**
     * Words {@code --n-init} for this command: "Make N full runs {@code runs} and keep {@code kept}, instead of the
     * search ...".
     *
     * @param runs which full runs the command makes, e.g. {@code from --init}
     * @param kept which of them it keeps, e.g. {@code the best}
     * @return this mixin
     */
    EmOptionsMixin nInitHelp(String runs, String kept) {
        return word(N_INIT, "the search", "Make N full runs " + runs + " and keep " + kept + N_INIT_INSTEAD
                + "${DEFAULT-VALUE}.");
    }

    /**
     * @param text how this command describes {@code --max-iter}; {@code ${DEFAULT-VALUE}} becomes its default
     * @return this mixin
     */
    EmOptionsMixin maxIterHelp(String text) {
        return word(MAX_ITER, Integer.toString(maxIter), text);
    }

    /**
     * @param text how this command describes {@code --tol}; {@code ${DEFAULT-VALUE}} becomes its default, written
     *             as a person would type it (0.0001 or 1e-8, where picocli would write 1.0E-4 or 1.0E-8)
     * @return this mixin
     */
    EmOptionsMixin tolHelp(String text) {
        return word(TOL, Format.setting(tol), text);
    }

    /**
     * Leaves {@code --accelerate} out of this command: for k-means, whose map is piecewise constant, so that
     * extrapolating it gains nothing; such a command always runs plain EM.
     *
     * @return this mixin
     */
    EmOptionsMixin withoutAcceleration() {
        accelerable = false;
        wording.leaveOut(ACCELERATE);
        return this;
    }

    /**
     * @param text how this command describes {@code --threads}
     * @return this mixin
     */
    EmOptionsMixin threadsHelp(String text) {
        return word(THREADS, "all cores", text);
    }

    private EmOptionsMixin word(String option, String shownDefault, String text) {
        wording.put(option, text.replace("${DEFAULT-VALUE}", shownDefault));
        return this;
    }

    /** A usage error (exit 2) for a value out of range, checked the same way in every command. */
    void check(CommandLine cl) {
        if (nInit != null) {
            CliSupport.requireAtLeast(cl, N_INIT, nInit, 1);
        }
        CliSupport.requireAtLeast(cl, MAX_ITER, maxIter, 0);
        CliSupport.requireFiniteAtLeast(cl, TOL, tol, 0);
        CliSupport.requireAtLeast(cl, THREADS, threads, 1);
        acceleration(cl);
    }

    /** The acceleration {@code --accelerate} names ({@link Acceleration#NONE} where the command leaves it out). */
    Acceleration acceleration(CommandLine cl) {
        if (!accelerable) {
            return Acceleration.NONE;
        }
        for (Acceleration a : Acceleration.values()) {
            if (a.name().equalsIgnoreCase(accelerate)) {
                return a;
            }
        }
        throw new CommandLine.ParameterException(cl, ACCELERATE + " must be squarem, daarem or none, got '" + accelerate + "'");
    }

    /**
     * The library's EM options with these values, the rest (listener, block size) at their defaults: the options
     * of every model's configuration, whose listener the command sets afterwards.
     */
    EmOptions options() {
        EmOptions runs = nInit != null ? EmOptions.defaults().withInitializations(nInit)
                : EmOptions.defaults().withSearch(search == null ? Search.Level.DEFAULT : search);
        return runs.withMaxIterations(maxIter).withTolerance(tol).withSeed(seed)
                .withThreads(threads).withAcceleration(acceleration(null));
    }

    /**
     * @param text how this command describes {@code --search} (its kinds of start)
     * @return this mixin
     */
    EmOptionsMixin searchHelp(String text) {
        return word(SEARCH, "default", text);
    }

    /** {@code --search}'s values, parsed by the library ({@link Search.Level#parse}). */
    static final class SearchConverter extends FitCommand.LibraryConverter<Search.Level> {
        SearchConverter() {
            super(Search.Level::parse);
        }
    }
}
