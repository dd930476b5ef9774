package io.emkit.hmm.semimarkov;

import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The semi-Markov model against the HMM (geometric durations give the HMM's likelihood), against its generating
 * parameters (Poisson durations recovered within sampling error), and EM's properties: the log-likelihood never
 * decreases, and the same seed gives the same bits for any thread count.
 */
class SemiMarkovFitTest {

    private static HiddenMarkovModel hmm() {
        double[][] a = {{0.9, 0.06, 0.04}, {0.05, 0.85, 0.1}, {0.2, 0.1, 0.7}};
        GaussianEmission e = GaussianEmission.diag(new double[][]{{-1, 0}, {0.5, 1}, {2, -1}},
                new double[][]{{1, 0.5}, {0.7, 1.2}, {1.5, 0.8}});
        return HiddenMarkovModel.of(new double[]{0.5, 0.3, 0.2}, a, e);
    }

    /** Nonparametric durations set to the geometric pmf (1 − a) a^(u−1), u = 1..Dmax. */
    private static Durations geometric(HiddenMarkovModel h, int dmax) {
        double[][] pmf = new double[h.states()][dmax];
        for (int j = 0; j < h.states(); j++) {
            double a = h.transition(j, j);
            for (int u = 0; u < dmax; u++) {
                pmf[j][u] = (1 - a) * Math.pow(a, u);
            }
        }
        return Durations.nonparametric(pmf);
    }

    @Test
    void geometricDurationsGiveTheHmmLikelihood() {
        HiddenMarkovModel h = hmm();
        Sequences data = h.sample(3, 400, 11).observations();
        // 0.9^400 ≈ 5e-19: the truncation at Dmax = 400 is far below the tolerance.
        SemiMarkovModel m = SemiMarkovModel.fromHiddenMarkov(h, geometric(h, 400));
        double[] hmmLl = h.sequenceLogLikelihoods(data);
        double[] hsmmLl = m.sequenceLogLikelihoods(data);
        for (int q = 0; q < hmmLl.length; q++) {
            assertThat(hsmmLl[q]).isCloseTo(hmmLl[q], within(1e-9));
        }
        // And the posteriors of the states agree step by step.
        double[][][] ph = h.posteriors(data);
        double[][][] pm = m.posteriors(data);
        for (int t = 0; t < 400; t += 37) {
            for (int j = 0; j < 3; j++) {
                assertThat(pm[1][t][j]).isCloseTo(ph[1][t][j], within(1e-9));
            }
        }
        // The Viterbi scores agree too: the best segmentation is the best state path.
        double[] vh = h.viterbiLogProbabilities(data);
        double[] vm = m.viterbiLogProbabilities(data);
        for (int q = 0; q < vh.length; q++) {
            assertThat(vm[q]).isCloseTo(vh[q], within(1e-9));
        }
        assertThat(m.viterbi(data)).isDeepEqualTo(h.viterbi(data));
    }

    @Test
    void aLongSequenceStaysFiniteAndMatchesTheHmm() {
        // 50,000 steps: the per-step scaling keeps every quantity in range (an unscaled product would underflow).
        HiddenMarkovModel h = hmm();
        Sequences data = h.sample(1, 50_000, 4).observations();
        SemiMarkovModel m = SemiMarkovModel.fromHiddenMarkov(h, geometric(h, 400));
        double expected = h.logLikelihood(data);
        double actual = m.logLikelihood(data);
        assertThat(actual).isFinite().isCloseTo(expected, within(1e-10 * Math.abs(expected)));
        double[][] post = m.posteriors(data)[0];
        assertThat(post[49_999][0] + post[49_999][1] + post[49_999][2]).isCloseTo(1.0, within(1e-9));
    }

    /** A 3-state model with Poisson durations λ = 4, 9, 14 (means 5, 10, 15) and distinct Gaussian emissions. */
    private static SemiMarkovModel poissonTruth() {
        double[][] a = {{0, 0.6, 0.4}, {0.5, 0, 0.5}, {0.3, 0.7, 0}};
        GaussianEmission e = GaussianEmission.spherical(new double[][]{{-2}, {0}, {2}}, new double[]{0.6, 0.6, 0.6});
        return SemiMarkovModel.of(new double[]{1 / 3.0, 1 / 3.0, 1 / 3.0}, a,
                Durations.poisson(new double[]{4, 9, 14}, 40), e);
    }

    @Test
    void recoversPoissonDurationsWithinSamplingError() {
        SemiMarkovModel truth = poissonTruth();
        HiddenMarkovModel.Sample sample = truth.sample(20, 500, 5);
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(HiddenMarkov.gaussian(3, CovarianceType.SPHERICAL)
                .initializations(2).seed(1), Durations.Family.POISSON, 40).fit(sample.observations());
        SemiMarkovModel m = fit.params();
        // Complete segments per state in the sample (the last of each sequence is cut and not counted).
        int[] segments = new int[3];
        for (int[] path : sample.states()) {
            for (int t = 0; t + 1 < path.length; t++) {
                if (path[t + 1] != path[t]) {
                    segments[path[t]]++;
                }
            }
        }
        double[] trueLambda = {4, 9, 14};
        for (int j = 0; j < 3; j++) {
            double mean = ((GaussianEmission) m.emission()).gaussians().mean(j)[0];
            int truthState = (int) Math.round(mean / 2.0) + 1;
            double lambda = m.durations().parameters(j)[0];
            double se = Math.sqrt(trueLambda[truthState] / segments[truthState]);
            assertThat(lambda).as("state %d (true state %d)", j, truthState)
                    .isCloseTo(trueLambda[truthState], within(4 * se));
        }
        assertThat(m.logLikelihood(sample.observations())).isGreaterThan(truth.logLikelihood(sample.observations()));
    }

    @ParameterizedTest
    @EnumSource(Durations.Family.class)
    void emNeverLowersTheLogLikelihood(Durations.Family family) {
        SemiMarkovModel truth = poissonTruth();
        Sequences data = truth.sample(6, 200, 9).observations();
        EmResult<SemiMarkovModel> fit = SemiMarkov.of(HiddenMarkov.gaussian(3, CovarianceType.DIAG)
                .initializations(1).maxIterations(60).tolerance(0).seed(3), family, 30).fit(data);
        double[] trace = fit.trace();
        assertThat(trace.length).isGreaterThan(10);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d of %s", i, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @Test
    void sameSeedSameBitsForAnyThreadCount() {
        Sequences data = poissonTruth().sample(9, 150, 21).observations();
        SemiMarkov config = SemiMarkov.of(HiddenMarkov.gaussian(3, CovarianceType.FULL).initializations(2).seed(7),
                Durations.Family.NONPARAMETRIC, 25);
        SemiMarkovModel one = config.options(config.options().withThreads(1)).fit(data).params();
        SemiMarkovModel three = config.options(config.options().withThreads(3)).fit(data).params();
        assertThat(three).isEqualTo(one);
        assertThat(three.logLikelihood(data)).isEqualTo(one.logLikelihood(data));
    }

    @Test
    void refusesDurationsLongerThanEverySequence() {
        Sequences data = poissonTruth().sample(2, 30, 1).observations();
        assertThatThrownBy(() -> SemiMarkov.of(HiddenMarkov.gaussian(2, CovarianceType.DIAG),
                Durations.Family.POISSON, 31).fit(data))
                .isInstanceOf(EmkitException.class)
                .hasMessage("the longest duration Dmax = 31 exceeds the longest sequence (30 steps): use at most 30");
    }

    @Test
    void samplesHaveTheDurationDistribution() {
        SemiMarkovModel truth = poissonTruth();
        int[][] states = truth.sample(50, 400, 2).states();
        double[] sum = new double[3];
        int[] count = new int[3];
        for (int[] path : states) {
            int runStart = 0;
            for (int t = 0; t + 1 < path.length; t++) {
                if (path[t + 1] != path[t]) {
                    if (runStart > 0) {
                        sum[path[t]] += t - runStart + 1;
                        count[path[t]]++;
                    }
                    runStart = t + 1;
                }
            }
        }
        for (int j = 0; j < 3; j++) {
            double mean = truth.durations().meanDuration(j);
            double se = Math.sqrt((mean - 1) / count[j]);
            assertThat(sum[j] / count[j]).isCloseTo(mean, within(4 * se));
        }
    }
}
