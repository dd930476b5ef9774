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
        add(x, from, to, weights, new double[d]);
    }

    /**
     * Adds rows {@code [from, to)} of a row-major array with their responsibilities
     * {@code resp[(i - from) * K + c]}.
     */
    void add(double[] x, int from, int to, double[] resp, double[] z) {
        for (int c = 0; c < k; c++) {
            int so = c * d;
            double wc = 0;
            for (int i = from; i < to; i++) {
                double r = resp[(i - from) * k + c];
                if (r == 0.0) {
                    continue;
                }
                wc += r;
                int xo = i * d;
                for (int j = 0; j < d; j++) {
                    z[j] = x[xo + j] - shift[so + j];
                    first[so + j] += r * z[j];
                }
                if (fullSecondMoments) {
                    int mo = c * d * d;
                    for (int a = 0; a < d; a++) {
                        double rz = r * z[a];
                        int ro = mo + a * d;
                        for (int b = a; b < d; b++) {
                            second[ro + b] += rz * z[b];
                        }
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        second[so + j] += r * z[j] * z[j];
                    }
                }
            }
            weight[c] += wc;
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
