package io.emkit.factor;

import io.emkit.em.SufficientStatistics;

/**
 * What the E-step of a mixture of factor analysers adds up over rows, per component {@code k}: with
 * {@code r} a row's responsibility times its weight, {@code e = x − μ_k} its offset from the E-step's mean and
 * {@code z = E[z | x, k]} its factors' posterior mean,
 * <ul>
 *   <li>{@code Σ r}, {@code Σ r·e} (D), {@code Σ r·e∘e} (D, the diagonal of the scatter only),</li>
 *   <li>{@code Σ r·e zᵀ} ({@code D × Q}), {@code Σ r·z} (Q) and {@code Σ r·z zᵀ} ({@code Q × Q}).</li>
 * </ul>
 * {@code O(K·D·Q)} numbers: never a {@code D × D} scatter, so a partition on Spark would ship as much as the
 * model itself.
 */
public final class FactorAnalyserStatistics implements SufficientStatistics<FactorAnalyserStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    final int q;
    final double[] responsibility;
    final double[][] offset;
    final double[][] squaredOffset;
    final double[][] offsetFactor;
    final double[][] factor;
    final double[][] factorSquares;

    FactorAnalyserStatistics(int k, int d, int q) {
        this.k = k;
        this.d = d;
        this.q = q;
        this.responsibility = new double[k];
        this.offset = new double[k][d];
        this.squaredOffset = new double[k][d];
        this.offsetFactor = new double[k][d * q];
        this.factor = new double[k][q];
        this.factorSquares = new double[k][q * q];
    }

    /** @return the total responsibility over every component: the rows' total weight */
    double totalResponsibility() {
        double total = 0;
        for (double r : responsibility) {
            total += r;
        }
        return total;
    }

    @Override
    public void merge(FactorAnalyserStatistics other) {
        for (int c = 0; c < k; c++) {
            responsibility[c] += other.responsibility[c];
            add(offset[c], other.offset[c]);
            add(squaredOffset[c], other.squaredOffset[c]);
            add(offsetFactor[c], other.offsetFactor[c]);
            add(factor[c], other.factor[c]);
            add(factorSquares[c], other.factorSquares[c]);
        }
    }

    private static void add(double[] into, double[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
