package io.emkit.noise;

import io.emkit.em.SufficientStatistics;
import io.emkit.factor.FactorAnalyserStatistics;

/**
 * What the E-step of a mixture of factor analysers with a noise component adds up: the factor analysers'
 * statistics (each row weighted by its weight times its probability of not being noise) and the noise's and the
 * factor analysers' total responsibilities.
 */
public final class NoiseFactorAnalyserStatistics implements SufficientStatistics<NoiseFactorAnalyserStatistics> {
    private static final long serialVersionUID = 1L;

    final FactorAnalyserStatistics factorAnalysers;
    /** {@code Σ w τ₀}: the noise component's total responsibility. */
    double noise;
    /** {@code Σ w (1 − τ₀)}: the factor analysers' total responsibility. */
    double signal;

    NoiseFactorAnalyserStatistics(FactorAnalyserStatistics factorAnalysers) {
        this.factorAnalysers = factorAnalysers;
    }

    @Override
    public void merge(NoiseFactorAnalyserStatistics other) {
        factorAnalysers.merge(other.factorAnalysers);
        noise += other.noise;
        signal += other.signal;
    }
}
