package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;
import io.emkit.student.StudentMixtureSteps;
import io.emkit.student.StudentStatistics;

import java.util.Objects;

/**
 * Configures and runs the fit of a t mixture with a uniform noise component ({@link NoiseStudentMixtureModel}) by
 * EM ({@link NoiseStudentSteps}). Immutable; each setter returns a changed copy.
 *
 * <p>Started as a Gaussian mixture with noise is ({@link NoiseMixture}): the rows guessed noise from
 * nearest-neighbour distances (or given), the t components from the Gaussian starts on the other rows with every
 * {@code ν} at its start, the noise weight at the guessed share; then EM on all rows. The degrees of freedom are
 * fitted as {@link DegreesOfFreedom} says. Seeds, threads, tolerance, iterations and the search level come from
 * the Gaussian configuration's options; the same seed gives the same fit bit for bit whatever the number of
 * threads. Rows may have missing values ({@code NaN}), each fitted on its observed coordinates.
 *
 * <p>Other engines (Spark) run it through {@link #distributed()}. Not yet: priors, hard assignment, mini-batch EM.
 */
public final class NoiseStudentMixture
        extends FitBesideNoise<NoiseStudentMixtureModel, StudentStatistics, NoiseStudentMixture> {
    private final DegreesOfFreedom degreesOfFreedom;

    private NoiseStudentMixture(NoiseMixture noise, DegreesOfFreedom degreesOfFreedom,
                                NoiseStudentMixtureModel initialModel) {
        super(noise, initialModel);
        this.degreesOfFreedom = Objects.requireNonNull(degreesOfFreedom, "degreesOfFreedom");
    }

    /**
     * A t mixture with a noise component configured like a Gaussian one, free degrees of freedom, the noise guessed
     * from nearest-neighbour distances.
     *
     * @param gaussian components, structure of the scale matrices, {@code regCovar} and EM options; soft
     *                 assignment, no prior, no mini-batches
     * @return the configuration
     * @throws EmkitException if the Gaussian configuration asks for what this fit does not do yet
     */
    public static NoiseStudentMixture like(GaussianMixture gaussian) {
        if (gaussian.prior() != null) {
            throw new EmkitException("a t mixture with a noise component is fitted by maximum likelihood; a prior is"
                    + " not supported yet");
        }
        StudentMixture.like(gaussian); // refuses what t mixtures do not take
        return new NoiseStudentMixture(NoiseMixture.like(gaussian), DegreesOfFreedom.free(), null);
    }

    @Override
    NoiseStudentMixture with(NoiseMixture noise, NoiseStudentMixtureModel initialModel) {
        return new NoiseStudentMixture(noise, degreesOfFreedom, initialModel);
    }

    /**
     * @param dof how the degrees of freedom are fitted
     * @return a changed copy
     */
    public NoiseStudentMixture degreesOfFreedom(DegreesOfFreedom dof) {
        return new NoiseStudentMixture(noise, dof, initialModel);
    }

    /** @return how the degrees of freedom are fitted */
    public DegreesOfFreedom degreesOfFreedom() {
        return degreesOfFreedom;
    }

    /** @return the E- and M-step of this configuration */
    @Override
    public NoiseStudentSteps steps() {
        GaussianMixture g = gaussian();
        return new NoiseStudentSteps(new StudentMixtureSteps(g.covarianceType(), g.regCovar(), degreesOfFreedom));
    }

    /** A Gaussian start as a t start with noise: its weights, means and covariances, every {@code ν} at its start. */
    @Override
    NoiseStudentMixtureModel start(GaussianMixtureModel g, double share, NoiseRegion region) {
        return new NoiseStudentMixtureModel(new StudentMixtureModel(g, degreesOfFreedom.starts(g.components()),
                degreesOfFreedom.constraint()), share, region);
    }

    @Override
    public String toString() {
        return "NoiseStudentMixture[" + noise + ", df " + degreesOfFreedom + "]";
    }
}
