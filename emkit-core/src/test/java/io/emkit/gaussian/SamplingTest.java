package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.MixtureModel;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Draws from a known model have the model's proportions, means and covariances within sampling error,
 * per component (by the returned labels) and overall; the same seed gives the same draw.
 */
class SamplingTest {
    private static final double Z = 4.5;

    private static final double[] W = {0.5, 0.3, 0.2};
    private static final double[][] MU = {{0, 0}, {3, -1}, {-2, 4}};
    private static final double[][][] COV = {
            {{1.0, 0.6}, {0.6, 2.0}},
            {{0.5, -0.3}, {-0.3, 0.4}},
            {{2.0, 0.0}, {0.0, 0.25}}};

    @Test
    void sampleOfFullModelHasModelsProportionsMeansAndCovariances() {
        GaussianMixtureModel model = GaussianMixtureModel.full(W, MU, COV);
        int n = 200_000;
        MixtureModel.Sample s = model.sample(n, 123);
        checkMoments(s, n, W, MU, COV);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void sampleOfEveryStructureHasItsMoments(CovarianceType type) {
        GaussianReference.Params p = GaussianReference.randomParams(new SplittableRandom(9), type, 3, 3, 3.0);
        int n = 60_000;
        MixtureModel.Sample s = p.model().sample(n, 5);
        checkMoments(s, n, p.weights(), p.means(), p.covariances());
    }

    private static void checkMoments(MixtureModel.Sample s, int n, double[] w, double[][] mu, double[][][] cov) {
        int k = w.length;
        int d = mu[0].length;
        Dataset data = s.data();
        assertThat(data.rows()).isEqualTo(n);
        assertThat(data.columns()).isEqualTo(d);
        int[] labels = s.components();
        assertThat(labels).hasSize(n);
        double[][] x = data.toArray();
        for (int c = 0; c < k; c++) {
            int count = 0;
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                if (labels[i] == c) {
                    count++;
                    for (int j = 0; j < d; j++) {
                        mean[j] += x[i][j];
                    }
                }
            }
            double se = Math.sqrt(w[c] * (1 - w[c]) / n);
            assertThat((double) count / n).as("proportion of component %d", c)
                    .isCloseTo(w[c], org.assertj.core.api.Assertions.within(Z * se));
            for (int j = 0; j < d; j++) {
                mean[j] /= count;
                assertThat(Math.abs(mean[j] - mu[c][j])).as("mean %d[%d] = %s", c, j, mean[j])
                        .isLessThanOrEqualTo(Z * Math.sqrt(cov[c][j][j] / count));
            }
            double[][] cv = new double[d][d];
            for (int i = 0; i < n; i++) {
                if (labels[i] == c) {
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            cv[a][b] += (x[i][a] - mean[a]) * (x[i][b] - mean[b]);
                        }
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cv[a][b] /= count - 1;
                    double seC = Math.sqrt((cov[c][a][a] * cov[c][b][b] + cov[c][a][b] * cov[c][a][b]) / count);
                    assertThat(Math.abs(cv[a][b] - cov[c][a][b])).as("covariance %d[%d][%d] = %s vs %s", c, a, b,
                            cv[a][b], cov[c][a][b]).isLessThanOrEqualTo(Z * seC);
                }
            }
        }
        // Overall mean of the mixture: Σ w μ, whatever the labels say.
        for (int j = 0; j < d; j++) {
            double m = 0;
            double second = 0;
            for (int c = 0; c < k; c++) {
                m += w[c] * mu[c][j];
                second += w[c] * (cov[c][j][j] + mu[c][j] * mu[c][j]);
            }
            double var = second - m * m;
            double got = 0;
            for (double[] row : x) {
                got += row[j];
            }
            got /= n;
            assertThat(Math.abs(got - m)).as("overall mean of column %d", j)
                    .isLessThanOrEqualTo(Z * Math.sqrt(var / n));
        }
    }

    @Test
    void sameSeedSameSampleDifferentSeedDifferentSample() {
        GaussianMixtureModel model = GaussianMixtureModel.full(W, MU, COV);
        MixtureModel.Sample a = model.sample(1000, 77);
        MixtureModel.Sample b = model.sample(1000, 77);
        MixtureModel.Sample c = model.sample(1000, 78);
        assertThat(Arrays.equals(a.data().rawValues(), b.data().rawValues())).isTrue();
        assertThat(a.components()).isEqualTo(b.components());
        assertThat(Arrays.equals(a.data().rawValues(), c.data().rawValues())).isFalse();
    }

    @Test
    void zeroWeightComponentIsNeverDrawn() {
        GaussianMixtureModel model = GaussianMixtureModel.spherical(new double[] {0.0, 1.0, 0.0},
                new double[][] {{0}, {1}, {2}}, new double[] {1, 1, 1});
        int[] labels = model.sample(10_000, 1).components();
        assertThat(labels).containsOnly(1);
    }

    @Test
    void emptyAndNegativeSampleSizes() {
        GaussianMixtureModel model = GaussianMixtureModel.full(W, MU, COV);
        assertThat(model.sample(0, 1).data().rows()).isZero();
        assertThatThrownBy(() -> model.sample(-1, 1)).isInstanceOf(EmkitException.class).hasMessageContaining("-1");
    }
}
