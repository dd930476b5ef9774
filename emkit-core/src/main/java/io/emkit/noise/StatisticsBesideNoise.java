package io.emkit.noise;

import io.emkit.em.SufficientStatistics;

/**
 * What the E-step of a mixture with a noise component beside it adds up ({@link StepsBesideNoise}): the mixture's
 * statistics (each row weighted by its weight times its probability of not being noise) and the noise's and the
 * mixture's total responsibilities.
 *
 * @param <S> the mixture's statistics
 */
public final class StatisticsBesideNoise<S extends SufficientStatistics<S>>
        implements SufficientStatistics<StatisticsBesideNoise<S>> {
    private static final long serialVersionUID = 1L;

    final S inner;
    /** {@code Σ w τ₀}: the noise component's total responsibility. */
    double noise;
    /** {@code Σ w (1 − τ₀)}: the mixture's total responsibility. */
    double signal;

    StatisticsBesideNoise(S inner) {
        this.inner = inner;
    }

    @Override
    public void merge(StatisticsBesideNoise<S> other) {
        inner.merge(other.inner);
        noise += other.noise;
        signal += other.signal;
    }
}
