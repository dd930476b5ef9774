package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.emkit.gaussian.GaussianReference.close;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One E-step plus M-step against the textbook weighted estimates computed here: responsibilities
 * w·N/Σ, then N_c, weighted means and two-pass weighted covariances (pooled for tied, diagonal for diag,
 * the mean of the diagonal for spherical), plus {@code regCovar} on the diagonal.
 */
class MStepReferenceTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType t : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                CovarianceType.SPHERICAL, CovarianceType.TIED}) {
            for (double reg : new double[] {0.0, 0.01}) {
                for (int d : new int[] {1, 3}) {
                    out.add(Arguments.of(t, reg, d));
                }
            }
        }
        return out.stream();
    }

    private static double[][] trueMeans(int d) {
        double[][] mu = new double[3][d];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < d; j++) {
                mu[c][j] = 3 * c + (j % 2 == 0 ? 0 : -c) + 100;
            }
        }
        return mu;
    }

    private static Dataset data(int d) {
        double[][][] cov = new double[3][][];
        SplittableRandom r = new SplittableRandom(d);
        for (int c = 0; c < 3; c++) {
            cov[c] = GaussianReference.randomSpd(r, d, 0.3);
        }
        return TestData.drawMixture(17 + d, 900, new double[] {0.3, 0.3, 0.4}, trueMeans(d), cov);
    }

    @ParameterizedTest(name = "{0}, regCovar {1}, d={2}")
    @MethodSource("cases")
    void maximizeEqualsDirectWeightedEstimates(CovarianceType type, double reg, int d) {
        Dataset data = data(d);
        int n = data.rows();
        int k = 3;
        // Deliberately off parameters, so the responsibilities are genuinely soft.
        // (near the truth, so that every component keeps a fair share of the rows).
        GaussianReference.Params p = GaussianReference.randomParams(new SplittableRandom(40 + d), type, k, d, 0.7);
        double[][] shiftedMeans = new double[k][];
        for (int c = 0; c < k; c++) {
            shiftedMeans[c] = p.means()[c].clone();
            for (int j = 0; j < d; j++) {
                shiftedMeans[c][j] += trueMeans(d)[c][j];
            }
        }
        GaussianMixtureModel model = switch (type) {
            case FULL -> GaussianMixtureModel.full(p.weights(), shiftedMeans, p.covariances());
            case TIED -> GaussianMixtureModel.tied(p.weights(), shiftedMeans, p.covariances()[0]);
            case DIAG -> {
                double[][] v = new double[k][d];
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < d; j++) {
                        v[c][j] = p.covariances()[c][j][j];
                    }
                }
                yield GaussianMixtureModel.diag(p.weights(), shiftedMeans, v);
            }
            case SPHERICAL -> {
                double[] v = new double[k];
                for (int c = 0; c < k; c++) {
                    v[c] = p.covariances()[c][0][0];
                }
                yield GaussianMixtureModel.spherical(p.weights(), shiftedMeans, v);
            }
            default -> throw new AssertionError(type);
        };

        // Reference responsibilities, and the model's own must agree with them.
        double[][] x = data.toArray();
        double[][] resp = new double[n][];
        double[][] proba = model.predictProba(data);
        double refLl = 0;
        for (int i = 0; i < n; i++) {
            resp[i] = GaussianReference.responsibilities(x[i], p.weights(), shiftedMeans, p.covariances());
            refLl += GaussianReference.logMixture(x[i], p.weights(), shiftedMeans, p.covariances());
            for (int c = 0; c < k; c++) {
                assertThat(Math.abs(proba[i][c] - resp[i][c])).isLessThan(1e-10);
            }
        }
        double[] nk = new double[k];
        double[][] mean = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                nk[c] += resp[i][c];
                for (int j = 0; j < d; j++) {
                    mean[c][j] += resp[i][c] * x[i][j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[c][j] /= nk[c];
            }
        }
        double[][][] cov = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        cov[c][a][b] += resp[i][c] * (x[i][a] - mean[c][a]) * (x[i][b] - mean[c][b]);
                    }
                }
            }
        }
        double[][][] expected = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    expected[c][a][b] = switch (type) {
                        case FULL -> cov[c][a][b] / nk[c];
                        case DIAG -> a == b ? cov[c][a][a] / nk[c] : 0.0;
                        case SPHERICAL -> {
                            double tr = 0;
                            for (int j = 0; j < d; j++) {
                                tr += cov[c][j][j];
                            }
                            yield a == b ? tr / (nk[c] * d) : 0.0;
                        }
                        case TIED -> {
                            double s = 0;
                            for (int cc = 0; cc < k; cc++) {
                                s += cov[cc][a][b];
                            }
                            yield s / n;
                        }
                        default -> throw new AssertionError(type);
                    };
                    if (a == b) {
                        expected[c][a][b] += reg;
                    }
                }
            }
        }

        GaussianMixtureSteps steps = new GaussianMixtureSteps(type, reg);
        GaussianStatistics stats = steps.emptyStatistics(model);
        double ll = steps.accumulate(model, data, 0, n, stats);
        assertThat(close(ll, refLl, 1e-10, 1)).as("E-step log-likelihood %s vs %s", ll, refLl).isTrue();
        List<String> warnings = new ArrayList<>();
        GaussianMixtureModel next = steps.maximize(stats, model, warnings::add);
        assertThat(warnings).as("no warnings for healthy data").isEmpty();
        assertThat(next.covarianceType()).isEqualTo(type);
        for (int c = 0; c < k; c++) {
            assertThat(close(next.weights()[c], nk[c] / n, 1e-10, 0))
                    .as("weight %d: %s vs %s", c, next.weights()[c], nk[c] / n).isTrue();
            for (int j = 0; j < d; j++) {
                assertThat(close(next.mean(c)[j], mean[c][j], 1e-10, 1))
                        .as("mean %d[%d]: %s vs %s", c, j, next.mean(c)[j], mean[c][j]).isTrue();
            }
            double[][] got = next.covariance(c);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double scale = Math.sqrt(expected[c][a][a] * expected[c][b][b]);
                    assertThat(close(got[a][b], expected[c][a][b], 1e-10, scale))
                            .as("covariance %d[%d][%d]: %s vs %s", c, a, b, got[a][b], expected[c][a][b]).isTrue();
                }
            }
        }
    }
}
