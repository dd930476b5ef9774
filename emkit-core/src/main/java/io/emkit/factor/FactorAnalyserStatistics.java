package io.emkit.factor;

import io.emkit.em.SufficientStatistics;
import io.emkit.kernels.Linalg;

/**
 * What the E-step of a mixture of factor analysers adds up over rows, per component {@code k}: with
 * {@code r} a row's responsibility times its weight, {@code e = x − μ_k} its offset from the E-step's mean and
 * {@code z = E[z | x, k]} its factors' posterior mean,
 * <ul>
 *   <li>{@code Σ r}, {@code Σ r·e} (D), {@code Σ r·e∘e} (D, the diagonal of the scatter only),</li>
 *   <li>{@code Σ r·e zᵀ} ({@code D × Q}), {@code Σ r·z} (Q) and {@code Σ r·z zᵀ} ({@code Q × Q}),</li>
 *   <li>over rows with missing values, {@code Σ r} and {@code Σ r·M_o⁻¹}, their factors' posterior covariances.</li>
 * </ul>
 * A row with missing values adds its expectations given its observed coordinates: for a missing feature j,
 * {@code E[e_j] = Λ_j ẑ}, {@code E[e_j z] = Λ_j E[zzᵀ]} and {@code E[e_j²] = Λ_j E[zzᵀ] Λ_jᵀ + ψ_j}, with
 * {@code E[zzᵀ] = ẑẑᵀ + M_o⁻¹}.
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
    /** {@code Σ r} over rows with missing values, whose factors' posterior covariance is their pattern's. */
    final double[] incompleteResponsibility;
    /** {@code Σ r·M_o⁻¹} ({@code Q × Q}) over rows with missing values: their factors' posterior covariances. */
    final double[][] incompleteFactorCovariance;

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
        this.incompleteResponsibility = new double[k];
        this.incompleteFactorCovariance = new double[k][q * q];
    }

    /** @return the total responsibility over every component: the rows' total weight */
    double totalResponsibility() {
        return Linalg.sum(responsibility);
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
            incompleteResponsibility[c] += other.incompleteResponsibility[c];
            add(incompleteFactorCovariance[c], other.incompleteFactorCovariance[c]);
        }
    }

    private static void add(double[] into, double[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
