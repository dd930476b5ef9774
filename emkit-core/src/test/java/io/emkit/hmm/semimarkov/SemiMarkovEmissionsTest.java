package io.emkit.hmm.semimarkov;

import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.Emission;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.GaussianMixtureEmission;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.MultinomialEmission;
import io.emkit.hmm.PoissonEmission;
import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every emission family of the HMM works in the semi-Markov model: with geometric durations its log-likelihood is
 * the HMM's to 1e-9, and a semi-Markov fit with those emissions never lowers its log-likelihood. And negative
 * binomial durations are recovered from data drawn with them.
 */
class SemiMarkovEmissionsTest {

    private static Emission emission(String kind) {
        return switch (kind) {
            case "gaussian-full" -> GaussianEmission.full(new double[][]{{0, 0}, {2, 1}},
                    new double[][][]{{{1, 0.3}, {0.3, 1}}, {{0.5, -0.1}, {-0.1, 0.8}}});
            case "gaussian-spherical" -> GaussianEmission.spherical(new double[][]{{0, 0}, {2, 1}},
                    new double[]{1, 0.6});
            case "gaussian-tied" -> GaussianEmission.of(GaussianMixtureModel.tied(new double[]{0.5, 0.5},
                    new double[][]{{0, 0}, {2, 1}}, new double[][]{{1, 0.2}, {0.2, 0.7}}));
            case "gmm" -> GaussianMixtureEmission.of(new double[][]{{0.3, 0.7}, {0.6, 0.4}},
                    GaussianMixtureModel.diag(new double[]{0.25, 0.25, 0.25, 0.25},
                            new double[][]{{0, 0}, {1, 1}, {3, 0}, {2, 2}},
                            new double[][]{{1, 1}, {0.5, 0.5}, {1, 2}, {0.7, 0.7}}));
            case "categorical" -> CategoricalEmission.of(new double[][]{{0.6, 0.3, 0.1}, {0.1, 0.2, 0.7}});
            case "poisson" -> PoissonEmission.of(new double[][]{{1, 4}, {5, 0.5}});
            case "multinomial" -> MultinomialEmission.of(new double[][]{{0.5, 0.3, 0.2}, {0.1, 0.3, 0.6}}, 6);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static HiddenMarkov config(String kind) {
        return switch (kind) {
            case "gaussian-full" -> HiddenMarkov.gaussian(2, CovarianceType.FULL);
            case "gaussian-spherical" -> HiddenMarkov.gaussian(2, CovarianceType.SPHERICAL);
            case "gaussian-tied" -> HiddenMarkov.gaussian(2, CovarianceType.TIED);
            case "gmm" -> HiddenMarkov.gaussianMixture(2, 2, CovarianceType.DIAG);
            case "categorical" -> HiddenMarkov.categorical(2);
            case "poisson" -> HiddenMarkov.poisson(2);
            case "multinomial" -> HiddenMarkov.multinomial(2);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian-full", "gaussian-spherical", "gaussian-tied", "gmm", "categorical", "poisson",
            "multinomial"})
    void geometricDurationsGiveTheHmmLikelihoodAndEmIsMonotone(String kind) {
        HiddenMarkovModel h = HiddenMarkovModel.of(new double[]{0.7, 0.3}, new double[][]{{0.85, 0.15}, {0.1, 0.9}},
                emission(kind));
        Sequences data = h.sample(4, 300, 17).observations();
        int dmax = 300;
        double[][] pmf = new double[2][dmax];
        for (int j = 0; j < 2; j++) {
            double a = h.transition(j, j);
            for (int u = 0; u < dmax; u++) {
                pmf[j][u] = (1 - a) * Math.pow(a, u);
            }
        }
        SemiMarkovModel m = SemiMarkovModel.fromHiddenMarkov(h, Durations.nonparametric(pmf));
        assertThat(m.logLikelihood(data)).isCloseTo(h.logLikelihood(data), within(1e-9));

        EmResult<SemiMarkovModel> fit = SemiMarkov.of(config(kind).initializations(1).maxIterations(25).tolerance(0)
                .seed(5), Durations.Family.POISSON, 60).fit(data);
        double[] trace = fit.trace();
        assertThat(trace.length).isGreaterThan(5);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d of %s", i, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
        assertThat(fit.params().logLikelihood(data)).isCloseTo(fit.logLikelihood(), within(1e-6));
    }

    @Test
    void recoversNegativeBinomialDurations() {
        // Two states, d − 1 ~ NB(r = 3, p = 0.25) (mean 10, variance 40) and NB(r = 8, p = 0.5) (mean 9, var 16).
        SemiMarkovModel truth = SemiMarkovModel.of(new double[]{0.5, 0.5}, new double[][]{{0, 1}, {1, 0}},
                Durations.negativeBinomial(new double[]{3, 8}, new double[]{0.25, 0.5}, 80),
                GaussianEmission.spherical(new double[][]{{-2}, {2}}, new double[]{0.5, 0.5}));
        HiddenMarkovModel.Sample sample = truth.sample(20, 1000, 8);
        SemiMarkovModel m = SemiMarkov.of(HiddenMarkov.gaussian(2, CovarianceType.SPHERICAL).initializations(1)
                .seed(2), Durations.Family.NEGATIVE_BINOMIAL, 80).fit(sample.observations()).params();
        for (int j = 0; j < 2; j++) {
            int t = ((GaussianEmission) m.emission()).gaussians().mean(j)[0] < 0 ? 0 : 1;
            // The sample's own mean and variance of the complete segments' d − 1 of that state.
            double[] moments = segmentMoments(sample.states(), t);
            double[] p = m.durations().parameters(j);
            double fittedMean = p[0] * (1 - p[1]) / p[1];
            double fittedVar = fittedMean / p[1];
            assertThat(fittedMean).as("state %d mean", j).isCloseTo(moments[0], within(0.1 * moments[0]));
            assertThat(fittedVar).as("state %d variance", j).isCloseTo(moments[1], within(0.3 * moments[1]));
        }
    }

    /** Mean and variance of d − 1 over the complete (not first, not last) segments of state s. */
    private static double[] segmentMoments(int[][] paths, int s) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int[] path : paths) {
            int runStart = 0;
            for (int t = 0; t + 1 < path.length; t++) {
                if (path[t + 1] != path[t]) {
                    if (runStart > 0 && path[t] == s) {
                        int k = t - runStart;
                        sum += k;
                        sq += (double) k * k;
                        n++;
                    }
                    runStart = t + 1;
                }
            }
        }
        double mean = sum / n;
        return new double[]{mean, sq / n - mean * mean};
    }
}
