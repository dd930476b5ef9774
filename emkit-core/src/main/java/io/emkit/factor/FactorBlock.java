package io.emkit.factor;

import io.emkit.data.Rows;
import io.emkit.kernels.BlockKernels;
import io.emkit.mixture.RowwiseMixtureModel;

/**
 * A block of rows on its way through the factor analysers' E-step, Gaussian or t: the rows as read and transposed,
 * each complete row's squared distance and factors' posterior mean under every component, and the weight each
 * row then takes in each component's sums.
 *
 * <p>Why blocks: per row and component the E-step reads the component's D×Q loadings twice (distance, then the
 * cross sums), which at D = 1000 is far more than the caches deliver one row at a time. The kernels instead read
 * each loading once for eight rows and keep eight features' cross sums in registers across all the block's rows,
 * with every sum still taken in the order of the row-at-a-time loop, so the result is the same to the bit. The
 * block holds as many rows as keep it within a level-2 cache (32 at D = 1000, 256 at D ≤ 128).
 */
final class FactorBlock {
    /** Doubles of rows a block holds at most (256 KB). */
    private static final int CAPACITY_DOUBLES = 32_768;

    final int d;
    final int q;
    final int k;
    /** The rows a block holds, a multiple of {@link BlockKernels#FACTOR_PAD}. */
    final int capacity;
    /** The rows, row-major. */
    final double[] x;
    /** The rows' weights. */
    final double[] weights;
    /** Squared distances, {@code delta[c·capacity + i]}. */
    final double[] delta;
    /** Posterior means of the factors, {@code factors[c][i·Q + a]}. */
    final double[][] factors;
    /** Each row's weight in component c's sums, {@code r[c][i]}; 0 leaves the row out. */
    final double[][] r;
    /** How many rows are loaded. */
    int rows;

    private final BlockKernels kernels;
    private final double[] xt;
    private final double[] distance;
    private final double[] projection;
    private final double[] factor;
    /** Per component the factors' posterior mean given a row's observed values; made at the first such row. */
    private double[] observedFactors;
    /** Per component their posterior covariance given those values; made with {@link #observedFactors}. */
    private double[] observedCovariances;

    /**
     * @param params     a model of the sizes the block will serve
     * @param kernels    the kernels to compute with (the portable and the SIMD ones give the same bits)
     */
    FactorBlock(FactorAnalyserMixtureModel params, BlockKernels kernels) {
        this.d = params.dimension();
        this.q = params.factors();
        this.k = params.components();
        this.kernels = kernels;
        int fit = Math.max(BlockKernels.FACTOR_PAD,
                CAPACITY_DOUBLES / d / BlockKernels.FACTOR_PAD * BlockKernels.FACTOR_PAD);
        this.capacity = Math.min(256, fit);
        this.x = new double[capacity * d];
        this.xt = new double[d * capacity];
        this.weights = new double[capacity];
        this.delta = new double[k * capacity];
        this.factors = new double[k][capacity * q];
        this.r = new double[k][capacity];
        this.distance = new double[capacity];
        this.projection = new double[q * capacity];
        this.factor = new double[q];
    }

    /**
     * A block for one E-step of the Gaussian or the t factor analysers over {@code data}, with the kernels its
     * size calls for ({@link #kernelsFor}).
     *
     * @param data   the rows the E-step visits
     * @param params the factor analysers (a t mixture's scales)
     */
    static FactorBlock over(Rows data, FactorAnalyserMixtureModel params) {
        return new FactorBlock(params, kernelsFor(data.rows(), params));
    }

    /**
     * The kernels for an E-step over {@code rows} rows (both kinds give the same bits; this is about speed only).
     * The SIMD kernels pay once the JIT has compiled them, which takes a number of loop trips rather than of calls:
     * a wide row makes many trips, so the rows count {@code D/16} times against the Gaussian mixtures' threshold.
     */
    static BlockKernels kernelsFor(long rows, FactorAnalyserMixtureModel params) {
        return BlockKernels.forSize(rows * Math.max(1, params.dimension() / 16), params.components());
    }

