package io.emkit.hmm.semimarkov;

import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.GaussianEmissionPrior;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HmmParameter;
import io.emkit.data.Sequences;
import io.emkit.hmm.Topology;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A semi-Markov fit from a starting model, with parts held fixed, a topology and priors: the objective never
 * decreases, fixed parts keep their bits, forbidden moves stay 0, and the objective is the log-likelihood plus the
 * priors' log density computed here by hand.
 */
class SemiMarkovConstraintsTest {

    /** 3 states, Poisson durations λ = 4, 9, 14, spherical Gaussians at −2, 0, 2. */
    private static SemiMarkovModel truth() {
        double[][] a = {{0, 0.6, 0.4}, {0.5, 0, 0.5}, {0.3, 0.7, 0}};
        GaussianEmission e = GaussianEmission.diag(new double[][]{{-2}, {0}, {2}}, new double[][]{{0.6}, {0.6}, {0.6}});
        return SemiMarkovModel.of(new double[]{0.5, 0.3, 0.2}, a, Durations.poisson(new double[]{4, 9, 14}, 30), e);
    }

    /** A start away from the truth: other transitions, durations and means. */
    private static SemiMarkovModel start() {
        double[][] a = {{0, 0.3, 0.7}, {0.8, 0, 0.2}, {0.45, 0.55, 0}};
        GaussianEmission e = GaussianEmission.diag(new double[][]{{-1.5}, {0.4}, {1.4}},
                new double[][]{{1.1}, {0.9}, {1.3}});
        return SemiMarkovModel.of(new double[]{0.2, 0.5, 0.3}, a, Durations.poisson(new double[]{2, 6, 20}, 30), e);
    }

    private static Sequences data() {
        return truth().sample(8, 200, 17).observations();
    }

    private static HiddenMarkov config() {
        return HiddenMarkov.gaussian(3, CovarianceType.DIAG).initializations(1).maxIterations(40).tolerance(0).seed(5);
    }

