package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.em.Acceleration;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * MAP-EM: the M-step against hmmlearn's formulas ({@code _BaseHMM._do_mstep} for the Dirichlet priors,
 * {@code GaussianHMM._do_mstep} for the means and covariances), written out here on hand-made expected counts;
 * the log posterior never decreasing under plain EM; the log prior against its closed form.
 */
class HmmPriorsTest {
    static final double MU0 = 0.5;
    static final double W = 2.0;
    static final double PSI = 0.3;
    static final double NU = 4.5;
    static final double[][] X = {{0.1, 1.2}, {-0.7, 0.4}, {2.5, 3.1}, {3.3, 2.2}, {1.0, -0.5}, {2.0, 2.8}};
    /** Hand-made posteriors of the 6 steps over 2 states. */
    static final double[][] GAMMA = {{0.9, 0.1}, {0.8, 0.2}, {0.15, 0.85}, {0.05, 0.95}, {0.6, 0.4}, {0.3, 0.7}};
    static final double[] START_COUNTS = {1.4, 0.6};
    static final double[][] TRANSITION_COUNTS = {{2.2, 0.7}, {0.4, 1.7}};

    private static GaussianEmission previous(CovarianceType type) {
        double[][] means = {{0, 0}, {2, 2}};
        GaussianMixtureModel g = switch (type) {
            case FULL -> GaussianMixtureModel.full(new double[] {0.5, 0.5}, means,
                    new double[][][] {{{1, 0.2}, {0.2, 1}}, {{1.5, 0}, {0, 0.7}}});
            case TIED -> GaussianMixtureModel.tied(new double[] {0.5, 0.5}, means, new double[][] {{1, 0.1}, {0.1, 1}});
            case DIAG -> GaussianMixtureModel.diag(new double[] {0.5, 0.5}, means, new double[][] {{1, 2}, {0.5, 1}});
            default -> GaussianMixtureModel.spherical(new double[] {0.5, 0.5}, means, new double[] {1, 2});
        };
        return GaussianEmission.of(g);
    }

