package io.emkit.factor;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starts of factor analysers on wide data ({@link WideStarts}): their probabilistic PCA, found by subspace
 * iteration over the rows, against the exact one of the same partition (the covariance formed here and
 * decomposed by {@link FactorStarts}), a known mixture recovered from them, and the same bits for any number of
 * threads.
 */
class WideStartsTest {
    private static final int D = 120;

    /** Three components of 2 strong factors each in {@value #D} columns, well apart. */
    private static FactorAnalyserMixtureModel truth() {
        SplittableRandom random = new SplittableRandom(11);
        int k = 3;
        int q = 2;
        double[] w = {0.3, 0.3, 0.4};
        double[][] means = new double[k][D];
        double[][][] loadings = new double[k][D][q];
        double[][] psi = new double[k][D];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < D; j++) {
                means[c][j] = 3 * random.nextGaussian();
                psi[c][j] = 0.3 + 0.4 * random.nextDouble();
                for (int a = 0; a < q; a++) {
                    loadings[c][j][a] = 1.5 * random.nextGaussian();
                }
            }
        }
        return new FactorAnalyserMixtureModel(w, means, loadings, psi, null);
    }

    private static WideStarts starts(Dataset data, int k, int q, int threads) {
        return new WideStarts(data, k, q, 1e-6, threads, 1024, 1.0);
    }

    @Test
    void subspaceIterationGivesTheExactPpcaOfAPartition() {
        FactorAnalyserMixtureModel truth = truth();
        io.emkit.mixture.MixtureModel.Sample sample = truth.sample(3000, 5);
        Dataset data = sample.data();
        int n = data.rows();
        int k = 3;
        int q = 2;
        double[] resp = new double[n * k];
        for (int i = 0; i < n; i++) {
            resp[i * k + sample.components()[i]] = 1.0;
        }
        FactorAnalyserMixtureModel wide = starts(data, k, q, 2).fromResponsibilities(resp, k, new SplittableRandom(3));

        // The exact PPCA: each part's covariance (divided by its count, plus the same 1e-6) formed here, decomposed.
        double[] x = data.rawValues();
        double[] weights = new double[k];
        double[][] means = new double[k][D];
        double[][][] covariances = new double[k][D][D];
        for (int i = 0; i < n; i++) {
            int c = sample.components()[i];
            weights[c] += 1.0 / n;
            for (int j = 0; j < D; j++) {
                means[c][j] += x[i * D + j];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < D; j++) {
                means[c][j] /= weights[c] * n;
            }
        }
        for (int i = 0; i < n; i++) {
            int c = sample.components()[i];
            for (int a = 0; a < D; a++) {
                for (int b = 0; b < D; b++) {
                    covariances[c][a][b] += (x[i * D + a] - means[c][a]) * (x[i * D + b] - means[c][b]);
                }
            }
        }
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < D; a++) {
                for (int b = 0; b < D; b++) {
                    covariances[c][a][b] /= weights[c] * n;
                }
                covariances[c][a][a] += 1e-6;
            }
        }
        FactorAnalyserMixtureModel exact = FactorStarts.fromGaussian(
                GaussianMixtureModel.of(CovarianceType.FULL, weights, means, covariances), q);

        for (int c = 0; c < k; c++) {
            assertThat(wide.weights()[c]).isCloseTo(exact.weights()[c], org.assertj.core.api.Assertions.within(1e-12));
            double[][] lw = wide.loadings(c);
            double[][] le = exact.loadings(c);
            double scale = 0;
            double worst = 0;
            // ΛΛᵀ does not depend on the loadings' signs or rotation within equal eigenvalues.
            for (int a = 0; a < D; a++) {
                assertThat(wide.mean(c)[a]).isCloseTo(exact.mean(c)[a], org.assertj.core.api.Assertions.within(1e-9));
                for (int b = 0; b < D; b++) {
                    double sw = 0;
                    double se = 0;
                    for (int f = 0; f < q; f++) {
                        sw += lw[a][f] * lw[b][f];
                        se += le[a][f] * le[b][f];
                    }
                    worst = Math.max(worst, Math.abs(sw - se));
                    scale = Math.max(scale, Math.abs(se));
                }
            }
            assertThat(worst / scale).as("component %d: largest difference in ΛΛᵀ, relative", c).isLessThan(1e-6);
            double[] pw = wide.uniquenesses(c);
            double[] pe = exact.uniquenesses(c);
            for (int a = 0; a < D; a++) {
                assertThat(pw[a]).isCloseTo(pe[a], org.assertj.core.api.Assertions.within(1e-6 * scale));
            }
        }
    }

    @Test
    void aWideFitRecoversAKnownMixtureTheSameForAnyThreads() {
        FactorAnalyserMixtureModel truth = truth();
        Dataset data = truth.sample(2400, 7).data();
        EmResult<FactorAnalyserMixtureModel> one = fit(data, 1);
        EmResult<FactorAnalyserMixtureModel> three = fit(data, 3);
        assertThat(three.logLikelihood()).isEqualTo(one.logLikelihood());
        for (int c = 0; c < 3; c++) {
            assertThat(three.params().mean(c)).isEqualTo(one.params().mean(c));
        }
        // Every true mean is found: some fitted component within 0.5 in every coordinate on average.
        FactorAnalyserMixtureModel fitted = one.params();
        for (int c = 0; c < 3; c++) {
            double best = Double.POSITIVE_INFINITY;
            for (int f = 0; f < 3; f++) {
                double distance = 0;
                for (int j = 0; j < D; j++) {
                    distance += Math.abs(fitted.mean(f)[j] - truth.mean(c)[j]);
                }
                best = Math.min(best, distance / D);
            }
            assertThat(best).as("true component %d", c).isLessThan(0.2);
        }
        // At least the truth's log-likelihood on these rows (the fit's optimum is the data's, not the truth's).
        assertThat(one.logLikelihood()).isGreaterThanOrEqualTo(truth.logLikelihood(data));
    }

    private static EmResult<FactorAnalyserMixtureModel> fit(Dataset data, int threads) {
        GaussianMixture config = GaussianMixture.withComponents(3).options(EmOptions.defaults().withSeed(2)
                .withThreads(threads).withSearch(Search.Level.QUICK));
        return FactorAnalyserMixture.like(config, 2).fit(data);
    }
}
