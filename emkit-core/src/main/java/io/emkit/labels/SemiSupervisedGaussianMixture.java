package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianKernelSteps;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianPrior;
import io.emkit.gaussian.GaussianStatistics;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.Assignment;
import io.emkit.mixture.DataChecks;

import java.util.List;
import java.util.Objects;

/**
 * Semi-supervised EM for a Gaussian mixture (mclust's {@code MclustSSC}): some rows' classes are known. Each class
 * owns {@link #componentsPerClass} components; a row of known class comes from one of its class's components (its
 * responsibilities are spread over them alone by the E-step, so with one component per class they are fixed at
 * 1), an unlabelled row from any component (the ordinary E-step). EM then maximises the semi-supervised
 * log-likelihood
 *
 * <pre>  Σ_{labelled i} w_i log Σ_{c of class(i)} π_c φ(x_i; μ_c, Σ_c)  +  Σ_{unlabelled i} w_i log Σ_c π_c φ(x_i; μ_c, Σ_c)</pre>
 *
 * <p>which never decreases; the M-step is the Gaussian mixture's, for any of the 14 structures, with the same
 * regularisation or prior. The fit starts from the labelled rows ({@link LabelledStart}: each class's weighted
 * mean and covariance), so it makes no random choice and runs once.
 *
 * <pre>{@code
 * SemiSupervisedFit fit = SemiSupervisedGaussianMixture.withCovariance(CovarianceType.FULL).fit(data, labels);
 * int[] classes = fit.model().predictClasses(data);
 * }</pre>
 */
public final class SemiSupervisedGaussianMixture {
    private final CovarianceType covarianceType;
    private final int componentsPerClass;
    private final double regCovar;
    private final GaussianPrior prior;
    private final EmOptions options;

    private SemiSupervisedGaussianMixture(CovarianceType covarianceType, int componentsPerClass, double regCovar,
                                          GaussianPrior prior, EmOptions options) {
        this.covarianceType = covarianceType;
        this.componentsPerClass = componentsPerClass;
        this.regCovar = regCovar;
        this.prior = prior;
        this.options = options;
    }

    /**
     * A fit with one component per class, {@code regCovar} {@value GaussianMixture#DEFAULT_REG_COVAR}, no prior and
     * the default EM options but plain EM ({@link Acceleration#NONE}): from the one start, SQUAREM's extrapolations
     * can carry a run to another local optimum, and plain EM's path is mclust's.
     *
     * @param type the covariance structure
     * @return the configuration
     */
    public static SemiSupervisedGaussianMixture withCovariance(CovarianceType type) {
        return new SemiSupervisedGaussianMixture(Objects.requireNonNull(type, "type"), 1,
                GaussianMixture.DEFAULT_REG_COVAR, null, EmOptions.defaults().withAcceleration(Acceleration.NONE));
    }

    /**
     * @param perClass how many components each class owns (≥ 1)
     * @return changed configuration
     */
    public SemiSupervisedGaussianMixture componentsPerClass(int perClass) {
        if (perClass < 1) {
            throw new IllegalArgumentException("components per class must be at least 1, got " + perClass);
        }
        return new SemiSupervisedGaussianMixture(covarianceType, perClass, regCovar, prior, options);
    }

