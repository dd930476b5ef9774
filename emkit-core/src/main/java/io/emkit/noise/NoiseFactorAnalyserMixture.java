package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.FactorAnalyserStatistics;
import io.emkit.factor.FactorAnalyserSteps;


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
public final class NoiseFactorAnalyserMixture
        extends FitBesideNoise<NoiseFactorAnalyserMixtureModel, FactorAnalyserStatistics, NoiseFactorAnalyserMixture> {
    private final int factors;

    private NoiseFactorAnalyserMixture(NoiseMixture noise, int factors, NoiseFactorAnalyserMixtureModel initialModel) {
        super(noise, initialModel);
        this.factors = factors;
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

    @Override
    NoiseFactorAnalyserMixture with(NoiseMixture noise, NoiseFactorAnalyserMixtureModel initialModel) {
        return new NoiseFactorAnalyserMixture(noise, factors, initialModel);
    }

    /** @return the factors per component */
    public int factors() {
        return factors;
    }

    /** @return the E- and M-step of this configuration */
    @Override
    public NoiseFactorAnalyserSteps steps() {
        return new NoiseFactorAnalyserSteps(new FactorAnalyserSteps(gaussian().regCovar()));
    }

    /** Refuses data with no more columns than factors. */
    @Override
    void checkData(Dataset data) {
        if (factors >= data.columns()) {
            throw new EmkitException(factors + " factors need more than " + factors + " columns; the data have "
                    + data.columns() + " (use at most " + (data.columns() - 1) + " factors)");
        }
    }

    /** A Gaussian start as factor analysers with noise. */
    @Override
    NoiseFactorAnalyserMixtureModel start(GaussianMixtureModel g, double share, NoiseRegion region) {
        return new NoiseFactorAnalyserMixtureModel(FactorAnalyserMixtureModel.fromGaussian(g, factors), share, region);
    }

    @Override
    public String toString() {
        return "NoiseFactorAnalyserMixture[" + noise + ", " + factors + " factors]";
    }
}
