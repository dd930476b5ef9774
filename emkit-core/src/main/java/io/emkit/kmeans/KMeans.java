package io.emkit.kmeans;

import io.emkit.em.DistributedFit;
import io.emkit.init.KMeansSeeding;
import io.emkit.mixture.DataChecks;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.IterationListener;
import io.emkit.em.SearchSpace;

import io.emkit.em.ExpectationRunner;
import io.emkit.em.MiniBatch;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fits k-means by Lloyd's algorithm, run as hard EM on the same engine as the Gaussian mixtures: the
 * configuration of a fit, immutable, with a method per setting and {@link #fit(Dataset)} to run it.
 *
 * <pre>{@code
 * EmResult<KMeansModel> fit = KMeans.withClusters(3).initializations(10).seed(42).fit(data);
 * double inertia = -fit.logLikelihood();
 * int[] labels = fit.params().predict(data);
 * }</pre>
 *
 * <p><b>The algorithm.</b> Each run starts from k-means++ seeding (Arthur and Vassilvitskii, 2007) and
 * alternates an E-step (every row to its nearest centroid; ties to the lower index) and an M-step (every
 * centroid to the mean of its rows) until the inertia (sum of squared distances of the rows to their
 * centroids) stops falling. The run with the lowest final inertia wins. See {@link KMeansSteps}-style
 * details in the user guide: a cluster that loses all its rows is re-seeded on the row farthest from its
 * centroid, with a warning.
 *
 * <p><b>Defaults.</b> The default search over starts (as for every model, {@link EmOptions#search()}; a number
 * of initialisations replaces it), at most {@value #DEFAULT_MAX_ITERATIONS} iterations, tolerance
 * {@value #DEFAULT_TOLERANCE} on the <em>relative</em> change of the inertia between two iterations
 * (0 runs exactly the maximum number of iterations; a run always stops when no row changes cluster,
 * since the change is then exactly 0), seed 0, all cores. The result does not depend on the number of
 * threads, bit for bit.
 *
 * <p><b>The result.</b> In the {@link EmResult}, the objective and {@link EmResult#logLikelihood()} are
 * <em>minus the inertia</em>, so "EM never lowers the objective" reads "the inertia never rises", and
 * {@link EmResult#trace()} holds minus the inertia after each iteration. k-means is not a likelihood
 * model: {@link EmResult#bic()} and {@link EmResult#aic()} are computed from −inertia by their formulas
 * but mean nothing, and {@link EmResult#meanLogLikelihood()} is minus the inertia per row.
 *
 * <p><b>Speed.</b> Each iteration is Lloyd's, but by default ({@link KMeansAlgorithm#AUTO}) computed by
 * Hamerly's or Elkan's algorithm (Yinyang's on request), which skip the distances the triangle inequality
 * proves useless and give the same centroids, bit for bit; {@link #algorithm} chooses. {@link #miniBatch} trades exactness for
 * fewer passes over the data.
 *
 * <p>References: Lloyd (1982), <i>Least squares quantization in PCM</i>; Arthur and Vassilvitskii (2007),
 * <i>k-means++: the advantages of careful seeding</i>; Elkan (2003); Hamerly (2010); Ding et al. (2015);
 * Sculley (2010).
 */
public final class KMeans {
    /** The default most iterations per initialisation. */
    public static final int DEFAULT_MAX_ITERATIONS = 300;
    /**
     * The default tolerance on the relative change of the inertia: 1e-6, so that a default run ends where Lloyd's
     * iterations have (nearly) nothing left to give. Lloyd's algorithm crawls on overlapping clusters: on 200,000
     * rows of 64 such clusters in 16 dimensions (the whole-job benchmark's case) a tolerance of 1e-4 stopped the
     * final run after 13 iterations, still lowering the inertia by 9e-5 of itself per iteration and 0.22% above
     * scikit-learn's default fit; at 1e-6 it ran 173 and ended 0.03% below scikit-learn's.
     */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private final int clusters;
    private final KMeansModel initialModel;
    private final EmOptions options;
    private final KMeansAlgorithm algorithm;
    private final MiniBatch miniBatch;
    private final LongAdder distanceCounter;

    private KMeans(int clusters, KMeansModel initialModel, EmOptions options, KMeansAlgorithm algorithm,
                   MiniBatch miniBatch, LongAdder distanceCounter) {
        this.clusters = clusters;
        this.initialModel = initialModel;
        this.options = options;
        this.algorithm = algorithm;
        this.miniBatch = miniBatch;
        this.distanceCounter = distanceCounter;
    }

    /**
     * A configuration with {@code clusters} clusters and every other setting at its default.
     *
     * @param clusters K, at least 1
     * @return the configuration
     * @throws EmkitException if {@code clusters} is below 1
     */
    public static KMeans withClusters(int clusters) {
        if (clusters < 1) {
            throw new EmkitException("the number of clusters must be at least 1, got " + clusters);
        }
        return new KMeans(clusters, null, EmOptions.defaults().withMaxIterations(DEFAULT_MAX_ITERATIONS)
                .withTolerance(DEFAULT_TOLERANCE), KMeansAlgorithm.AUTO, null, null);
    }

    /**
     * Starts from these centroids instead of k-means++ seeding; only one run is then made.
     *
     * @param model the starting centroids (K of them, D features), or {@code null} for k-means++ seeding
     * @return a changed copy
     */
    public KMeans initialModel(KMeansModel model) {
        return new KMeans(clusters, model, options, algorithm, miniBatch, distanceCounter);
    }

    /**
     * @param options every EM option at once (note that {@link EmOptions#defaults()} has other defaults
     *                for the tolerance and the iteration limit than k-means)
     * @return a changed copy
     */
    public KMeans options(EmOptions options) {
        return new KMeans(clusters, initialModel, Objects.requireNonNull(options, "options"), algorithm, miniBatch,
                distanceCounter);
    }

    /**
     * @param algorithm how each iteration finds the nearest centroids: every choice gives the same result,
     *                  only the time differs ({@link KMeansAlgorithm}); the default is
     *                  {@link KMeansAlgorithm#AUTO}
     * @return a changed copy
     */
    public KMeans algorithm(KMeansAlgorithm algorithm) {
        return new KMeans(clusters, initialModel, options, Objects.requireNonNull(algorithm, "algorithm"),
                miniBatch, distanceCounter);
    }

    /**
     * Fits by mini-batch k-means (Sculley 2010, <i>Web-scale k-means clustering</i>) instead of full
     * iterations, for data too big to pass over many times: the rows are cut into batches of the schedule's
     * size (in the rows' order, or shuffled from the seed every pass); each batch's rows are assigned to
     * their nearest centroids, and every centroid becomes the mean of all the rows assigned to it so far
     * (Sculley's per-centre step size 1/count); a centroid no row has reached keeps its start. One more pass
     * over all the rows measures the inertia reported. The schedule's step exponent is not used. Runs one
     * start (more with {@link #initializations}), no search; no row weights. Deterministic for a seed, for
     * any number of threads.
     *
     * @param miniBatch the batch size, passes and order, or {@code null} for full iterations (the default)
     * @return a changed copy
     */
    public KMeans miniBatch(MiniBatch miniBatch) {
        return new KMeans(clusters, initialModel, options, algorithm, miniBatch, distanceCounter);
    }

    /**
     * Counts the row-to-centroid and centroid-to-centroid distances the fit computes, for measurements.
     *
     * @param counter receives the counts, or {@code null} for none (the default)
     * @return a changed copy
     */
    public KMeans distanceCounter(LongAdder counter) {
        return new KMeans(clusters, initialModel, options, algorithm, miniBatch, counter);
    }

    /**
     * @param tolerance converge when the inertia changes by less than this fraction of itself between two
     *                  iterations (≥ 0; 0 runs exactly {@link #maxIterations} iterations)
     * @return a changed copy
     */
    public KMeans tolerance(double tolerance) {
        return options(options.withTolerance(tolerance));
    }

    /**
     * @param maxIterations the most M-steps per initialisation
     * @return a changed copy
     */
    public KMeans maxIterations(int maxIterations) {
        return options(options.withMaxIterations(maxIterations));
    }

    /**
     * @param initializations how many k-means++ starts to run; the lowest final inertia wins
     * @return a changed copy
     */
    public KMeans initializations(int initializations) {
        return options(options.withInitializations(initializations));
    }

    /**
     * @param seed see {@link EmOptions#withSeed}
     * @return a changed copy
     */
    public KMeans seed(long seed) {
        return options(options.withSeed(seed));
    }

    /**
     * @param threads see {@link EmOptions#withThreads}
     * @return a changed copy
     */
    public KMeans threads(int threads) {
        return options(options.withThreads(threads));
    }

    /**
     * @param listener told of every iteration; its objective is minus the inertia
     * @return a changed copy
     */
    public KMeans listener(IterationListener listener) {
        return options(options.withListener(listener));
    }

    /** @return K */
    public int clusters() {
        return clusters;
    }

    /** @return the starting centroids, or {@code null} for k-means++ seeding */
    public KMeansModel initialModel() {
        return initialModel;
    }

    /** @return the EM options */
    public EmOptions options() {
        return options;
    }

    /** @return how the nearest centroids are found */
    public KMeansAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the mini-batch schedule, or {@code null} for full iterations */
    public MiniBatch miniBatch() {
        return miniBatch;
    }

    /**
     * Fits k-means to the rows of {@code data}.
     *
     * @param data rows to fit: no missing or infinite values, at least K distinct rows
     * @return the best run's centroids (named after the data's columns) and how the fit went; its
     *         log-likelihood is minus the inertia
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<KMeansModel> fit(Dataset data) {
        requireFittable(data, data.rows());
        EmOptions runOptions = initialModel != null ? options.withInitializations(1) : options;
        SearchSpace<KMeansModel> space = space(data, data.rows());
        if (miniBatch != null) {
            if (data.isWeighted()) {
                throw new EmkitException("mini-batch k-means does not take row weights");
            }
            return MiniBatchKMeans.fit(data, space, miniBatch, runOptions.search() != null
                    ? runOptions.withInitializations(1) : runOptions, distanceCounter);
        }
        return iterate(data, space, runOptions);
    }

    /**
     * The iterations alone, from {@code start}: one run, none of {@link #fit}'s checks, no search, no
     * mini-batches, with this configuration's options and algorithm — for a caller that has checked the
     * data itself (a mixture's k-means++ start has its own, {@link #start}).
     *
     * @param data  the rows, already checked
     * @param start the starting centroids, with {@code data}'s number of columns
     * @return the run's centroids and how the run went
     * @throws EmkitException if the run fails
     */
    public EmResult<KMeansModel> refine(Dataset data, KMeansModel start) {
        return iterate(data, SearchSpace.of("start", random -> start, 1), options.withInitializations(1));
    }

    /** The most iterations of the k-means a mixture's k-means++ start takes ({@link #start}). */
    public static final int START_ITERATIONS = 300;

    /** The k-means of {@link #start} from its seeds: one run, its scans on the portable loop. */
    private static KMeansModel refinedSeeds(Dataset data, double[] seeds, int threads, int blockSize) {
        int k = seeds.length / data.columns();
        KMeansModel start = KMeansModel.ofFlat(seeds, k, data.columns(), data.columnNames());
        EmOptions lloyd = EmOptions.defaults().withInitializations(1).withMaxIterations(START_ITERATIONS)
                .withTolerance(DEFAULT_TOLERANCE).withThreads(threads).withBlockSize(blockSize);
        return withClusters(k).options(lloyd).iterate(data, SearchSpace.of("start", random -> start, 1), lloyd,
                false).params();
    }

    /**
     * The clusters of a mixture's k-means++ start: k-means++ centres ({@code candidates} drawn per centre,
     * {@link KMeansSeeding#seed}), then Lloyd's centroids (by Hamerly's or Elkan's algorithm, the same bits) until
     * the inertia changes by less than {@link #DEFAULT_TOLERANCE} of itself, at most {@link #START_ITERATIONS}
     * iterations, as scikit-learn's start (which stops at its own tolerance), and each row's nearest centroid;
     * warnings (emptied clusters, re-seeded) are not the mixture's concern. Not to the fixed point: on overlapping
     * clusters Lloyd's last iterations move a few rows each (20,000 rows, K = 12: 36 to 42 iterations to the fixed
     * point against 31 to 36 to 1e-6), and EM's first step moves the means further than they do; measured on the
     * search grid's 104 cases (in one JVM): the same optima (one differed by 2e-6 nats) in 21.0 s of fits against
     * 22.5; at 1e-4, one case ended 51 nats short.
     *
     * <p>Every distance is measured on the portable loop, whatever the sizes: a start's k-means is a small part of a
     * mixture's fit, over before the Vector API's compilation pays for itself, and the distances, centroids and
     * labels are the same bit for bit either way ({@link io.emkit.kernels.CentroidTable}). Measured on the project's
     * 2-core AVX-512 machine, the default Gaussian fit of 100k × 16 with K = 16 as a process, the same answer:
     * 4.60–4.80 s against 4.86–5.22 with SIMD lanes from K = 16 on (five runs each).
     *
     * @param data       the rows, already checked (at least {@code k} distinct ones)
     * @param k          K
     * @param random     the stream that draws the seeds
     * @param candidates rows drawn per centre, at least 1 ({@link KMeansSeeding#greedyCandidates} for greedy seeds)
     * @param threads    threads of the assignment steps (the result does not depend on them)
     * @param blockSize  rows per block
     * @return the centroids and each row's cluster
     */
    public static Start start(Dataset data, int k, SplittableRandom random, int candidates, int threads,
                              int blockSize) {
        double[] seeds = KMeansSeeding.seed(data, k, random, candidates, false, threads);
        KMeansModel clusters = refinedSeeds(data, seeds, threads, blockSize);
        return new Start(clusters, clusters.labels(data, false));
    }

    /**
     * A mixture's k-means start ({@link #start}).
     *
     * @param clusters the refined centroids
     * @param labels   each row's cluster, from 0
     */
    public record Start(KMeansModel clusters, int[] labels) {
    }

    /** The engine's loop over E-steps made by the chosen algorithm, on a pool of the options' threads. */
    private EmResult<KMeansModel> iterate(Dataset data, SearchSpace<KMeansModel> space, EmOptions runOptions) {
        return iterate(data, space, runOptions, true);
    }

    private EmResult<KMeansModel> iterate(Dataset data, SearchSpace<KMeansModel> space, EmOptions runOptions,
                                          boolean simdAllowed) {
        ForkJoinPool pool = new ForkJoinPool(runOptions.threads());
        try {
            return ExpectationMaximization.fit(KMeansSteps.INSTANCE, runner(data, runOptions, pool, simdAllowed),
                    KMeansSteps.INSTANCE.normalizer(data), space, runOptions);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One assignment step over {@code data} by the chosen algorithm (Lloyd's, Hamerly's, Elkan's or Yinyang's) on {@code pool}. */
    private ExpectationRunner<KMeansModel, KMeansStatistics> runner(Dataset data, EmOptions runOptions,
                                                                   ForkJoinPool pool, boolean simdAllowed) {
        KMeansAlgorithm chosen = algorithm.resolve(data.rows(), clusters, data.columns(), simdAllowed);
        if (chosen == KMeansAlgorithm.LLOYD) {
            // Lloyd's scans take SIMD lanes by the sizes alone: a start (simdAllowed false) resolves to Lloyd's only
            // with one cluster, which never takes them.
            long perStep = (long) data.rows() * clusters;
            return params -> {
                if (distanceCounter != null) {
                    distanceCounter.add(perStep);
                }
                return ExpectationMaximization.expectation(KMeansSteps.INSTANCE, data, params, runOptions.blockSize(),
                        pool);
            };
        }
        return new BoundedAssignment(chosen, data.rows(), clusters, data.columns(), distanceCounter, simdAllowed)
                .runner(data, runOptions.blockSize(), pool);
    }

    /**
     * This fit with its E-steps run by another engine — Spark, for instance — through the same loop as
     * {@link #fit(Dataset)}: k-means++ seeding looks only at the sample the engine passes, a sample of the
     * rows in memory (whose values are also the only ones checked for overflow).
     *
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<KMeansModel, ?> distributed() {
        return new DistributedFit<>(KMeansSteps.INSTANCE, (runner, rows, sample) -> {
            requireFittable(sample, rows);
            EmOptions runOptions = initialModel != null ? options.withInitializations(1) : options;
            // Weighted rows count by their total weight, as fit(Dataset) counts them.
            return ExpectationMaximization.fit(KMeansSteps.INSTANCE, runner, DistributedFit.units(rows, sample),
                    space(sample, rows), runOptions);
        });
    }

    private void requireFittable(Dataset data, long rows) {
        DataChecks.requireFittable(data, clusters, "cluster");
        requireNoOverflow(data, rows);
        if (initialModel != null && (initialModel.components() != clusters || initialModel.dimension() != data.columns())) {
            throw new EmkitException("the starting model has " + initialModel.components() + " clusters and "
                    + initialModel.dimension() + " features; the fit asks for " + clusters + " and "
                    + data.columns());
        }
    }

    /**
     * The search's starts — greedy k-means++ seeding, K distinct random rows, plain k-means++ — and its split/merge moves
     * ({@link KMeansMoves}); an E-step costs about n·K·D.
     */
    private SearchSpace<KMeansModel> space(Dataset data, long rows) {
        if (initialModel != null) {
            KMeansModel given = initialModel.withFeatureNames(data.columnNames());
            return SearchSpace.of("warm start", r -> given, 1);
        }
        double cost = (double) rows * clusters * Math.max(data.columns(), 1);
        return new SearchSpace<>() {
            @Override
            public List<String> startKinds() {
                return List.of("kmeans++", "random-points", "plain kmeans++");
            }

            @Override
            public KMeansModel start(int kind, SplittableRandom random) {
                // Greedy k-means++ is the better single start, plain k-means++ (one candidate per centre)
                // the more diverse one, random rows the most.
                double[] centres = switch (kind) {
                    case 0 -> KMeansSeeding.seed(data, clusters, random, KMeansSeeding.greedyCandidates(clusters),
                            true, options.threads());
                    case 1 -> KMeansSeeding.distinctRandomRows(data, clusters, random);
                    default -> KMeansSeeding.seed(data, clusters, random, 1);
                };
                return KMeansModel.ofFlat(centres, clusters, data.columns(), data.columnNames());
            }

            @Override
            public double stepCost() {
                return cost;
            }

            @Override
            public List<KMeansModel> splitMerge(KMeansModel fitted, int max) {
                return KMeansMoves.candidates(data, fitted, max);
            }

            @Override
            public Subproblem<KMeansModel, ?> sample(EmOptions runOptions) {
                int m = SearchSpace.explorationRows(rows, (long) clusters * data.columns(), clusters);
                if (m == 0 || data.rows() < m) {
                    return null;
                }
                Dataset part = data.randomRows(m, runOptions.seed());
                ForkJoinPool pool = new ForkJoinPool(runOptions.threads());
                return new Subproblem<>(KMeansSteps.INSTANCE, runner(part, runOptions, pool, true),
                        KMeansSteps.INSTANCE.normalizer(part), part.rows(), space(part, part.rows()), pool);
            }
        };
    }

    /** Squared distances between rows must stay finite, or the inertia would be infinite. */
    private static void requireNoOverflow(Dataset data, long rows) {
        double limit = Math.sqrt(Double.MAX_VALUE / (4.0 * data.columns() * Math.max(rows, data.totalWeight())));
        double[] x = data.rawValues();
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > limit) {
                int c = i % data.columns();
                throw new EmkitException("row " + (i / data.columns() + 1) + ", column " + (c + 1) + " ('"
                        + data.columnNames().get(c) + "'): " + x[i] + " is too large for k-means: squared distances"
                        + " would overflow; scale the data");
            }
        }
    }

    @Override
    public String toString() {
        return "KMeans[clusters=" + clusters + ", algorithm=" + algorithm + (miniBatch == null ? "" : ", " + miniBatch)
                + ", " + options + "]";
    }
}
