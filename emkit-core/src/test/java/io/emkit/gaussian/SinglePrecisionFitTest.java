package io.emkit.gaussian;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.BlockKernels;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Precision#SINGLE} against double: the same fit (same seed, same start) reaches a log-likelihood within 1e-6
 * relative of double's on small mixtures of 5 and 8 columns (portable kernels: small fits) and a 16-dimensional
 * mixture large enough for the SIMD kernels; the same bits on 1 and 2 threads; data of fewer than five columns, and
 * data float cannot hold, fitted in double with a warning.
 */
class SinglePrecisionFitTest {

    /** 4000 rows of a 16-dimensional mixture of 16 well-separated correlated components: 64,000 (row, component) pairs. */
    private static Dataset sixteenDimensions() {
        SplittableRandom rnd = new SplittableRandom(7);
        return mixture(11, 4000, 16, 16, (c, j) -> 100 + 6 * rnd.nextGaussian(), 3, 0.3);
    }

    /** {@code n} rows of a {@code d}-column mixture of {@code k} correlated components, means 4 apart per column. */
    private static Dataset smallMixture(long seed, int n, int d, int k) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return mixture(seed, n, d, k, (c, j) -> 20 + 4 * c * ((j + c) % 2 == 0 ? 1 : -1) + rnd.nextGaussian(), 2,
                0.4);
    }

    /**
     * {@code n} rows (drawn with {@code seed}) of {@code k} equally weighted components in {@code d} columns: component
     * c's mean in column j is {@code mean(c, j)} (asked component by component, column by column), its covariance
     * banded with variance {@code 1 + c % varianceCycle} and neighbour correlation {@code rho}.
     */
    private static Dataset mixture(long seed, int n, int d, int k, MeanOf mean, int varianceCycle, double rho) {
        double[] weights = new double[k];
        double[][] means = new double[k][d];
        double[][][] covs = new double[k][][];
        for (int c = 0; c < k; c++) {
            weights[c] = 1.0 / k;
            for (int j = 0; j < d; j++) {
                means[c][j] = mean.at(c, j);
            }
            covs[c] = banded(d, 1 + c % varianceCycle, rho);
        }
        return TestData.drawMixture(seed, n, weights, means, covs);
    }

    /** A component's mean in a column. */
    private interface MeanOf {
        double at(int component, int column);
    }

    /** A {@code d × d} covariance: {@code variance} on the diagonal, {@code rho·0.5^|j − l|} off it. */
    private static double[][] banded(int d, double variance, double rho) {
        double[][] cov = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int l = 0; l < d; l++) {
                cov[j][l] = j == l ? variance : rho * Math.pow(0.5, Math.abs(j - l));
            }
        }
        return cov;
    }

    private static GaussianMixture config(int k, Precision precision) {
        return GaussianMixture.withComponents(k).seed(5).initializations(1).tolerance(1e-10).maxIterations(300)
                .precision(precision);
    }

    private static void assertCloseToDouble(Dataset data, int k) {
        EmResult<GaussianMixtureModel> dbl = config(k, Precision.DOUBLE).fit(data);
        EmResult<GaussianMixtureModel> single = config(k, Precision.SINGLE).fit(data);
        assertThat(single.warnings()).noneMatch(w -> w.startsWith("single precision"));
        double relative = Math.abs(single.logLikelihood() - dbl.logLikelihood()) / Math.abs(dbl.logLikelihood());

        assertThat(relative).as("relative log-likelihood difference").isLessThan(1e-6);
        // The float path did run: the log-likelihoods are not the same bits.
        assertThat(single.logLikelihood()).isNotEqualTo(dbl.logLikelihood());
    }

    @Test
    void smallFitsOfFiveAndEightColumnsReachDoublesLogLikelihood() {
        assertCloseToDouble(smallMixture(1, 400, 5, 3), 3);
        assertCloseToDouble(smallMixture(2, 300, 8, 2), 2);
    }

    /** Old Faithful (2 columns) and iris (4): float would be slower there; the fit is double's, bit for bit. */
    @Test
    void fewerThanFiveColumnsRunInDoubleWithAWarning() {
        for (Dataset data : new Dataset[] {TestData.faithful(), TestData.iris()}) {
            EmResult<GaussianMixtureModel> single = config(3, Precision.SINGLE).fit(data);
            EmResult<GaussianMixtureModel> dbl = config(3, Precision.DOUBLE).fit(data);
            assertThat(single.warnings().get(0)).startsWith("single precision: at " + data.columns() + " columns")
                    .endsWith("the fit ran in double precision");
            assertThat(single.logLikelihood()).isEqualTo(dbl.logLikelihood());
        }
        // Five columns run in float: the log-likelihood is not double's bits.
        Dataset five = smallMixture(1, 400, 5, 3);
        assertThat(config(3, Precision.SINGLE).fit(five).logLikelihood())
                .isNotEqualTo(config(3, Precision.DOUBLE).fit(five).logLikelihood());
    }

    /** Rows with a missing value make their block's float distances NaN: the block is computed in double. */
    @Test
    void rowsWithMissingValuesReachDoublesLogLikelihood() {
        Dataset full = smallMixture(3, 400, 5, 3);
        double[][] rows = new double[full.rows()][5];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 5; j++) {
                rows[i][j] = i % 7 == 3 && j == i % 5 ? Double.NaN : full.get(i, j);
            }
        }
        assertCloseToDouble(Dataset.of(rows), 3);
    }

    @Test
    void aSixteenDimensionalMixtureOnTheSimdKernelsReachesDoublesLogLikelihood() {
        Dataset data = sixteenDimensions();
        assertThat(BlockKernels.forSize(data.rows(), 16)).isNotSameAs(BlockKernels.PORTABLE);
        assertCloseToDouble(data, 16);
    }

    /** Float distances and float second moments alike depend on the block only: 1, 2 and 3 threads, the same bits. */
    @Test
    void oneTwoAndThreeThreadsGiveTheSameBits() {
        Dataset data = sixteenDimensions();
        GaussianMixture c = config(16, Precision.SINGLE).maxIterations(5).initializations(1);
        EmResult<GaussianMixtureModel> one = c.threads(1).fit(data);
        for (int threads : new int[] {2, 3}) {
            EmResult<GaussianMixtureModel> more = c.threads(threads).fit(data);
            assertThat(Double.doubleToRawLongBits(more.logLikelihood()))
                    .isEqualTo(Double.doubleToRawLongBits(one.logLikelihood()));
            for (int m = 0; m < 16; m++) {
                assertThat(more.params().mean(m)).containsExactly(one.params().mean(m));
                double[][] a = more.params().covariance(m);
                double[][] b = one.params().covariance(m);
                for (int j = 0; j < a.length; j++) {
                    assertThat(a[j]).containsExactly(b[j]);
                }
            }
        }
    }

    @Test
    void valuesBeyondFloatsRangeAreFittedInDoubleWithAWarning() {
        Dataset five = smallMixture(4, 300, 5, 2);
        double[][] rows = new double[five.rows()][5];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 5; j++) {
                rows[i][j] = five.get(i, j) * (j == 0 ? 1e39 : 1);
            }
        }
        Dataset huge = Dataset.of(rows);
        EmResult<GaussianMixtureModel> single = config(2, Precision.SINGLE).regCovar(0).fit(huge);
        EmResult<GaussianMixtureModel> dbl = config(2, Precision.DOUBLE).regCovar(0).fit(huge);
        assertThat(single.warnings().get(0)).startsWith("single precision: column 1").contains("beyond float's range")
                .endsWith("the fit ran in double precision");
        assertThat(single.logLikelihood()).isEqualTo(dbl.logLikelihood());
    }

    @Test
    void aStructureWithoutTriangularDistancesRunsInDoubleWithAWarning() {
        EmResult<GaussianMixtureModel> single = config(3, Precision.SINGLE).covarianceType(CovarianceType.DIAG)
                .fit(TestData.iris());
        assertThat(single.warnings().get(0)).startsWith("single precision: the diag structure");
    }
}
