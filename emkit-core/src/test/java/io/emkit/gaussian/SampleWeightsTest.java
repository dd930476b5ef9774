package io.emkit.gaussian;

import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import io.emkit.families.ProductMixtureSteps;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import io.emkit.init.KMeansSeeding;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.emkit.families.ColumnFamily.CATEGORICAL;
import static io.emkit.families.ColumnFamily.GAUSSIAN;
import static io.emkit.families.ColumnFamily.POISSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Sample weights: a row of integer weight w is w copies of it (a weight of 0 drops it), for every model kind,
 * checked against the data with the rows actually repeated; seeding draws rows in proportion to weight; the
 * weighted fit is the same bit for bit for any thread count; bad weights are refused with the row.
 */
class SampleWeightsTest {
    private static final Dataset DATA = TestData.drawMixture(11, 300, new double[] {0.5, 0.3, 0.2},
            new double[][] {{0, 0}, {3, 1}, {-1, 3}},
            new double[][][] {{{1, 0.3}, {0.3, 1}}, {{0.6, -0.2}, {-0.2, 0.9}}, {{1.2, 0.4}, {0.4, 0.5}}});
    /** Whole-number weights 0..3, so that the expanded data exist. */
    private static final double[] WEIGHTS = integerWeights(DATA.rows(), 5);

