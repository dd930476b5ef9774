package io.emkit.noise;

import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;

import java.util.List;

/**
 * A Gaussian mixture with a uniform noise component: density
 * {@code p(x) = π₀ / V + (1 − π₀) Σ_c w_c N(x; μ_c, Σ_c)}, the noise weight {@code π₀} and the volume V of
 * the data's region ({@link NoiseRegion}) beside a Gaussian mixture ({@link #gaussian()}, whose weights
 * {@code w_c} sum to one among the Gaussian components). As mclust's models with {@code Vinv}.
 *
 * <p>{@link #predict} labels a row {@value #NOISE} when the noise component is its most probable;
 * {@link #predictProba} gives K + 1 probabilities per row, the noise's last. {@link #weights()} are the
 * Gaussian components' shares of all rows, {@code (1 − π₀) w_c}, which sum to {@code 1 − π₀}.
 *
 * <p>A row with missing values ({@code NaN}) is evaluated on its observed coordinates o: density
 * {@code π₀ / V_o + (1 − π₀) Σ_c w_c N(x_o; μ_{c,o}, Σ_{c,oo})}, {@code V_o} the volume of the region's projection
 * onto those coordinates ({@link NoiseRegion#logVolumeOver}; a region along principal axes refuses such rows); a
 * row observing nothing has log density 0 and the weights as probabilities.
 */
public final class NoiseMixtureModel extends MixtureBesideNoise<GaussianMixtureModel> {
    /** The label {@link #predict} gives a row the noise component explains best. */
    public static final int NOISE = -1;

    /**
     * @param gaussian    the Gaussian components, their weights summing to one among themselves
     * @param noiseWeight {@code π₀}, in (0, 1)
     * @param region      the region the noise is uniform over
     * @throws io.emkit.EmkitException if the weight is not in (0, 1) or the region's dimension differs
     */
    public NoiseMixtureModel(GaussianMixtureModel gaussian, double noiseWeight, NoiseRegion region) {
        super(gaussian, noiseWeight, region, "the Gaussian components");
    }

    /** @return the Gaussian components, with weights summing to one among themselves */
    public GaussianMixtureModel gaussian() {
        return inner;
    }

    /** @return the structure of the Gaussian components' covariances */
    public CovarianceType covarianceType() {
        return inner.covarianceType();
    }

    @Override
    public NoiseMixtureModel withFeatureNames(List<String> names) {
        return new NoiseMixtureModel(inner.withFeatureNames(names), noiseWeight(), region());
    }

    /** @return {@code ln π₀ − ln V}, the noise component's log joint density, the same for every row */
    double logNoiseJoint() {
        return Math.log(noiseWeight()) - region().logVolume();
    }

    static double logSum(double a, double b) {
        double max = Math.max(a, b);
        return max == Double.NEGATIVE_INFINITY ? max : max + Math.log(Math.exp(a - max) + Math.exp(b - max));
    }
}
