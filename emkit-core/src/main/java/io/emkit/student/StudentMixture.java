package io.emkit.student;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.IterationListener;
import io.emkit.em.SearchSpace;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.mixture.Assignment;
import io.emkit.mixture.DataChecks;

import java.util.Arrays;
import java.util.Objects;

/**
 * Configures and runs the fit of a mixture of multivariate Student-t distributions ({@link StudentMixtureModel})
 * by ECM ({@link StudentMixtureSteps}). Immutable; each setter returns a changed copy.
 *
 * <p>A fit is described by a {@link GaussianMixture} configuration — components, structure of the scale
 * matrices, initialisation, {@code regCovar}, EM options (seed, threads, tolerance, iterations, search) — and
 * how the degrees of freedom are fitted. It starts from the Gaussian mixture that configuration fits (its
 * search for the global optimum included), every {@code ν} at {@value DegreesOfFreedom#START} (or the fixed
 * value), and runs EM from there with the same options; or from a given t model ({@link #initialModel}).
 * The same seed gives the same result bit for bit whatever the number of threads.
 *
 * <p>Not yet: missing values (rows with one are refused, naming the row), hard assignment, priors, mini-batch
 * EM and other engines (Spark).
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
     * @param gaussian components, structure, initialisation, {@code regCovar} and EM options; soft assignment,
     *                 no prior, no mini-batches
     * @return the configuration
     * @throws EmkitException if the Gaussian configuration asks for what t mixtures do not do yet
     */
    public static StudentMixture like(GaussianMixture gaussian) {
        if (gaussian.assignment() != Assignment.SOFT) {
            throw new EmkitException("t mixtures are fitted by ordinary (soft) EM; hard assignment is not supported");
        }
        if (gaussian.prior() != null) {
            throw new EmkitException("t mixtures are fitted by maximum likelihood; a prior is not supported");
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

    /** @return how the degrees of freedom are fitted */
    public DegreesOfFreedom degreesOfFreedom() {
        return degreesOfFreedom;
    }

    /** @return the E- and M-step of this configuration */
    public StudentMixtureSteps steps() {
        return new StudentMixtureSteps(gaussian.covarianceType(), gaussian.regCovar(), degreesOfFreedom);
    }

    /**
     * Fits the t mixture to the rows of {@code data}.
     *
     * @param data rows to fit: finite values, no missing ones, at least K distinct rows; weighted or not
     * @return the model (named after the data's columns) and how the fit went; its warnings say when degrees of
     *         freedom ran off towards infinity (the data show no heavier tails than a Gaussian's)
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<StudentMixtureModel> fit(Rows data) {
        int k = gaussian.components();
        if (data instanceof Dataset inMemory) {
            DataChecks.requireFittable(inMemory, k, "component", false);
        } else {
            int[] bad = data.firstNonFinite();
            if (bad != null) {
                throw new EmkitException("row " + (bad[0] + 1) + ", column " + (bad[1] + 1) + " ('"
                        + data.columnNames().get(bad[1]) + "'): missing or infinite value; t mixtures need finite values");
            }
        }
        EmOptions options = gaussian.options();
        StudentMixtureModel start;
        if (initialModel != null) {
            if (initialModel.components() != k || initialModel.dimension() != data.columns()) {
                throw new EmkitException("the initial model has " + initialModel.components() + " components and "
                        + initialModel.dimension() + " features; the fit asks for " + k + " and the data have "
                        + data.columns());
            }
            start = initialModel.withFeatureNames(data.columnNames());
        } else {
            GaussianMixtureModel g = gaussian.listener(IterationListener.NONE).fit(data).params();
            double[] nu = new double[k];
            Arrays.fill(nu, degreesOfFreedom.start());
            start = new StudentMixtureModel(g, nu, degreesOfFreedom.constraint());
        }
        int d = data.columns();
        double cost = data.rows() * (double) k * ((double) d * d + 60);
        StudentMixtureModel first = start;
        return ExpectationMaximization.fit(steps(), data,
                SearchSpace.of(initialModel != null ? "warm start" : "gaussian fit", r -> first, cost),
                options.withInitializations(1));
    }

    @Override
    public String toString() {
        return "StudentMixture[" + gaussian + ", df " + degreesOfFreedom + "]";
    }
}