    /** Whole-number weights 0..3, drawn from {@code seed}. */
    static double[] integerWeights(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = r.nextInt(4);
        }
        return w;
    }

    /** The rows repeated as many times as their weights say, in order. */
    static Dataset expand(Dataset data, double[] weights) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < data.rows(); i++) {
            for (int c = 0; c < (int) weights[i]; c++) {
                rows.add(data.row(i));
            }
        }
        return Dataset.of(rows.toArray(new double[0][]), data.columnNames());
    }

    private static void assertClose(double[] a, double[] b, String what) {
        assertClose(a, b, what, 1e-10);
    }

    private static void assertClose(double[] a, double[] b, String what, double rel) {
        assertThat(a.length).isEqualTo(b.length);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as(what + "[" + i + "]").isCloseTo(b[i], within(rel * Math.max(1, Math.abs(b[i]))));
        }
    }

    private static void assertClose(double[][] a, double[][] b, String what) {
        assertClose(a, b, what, 1e-10);
    }

    private static void assertClose(double[][] a, double[][] b, String what, double rel) {
        for (int i = 0; i < a.length; i++) {
            assertClose(a[i], b[i], what + "[" + i + "]", rel);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void gaussianMixtureWeightedRowsAreRepeatedRowsFromTheSameStart(CovarianceType type) {
        Dataset weighted = DATA.withWeights(WEIGHTS);
        Dataset repeated = expand(DATA, WEIGHTS);
        GaussianMixtureModel start = GaussianReference.randomParams(new SplittableRandom(3), type, 3, 2, 2.0).model();
        GaussianMixture config = plainEm(3).covarianceType(type).initialModel(start)
                .tolerance(0).maxIterations(15).threads(2);
        EmResult<GaussianMixtureModel> a = config.fit(weighted);
        EmResult<GaussianMixtureModel> b = config.fit(repeated);
        // EVE's and VVE's M-step is an inner iteration stopped at a relative tolerance of 1e-12: sums that
        // differ in the last bits (w·x against x + x + ...) can stop it one step apart, and 15 outer
        // iterations amplify that to ~1e-9. The closed-form structures agree to 1e-10.
        double rel = type == CovarianceType.EVE || type == CovarianceType.VVE ? 1e-8 : 1e-10;
        assertClose(a.params().weights(), b.params().weights(), "weights", rel);
        assertClose(a.params().means(), b.params().means(), "means", rel);
        for (int c = 0; c < 3; c++) {
            assertClose(a.params().covariance(c), b.params().covariance(c), "covariance " + c, rel);
        }
        assertClose(a.trace(), b.trace(), "log-likelihood trace", rel);
        assertThat(a.sampleCount()).isEqualTo(repeated.rows());
        assertThat(a.bic()).isCloseTo(b.bic(), within(1e-8 * Math.abs(b.bic())));
        // The reported log-likelihood is Σ w log p(x) under the returned parameters, computed directly.
        GaussianMixtureModel m = a.params();
        double direct = 0;
        for (int i = 0; i < DATA.rows(); i++) {
            direct += WEIGHTS[i] * GaussianReference.logMixture(DATA.row(i), m.weights(), m.means(), m.covariances());
        }
        assertThat(a.logLikelihood()).isCloseTo(direct, within(1e-9 * Math.abs(direct)));
        assertThat(m.logLikelihood(weighted)).isCloseTo(direct, within(1e-9 * Math.abs(direct)));
        assertThat(m.bic(weighted)).isCloseTo(-2 * direct + m.parameterCount() * Math.log(repeated.rows()),
                within(1e-8 * Math.abs(direct)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "EII", "VEV"})
    void weightedLogLikelihoodNeverDecreases(CovarianceType type) {
        double[] w = new double[DATA.rows()];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.1 + 5 * r.nextDouble();
        }
        EmResult<GaussianMixtureModel> fit = plainEm(3).covarianceType(type)
                .initialization(Initialization.RANDOM).tolerance(0).maxIterations(40).seed(2)
                .fit(DATA.withWeights(w));
        double[] trace = fit.trace();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d", i).isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Initialization.class)
    void weightedGaussianFitIsBitIdenticalForAnyThreadCount(Initialization init) {
        Dataset weighted = DATA.withWeights(WEIGHTS);
        EmOptions options = EmOptions.defaults().withBlockSize(37).withTolerance(1e-8).withMaxIterations(30)
                .withInitializations(2).withSeed(4);
        GaussianMixture config = plainEm(3).initialization(init).options(options);
        EmResult<GaussianMixtureModel> one = config.threads(1).fit(weighted);
        EmResult<GaussianMixtureModel> three = config.threads(3).fit(weighted);
        assertThat(one.params()).isEqualTo(three.params());
        assertThat(Arrays.equals(one.trace(), three.trace())).isTrue();
    }

    @Test
    void rowsOfWeightZeroAreNeverDrawnAsStartsAndNeverCountAsDistinct() {
        // Two distinct rows of positive weight; the rows of weight 0, far away, would be drawn first otherwise.
        double[][] rows = {{0, 0}, {1, 1}, {50, 50}, {-40, 7}, {90, -3}};
        Dataset data = Dataset.of(rows).withWeights(1, 2, 0, 0, 0);
        for (long seed = 0; seed < 200; seed++) {
            double[] centres = KMeansSeeding.seed(data, 2, new SplittableRandom(seed));
            for (double v : centres) {
                assertThat(v).isIn(0.0, 1.0);
            }
        }
        for (Initialization init : Initialization.values()) {
            GaussianMixtureModel m = plainEm(2).covarianceType(CovarianceType.SPHERICAL)
                    .initialization(init).maxIterations(0).seed(1).fit(data).params();
            for (double[] mean : m.means()) {
                for (double v : mean) {
                    assertThat(v).as(init.label()).isBetween(-1e-9, 1 + 1e-9);
                }
            }
        }
        assertThatThrownBy(() -> KMeans.withClusters(3).fit(data)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("only 2 distinct rows");
    }

    /**
     * k-means++ on weighted rows draws the first seed with probability w_i / W and the second with probability
     * w_j d²(i, j) / Σ_l w_l d²(i, l): the exact law of drawing from the repeated rows, computed here by hand
     * and compared with the frequencies of 40000 draws.
     */
    @Test
    void kMeansPlusPlusDrawsInProportionToWeight() {
        double[][] rows = {{0}, {1}, {3}};
        double[] w = {1, 2, 7};
        Dataset data = Dataset.of(rows).withWeights(w);
        double[][] expected = new double[3][3];
        for (int i = 0; i < 3; i++) {
            double norm = 0;
            for (int l = 0; l < 3; l++) {
                norm += w[l] * Math.pow(rows[i][0] - rows[l][0], 2);
            }
            for (int j = 0; j < 3; j++) {
                expected[i][j] = w[i] / 10.0 * w[j] * Math.pow(rows[i][0] - rows[j][0], 2) / norm;
            }
        }
        int draws = 40_000;
        double[][] seen = new double[3][3];
        SplittableRandom root = new SplittableRandom(17);
        for (int t = 0; t < draws; t++) {
            double[] c = KMeansSeeding.seed(data, 2, root.split(), 1);
            seen[(int) indexOf(rows, c[0])][(int) indexOf(rows, c[1])] += 1.0 / draws;
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // Five standard errors of a frequency estimated from 40000 draws.
                double tolerance = 5 * Math.sqrt(expected[i][j] * (1 - expected[i][j]) / draws) + 1e-12;
                assertThat(seen[i][j]).as("P(first %d, second %d)", i, j).isCloseTo(expected[i][j], within(tolerance));
            }
        }
    }

    /**
     * Greedy k-means++ with two candidates: the second centre is the better (lower potential) of two rows drawn
     * independently by the k-means++ law, so P(second = j) = q_j² + 2 q_j Σ_{l worse than j} q_l with q the
     * plain law; the exact probabilities by hand against the frequencies of 40000 draws.
     */
    @Test
    void greedyKMeansPlusPlusKeepsTheBetterOfTwoDraws() {
        double[][] rows = {{0}, {1}, {3}, {7}};
        double[] w = {1, 2, 7, 3};
        Dataset data = Dataset.of(rows).withWeights(w);
        int m = rows.length;
        double[][] expected = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] q = new double[m];
            double norm = 0;
            for (int l = 0; l < m; l++) {
                q[l] = w[l] * Math.pow(rows[i][0] - rows[l][0], 2);
                norm += q[l];
            }
            double[] potential = new double[m];
            for (int j = 0; j < m; j++) {
                q[j] /= norm;
                for (int l = 0; l < m; l++) {
                    potential[j] += w[l] * Math.min(Math.pow(rows[l][0] - rows[i][0], 2),
                            Math.pow(rows[l][0] - rows[j][0], 2));
                }
            }
            for (int j = 0; j < m; j++) {
                double worse = 0;
                for (int l = 0; l < m; l++) {
                    worse += potential[l] > potential[j] ? q[l] : 0;
                }
                expected[i][j] = w[i] / 13.0 * (q[j] * q[j] + 2 * q[j] * worse);
            }
        }
        assertThat(KMeansSeeding.greedyCandidates(2)).isEqualTo(2);
        int draws = 40_000;
        double[][] seen = new double[m][m];
        SplittableRandom root = new SplittableRandom(23);
        for (int t = 0; t < draws; t++) {
            double[] c = KMeansSeeding.seed(data, 2, root.split());
            seen[(int) indexOf(rows, c[0])][(int) indexOf(rows, c[1])] += 1.0 / draws;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double tolerance = 5 * Math.sqrt(expected[i][j] * (1 - expected[i][j]) / draws) + 1e-12;
                assertThat(seen[i][j]).as("P(first %d, second %d)", i, j).isCloseTo(expected[i][j], within(tolerance));
            }
        }
    }

    private static double indexOf(double[][] rows, double v) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i][0] == v) {
                return i;
            }
        }
        throw new AssertionError(v);
    }

    @Test
    void kMeansWeightedRowsAreRepeatedRowsFromTheSameStart() {
        Dataset weighted = DATA.withWeights(WEIGHTS);
        Dataset repeated = expand(DATA, WEIGHTS);
        KMeansModel start = KMeansModel.of(new double[][] {{-2, 0}, {0, 4}, {4, 0}});
        KMeans config = KMeans.withClusters(3).initialModel(start).tolerance(0).maxIterations(20).threads(2);
        EmResult<KMeansModel> a = config.fit(weighted);
        EmResult<KMeansModel> b = config.fit(repeated);
        assertClose(a.params().centroids(), b.params().centroids(), "centroids");
        assertClose(a.trace(), b.trace(), "inertia trace");
        // The inertia, computed directly: Σ w_i min_c ‖x_i − μ_c‖².
        double direct = 0;
        for (int i = 0; i < DATA.rows(); i++) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] c : a.params().centroids()) {
                double dx = DATA.get(i, 0) - c[0];
                double dy = DATA.get(i, 1) - c[1];
                best = Math.min(best, dx * dx + dy * dy);
            }
            direct += WEIGHTS[i] * best;
        }
        assertThat(-a.logLikelihood()).isCloseTo(direct, within(1e-9 * direct));
        assertThat(a.params().inertia(weighted)).isCloseTo(direct, within(1e-9 * direct));
        // Weighted k-means++ starts and Lloyd's steps: the same bit for bit on 1 and 3 threads.
        EmOptions options = KMeans.withClusters(3).options().withBlockSize(29).withInitializations(3).withSeed(5);
        EmResult<KMeansModel> one = KMeans.withClusters(3).options(options.withThreads(1)).fit(weighted);
        EmResult<KMeansModel> three = KMeans.withClusters(3).options(options.withThreads(3)).fit(weighted);
        assertThat(three.params()).isEqualTo(one.params());
        assertThat(Arrays.equals(three.trace(), one.trace())).isTrue();
    }

    @Test
    void productMixtureWeightedRowsAreRepeatedRowsFromTheSameStart() {
        ProductMixtureModel truth = ProductMixtureModel.of(new double[] {0.4, 0.6}, List.of(POISSON, GAUSSIAN, CATEGORICAL),
                new double[][][] {{{2.0}, {9.0}}, {{0.0, 1.0}, {3.0, 0.5}}, {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}}});
        Dataset data = truth.sample(250, 8).data();
        double[] w = integerWeights(data.rows(), 6);
        ProductMixtureModel start = ProductMixtureModel.of(new double[] {0.5, 0.5}, truth.families(),
                new double[][][] {{{4.0}, {6.0}}, {{1.0, 2.0}, {2.0, 2.0}}, {{0.4, 0.3, 0.3}, {0.3, 0.3, 0.4}}});
        EmOptions options = EmOptions.defaults().withTolerance(0).withMaxIterations(15).withThreads(2);
        ProductMixtureSteps steps = new ProductMixtureSteps(ProductMixture.DEFAULT_REG_VAR);
        EmResult<ProductMixtureModel> a = ExpectationMaximization.fit(steps, data.withWeights(w), (d, r) -> start, options);
        EmResult<ProductMixtureModel> b = ExpectationMaximization.fit(steps, expand(data, w), (d, r) -> start, options);
        assertClose(a.params().weights(), b.params().weights(), "weights");
        for (int j = 0; j < 3; j++) {
            assertClose(a.params().parameters(j), b.params().parameters(j), "column " + j);
        }
        assertClose(a.trace(), b.trace(), "log-likelihood trace");
        assertThat(a.bic()).isCloseTo(b.bic(), within(1e-8 * Math.abs(b.bic())));
        // The public fit runs on weighted data, never lowers the weighted log-likelihood, and is thread-independent.
        ProductMixture config = ProductMixture.withComponents(2).families(truth.families()).initializations(2)
                .tolerance(0).maxIterations(20).seed(3);
        EmResult<ProductMixtureModel> one = config.threads(1).options(config.options().withBlockSize(31)).fit(data.withWeights(w));
        EmResult<ProductMixtureModel> two = config.options(config.options().withBlockSize(31).withThreads(2))
                .fit(data.withWeights(w));
        assertThat(Arrays.equals(one.trace(), two.trace())).isTrue();
        double[] trace = one.trace();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @Test
    void badWeightsAreRefusedNamingTheRow() {
        Dataset d = Dataset.of(new double[][] {{1}, {2}, {3}});
        assertThatThrownBy(() -> d.withWeights(1, -1, 1)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("row 2").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> d.withWeights(1, 1, Double.NaN)).hasMessageContaining("row 3");
        assertThatThrownBy(() -> d.withWeights(Double.POSITIVE_INFINITY, 1, 1)).hasMessageContaining("row 1");
        assertThatThrownBy(() -> d.withWeights(0, 0, 0)).hasMessageContaining("every weight is 0");
        assertThatThrownBy(() -> d.withWeights(1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weightsSurviveSlicingSelectingAndSampling() {
        Dataset d = Dataset.of(new double[][] {{1, 10}, {2, 20}, {3, 30}, {4, 40}}).withWeights(0.5, 0, 2, 1);
        assertThat(d.totalWeight()).isEqualTo(3.5);
        assertThat(d.slice(1, 3).rawWeights()).containsExactly(0, 2);
        assertThat(d.slice(1, 2).totalWeight()).isEqualTo(0);
        assertThat(d.selectColumns(1).rawWeights()).containsExactly(0.5, 0, 2, 1);
        assertThat(d.sample(10, 0).rawWeights()).containsExactly(0.5, 0, 2, 1);
        assertThat(d.withoutWeights().isWeighted()).isFalse();
        assertThat(d.countDistinctRows(10)).isEqualTo(3);
        double[] w = new double[2];
        d.copyWeights(2, 4, w);
        assertThat(w).containsExactly(2, 1);
    }

    /** The engine's former defaults, which this test pins: plain EM, tolerance 1e-3 per row. */
    private static io.emkit.gaussian.GaussianMixture plainEm(int components) {
        return io.emkit.gaussian.GaussianMixture.withComponents(components).options(io.emkit.em.EmOptions.defaults()
                .withTolerance(1e-3).withAcceleration(io.emkit.em.Acceleration.NONE));
    }
}