    /**
     * @param reg added to covariance diagonals in every M-step (≥ 0; not used under a prior)
     * @return changed configuration
     */
    public SemiSupervisedGaussianMixture regCovar(double reg) {
        if (!(reg >= 0) || Double.isInfinite(reg)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + reg);
        }
        return new SemiSupervisedGaussianMixture(covarianceType, componentsPerClass, reg, prior, options);
    }

    /**
     * @param p a conjugate prior (MAP-EM; its data-dependent values are taken from the rows), or {@code null} for
     *          maximum likelihood
     * @return changed configuration
     */
    public SemiSupervisedGaussianMixture prior(GaussianPrior p) {
        return new SemiSupervisedGaussianMixture(covarianceType, componentsPerClass, regCovar, p, options);
    }

    /**
     * @param emOptions tolerance, iterations, threads, block size, listener and acceleration; the start is one,
     *                  whatever the options' initialisations or search say
     * @return changed configuration
     */
    public SemiSupervisedGaussianMixture options(EmOptions emOptions) {
        return new SemiSupervisedGaussianMixture(covarianceType, componentsPerClass, regCovar, prior,
                Objects.requireNonNull(emOptions, "options"));
    }

    /** @return the covariance structure */
    public CovarianceType covarianceType() {
        return covarianceType;
    }

    /** @return components per class */
    public int componentsPerClass() {
        return componentsPerClass;
    }

    /** @return the prior, or {@code null} */
    public GaussianPrior prior() {
        return prior;
    }

    /** @return the EM options */
    public EmOptions options() {
        return options;
    }

    /**
     * Checks that {@code components} components are what these labels need: one set of
     * {@link #componentsPerClass} per class, none missing and none without a class.
     *
     * @param components the number of components asked for
     * @param labels     the classes
     * @throws EmkitException naming a class that no component would take, or saying that components would be
     *                        left without a class
     */
    public void checkComponents(int components, ClassLabels labels) {
        int needed = labels.classes() * componentsPerClass;
        if (components % componentsPerClass != 0) {
            throw new EmkitException(components + " components cannot be shared " + componentsPerClass + " per class;"
                    + " ask for " + needed + " components (" + labels.classes() + " classes x " + componentsPerClass + ")");
        }
        if (components < needed) {
            int covered = components / componentsPerClass;
            String first = labels.names().get(covered);
            throw new EmkitException("class '" + first + "' has labelled rows but no component to take it: "
                    + components + " components at " + componentsPerClass + " per class cover " + covered + " of the "
                    + labels.classes() + " classes (" + EmkitException.list(labels.names()) + "); ask for " + needed
                    + " components");
        }
        if (components > needed) {
            throw new EmkitException(components + " components for " + labels.classes() + " classes at "
                    + componentsPerClass + " per class leave " + (components - needed) + " without a class, which"
                    + " semi-supervised EM does not fit yet; ask for " + needed + " components (or raise the"
                    + " components per class)");
        }
    }

    /**
     * Fits the mixture.
     *
     * @param data   the rows (weighted or not; missing values allowed, as in {@link GaussianMixture#fit})
     * @param labels one class or none per row
     * @return the fit: how EM went (its log-likelihood is the semi-supervised one) and the mixture with a class
     *         per component
     * @throws EmkitException if the data cannot be fitted or a class has too few labelled rows
     */
    public SemiSupervisedFit fit(Dataset data, ClassLabels labels) {
        if (labels.rows() != data.rows()) {
            throw new EmkitException("the labels have " + labels.rows() + " rows but the data have " + data.rows());
        }
        int k = labels.classes() * componentsPerClass;
        DataChecks.requireFittable(data, k, "component", true);
        GaussianMixtureSteps plain = new GaussianMixtureSteps(covarianceType, regCovar, Assignment.SOFT,
                prior == null ? null : prior.resolve(data, k)).sizedFor(data.rows(), k);
        GaussianMixtureModel start = LabelledStart.of(plain, covarianceType, data, labels, componentsPerClass)
                .withFeatureNames(data.columnNames());
        GaussianMixtureSteps steps = plain.restrictedTo(
                new ClassRestriction(labels, LabelledStart.classOfComponent(labels.classes(), componentsPerClass)));
        EmResult<GaussianMixtureModel> em = ExpectationMaximization.fit(steps, data, (rows, random) -> start,
                options.withInitializations(1));
        return new SemiSupervisedFit(em, new LabelledGaussianMixture(em.params(),
                LabelledStart.componentNames(labels, componentsPerClass)), start);
    }

    /**
     * This fit with its E-steps run by another engine (Spark). Each row carries its class as one more, last, column:
     * the class's index into {@code classNames}, or {@code NaN} for an unlabelled row; the partitions' kernel splits
     * it off and restricts the row's components as {@link #fit} does. The start ({@link LabelledStart}) and the
     * prior's data-dependent values look at the sample the engine passes: when it holds every row, in order, the fit
     * is {@link #fit}'s to rounding.
     *
     * @param classNames the classes, in class order ({@link ClassLabels#names()} of all the rows' labels)
     * @return the partition kernel and the loop around it; the loop's result is {@link #fit}'s {@code em()}
     * @throws EmkitException (from the loop) if a class has no labelled row in the sample
     */
    public DistributedFit<GaussianMixtureModel, GaussianStatistics> distributed(List<String> classNames) {
        List<String> names = List.copyOf(classNames);
        int[] classOfComponent = LabelledStart.classOfComponent(names.size(), componentsPerClass);
        LabelColumnSteps kernel = new LabelColumnSteps(new GaussianMixtureSteps(covarianceType, regCovar,
                Assignment.SOFT, null), names.size(), classOfComponent);
        return new DistributedFit<>(kernel, (runner, rows, sample) -> {
            int d = sample.columns() - 1;
            String[] cells = new String[sample.rows()];
            for (int i = 0; i < cells.length; i++) {
                double g = sample.get(i, d);
                cells[i] = Double.isNaN(g) ? null : names.get((int) g);
            }
            ClassLabels labels = ClassLabels.of(cells);
            if (labels.classes() != names.size()) {
                String absent = names.stream().filter(n -> !labels.names().contains(n)).findFirst().orElseThrow();
                throw new EmkitException("class '" + absent + "' has no labelled row among the " + sample.rows()
                        + " rows sampled for the start; label more of its rows");
            }
            int[] features = new int[d];
            for (int j = 0; j < d; j++) {
                features[j] = j;
            }
            Dataset data = sample.selectColumns(features);
            int k = names.size() * componentsPerClass;
            DataChecks.requireFittable(data, k, "component", true);
            GaussianMixtureSteps plain = new GaussianMixtureSteps(covarianceType, regCovar, Assignment.SOFT,
                    prior == null ? null : prior.resolve(data, k)).sizedFor(data.rows(), k);
            GaussianMixtureModel start = LabelledStart.of(plain, covarianceType, data, labels, componentsPerClass)
                    .withFeatureNames(data.columnNames());
            // Weighted rows are counted by their total weight, as on one machine.
            return ExpectationMaximization.fit(plain, runner, DistributedFit.units(rows, sample), r -> start,
                    options.withInitializations(1));
        });
    }

    /**
     * The classes of the components of a fit with these classes: class g owns components {@code g·perClass} to
     * {@code (g + 1)·perClass − 1}.
     *
     * @param classNames the classes, in class order
     * @return per component its class's name
     */
    public List<String> componentClasses(List<String> classNames) {
        return LabelledStart.componentNames(classNames, componentsPerClass);
    }

    /**
     * The E-step on a partition whose rows end with their class's index ({@code NaN}: unlabelled): the Gaussian
     * mixture's kernel over the other columns, each labelled row restricted to its class's components.
     */
    private record LabelColumnSteps(GaussianMixtureSteps kernel, int classes, int[] classOfComponent)
            implements GaussianKernelSteps {
        private static final long serialVersionUID = 1L;

        @Override
        public double accumulatePartition(GaussianMixtureModel params, Dataset rows, long firstRow,
                                          GaussianStatistics statistics) {
            int d = rows.columns() - 1;
            int[] features = new int[d];
            for (int j = 0; j < d; j++) {
                features[j] = j;
            }
            int[] classOfRow = new int[rows.rows()];
            for (int i = 0; i < classOfRow.length; i++) {
                double g = rows.get(i, d);
                classOfRow[i] = Double.isNaN(g) ? -1 : (int) g;
            }
            return kernel.restrictedTo(new ClassRestriction(classOfRow, classes, classOfComponent))
                    .accumulate(params, rows.selectColumns(features), 0, rows.rows(), statistics);
        }
    }

    @Override
    public String toString() {
        return "SemiSupervisedGaussianMixture[covariance=" + covarianceType + ", componentsPerClass="
                + componentsPerClass + ", regCovar=" + regCovar + (prior == null ? "" : ", prior=" + prior) + ", "
                + options + "]";
    }
}
