package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Mixtures of factor analysers: the Woodbury density against the d×d one, the published parameter count, EM's
 * monotonicity, the identity with full covariance at {@code Q = D − 1}, recovery of a known mixture and BIC's
 * choice of Q, determinism across thread counts, and refusals.
 */
class FactorAnalyserMixtureTest {

    /** A random mixture of factor analysers, its parameters drawn from {@code random}. */
    private static FactorAnalyserMixtureModel randomModel(SplittableRandom random, int k, int d, int q) {
        double[] w = new double[k];
        double[][] means = new double[k][d];
        double[][][] loadings = new double[k][d][q];
        double[][] psi = new double[k][d];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            w[c] = 0.5 + random.nextDouble();
            sum += w[c];
            for (int j = 0; j < d; j++) {
                means[c][j] = 4 * random.nextGaussian();
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

    /** {@code ΛΛᵀ + Ψ} formed here, from the model's loadings and uniquenesses. */
    private static double[][] covarianceOf(double[][] loadings, double[] psi) {
        int d = psi.length;
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int a = 0; a < loadings[i].length; a++) {
                    s[i][j] += loadings[i][a] * loadings[j][a];
                }
            }
            s[i][i] += psi[i];
        }
        return s;
    }

    private static double[][][] covariancesOf(FactorAnalyserMixtureModel m) {
        double[][][] out = new double[m.components()][][];
        for (int c = 0; c < m.components(); c++) {
            out[c] = covarianceOf(m.loadings(c), m.uniquenesses(c));
        }
        return out;
    }

    @Test
    void woodburyLogDensityEqualsTheFullCovarianceOne() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 10; trial++) {
            int k = 1 + random.nextInt(3);
            int d = 2 + random.nextInt(9);
            int q = 1 + random.nextInt(d - 1);
            FactorAnalyserMixtureModel mfa = randomModel(random, k, d, q);
            GaussianMixtureModel full = GaussianMixtureModel.full(mfa.weights(), mfa.means(), covariancesOf(mfa));
            Dataset rows = full.sample(200, trial).data();
            double[] a = mfa.scoreSamples(rows);
            double[] b = full.scoreSamples(rows);
            double[][] pa = mfa.predictProba(rows);
            double[][] pb = full.predictProba(rows);
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).as("trial %d row %d", trial, i).isCloseTo(b[i], within(1e-9 * Math.max(1, Math.abs(b[i]))));
                for (int c = 0; c < k; c++) {
                    assertThat(pa[i][c]).isCloseTo(pb[i][c], within(1e-9));
                }
            }
            assertThat(mfa.predict(rows)).isEqualTo(full.predict(rows));
        }
    }

    @Test
    void parameterCountIsThePublishedOne() {
        // McLachlan and Peel (2000, §8.5): (g − 1) + 2gp + g{pq − q(q − 1)/2} for g components, p features, q factors.
        assertThat(FactorAnalyserMixtureModel.parameterCount(3, 10, 2)).isEqualTo(2 + 2 * 3 * 10 + 3 * (20 - 1));
        assertThat(FactorAnalyserMixtureModel.parameterCount(1, 5, 1)).isEqualTo(0 + 10 + 5);
        assertThat(FactorAnalyserMixtureModel.parameterCount(2, 40, 3)).isEqualTo(1 + 160 + 2 * (120 - 3));
        FactorAnalyserMixtureModel m = randomModel(new SplittableRandom(1), 4, 7, 3);
        assertThat(m.parameterCount()).isEqualTo(3 + 2 * 4 * 7 + 4 * (21 - 3));
        EmResult<FactorAnalyserMixtureModel> fit = FactorAnalyserMixture.like(GaussianMixture.withComponents(2)
                .seed(1).threads(1).maxIterations(5), 2).fit(m.sample(300, 2).data());
        assertThat(fit.parameterCount()).isEqualTo(1 + 2 * 2 * 7 + 2 * (14 - 1));
    }

    @Test
    void logLikelihoodNeverDecreases() {
        SplittableRandom random = new SplittableRandom(5);
        FactorAnalyserSteps steps = new FactorAnalyserSteps(0);
        for (int trial = 0; trial < 40; trial++) {
            int k = 1 + random.nextInt(3);
            int d = 2 + random.nextInt(7);
            int q = 1 + random.nextInt(d - 1);
            int n = 150 + random.nextInt(300);
            // Data from a mixture of another shape (more factors), a start unrelated to it.
            Dataset data = randomModel(random, k, d, d - 1).sample(n, trial).data();
            if (trial % 2 == 0) {
                double[] w = new double[n];
                for (int i = 0; i < n; i++) {
                    w[i] = random.nextInt(4);
                }
                w[0] = 1;
                data = data.withWeights(w);
            }
            FactorAnalyserMixtureModel m = startFrom(data, random, k, q);
            double previous = Double.NEGATIVE_INFINITY;
            for (int it = 0; it < 60; it++) {
                FactorAnalyserStatistics s = steps.emptyStatistics(m);
                double ll = steps.accumulate(m, data, 0, data.rows(), s);
                assertThat(ll).as("trial %d (K %d, D %d, Q %d) iteration %d", trial, k, d, q, it)
                        .isGreaterThanOrEqualTo(previous - 1e-10 * Math.abs(previous));
                assertThat(ll).isCloseTo(m.logLikelihood(data), within(1e-8 * Math.abs(ll)));
                previous = ll;
                // (One case, trial 24, collapses a component onto too few rows: the uniquenesses' floor holds.)
                m = steps.maximize(s, m, warning -> { });
            }
        }
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
                psi[c][j] = 1;
                for (int a = 0; a < q; a++) {
                    loadings[c][j][a] = 0.3 * random.nextGaussian();
                }
            }
        }
        return new FactorAnalyserMixtureModel(w, means, loadings, psi, null);
    }

    private static final double[][] VVV_MEANS = {{0, 0, 0, 0}, {5, 4, -3, 2}};
    private static final double[][][] VVV_COVS = {
            {{2.0, 0.6, -0.3, 0.2}, {0.6, 1.0, 0.2, 0.1}, {-0.3, 0.2, 1.5, -0.4}, {0.2, 0.1, -0.4, 0.8}},
            {{1.0, -0.5, 0.3, 0.0}, {-0.5, 1.8, 0.4, 0.3}, {0.3, 0.4, 0.7, 0.1}, {0.0, 0.3, 0.1, 1.2}}};

    @Test
    void withOneFactorFewerThanFeaturesItReachesTheFullCovarianceFit() {
        Dataset data = TestData.drawMixture(21, 1500, new double[] {0.6, 0.4}, VVV_MEANS, VVV_COVS);
        GaussianMixture config = GaussianMixture.withComponents(2).covarianceType(CovarianceType.FULL).regCovar(0)
                .options(EmOptions.defaults().withSeed(2).withThreads(1).withTolerance(1e-13).withMaxIterations(100_000)
                        .withSearch(Search.Level.QUICK));
        EmResult<GaussianMixtureModel> vvv = config.fit(data);
        EmResult<FactorAnalyserMixtureModel> mfa = FactorAnalyserMixture.like(config, 3).fit(data);
        System.out.printf("VVV logL %.10f, MFA(Q=3) logL %.10f, difference %.3g, iterations %d%n",
                vvv.logLikelihood(), mfa.logLikelihood(), mfa.logLikelihood() - vvv.logLikelihood(), mfa.iterations());
        assertThat(mfa.logLikelihood()).isCloseTo(vvv.logLikelihood(), within(1e-4));
        // The same optimum: each component's covariance is the full fit's.
        GaussianMixtureModel g = vvv.params();
        FactorAnalyserMixtureModel f = mfa.params();
        for (int c = 0; c < 2; c++) {
            int match = Math.abs(f.mean(c)[0] - g.mean(0)[0]) < Math.abs(f.mean(c)[0] - g.mean(1)[0]) ? 0 : 1;
            double[][] s = f.covariance(c);
            double[][] t = g.covariance(match);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertThat(s[i][j]).isCloseTo(t[i][j], within(1e-3));
                }
            }
        }
    }

    private static GaussianMixture quick(int k) {
        return GaussianMixture.withComponents(k).options(EmOptions.defaults().withSeed(4).withThreads(1)
                .withSearch(Search.Level.QUICK));
    }

    @Test
    void recoversAKnownMixtureAndBicPicksItsNumberOfFactors() {
        int k = 2;
        int d = 40;
        int q = 3;
        int n = 4000;
        double[] weights = {0.6, 0.4};
        SplittableRandom random = new SplittableRandom(17);
        double[][] means = new double[k][d];
        double[][][] loadings = new double[k][d][q];
        double[][] psi = new double[k][d];
        double[][][] sigma = new double[k][][];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] = c == 0 ? 0 : 2.5 * (j % 2 == 0 ? 1 : -1);
                psi[c][j] = 0.3 + 0.5 * random.nextDouble();
                for (int a = 0; a < q; a++) {
                    loadings[c][j][a] = random.nextGaussian();
                }
            }
            sigma[c] = covarianceOf(loadings[c], psi[c]);
        }
        // Drawn through the covariances' Cholesky factors, by the tests' own generator.
        Dataset data = TestData.drawMixture(23, n, weights, means, sigma);

        double[] bic = new double[6];
        FactorAnalyserMixtureModel three = null;
        for (int factors = 1; factors <= 5; factors++) {
            EmResult<FactorAnalyserMixtureModel> fit = FactorAnalyserMixture.like(quick(k), factors).fit(data);
            bic[factors] = fit.bic();
            if (factors == q) {
                three = fit.params();
            }
        }
        double full = quick(k).covarianceType(CovarianceType.FULL).fit(data).bic();
        double diag = quick(k).covarianceType(CovarianceType.DIAG).fit(data).bic();
        System.out.printf("BIC by Q: %.1f %.1f %.1f %.1f %.1f; full %.1f, diag %.1f%n", bic[1], bic[2], bic[3], bic[4],
                bic[5], full, diag);
        for (int factors = 1; factors <= 5; factors++) {
            if (factors != q) {
                assertThat(bic[q]).as("BIC of Q = 3 against Q = %d", factors).isLessThan(bic[factors]);
            }
        }
        assertThat(bic[q]).isLessThan(full).isLessThan(diag);

        double[] w = three.weights();
        for (int c = 0; c < k; c++) {
            int f = Math.abs(three.mean(0)[0] - means[c][0]) < Math.abs(three.mean(1)[0] - means[c][0]) ? 0 : 1;
            double nc = n * weights[c];
            assertThat(w[f]).as("weight %d", c).isCloseTo(weights[c], within(4 * Math.sqrt(weights[c] * (1 - weights[c]) / n)));
            double[] mean = three.mean(f);
            for (int j = 0; j < d; j++) {
                assertThat(mean[j]).as("mean %d,%d", c, j).isCloseTo(means[c][j], within(4 * Math.sqrt(sigma[c][j][j] / nc)));
            }
            // ΛΛᵀ + Ψ (the loadings are identified only up to a rotation) against the truth, in Frobenius norm: within
            // twice the sample covariance's own root-mean-square error, √((tr Σ)² + ‖Σ‖²)/√n_k.
            double[][] fitted = covarianceOf(three.loadings(f), three.uniquenesses(f));
            double error = 0;
            double trace = 0;
            double norm = 0;
            for (int i = 0; i < d; i++) {
                trace += sigma[c][i][i];
                for (int j = 0; j < d; j++) {
                    error += Math.pow(fitted[i][j] - sigma[c][i][j], 2);
                    norm += sigma[c][i][j] * sigma[c][i][j];
                }
            }
            double bound = 2 * Math.sqrt((trace * trace + norm) / nc);
            System.out.printf("component %d: |Σ̂ − Σ|_F %.3f, bound %.3f, |Σ|_F %.1f%n", c, Math.sqrt(error), bound,
                    Math.sqrt(norm));
            assertThat(Math.sqrt(error)).as("component %d covariance", c).isLessThan(bound);
        }
    }

    @Test
    void sameFitBitForBitWhateverTheThreads() {
        FactorAnalyserMixtureModel truth = randomModel(new SplittableRandom(8), 3, 6, 2);
        Dataset data = truth.sample(10_000, 3).data();
        FactorAnalyserMixtureModel first = null;
        double firstLl = 0;
        for (int threads = 1; threads <= 3; threads++) {
            EmResult<FactorAnalyserMixtureModel> fit = FactorAnalyserMixture.like(GaussianMixture.withComponents(3)
                    .options(EmOptions.defaults().withSeed(9).withThreads(threads).withSearch(Search.Level.QUICK)), 2)
                    .fit(data);
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
    void acceleratedAndPlainEmReachTheSameOptimum() {
        FactorAnalyserMixtureModel truth = randomModel(new SplittableRandom(12), 2, 12, 2);
        Dataset data = truth.sample(3000, 5).data();
        FactorAnalyserMixtureModel start = FactorStarts.fromGaussian(GaussianMixture.withComponents(2)
                .covarianceType(CovarianceType.DIAG).seed(1).threads(1).maxIterations(3).fit(data).params(), 2);
        List<EmResult<FactorAnalyserMixtureModel>> fits = new ArrayList<>();
        for (Acceleration kind : List.of(Acceleration.NONE, Acceleration.SQUAREM)) {
            fits.add(FactorAnalyserMixture.like(GaussianMixture.withComponents(2).options(EmOptions.defaults()
                    .withThreads(1).withTolerance(1e-11).withMaxIterations(50_000).withAcceleration(kind)), 2)
                    .initialModel(start).fit(data));
        }
        System.out.printf("plain EM: %d iterations, logL %.8f; SQUAREM: %d iterations, logL %.8f%n",
                fits.get(0).iterations(), fits.get(0).logLikelihood(), fits.get(1).iterations(), fits.get(1).logLikelihood());
        assertThat(fits.get(1).logLikelihood()).isCloseTo(fits.get(0).logLikelihood(), within(1e-4));
        assertThat(fits.get(1).converged()).isTrue();
    }

    @Test
    void aStartWithOneFactorFewerThanFeaturesIsTheGaussianStart() {
        double[][][] covs = {VVV_COVS[0], VVV_COVS[1], {{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 4}}};
        GaussianMixtureModel g = GaussianMixtureModel.full(new double[] {0.3, 0.3, 0.4},
                new double[][] {VVV_MEANS[0], VVV_MEANS[1], {1, 1, 1, 1}}, covs);
        FactorAnalyserMixtureModel start = FactorStarts.fromGaussian(g, 3);
        for (int c = 0; c < 3; c++) {
            double[][] s = covarianceOf(start.loadings(c), start.uniquenesses(c));
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertThat(s[i][j]).as("component %d (%d, %d)", c, i, j).isCloseTo(covs[c][i][j], within(1e-12));
                }
            }
        }
        // With fewer factors, the loadings span the top eigenvectors: one factor of diag(1, 2, 3, 4) loads on the
        // fourth feature only, by √(4 − mean(1, 2, 3)) = √2, the others keep their variances as uniquenesses.
        FactorAnalyserMixtureModel one = FactorStarts.fromGaussian(g, 1);
        double[][] l = one.loadings(2);
        assertThat(Math.abs(l[3][0])).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(one.uniquenesses(2)).containsExactly(new double[] {1, 2, 3, 2}, within(1e-12));
    }

    @Test
    void refusesFactorsThatTheDataCannotHold() {
        Dataset data = TestData.iris();
        assertThatThrownBy(() -> FactorAnalyserMixture.like(GaussianMixture.withComponents(2), 0))
                .isInstanceOf(EmkitException.class).hasMessageContaining("at least 1 factor");
        assertThatThrownBy(() -> FactorAnalyserMixture.like(GaussianMixture.withComponents(2), 4).fit(data))
                .isInstanceOf(EmkitException.class).hasMessageContaining("4 factors need more than 4 columns");
        // A missing cell is no longer refused: the row is scored on its observed values (FactorMissingValuesTest),
        // and a row that observes nothing has density 1.
        double[] row = data.row(0);
        row[2] = Double.NaN;
        FactorAnalyserMixtureModel m = randomModel(new SplittableRandom(3), 2, 4, 2);
        assertThat(m.scoreSamples(Dataset.of(new double[][] {row}))[0]).isFinite();
        double[] nothing = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        assertThat(m.scoreSamples(Dataset.of(new double[][] {nothing}))[0]).isCloseTo(0.0, within(1e-15));
    }
}