    /** What an E-step of factor analysers, Gaussian or t, makes of each row besides the block's common work. */
    interface RowTerms {
        /**
         * @param c     a component
         * @param delta a complete row's squared distance to it
         * @return the row's log joint density under the component
         */
        double logJoint(int c, double delta);

        /**
         * Called for each component of a complete row whose responsibility is not 0; adds what the row gives to
         * statistics of the model's own.
         *
         * @param c     the component
         * @param r     the row's responsibility times its weight
         * @param delta its squared distance
         * @return the row's weight in the component's sums of offsets and factors
         */
        double weightInSums(int c, double r, double delta);

        /**
         * A row with a missing value under component c, on its observed coordinates o.
         *
         * @param x          the rows
         * @param offset     where the row starts
         * @param c          the component
         * @param factor     Q doubles to receive the factors' posterior mean given {@code x_o}
         * @param covariance Q² doubles to receive their posterior covariance given {@code x_o}
         * @return the row's log joint density over its observed coordinates
         */
        double logJointObserved(double[] x, int offset, int c, double[] factor, double[] covariance);

        /**
         * Called, after {@link #logJointObserved} for every component, for each component of a row with a missing
         * value whose responsibility is not 0; adds what the row gives to statistics of the model's own.
         *
         * @param c        the component
         * @param r        the row's responsibility times its weight
         * @param observed how many of the row's values are observed
         * @return the row's expected scale u in the component, which weighs its offsets and factors (1 for a
         *         Gaussian component)
         */
        double scaleObserved(int c, double r, int observed);
    }

    /**
     * The E-step over rows {@code [from, to)}, a block at a time: distances and factors by the kernels, each row's
     * responsibilities from {@code terms}, then the complete rows' sums a run at a time. A row with a missing value
     * ends the run and is added on its own, so every sum still takes the rows in order.
     *
     * @return the rows' log-likelihood, weighted
     */
    double accumulate(Rows data, int from, int to, FactorAnalyserMixtureModel params, FactorAnalyserStatistics sums,
                      RowTerms terms) {
        double[] joint = new double[k];
        double ll = 0;
        for (int lo = from; lo < to; lo += capacity) {
            load(data, lo, Math.min(to, lo + capacity));
            distances(params);
            int run = 0;
            for (int i = 0; i < rows; i++) {
                double w = weights[i];
                if (w == 0) {
                    for (int c = 0; c < k; c++) {
                        r[c][i] = 0;
                    }
                    continue;
                }
                for (int c = 0; c < k; c++) {
                    joint[c] = terms.logJoint(c, delta[c * capacity + i]);
                }
                double logDensity = RowwiseMixtureModel.normalize(joint, k);
                if (Double.isNaN(logDensity)) {
                    addRows(sums, params, run, i);
                    run = i + 1;
                    ll += w * addIncomplete(i * d, w, joint, params, sums, terms);
                    continue;
                }
                ll += w * logDensity;
                for (int c = 0; c < k; c++) {
                    double rc = w * joint[c];
                    r[c][i] = rc == 0 ? 0 : terms.weightInSums(c, rc, delta[c * capacity + i]);
                }
            }
            addRows(sums, params, run, rows);
        }
        return ll;
    }

