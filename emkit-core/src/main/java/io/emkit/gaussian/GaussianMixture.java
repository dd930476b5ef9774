package io.emkit.gaussian;

import io.emkit.em.DistributedFit;
import io.emkit.em.MiniBatch;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.HierarchicalClustering;
import io.emkit.init.Initialization;
import io.emkit.init.KMeansSeeding;
import io.emkit.kernels.BlockWorkspace;
import io.emkit.kmeans.KMeans;
import io.emkit.mixture.Assignment;
import io.emkit.mixture.DataChecks;
import io.emkit.mixture.EmptyComponents;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.Initializer;
import io.emkit.em.IterationListener;
import io.emkit.em.SearchSpace;
import io.emkit.mixture.RecordingSteps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Fits Gaussian mixture models by EM: the configuration of a fit, immutable, with a {@code with}-style
 * method per setting and {@link #fit(Rows)} to run it.
 *
 * <pre>{@code
 * EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2)
 *         .covarianceType(CovarianceType.FULL)
 *         .initializations(5)
 *         .seed(42)
 *         .fit(data);
 * int[] labels = fit.params().predict(data);
 * }</pre>
 *
 * <p>Defaults: full covariances, k-means++ initialisation, {@code regCovar} 1e-6, and the
 * {@link EmOptions#defaults() EM defaults} (tolerance 1e-8, SQUAREM, at most 1000 iterations, the default
 * search for the global optimum, seed 0, all cores). The fit uses every core; its result does not depend on how
 * many.
 *
 * <p><b>Missing values.</b> Rows may have missing values ({@code NaN}), assumed missing at random (in
 * particular missing completely at random): the pattern says nothing about the values. The E-step then uses
 * each row's observed coordinates (the marginal Gaussian of each component) and the M-step the expected
 * sufficient statistics of the missing coordinates given the observed ones (conditional means, with the
 * conditional covariances added to the second moments): EM for the observed-data likelihood, exactly
 * (Ghahramani and Jordan, 1994). Rows with every value missing carry no information and are skipped
 * (counted by {@link Rows#countMissing()}); complete rows take the same code path as without missing values, so complete
 * data give exactly the fit they always did. Initialisations look at the rows with an observed value, their
 * missing cells filled with column means.
 *
 * <p>References: Dempster, Laird and Rubin (1977), <i>Maximum likelihood from incomplete data via the EM
 * algorithm</i>; McLachlan and Peel (2000), <i>Finite Mixture Models</i>.
 */
public final class GaussianMixture {
    /** The default regularisation added to covariance diagonals. */
    public static final double DEFAULT_REG_COVAR = 1e-6;

    /**
     * The most rows on which the search's portfolio includes the hierarchical start unasked (a tree given, as
     * {@code select --init hc} gives one, or {@code --init hc}, is used on any number). The tree clusters at most
     * {@link HierarchicalClustering#DEFAULT_MAX_ROWS} rows spread evenly over the data, as mclust's does, so its
     * merges cost about 2,000² evaluations whatever n and K, outside the search's budget of E-steps: on 2,000 rows ×
     * 3 columns about 0.24 s of a 0.45 s process, on 3,000 × 20 about 0.23 s. It comes on top of the drawn starts,
     * which it leaves as they are ({@link io.emkit.em.Search}), and finds basins they miss where many components share
     * few rows: on the wide holdout grid (1,500 rows, K = 12) the default fit ended 1.9 nats below the best known at
     * d = 20 instead of 194, and 0.27 instead of 7.4 at d = 4. On up to 10,000 rows, not only 2,000 (a search on all
     * rows, never on a sample: those start at 40,000): on the structures holdout grid h14 (3,000 rows,
     * diagonal, K = 5) now reaches its best known (30.65 nats higher), on mclust's GvHD.pos data (9,083 rows) the
     * diagonal K = 5 fit 33.5 nats higher, at least mclust's; every other fit of the five search grids at seed 0
     * the same log-likelihood; up to 0.6 s more on a fit of 3,000–5,000 rows.
     */
    static final int SEARCH_HC_MAX_ROWS = 10_000;

    /**
     * The most columns for which the default search's portfolio holds the hierarchical start: the tree's cost
     * grows steeply with the dimension (random data of 8 clusters, 2,000 rows: 0.25 s at d = 20, 0.36 at 24, 1.4
     * at 28, 5.8 at 32 and 47 at 64), where a whole default fit of 2,000 × 64 without it takes about 2 s.
     */
    static final int SEARCH_HC_MAX_COLUMNS = 24;

    /**
     * Whether the default search on {@code rows} rows of {@code columns} columns includes the hierarchical start
     * (at most {@value #SEARCH_HC_MAX_ROWS} rows and {@value #SEARCH_HC_MAX_COLUMNS} columns) without a tree being
     * given. Its tree depends only on the rows: a caller that fits the same rows many times, as model selection
     * does, can make it once ({@link HierarchicalClustering#of(Dataset)}) and give it to each fit
     * ({@link #hierarchy}), for the same fits.
     *
     * @param rows    the rows fitted
     * @param columns their columns
     * @return whether each default fit makes the tree
     */
    public static boolean searchIncludesHierarchy(long rows, int columns) {
        return rows <= SEARCH_HC_MAX_ROWS && columns <= SEARCH_HC_MAX_COLUMNS;
    }

    /** Whether a component of the fit has (almost) no weight: the M-step's empty component. */
    private static boolean hasEmptyComponent(GaussianMixtureModel fitted) {
        for (double w : fitted.weights()) {
            if (w <= EmptyComponents.FRACTION) {
                return true;
            }
        }
        return false;
    }

    /** What one (row, component) pair of an E-step costs beyond the D² product, in the search's units. */
    private static final double PER_PAIR_COST = 60;

    private final int components;
    private final CovarianceType covarianceType;
    private final Initialization initialization;
    private final GaussianMixtureModel initialModel;
    private final double regCovar;
    private final Assignment assignment;
    private final EmOptions options;
    private final MiniBatch miniBatch;
    private final GaussianPrior prior;
    private final HierarchicalClustering hierarchy;
    private final Precision precision;

    private GaussianMixture(int components, CovarianceType covarianceType, Initialization initialization,
                            GaussianMixtureModel initialModel, double regCovar, Assignment assignment,
                            EmOptions options, MiniBatch miniBatch, GaussianPrior prior,
                            HierarchicalClustering hierarchy, Precision precision) {
        this.components = components;
        this.precision = precision;
        this.covarianceType = covarianceType;
        this.initialization = initialization;
        this.initialModel = initialModel;
        this.regCovar = regCovar;
        this.assignment = assignment;
        this.options = options;
        this.miniBatch = miniBatch;
        this.prior = prior;
        this.hierarchy = hierarchy;
    }

    /**
     * Which arithmetic kernels this JVM runs the Gaussian E- and M-steps with: {@code "vector-512"} or
     * {@code "vector-256"}, the SIMD kernels at that width (512 where the JVM prefers it), when the JVM has the
     * incubating Vector API ({@code --add-modules jdk.incubator.vector}, which the {@code emkit} command passes)
     * and at least 256-bit vectors; otherwise {@code "scalar"}, portable and 2–3×
     * slower at D = 16 and 64 (BENCHMARKS.md). Both give the same results to rounding.
     *
     * @return the kernels' name
     */
    public static String kernels() {
        return BlockWorkspace.KERNELS.name();
    }

    /**
     * A configuration with {@code components} components and every other setting at its default.
     *
     * @param components K, at least 1
     * @return the configuration
     */
    public static GaussianMixture withComponents(int components) {
        if (components < 1) {
            throw new EmkitException("the number of components must be at least 1, got " + components);
        }
        return new GaussianMixture(components, CovarianceType.FULL, Initialization.KMEANS_PLUS_PLUS, null,
                DEFAULT_REG_COVAR, Assignment.SOFT, EmOptions.defaults(), null, null, null, Precision.DOUBLE);
    }

    /**
     * @param type the covariance structure
     * @return a changed copy
     */
    public GaussianMixture covarianceType(CovarianceType type) {
        return new GaussianMixture(components, Objects.requireNonNull(type, "type"), initialization, initialModel,
                regCovar, assignment, options, miniBatch, prior, hierarchy, precision);
    }

    /**
     * @param init how to choose starting parameters
     * @return a changed copy
     */
    public GaussianMixture initialization(Initialization init) {
        return new GaussianMixture(components, covarianceType, Objects.requireNonNull(init, "init"), initialModel,
                regCovar, assignment, options, miniBatch, prior, hierarchy, precision);
    }

    /**
     * Starts EM from these parameters (a warm start) instead of an initialisation; its number of
     * components and covariance type must match. With a starting model only one run is made.
     *
     * @param model the starting parameters, or {@code null} to go back to {@link #initialization}
     * @return a changed copy
     */
    public GaussianMixture initialModel(GaussianMixtureModel model) {
        return new GaussianMixture(components, covarianceType, initialization, model, regCovar, assignment, options,
                miniBatch, prior, hierarchy, precision);
    }

    /**
     * @param regCovar added to every covariance diagonal in every M-step, to keep covariances positive
     *                 definite (≥ 0; default 1e-6)
     * @return a changed copy
     */
    public GaussianMixture regCovar(double regCovar) {
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new EmkitException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        return new GaussianMixture(components, covarianceType, initialization, initialModel, regCovar, assignment,
                options, miniBatch, prior, hierarchy, precision);
    }

    /**
     * Chooses ordinary EM ({@link Assignment#SOFT}, the default) or classification EM
     * ({@link Assignment#HARD}). A hard fit's {@link EmResult#logLikelihood()} and trace are the
     * classification log-likelihood {@code Σ w_i log(π_z p(x_i | z))}, the objective CEM never lowers; the
     * ordinary mixture log-likelihood of its parameters is {@link #logLikelihood(GaussianMixtureModel, Rows)}.
     *
     * @param assignment how the E-step shares rows among components
     * @return a changed copy
     */
    public GaussianMixture assignment(Assignment assignment) {
        return new GaussianMixture(components, covarianceType, initialization, initialModel, regCovar,
                Objects.requireNonNull(assignment, "assignment"), options, miniBatch, prior, hierarchy, precision);
    }

    /**
     * Fits by MAP-EM under this prior instead of maximum likelihood: EM then maximises, and
     * {@link EmResult#objective()} reports, the log posterior; {@link EmResult#logLikelihood()} (and so BIC
     * and AIC) is the log-likelihood at the posterior mode. The prior's unset values are taken from the data
     * being fitted ({@link GaussianPrior#resolve}; for a file streamed from disk, from the rows the
     * initialisation looks at). {@code regCovar} is not used with a prior.
     *
     * @param prior the prior, e.g. {@link GaussianPrior#defaults()}, or {@code null} for maximum likelihood
     * @return a changed copy
     */
    public GaussianMixture prior(GaussianPrior prior) {
        return new GaussianMixture(components, covarianceType, initialization, initialModel, regCovar, assignment, options,
                miniBatch, prior, hierarchy, precision);
    }

    /** @return the prior of MAP-EM, or {@code null} for maximum likelihood */
    public GaussianPrior prior() {
        return prior;
    }

    /**
     * The merge tree {@link Initialization#HIERARCHICAL} cuts, computed beforehand on the same data (so that
     * fits for several K or structures share it, as {@code select} does); without one, each fit computes it.
     *
     * @param tree {@link HierarchicalClustering#of} the data to be fitted, or {@code null}
     * @return a changed copy
     */
    public GaussianMixture hierarchy(HierarchicalClustering tree) {
        return new GaussianMixture(components, covarianceType, initialization, initialModel, regCovar, assignment, options,
                miniBatch, prior, tree, precision);
    }

    /** @return the merge tree given to {@link #hierarchy(HierarchicalClustering)}, or {@code null} */
    public HierarchicalClustering hierarchy() {
        return hierarchy;
    }

    /**
     * @param options every EM option at once
     * @return a changed copy
     */
    public GaussianMixture options(EmOptions options) {
        return new GaussianMixture(components, covarianceType, initialization, initialModel, regCovar, assignment,
                Objects.requireNonNull(options, "options"), miniBatch, prior, hierarchy, precision);
    }

    /**
     * Fits by mini-batch (stepwise, online) EM instead of full EM: an M-step after every batch of rows,
     * from running statistics updated with a decreasing step size (see {@link MiniBatch} for the
     * algorithm and the schedule), for data too large to go over many times or seen once. It makes
     * {@code passes × ⌈n / B⌉} M-steps, whatever {@link #maxIterations} and {@link #tolerance} say, then
     * reads the rows once more to compute the fitted model's log-likelihood. Initialisations look at
     * {@value #STREAMING_INIT_ROWS} rows spread evenly over the data. The result does not depend on the
     * number of threads.
     *
     * @param miniBatch the batches and the schedule, or {@code null} for full EM (the default)
     * @return a changed copy
     */
    public GaussianMixture miniBatch(MiniBatch miniBatch) {
        return new GaussianMixture(components, covarianceType, initialization, initialModel, regCovar, assignment,
                options, miniBatch, prior, hierarchy, precision);
    }

    /**
     * Chooses the precision of the E-step's Mahalanobis distances: {@link Precision#DOUBLE} (the default) or
     * {@link Precision#SINGLE}, the triangular product of the full-covariance structures in float, twice the SIMD
     * lanes, with the statistics and the log-likelihood still summed in double. A fit's log-likelihood then
     * differed from double's by 1e-9 to 4e-8 relative on the data measured; an iteration on one thread was
     * 1.05–1.15× faster at (10⁶, 16, 16), in every JVM measured: the statistics, kept in double, cost as much as
     * the distances (docs/guide.md, BENCHMARKS.md). Data of fewer than five columns, where float does not pay, and
     * data that float cannot hold (a value beyond its range, a column whose spread is beyond its range or so small
     * that centred values would be subnormal floats) are fitted in double, with a warning in
     * {@link EmResult#warnings()}. Runs in this JVM (in memory, streamed from disk, mini-batch); the result does
     * not depend on the thread count.
     *
     * @param precision the precision of the distances
     * @return a changed copy
     */
    public GaussianMixture precision(Precision precision) {
        return new GaussianMixture(components, covarianceType, initialization, initialModel, regCovar, assignment,
                options, miniBatch, prior, hierarchy, Objects.requireNonNull(precision, "precision"));
    }

    /** @return the precision of the E-step's Mahalanobis distances */
    public Precision precision() {
        return precision;
    }

    /**
     * @param tolerance see {@link EmOptions#withTolerance}
     * @return a changed copy
     */
    public GaussianMixture tolerance(double tolerance) {
        return options(options.withTolerance(tolerance));
    }

    /**
     * @param maxIterations see {@link EmOptions#withMaxIterations}
     * @return a changed copy
     */
    public GaussianMixture maxIterations(int maxIterations) {
        return options(options.withMaxIterations(maxIterations));
    }

    /**
     * @param initializations see {@link EmOptions#withInitializations}
     * @return a changed copy
     */
    public GaussianMixture initializations(int initializations) {
        return options(options.withInitializations(initializations));
    }

    /**
     * @param seed see {@link EmOptions#withSeed}
     * @return a changed copy
     */
    public GaussianMixture seed(long seed) {
        return options(options.withSeed(seed));
    }

    /**
     * @param threads see {@link EmOptions#withThreads}
     * @return a changed copy
     */
    public GaussianMixture threads(int threads) {
        return options(options.withThreads(threads));
    }

    /**
     * @param listener see {@link EmOptions#withListener}
     * @return a changed copy
     */
    public GaussianMixture listener(IterationListener listener) {
        return options(options.withListener(listener));
    }

    /** @return K */
    public int components() {
        return components;
    }

    /** @return the covariance structure */
    public CovarianceType covarianceType() {
        return covarianceType;
    }

    /** @return the initialisation */
    public Initialization initialization() {
        return initialization;
    }

    /** @return the starting model of a warm start, or {@code null} when {@link #initialization()} chooses one */
    public GaussianMixtureModel initialModel() {
        return initialModel;
    }

    /** @return the regularisation added to covariance diagonals */
    public double regCovar() {
        return regCovar;
    }

    /** @return soft (ordinary EM) or hard (classification EM) */
    public Assignment assignment() {
        return assignment;
    }

    /** @return the EM options */
    public EmOptions options() {
        return options;
    }

    /** @return how mini-batch EM runs, or {@code null} for full EM */
    public MiniBatch miniBatch() {
        return miniBatch;
    }

    /**
     * How many rows, spread evenly over the data, an initialisation looks at when the data are not in
     * memory (a {@link io.emkit.data.MappedRows} file): EM itself always runs over every row.
     */
    public static final int STREAMING_INIT_ROWS = 100_000;

    /**
     * Fits the mixture to the rows of {@code data}: a {@link Dataset} in memory, or rows streamed from a
     * file larger than the heap ({@link io.emkit.data.EmkFile#map}), in which case each E-step streams
     * the file block by block and the initialisation looks at {@value #STREAMING_INIT_ROWS} rows spread
     * evenly over it. The same rows give the same result either way when the fit starts from the same
     * parameters.
     *
     * @param data rows to fit: no infinite values, at least K distinct rows; missing values ({@code NaN})
     *             are allowed (see the class comment)
     * @return the best run's model (named after the data's columns) and how the fit went
     * @throws EmkitException if the data cannot be fitted, with a message saying why and what to do
     */
    public EmResult<GaussianMixtureModel> fit(Rows data) {
        checkRoomForCovariances(data.columns());
        Dataset startData = validate(initialisationData(data));
        String doubleInstead = precision == Precision.SINGLE ? whyNotSingle(startData) : null;
        GaussianMixtureSteps steps = stepsFor(startData).sizedFor(data.rows(), components)
                .withPrecision(doubleInstead == null ? precision : Precision.DOUBLE);
        EmResult<GaussianMixtureModel> result = fitWith(steps, data, startData);
        if (prior == null && result.params().spuriousReason(regCovar) == null) {
            // The recording steps tell a collapse onto rows recorded alike that the covariances alone do not (those
            // every run reviews): the search takes such a fit only when it found no other.
            GaussianMixtureModel fitted = result.params();
            String tied = RecordingSteps.of(startData).reason(s -> fitted.spuriousReason(regCovar, s));
            result = tied == null ? result : result.withWarning(tied);
        }
        return doubleInstead == null ? result : result.withWarning(doubleInstead);
    }

    private EmResult<GaussianMixtureModel> fitWith(GaussianMixtureSteps steps, Rows data, Dataset startData) {
        SearchSpace<GaussianMixtureModel> space;
        EmOptions runOptions = options;
        if (initialModel != null) {
            GaussianMixtureModel start = initialModel.withFeatureNames(data.columnNames());
            space = SearchSpace.of("warm start", r -> start, 1);
            runOptions = options.withInitializations(1);
        } else if (initialization == Initialization.HIERARCHICAL && options.search() == null) {
            GaussianMixtureModel start = fromHierarchy(steps, startData);
            space = SearchSpace.of("hc", r -> start, 1);
            runOptions = options.withInitializations(1);
        } else {
            space = searchSpace(steps, startData, data.rows(), true, false);
        }
        if (miniBatch != null) {
            if (assignment != Assignment.SOFT || data.isWeighted()) {
                throw new EmkitException("mini-batch EM runs ordinary (soft) EM on unweighted rows; it does not"
                        + " take hard assignments or row weights");
            }
            // Mini-batch EM's batches are a stateful stream: plain runs, one unless asked for more.
            SearchSpace<GaussianMixtureModel> first = space;
            return fitStepwise(steps, data, (d, r) -> first.start(0, r),
                    runOptions.search() != null ? runOptions.withInitializations(1) : runOptions);
        }
        return ExpectationMaximization.fit(steps, data, space, runOptions);
    }

    /**
     * The fewest columns single precision runs its float arithmetic at: below, a row's triangular distance to a
     * component is at most 10 multiply-adds, the float path's conversions cost more than it saves, and the fit runs
     * in double (an AMD EPYC with AVX2, one thread per iteration: 0.80× double's speed at D = 2, 0.94× at D = 4; a
     * whole default fit of 400,000 rows at D = 2, 5.8–6.3 s against 4.2–5.3).
     */
    static final int SINGLE_MIN_COLUMNS = 5;

    /**
     * Why {@link Precision#SINGLE} cannot apply to these rows (the structure's distances are not triangular
     * products; fewer than {@link #SINGLE_MIN_COLUMNS} columns; a value or a column's spread beyond float's range; a
     * spread so small that centred values would be subnormal floats, with fewer digits), or {@code null} when it
     * can. Rows streamed from disk are checked on the initialisation's sample; a block of the rest that leaves float's
     * range is computed again in double.
     */
    private String whyNotSingle(Dataset data) {
        if (covarianceType == CovarianceType.DIAG || covarianceType == CovarianceType.SPHERICAL
                || covarianceType == CovarianceType.TIED) {
            return "single precision: the " + covarianceType.label() + " structure's distances cost D operations per"
                    + " component and are computed in double; the fit ran in double precision";
        }
        if (data.columns() < SINGLE_MIN_COLUMNS) {
            return "single precision: at " + data.columns() + " column" + (data.columns() == 1 ? "" : "s") + " a"
                    + " component's distances cost at most 10 multiply-adds a row, less than the exponentials and the"
                    + " rest that stay double, so float does not pay; the fit ran in double precision";
        }
        double[] x = data.rawValues();
        int d = data.columns();
        double[] mins = new double[d];
        double[] maxs = new double[d];
        Arrays.fill(mins, Double.POSITIVE_INFINITY);
        Arrays.fill(maxs, Double.NEGATIVE_INFINITY);
        // Row after row, in memory order: one pass over the data (NaN, a missing value, changes neither).
        for (int o = 0; o < x.length; o += d) {
            for (int j = 0; j < d; j++) {
                double v = x[o + j];
                if (v < mins[j]) {
                    mins[j] = v;
                }
                if (v > maxs[j]) {
                    maxs[j] = v;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            double min = mins[j];
            double max = maxs[j];
            if (min > max) {
                continue;
            }
            double largest = Math.max(-min, max);
            double spread = max - min;
            String why = largest > Float.MAX_VALUE ? "has values beyond float's range (|x| up to "
                    + String.format(java.util.Locale.ROOT, "%.3g", largest) + ")"
                    : spread > Float.MAX_VALUE ? "spreads beyond float's range (" + String.format(java.util.Locale.ROOT, "%.3g",
                    spread) + ")"
                    : spread > 0 && spread < SMALLEST_SINGLE_SPREAD ? "spreads over only " + String.format(java.util.Locale.ROOT,
                    "%.3g", spread) + ", where centred values would be subnormal floats"
                    : null;
            if (why != null) {
                return "single precision: column " + (j + 1) + " ('" + data.columnNames().get(j) + "') " + why
                        + "; the fit ran in double precision";
            }
        }
        return null;
    }

    /** Below this spread a column's centred values keep fewer than float's 24 bits (2⁻¹²⁶ · 2²⁴ ≈ 2e-31, rounded up). */
    private static final double SMALLEST_SINGLE_SPREAD = 1e-30;

    /** What initialisations look at: the rows in memory, or a sample of {@value #STREAMING_INIT_ROWS} spread over them. */
    private Dataset initialisationData(Rows data) {
        if (data instanceof Dataset inMemory && miniBatch == null) {
            return inMemory;
        }
        int[] bad = data.firstInfinite();
        if (bad != null) {
            throw new EmkitException("row " + (bad[0] + 1) + ", column " + (bad[1] + 1) + " ('"
                    + data.columnNames().get(bad[1]) + "'): infinite value; fitting needs finite or missing values");
        }
        return data.sample(STREAMING_INIT_ROWS, options.seed());
    }

    /**
     * The starts and moves the search of {@link #fit} takes on {@code data} (this configuration's
     * initialisation first, then k-means++, random rows as means, random responsibilities and, on data small
     * enough, hierarchical clustering; split-and-merge moves), for models built on Gaussian components that
     * search from the same starts (a Student-t mixture starts each of its runs from one of them).
     *
     * @param data the rows a fit would fit
     * @return the search space
     * @throws EmkitException if the data cannot be fitted
     */
    public SearchSpace<GaussianMixtureModel> searchSpace(Rows data) {
        Dataset startData = validate(initialisationData(data));
        return searchSpace(stepsFor(startData).sizedFor(data.rows(), components), startData, data.rows(), false, false);
    }

    /**
     * The rows every start of this configuration looks at: the data in memory (or a sample of the rows streamed
     * from disk), checked as a fit checks them, each missing cell filled with its column's observed mean. For fits
     * that make starts of their own from them (the factor analysers' on wide data).
     *
     * @param data the rows to fit
     * @return the rows to start from
     * @throws EmkitException if the data cannot be fitted
     */
    public Dataset startRows(Rows data) {
        return validate(initialisationData(data));
    }

    /**
     * Each component holds a d x d covariance (its statistics too, whatever the structure): refuses, with a
     * message, data too wide for one Java array of them or for the heap, rather than fail in the middle.
     */
    private void checkRoomForCovariances(int d) {
        long cells = (long) d * d;
        String columns = String.format(java.util.Locale.ROOT, "%,d columns", d);
        if (cells > Integer.MAX_VALUE - 8) {
            throw new EmkitException("the data have " + columns + ": a Gaussian mixture holds a d x d matrix per"
                    + " component, which allows at most 46,340 columns; choose fewer columns (--columns)");
        }
        // The covariances, their Cholesky factors and the statistics: about three such matrices per component.
        double bytes = 3.0 * (components + 1) * cells * Double.BYTES;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new EmkitException(String.format(java.util.Locale.ROOT, "the data have %s: %d components need"
                    + " about %.1f GB for their d x d matrices, more than the %.1f GB this JVM may use; choose fewer"
                    + " columns (--columns) or give Java more memory", columns, components, bytes / 1e9, heap / 1e9));
        }
    }

    /**
     * The starts the engine's search takes round-robin — the configured initialisation first, then
     * k-means++ (with Lloyd's k-means to convergence), random rows as means, random responsibilities and, on
     * data small enough for it ({@link #searchIncludesHierarchy}, or with a {@link #hierarchy} given), the
     * hierarchical clustering — and the split-and-merge moves ({@link SplitMergeMoves}).
     *
     * @param rows       the rows an E-step visits: all the data's ({@code startData} may be a sample of them), or the
     *                   sample's own where the search runs on it
     * @param concurrent whether the search may make starts at once: only where its E-steps are this class's own
     *                   (in memory, on the sample), not another engine's or a caller's
     * @param sampled    whether {@code startData} is the sample a search of many more rows explores on
     *                   ({@link SearchSpace#sample}): no tree there, whatever its size
     */
    private SearchSpace<GaussianMixtureModel> searchSpace(GaussianMixtureSteps steps, Dataset startData, long rows,
                                                          boolean concurrent, boolean sampled) {
        List<StartKind> kinds = new ArrayList<>();
        kinds.add(new StartKind(initialization, false));
        // The second k-means++ kind draws one candidate per centre: plainer seeds, more diverse starts.
        for (StartKind kind : List.of(new StartKind(Initialization.KMEANS_PLUS_PLUS, false),
                new StartKind(Initialization.RANDOM_POINTS, false), new StartKind(Initialization.KMEANS_PLUS_PLUS, true),
                new StartKind(Initialization.RANDOM, false), new StartKind(Initialization.HIERARCHICAL, false))) {
            boolean affordable = kind.init != Initialization.HIERARCHICAL || hierarchy != null
                    || !sampled && searchIncludesHierarchy(rows, startData.columns());
            if (!kinds.contains(kind) && affordable) {
                kinds.add(kind);
            }
        }
        int d = startData.columns();
        // One E-step costs about n·K·D² with a general covariance (a triangular solve per row and component),
        // n·K·D with a diagonal one, plus what every (row, component) pair costs whatever D: the exponential,
        // the log-sum-exp and the moments' bookkeeping, some 60 operations' worth (at D = 2 a default fit of
        // 400k rows made 1,200 passes over the data when only D² was counted).
        double perRow = (covarianceType.diagonal() ? d : (double) d * d) + PER_PAIR_COST;
        double cost = rows * (double) components * perRow;
        // Every start begins from the data's spread, and the hierarchical start is deterministic: each is made once
        // for the whole search.
        Supplier<GaussianMixtureModel> spread = once(() -> dataSpread(steps, startData, components));
        Supplier<GaussianMixtureModel> tree = once(() -> fromHierarchy(steps, startData, spread.get()));
        RecordingSteps recordingSteps = RecordingSteps.of(startData);
        return new SearchSpace<>() {
            @Override
            public List<String> startKinds() {
                return kinds.stream().map(StartKind::label).toList();
            }

            @Override
            public GaussianMixtureModel start(int kind, SplittableRandom random) {
                if (kinds.get(kind).init == Initialization.HIERARCHICAL) {
                    return tree.get();
                }
                return initialParameters(kinds.get(kind), steps, startData, random, spread.get());
            }

            @Override
            public boolean deterministic(int kind) {
                return kinds.get(kind).init == Initialization.HIERARCHICAL;
            }

            @Override
            public double stepCost() {
                return cost;
            }

            @Override
            public boolean concurrentStarts() {
                // Models, steps and this class's E-steps share no mutable state between runs (another engine's
                // E-steps, Spark's, may). Fewer blocks than twice the threads: one E-step leaves threads idle,
                // or splits them unevenly (5,000 rows: 4,096 and 904).
                return concurrent && rows < 2L * options.threads() * options.blockSize();
            }

            @Override
            public boolean spurious(GaussianMixtureModel fitted) {
                // With a prior the posterior is bounded: no spike outranks a proper fit there. An empty component
                // (hard assignment can empty one, and its objective may then rise) makes a fit of fewer components
                // than asked for: a proper fit of K outranks it.
                return (prior == null && recordingSteps.reason(s -> fitted.spuriousReason(regCovar, s)) != null)
                        || hasEmptyComponent(fitted);
            }

            @Override
            public List<GaussianMixtureModel> splitMerge(GaussianMixtureModel fitted, int max) {
                return SplitMergeMoves.candidates(steps, startData, fitted, max, options.threads());
            }

            @Override
            public List<GaussianMixtureModel> relocations(GaussianMixtureModel fitted, int max) {
                return SplitMergeMoves.relocations(startData, fitted, max);
            }

            @Override
            public List<GaussianMixtureModel> repairs(GaussianMixtureModel fitted, int max) {
                return samplesMislead() ? SplitMergeMoves.repairs(steps, startData,
                        rows * (startData.totalWeight() / startData.rows()), fitted, max, options.threads()) : List.of();
            }

            @Override
            public boolean samplesMislead() {
                // The loss a repair weighs is the likelihood's: not the objective under a prior, nor under hard
                // assignment (the classification likelihood); there nothing is repaired on all the rows, and the
                // sample's best runs are continued as before.
                return prior == null && assignment == Assignment.SOFT;
            }

            @Override
            public Subproblem<GaussianMixtureModel, ?> sample(EmOptions runOptions) {
                int m = SearchSpace.explorationRows(rows, covarianceType.mixtureParameters(components, d),
                        components);
                // Not with a hierarchy given: its tree numbers the rows of all the data.
                if (m == 0 || startData.rows() < m || hierarchy != null) {
                    return null;
                }
                Dataset part = startData.randomRows(m, runOptions.seed());
                GaussianMixtureSteps partSteps = stepsFor(part).sizedFor(part.rows(), components);
                return Subproblem.of(partSteps, part, searchSpace(partSteps, part, part.rows(), true, true),
                        runOptions);
            }
        };
    }

    /**
     * A kind of start in the search's portfolio: an initialisation, and for k-means++ whether its seeds are
     * plain (one candidate per centre) rather than greedy. Greedy seeds are the better single start, plain
     * ones the more diverse: on one grid case (20,000 rows, K = 12, tied) 15 greedy starts all missed the
     * optimum's basin that plain seeds found.
     */
    private record StartKind(Initialization init, boolean plainSeeds) {
        String label() {
            return plainSeeds ? "plain kmeans++" : init.label();
        }

        // Written out: a record's own equals and hashCode are linked at first use through invokedynamic
        // (java.lang.runtime.ObjectMethods), which made every fit's JVM spin some 40 method-handle classes at
        // start-up (-Xlog:class+load), with the class-file writer they need compiled by the JIT.
        @Override
        public boolean equals(Object o) {
            return o instanceof StartKind k && k.init == init && k.plainSeeds == plainSeeds;
        }

        @Override
        public int hashCode() {
            return init.hashCode() * 2 + (plainSeeds ? 1 : 0);
        }
    }

    /** Mini-batch EM: the engine's loop, with a batch per E-step ({@link StepwiseExpectation}). */
    private EmResult<GaussianMixtureModel> fitStepwise(GaussianMixtureSteps steps, Rows data,
                                                       Initializer<Rows, GaussianMixtureModel> init,
                                                       EmOptions runOptions) {
        ForkJoinPool pool = new ForkJoinPool(runOptions.threads());
        try {
            return new StepwiseExpectation(steps, data, miniBatch, regCovar, steps.needsFullMoments(),
                    runOptions.blockSize(), pool).fit(steps, data.rows(), random -> init.initialize(data, random),
                    runOptions);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * This fit with its E-steps run by another engine — Spark, for instance — through the same loop as
     * {@link #fit(Rows)}: initialisations look only at the sample the engine passes, a sample of the rows
     * in memory.
     *
     * @return the partition kernel and the loop around it
     * @throws EmkitException if {@link #miniBatch} is set (mini-batch EM reads its batches itself)
     */
    public DistributedFit<GaussianMixtureModel, GaussianStatistics> distributed() {
        if (miniBatch != null) {
            throw new EmkitException("mini-batch EM reads its batches itself: fit it with fit(Rows)");
        }
        // The partitions' E-step needs no prior (it only enters the M-step and the objective), so the kernel
        // shipped to them is the same whatever the data; the loop's steps take the prior's values from the sample.
        GaussianMixtureSteps kernel = new GaussianMixtureSteps(covarianceType, regCovar, assignment, null);
        return new DistributedFit<>(kernel, (runner, rows, sample) -> {
            Dataset startData = validate(sample);
            GaussianMixtureSteps steps = stepsFor(startData);
            // Weighted rows (a weighted sample) are counted by their total weight, as on one machine.
            double units = DistributedFit.units(rows, sample);
            if (initialModel != null) {
                GaussianMixtureModel start = initialModel.withFeatureNames(sample.columnNames());
                return ExpectationMaximization.fit(steps, runner, units, r -> start, options.withInitializations(1));
            }
            if (initialization == Initialization.HIERARCHICAL && options.search() == null) {
                GaussianMixtureModel start = fromHierarchy(steps, startData);
                return ExpectationMaximization.fit(steps, runner, units, r -> start, options.withInitializations(1));
            }
            return ExpectationMaximization.fit(steps, runner, units, searchSpace(steps, startData, rows, false, false),
                    options);
        });
    }

    /**
     * The M-step of the hierarchy's partition at K: the clustered rows each weigh fully on their cluster,
     * the others (beyond the subset clustered) not at all.
     */
    private GaussianMixtureModel fromHierarchy(GaussianMixtureSteps steps, Dataset data) {
        return fromHierarchy(steps, data, dataSpread(steps, data, components));
    }

    /** {@link #fromHierarchy(GaussianMixtureSteps, Dataset)} with the data's spread already made. */
    private GaussianMixtureModel fromHierarchy(GaussianMixtureSteps steps, Dataset data, GaussianMixtureModel spread) {
        HierarchicalClustering tree = hierarchy != null ? hierarchy : HierarchicalClustering.of(data);
        int[] rows = tree.clusteredRows();
        if (rows[rows.length - 1] >= data.rows()) {
            throw new EmkitException("the hierarchy was computed on other data (it clusters row " + (rows[rows.length - 1] + 1)
                    + "; the data have " + data.rows() + ")");
        }
        if (components > rows.length) {
            throw new EmkitException("hierarchical clustering of " + rows.length + " rows cannot give " + components
                    + " clusters");
        }
        int[] labels = tree.partition(components);
        int k = components;
        int[] labelOfRow = new int[data.rows()];
        Arrays.fill(labelOfRow, -1);
        for (int i = 0; i < rows.length; i++) {
            labelOfRow[rows[i]] = labels[i];
        }
        double[] centres = new double[k * data.columns()];
        int[] counts = new int[k];
        for (int i = 0; i < data.rows(); i++) {
            if (labelOfRow[i] >= 0) {
                counts[labelOfRow[i]]++;
                double[] x = data.row(i);
                for (int j = 0; j < x.length; j++) {
                    centres[labelOfRow[i] * x.length + j] += x[j];
                }
            }
        }
        for (int i = 0; i < centres.length; i++) {
            centres[i] /= counts[i / data.columns()];
        }
        GaussianStatistics s = steps.statisticsOf(data, k, centres, (from, to, resp) -> {
            for (int i = from; i < to; i++) {
                if (labelOfRow[i] >= 0) {
                    resp[(i - from) * k + labelOfRow[i]] = 1.0;
                }
            }
        });
        return steps.maximize(s, withMeans(spread, centres), w -> { });
    }

    /**
     * @return the E- and M-step of this configuration (covariance structure, regularisation, assignment and
     *         prior)
     * @throws IllegalArgumentException if the prior still has values to take from data: use {@link #fit}, or
     *                                  {@link GaussianPrior#resolve} it first
     */
    public GaussianMixtureSteps steps() {
        return new GaussianMixtureSteps(covarianceType, regCovar, assignment, prior);
    }

    /**
     * This configuration's prior with its unset values taken from {@code data} as {@link #fit} takes them (from
     * the rows with an observed value, missing cells filled with their column's observed mean), for models that
     * fit Gaussian components under the same prior beside something else (a noise component).
     *
     * @param data the rows a fit would fit, in memory
     * @return the resolved prior, or {@code null} for maximum likelihood
     */
    public GaussianPrior resolvedPrior(Dataset data) {
        return prior == null ? null : prior.resolve(meanFilled(data), components);
    }

    private GaussianMixtureSteps stepsFor(Dataset data) {
        return new GaussianMixtureSteps(covarianceType, regCovar, assignment,
                prior == null ? null : prior.resolve(data, components));
    }

    /**
     * The ordinary mixture log-likelihood {@code Σ w_i log p(x_i)} of {@code model} over {@code data}
     * (weighted or not, in memory or streamed), with this configuration's threads and block size; the
     * result does not depend on the thread count. A hard-assignment fit reports it beside its
     * classification log-likelihood.
     *
     * @param model a model with as many features as {@code data} has columns
     * @param data  rows; a row with missing values ({@code NaN}) adds the log density of its observed values
     * @return the total log-likelihood
     */
    public double logLikelihood(GaussianMixtureModel model, Rows data) {
        if (model.dimension() != data.columns()) {
            throw new EmkitException("the model has " + model.dimension() + " features but the data have "
                    + data.columns() + " columns");
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(options.threads());
        try {
            return ExpectationMaximization.expectation(new GaussianMixtureSteps(model.covarianceType(), regCovar),
                    data, model, options.blockSize(), pool).logLikelihood();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Checks the data and returns what initialisations start from: the data themselves when complete;
     * otherwise the rows with an observed value, their missing cells filled with the column's observed
     * mean (a rough start that EM, which uses only the observed values, then corrects).
     */
    private Dataset validate(Dataset data) {
        DataChecks.requireFittable(data, components, "component", true);
        Dataset start = meanFilled(data);
        if (start != data) {
            DataChecks.requireFittable(start, components, "component");
        }
        if (initialModel != null) {
            if (initialModel.components() != components || initialModel.dimension() != data.columns()
                    || initialModel.covarianceType() != covarianceType) {
                throw new EmkitException("the starting model has " + initialModel.components() + " components, "
                        + initialModel.dimension() + " features and " + initialModel.covarianceType()
                        + " covariances; the fit asks for " + components + ", " + data.columns() + " and "
                        + covarianceType);
            }
        }
        return start;
    }

    /** The rows with an observed value, missing cells filled with their column's observed mean; {@code data} if complete. */
    private static Dataset meanFilled(Dataset data) {
        if (data.firstMissing() == null) {
            return data;
        }
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        double[] sum = new double[d];
        int[] count = new int[d];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            boolean any = false;
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                if (!Double.isNaN(v)) {
                    sum[j] += v;
                    count[j]++;
                    any = true;
                }
            }
            kept += any ? 1 : 0;
        }
        double[] out = new double[kept * d];
        int t = 0;
        for (int i = 0; i < n; i++) {
            boolean any = false;
            for (int j = 0; j < d; j++) {
                any |= !Double.isNaN(x[i * d + j]);
            }
            if (!any) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                out[t * d + j] = Double.isNaN(v) ? sum[j] / count[j] : v;
            }
            t++;
        }
        return Dataset.wrap(out, kept, d, data.columnNames());
    }

    private GaussianMixtureModel initialParameters(StartKind start, GaussianMixtureSteps steps, Dataset data,
                                                   SplittableRandom random, GaussianMixtureModel spread) {
        int k = components;
        int d = data.columns();
        Consumer<String> ignore = w -> { };
        return switch (start.init) {
            case KMEANS_PLUS_PLUS -> {
                KMeans.Start clusters = KMeans.start(data, k, random,
                        start.plainSeeds ? 1 : KMeansSeeding.greedyCandidates(k), options.threads(),
                        options.blockSize());
                double[] centres = clusters.clusters().flatCentroids();
                int[] labels = clusters.labels();
                GaussianMixtureModel fallback = withMeans(spread, centres);
                GaussianStatistics s = steps.statisticsOf(data, k, centres, (from, to, resp) -> {
                    for (int i = from; i < to; i++) {
                        resp[(i - from) * k + labels[i]] = 1.0;
                    }
                });
                yield steps.maximize(s, fallback, ignore);
            }
            case RANDOM -> {
                GaussianStatistics s = steps.statisticsOf(data, k, spread.flatMeans(), (from, to, resp) -> {
                    for (int i = from; i < to; i++) {
                        double sum = 0;
                        for (int c = 0; c < k; c++) {
                            double u = random.nextDouble();
                            resp[(i - from) * k + c] = u;
                            sum += u;
                        }
                        for (int c = 0; c < k; c++) {
                            resp[(i - from) * k + c] /= sum;
                        }
                    }
                });
                yield steps.maximize(s, spread, ignore);
            }
            case RANDOM_POINTS -> withMeans(spread, KMeansSeeding.distinctRandomRows(data, k, random));
            case HIERARCHICAL -> fromHierarchy(steps, data, spread);
        };
    }

    /**
     * K copies of the whole data's Gaussian (mean, covariance in this structure with regCovar) and equal
     * weights: the M-step of every row weighing fully on every component.
     */
    private static GaussianMixtureModel dataSpread(GaussianMixtureSteps steps, Dataset data, int k) {
        int d = data.columns();
        double[] x = data.rawValues();
        double[] mean = new double[d];
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        double[] shift = new double[d];
        for (int j = 0; j < d; j++) {
            shift[j] = mean[j] / data.rows();
        }
        // Every component's statistics are the same: one component's, copied (they had been accumulated K times
        // over, and again for every start of a search).
        GaussianStatistics s = steps.statisticsOf(data, 1, shift, (from, to, resp) ->
                Arrays.fill(resp, 0, to - from, 1.0)).replicated(k);
        double[] weights = new double[k];
        Arrays.fill(weights, 1.0 / k);
        GaussianMixtureModel placeholder = GaussianMixtureModel.ofFlat(CovarianceType.SPHERICAL, weights, s.shift,
                unitVariances(k), d, data.columnNames());
        GaussianMixtureModel fitted = steps.maximize(s, placeholder, w -> { });
        return GaussianMixtureModel.ofFlat(fitted.covarianceType(), weights, fitted.flatMeans(),
                fitted.flatCovariances(), d, data.columnNames());
    }

    /**
     * {@code make}'s value, made by the first call and kept: a search may make its starts on several threads at
     * once, and the first to ask makes it while the others wait.
     */
    private static <T> Supplier<T> once(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    private static double[][] unitVariances(int k) {
        double[][] v = new double[k][];
        for (int c = 0; c < k; c++) {
            v[c] = new double[] {1.0};
        }
        return v;
    }

    private static GaussianMixtureModel withMeans(GaussianMixtureModel model, double[] means) {
        return GaussianMixtureModel.ofFlat(model.covarianceType(), model.weights(), means.clone(),
                model.flatCovariances(), model.dimension(), model.featureNames());
    }

    @Override
    public String toString() {
        return "GaussianMixture[components=" + components + ", covariance=" + covarianceType + ", init="
                + initialization + ", regCovar=" + regCovar + ", assignment=" + assignment
                + (prior == null ? "" : ", prior=" + prior) + ", " + options
                + (miniBatch == null ? "" : ", " + miniBatch) + "]";
    }
}
