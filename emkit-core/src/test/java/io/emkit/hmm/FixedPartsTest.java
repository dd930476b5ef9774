package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Whole parts held fixed (hmmlearn's {@code params}): they keep their starting values bit for bit, the rest
 * moves, the log-likelihood never decreases, and the M-step with fixed means is the closed form of the
 * covariances about those means.
 */
class FixedPartsTest {
    private static final HiddenMarkovModel TRUTH = HiddenMarkovModel.of(new double[] {0.6, 0.4},
            new double[][] {{0.9, 0.1}, {0.2, 0.8}},
            GaussianEmission.diag(new double[][] {{0, 0}, {3, 1}}, new double[][] {{1, 0.5}, {0.5, 2}}));
    private static final Sequences DATA = TRUTH.sample(4, 150, 21).observations();

    /** A start away from the truth: other means, covariances, π and A. */
    private static HiddenMarkovModel start(CovarianceType type) {
        double[][][] cov = {{{1.5, 0.2}, {0.2, 1.0}}, {{0.8, -0.1}, {-0.1, 1.2}}};
        return HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.7, 0.3}, {0.4, 0.6}},
                GaussianEmission.of(GaussianMixtureModel.of(type, new double[] {0.5, 0.5},
                        new double[][] {{0.5, 0.5}, {2, 2}}, cov)));
    }

    private static EmResult<HiddenMarkovModel> fit(HiddenMarkovModel from, Set<HmmParameter> fixed) {
        return HiddenMarkov.gaussian(2, ((GaussianEmission) from.emission()).covarianceType()).initialModel(from)
                .fixedParameters(fixed).tolerance(0).maxIterations(25).threads(1).fit(DATA);
    }

    private static void assertNeverDecreases(double[] trace) {
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d", i).isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "TIED", "SPHERICAL", "VEI"})
    void fixedMeansStayAndTheRestMoves(CovarianceType type) {
        HiddenMarkovModel from = start(type);
        EmResult<HiddenMarkovModel> r = fit(from, EnumSet.of(HmmParameter.MEANS));
        GaussianMixtureModel before = ((GaussianEmission) from.emission()).gaussians();
        GaussianMixtureModel after = ((GaussianEmission) r.params().emission()).gaussians();
        assertThat(after.means()).isDeepEqualTo(before.means());
        assertThat(after.covariance(0)).isNotEqualTo(before.covariance(0));
        assertThat(r.params().transitionMatrix()).isNotEqualTo(from.transitionMatrix());
        assertNeverDecreases(r.trace());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "TIED", "SPHERICAL", "VEI"})
    void fixedCovariancesStayAndTheMeansMove(CovarianceType type) {
        HiddenMarkovModel from = start(type);
        EmResult<HiddenMarkovModel> r = fit(from, EnumSet.of(HmmParameter.COVARIANCES, HmmParameter.START));
        GaussianMixtureModel before = ((GaussianEmission) from.emission()).gaussians();
        GaussianMixtureModel after = ((GaussianEmission) r.params().emission()).gaussians();
        for (int s = 0; s < 2; s++) {
            assertThat(after.covariance(s)).isDeepEqualTo(before.covariance(s));
        }
        assertThat(r.params().startProbabilities()).containsExactly(from.startProbabilities());
        assertThat(after.means()).isNotEqualTo(before.means());
        assertNeverDecreases(r.trace());
    }

    @Test
    void fixedTransitionsAndStartStayBitForBit() {
        HiddenMarkovModel from = start(CovarianceType.FULL);
        EmResult<HiddenMarkovModel> r = fit(from, EnumSet.of(HmmParameter.START, HmmParameter.TRANSITIONS));
        assertThat(r.params().transitionMatrix()).isDeepEqualTo(from.transitionMatrix());
        assertThat(r.params().startProbabilities()).containsExactly(from.startProbabilities());
        assertThat(r.params().emission()).isNotEqualTo(from.emission());
        assertNeverDecreases(r.trace());
        // Fixed: 1 start + 2 transitions; free: 2 × (2 means + 3 covariances).
        assertThat(r.parameterCount()).isEqualTo(10);
    }

    /**
     * One M-step with fixed means against its closed form from the posteriors γ of the model it starts from:
     * {@code Σ_s = Σ_t γ_ts (x_t − μ_s)(x_t − μ_s)ᵀ / Σ_t γ_ts + reg·I}.
     */
    @Test
    void theMStepWithFixedMeansIsTheScatterAboutThem() {
        HiddenMarkovModel from = start(CovarianceType.FULL);
        double reg = 1e-6;
        BaumWelchSteps steps = new BaumWelchSteps(reg, false, null, 1, EnumSet.of(HmmParameter.MEANS));
        HmmStatistics stats = steps.emptyStatistics(from);
        steps.accumulate(from, DATA, 0, DATA.count(), stats);
        GaussianMixtureModel next = ((GaussianEmission) steps.maximize(stats, from, w -> { }).emission()).gaussians();
        double[][][] gamma = from.posteriors(DATA);
        GaussianMixtureModel before = ((GaussianEmission) from.emission()).gaussians();
        for (int s = 0; s < 2; s++) {
            double[] mu = before.mean(s);
            double n = 0;
            double[][] scatter = new double[2][2];
            for (int q = 0; q < DATA.count(); q++) {
                double[][] x = DATA.sequence(q);
                for (int t = 0; t < x.length; t++) {
                    double g = gamma[q][t][s];
                    n += g;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            scatter[a][b] += g * (x[t][a] - mu[a]) * (x[t][b] - mu[b]);
                        }
                    }
                }
            }
            double[][] cov = next.covariance(s);
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    double expected = scatter[a][b] / n + (a == b ? reg : 0);
                    assertThat(cov[a][b]).as("state %d [%d][%d]", s, a, b).isCloseTo(expected, within(1e-10));
                }
            }
            assertThat(next.mean(s)).containsExactly(mu);
        }
    }

    @Test
    void gaussianMixtureWeightsCategoricalAndPoissonPartsStay() {
        GaussianMixtureModel parts = GaussianMixtureModel.diag(new double[] {0.25, 0.25, 0.25, 0.25},
                new double[][] {{-0.5, 0}, {0.5, 0}, {2.5, 1}, {3.5, 1}},
                new double[][] {{1, 1}, {1, 1}, {1, 1}, {1, 1}});
        HiddenMarkovModel gmm = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.7, 0.3}, {0.4, 0.6}},
                GaussianMixtureEmission.of(new double[][] {{0.3, 0.7}, {0.6, 0.4}}, parts));
        EmResult<HiddenMarkovModel> r = HiddenMarkov.gaussianMixture(2, 2, CovarianceType.DIAG).initialModel(gmm)
                .fixedParameters(EnumSet.of(HmmParameter.WEIGHTS, HmmParameter.MEANS)).tolerance(0).maxIterations(15)
                .fit(DATA);
        GaussianMixtureEmission after = (GaussianMixtureEmission) r.params().emission();
        assertThat(after.mixtureWeights()).isDeepEqualTo(new double[][] {{0.3, 0.7}, {0.6, 0.4}});
        assertThat(after.gaussians().means()).isDeepEqualTo(parts.means());
        assertThat(after.gaussians().covariance(0)).isNotEqualTo(parts.covariance(0));
        assertNeverDecreases(r.trace());

        HiddenMarkovModel cat = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.8, 0.2}, {0.3, 0.7}},
                CategoricalEmission.of(new double[][] {{0.6, 0.3, 0.1}, {0.1, 0.2, 0.7}}));
        Sequences symbols = cat.sample(3, 100, 5).observations();
        EmResult<HiddenMarkovModel> c = HiddenMarkov.categorical(2).initialModel(cat)
                .fixedParameters(EnumSet.of(HmmParameter.PROBABILITIES)).tolerance(0).maxIterations(10).fit(symbols);
        assertThat(c.params().emission()).isEqualTo(cat.emission());
        assertThat(c.params().transitionMatrix()).isNotEqualTo(cat.transitionMatrix());
        assertNeverDecreases(c.trace());
        // Free: 1 start + 2 transitions.
        assertThat(c.parameterCount()).isEqualTo(3);
    }

    @Test
    void aPartTheModelLacksOrNoStartingModelIsRefused() {
        assertThatThrownBy(() -> HiddenMarkov.categorical(2).fixedParameters(EnumSet.of(HmmParameter.COVARIANCES)))
                .isInstanceOf(EmkitException.class)
                .hasMessage("a hidden Markov model with categorical emissions has no covariances to fix; its parts are"
                        + " start, transitions, probabilities");
        assertThatThrownBy(() -> HiddenMarkov.gaussian(2, CovarianceType.FULL)
                .fixedParameters(EnumSet.of(HmmParameter.MEANS)).fit(DATA))
                .isInstanceOf(EmkitException.class).hasMessageContaining("give a starting model");
        assertThatThrownBy(() -> HmmParameter.parse("covars")).isInstanceOf(EmkitException.class)
                .hasMessage("unknown HMM part 'covars'; expected one of: start, transitions, means, covariances, weights,"
                        + " probabilities, rates");
    }
}
