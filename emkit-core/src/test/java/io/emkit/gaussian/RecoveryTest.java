package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data drawn (by the test's own generator) from well-separated mixtures whose covariances have the
 * structure being fitted: the fit recovers weights, means and covariances within sampling error. The
 * standard errors are the usual large-sample ones, computed from the true parameters and the expected
 * component sizes; components are matched to the truth by nearest mean. All 14 structures are covered:
 * the ten without a scikit-learn name get covariances {@code λk Dk Ak Dkᵀ} whose volumes, shapes and
 * orientations are drawn once where the name says equal and per component where it says variable
 * ({@link GaussianReference#randomConstrained}), and their covariance entries are held to the unconstrained
 * estimate's standard error, which bounds the constrained one's.
 */
class RecoveryTest {
    private static final int N = 5000;
    private static final double Z = 4.5;

    record Truth(double[] weights, double[][] means, double[][][] covs) {
    }

    static Truth truth(CovarianceType type, int d) {
        double[] w = {0.5, 0.3, 0.2};
        double[][] mu = new double[3][d];
        for (int j = 0; j < d; j++) {
            mu[1][j] = j % 2 == 0 ? 8 : 0;
            mu[2][j] = j % 2 == 1 || d == 1 ? -8 : 4;
        }
        SplittableRandom r = new SplittableRandom(100 + d);
        double[][][] cov = new double[3][][];
        switch (type) {
            case FULL -> {
                for (int c = 0; c < 3; c++) {
                    cov[c] = GaussianReference.randomSpd(r, d, 0.2);
                }
            }
            case DIAG -> {
                for (int c = 0; c < 3; c++) {
                    double[] v = new double[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = r.nextDouble(0.2, 2.0);
                    }
                    cov[c] = GaussianReference.diagonal(v);
                }
            }
            case SPHERICAL -> {
                double[] v = {1.0, 0.4, 2.0};
                for (int c = 0; c < 3; c++) {
                    cov[c] = GaussianReference.scaledIdentity(d, v[c]);
                }
            }
            case TIED -> {
                double[][] shared = GaussianReference.randomSpd(r, d, 0.2);
                for (int c = 0; c < 3; c++) {
                    cov[c] = shared;
                }
            }
            default -> cov = GaussianReference.randomConstrained(r, type, 3, d);
        }
        return new Truth(w, mu, cov);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int d : new int[] {2, 5}) {
            for (CovarianceType t : CovarianceType.all()) {
                out.add(Arguments.of(t, d));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, d={1}")
    @MethodSource("cases")
    void recoversGeneratingParametersWithinSamplingError(CovarianceType type, int d) {
        Truth t = truth(type, d);
        Dataset data = TestData.drawMixture(1000 + d * 10 + type.ordinal(), N, t.weights(), t.means(), t.covs());
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type)
                .tolerance(1e-8).maxIterations(500).initializations(2).seed(7).threads(2).fit(data);
        GaussianMixtureModel m = fit.params();
        assertThat(m.covarianceType()).isEqualTo(type);
        int[] match = GaussianReference.matchByNearestMean(m.means(), t.means());
        for (int c = 0; c < 3; c++) {
            int f = match[c];
            double w = t.weights()[c];
            double nc = w * N;
            double[][] s = t.covs()[c];
            assertThat(m.weights()[f]).as("weight of component %d", c)
                    .isCloseTo(w, org.assertj.core.api.Assertions.within(Z * Math.sqrt(w * (1 - w) / N)));
            double[] mean = m.mean(f);
            for (int j = 0; j < d; j++) {
                double se = Math.sqrt(s[j][j] / nc);
                assertThat(Math.abs(mean[j] - t.means()[c][j])).as("mean %d[%d]: %s vs %s (se %s)", c, j, mean[j],
                        t.means()[c][j], se).isLessThanOrEqualTo(Z * se);
            }
            double[][] est = m.covariance(f);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double se = switch (type) {
                        case TIED -> Math.sqrt((s[a][a] * s[b][b] + s[a][b] * s[a][b]) / N);
                        case DIAG -> s[a][a] * Math.sqrt(2.0 / nc);
                        case SPHERICAL -> s[a][a] * Math.sqrt(2.0 / (nc * d));
                        // The unconstrained estimate's standard error: a true constraint only makes the
                        // constrained estimate more precise, so this bound is conservative for the other ten.
                        default -> Math.sqrt((s[a][a] * s[b][b] + s[a][b] * s[a][b]) / nc);
                    };
                    if (a != b && type.diagonal()) {
                        assertThat(est[a][b]).as("off-diagonal of a %s covariance", type).isZero();
                        continue;
                    }
                    assertThat(Math.abs(est[a][b] - s[a][b])).as("covariance %d[%d][%d]: %s vs %s (se %s)", c, a, b,
                            est[a][b], s[a][b], se).isLessThanOrEqualTo(Z * se);
                    assertThat(est[a][b]).as("symmetric").isEqualTo(est[b][a]);
                }
            }
        }
    }
}
