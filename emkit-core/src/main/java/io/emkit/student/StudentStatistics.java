package io.emkit.student;

import io.emkit.em.SufficientStatistics;
import io.emkit.kernels.Linalg;
import io.emkit.gaussian.GaussianStatistics;

/**
 * What the E-step of a Student-t mixture adds up over rows (each sum weighted by the row's weight, and
 * {@code u_ik} the expected latent scale of row i under component k): per component the responsibility
 * {@code Σ r}, {@code Σ r·(ln u − u + 1)}, which the degrees of freedom's M-step needs, and the Gaussian
 * statistics of the rows weighted by {@code r·u} — the scaled responsibility {@code Σ r·u} and the scaled
 * moments about the component's location in the E-step — accumulated by the Gaussian block kernels.
 */
public final class StudentStatistics implements SufficientStatistics<StudentStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final GaussianStatistics scaled;
    final double[] responsibility;
    final double[] logScale;

    /**
     * @param k      components
     * @param scaled empty Gaussian statistics of the model's scale mixture (moments about its means)
     */
    StudentStatistics(int k, GaussianStatistics scaled) {
        this.k = k;
        this.scaled = scaled;
        this.responsibility = new double[k];
        this.logScale = new double[k];
    }

    /** @return the total responsibility over every component: the rows' total weight */
    double totalResponsibility() {
        return Linalg.sum(responsibility);
    }

    @Override
    public void merge(StudentStatistics other) {
        scaled.merge(other.scaled);
        for (int c = 0; c < k; c++) {
            responsibility[c] += other.responsibility[c];
            logScale[c] += other.logScale[c];
        }
    }
}
