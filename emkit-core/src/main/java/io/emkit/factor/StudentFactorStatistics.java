package io.emkit.factor;

import io.emkit.em.SufficientStatistics;
import io.emkit.kernels.Linalg;

/**
 * What the E-step of a mixture of t factor analysers adds up over rows, per component {@code k}: with {@code r}
 * a row's responsibility times its weight and {@code u = (ν_k + D)/(ν_k + δ)} its expected latent scale,
 * <ul>
 *   <li>{@code Σ r}, which the weights, the factors' posterior covariance term and the uniquenesses divide by,</li>
 *   <li>{@code Σ r·(ln u − u + 1)}, which the degrees of freedom's M-step needs,</li>
 *   <li>a factor analysers' statistics ({@link FactorAnalyserStatistics}) of the rows weighted by {@code r·u}:
 *       {@code Σ r u}, {@code Σ r u e}, {@code Σ r u e∘e}, {@code Σ r u e ẑᵀ}, {@code Σ r u ẑ} and
 *       {@code Σ r u ẑẑᵀ}.</li>
 * </ul>
 * {@code O(K·D·Q)} numbers, as for Gaussian factor analysers.
 */
public final class StudentFactorStatistics implements SufficientStatistics<StudentFactorStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final FactorAnalyserStatistics scaled;
    final double[] responsibility;
    final double[] logScale;

    StudentFactorStatistics(int k, int d, int q) {
        this.k = k;
        this.scaled = new FactorAnalyserStatistics(k, d, q);
        this.responsibility = new double[k];
        this.logScale = new double[k];
    }

    /** @return the total responsibility over every component: the rows' total weight */
    double totalResponsibility() {
        return Linalg.sum(responsibility);
    }

    @Override
    public void merge(StudentFactorStatistics other) {
        scaled.merge(other.scaled);
        for (int c = 0; c < k; c++) {
            responsibility[c] += other.responsibility[c];
            logScale[c] += other.logScale[c];
        }
    }
}
