package io.emkit.gaussian;

import io.emkit.kernels.BlockWorkspace;
import io.emkit.kernels.Linalg;
import io.emkit.EmkitException;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Gaussian mixture's view of rows with missing values (NaN), pattern by pattern: for the coordinates a
 * row observes ({@code o}) and those it misses ({@code m}), each component's marginal density of {@code x_o}
 * (mean {@code μ_o}, covariance {@code Σ_oo}) and conditional distribution of {@code x_m} given {@code x_o}:
 * mean {@code μ_m + Σ_mo Σ_oo⁻¹ (x_o − μ_o)} and covariance {@code Σ_mm − Σ_mo Σ_oo⁻¹ Σ_om}.
 *
 * <p>The factorisations are made once per pattern and kept (up to {@value #CACHE_LIMIT} patterns), so a
 * block of rows sharing few patterns costs one Cholesky per pattern and component. Only rows with a missing
 * value come here: complete rows go through the block kernels. Not thread-safe: one per thread.
 *
 * <p>This is exact under the assumption that values are missing at random (MAR, and so also MCAR): the
 * pattern carries no information about the values.
 */
final class MissingPatterns {
    private static final int CACHE_LIMIT = 4096;

    private final GaussianMixtureModel model;
    private final int k;
    private final int d;
    private final double[] logWeights;
    private final double[] means;
    private final double[][] covariances;
    private final Map<BitSet, Pattern> cache = new HashMap<>();
    private final double[] rowBuffer;
    /** Per-row working space of D values (this object belongs to one thread). */
    private final double[] scratch;
    private final Pattern[] blockPatterns = new Pattern[BlockWorkspace.ROWS];

    MissingPatterns(GaussianMixtureModel model) {
        this.model = model;
        this.k = model.components();
        this.d = model.dimension();
        this.means = model.flatMeans();
        this.logWeights = new double[k];
        double[] w = model.weights();
        for (int c = 0; c < k; c++) {
            logWeights[c] = Math.log(w[c]);
        }
        this.covariances = new double[k][];
        this.rowBuffer = new double[d];
        this.scratch = new double[d];
    }

    /** One pattern's observed and missing coordinates and, per component, its marginal and conditional. */
    final class Pattern {
        final int[] observed;
        final int[] missing;
        /** log w_c − ½|o| log 2π − ½ log det Σ_oo. */
        final double[] logConstant = new double[k];
        /** ½ log det Σ_oo, per component. */
        final double[] halfLogDet = new double[k];
        /** Lower Cholesky factor of Σ_oo, per component. */
        final double[][] lower = new double[k][];
        /** Σ_mo Σ_oo⁻¹, {@code m×o} row-major, per component. */
        final double[][] regression = new double[k][];
        /** Σ_mm − Σ_mo Σ_oo⁻¹ Σ_om, {@code m×m} row-major, per component. */
        final double[][] conditional = new double[k][];
        /** Lower Cholesky factor of the conditional covariance, made on first use (by sampling). */
        private final double[][] conditionalLower = new double[k][];

        private Pattern(BitSet missingSet) {
            missing = missingSet.stream().toArray();
            observed = new int[d - missing.length];
            for (int j = 0, t = 0; j < d; j++) {
                if (!missingSet.get(j)) {
                    observed[t++] = j;
                }
            }
            int o = observed.length;
            int m = missing.length;
            for (int c = 0; c < k; c++) {
                double[] cov = covariance(c);
                double[] soo = new double[o * o];
                for (int a = 0; a < o; a++) {
                    for (int b = 0; b < o; b++) {
                        soo[a * o + b] = cov[observed[a] * d + observed[b]];
                    }
                }
                double halfLogDet = 0;
                if (o > 0) {
                    double[] l = Linalg.choleskyLower(soo, o);
                    if (l == null) {
                        throw new EmkitException("component " + (c + 1) + ": the covariance of the observed"
                                + " coordinates " + names(observed) + " is not positive definite; increase regCovar or"
                                + " scale the data");
                    }
                    lower[c] = l;
                    for (int a = 0; a < o; a++) {
                        halfLogDet += Math.log(l[a * o + a]);
                    }
                }
                this.halfLogDet[c] = halfLogDet;
                logConstant[c] = logWeights[c] - 0.5 * o * GaussianMixtureModel.LOG_2PI - halfLogDet;
                // B = Σ_mo Σ_oo⁻¹: each row of B solves Σ_oo bᵀ = (row of Σ_mo)ᵀ.
                double[] b = new double[m * o];
                double[] rhs = new double[o];
                for (int p = 0; p < m; p++) {
                    for (int a = 0; a < o; a++) {
                        rhs[a] = cov[missing[p] * d + observed[a]];
                    }
                    solveCholesky(lower[c], o, rhs);
                    System.arraycopy(rhs, 0, b, p * o, o);
                }
                regression[c] = b;
                double[] cc = new double[m * m];
                for (int p = 0; p < m; p++) {
                    for (int q = p; q < m; q++) {
                        double v = cov[missing[p] * d + missing[q]];
                        for (int a = 0; a < o; a++) {
                            v -= b[p * o + a] * cov[observed[a] * d + missing[q]];
                        }
                        cc[p * m + q] = v;
                        cc[q * m + p] = v;
                    }
                }
                conditional[c] = cc;
            }
        }

        /** The lower Cholesky factor of component c's conditional covariance (jittered if rounding made it singular). */
        double[] conditionalLower(int c) {
            if (conditionalLower[c] == null) {
                int m = missing.length;
                double[] cc = conditional[c].clone();
                double[] l = Linalg.choleskyLower(cc, m);
                double jitter = 1e-12;
                for (int attempt = 0; l == null && attempt < 12; attempt++, jitter *= 10) {
                    double[] t = cc.clone();
                    for (int p = 0; p < m; p++) {
                        t[p * m + p] += jitter * Math.max(1.0, Math.abs(cc[p * m + p]));
                    }
                    l = Linalg.choleskyLower(t, m);
                }
                if (l == null) {
                    throw new EmkitException("component " + (c + 1) + ": the conditional covariance of "
                            + names(missing) + " is not positive definite");
                }
                conditionalLower[c] = l;
            }
            return conditionalLower[c];
        }

        /** True when the row observes nothing: it tells nothing about the parameters. */
        boolean empty() {
            return observed.length == 0;
        }
    }

    private String names(int[] columns) {
        StringBuilder s = new StringBuilder("(");
        for (int j = 0; j < columns.length; j++) {
            s.append(j == 0 ? "" : ", ").append(model.featureNames().get(columns[j]));
        }
        return s.append(')').toString();
    }

    private double[] covariance(int c) {
        if (covariances[c] == null) {
            double[][] full = model.covariance(c);
            double[] flat = new double[d * d];
            for (int a = 0; a < d; a++) {
                System.arraycopy(full[a], 0, flat, a * d, d);
            }
            covariances[c] = flat;
        }
        return covariances[c];
    }

    /** Solves {@code L Lᵀ y = rhs} in place, for lower-triangular {@code L} of order n. */
    private static void solveCholesky(double[] l, int n, double[] rhs) {
        for (int a = 0; a < n; a++) {
            double v = rhs[a];
            for (int b = 0; b < a; b++) {
                v -= l[a * n + b] * rhs[b];
            }
            rhs[a] = v / l[a * n + a];
        }
        for (int a = n - 1; a >= 0; a--) {
            double v = rhs[a];
            for (int b = a + 1; b < n; b++) {
                v -= l[b * n + a] * rhs[b];
            }
            rhs[a] = v / l[a * n + a];
        }
    }

    /**
     * The pattern of the row at {@code row[0 .. d)}; its missing cells are {@code NaN}.
     *
     * @return the pattern, from the cache when it was seen before
     */
    Pattern patternOf(double[] row) {
        BitSet missingSet = new BitSet(d);
        for (int j = 0; j < d; j++) {
            if (Double.isNaN(row[j])) {
                missingSet.set(j);
            }
        }
        Pattern p = cache.get(missingSet);
        if (p == null) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            p = new Pattern(missingSet);
            cache.put(missingSet, p);
        }
        return p;
    }

    /**
     * The row's log joint density with each component over its observed coordinates,
     * {@code log w_c + log N(x_o | μ_{c,o}, Σ_{c,oo})}, into {@code out[offset + c]}.
     */
    void logJoint(double[] row, Pattern p, double[] out, int offset) {
        logJoint(row, p, out, offset, 1);
    }

    /** As {@link #logJoint(double[], Pattern, double[], int)}, into {@code out[offset + c * stride]}. */
    private void logJoint(double[] row, Pattern p, double[] out, int offset, int stride) {
        for (int c = 0; c < k; c++) {
            out[offset + c * stride] = p.logConstant[c] - 0.5 * observedDistance(row, p, c);
        }
    }

    /**
     * Each component's squared Mahalanobis distance of the row's observed coordinates,
     * {@code (x_o − μ_o)ᵀ Σ_oo⁻¹ (x_o − μ_o)}, into {@code out[c]}.
     */
    void observedDistances(double[] row, Pattern p, double[] out) {
        for (int c = 0; c < k; c++) {
            out[c] = observedDistance(row, p, c);
        }
    }

    /**
     * Component c's squared Mahalanobis distance of the row's observed coordinates, by forward substitution
     * {@code L y = x_o − μ_o}: {@code ‖y‖²}.
     */
    private double observedDistance(double[] row, Pattern p, int c) {
        int o = p.observed.length;
        double[] y = scratch;
        double ss = 0;
        double[] l = p.lower[c];
        for (int a = 0; a < o; a++) {
            double v = row[p.observed[a]] - means[c * d + p.observed[a]];
            for (int b = 0; b < a; b++) {
                v -= l[a * o + b] * y[b];
            }
            y[a] = v / l[a * o + a];
            ss += y[a] * y[a];
        }
        return ss;
    }

    /**
     * Writes into {@code completed} the row with its missing coordinates replaced by their conditional
     * expectation under component {@code c}, {@code μ_m + Σ_mo Σ_oo⁻¹ (x_o − μ_o)}.
     */
    void complete(double[] row, Pattern p, int c, double[] completed) {
        System.arraycopy(row, 0, completed, 0, d);
        int o = p.observed.length;
        double[] b = p.regression[c];
        for (int q = 0; q < p.missing.length; q++) {
            int j = p.missing[q];
            double v = means[c * d + j];
            for (int a = 0; a < o; a++) {
                v += b[q * o + a] * (row[p.observed[a]] - means[c * d + p.observed[a]]);
            }
            completed[j] = v;
        }
    }

    /**
     * Adds a row's expected sufficient statistics given its observed coordinates: for each component, the
     * row completed by its conditional mean, weighted by the responsibility, plus the conditional covariance
     * in the second moment. A row that observes nothing adds nothing.
     *
     * @param resp   the row's responsibilities: component c's at {@code resp[offset + c * stride]}
     * @param stride how far apart the row's responsibilities are (1 row-major, {@link BlockWorkspace#ROWS}
     *               in {@link BlockWorkspace#jt})
     */
    private void addExpected(double[] row, Pattern p, double[] resp, int offset, int stride, GaussianStatistics stats) {
        if (p.empty()) {
            return;
        }
        double[] completed = scratch;
        for (int c = 0; c < k; c++) {
            double r = resp[offset + c * stride];
            if (r == 0.0) {
                continue;
            }
            complete(row, p, c, completed);
            stats.addCompleted(c, r, completed, p.missing, p.conditional[c]);
        }
    }

    /**
     * Overwrites the log joint densities of a block's rows that have missing values (the first {@code count}
     * of {@link BlockWorkspace#incomplete}), which the block kernel left NaN, with their densities over the
     * observed coordinates; remembers each row's pattern for {@link #addExpected(BlockWorkspace, int,
     * GaussianStatistics)} and {@link #zeroEmptyRows}. Row i's density under component c is at
     * {@code joint[i * rowStride + c * componentStride]}: row-major {@code (K, 1)}, or {@code (1, ROWS)} for
     * {@link BlockWorkspace#jt}.
     */
    void marginalLogJoint(BlockWorkspace ws, int count, double[] joint, int rowStride, int componentStride) {
        for (int t = 0; t < count; t++) {
            int i = ws.incomplete[t];
            ws.copyRow(i, rowBuffer);
            Pattern p = patternOf(rowBuffer);
            blockPatterns[t] = p;
            logJoint(rowBuffer, p, joint, i * rowStride, componentStride);
        }
    }

    /**
     * Sets to exactly 0 the log density of the block's rows that observe nothing (the log of the weights'
     * sum, which rounding may put a few ulps away): a row with every value missing is skipped.
     */
    void zeroEmptyRows(BlockWorkspace ws, int count, double[] density) {
        for (int t = 0; t < count; t++) {
            if (blockPatterns[t].empty()) {
                density[ws.incomplete[t]] = 0.0;
            }
        }
    }

    /**
     * Adds the expected statistics of the block's incomplete rows (after {@link #marginalLogJoint}) with
     * the responsibilities the E-step left in {@link BlockWorkspace#jt}, {@code jt[c * ROWS + i]} (already
     * multiplied by the row weights, if any, so that a weighted row counts as that many copies).
     */
    void addExpected(BlockWorkspace ws, int count, GaussianStatistics stats) {
        for (int t = 0; t < count; t++) {
            int i = ws.incomplete[t];
            ws.copyRow(i, rowBuffer);
            addExpected(rowBuffer, blockPatterns[t], ws.jt, i, BlockWorkspace.ROWS, stats);
        }
    }

    /**
     * Fills the row's missing cells in place with a draw from their conditional distribution: a component
     * drawn from the responsibilities, then the missing coordinates from that component's conditional
     * Gaussian.
     *
     * @param resp the row's responsibilities (K values)
     */
    void draw(double[] row, Pattern p, double[] resp, SplittableRandom random) {
        double u = random.nextDouble();
        int c = 0;
        double acc = resp[0];
        while (u >= acc && c < k - 1) {
            c++;
            acc += resp[c];
        }
        double[] completed = new double[d];
        complete(row, p, c, completed);
        int m = p.missing.length;
        double[] l = p.conditionalLower(c);
        double[] z = new double[m];
        for (int q = 0; q < m; q++) {
            z[q] = random.nextGaussian();
        }
        for (int q = 0; q < m; q++) {
            double v = completed[p.missing[q]];
            for (int t = 0; t <= q; t++) {
                v += l[q * m + t] * z[t];
            }
            row[p.missing[q]] = v;
        }
    }
}
