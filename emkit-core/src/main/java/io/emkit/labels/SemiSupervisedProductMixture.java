package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmResult;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;

import java.util.List;
import java.util.Objects;

/**
 * Semi-supervised EM for a mixture of independent columns ({@link ProductMixture}: categorical, Bernoulli, Poisson,
 * Gaussian, ... columns): one component per class (or several), a row of known class from its class's component(s),
 * an unlabelled row from any. EM maximises the semi-supervised log-likelihood
 *
 * <pre>  Σ_{labelled i} w_i log π_{class(i)} f_{class(i)}(x_i)  +  Σ_{unlabelled i} w_i log Σ_c π_c f_c(x_i)</pre>
 *
 * <p>which never decreases (with several components per class, f_{class(i)} is the class's own mixture of them). With
 * one component per class, one start, deterministic: one M-step with every labelled row wholly in its class's
 * component and every unlabelled row spread evenly over the components (as {@link SemiSupervisedGaussianMixture}).
 * With several, random splits of each class, searched. Component c stands for class ⌊c / perClass⌋, the classes in
 * sorted order.
 */
public final class SemiSupervisedProductMixture {
    private final ProductMixture config;

    private SemiSupervisedProductMixture(ProductMixture config) {
        this.config = config;
    }

    /**
     * @param config the mixture's families, category names, regularisation and EM options (its number of
     *               components must be the number of classes times the components per class; its initialisations
     *               and search apply only with several components per class)
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
     * Fits the mixture, one component per class.
     *
     * @param data       the rows (in memory)
     * @param labels     one class or none per row
     * @param components the number of components asked for: the number of classes
     * @return the fit
     * @throws EmkitException naming a class that no component can take, or if the data cannot be fitted
     */
    public Fit fit(Dataset data, ClassLabels labels, int components) {
        return fit(data, labels, components, 1);
    }

    /**
     * Fits the mixture with {@code perClass} components per class: class g owns components {@code g·perClass ...
     * (g+1)·perClass − 1}, a row of class g comes from one of them. With more than one per class the starts are
     * random splits of each class (see {@link ProductMixture#fitWithKnownComponents}), searched as the mixture's
     * options say.
     *
     * @param data       the rows (in memory)
     * @param labels     one class or none per row
     * @param components the number of components asked for: classes × perClass
     * @param perClass   components per class, at least 1
     * @return the fit
     * @throws EmkitException naming a class that no component can take, or if the data cannot be fitted
     */
    public Fit fit(Dataset data, ClassLabels labels, int components, int perClass) {
        if (labels.rows() != data.rows()) {
            throw new EmkitException("the labels have " + labels.rows() + " rows but the data have " + data.rows());
        }
        SemiSupervisedGaussianMixture.withCovariance(io.emkit.gaussian.covariance.CovarianceType.FULL)
                .componentsPerClass(perClass).checkComponents(components, labels);
        if (config.components() != components) {
            throw new IllegalArgumentException("the mixture has " + config.components() + " components, the fit asks "
                    + components);
        }
        int[] classOfComponent = LabelledStart.classOfComponent(labels.classes(), perClass);
        EmResult<ProductMixtureModel> em = config.fitWithKnownComponents(data,
                new ClassRestriction(labels, classOfComponent));
        return new Fit(em, LabelledStart.componentNames(labels, perClass));
    }

    /**
     * This fit with its E-steps run by another engine (Spark): each row carries its class as one more, last, column
     * (its index into {@code classNames}, {@code NaN} when unlabelled), as
     * {@link SemiSupervisedGaussianMixture#distributed} takes it; the configuration's number of components must be
     * the classes times {@code perClass}.
     *
     * @param classNames the classes, in class order
     * @param perClass   components per class, at least 1
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<ProductMixtureModel, ?> distributed(List<String> classNames, int perClass) {
        int classes = classNames.size();
        int[] classOfComponent = LabelledStart.classOfComponent(classes, perClass);
        if (config.components() != classOfComponent.length) {
            throw new IllegalArgumentException("the mixture has " + config.components() + " components, the classes "
                    + classOfComponent.length);
        }
        return config.distributedWithKnownComponents(column -> {
            int[] classOfRow = new int[column.length];
            for (int i = 0; i < column.length; i++) {
                classOfRow[i] = Double.isNaN(column[i]) ? -1 : (int) column[i];
            }
            return new ClassRestriction(classOfRow, classes, classOfComponent);
        });
    }

    @Override
    public String toString() {
        return "SemiSupervisedProductMixture[" + config + "]";
    }
}