    /**
     * The E-step of a row with a missing value, on its {@code p} observed coordinates o, the same for the Gaussian and
     * the t factor analysers but for {@code terms}: each component's log joint density over o and the factors'
     * posterior given {@code x_o}, the responsibilities from those, then the row's expected statistics given
     * {@code x_o} ({@link FactorAnalyserSteps#addIncompleteRow}) weighted by each component's expected scale. A row
     * that observes nothing adds nothing.
     *
     * @return the row's log density over its observed coordinates (0 if it observes none)
     */
    private double addIncomplete(int offset, double w, double[] joint, FactorAnalyserMixtureModel params,
                                 FactorAnalyserStatistics sums, RowTerms terms) {
        int p = observedCount(x, offset, d);
        if (p == 0) {
            return 0.0;
        }
        if (observedCovariances == null) {
            observedFactors = new double[k * q];
            observedCovariances = new double[k * q * q];
        }
        double[] z = new double[q];
        double[] covariance = new double[q * q];
        for (int c = 0; c < k; c++) {
            joint[c] = terms.logJointObserved(x, offset, c, z, covariance);
            System.arraycopy(z, 0, observedFactors, c * q, q);
            System.arraycopy(covariance, 0, observedCovariances, c * q * q, q * q);
        }
        double logDensity = RowwiseMixtureModel.normalize(joint, k);
        for (int c = 0; c < k; c++) {
            double rc = w * joint[c];
            if (rc != 0) {
                double u = terms.scaleObserved(c, rc, p);
                FactorAnalyserSteps.addIncompleteRow(sums, c, rc, u, x, offset, params, observedFactors, c * q,
                        observedCovariances, c * q * q);
            }
        }
        return logDensity;
    }

    /** How many of a row's D values are observed. */
    private static int observedCount(double[] x, int offset, int d) {
        int p = 0;
        for (int j = 0; j < d; j++) {
            p += Double.isNaN(x[offset + j]) ? 0 : 1;
        }
        return p;
    }

    /** Reads rows {@code [from, to)} ({@code to − from ≤ capacity}) and their weights. */
    void load(Rows data, int from, int to) {
        rows = to - from;
        data.copyRows(from, to, x);
        data.copyWeights(from, to, weights);
        for (int i = 0; i < rows; i++) {
            for (int j = 0, at = i; j < d; j++, at += capacity) {
                xt[at] = x[i * d + j];
            }
        }
    }

    /**
     * Every row's squared distance to every component of {@code params} (NaN for a row with a missing value) and
     * its factors' posterior mean: what {@link FactorAnalyserMixtureModel#squaredDistance} gives row by row.
     */
    void distances(FactorAnalyserMixtureModel params) {
        double[] means = params.meansFlat();
        for (int c = 0; c < k; c++) {
            int dc = c * capacity;
            kernels.factorProjections(x, 0, xt, capacity, rows, d, means, c * d, params.inverseUniquenessesFlat(c),
                    params.loadingsFlat(c), q, distance, projection);
            double[] z = factors[c];
            for (int i = 0; i < rows; i++) {
                for (int a = 0; a < q; a++) {
                    factor[a] = projection[a * capacity + i];
                }
                delta[dc + i] = params.removeFactors(c, distance[i], factor);
                System.arraycopy(factor, 0, z, i * q, q);
            }
        }
    }

    /**
     * Adds rows {@code [from, to)} to every component's sums with their weights {@link #r}, in row order, each
     * sum to the bits of adding one row at a time.
     */
    void addRows(FactorAnalyserStatistics s, FactorAnalyserMixtureModel params, int from, int to) {
        double[] means = params.meansFlat();
        for (int c = 0; c < k; c++) {
            double[] rc = r[c];
            double[] z = factors[c];
            double responsibility = s.responsibility[c];
            double[] sumZ = s.factor[c];
            double[] sumZz = s.factorSquares[c];
            for (int i = from; i < to; i++) {
                double w = rc[i];
                if (w == 0) {
                    continue;
                }
                responsibility += w;
                for (int a = 0, zo = i * q; a < q; a++) {
                    double rz = w * z[zo + a];
                    sumZ[a] += rz;
                    for (int b = 0; b < q; b++) {
                        sumZz[a * q + b] += rz * z[zo + b];
                    }
                }
            }
            s.responsibility[c] = responsibility;
            kernels.addFactorMoments(x, from, to, d, means, c * d, rc, z, q, s.offset[c], s.squaredOffset[c],
                    s.offsetFactor[c]);
        }
    }
}
