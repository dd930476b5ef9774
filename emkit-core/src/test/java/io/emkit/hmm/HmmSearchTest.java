package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default search on hidden Markov models (issue 21: a default HMM fit had ended 83,000 nats below
 * pomegranate's where several starts reached it): on sequences drawn from random six-state models, whose
 * optimum is known from EM started at the generating model, the default fit reaches it where single starts
 * often do not.
 */
class HmmSearchTest {
    private static final int STATES = 6;

    /**
     * A random six-state, 3-D Gaussian HMM: uniform start, self-transitions 0.80–0.85 and the rest spread
     * unevenly, means uniform in [−3, 3]³ (the states overlap), random full covariances {@code B Bᵀ/6 + 0.2 I}
     * with B's entries uniform in [−1, 1].
     */
    static HiddenMarkovModel randomTruth(long seed) {
        int d = 3;
        SplittableRandom random = new SplittableRandom(seed);
        double[] start = new double[STATES];
        double[][] transitions = new double[STATES][STATES];
        double[][] means = new double[STATES][d];
        double[][][] covariances = new double[STATES][d][d];
        for (int i = 0; i < STATES; i++) {
            start[i] = 1.0 / STATES;
            double stay = 0.8 + 0.05 * random.nextDouble();
            double[] away = new double[STATES];
            double total = 0;
            for (int j = 0; j < STATES; j++) {
                if (j != i) {
                    away[j] = 0.2 + random.nextDouble();
                    total += away[j];
                }
            }
            for (int j = 0; j < STATES; j++) {
                transitions[i][j] = j == i ? stay : (1 - stay) * away[j] / total;
            }
            for (int j = 0; j < d; j++) {
                means[i][j] = -3 + 6 * random.nextDouble();
            }
            double[][] b = new double[d][d];
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    b[p][q] = -1 + 2 * random.nextDouble();
                }
            }
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    double v = 0;
                    for (int t = 0; t < d; t++) {
                        v += b[p][t] * b[q][t];
                    }
                    covariances[i][p][q] = 0.5 * v / d + (p == q ? 0.2 : 0);
                }
            }
        }
        return HiddenMarkovModel.of(start, transitions, GaussianEmission.full(means, covariances));
    }

    private static HiddenMarkov configured() {
        return HiddenMarkov.gaussian(STATES, CovarianceType.FULL);
    }

    @Test
    void theDefaultFitReachesTheOptimumFromTheGeneratingModelWhereSingleStartsMiss() {
        int singleMisses = 0;
        for (long seed = 1; seed <= 4; seed++) {
            HiddenMarkovModel truth = randomTruth(seed);
            Sequences data = truth.sample(20, 300, seed + 1000).observations();
            double optimum = configured().initialModel(truth).tolerance(1e-10).maxIterations(5000).fit(data)
                    .logLikelihood();
            EmResult<HiddenMarkovModel> fit = configured().fit(data);
            assertThat(fit.logLikelihood()).as("data seed %d", seed)
                    .isGreaterThan(optimum - 1e-7 * Math.abs(optimum));
            assertThat(fit.search().shortStarts()).isGreaterThan(1);
            assertThat(fit.search().summary()).contains("short starts");
            for (long start = 0; start < 5; start++) {
                double one = configured().initializations(1).seed(start).fit(data).logLikelihood();
                singleMisses += one < optimum - 1.0 ? 1 : 0;
            }
        }
        // Session 36: 6 of the 20 single starts ended 300–1,100 nats short (the data are not easy).
        assertThat(singleMisses).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theSearchGivesTheSameBitsOnOneAndThreeThreads() {
        Sequences data = randomTruth(1).sample(20, 300, 1001).observations();
        EmResult<HiddenMarkovModel> one = configured().threads(1).fit(data);
        EmResult<HiddenMarkovModel> three = configured().threads(3).fit(data);
        assertThat(three.params()).isEqualTo(one.params());
        assertThat(three.search()).isEqualTo(one.search());
        assertThat(Double.doubleToLongBits(three.logLikelihood()))
                .isEqualTo(Double.doubleToLongBits(one.logLikelihood()));
    }

    /**
     * Old Faithful's waiting times, whole minutes, as one sequence of 272 steps: with three states the search once
     * answered with a state on the steps of exactly 77 minutes, its variance 1e-6 (regCovar), 42 nats above four
     * states' fit, with no word of it. Counted on the steps themselves (each to its Viterbi state), no state of the
     * default fit has 90% of its steps on one value; a run held at that collapsed fit (a warm start) says what it is.
     */
    @Test
    void noStateSitsOnStepsRecordedAlikeAndOneThatDoesIsReported() {
        io.emkit.data.Dataset waiting = io.emkit.TestData.faithful().selectColumns(1);
        Sequences data = Sequences.single(waiting);
        HiddenMarkov three = HiddenMarkov.gaussian(3, CovarianceType.FULL).threads(2);
        EmResult<HiddenMarkovModel> fit = three.fit(data);
        int[] path = fit.params().viterbi(data)[0];
        for (int state = 0; state < 3; state++) {
            int[] spread = io.emkit.TestData.spreadOver(waiting, 0, path, state);
            assertThat(spread[1]).as("state %d: steps on its most common value, of %d", state + 1, spread[0])
                    .isLessThan((int) Math.ceil(0.9 * Math.max(spread[0], 2)));
        }
        double four = HiddenMarkov.gaussian(4, CovarianceType.FULL).threads(2).fit(data).logLikelihood();
        assertThat(fit.logLikelihood()).as("three states against four").isLessThanOrEqualTo(four);
        assertThat(fit.warnings()).noneSatisfy(w -> assertThat(w).contains("collapsed"));

        HiddenMarkovModel collapsed = HiddenMarkovModel.of(new double[] {0, 1, 0},
                new double[][] {{0.08, 0.53, 0.39}, {0.03, 0.36, 0.61}, {0.06, 0.87, 0.07}},
                GaussianEmission.full(new double[][] {{77}, {80.85}, {55.57}},
                        new double[][][] {{{1e-6}}, {{30.92}}, {{45.43}}}));
        EmResult<HiddenMarkovModel> held = three.initialModel(collapsed).fit(data);
        assertThat(held.warnings()).anySatisfy(w -> assertThat(w).contains("state 1").contains("collapsed"));
    }
}
