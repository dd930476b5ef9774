package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;

import java.util.Objects;

/**
 * Configures and runs the fit of a mixture of factor analysers with a uniform noise component
 * ({@link NoiseFactorAnalyserMixtureModel}) by EM ({@link NoiseFactorAnalyserSteps}). Immutable; each setter returns
 * a changed copy.
 *
 * <p>Started as a Gaussian mixture with noise is ({@link NoiseMixture}): the rows guessed noise from
 * nearest-neighbour distances (or given), the factor analysers from the full-covariance Gaussian starts on the other
 * rows (each covariance's probabilistic PCA with Q factors), the noise weight at the guessed share; then EM on all
 * rows. Seeds, threads, tolerance, iterations and the search level come from the Gaussian configuration's options;
 * the same seed gives the same fit bit for bit whatever the number of threads. Rows may have missing values
 * ({@code NaN}), each fitted on its observed coordinates.
 *
 * <p>Other engines (Spark) run it through {@link #distributed()}. Not yet: priors (see
 * {@link FactorAnalyserMixture#like}), hard assignment, mini-batch EM.
 */
public final class NoiseFactorAnalyserMixture {
    private final NoiseMixture noise;
    private final int factors;
    private final NoiseFactorAnalyserMixtureModel initialModel;

    private NoiseFactorAnalyserMixture(NoiseMixture noise, int factors, NoiseFactorAnalyserMixtureModel initialModel) {
        this.noise = Objects.requireNonNull(noise, "noise");
        this.factors = factors;
        this.initialModel = initialModel;
    }

    /**
     * A mixture of factor analysers with a noise component configured like a Gaussian mixture, the noise guessed from
     * nearest-neighbour distances.
     *
     * @param gaussian components, {@code regCovar} and EM options (its covariance structure is ignored); soft
     *                 assignment, no prior, no mini-batches
     * @param factors  factors per component, at least 1 (and fewer than the data's columns)
     * @return the configuration
     * @throws EmkitException as {@link FactorAnalyserMixture#like} does
     */
    public static NoiseFactorAnalyserMixture like(GaussianMixture gaussian, int factors) {
        FactorAnalyserMixture checked = FactorAnalyserMixture.like(gaussian, factors);
        return new NoiseFactorAnalyserMixture(NoiseMixture.like(checked.gaussian()), factors, null);
    }

    /**
     * @param k the neighbour whose distance the noise guess uses (at least 1)
     * @return a changed copy
     */
    public NoiseFactorAnalyserMixture neighbours(int k) {
        return new NoiseFactorAnalyserMixture(noise.neighbours(k), factors, initialModel);
    }

    /**
     * @param flags one per row of the data {@link #fit} will get, true for the rows to start as noise; {@code null}
     *              to guess them
     * @return a changed copy
     */
    public NoiseFactorAnalyserMixture initialNoise(boolean[] flags) {
        return new NoiseFactorAnalyserMixture(noise.initialNoise(flags), factors, initialModel);
    }

    /**
     * @param model start EM from these parameters (one run) instead of the guess and the search; {@code null} for
     *              the guess
     * @return a changed copy
     */
    public NoiseFactorAnalyserMixture initialModel(NoiseFactorAnalyserMixtureModel model) {
        return new NoiseFactorAnalyserMixture(noise, factors, model);
    }

    /** @return the Gaussian configuration the fit takes its settings and starts from */
    public GaussianMixture gaussian() {
        return noise.gaussian();
    }

    /** @return the factors per component */
    public int factors() {
        return factors;
    }

    /** @return the E- and M-step of this configuration */
    public NoiseFactorAnalyserSteps steps() {
        return new NoiseFactorAnalyserSteps(new io.emkit.factor.FactorAnalyserSteps(gaussian().regCovar()));
    }

    /**
     * Fits the factor analysers and the noise to the rows of {@code data}.
     *
     * @param data rows, weighted or not, more columns than factors; missing values ({@code NaN}) allowed
     * @return the model (named after the data's columns) and how the fit went
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<NoiseFactorAnalyserMixtureModel> fit(Dataset data) {
        checkFactors(data);
        return noise.fitBeside(data, initialModel, steps(), this::start,
                NoiseFactorAnalyserMixtureModel::withFeatureNames);
    }

    /**
     * This fit with its E-steps run by another engine — Spark — through the same loop as {@link #fit(Dataset)}: the
     * noise region, the guess of the starting noise and the starts come from the sample the engine passes, as
     * {@link NoiseMixture#distributed()}'s do (all the rows, in order, when there are few enough: then the fit is
     * this machine's); every E-step visits all the rows, missing values included.
     *
     * @return the partition kernel and the loop around it
     */
    public io.emkit.em.DistributedFit<NoiseFactorAnalyserMixtureModel,
            StatisticsBesideNoise<io.emkit.factor.FactorAnalyserStatistics>> distributed() {
        return noise.distributedBeside(initialModel, steps(), this::start,
                NoiseFactorAnalyserMixtureModel::withFeatureNames, this::checkFactors);
    }

    private void checkFactors(Dataset data) {
        if (factors >= data.columns()) {
            throw new EmkitException(factors + " factors need more than " + factors + " columns; the data have "
                    + data.columns() + " (use at most " + (data.columns() - 1) + " factors)");
        }
    }

    /** A Gaussian start as factor analysers with noise. */
    private NoiseFactorAnalyserMixtureModel start(GaussianMixtureModel g, double share, NoiseRegion region) {
        return new NoiseFactorAnalyserMixtureModel(FactorAnalyserMixtureModel.fromGaussian(g, factors), share, region);
    }

    @Override
    public String toString() {
        return "NoiseFactorAnalyserMixture[" + noise + ", " + factors + " factors]";
    }
}
