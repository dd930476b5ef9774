package io.emkit.noise;

import io.emkit.em.SufficientStatistics;
import io.emkit.gaussian.GaussianStatistics;

/**
 * What the E-step of a mixture with a noise component adds up: the Gaussian components' statistics (their
 * responsibilities and moments, by the Gaussian block kernels) and the noise component's total responsibility,
 * each weighted by the rows' weights.
 */
public final class NoiseStatistics implements SufficientStatistics<NoiseStatistics> {
    private static final long serialVersionUID = 1L;

    final GaussianStatistics gaussian;
    double noise;

    NoiseStatistics(GaussianStatistics gaussian) {
        this.gaussian = gaussian;
    }

    @Override
    public void merge(NoiseStatistics other) {
        gaussian.merge(other.gaussian);
        noise += other.noise;
    }
}
