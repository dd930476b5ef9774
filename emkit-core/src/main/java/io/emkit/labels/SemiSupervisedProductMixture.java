package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;

import java.util.List;
import java.util.Objects;

/**
 * Semi-supervised EM for a mixture of independent columns ({@link ProductMixture}: categorical, Bernoulli, Poisson,
 * Gaussian, ... columns): one component per class, a row of known class from its class's component, an unlabelled
 * row from any. EM maximises the semi-supervised log-likelihood
 *
 * <pre>  Σ_{labelled i} w_i log π_{class(i)} f_{class(i)}(x_i)  +  Σ_{unlabelled i} w_i log Σ_c π_c f_c(x_i)</pre>
 *
 * <p>which never decreases. One start, deterministic: one M-step with every labelled row wholly in its class's
 * component and every unlabelled row spread evenly over the components (as {@link SemiSupervisedGaussianMixture}).
 * Component c stands for class c, the classes in sorted order.
 */
public final class SemiSupervisedProductMixture {
    private final ProductMixture config;

    private SemiSupervisedProductMixture(ProductMixture config) {
        this.config = config;
    }

    /**
     * @param config the mixture's families, category names, regularisation and EM options (its number of
     *               components must be the number of classes; its initialisations and search do not apply)
     * @return the configuration
     */
    public static SemiSupervisedProductMixture of(ProductMixture config) {
        return new SemiSupervisedProductMixture(Objects.requireNonNull(config, "config"));
    }

    /**
     * A fitted product mixture whose components stand for classes.
     *
     * @param em               how EM went; its log-likelihood is the semi-supervised one
     * @param componentClasses per component the name of its class
     */
    public record Fit(EmResult<ProductMixtureModel> em, List<String> componentClasses) {
    }

    /**
     * Fits the mixture.
     *
     * @param data       the rows (in memory)
     * @param labels     one class or none per row
     * @param components the number of components asked for: the number of classes
     * @return the fit
     * @throws EmkitException naming a class that no component can take, or if the data cannot be fitted
     */
    public Fit fit(Dataset data, ClassLabels labels, int components) {
        if (labels.rows() != data.rows()) {
            throw new EmkitException("the labels have " + labels.rows() + " rows but the data have " + data.rows());
        }
        SemiSupervisedGaussianMixture.withCovariance(io.emkit.gaussian.covariance.CovarianceType.FULL)
                .checkComponents(components, labels);
        int[] classOfComponent = LabelledStart.classOfComponent(labels.classes(), 1);
        EmResult<ProductMixtureModel> em = config.fitWithKnownComponents(data, new ClassRestriction(labels,
                classOfComponent));
        return new Fit(em, LabelledStart.componentNames(labels, 1));
    }

    @Override
    public String toString() {
        return "SemiSupervisedProductMixture[" + config + "]";
    }
}
