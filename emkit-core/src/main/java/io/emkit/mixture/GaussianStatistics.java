package io.emkit.mixture;

import io.emkit.em.SufficientStatistics;

/**
 * The sufficient statistics of a Gaussian mixture's M-step, accumulated over rows with their
 * responsibilities {@code r_ic}: per component the total responsibility {@code N_c}, and the first and
 * second moments of the rows <em>centred on a shift</em> {@code s_c}: {@code Σ r (x − s_c)} and
 * {@code Σ r (x − s_c)(x − s_c)ᵀ}.
 *
 * <p>The shift is the component's mean under the parameters of the E-step, so the moments stay small
 * and the covariance {@code M2/N − (M1/N)(M1/N)ᵀ} loses no precision to cancellation even when the data
 * sit far from the origin. Only the upper triangle of each second moment is accumulated (full and tied),
 * or only its diagonal (diag and spherical).
 */
public final class GaussianStatistics implements SufficientStatistics<GaussianStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    final boolean fullSecondMoments;
    final double[] shift;
    final double[] weight;
    final double[] first;
    final double[] second;

    GaussianStatistics(int k, int d, boolean fullSecondMoments, double[] shift) {
        this.k = k;
        this.d = d;
        this.fullSecondMoments = fullSecondMoments;
        this.shift = shift;
        this.weight = new double[k];
        this.first = new double[k * d];
        this.second = new double[fullSecondMoments ? k * d * d : k * d];
    }

    /** @return total responsibility of each component (a copy) */
    public double[] componentWeights() {
        return weight.clone();
    }

    /** @return the total weight of all rows accumulated */
    public double totalWeight() {
        double s = 0;
        for (double w : weight) {
            s += w;
        }
        return s;
    }

    /**
     * Adds rows {@code [from, to)} of a row-major array of {@code D} columns, each with a weight per
     * component {@code weights[(i - from) * K + c]} (responsibilities, or an HMM's state posteriors).
     *
     * @param x       row-major values
     * @param from    first row, inclusive
     * @param to      last row, exclusive
     * @param weights {@code (to - from) * K} non-negative weights
     */
    public void addWeighted(double[] x, int from, int to, double[] weights) {
        BlockWorkspace ws = new BlockWorkspace(d);
        for (int lo = from; lo < to; lo += BlockWorkspace.ROWS) {
            int hi = Math.min(to, lo + BlockWorkspace.ROWS);
            ws.load(x, lo, hi);
            add(ws, weights, (lo - from) * k);
        }
    }

    /**
     * Adds the rows loaded in {@code ws} with their responsibilities {@code resp[i * K + c]}.
     */
    void add(BlockWorkspace ws, double[] resp) {
        add(ws, resp, 0);
    }

    private void add(BlockWorkspace ws, double[] resp, int respOffset) {
        int b = ws.rows;
        double[] r = ws.r;
        double[] zt = ws.zt;
        double[] wz = ws.wz;
        for (int c = 0; c < k; c++) {
            double wc = 0;
            for (int i = 0; i < b; i++) {
                r[i] = resp[respOffset + i * k + c];
                wc += r[i];
            }
            if (wc == 0.0) {
                continue;
            }
            weight[c] += wc;
            int so = c * d;
            ws.centre(shift, so);
            ws.addDots(r, 0, d, first, so);
            for (int a = 0; a < d; a++) {
                int ao = a * BlockWorkspace.ROWS;
                for (int i = 0; i < b; i++) {
                    wz[i] = r[i] * zt[ao + i];
                }
                if (fullSecondMoments) {
                    // Upper triangle of row a: columns a..d-1.
                    ws.addDots(wz, a, d, second, c * d * d + a * d + a);
                } else {
                    ws.addDots(wz, a, a + 1, second, so + a);
                }
            }
        }
    }

    /**
     * Adds one row whose missing coordinates were filled with their conditional expectation, with
     * responsibility {@code r} for component {@code c}: the row's expected contribution is
     * {@code r·(x̂ − s_c)} to the first moment and {@code r·((x̂ − s_c)(x̂ − s_c)ᵀ + C)} to the second, where
     * {@code C} is the conditional covariance of the missing coordinates (zero elsewhere).
     *
     * @param completed   the row, missing coordinates replaced by their conditional mean under component c;
     *                    used as scratch space (overwritten with the row centred on the shift)
     * @param missing     the missing coordinates, ascending
     * @param conditional the conditional covariance of the missing coordinates, {@code m×m} row-major
     */
    void addCompleted(int c, double r, double[] completed, int[] missing, double[] conditional) {
        weight[c] += r;
        int so = c * d;
        double[] z = completed;
        for (int j = 0; j < d; j++) {
            z[j] = completed[j] - shift[so + j];
            first[so + j] += r * z[j];
        }
        int m = missing.length;
        if (fullSecondMoments) {
            int base = c * d * d;
            for (int a = 0; a < d; a++) {
                double ra = r * z[a];
                for (int b = a; b < d; b++) {
                    second[base + a * d + b] += ra * z[b];
                }
            }
            for (int p = 0; p < m; p++) {
                for (int q = p; q < m; q++) {
                    second[base + missing[p] * d + missing[q]] += r * conditional[p * m + q];
                }
            }
        } else {
            for (int a = 0; a < d; a++) {
                second[so + a] += r * z[a] * z[a];
            }
            for (int p = 0; p < m; p++) {
                second[so + missing[p]] += r * conditional[p * m + p];
            }
        }
    }

    @Override
    public void merge(GaussianStatistics other) {
        if (other.k != k || other.d != d || other.fullSecondMoments != fullSecondMoments) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes");
        }
        for (int i = 0; i < k; i++) {
            weight[i] += other.weight[i];
        }
        for (int i = 0; i < first.length; i++) {
            first[i] += other.first[i];
        }
        for (int i = 0; i < second.length; i++) {
            second[i] += other.second[i];
        }
    }
}
