package io.emkit.student;

import io.emkit.EmkitException;
import io.emkit.data.Rows;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.SearchSpace;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.init.Initialization;
import io.emkit.mixture.Assignment;
import io.emkit.mixture.DataChecks;

import java.util.Objects;

/**
 * Configures and runs the fit of a mixture of multivariate Student-t distributions ({@link StudentMixtureModel})
 * by ECM ({@link StudentMixtureSteps}). Immutable; each setter returns a changed copy.
 *
 * <p>A fit is described by a {@link GaussianMixture} configuration — components, structure of the scale
 * matrices, initialisation, {@code regCovar}, EM options (seed, threads, tolerance, iterations, search) — and
 * how the degrees of freedom are fitted. It searches from the starts a Gaussian fit of that configuration
 * would take ({@link GaussianMixture#searchSpace}: k-means++, random rows, random responsibilities,
 * hierarchical clustering, split-and-merge moves), every {@code ν} starting at {@value DegreesOfFreedom#START}
 * (or the fixed value), and ranks them by the t likelihood; not from the Gaussian optimum, where outliers may
 * have taken a component of their own. A warm start ({@link #initialModel}, or the Gaussian configuration's
 * initial model) makes one run instead. The same seed gives the same result bit for bit whatever the number of
 * threads.
 *
 * <p>Missing values ({@code NaN}, in memory) are fitted exactly on each row's observed coordinates. With a prior on
 * the Gaussian configuration ({@link GaussianMixture#prior}) the fit is MAP-EM under it (conjugate given the latent
 * scales; none on the degrees of freedom: {@link StudentMixtureSteps#StudentMixtureSteps(
 * io.emkit.gaussian.covariance.CovarianceType, double, DegreesOfFreedom, io.emkit.gaussian.GaussianPrior)}), and
 * the log posterior never decreases. Other engines (Spark) run it through {@link #distributed()}. Not yet: hard assignment and mini-batch EM.
 */
public final class StudentMixture {
    private final GaussianMixture gaussian;
    private final DegreesOfFreedom degreesOfFreedom;
    private final StudentMixtureModel initialModel;

    private StudentMixture(GaussianMixture gaussian, DegreesOfFreedom degreesOfFreedom, StudentMixtureModel initialModel) {
        this.gaussian = Objects.requireNonNull(gaussian, "gaussian");
        this.degreesOfFreedom = Objects.requireNonNull(degreesOfFreedom, "degreesOfFreedom");
        this.initialModel = initialModel;
    }

    /**
     * A t mixture configured like a Gaussian one, with free degrees of freedom.
     *
     * @param gaussian components, structure, initialisation, {@code regCovar}, prior and EM options; soft
     *                 assignment, no mini-batches
     * @return the configuration
     * @throws EmkitException if the Gaussian configuration asks for what t mixtures do not do yet
     */
    public static StudentMixture like(GaussianMixture gaussian) {
        if (gaussian.assignment() != Assignment.SOFT) {
            throw new EmkitException("t mixtures are fitted by ordinary (soft) EM; hard assignment is not supported");
        }
        if (gaussian.miniBatch() != null) {
            throw new EmkitException("t mixtures are fitted by full EM; mini-batch EM is not supported");
        }
        return new StudentMixture(gaussian, DegreesOfFreedom.free(), null);
    }

    /**
     * @param dof how the degrees of freedom are fitted
     * @return a changed copy
     */
    public StudentMixture degreesOfFreedom(DegreesOfFreedom dof) {
        return new StudentMixture(gaussian, dof, initialModel);
    }

    /**
     * @param model start EM from these parameters (a warm start) instead of a Gaussian fit; {@code null} to fit
     *              the Gaussian start
     * @return a changed copy
     */
    public StudentMixture initialModel(StudentMixtureModel model) {
        return new StudentMixture(gaussian, degreesOfFreedom, model);
    }

    /** @return the Gaussian configuration the fit takes its settings and start from */
    public GaussianMixture gaussian() {
        return gaussian;
    }

    /** @return the t model EM starts from, or {@code null} when it searches from the Gaussian starts */
    public StudentMixtureModel initialModel() {
        return initialModel;
    }

    /** @return how the degrees of freedom are fitted */
    public DegreesOfFreedom degreesOfFreedom() {
        return degreesOfFreedom;
    }

    /**
     * @return the E- and M-step of this configuration by maximum likelihood
     * @throws EmkitException if the configuration has a prior, which takes values from the data: use
     *                        {@link #steps(Rows)}
     */
    public StudentMixtureSteps steps() {
        if (gaussian.prior() != null) {
            throw new EmkitException("a prior takes values from the data: ask for the steps with the data");
        }
        return new StudentMixtureSteps(gaussian.covarianceType(), gaussian.regCovar(), degreesOfFreedom);
    }

