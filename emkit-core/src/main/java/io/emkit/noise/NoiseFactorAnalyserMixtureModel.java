package io.emkit.noise;

import io.emkit.factor.FactorAnalyserMixtureModel;

import java.util.List;

/**
 * A mixture of factor analysers with a uniform noise component: density
 * {@code p(x) = π₀ / V + (1 − π₀) Σ_c w_c N(x; μ_c, Λ_cΛ_cᵀ + Ψ_c)}, the noise weight {@code π₀} and the volume V of
 * the data's region ({@link NoiseRegion}) beside a mixture of factor analysers ({@link #factorAnalysers()}, whose
 * weights {@code w_c} sum to one among themselves): scattered rows for many columns. Immutable and thread-safe.
 *
 * <p>{@link #predict} labels a row {@value NoiseMixtureModel#NOISE} when the noise component is its most
 * probable; {@link #predictProba} gives K + 1 probabilities per row, the noise's last. {@link #weights()} are the
 * factor analysers' shares of all rows, {@code (1 − π₀) w_c}. A row with missing values is evaluated on its
 * observed coordinates, as {@link NoiseMixtureModel} does.
 */
public final class NoiseFactorAnalyserMixtureModel extends MixtureBesideNoise<FactorAnalyserMixtureModel> {
    /**
     * @param factorAnalysers the factor analysers, their weights summing to one among themselves
     * @param noiseWeight {@code π₀}, in (0, 1)
     * @param region      the region the noise is uniform over
     * @throws io.emkit.EmkitException if the weight is not in (0, 1) or the region's dimension differs
     */
    public NoiseFactorAnalyserMixtureModel(FactorAnalyserMixtureModel factorAnalysers, double noiseWeight, NoiseRegion region) {
        super(factorAnalysers, noiseWeight, region, "the factor analysers");
    }

    /** @return the factor analysers, with weights summing to one among themselves */
    public FactorAnalyserMixtureModel factorAnalysers() {
        return inner;
    }

    @Override
    public NoiseFactorAnalyserMixtureModel withFeatureNames(List<String> names) {
        return new NoiseFactorAnalyserMixtureModel(inner.withFeatureNames(names), noiseWeight(), region());
    }
}
