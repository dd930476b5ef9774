package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twenty EM iterations of the fast kernels against a straightforward textbook EM written here (explicit
 * inverses and determinants, responsibilities row by row, two-pass weighted estimates), from the same
 * start: the log-likelihoods agree to 1e-10 relative.
 */
class ReferenceEmTest {
    private static final double REG = 1e-6;

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL", "TIED"})
    void twentyIterationsMatchTheTextbookAlgorithm(CovarianceType type) {
        Dataset data = TestData.drawMixture(21, 3000, new double[] {0.5, 0.3, 0.2},
                new double[][] {{0, 0, 0, 0, 0}, {2, 1, 0, -1, 3}, {-2, 2, 1, 1, -1}},
                new double[][][] {
                    GaussianReference.scaledIdentity(5, 1.0),
                    GaussianReference.scaledIdentity(5, 0.7),
                    GaussianReference.scaledIdentity(5, 1.5)});
        GaussianMixtureModel start = plainEm(3).covarianceType(type).maxIterations(0)
                .seed(4).fit(data).params();
        EmResult<GaussianMixtureModel> fast = plainEm(3).covarianceType(type)
                .initialModel(start).tolerance(0).maxIterations(20).regCovar(REG).fit(data);

        double[] w = start.weights();
        double[][] mu = start.means();
        double[][][] cov = start.covariances();
        for (int iter = 0; iter < 20; iter++) {
            int n = data.rows();
            int k = w.length;
            int d = data.columns();
            double[][] r = new double[n][];
            for (int i = 0; i < n; i++) {
                r[i] = GaussianReference.responsibilities(data.row(i), w, mu, cov);
            }
            double[] nk = new double[k];
            double[][] newMu = new double[k][d];
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < n; i++) {
                    nk[c] += r[i][c];
                    for (int j = 0; j < d; j++) {
                        newMu[c][j] += r[i][c] * data.get(i, j);
                    }
                }
                for (int j = 0; j < d; j++) {
                    newMu[c][j] /= nk[c];
                }
            }
            double[][][] s = new double[k][d][d];
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < n; i++) {
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            s[c][a][b] += r[i][c] * (data.get(i, a) - newMu[c][a]) * (data.get(i, b) - newMu[c][b]);
                        }
                    }
                }
            }
            double[][][] newCov = new double[k][d][d];
            for (int c = 0; c < k; c++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        newCov[c][a][b] = switch (type) {
                            case FULL -> s[c][a][b] / nk[c];
                            case DIAG -> a == b ? s[c][a][a] / nk[c] : 0.0;
                            case SPHERICAL -> {
                                double t = 0;
                                for (int j = 0; j < d; j++) {
                                    t += s[c][j][j] / nk[c];
                                }
                                yield a == b ? t / d : 0.0;
                            }
                            case TIED -> {
                                double t = 0;
                                for (int q = 0; q < k; q++) {
                                    t += s[q][a][b];
                                }
                                yield t / n;
                            }
                            default -> throw new AssertionError(type);
                        };
                    }
                    newCov[c][a][a] += REG;
                }
                w[c] = nk[c] / n;
            }
            mu = newMu;
            cov = newCov;
        }
        double reference = GaussianReference.logLikelihood(data, w, mu, cov);
        assertThat(Math.abs(fast.logLikelihood() - reference) / Math.abs(reference)).isLessThan(1e-10);
        assertThat(fast.iterations()).isEqualTo(20);
    }

    /** The engine's former defaults, which this test pins: plain EM, tolerance 1e-3 per row. */
    private static io.emkit.gaussian.GaussianMixture plainEm(int components) {
        return io.emkit.gaussian.GaussianMixture.withComponents(components).options(io.emkit.em.EmOptions.defaults()
                .withTolerance(1e-3).withAcceleration(io.emkit.em.Acceleration.NONE));
    }
}
