package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Mixtures of t factor analysers: the Woodbury t density against the full-covariance t mixture's, the identity
 * with Gaussian factor analysers as {@code ν → ∞} and with the full-covariance t mixture at {@code Q = D − 1}, EM's
 * monotonicity, recovery of a known heavy-tailed mixture, the published parameter count, determinism across thread
 * counts, and refusals.
 */
class StudentFactorAnalyserMixtureTest {

    /** A random mixture of factor analysers, its parameters drawn from {@code random}. */
    private static FactorAnalyserMixtureModel randomScales(SplittableRandom random, int k, int d, int q) {
        double[] w = new double[k];
        double[][] means = new double[k][d];
        double[][][] loadings = new double[k][d][q];
        double[][] psi = new double[k][d];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            w[c] = 0.5 + random.nextDouble();
            sum += w[c];
            for (int j = 0; j < d; j++) {
                means[c][j] = 5 * random.nextGaussian();
                psi[c][j] = 0.2 + random.nextDouble();
                for (int a = 0; a < q; a++) {
                    loadings[c][j][a] = random.nextGaussian();
                }
            }
        }
        for (int c = 0; c < k; c++) {
            w[c] /= sum;
        }
        return new FactorAnalyserMixtureModel(w, means, loadings, psi, null);
    }

    private static StudentFactorAnalyserMixtureModel withDegrees(FactorAnalyserMixtureModel scales, double... nu) {
        return new StudentFactorAnalyserMixtureModel(scales, nu, DegreesOfFreedom.Constraint.FREE);
    }

    /** The same weights, means and {@code ΛΛᵀ + Ψ} as a full-covariance Gaussian mixture (formed here). */
    private static GaussianMixtureModel fullCovariance(FactorAnalyserMixtureModel m) {
        int k = m.components();
        int d = m.dimension();
        double[][][] cov = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            double[][] l = m.loadings(c);
            double[] psi = m.uniquenesses(c);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int a = 0; a < m.factors(); a++) {
                        cov[c][i][j] += l[i][a] * l[j][a];
                    }
                }
                cov[c][i][i] += psi[i];
            }
        }
        return GaussianMixtureModel.full(m.weights(), m.means(), cov);
    }

    @Test
    void woodburyDensityIsTheFullCovarianceTDensity() {
        SplittableRandom random = new SplittableRandom(3);
        FactorAnalyserMixtureModel scales = randomScales(random, 3, 7, 2);
        double[] nu = {1.5, 4, 40};
        StudentFactorAnalyserMixtureModel m = withDegrees(scales, nu);
        StudentMixtureModel reference = new StudentMixtureModel(fullCovariance(scales), nu,
                DegreesOfFreedom.Constraint.FREE);
        Dataset data = m.sample(400, 5).data();
        double[] a = m.scoreSamples(data);
        double[] b = reference.scoreSamples(data);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("row %d", i).isCloseTo(b[i], within(1e-9 * Math.max(1, Math.abs(b[i]))));
        }
        // With missing values: the t mixture's marginal over each row's observed coordinates.
        double[] values = data.rawValues().clone();
        SplittableRandom holes = new SplittableRandom(4);
        for (int i = 0; i < 400; i += 2) {
            values[i * 7 + holes.nextInt(7)] = Double.NaN;
            if (i % 6 == 0) {
                values[i * 7 + holes.nextInt(7)] = Double.NaN;
            }
        }
        Dataset gaps = Dataset.wrap(values, 400, 7, data.columnNames());
        a = m.scoreSamples(gaps);
        b = reference.scoreSamples(gaps);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("row %d with gaps", i).isCloseTo(b[i], within(1e-9 * Math.max(1, Math.abs(b[i]))));
        }
    }

    @Test
    void withHugeDegreesOfFreedomEachIterationIsTheFactorAnalysersOne() {
        SplittableRandom random = new SplittableRandom(11);
        FactorAnalyserMixtureModel truth = randomScales(random, 3, 6, 2);
        Dataset complete = truth.sample(600, 1).data();
        double[] values = complete.rawValues().clone();
        for (int i = 0; i < 600; i += 4) {
            values[i * 6 + i % 6] = Double.NaN; // a quarter of the rows miss a value: their own posterior covariances
        }
        Dataset data = Dataset.wrap(values, 600, 6, complete.columnNames());
        FactorAnalyserMixtureModel gaussian = randomScales(new SplittableRandom(12), 3, 6, 2);
        StudentFactorAnalyserMixtureModel t = new StudentFactorAnalyserMixtureModel(gaussian, new double[] {1e9, 1e9, 1e9},
                DegreesOfFreedom.Constraint.FIXED);
        FactorAnalyserSteps mfa = new FactorAnalyserSteps(1e-6);
        StudentFactorAnalyserSteps tmfa = new StudentFactorAnalyserSteps(1e-6, DegreesOfFreedom.fixed(1e9));
        for (int it = 0; it < 60; it++) {
            FactorAnalyserStatistics s = mfa.emptyStatistics(gaussian);
            double llGaussian = mfa.accumulate(gaussian, data, 0, data.rows(), s);
            StudentFactorStatistics u = tmfa.emptyStatistics(t);
            double llT = tmfa.accumulate(t, data, 0, data.rows(), u);
            assertThat(llT).as("iteration %d", it).isCloseTo(llGaussian, within(1e-6 * Math.abs(llGaussian)));
            gaussian = mfa.maximize(s, gaussian, w -> { });
            t = tmfa.maximize(u, t, w -> { });
        }
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 6; j++) {
                assertThat(t.scales().mean(c)[j]).isCloseTo(gaussian.mean(c)[j], within(1e-5));
                assertThat(t.scales().uniquenesses(c)[j]).isCloseTo(gaussian.uniquenesses(c)[j], within(1e-5));
            }
        }
    }

    @Test
    void withOneFactorFewerThanFeaturesItReachesTheFullCovarianceTFit() {
        SplittableRandom random = new SplittableRandom(21);
        FactorAnalyserMixtureModel scales = randomScales(random, 2, 4, 3);
        Dataset data = withDegrees(scales, 3, 6).sample(1500, 2).data();
        GaussianMixture config = GaussianMixture.withComponents(2).covarianceType(CovarianceType.FULL).regCovar(0)
                .options(EmOptions.defaults().withSeed(2).withThreads(1).withTolerance(1e-13)
                        .withMaxIterations(100_000));
        GaussianMixtureModel start = config.maxIterations(3).fit(data).params();
        double[] nu0 = {DegreesOfFreedom.START, DegreesOfFreedom.START};
        EmResult<StudentMixtureModel> full = StudentMixture.like(config)
                .initialModel(new StudentMixtureModel(start, nu0, DegreesOfFreedom.Constraint.FREE)).fit(data);
        StudentFactorAnalyserMixtureModel factorStart = withDegrees(FactorStarts.fromGaussian(start, 3), nu0);
        double startLl = new StudentMixtureModel(start, nu0, DegreesOfFreedom.Constraint.FREE).logLikelihood(data);
        assertThat(factorStart.logLikelihood(data)).as("the same start").isCloseTo(startLl, within(1e-8 * -startLl));
        EmResult<StudentFactorAnalyserMixtureModel> tmfa = StudentFactorAnalyserMixture.like(config, 3)
                .initialModel(factorStart).fit(data);
        System.out.printf("t full logL %.10f, t-MFA(Q=3) logL %.10f, df %s vs %s%n", full.logLikelihood(),
                tmfa.logLikelihood(), Arrays.toString(full.params().degreesOfFreedom()),
                Arrays.toString(tmfa.params().degreesOfFreedom()));
        assertThat(tmfa.logLikelihood()).isCloseTo(full.logLikelihood(), within(1e-4));
        for (int c = 0; c < 2; c++) {
            assertThat(tmfa.params().degreesOfFreedom()[c]).isCloseTo(full.params().degreesOfFreedom()[c],
                    within(1e-3 * full.params().degreesOfFreedom()[c]));
            double[][] s = tmfa.params().scales().covariance(c);
            double[][] t = full.params().scales().covariance(c);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertThat(s[i][j]).isCloseTo(t[i][j], within(1e-3));
                }
            }
        }
    }

    @Test
    void logLikelihoodNeverDecreases() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 24; trial++) {
            int k = 1 + random.nextInt(3);
            int d = 2 + random.nextInt(7);
            int q = 1 + random.nextInt(d - 1);
            int n = 150 + random.nextInt(300);
            double[] nuTrue = new double[k];
            for (int c = 0; c < k; c++) {
                nuTrue[c] = 1 + 10 * random.nextDouble();
            }
            Dataset data = withDegrees(randomScales(random, k, d, d - 1), nuTrue).sample(n, trial).data();
            if (trial % 2 == 0) {
                double[] w = new double[n];
                for (int i = 0; i < n; i++) {
                    w[i] = random.nextInt(4);
                }
                w[0] = 1;
                data = data.withWeights(w);
            }
            if (trial % 4 >= 2) {
                // Missing values in a row out of five (some rows missing everything when D is small).
                double[] values = data.rawValues().clone();
                for (int i = 1; i < n; i += 5) {
                    values[i * d + random.nextInt(d)] = Double.NaN;
                }
                Dataset gaps = Dataset.wrap(values, n, d, data.columnNames());
                data = data.isWeighted() ? gaps.withWeights(weightsOf(data)) : gaps;
            }
            DegreesOfFreedom dof = switch (trial % 3) {
                case 0 -> DegreesOfFreedom.free();
                case 1 -> DegreesOfFreedom.equal();
                default -> DegreesOfFreedom.fixed(5);
            };
            StudentFactorAnalyserSteps steps = new StudentFactorAnalyserSteps(0, dof);
            double[] nu = new double[k];
            Arrays.fill(nu, dof.start());
            StudentFactorAnalyserMixtureModel m = new StudentFactorAnalyserMixtureModel(startFrom(data, random, k, q),
                    nu, dof.constraint());
            double previous = Double.NEGATIVE_INFINITY;
            for (int it = 0; it < 50; it++) {
                StudentFactorStatistics s = steps.emptyStatistics(m);
                double ll = steps.accumulate(m, data, 0, data.rows(), s);
                assertThat(ll).as("trial %d (K %d, D %d, Q %d, %s, missing %b) iteration %d", trial, k, d, q, dof,
                        trial % 4 >= 2, it)
                        .isGreaterThanOrEqualTo(previous - 1e-10 * Math.abs(previous));
                assertThat(ll).isCloseTo(m.logLikelihood(data), within(1e-8 * Math.abs(ll)));
                previous = ll;
                m = steps.maximize(s, m, warning -> { });
            }
        }
    }

    private static double[] weightsOf(Dataset data) {
        double[] w = new double[data.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = data.weight(i);
        }
        return w;
    }

    /** Random rows as means, small random loadings, unit uniquenesses, equal weights. */
    private static FactorAnalyserMixtureModel startFrom(Dataset data, SplittableRandom random, int k, int q) {
        int d = data.columns();
        double[] w = new double[k];
        double[][] means = new double[k][];
        double[][][] loadings = new double[k][d][q];
        double[][] psi = new double[k][d];
        for (int c = 0; c < k; c++) {
            w[c] = 1.0 / k;
            means[c] = data.row(random.nextInt(data.rows()));
            for (int j = 0; j < d; j++) {
                means[c][j] = Double.isNaN(means[c][j]) ? 0 : means[c][j];
            }
            for (int j = 0; j < d; j++) {
                psi[c][j] = 1;
                for (int a = 0; a < q; a++) {
                    loadings[c][j][a] = 0.3 * random.nextGaussian();
                }
            }
        }
        return new FactorAnalyserMixtureModel(w, means, loadings, psi, null);
    }

    @Test
    void recoversAKnownHeavyTailedMixture() {
        double[] weights = {0.6, 0.4};
        double[][] means = {{0, 0, 0, 0, 0, 0}, {6, -5, 4, 6, -4, 5}};
        double[][][] loadings = {
                {{1.5, 0}, {1.2, 0.3}, {0.8, -0.6}, {0, 1.4}, {-0.5, 1.0}, {0.3, 0.2}},
                {{0.2, 1.1}, {-1.3, 0.4}, {0.9, 0.9}, {1.0, -0.2}, {0, 0.7}, {1.4, 0}}};
        double[][] psi = {{0.3, 0.5, 0.4, 0.2, 0.6, 0.5}, {0.4, 0.3, 0.5, 0.6, 0.2, 0.3}};
        FactorAnalyserMixtureModel scales = new FactorAnalyserMixtureModel(weights, means, loadings, psi, null);
        double[] nu = {3, 5};
        StudentFactorAnalyserMixtureModel truth = withDegrees(scales, nu);
        Dataset data = truth.sample(6000, 7).data();
        EmResult<StudentFactorAnalyserMixtureModel> fit = StudentFactorAnalyserMixture.like(GaussianMixture
                .withComponents(2).options(EmOptions.defaults().withSeed(1).withThreads(2)
                        .withSearch(Search.Level.QUICK)), 2).fit(data);
        StudentFactorAnalyserMixtureModel m = fit.params();
        // The maximum-likelihood fit is at least as likely as the truth.
        assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(truth.logLikelihood(data) - 1e-6);
        for (int c = 0; c < 2; c++) {
            int match = Math.abs(m.scales().mean(c)[0]) < 3 ? 0 : 1;
            assertThat(m.weights()[c]).isCloseTo(weights[match], within(0.03));
            for (int j = 0; j < 6; j++) {
                assertThat(m.scales().mean(c)[j]).isCloseTo(means[match][j], within(0.1));
            }
            // Within sampling error: the standard error of ν̂ at ν = 3..5 and a few thousand rows is ~10–20%.
            assertThat(m.degreesOfFreedom()[c]).isCloseTo(nu[match], within(0.35 * nu[match]));
            double[][] s = m.scales().covariance(c);
            double[][] t = scales.covariance(match);
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    assertThat(s[i][j]).as("component %d, scale (%d, %d)", c, i, j).isCloseTo(t[i][j], within(0.25));
                }
            }
        }
        // The Gaussian factor analysers fit the same heavy-tailed data worse (by BIC).
        double gaussianBic = FactorAnalyserMixture.like(GaussianMixture.withComponents(2).options(EmOptions.defaults()
                .withSeed(1).withThreads(2).withSearch(Search.Level.QUICK)), 2).fit(data).bic();
        assertThat(fit.bic()).isLessThan(gaussianBic);
    }

    @Test
    void parameterCountIsThePublishedOne() {
        // McLachlan, Bean and Ben-Tahar (2007): (g − 1) + g{2p + pq − q(q − 1)/2} + g for free ν.
        FactorAnalyserMixtureModel scales = randomScales(new SplittableRandom(1), 4, 7, 3);
        double[] nu = {3, 4, 5, 6};
        assertThat(withDegrees(scales, nu).parameterCount()).isEqualTo(3 + 4 * (14 + 21 - 3) + 4);
        Arrays.fill(nu, 4);
        assertThat(new StudentFactorAnalyserMixtureModel(scales, nu, DegreesOfFreedom.Constraint.EQUAL).parameterCount())
                .isEqualTo(3 + 4 * (14 + 21 - 3) + 1);
        assertThat(new StudentFactorAnalyserMixtureModel(scales, nu, DegreesOfFreedom.Constraint.FIXED).parameterCount())
                .isEqualTo(3 + 4 * (14 + 21 - 3));
    }

    @Test
    void sameFitBitForBitWhateverTheThreads() {
        StudentFactorAnalyserMixtureModel truth = withDegrees(randomScales(new SplittableRandom(8), 3, 6, 2), 3, 5, 8);
        Dataset data = truth.sample(10_000, 3).data();
        StudentFactorAnalyserMixtureModel first = null;
        double firstLl = 0;
        for (int threads : new int[] {1, 3}) {
            EmResult<StudentFactorAnalyserMixtureModel> fit = StudentFactorAnalyserMixture.like(GaussianMixture
                    .withComponents(3).options(EmOptions.defaults().withSeed(9).withThreads(threads)
                            .withSearch(Search.Level.QUICK)), 2).fit(data);
            if (first == null) {
                first = fit.params();
                firstLl = fit.logLikelihood();
            } else {
                assertThat(fit.params()).as("%d threads", threads).isEqualTo(first);
                assertThat(Double.doubleToRawLongBits(fit.logLikelihood())).isEqualTo(Double.doubleToRawLongBits(firstLl));
            }
        }
    }

    @Test
    void refusesWhatItCannotFit() {
        Dataset data = withDegrees(randomScales(new SplittableRandom(2), 2, 3, 1), 4, 4).sample(200, 1).data();
        assertThatThrownBy(() -> StudentFactorAnalyserMixture.like(GaussianMixture.withComponents(2), 3).fit(data))
                .isInstanceOf(EmkitException.class).hasMessageContaining("use at most 2 factors");
        assertThatThrownBy(() -> DegreesOfFreedom.fixed(0)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("> 0");
        double[] values = data.rawValues().clone();
        values[5 * 3 + 1] = Double.POSITIVE_INFINITY;
        Dataset infinite = Dataset.wrap(values, 200, 3, data.columnNames());
        assertThatThrownBy(() -> StudentFactorAnalyserMixture.like(GaussianMixture.withComponents(2), 1).fit(infinite))
                .isInstanceOf(EmkitException.class).hasMessageContaining("row 6");
    }
}
