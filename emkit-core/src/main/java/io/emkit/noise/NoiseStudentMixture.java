package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;
import io.emkit.student.StudentMixtureSteps;

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
public final class NoiseStudentMixture {
    private final NoiseMixture noise;
    private final DegreesOfFreedom degreesOfFreedom;
    private final NoiseStudentMixtureModel initialModel;

    private NoiseStudentMixture(NoiseMixture noise, DegreesOfFreedom degreesOfFreedom,
                                NoiseStudentMixtureModel initialModel) {
        this.noise = Objects.requireNonNull(noise, "noise");
        this.degreesOfFreedom = Objects.requireNonNull(degreesOfFreedom, "degreesOfFreedom");
        this.initialModel = initialModel;
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

    /**
     * @param dof how the degrees of freedom are fitted
     * @return a changed copy
     */
    public NoiseStudentMixture degreesOfFreedom(DegreesOfFreedom dof) {
        return new NoiseStudentMixture(noise, dof, initialModel);
    }

    /**
     * @param k the neighbour whose distance the noise guess uses (at least 1)
     * @return a changed copy
     */
    public NoiseStudentMixture neighbours(int k) {
        return new NoiseStudentMixture(noise.neighbours(k), degreesOfFreedom, initialModel);
    }

    /**
     * @param flags one per row of the data {@link #fit} will get, true for the rows to start as noise; {@code null}
     *              to guess them
     * @return a changed copy
     */
    public NoiseStudentMixture initialNoise(boolean[] flags) {
        return new NoiseStudentMixture(noise.initialNoise(flags), degreesOfFreedom, initialModel);
    }

    /**
     * @param model start EM from these parameters (one run) instead of the guess and the search; {@code null} for
     *              the guess
     * @return a changed copy
     */
    public NoiseStudentMixture initialModel(NoiseStudentMixtureModel model) {
        return new NoiseStudentMixture(noise, degreesOfFreedom, model);
    }

    /** @return the Gaussian configuration the fit takes its settings and starts from */
    public GaussianMixture gaussian() {
        return noise.gaussian();
    }

    /** @return how the degrees of freedom are fitted */
    public DegreesOfFreedom degreesOfFreedom() {
        return degreesOfFreedom;
    }

    /** @return the E- and M-step of this configuration */
    public NoiseStudentSteps steps() {
        GaussianMixture g = gaussian();
        return new NoiseStudentSteps(new StudentMixtureSteps(g.covarianceType(), g.regCovar(), degreesOfFreedom));
    }

    /**
     * Fits the t components and the noise to the rows of {@code data}.
     *
     * @param data rows, weighted or not; missing values ({@code NaN}) allowed
     * @return the model (named after the data's columns) and how the fit went
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<NoiseStudentMixtureModel> fit(Dataset data) {
        return noise.fitBeside(data, initialModel, steps(), this::start, NoiseStudentMixtureModel::withFeatureNames);
    }

    /**
     * This fit with its E-steps run by another engine — Spark — through the same loop as {@link #fit(Dataset)}: the
     * noise region, the guess of the starting noise and the starts come from the sample the engine passes, as
     * {@link NoiseMixture#distributed()}'s do (all the rows, in order, when there are few enough: then the fit is
     * this machine's); every E-step visits all the rows, missing values included.
     *
     * @return the partition kernel and the loop around it
     */
    public io.emkit.em.DistributedFit<NoiseStudentMixtureModel, StatisticsBesideNoise<io.emkit.student.StudentStatistics>>
            distributed() {
        return noise.distributedBeside(initialModel, steps(), this::start, NoiseStudentMixtureModel::withFeatureNames,
                sample -> { });
    }

    /** A Gaussian start as a t start with noise: its weights, means and covariances, every {@code ν} at its start. */
    private NoiseStudentMixtureModel start(GaussianMixtureModel g, double share, NoiseRegion region) {
        return new NoiseStudentMixtureModel(new StudentMixtureModel(g, degreesOfFreedom.starts(g.components()),
                degreesOfFreedom.constraint()), share, region);
    }

    @Override
    public String toString() {
        return "NoiseStudentMixture[" + noise + ", df " + degreesOfFreedom + "]";
    }
}
