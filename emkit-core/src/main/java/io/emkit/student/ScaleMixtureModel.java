package io.emkit.student;

import io.emkit.mixture.MixtureModel;
import io.emkit.mixture.RowwiseMixtureModel;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mixture of multivariate t distributions held as a scale mixture: the weights, locations and scale matrices
 * of a model of the {@code ν → ∞} limit ({@link #scales()}: a Gaussian mixture, or a mixture of factor analysers)
 * and one degrees of freedom {@code ν} per component. What the t mixtures of every scale structure share: the
 * parts, the parameter count, equality, and that a row with missing values is evaluated on its observed
 * coordinates (the marginal of a t is a t with the same {@code ν}).
 *
 * @param <S> the model of the scales
 */
public abstract class ScaleMixtureModel<S extends MixtureModel> extends RowwiseMixtureModel {
    /** The weights, locations and scale matrices. */
    protected final S scales;
    /** One {@code ν} per component, checked. */
    protected final double[] degreesOfFreedom;
    /** How {@code ν} was fitted. */
    protected final DegreesOfFreedom.Constraint constraint;

    /**
     * @param scales           the weights, locations and scale matrices
     * @param degreesOfFreedom one {@code ν} per component, finite and &gt; 0
     * @param constraint       how {@code ν} was fitted (it decides how many parameters BIC counts)
     * @throws io.emkit.EmkitException if a degree of freedom is not a finite positive number, their count is not
     *                                 K, or {@link DegreesOfFreedom.Constraint#EQUAL equal} or fixed ones differ
     */
    protected ScaleMixtureModel(S scales, double[] degreesOfFreedom, DegreesOfFreedom.Constraint constraint) {
        super(Objects.requireNonNull(scales, "scales").components(), scales.dimension(), scales.featureNames());
        this.scales = scales;
        this.constraint = Objects.requireNonNull(constraint, "constraint");
        this.degreesOfFreedom = DegreesOfFreedom.checked(degreesOfFreedom, k, constraint);
    }

    /** @return the weights, locations and scale matrices, as a model of the {@code ν → ∞} limit */
    public S scales() {
        return scales;
    }

    /** @return each component's degrees of freedom {@code ν} (a copy) */
    public double[] degreesOfFreedom() {
        return degreesOfFreedom.clone();
    }

    /** @return how the degrees of freedom were fitted */
    public DegreesOfFreedom.Constraint constraint() {
        return constraint;
    }

    @Override
    public double[] weights() {
        return scales.weights();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The scales' count (the limit model's weights, locations and scale parameters) plus the fitted degrees of
     * freedom: K when free, 1 when equal, none when fixed (McLachlan, Bean and Ben-Tahar 2007, §5).
     */
    @Override
    public int parameterCount() {
        return scales.parameterCount() + constraint.parameters(k);
    }

    /** @return {@code true}: a row with missing values is evaluated on its observed coordinates */
    @Override
    protected boolean evaluatesMissingValues() {
        return true;
    }

    /**
     * @param x      the rows
     * @param offset where the row starts in {@code x}
     * @return whether the row misses a value
     */
    protected final boolean missesValues(double[] x, int offset) {
        boolean missing = false;
        for (int j = 0; j < d && !missing; j++) {
            missing = Double.isNaN(x[offset + j]);
        }
        return missing;
    }

    /** Equal: a model of the same class with equal scales, degrees of freedom and constraint. */
    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((ScaleMixtureModel<?>) o).scales.equals(scales)
                && Arrays.equals(((ScaleMixtureModel<?>) o).degreesOfFreedom, degreesOfFreedom)
                && ((ScaleMixtureModel<?>) o).constraint == constraint;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scales, Arrays.hashCode(degreesOfFreedom), constraint);
    }
}
