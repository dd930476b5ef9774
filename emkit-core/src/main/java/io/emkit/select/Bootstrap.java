package io.emkit.select;

import io.emkit.EmkitException;
import io.emkit.Labelled;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Bootstrap of a fitted Gaussian mixture (as mclust's {@code MclustBootstrap}): standard errors and
 * percentile confidence intervals for the weights, means and covariance entries. Two kinds of replicate
 * ({@link Kind}):
 * <ul>
 *   <li>{@link Kind#NONPARAMETRIC} (mclust's {@code "bs"}): n rows drawn with replacement;</li>
 *   <li>{@link Kind#WEIGHTED} (mclust's {@code "wlbs"}, the weighted likelihood bootstrap of Newton and
 *       Raftery, 1994): every row kept, with a random weight {@code n·g_i / Σ g} where the {@code g_i} are
 *       independent standard exponentials, so the weights are n times a flat Dirichlet draw. Every row
 *       keeps a positive weight, so a replicate never loses a small component altogether, which is the
 *       nonparametric bootstrap's weak point with small clusters.</li>
 * </ul>
 * On data that already carry row weights, a replicate multiplies them (weighted) or draws rows with
 * probability proportional to them (nonparametric, each drawn row then weighing {@code Σw / n}).
 *
 * <p>Each replicate refits the mixture with the fit's
 * settings (structure, prior, tolerance, iterations), <em>warm-started from the fitted model</em>: EM then
 * climbs from the original estimate, so component c of a replicate is the same component as in the fit and
 * no relabelling is needed (label switching would otherwise blur the intervals). A replicate whose fit
 * fails is counted and left out.
 *
 * <p><b>Determinism.</b> The seed is split once per replicate, in order; replicates run in parallel on
 * {@code threads} workers, each fit on one thread, so the result does not depend on the number of threads.
 *
 */
public final class Bootstrap {
    /** How a replicate perturbs the data. */
    public enum Kind implements Labelled {
        /** Rows drawn with replacement (mclust's {@code "bs"}). */
        NONPARAMETRIC,
        /** Every row with a flat-Dirichlet weight (mclust's {@code "wlbs"}). */
        WEIGHTED;

        /**
         * @param name {@code nonparametric} or {@code weighted} (any case)
         * @return the kind
         * @throws EmkitException for any other name
         */
        public static Kind parse(String name) {
            return Labelled.parse(Kind.class, name, "bootstrap kind");
        }
    }

    private final int replicates;
    private final double level;
    private final long seed;
    private final int threads;
    private final Kind kind;

    private Bootstrap(int replicates, double level, long seed, int threads, Kind kind) {
        this.replicates = replicates;
        this.level = level;
        this.seed = seed;
        this.threads = threads;
        this.kind = kind;
    }

    /**
     * @param replicates B, at least 2
     * @return a bootstrap with 95% intervals, seed 0 and all cores
     */
    public static Bootstrap of(int replicates) {
        if (replicates < 2) {
            throw new EmkitException("the bootstrap needs at least 2 replicates, got " + replicates);
        }
        return new Bootstrap(replicates, 0.95, 0L, Runtime.getRuntime().availableProcessors(), Kind.NONPARAMETRIC);
    }

    /**
     * @param level the confidence intervals' coverage, strictly between 0 and 1 (default 0.95)
     * @return a changed copy
     */
    public Bootstrap level(double level) {
        if (!(level > 0 && level < 1)) {
            throw new EmkitException("the confidence level must be strictly between 0 and 1, got " + level);
        }
        return new Bootstrap(replicates, level, seed, threads, kind);
    }

    /**
     * @param seed decides the resampling
     * @return a changed copy
     */
    public Bootstrap seed(long seed) {
        return new Bootstrap(replicates, level, seed, threads, kind);
    }

    /**
     * @param threads replicates fitted at once (the result does not depend on it)
     * @return a changed copy
     */
    public Bootstrap threads(int threads) {
        if (threads < 1) {
            throw new EmkitException("threads must be >= 1, got " + threads);
        }
        return new Bootstrap(replicates, level, seed, threads, kind);
    }

    /**
     * @param kind how replicates perturb the data (default {@link Kind#NONPARAMETRIC})
     * @return a changed copy
     */
    public Bootstrap kind(Kind kind) {
        return new Bootstrap(replicates, level, seed, threads, Objects.requireNonNull(kind, "kind"));
    }

    /** @return how replicates perturb the data */
    public Kind kind() {
        return kind;
    }

    /**
     * Perturbs {@code data} B times (see {@link Kind}) and refits each replicate from {@code fitted}. and refits each resample from {@code fitted}.
     *
     * @param config the fit's settings (its starting model, initialisation and thread count are replaced)
     * @param data   the data the model was fitted to
     * @param fitted the fitted model
     * @return standard errors and intervals per parameter
     * @throws EmkitException if every replicate failed
     */
    public BootstrapResult run(GaussianMixture config, Dataset data, GaussianMixtureModel fitted) {
        Objects.requireNonNull(fitted, "fitted");
        GaussianMixture refit = config.initialModel(fitted).threads(1);
        SplittableRandom root = new SplittableRandom(seed);
        List<SplittableRandom> streams = new ArrayList<>(replicates);
        for (int b = 0; b < replicates; b++) {
            streams.add(root.split());
        }
        ExecutorService pool = Workers.pool(Math.min(threads, replicates), "emkit-bootstrap");
        List<GaussianMixtureModel> fits = new ArrayList<>();
        int failed = 0;
        String firstFailure = null;
        try {
            List<Future<GaussianMixtureModel>> futures = new ArrayList<>();
            for (SplittableRandom stream : streams) {
                futures.add(pool.submit(() -> refit.fit(replicate(data, stream)).params()));
            }
            for (Future<GaussianMixtureModel> f : futures) {
                try {
                    fits.add(f.get());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof EmkitException)) {
                        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = e.getCause().getMessage();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmkitException("bootstrap interrupted");
        } finally {
            pool.shutdownNow();
        }
        if (fits.size() < 2) {
            throw new EmkitException("the bootstrap failed: " + failed + " of " + replicates + " refits failed; the first: "
                    + firstFailure);
        }
        return summarise(fitted, fits, failed);
    }

    /** One replicate of the data, of this bootstrap's kind. */
    Dataset replicate(Dataset data, SplittableRandom random) {
        return kind == Kind.WEIGHTED ? reweight(data, random) : resample(data, random);
    }

    /**
     * n rows drawn with replacement, each with probability proportional to its weight when the data carry
     * weights (the drawn rows then weigh {@code Σw / n} each, so the total weight is kept).
     */
    static Dataset resample(Dataset data, SplittableRandom random) {
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        double[] cumulative = null;
        if (w != null) {
            cumulative = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += w[i];
                cumulative[i] = total;
            }
        }
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            int row = cumulative == null ? random.nextInt(n) : drawByWeight(cumulative, random);
            System.arraycopy(x, row * d, out, i * d, d);
        }
        Dataset drawn = Dataset.wrap(out, n, d, data.columnNames());
        if (w == null) {
            return drawn;
        }
        double[] each = new double[n];
        Arrays.fill(each, cumulative[n - 1] / n);
        return drawn.withWeights(each);
    }

    /** The row whose cumulative-weight interval holds a uniform draw; rows of weight 0 are never drawn. */
    private static int drawByWeight(double[] cumulative, SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        // The first row whose cumulative weight exceeds u.
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Every row, its weight multiplied by n times a flat Dirichlet draw (exponentials over their sum). */
    static Dataset reweight(Dataset data, SplittableRandom random) {
        int n = data.rows();
        double[] g = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            // 1 − u lies in (0, 1]: the logarithm is finite.
            g[i] = -Math.log(1.0 - random.nextDouble());
            sum += g[i];
        }
        double[] w = data.rawWeights();
        for (int i = 0; i < n; i++) {
            g[i] = n * g[i] / sum * (w == null ? 1.0 : w[i]);
        }
        return data.withWeights(g);
    }

    private BootstrapResult summarise(GaussianMixtureModel fitted, List<GaussianMixtureModel> fits, int failed) {
        int k = fitted.components();
        int d = fitted.dimension();
        List<String> names = fitted.featureNames();
        List<BootstrapResult.Parameter> out = new ArrayList<>();
        double[] values = new double[fits.size()];
        for (int c = 0; c < k; c++) {
            for (int b = 0; b < values.length; b++) {
                values[b] = fits.get(b).weights()[c];
            }
            out.add(parameter("weight", c, fitted.weights()[c], values));
            for (int j = 0; j < d; j++) {
                for (int b = 0; b < values.length; b++) {
                    values[b] = fits.get(b).mean(c)[j];
                }
                out.add(parameter("mean " + names.get(j), c, fitted.mean(c)[j], values));
            }
            double[][] cov = fitted.covariance(c);
            for (int a = 0; a < d; a++) {
                for (int j = a; j < d; j++) {
                    for (int b = 0; b < values.length; b++) {
                        values[b] = fits.get(b).covariance(c)[a][j];
                    }
                    String name = a == j ? "variance " + names.get(a) : "covariance " + names.get(a) + "," + names.get(j);
                    out.add(parameter(name, c, cov[a][j], values));
                }
            }
        }
        return new BootstrapResult(kind, fits.size(), failed, level, List.copyOf(out));
    }

    private BootstrapResult.Parameter parameter(String name, int component, double estimate, double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double alpha = (1 - level) / 2;
        return new BootstrapResult.Parameter(name, component, estimate, Math.sqrt(ss / (values.length - 1)),
                quantile(sorted, alpha), quantile(sorted, 1 - alpha));
    }

    /** The {@code p}-quantile of sorted values, linear between order statistics (R's type 7). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
