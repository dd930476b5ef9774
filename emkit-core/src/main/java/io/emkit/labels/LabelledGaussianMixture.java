package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Gaussian mixture whose components stand for classes: what semi-supervised EM fits. A row's class
 * probability is the sum of its responsibilities over the class's components, and its predicted class the most
 * probable one.
 */
public final class LabelledGaussianMixture {
    private final GaussianMixtureModel mixture;
    private final List<String> componentClasses;
    private final List<String> classNames;
    private final int[] classOfComponent;

    /**
     * @param mixture          the mixture
     * @param componentClasses per component the name of the class it stands for
     * @throws EmkitException if the counts differ or a name is blank
     */
    public LabelledGaussianMixture(GaussianMixtureModel mixture, List<String> componentClasses) {
        this.mixture = Objects.requireNonNull(mixture, "mixture");
        if (componentClasses.size() != mixture.components()) {
            throw new EmkitException("the mixture has " + mixture.components() + " components but "
                    + componentClasses.size() + " component classes are given");
        }
        List<String> names = new ArrayList<>();
        classOfComponent = new int[componentClasses.size()];
        for (int c = 0; c < classOfComponent.length; c++) {
            String name = componentClasses.get(c);
            if (name == null || name.isBlank()) {
                throw new EmkitException("component " + (c + 1) + " has no class name");
            }
            if (!names.contains(name)) {
                names.add(name);
            }
            classOfComponent[c] = names.indexOf(name);
        }
        this.componentClasses = List.copyOf(componentClasses);
        this.classNames = List.copyOf(names);
    }

    /** @return the mixture */
    public GaussianMixtureModel mixture() {
        return mixture;
    }

    /** @return per component the name of its class */
    public List<String> componentClasses() {
        return componentClasses;
    }

    /** @return the classes, in the order their first components come */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The classes' current priors: per class the sum of its components' weights.
     *
     * @return per class its prior, in {@link #classNames()} order
     */
    public double[] classPriors() {
        double[] out = new double[classNames.size()];
        double[] w = mixture.weights();
        for (int c = 0; c < w.length; c++) {
            out[classOfComponent[c]] += w[c];
        }
        return out;
    }

    /**
     * The same classes with other priors (mclust's {@code predict(..., prop = )}): class g's components keep their
     * weights within the class, scaled so that they sum to {@code priors[g]}. A row's class probabilities become
     * {@code P(g | x) ∝ priors[g] · f_g(x)}, with {@code f_g} the class's own mixture density.
     *
     * @param priors per class, in {@link #classNames()} order, a prior &gt; 0; they are divided by their sum
     * @return the reweighted model
     * @throws EmkitException if the count differs from the classes' or a prior is not a finite positive number
     */
    public LabelledGaussianMixture withClassPriors(double[] priors) {
        if (priors.length != classNames.size()) {
            throw new EmkitException(priors.length + " class priors given for " + classNames.size() + " classes "
                    + classNames);
        }
        double sum = 0;
        for (int g = 0; g < priors.length; g++) {
            if (!(priors[g] > 0) || Double.isInfinite(priors[g])) {
                throw new EmkitException("the prior of class '" + classNames.get(g) + "' must be a number > 0, got "
                        + priors[g]);
            }
            sum += priors[g];
        }
        double[] current = classPriors();
        double[] w = mixture.weights();
        double[] out = new double[w.length];
        for (int c = 0; c < w.length; c++) {
            int g = classOfComponent[c];
            out[c] = w[c] / current[g] * (priors[g] / sum);
        }
        GaussianMixtureModel reweighted = GaussianMixtureModel.of(mixture.covarianceType(), out, mixture.means(),
                mixture.covariances()).withFeatureNames(mixture.featureNames());
        return new LabelledGaussianMixture(reweighted, componentClasses);
    }

    /**
     * Each row's probability of each class: the sum of its responsibilities over the class's components.
     *
     * @param data rows with the mixture's features
     * @return per row one probability per class, in {@link #classNames()} order
     */
    public double[][] classProbabilities(Dataset data) {
        double[][] resp = mixture.predictProba(data);
        double[][] out = new double[resp.length][classNames.size()];
        for (int i = 0; i < resp.length; i++) {
            for (int c = 0; c < classOfComponent.length; c++) {
                out[i][classOfComponent[c]] += resp[i][c];
            }
        }
        return out;
    }

    /**
     * Each row's most probable class (the first on a tie).
     *
     * @param data rows with the mixture's features
     * @return per row a class index into {@link #classNames()}
     */
    public int[] predictClasses(Dataset data) {
        double[][] p = classProbabilities(data);
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int g = 1; g < p[i].length; g++) {
                if (p[i][g] > p[i][out[i]]) {
                    out[i] = g;
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "LabelledGaussianMixture[" + componentClasses + ", " + mixture + "]";
    }
}
