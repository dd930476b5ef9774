package io.emkit.factor;

import io.emkit.data.Dataset;
import io.emkit.em.SearchSpace;
import io.emkit.init.KMeansSeeding;
import io.emkit.kmeans.KMeans;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The starts of a mixture of factor analysers on wide data, made without any {@code D × D} matrix: the Gaussian
 * starts ({@link FactorStarts}) each build a full covariance per component, an {@code n·K·D²} M-step and a
 * {@code D³} decomposition, which at a thousand columns costs more than the whole fit they start. Here every start
 * is a partition of the rows — k-means++ seeds refined by k-means (greedy and plain seeds, as the Gaussian search
 * has them), random responsibilities, or random rows as means each with the whole data's spread — and each
 * component becomes the probabilistic PCA of its rows (Tipping and Bishop 1999), the formulas of
 * {@link FactorStarts}, with the top Q eigenpairs of the component's weighted scatter found by subspace iteration
 * over the rows ({@value #OVERSAMPLE} extra directions, {@value #ITERATIONS} products, then Rayleigh–Ritz): about
 * {@code 2·n·D·(Q + }{@value #OVERSAMPLE}{@code )} operations per product for a partition, memory O(K·D·Q).
 *
 * <p>The rows are cut into chunks of a fixed size whose partial products are added in chunk order, so a start does
 * not depend on the number of threads.
 */
final class WideStarts implements SearchSpace<FactorAnalyserMixtureModel> {
    /** Data with more columns than this start from partitions; narrower data from the Gaussian starts. */
    static final int WIDE_COLUMNS = 100;
    /** Directions beyond Q carried by the subspace iteration, for the gap between the Q-th eigenvalue and the next. */
    static final int OVERSAMPLE = 5;
    /** Products with the scatter before the Rayleigh–Ritz step. */
    static final int ITERATIONS = 8;
    private static final int CHUNK_ROWS = 2048;
    private static final List<String> KINDS = List.of("kmeans++", "random rows", "plain kmeans++", "random");

    private final Dataset rows;
    private final int k;
    private final int q;
    private final double regCovar;
    private final int threads;
    private final int blockSize;
    private final double stepCost;
    private FactorAnalyserMixtureModel spread;

    /**
     * @param rows      the rows to start from, complete (missing cells filled), checked
     * @param k         components
     * @param q         factors per component
     * @param regCovar  added to every variance, as the Gaussian starts add it
     * @param threads   threads for the products
     * @param blockSize rows per block of the k-means steps
     * @param stepCost  what one E-step of the fit costs, for the search's budget
     */
    WideStarts(Dataset rows, int k, int q, double regCovar, int threads, int blockSize, double stepCost) {
        this.rows = rows;
        this.k = k;
        this.q = q;
        this.regCovar = regCovar;
        this.threads = threads;
        this.blockSize = blockSize;
        this.stepCost = stepCost;
    }

    @Override
    public List<String> startKinds() {
        return KINDS;
    }

    @Override
    public FactorAnalyserMixtureModel start(int kind, SplittableRandom random) {
        int n = rows.rows();
        return switch (kind) {
            case 0, 2 -> {
                int[] labels = KMeans.start(rows, k, random, kind == 2 ? 1 : KMeansSeeding.greedyCandidates(k), threads,
                        blockSize).labels();
                double[] resp = new double[n * k];
                for (int i = 0; i < n; i++) {
                    resp[i * k + labels[i]] = 1.0;
                }
                yield fromResponsibilities(resp, k, random);
            }
            case 1 -> withMeans(KMeansSeeding.distinctRandomRows(rows, k, random));
            case 3 -> {
                double[] resp = new double[n * k];
                for (int i = 0; i < n; i++) {
                    double sum = 0;
                    for (int c = 0; c < k; c++) {
                        double u = random.nextDouble();
                        resp[i * k + c] = u;
                        sum += u;
                    }
                    for (int c = 0; c < k; c++) {
                        resp[i * k + c] /= sum;
                    }
                }
                yield fromResponsibilities(resp, k, random);
            }
            default -> throw new IllegalArgumentException("no start kind " + kind);
        };
    }

    @Override
    public boolean deterministic(int kind) {
        return false;
    }

    @Override
    public double stepCost() {
        return stepCost;
    }

    /** K components at the given means, each with the factor structure of the whole data, equal weights. */
    private FactorAnalyserMixtureModel withMeans(double[] means) {
        if (spread == null) {
            // Its own stream: the whole data's structure does not depend on which start asked for it first.
            spread = fromResponsibilities(filled(rows.rows(), 1.0), 1, new SplittableRandom(rows.rows()));
        }
        int d = rows.columns();
        double[] weights = new double[k];
        Arrays.fill(weights, 1.0 / k);
        double[][] m = new double[k][];
        double[][][] loadings = new double[k][][];
        double[][] uniquenesses = new double[k][];
        for (int c = 0; c < k; c++) {
            m[c] = Arrays.copyOfRange(means, c * d, (c + 1) * d);
            loadings[c] = spread.loadings(0);
            uniquenesses[c] = spread.uniquenesses(0);
        }
        return new FactorAnalyserMixtureModel(weights, m, loadings, uniquenesses, rows.columnNames());
    }

    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }

    /**
     * The PPCA of every component's rows weighted by {@code resp} (n × components, by rows) and the rows' weights.
     */
    FactorAnalyserMixtureModel fromResponsibilities(double[] resp, int components, SplittableRandom random) {
        int n = rows.rows();
        int d = rows.columns();
        int m = Math.min(d, q + OVERSAMPLE);
        double[] x = rows.rawValues();
        double[] w = rows.rawWeights();
        double[] mass = new double[components];
        double[] means = new double[components * d];
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 : w[i];
            for (int c = 0; c < components; c++) {
                double r = resp[i * components + c] * wi;
                if (r != 0.0) {
                    mass[c] += r;
                    for (int j = 0; j < d; j++) {
                        means[c * d + j] += r * x[i * d + j];
                    }
                }
            }
        }
        double total = Arrays.stream(mass).sum();
        for (int c = 0; c < components; c++) {
            if (!(mass[c] > 0)) {
                // An empty component (k-means re-seeds emptied clusters, so a rare case): the whole data's PPCA.
                return withMeans(KMeansSeeding.distinctRandomRows(rows, components, random));
            }
            for (int j = 0; j < d; j++) {
                means[c * d + j] /= mass[c];
            }
        }
        double[] variances = new double[components * d];
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 : w[i];
            for (int c = 0; c < components; c++) {
                double r = resp[i * components + c] * wi;
                if (r != 0.0) {
                    for (int j = 0; j < d; j++) {
                        double e = x[i * d + j] - means[c * d + j];
                        variances[c * d + j] += r * e * e;
                    }
                }
            }
        }
        for (int c = 0; c < components; c++) {
            for (int j = 0; j < d; j++) {
                variances[c * d + j] = variances[c * d + j] / mass[c] + regCovar;
            }
        }
        // Subspace iteration, all components at once: V_c (D × m, by columns) ← orth(S_c V_c).
        double[][] basis = new double[components][];
        for (int c = 0; c < components; c++) {
            double[] v = new double[d * m];
            for (int t = 0; t < v.length; t++) {
                v[t] = random.nextDouble() - 0.5;
            }
            orthonormalize(v, d, m);
            basis[c] = v;
        }
        double[][] product = null;
        for (int iteration = 0; iteration <= ITERATIONS; iteration++) {
            product = scatterTimes(resp, components, means, mass, variances, basis, m);
            if (iteration < ITERATIONS) {
                for (int c = 0; c < components; c++) {
                    basis[c] = product[c].clone();
                    orthonormalize(basis[c], d, m);
                }
            }
        }
        double[] weights = new double[components];
        double[][] meanRows = new double[components][];
        double[][][] loadings = new double[components][][];
        double[][] uniquenesses = new double[components][];
        for (int c = 0; c < components; c++) {
            weights[c] = mass[c] / total;
            meanRows[c] = Arrays.copyOfRange(means, c * d, (c + 1) * d);
            // Rayleigh–Ritz: B = Vᵀ S V, whose eigenpairs give S's top ones within the subspace.
            double[][] b = new double[m][m];
            for (int a = 0; a < m; a++) {
                for (int e = 0; e < m; e++) {
                    double acc = 0;
                    for (int j = 0; j < d; j++) {
                        acc += basis[c][a * d + j] * product[c][e * d + j];
                    }
                    b[a][e] = acc;
                }
            }
            for (int a = 0; a < m; a++) {
                for (int e = 0; e < a; e++) {
                    double mean = 0.5 * (b[a][e] + b[e][a]);
                    b[a][e] = mean;
                    b[e][a] = mean;
                }
            }
            FactorStarts.Eigen ritz = FactorStarts.eigen(b);
            double trace = 0;
            for (int j = 0; j < d; j++) {
                trace += variances[c * d + j];
            }
            double top = 0;
            for (int a = 0; a < q; a++) {
                top += Math.max(0.0, ritz.values()[a]);
            }
            double sigma2 = Math.max(0.0, trace - top) / (d - q);
            double[][] lambda = new double[d][q];
            for (int a = 0; a < q; a++) {
                double scale = Math.sqrt(Math.max(0.0, ritz.values()[a] - sigma2));
                double[] coefficients = ritz.vectors()[a];
                for (int j = 0; j < d; j++) {
                    double direction = 0;
                    for (int e = 0; e < m; e++) {
                        direction += basis[c][e * d + j] * coefficients[e];
                    }
                    lambda[j][a] = direction * scale;
                }
            }
            double[] psi = new double[d];
            for (int j = 0; j < d; j++) {
                double explained = 0;
                for (int a = 0; a < q; a++) {
                    explained += lambda[j][a] * lambda[j][a];
                }
                double s = variances[c * d + j];
                psi[j] = Math.max(s - explained, 1e-9 * Math.max(s, Double.MIN_NORMAL));
            }
            loadings[c] = lambda;
            uniquenesses[c] = psi;
        }
        return new FactorAnalyserMixtureModel(weights, meanRows, loadings, uniquenesses, rows.columnNames());
    }

    /**
     * {@code S_c V_c} for every component: {@code Σ_i w_i r_ic (x_i − μ_c)((x_i − μ_c)ᵀ V_c) / n_c}, plus
     * {@code regCovar · V_c} (the variances' addition); the rows in fixed chunks, added in chunk order.
     */
    private double[][] scatterTimes(double[] resp, int components, double[] means, double[] mass, double[] variances,
                                    double[][] basis, int m) {
        int n = rows.rows();
        int d = rows.columns();
        double[] x = rows.rawValues();
        double[] w = rows.rawWeights();
        int chunks = (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
        double[][][] partial = new double[chunks][][];
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(t -> {
                double[][] acc = new double[components][d * m];
                double[] e = new double[d];
                double[] u = new double[m];
                int to = Math.min(n, (t + 1) * CHUNK_ROWS);
                for (int i = t * CHUNK_ROWS; i < to; i++) {
                    double wi = w == null ? 1.0 : w[i];
                    for (int c = 0; c < components; c++) {
                        double r = resp[i * components + c] * wi;
                        if (r == 0.0) {
                            continue;
                        }
                        for (int j = 0; j < d; j++) {
                            e[j] = x[i * d + j] - means[c * d + j];
                        }
                        double[] v = basis[c];
                        for (int a = 0; a < m; a++) {
                            double dot = 0;
                            for (int j = 0; j < d; j++) {
                                dot += e[j] * v[a * d + j];
                            }
                            u[a] = r * dot;
                        }
                        double[] y = acc[c];
                        for (int a = 0; a < m; a++) {
                            double ua = u[a];
                            int o = a * d;
                            for (int j = 0; j < d; j++) {
                                y[o + j] += ua * e[j];
                            }
                        }
                    }
                }
                partial[t] = acc;
            })).join();
        } finally {
            pool.shutdownNow();
        }
        double[][] out = new double[components][d * m];
        for (double[][] part : partial) {
            for (int c = 0; c < components; c++) {
                for (int t = 0; t < d * m; t++) {
                    out[c][t] += part[c][t];
                }
            }
        }
        for (int c = 0; c < components; c++) {
            for (int a = 0; a < m; a++) {
                for (int j = 0; j < d; j++) {
                    out[c][a * d + j] = out[c][a * d + j] / mass[c] + regCovar * basis[c][a * d + j];
                }
            }
        }
        return out;
    }

    /**
     * Modified Gram–Schmidt (twice, for rounding) on the m columns (each D long, one after another) of {@code v}; a
     * column that depends on the ones before it becomes the next coordinate axis that does not, so the basis keeps
     * m directions.
     */
    static void orthonormalize(double[] v, int d, int m) {
        for (int a = 0; a < m; a++) {
            int o = a * d;
            int axis = 0;
            while (true) {
                double before = norm(v, o, d);
                for (int pass = 0; pass < 2; pass++) {
                    for (int b = 0; b < a; b++) {
                        double dot = 0;
                        for (int j = 0; j < d; j++) {
                            dot += v[o + j] * v[b * d + j];
                        }
                        for (int j = 0; j < d; j++) {
                            v[o + j] -= dot * v[b * d + j];
                        }
                    }
                }
                double after = norm(v, o, d);
                if (after > 1e-10 * before && after > 0) {
                    for (int j = 0; j < d; j++) {
                        v[o + j] /= after;
                    }
                    break;
                }
                Arrays.fill(v, o, o + d, 0.0);
                v[o + axis++] = 1.0;
            }
        }
    }

    private static double norm(double[] v, int o, int d) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            sum += v[o + j] * v[o + j];
        }
        return Math.sqrt(sum);
    }
}