    private static void assertMonotone(EmResult<?> fit) {
        double[] trace = fit.trace();
        assertThat(trace.length).isGreaterThan(5);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d of %s", i, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @Test
    void startsFromTheGivenModelWhateverTheSeed() {
        Sequences data = data();
        SemiMarkovModel m0 = start();
        EmResult<SemiMarkovModel> a = SemiMarkov.of(config(), Durations.Family.POISSON, 30).initialModel(m0).fit(data);
        EmResult<SemiMarkovModel> b = SemiMarkov.of(config().seed(99).initializations(4), Durations.Family.POISSON, 30)
                .initialModel(m0).fit(data);
        // Entry 0 of the trace is the starting model's log-likelihood, computed here directly.
        assertThat(a.trace()[0]).isCloseTo(m0.logLikelihood(data), within(1e-9 * Math.abs(a.trace()[0])));
        assertThat(b.params()).isEqualTo(a.params());
        assertMonotone(a);
        assertThat(a.logLikelihood()).isGreaterThan(m0.logLikelihood(data));
    }

    @Test
    void refusesAStartingModelOfAnotherShape() {
        assertThatThrownBy(() -> SemiMarkov.of(config(), Durations.Family.NEGATIVE_BINOMIAL, 30).initialModel(start()))
                .isInstanceOf(EmkitException.class).hasMessageContaining("poisson durations up to 30");
        assertThatThrownBy(() -> SemiMarkov.of(HiddenMarkov.gaussian(2, CovarianceType.DIAG), Durations.Family.POISSON,
                30).initialModel(start())).isInstanceOf(EmkitException.class).hasMessageContaining("3 states");
    }

    @Test
    void fixedStartTransitionsAndDurationsKeepTheirBits() {
        Sequences data = data();
        SemiMarkovModel m0 = start();
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(config().fixedParameters(EnumSet.of(HmmParameter.START,
                        HmmParameter.TRANSITIONS)), Durations.Family.POISSON, 30).initialModel(m0).fixDurations(true)
                .fit(data);
        SemiMarkovModel m = fit.params();
        assertThat(m.startProbabilities()).isEqualTo(m0.startProbabilities());
        assertThat(m.transitionMatrix()).isDeepEqualTo(m0.transitionMatrix());
        assertThat(m.durations()).isEqualTo(m0.durations());
        // The emissions moved.
        assertThat(((GaussianEmission) m.emission()).gaussians().mean(0))
                .isNotEqualTo(((GaussianEmission) m0.emission()).gaussians().mean(0));
        assertMonotone(fit);
        // Fewer free parameters: 3 means + 3 variances only.
        assertThat(fit.parameterCount()).isEqualTo(6);
    }

    @Test
    void fixedMeansAndCovariancesKeepTheirBits() {
        Sequences data = data();
        SemiMarkovModel m0 = start();
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(config().fixedParameters(EnumSet.of(HmmParameter.MEANS,
                HmmParameter.COVARIANCES)), Durations.Family.POISSON, 30).initialModel(m0).fit(data);
        GaussianMixtureModel g = ((GaussianEmission) fit.params().emission()).gaussians();
        GaussianMixtureModel g0 = ((GaussianEmission) m0.emission()).gaussians();
        for (int j = 0; j < 3; j++) {
            assertThat(g.mean(j)).isEqualTo(g0.mean(j));
            assertThat(g.covariance(j)).isDeepEqualTo(g0.covariance(j));
        }
        assertThat(fit.params().durations()).isNotEqualTo(m0.durations());
        assertMonotone(fit);
    }

    @Test
    void someFixedTransitionsKeepTheirBitsAndTheRowStillSumsToOne() {
        Sequences data = data();
        SemiMarkovModel m0 = start();
        boolean[][] mask = new boolean[3][3];
        mask[0][1] = true;
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(config().fixedTransitions(mask), Durations.Family.POISSON, 30)
                .initialModel(m0).fit(data);
        double[][] a = fit.params().transitionMatrix();
        assertThat(a[0][1]).isEqualTo(m0.transitionMatrix()[0][1]);
        assertThat(a[0][0] + a[0][1] + a[0][2]).isCloseTo(1.0, within(1e-12));
        assertThat(a[1][0]).isNotEqualTo(m0.transitionMatrix()[1][0]);
        assertMonotone(fit);
    }

    @Test
    void fixedPartsNeedAStartingModel() {
        assertThatThrownBy(() -> SemiMarkov.of(config().fixedParameters(Set.of(HmmParameter.START)),
                Durations.Family.POISSON, 30).fit(data())).isInstanceOf(EmkitException.class)
                .hasMessageContaining("give a starting model");
        assertThatThrownBy(() -> SemiMarkov.of(config(), Durations.Family.POISSON, 30).fixDurations(true).fit(data()))
                .isInstanceOf(EmkitException.class).hasMessageContaining("give a starting model");
    }

    @Test
    void aMaskKeepsItsZerosFromSeededAndGivenStarts() {
        Sequences data = data();
        // A cycle 1 -> 2 -> 3 -> 1: no source, so any start state.
        boolean[][] cycle = {{false, true, false}, {false, false, true}, {true, false, false}};
        HiddenMarkov c = config().topology(Topology.of(cycle));
        for (EmResult<SemiMarkovModel> fit : java.util.List.of(SemiMarkov.of(c, Durations.Family.POISSON, 30).fit(data),
                SemiMarkov.of(c, Durations.Family.POISSON, 30).initialModel(start()).fit(data))) {
            double[][] a = fit.params().transitionMatrix();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    if (!cycle[i][j]) {
                        assertThat(a[i][j]).as("A[%d][%d]", i, j).isZero();
                    }
                }
                assertThat(a[i][(i + 1) % 3]).isEqualTo(1.0);
            }
            assertMonotone(fit);
        }
    }

    @Test
    void aCycleMaskRecoversACyclicTruthFromSeededStarts() {
        // The short HMM fits that seed the run may stay in a state even though the mask's diagonal is 0.
        double[][] a = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        SemiMarkovModel cyclic = SemiMarkovModel.of(new double[]{0.4, 0.3, 0.3}, a, truth().durations(),
                truth().emission());
        Sequences data = cyclic.sample(8, 200, 23).observations();
        boolean[][] cycle = {{false, true, false}, {false, false, true}, {true, false, false}};
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(HiddenMarkov.gaussian(3, CovarianceType.DIAG).seed(4)
                .topology(Topology.of(cycle)), Durations.Family.POISSON, 30).fit(data);
        double[] means = new double[3];
        for (int j = 0; j < 3; j++) {
            means[j] = ((GaussianEmission) fit.params().emission()).gaussians().mean(j)[0];
        }
        Arrays.sort(means);
        assertThat(means).containsExactly(new double[]{-2, 0, 2}, within(0.2));
        assertThat(fit.logLikelihood()).isGreaterThan(cyclic.logLikelihood(data));
    }

    @Test
    void aMaskWithASourceStartsThere() {
        Sequences data = data();
        // State 1 only at the start: 1 -> 2, 2 <-> 3.
        boolean[][] mask = {{true, true, false}, {false, true, true}, {false, true, true}};
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(config().topology(Topology.of(mask)), Durations.Family.POISSON,
                30).initialModel(start()).fit(data);
        assertThat(fit.params().startProbabilities()).containsExactly(1.0, 0.0, 0.0);
        assertThat(fit.params().transitionMatrix()[1][0]).isZero();
        assertThat(fit.params().transitionMatrix()[0][2]).isZero();
        assertMonotone(fit);
    }

    @Test
    void refusesATopologyWithAStateThatCannotLeave() {
        assertThatThrownBy(() -> SemiMarkov.of(config().topology(Topology.leftRight(3, 1)), Durations.Family.POISSON,
                30)).isInstanceOf(EmkitException.class).hasMessageContaining("leaves state 3 with no move to another");
        boolean[][] onlyStays = {{true, true, false}, {false, true, true}, {false, false, true}};
        assertThatThrownBy(() -> SemiMarkov.of(config().topology(Topology.of(onlyStays)), Durations.Family.POISSON,
                30)).isInstanceOf(EmkitException.class).hasMessageContaining("state 3");
    }

    @Test
    void priorsMakeTheObjectiveTheLogPosteriorAndItNeverDecreases() {
        Sequences data = data();
        double alpha = 3.0;
        double startAlpha = 2.0;
        GaussianEmissionPrior prior = new GaussianEmissionPrior(0.5, 4.0, 0.3, 5.0);
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(config().transitionPrior(alpha).startPrior(startAlpha)
                .emissionPrior(prior), Durations.Family.POISSON, 30).initialModel(start()).fit(data);
        assertMonotone(fit);
        SemiMarkovModel m = fit.params();
        // The log prior by hand: Σ (α − 1) log A_ij over the non-zero entries, the same for π, and hmmlearn's
        // Gaussian prior (per feature for diag: −½ (w (μ − μ0)² + ψ) / σ² − ½ max(ν − 1, 0) log σ²).
        double lp = 0;
        for (double[] row : m.transitionMatrix()) {
            for (double v : row) {
                lp += v > 0 ? (alpha - 1) * Math.log(v) : 0;
            }
        }
        for (double v : m.startProbabilities()) {
            lp += (startAlpha - 1) * Math.log(v);
        }
        GaussianMixtureModel g = ((GaussianEmission) m.emission()).gaussians();
        for (int j = 0; j < 3; j++) {
            double mu = g.mean(j)[0];
            double var = g.covariance(j)[0][0];
            lp += -0.5 * (4.0 * (mu - 0.5) * (mu - 0.5) + 0.3) / var - 0.5 * 4.0 * Math.log(var);
        }
        assertThat(fit.objective() - fit.logLikelihood()).isCloseTo(lp, within(1e-8 * (1 + Math.abs(lp))));
        assertThat(fit.logLikelihood()).isCloseTo(m.logLikelihood(data), within(1e-6 * Math.abs(fit.logLikelihood())));
    }

    @Test
    void oneMStepByHandWithAPriorAndAFixedEntry() {
        Sequences data = data();
        SemiMarkovModel m0 = start();
        boolean[][] fixed = new boolean[3][3];
        fixed[1][0] = true;
        double alpha = 3.0;
        SemiMarkovSteps steps = new SemiMarkovSteps(new io.emkit.hmm.BaumWelchSteps(1e-6, false, fixed, alpha), false);
        SemiMarkovStatistics stats = steps.emptyStatistics(m0);
        steps.accumulate(m0, data, 0, data.count(), stats);
        double[][] a = steps.maximize(stats, m0, w -> { }).transitionMatrix();
        double[] n = stats.transitions;
        // Row 1 (free): (n_1j + α − 1) / Σ_{j≠1} (n_1j + α − 1), the diagonal 0.
        double t0 = (n[1] + alpha - 1) + (n[2] + alpha - 1);
        assertThat(a[0]).containsExactly(new double[]{0, (n[1] + alpha - 1) / t0, (n[2] + alpha - 1) / t0},
                within(1e-14));
        // Row 2: A_21 fixed; A_23, the only other allowed entry, takes the rest.
        assertThat(a[1][0]).isEqualTo(m0.transitionMatrix()[1][0]);
        assertThat(a[1][2]).isCloseTo(1 - m0.transitionMatrix()[1][0], within(1e-15));
        assertThat(a[1][1]).isZero();
    }

    @Test
    void aTransitionPriorPullsTheRowsTowardsUniform() {
        // With a strong prior (α = 1000) every row is nearly uniform over the other states.
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(config().transitionPrior(1000), Durations.Family.POISSON, 30)
                .initialModel(start()).fit(data());
        for (double[] row : fit.params().transitionMatrix()) {
            for (double v : row) {
                if (v > 0) {
                    assertThat(v).isCloseTo(0.5, within(0.02));
                }
            }
        }
        assertMonotone(fit);
    }
}
