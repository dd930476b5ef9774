package io.emkit.noise;

import io.emkit.em.SufficientStatistics;
import io.emkit.student.StudentStatistics;

/**
 * What the E-step of a t mixture with a noise component adds up: the t components' statistics (each row weighted
 * by its weight times its probability of not being noise) and the noise and t components' total responsibilities.
 */
public final class NoiseStudentStatistics implements SufficientStatistics<NoiseStudentStatistics> {
    private static final long serialVersionUID = 1L;

    final StudentStatistics student;
    /** {@code Σ w τ₀}: the noise component's total responsibility. */
    double noise;
    /** {@code Σ w (1 − τ₀)}: the t components' total responsibility. */
    double signal;

    NoiseStudentStatistics(StudentStatistics student) {
        this.student = student;
    }

    @Override
    public void merge(NoiseStudentStatistics other) {
        student.merge(other.student);
        noise += other.noise;
        signal += other.signal;
    }
}
