package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.data.Rows;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.SearchSpace;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.student.DegreesOfFreedom;

import java.util.Objects;

/**
 * Configures and runs the fit of a mixture of t factor analysers ({@link StudentFactorAnalyserMixtureModel}) by
 * EM ({@link StudentFactorAnalyserSteps}). Immutable; each setter returns a changed copy.
 *
 * <p>A fit is described as a {@link FactorAnalyserMixture}'s — a {@link GaussianMixture} configuration
 * (components, initialisation, {@code regCovar}, EM options) and the number of factors Q — plus how the degrees of
 * freedom are fitted ({@link DegreesOfFreedom}: free per component, equal, or fixed). It searches from the same
 * starts as the factor analysers (full-covariance Gaussian starts turned into loadings and uniquenesses,
 * {@link FactorStarts}), every {@code ν} at its start, and ranks them by the t likelihood. A warm start
 * ({@link #initialModel}) makes one run instead. The same seed gives the same result bit for bit whatever the
 * number of threads.
 *
 * <p>Missing values ({@code NaN}) are fitted exactly on each row's observed coordinates (assumed missing at
 * random). Not yet: priors, hard assignment, mini-batch EM, Spark.
 */
public final class StudentFactorAnalyserMixture {
    private final FactorAnalyserMixture factorAnalysers;
    private final DegreesOfFreedom degreesOfFreedom;
    private final StudentFactorAnalyserMixtureModel initialModel;

    private StudentFactorAnalyserMixture(FactorAnalyserMixture factorAnalysers, DegreesOfFreedom degreesOfFreedom,
                                         StudentFactorAnalyserMixtureModel initialModel) {
        this.factorAnalysers = Objects.requireNonNull(factorAnalysers, "factorAnalysers");
        this.degreesOfFreedom = Objects.requireNonNull(degreesOfFreedom, "degreesOfFreedom");
        this.initialModel = initialModel;
    }

    /**
     * A mixture of t factor analysers configured like a Gaussian mixture, with free degrees of freedom.
     *
     * @param gaussian components, initialisation, {@code regCovar} and EM options; soft assignment, no prior, no
     *                 mini-batches
     * @param factors  factors per component, at least 1 (and fewer than the data's columns)
     * @return the configuration
     * @throws EmkitException as {@link FactorAnalyserMixture#like} does
     */
    public static StudentFactorAnalyserMixture like(GaussianMixture gaussian, int factors) {
        return new StudentFactorAnalyserMixture(FactorAnalyserMixture.like(gaussian, factors), DegreesOfFreedom.free(),
                null);
    }

    /**
     * @param dof how the degrees of freedom are fitted
     * @return a changed copy
     */
    public StudentFactorAnalyserMixture degreesOfFreedom(DegreesOfFreedom dof) {
        return new StudentFactorAnalyserMixture(factorAnalysers, dof, initialModel);
    }

    /**
     * @param model start EM from these parameters (one run) instead of the search; {@code null} for the search
     * @return a changed copy
     */
    public StudentFactorAnalyserMixture initialModel(StudentFactorAnalyserMixtureModel model) {
        return new StudentFactorAnalyserMixture(factorAnalysers, degreesOfFreedom, model);
    }

    /** @return the Gaussian configuration the fit takes its settings and starts from (full covariance) */
    public GaussianMixture gaussian() {
        return factorAnalysers.gaussian();
    }

    /** @return the factors per component */
    public int factors() {
        return factorAnalysers.factors();
    }

    /** @return how the degrees of freedom are fitted */
    public DegreesOfFreedom degreesOfFreedom() {
        return degreesOfFreedom;
    }

    /** @return the E- and M-step of this configuration */
    public StudentFactorAnalyserSteps steps() {
        return new StudentFactorAnalyserSteps(gaussian().regCovar(), degreesOfFreedom);
    }

    /**
     * Fits the mixture of t factor analysers to the rows of {@code data}.
     *
     * @param data rows to fit: no infinite values, more columns than factors, at least K distinct rows, weighted
     *             or not, in memory or streamed from a file; missing values ({@code NaN}) are allowed as long as
     *             every column has an observed one
     * @return the model (named after the data's columns) and how the fit went; its warnings say when degrees of
     *         freedom ran off towards infinity
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<StudentFactorAnalyserMixtureModel> fit(Rows data) {
        factorAnalysers.checkData(data);
        return ExpectationMaximization.fit(steps(), data, searchSpace(data, data.rows()), runOptions());
    }

    /**
     * This fit with its E-steps run by another engine — Spark — through the same loop as {@link #fit(Rows)}: the
     * starts come from the sample the engine passes (all the rows, in order, when there are few enough: then the fit
     * is this machine's); every E-step visits all the rows, missing values included.
     *
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<StudentFactorAnalyserMixtureModel, StudentFactorStatistics> distributed() {
        return new DistributedFit<>(steps(), (runner, rows, sample) -> {
            factorAnalysers.checkData(sample);
            return ExpectationMaximization.fit(steps(), runner, DistributedFit.units(rows, sample),
                    searchSpace(sample, rows), runOptions());
        });
    }

    private EmOptions runOptions() {
        return initialModel != null ? gaussian().options().withInitializations(1) : factorAnalysers.runOptions();
    }

    /**
     * The starts: a warm start, or the factor analysers' own starts (the Gaussian ones, or on wide data
     * {@link WideStarts}) with every {@code ν} where fits start it.
     */
    private SearchSpace<StudentFactorAnalyserMixtureModel> searchSpace(Rows data, long rows) {
        if (initialModel != null) {
            int k = gaussian().components();
            if (initialModel.components() != k || initialModel.dimension() != data.columns()
                    || initialModel.factors() != factors()) {
                throw new EmkitException("the initial model has " + initialModel.components() + " components, "
                        + initialModel.dimension() + " features and " + initialModel.factors() + " factors; the fit"
                        + " asks for " + k + " components and " + factors() + " factors, and the data have "
                        + data.columns() + " columns");
            }
            StudentFactorAnalyserMixtureModel start = initialModel.withFeatureNames(data.columnNames());
            return SearchSpace.of("warm start", r -> start, 1);
        }
        SearchSpace<FactorAnalyserMixtureModel> starts = factorAnalysers.searchSpace(data, rows);
        return SearchSpace.startsOf(starts, this::withStartingDegrees, starts.stepCost());
    }

    /** A factor analysers' start as a t start: every {@code ν} where fits start it. */
    StudentFactorAnalyserMixtureModel withStartingDegrees(FactorAnalyserMixtureModel scales) {
        return new StudentFactorAnalyserMixtureModel(scales, degreesOfFreedom.starts(scales.components()),
                degreesOfFreedom.constraint());
    }

    @Override
    public String toString() {
        return "StudentFactorAnalyserMixture[" + gaussian() + ", " + factors() + " factors, df " + degreesOfFreedom
                + "]";
    }
}
