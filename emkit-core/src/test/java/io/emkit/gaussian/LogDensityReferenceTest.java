package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
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
 * The model's densities, responsibilities and hard labels against a direct computation written here
 * (Gauss–Jordan inverse, Cholesky determinant, log-sum-exp), for every covariance structure in 1, 2 and 5
 * dimensions, at points near the components and far out in the tails.
 */
class LogDensityReferenceTest {
    private static final int K = 3;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType t : CovarianceType.values()) {
            for (int d : new int[] {1, 2, 5}) {
                for (long seed : new long[] {1, 2, 3}) {
                    out.add(Arguments.of(t, d, seed));
                }
            }
        }
        return out.stream();
    }

    private static Dataset points(SplittableRandom r, int d) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = 3 * r.nextGaussian();
            }
            rows.add(x);
        }
        // Far out in the tails: every joint density underflows, only log-sum-exp keeps the value.
        for (int i = 0; i < 20; i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = (r.nextBoolean() ? 1 : -1) * r.nextDouble(30, 60);
            }
            rows.add(x);
        }
        return Dataset.of(rows.toArray(new double[0][]));
    }

    @ParameterizedTest(name = "{0}, d={1}, seed {2}")
    @MethodSource("cases")
    void scoreSamplesEqualsDirectLogOfWeightedDensities(CovarianceType type, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1000 + d * 10 + type.ordinal());
        GaussianReference.Params p = GaussianReference.randomParams(r, type, K, d, 2.0);
        Dataset data = points(r, d);
        double[] got = p.model().scoreSamples(data);
        double total = 0;
        for (int i = 0; i < data.rows(); i++) {
            double expected = GaussianReference.logMixture(data.row(i), p.weights(), p.means(), p.covariances());
            total += expected;
            assertThat(close(got[i], expected, 1e-10, 1.0))
                    .as("row %d: scoreSamples %s vs reference %s", i, got[i], expected).isTrue();
        }
        assertThat(close(p.model().logLikelihood(data), total, 1e-10, 1.0))
                .as("logLikelihood %s vs reference %s", p.model().logLikelihood(data), total).isTrue();
        assertThat(close(p.model().score(data), total / data.rows(), 1e-10, 1.0)).as("score").isTrue();
    }

    @ParameterizedTest(name = "{0}, d={1}, seed {2}")
    @MethodSource("cases")
    void predictProbaRowsSumToOneAndEqualWeightedDensityOverTotal(CovarianceType type, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 7919 + d * 31 + type.ordinal());
        GaussianReference.Params p = GaussianReference.randomParams(r, type, K, d, 2.0);
        Dataset data = points(r, d);
        double[][] proba = p.model().predictProba(data);
        assertThat(proba).hasNumberOfRows(data.rows());
        for (int i = 0; i < data.rows(); i++) {
            double sum = 0;
            double[] expected = GaussianReference.responsibilities(data.row(i), p.weights(), p.means(),
                    p.covariances());
            assertThat(proba[i]).hasSize(K);
            for (int c = 0; c < K; c++) {
                assertThat(proba[i][c]).as("row %d component %d", i, c).isBetween(0.0, 1.0);
                assertThat(Math.abs(proba[i][c] - expected[c]))
                        .as("row %d component %d: %s vs w·N/Σ %s", i, c, proba[i][c], expected[c])
                        .isLessThanOrEqualTo(1e-10);
                sum += proba[i][c];
            }
            assertThat(Math.abs(sum - 1.0)).as("row %d sums to %s", i, sum).isLessThanOrEqualTo(1e-12);
        }
    }

    @ParameterizedTest(name = "{0}, d={1}, seed {2}")
    @MethodSource("cases")
    void predictIsArgmaxOfPredictProbaAndOfReference(CovarianceType type, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 104729 + d * 17 + type.ordinal());
        GaussianReference.Params p = GaussianReference.randomParams(r, type, K, d, 2.0);
        Dataset data = points(r, d);
        int[] labels = p.model().predict(data);
        double[][] proba = p.model().predictProba(data);
        for (int i = 0; i < data.rows(); i++) {
            int best = 0;
            for (int c = 1; c < K; c++) {
                if (proba[i][c] > proba[i][best]) {
                    best = c;
                }
            }
            assertThat(labels[i]).as("row %d: predict vs argmax of predictProba %s", i,
                    java.util.Arrays.toString(proba[i])).isEqualTo(best);
            double[] lj = GaussianReference.logJoint(data.row(i), p.weights(), p.means(), p.covariances());
            int refBest = 0;
            for (int c = 1; c < K; c++) {
                if (lj[c] > lj[refBest]) {
                    refBest = c;
                }
            }
            double secondGap = Double.POSITIVE_INFINITY;
            for (int c = 0; c < K; c++) {
                if (c != refBest) {
                    secondGap = Math.min(secondGap, lj[refBest] - lj[c]);
                }
            }
            if (secondGap > 1e-8 * Math.max(1, Math.abs(lj[refBest]))) {
                assertThat(labels[i]).as("row %d: predict vs reference argmax", i).isEqualTo(refBest);
            }
        }
    }
}