    private static HiddenMarkovModel maximized(CovarianceType type, BaumWelchSteps steps) {
        HiddenMarkovModel prev = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.5, 0.5}, {0.5, 0.5}},
                previous(type));
        HmmStatistics stats = steps.emptyStatistics(prev);
        System.arraycopy(START_COUNTS, 0, stats.start, 0, 2);
        for (int i = 0; i < 2; i++) {
            System.arraycopy(TRANSITION_COUNTS[i], 0, stats.transitions, 2 * i, 2);
        }
        double[] x = new double[12];
        double[] gamma = new double[12];
        for (int t = 0; t < 6; t++) {
            System.arraycopy(X[t], 0, x, 2 * t, 2);
            System.arraycopy(GAMMA[t], 0, gamma, 2 * t, 2);
        }
        stats.emission.add(x, 0, 6, gamma);
        return steps.maximize(stats, prev, w -> { });
    }

    private static BaumWelchSteps mapSteps() {
        return new BaumWelchSteps(0.0, false, null, 2.5).withPriors(3.0,
                new GaussianEmissionPrior(MU0, W, PSI, NU));
    }

    /** hmmlearn: {@code normalize(max(prior - 1 + counts, 0))}. */
    private static double[] dirichletMode(double alpha, double[] counts) {
        double[] out = new double[counts.length];
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            out[i] = Math.max(alpha - 1 + counts[i], 0);
            sum += out[i];
        }
        for (int i = 0; i < counts.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    @Test
    void startAndTransitionsAreHmmlearnsDirichletModes() {
        HiddenMarkovModel m = maximized(CovarianceType.DIAG, mapSteps());
        assertThat(m.startProbabilities()).containsExactly(dirichletMode(3.0, START_COUNTS), within(1e-14));
        for (int i = 0; i < 2; i++) {
            assertThat(m.transitionMatrix()[i]).containsExactly(dirichletMode(2.5, TRANSITION_COUNTS[i]),
                    within(1e-14));
        }
        // By hand for row 1: (2.2 + 1.5, 0.7 + 1.5) / 5.9.
        assertThat(m.transitionMatrix()[0][0]).isCloseTo(3.7 / 5.9, within(1e-15));
    }

    /** stats['post'], stats['obs'], and hmmlearn's mean update, for state s. */
    private static double post(int s) {
        double p = 0;
        for (double[] g : GAMMA) {
            p += g[s];
        }
        return p;
    }

    private static double[] obs(int s) {
        double[] o = new double[2];
        for (int t = 0; t < 6; t++) {
            for (int a = 0; a < 2; a++) {
                o[a] += GAMMA[t][s] * X[t][a];
            }
        }
        return o;
    }

    private static double[] hmmlearnMean(int s) {
        double[] o = obs(s);
        return new double[] {(W * MU0 + o[0]) / (W + post(s)), (W * MU0 + o[1]) / (W + post(s))};
    }

    /** hmmlearn's c_n for full/tied: w dd' + obs*obs.T - obs mu' - mu obs' + mu mu' post. */
    private static double[][] cn(int s) {
        double[] mu = hmmlearnMean(s);
        double[] o = obs(s);
        double[][] c = new double[2][2];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double oo = 0;
                for (int t = 0; t < 6; t++) {
                    oo += GAMMA[t][s] * X[t][a] * X[t][b];
                }
                c[a][b] = W * (mu[a] - MU0) * (mu[b] - MU0) + oo - o[a] * mu[b] - mu[a] * o[b] + mu[a] * mu[b] * post(s);
            }
        }
        return c;
    }

    @Test
    void gaussianMeansAndCovariancesAreHmmlearnsMapUpdate() {
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.TIED, CovarianceType.DIAG,
                CovarianceType.SPHERICAL}) {
            GaussianMixtureModel g = ((GaussianEmission) maximized(type, mapSteps()).emission()).gaussians();
            double[][] tied = new double[2][2];
            for (int s = 0; s < 2; s++) {
                assertThat(g.mean(s)).as("%s mean %d", type, s).containsExactly(hmmlearnMean(s), within(1e-13));
                double[][] c = cn(s);
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        tied[a][b] += c[a][b];
                    }
                }
                double[][] cov = g.covariance(s);
                switch (type) {
                    case FULL -> {
                        double cvweight = Math.max(NU - 2, 0);
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                assertThat(cov[a][b]).as("full %d %d %d", s, a, b)
                                        .isCloseTo((PSI + c[a][b]) / (cvweight + post(s)), within(1e-13));
                            }
                        }
                    }
                    case DIAG, SPHERICAL -> {
                        double cd = Math.max(NU - 1, 0) + post(s);
                        double v0 = (PSI + c[0][0]) / Math.max(cd, 1e-5);
                        double v1 = (PSI + c[1][1]) / Math.max(cd, 1e-5);
                        if (type == CovarianceType.DIAG) {
                            assertThat(new double[] {cov[0][0], cov[1][1]}).as("diag %d", s)
                                    .containsExactly(new double[] {v0, v1}, within(1e-13));
                        } else {
                            assertThat(cov[0][0]).as("spherical %d", s).isCloseTo((v0 + v1) / 2, within(1e-13));
                            assertThat(cov[1][1]).isEqualTo(cov[0][0]);
                        }
                        assertThat(cov[0][1]).isZero();
                    }
                    default -> { }
                }
            }
            if (type == CovarianceType.TIED) {
                double[][] cov = g.covariance(0);
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        assertThat(cov[a][b]).as("tied %d %d", a, b).isCloseTo((PSI + tied[a][b])
                                / (Math.max(NU - 2, 0) + post(0) + post(1)), within(1e-13));
                    }
                }
            }
        }
    }

    @Test
    void heldPartsKeepTheirValuesAndTheOtherPartFollowsHmmlearn() {
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                CovarianceType.SPHERICAL, CovarianceType.TIED}) {
            GaussianMixtureModel before = previous(type).gaussians();
            BaumWelchSteps holdCov = new BaumWelchSteps(0.0, false, null, 1.0,
                    java.util.EnumSet.of(HmmParameter.COVARIANCES)).withPriors(1.0,
                    new GaussianEmissionPrior(MU0, W, PSI, NU));
            GaussianMixtureModel g = ((GaussianEmission) maximized(type, holdCov).emission()).gaussians();
            for (int s = 0; s < 2; s++) {
                assertThat(g.mean(s)).as("%s", type).containsExactly(hmmlearnMean(s), within(1e-13));
                assertThat(g.covariance(s)).as("%s", type).isDeepEqualTo(before.covariance(s));
            }
        }
        // Held means: the covariance about them (hmmlearn's c_n with self.means_ left as it was).
        BaumWelchSteps holdMeans = new BaumWelchSteps(0.0, false, null, 1.0,
                java.util.EnumSet.of(HmmParameter.MEANS)).withPriors(1.0, new GaussianEmissionPrior(MU0, W, PSI, NU));
        GaussianMixtureModel g = ((GaussianEmission) maximized(CovarianceType.DIAG, holdMeans).emission()).gaussians();
        double[] mu = {2, 2};
        double c0 = W * (mu[0] - MU0) * (mu[0] - MU0);
        double post = 0;
        for (int t = 0; t < 6; t++) {
            c0 += GAMMA[t][1] * (X[t][0] - mu[0]) * (X[t][0] - mu[0]);
            post += GAMMA[t][1];
        }
        assertThat(g.mean(1)).containsExactly(2, 2);
        assertThat(g.covariance(1)[0][0]).isCloseTo((PSI + c0) / (NU - 1 + post), within(1e-13));
    }

    @Test
    void withoutPriorsTheMapStepIsTheMaximumLikelihoodStep() {
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG}) {
            BaumWelchSteps ml = new BaumWelchSteps(0.0, false, null, 1.0);
            BaumWelchSteps flat = ml.withPriors(1.0, new GaussianEmissionPrior(0, 0, 0, 0));
            GaussianMixtureModel a = ((GaussianEmission) maximized(type, ml).emission()).gaussians();
            GaussianMixtureModel b = ((GaussianEmission) maximized(type, flat).emission()).gaussians();
            for (int s = 0; s < 2; s++) {
                assertThat(b.mean(s)).containsExactly(a.mean(s), within(1e-13));
                for (int r = 0; r < 2; r++) {
                    assertThat(b.covariance(s)[r]).containsExactly(a.covariance(s)[r], within(1e-13));
                }
            }
        }
    }

    @Test
    void theLogPriorIsItsClosedForm() {
        // diag: per state and feature -(w d^2 + psi) / (2 v) - (nu - 1) / 2 log v.
        GaussianMixtureModel diag = previous(CovarianceType.DIAG).gaussians();
        double expected = 0;
        double[][] means = {{0, 0}, {2, 2}};
        double[][] vars = {{1, 2}, {0.5, 1}};
        for (int s = 0; s < 2; s++) {
            for (int a = 0; a < 2; a++) {
                double d = means[s][a] - MU0;
                expected += -(W * d * d + PSI) / (2 * vars[s][a]) - (NU - 1) / 2 * Math.log(vars[s][a]);
            }
        }
        GaussianEmissionPrior prior = new GaussianEmissionPrior(MU0, W, PSI, NU);
        assertThat(prior.logDensity(diag)).isCloseTo(expected, within(1e-12));
        // full, state 1: Sigma = [[1, .2], [.2, 1]], det .96, inverse [[1, -.2], [-.2, 1]] / .96.
        GaussianMixtureModel full = previous(CovarianceType.FULL).gaussians();
        double[] d1 = {-MU0, -MU0};
        double quad1 = (d1[0] * d1[0] + d1[1] * d1[1] - 0.4 * d1[0] * d1[1]) / 0.96;
        double ones1 = (2 - 0.4) / 0.96;
        double[] d2 = {2 - MU0, 2 - MU0};
        double quad2 = d2[0] * d2[0] / 1.5 + d2[1] * d2[1] / 0.7;
        double ones2 = 1 / 1.5 + 1 / 0.7;
        double c = NU - 2;
        double full1 = -W / 2 * quad1 - c / 2 * Math.log(0.96) - PSI / 2 * ones1;
        double full2 = -W / 2 * quad2 - c / 2 * Math.log(1.05) - PSI / 2 * ones2;
        assertThat(prior.logDensity(full)).isCloseTo(full1 + full2, within(1e-12));
        // Start and transitions: (alpha - 1) sum log p; the model's objective adds all of it.
        BaumWelchSteps steps = mapSteps();
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {0.25, 0.75}, new double[][] {{0.6, 0.4}, {0.1, 0.9}},
                previous(CovarianceType.DIAG));
        assertThat(steps.logPrior(m)).isCloseTo(expected + 2.0 * (Math.log(0.25) + Math.log(0.75))
                + 1.5 * (Math.log(0.6) + Math.log(0.4) + Math.log(0.1) + Math.log(0.9)), within(1e-12));
    }

    @Test
    void theLogPosteriorNeverDecreasesUnderPlainMapEm() {
        Sequences data = BaumWelchTest.truth().sample(4, 150, 11).observations();
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.TIED, CovarianceType.DIAG,
                CovarianceType.SPHERICAL}) {
            HiddenMarkov config = HiddenMarkov.gaussian(3, type).regCovar(0).startPrior(2).transitionPrior(3)
                    .emissionPrior(new GaussianEmissionPrior(1.0, 5.0, 2.0, 6.0)).tolerance(0).maxIterations(40)
                    .initializations(1).seed(7);
            EmResult<HiddenMarkovModel> fit = config.options(config.options().withAcceleration(Acceleration.NONE))
                    .fit(data);
            double[] trace = fit.trace();
            assertThat(trace.length).isGreaterThan(10);
            for (int i = 1; i < trace.length; i++) {
                assertThat(trace[i]).as("%s iteration %d of %s", type, i, Arrays.toString(trace))
                        .isGreaterThanOrEqualTo(trace[i - 1] - 1e-10 * Math.abs(trace[i - 1]));
            }
            // The objective is the log posterior: the log-likelihood plus the priors' log density.
            assertThat(fit.objective() - fit.logLikelihood()).isCloseTo(config.steps().logPrior(fit.params()),
                    within(1e-8));
            assertThat(fit.objective()).isNotEqualTo(fit.logLikelihood());
        }
    }

    @Test
    void priorsOnMeansAndCovariancesAreForGaussianEmissionsOnly() {
        GaussianEmissionPrior p = new GaussianEmissionPrior(0, 1, 0.1, 1);
        assertThatThrownBy(() -> HiddenMarkov.categorical(2).emissionPrior(p)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("gaussian emissions, not categorical");
        assertThatThrownBy(() -> HiddenMarkov.gaussianMixture(2, 2, CovarianceType.DIAG).emissionPrior(p))
                .isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> new GaussianEmissionPrior(0, -1, 0, 0)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("means weight");
        assertThatThrownBy(() -> HiddenMarkov.gaussian(2, CovarianceType.DIAG).startPrior(0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
