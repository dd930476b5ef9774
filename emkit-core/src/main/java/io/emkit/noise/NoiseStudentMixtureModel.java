package io.emkit.noise;

import io.emkit.student.StudentMixtureModel;

import java.util.List;

/**
 * A mixture of multivariate t distributions with a uniform noise component: density
 * {@code p(x) = π₀ / V + (1 − π₀) Σ_c w_c t(x; μ_c, Σ_c, ν_c)}, the noise weight {@code π₀} and the volume V of the
 * data's region ({@link NoiseRegion}) beside a t mixture ({@link #student()}, whose weights {@code w_c} sum to one
 * among the t components). The t components' heavy tails absorb moderate outliers, the noise the rows far from
 * every cluster. Immutable and thread-safe.
 *
 * <p>{@link #predict} labels a row {@value NoiseMixtureModel#NOISE} when the noise component is its most
 * probable; {@link #predictProba} gives K + 1 probabilities per row, the noise's last. {@link #weights()} are the t
 * components' shares of all rows, {@code (1 − π₀) w_c}. A row with missing values is evaluated on its observed
 * coordinates, as {@link NoiseMixtureModel} does (the t's marginal there is a t; the noise's the uniform over the
 * region's projection).
 */
public final class NoiseStudentMixtureModel extends MixtureBesideNoise<StudentMixtureModel> {
    /**
     * @param student     the t components, their weights summing to one among themselves
     * @param noiseWeight {@code π₀}, in (0, 1)
     * @param region      the region the noise is uniform over
     * @throws io.emkit.EmkitException if the weight is not in (0, 1) or the region's dimension differs
     */
    public NoiseStudentMixtureModel(StudentMixtureModel student, double noiseWeight, NoiseRegion region) {
        super(student, noiseWeight, region, "the t components");
    }

    /** @return the t components, with weights summing to one among themselves */
    public StudentMixtureModel student() {
        return inner;
    }

    @Override
    public NoiseStudentMixtureModel withFeatureNames(List<String> names) {
        return new NoiseStudentMixtureModel(inner.withFeatureNames(names), noiseWeight(), region());
    }
}
