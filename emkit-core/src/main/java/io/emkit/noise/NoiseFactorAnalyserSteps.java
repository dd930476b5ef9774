package io.emkit.noise;

import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.FactorAnalyserStatistics;
import io.emkit.factor.FactorAnalyserSteps;

/**
 * EM's two steps for a mixture of factor analysers with a uniform noise component
 * ({@link NoiseFactorAnalyserMixtureModel}): the factor analysers' own E- and M-step ({@link FactorAnalyserSteps},
 * densities by the Woodbury identity) on the rows weighted by their probability of not being noise
 * ({@link StepsBesideNoise}).
 */
public final class NoiseFactorAnalyserSteps
        extends StepsBesideNoise<FactorAnalyserMixtureModel, FactorAnalyserStatistics, NoiseFactorAnalyserMixtureModel> {
    /**
     * @param factorAnalysers the factor analysers' steps
     */
    public NoiseFactorAnalyserSteps(FactorAnalyserSteps factorAnalysers) {
        super(factorAnalysers, NoiseFactorAnalyserMixtureModel::new, "factor analyser");
    }
}