    /**
     * @param data the rows the fit gets, from which a prior takes its unset values as a Gaussian fit's does
     *             ({@link GaussianMixture#resolvedPrior}; for rows streamed from a file, from the rows its starts
     *             look at)
     * @return the E- and M-step of this configuration: MAP-EM under the Gaussian configuration's prior, if any
     */
    public StudentMixtureSteps steps(Rows data) {
        io.emkit.gaussian.GaussianPrior prior = gaussian.prior() == null ? null : gaussian.resolvedPrior(
                data instanceof io.emkit.data.Dataset inMemory ? inMemory
                        : data.sample(GaussianMixture.STREAMING_INIT_ROWS, gaussian.options().seed()));
        return new StudentMixtureSteps(gaussian.covarianceType(), gaussian.regCovar(), degreesOfFreedom, prior);
    }

    /**
     * Fits the t mixture to the rows of {@code data}.
     *
     * @param data rows to fit: no infinite values, at least K distinct rows, weighted or not; in memory, missing
     *             values ({@code NaN}) are allowed as long as every column has an observed one (each row is then
     *             fitted on its observed coordinates, exactly, assuming the values are missing at random); rows
     *             streamed from a file must be complete
     * @return the model (named after the data's columns) and how the fit went; its warnings say when degrees of
     *         freedom ran off towards infinity (the data show no heavier tails than a Gaussian's)
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<StudentMixtureModel> fit(Rows data) {
        int k = gaussian.components();
        if (data instanceof io.emkit.data.Dataset inMemory) {
            DataChecks.requireFittable(inMemory, k, "component", true);
        } else {
            DataChecks.requireFiniteRows(data, k, "t mixtures");
        }
        return ExpectationMaximization.fit(steps(data), data, searchSpace(data, data.rows()), runOptions());
    }

    /**
     * This fit with its E-steps run by another engine — Spark, for instance — through the same loop as
     * {@link #fit(Rows)}: the starts (and a prior's values) come from the sample the engine passes, a sample of
     * the rows in memory (all of them, in order, when there are few enough: then the fit is this machine's);
     * every E-step visits all the rows, missing values included.
     *
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<StudentMixtureModel, StudentStatistics> distributed() {
        // The E-step does not use the prior: the kernel shipped to the partitions is the same whatever the data.
        StudentMixtureSteps kernel = new StudentMixtureSteps(gaussian.covarianceType(), gaussian.regCovar(),
                degreesOfFreedom);
        return new DistributedFit<>(kernel, (runner, rows, sample) -> {
            DataChecks.requireFittable(sample, gaussian.components(), "component", true);
            return ExpectationMaximization.fit(steps(sample), runner, DistributedFit.units(rows, sample),
                    searchSpace(sample, rows), runOptions());
        });
    }

    /** The EM options of a fit: one run from a warm start or from the (deterministic) hierarchical start. */
    private EmOptions runOptions() {
        EmOptions options = gaussian.options();
        boolean single = initialModel != null || gaussian.initialModel() != null
                || gaussian.initialization() == Initialization.HIERARCHICAL && options.search() == null;
        return single ? options.withInitializations(1) : options;
    }

    /**
     * The starts of a fit of {@code rows} rows, looking at {@code data} (the rows themselves, or a sample of them
     * another engine holds): a warm start, or the Gaussian starts with an E-step's cost scaled to all the rows.
     */
    private SearchSpace<StudentMixtureModel> searchSpace(Rows data, long rows) {
        int k = gaussian.components();
        if (initialModel != null || gaussian.initialModel() != null) {
            StudentMixtureModel start = initialModel != null ? checkedStart(initialModel, k, data)
                    : withStartingDegrees(gaussian.initialModel().withFeatureNames(data.columnNames()));
            return SearchSpace.of("warm start", r -> start, 1);
        }
        return fromGaussianStarts(gaussian.searchSpace(data), (double) rows / data.rows());
    }

    private static StudentMixtureModel checkedStart(StudentMixtureModel model, int k, Rows data) {
        if (model.components() != k || model.dimension() != data.columns()) {
            throw new EmkitException("the initial model has " + model.components() + " components and "
                    + model.dimension() + " features; the fit asks for " + k + " and the data have " + data.columns());
        }
        return model.withFeatureNames(data.columnNames());
    }

    /** A Gaussian start as a t start: its weights, means and covariances, every {@code ν} where fits start it. */
    private StudentMixtureModel withStartingDegrees(GaussianMixtureModel g) {
        return new StudentMixtureModel(g, degreesOfFreedom.starts(g.components()), degreesOfFreedom.constraint());
    }

    /**
     * The Gaussian mixture's starts and moves, as t starts: each Gaussian start (and each split-and-merge
     * candidate of a fit's scale matrices) with every {@code ν} at its start. A t fit searches from the same
     * places as a Gaussian one rather than from the Gaussian optimum, which outliers may have spoiled (a
     * component spent on a few far rows).
     */
    private SearchSpace<StudentMixtureModel> fromGaussianStarts(SearchSpace<GaussianMixtureModel> starts,
                                                                double costScale) {
        return SearchSpace.startsAndMovesOf(starts, this::withStartingDegrees, starts.stepCost() * costScale,
                StudentMixtureModel::scales, (fitted, g) -> withStartingDegrees(g));
    }

    @Override
    public String toString() {
        return "StudentMixture[" + gaussian + ", df " + degreesOfFreedom + "]";
    }
}
