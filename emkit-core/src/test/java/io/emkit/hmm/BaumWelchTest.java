package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Baum–Welch on the EM engine: monotone, recovers known models, respects zeros and fixed parts, deterministic. */
class BaumWelchTest {
    /** A known 3-state 2-D Gaussian HMM with sticky, distinct transitions. */
    static HiddenMarkovModel truth() {
        return HiddenMarkovModel.of(new double[] {0.6, 0.3, 0.1},
                new double[][] {{0.90, 0.07, 0.03}, {0.05, 0.85, 0.10}, {0.10, 0.10, 0.80}},
                GaussianEmission.full(new double[][] {{0, 0}, {4, 1}, {-2, 4}},
                        new double[][][] {{{1.0, 0.3}, {0.3, 0.8}}, {{0.6, -0.2}, {-0.2, 1.1}},
                                {{1.2, 0.0}, {0.0, 0.5}}}));
    }

    private static void assertMonotone(double[] trace) {
        assertThat(trace.length).as("several iterations").isGreaterThan(3);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("objective at iteration %d (trace %s)", i, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL"})
    void gaussianBaumWelchNeverLowersTheLogLikelihood(CovarianceType type) {
        Sequences data = truth().sample(5, 200, 1).observations();
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.gaussian(3, type).tolerance(0).maxIterations(30).seed(2)
                .fit(data);
        assertMonotone(fit.trace());
        assertThat(fit.logLikelihood()).isCloseTo(fit.params().logLikelihood(data), within(1e-9 * data.totalLength()));
    }

    @Test
    void categoricalAndPoissonBaumWelchNeverLowerTheLogLikelihood() {
        HiddenMarkovModel cat = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.2, 0.8}},
                CategoricalEmission.of(new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}}));
        EmResult<HiddenMarkovModel> c = HiddenMarkov.categorical(2).tolerance(0).maxIterations(30).seed(3)
                .fit(cat.sample(4, 300, 5).observations());
        assertMonotone(c.trace());
        HiddenMarkovModel poi = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.95, 0.05}, {0.1, 0.9}},
                PoissonEmission.of(new double[][] {{1.0, 10.0}, {6.0, 2.0}}));
        EmResult<HiddenMarkovModel> p = HiddenMarkov.poisson(2).tolerance(0).maxIterations(30).seed(3)
                .fit(poi.sample(4, 300, 6).observations());
        assertMonotone(p.trace());
        double[][] rates = ((PoissonEmission) p.params().emission()).rates();
        Arrays.sort(rates, (a, b) -> Double.compare(a[0], b[0]));
        assertThat(rates[0][0]).isCloseTo(1.0, within(0.3));
        assertThat(rates[1][1]).isCloseTo(2.0, within(0.4));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL", "TIED"})
    void gaussianMixtureEmissionsNeverLowerTheLogLikelihood(CovarianceType type) {
        Sequences data = truth().sample(4, 150, 21).observations();
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.gaussianMixture(2, 2, type).tolerance(0).maxIterations(25)
                .seed(3).fit(data);
        assertMonotone(fit.trace());
        GaussianMixtureEmission e = (GaussianMixtureEmission) fit.params().emission();
        assertThat(e.mixtureComponents()).isEqualTo(2);
        int d = 2;
        assertThat(fit.parameterCount()).isEqualTo(1 + 2 + type.covarianceParameters(4, d) + 4 * d + 2);
        // One Gaussian per state is the Gaussian HMM: the same objective from the same seed.
        double gmm1 = HiddenMarkov.gaussianMixture(3, 1, type).maxIterations(5).seed(8).fit(data).logLikelihood();
        double gauss = HiddenMarkov.gaussian(3, type).maxIterations(5).seed(8).fit(data).logLikelihood();
        assertThat(gmm1).isCloseTo(gauss, within(1e-8 * Math.abs(gauss)));
    }

    /**
     * The MAP objective is the log-likelihood plus the log density of a symmetric Dirichlet(α) on every row of
     * the transition matrix, written here without its normalising constant (which does not depend on the
     * parameters): {@code Σi Σj (α − 1) ln aij}.
     */
    @Test
    void theMapObjectiveWithADirichletPriorNeverDecreases() {
        Sequences data = truth().sample(3, 150, 8).observations();
        double alpha = 5.0;
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.gaussian(3, CovarianceType.DIAG).transitionPrior(alpha)
                .tolerance(0).maxIterations(25).seed(4).fit(data);
        assertMonotone(fit.trace());
        double logPrior = 0;
        for (double[] row : fit.params().transitionMatrix()) {
            for (double a : row) {
                logPrior += (alpha - 1) * Math.log(a);
            }
        }
        assertThat(logPrior).isNegative();
        assertThat(fit.objective()).isCloseTo(fit.logLikelihood() + logPrior, within(1e-9));
        assertThat(fit.objective()).isNotEqualTo(fit.logLikelihood());
    }

    @Test
    void recoversAKnownThreeStateGaussianModelUpToAPermutation() {
        HiddenMarkovModel truth = truth();
        Sequences data = truth.sample(10, 500, 42).observations();
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.gaussian(3, CovarianceType.FULL).initializations(3)
                .tolerance(1e-7).maxIterations(300).seed(7).fit(data);
        assertThat(fit.converged()).isTrue();
        HiddenMarkovModel m = fit.params();
        GaussianEmission e = (GaussianEmission) m.emission();
        GaussianEmission te = (GaussianEmission) truth.emission();
        // Match fitted states to true states by their means.
        int[] perm = new int[3];
        for (int s = 0; s < 3; s++) {
            double best = Double.POSITIVE_INFINITY;
            for (int f = 0; f < 3; f++) {
                double[] a = te.gaussians().mean(s);
                double[] b = e.gaussians().mean(f);
                double dist = Math.hypot(a[0] - b[0], a[1] - b[1]);
                if (dist < best) {
                    best = dist;
                    perm[s] = f;
                }
            }
        }
        assertThat(Arrays.stream(perm).distinct().count()).as("a permutation").isEqualTo(3);
        for (int s = 0; s < 3; s++) {
            double[] mu = e.gaussians().mean(perm[s]);
            double[] tmu = te.gaussians().mean(s);
            assertThat(mu[0]).isCloseTo(tmu[0], within(0.15));
            assertThat(mu[1]).isCloseTo(tmu[1], within(0.15));
            double[][] cov = e.gaussians().covariance(perm[s]);
            double[][] tcov = te.gaussians().covariance(s);
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    assertThat(cov[a][b]).isCloseTo(tcov[a][b], within(0.2));
                }
            }
            for (int r = 0; r < 3; r++) {
                assertThat(m.transition(perm[s], perm[r])).as("A[%d][%d]", s, r)
                        .isCloseTo(truth.transition(s, r), within(0.04));
            }
        }
        // The fitted model explains the data at least as well as the truth (it is the maximum likelihood).
        assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(truth.logLikelihood(data));
        assertThat(fit.parameterCount()).isEqualTo(2 + 6 + 3 * 2 + 3 * 3);
        assertThat(fit.bic()).isCloseTo(-2 * fit.logLikelihood() + 23 * Math.log(5000), within(1e-6));
    }

    @Test
    void structuralZerosStayZeroAndALeftToRightModelStaysLeftToRight() {
        HiddenMarkovModel truth = HiddenMarkovModel.of(new double[] {1, 0, 0},
                new double[][] {{0.9, 0.1, 0}, {0, 0.9, 0.1}, {0, 0, 1}},
                GaussianEmission.spherical(new double[][] {{0}, {3}, {6}}, new double[] {1, 1, 1}));
        Sequences data = truth.sample(6, 60, 3).observations();
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.gaussian(3, CovarianceType.SPHERICAL)
                .startProbabilities(new double[] {1, 0, 0}, true)
                .transitions(new double[][] {{0.5, 0.5, 0}, {0, 0.5, 0.5}, {0, 0, 1}}, false)
                .tolerance(0).maxIterations(40).seed(1).fit(data);
        HiddenMarkovModel m = fit.params();
        assertThat(m.startProbabilities()).containsExactly(1, 0, 0);
        double[][] a = m.transitionMatrix();
        assertThat(a[0][2]).isZero();
        assertThat(a[1][0]).isZero();
        assertThat(a[2][0]).isZero();
        assertThat(a[2][1]).isZero();
        assertThat(a[2][2]).isEqualTo(1.0);
        assertThat(a[0][1]).isGreaterThan(0);
        for (int[] path : m.viterbi(data)) {
            for (int t = 1; t < path.length; t++) {
                assertThat(path[t]).isBetween(path[t - 1], path[t - 1] + 1);
            }
        }
        // Free parameters: start fixed (0), rows 1 and 2 one each, row 3 none; 3 means, 3 variances.
        assertThat(fit.parameterCount()).isEqualTo(2 + 6);
        assertMonotone(fit.trace());
    }

    @Test
    void fixedTransitionsAreKeptExactly() {
        double[][] a = {{0.8, 0.2}, {0.3, 0.7}};
        Sequences data = truth().sample(2, 100, 9).observations();
        HiddenMarkovModel m = HiddenMarkov.gaussian(2, CovarianceType.DIAG).transitions(a, true).maxIterations(10)
                .fit(data).params();
        assertThat(m.transitionMatrix()).isDeepEqualTo(a);
    }

    @Test
    void theSameSeedGivesTheSameModelForOneTwoAndThreeThreads() {
        Sequences data = truth().sample(150, 40, 11).observations();
        EmResult<HiddenMarkovModel> one = fit(data, 1);
        EmResult<HiddenMarkovModel> two = fit(data, 2);
        EmResult<HiddenMarkovModel> three = fit(data, 3);
        assertThat(one.iterations()).isGreaterThan(2);
        for (EmResult<HiddenMarkovModel> other : java.util.List.of(two, three)) {
            assertThat(other.params()).isEqualTo(one.params());
            assertThat(Arrays.equals(other.trace(), one.trace())).isTrue();
            assertThat(Double.doubleToLongBits(other.logLikelihood()))
                    .isEqualTo(Double.doubleToLongBits(one.logLikelihood()));
        }
        assertThat(fit(data, 2).params()).isEqualTo(one.params());
    }

    private static EmResult<HiddenMarkovModel> fit(Sequences data, int threads) {
        return HiddenMarkov.gaussian(3, CovarianceType.FULL).initializations(2).tolerance(0).maxIterations(15)
                .seed(5).threads(threads).fit(data);
    }

    @Test
    void differentSeedsGiveDifferentStarts() {
        Sequences data = truth().sample(4, 50, 12).observations();
        double[] a = HiddenMarkov.gaussian(3, CovarianceType.FULL).maxIterations(0).seed(1).fit(data).trace();
        double[] b = HiddenMarkov.gaussian(3, CovarianceType.FULL).maxIterations(0).seed(2).fit(data).trace();
        assertThat(a[0]).isNotEqualTo(b[0]);
    }

    @Test
    void sequencesOfDifferentLengthsAreFittedTogether() {
        HiddenMarkovModel truth = truth();
        java.util.List<double[][]> seqs = new java.util.ArrayList<>();
        for (int q = 0; q < 5; q++) {
            seqs.add(truth.sample(1, 20 + 37 * q, 100 + q).observations().sequence(0));
        }
        Sequences data = Sequences.of(seqs);
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.gaussian(3, CovarianceType.DIAG).seed(1).fit(data);
        double expected = 0;
        for (int q = 0; q < 5; q++) {
            expected += fit.params().logLikelihood(Sequences.of(java.util.List.<double[][]>of(seqs.get(q))));
        }
        assertThat(fit.logLikelihood()).isCloseTo(expected, within(1e-8));
        assertThat(fit.meanLogLikelihood()).isCloseTo(expected / data.totalLength(), within(1e-12));
    }
}
