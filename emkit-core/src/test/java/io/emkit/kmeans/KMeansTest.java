package io.emkit.kmeans;

import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * k-means as hard EM, against references computed here without the library: exact means of known
 * partitions, brute-force inertia, and the global optimum of tiny data sets by enumerating every assignment.
 */
class KMeansTest {

    // ---------------------------------------------------------------------------------- references

    /** Σ over rows of the squared distance to the nearest centroid, by the definition. */
    static double bruteForceInertia(double[][] rows, double[][] centroids) {
        double total = 0;
        for (double[] x : rows) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] c : centroids) {
                double s = 0;
                for (int j = 0; j < x.length; j++) {
                    s += (x[j] - c[j]) * (x[j] - c[j]);
                }
                best = Math.min(best, s);
            }
            total += best;
        }
        return total;
    }

    /** The means of the rows of each label. */
    static double[][] meansOf(double[][] rows, int[] labels, int k) {
        int d = rows[0].length;
        double[][] means = new double[k][d];
        int[] n = new int[k];
        for (int i = 0; i < rows.length; i++) {
            n[labels[i]]++;
            for (int j = 0; j < d; j++) {
                means[labels[i]][j] += rows[i][j];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] /= n[c];
            }
        }
        return means;
    }

    /** The lowest within-cluster sum of squares over every assignment of the rows to k non-empty clusters. */
    static double globalOptimum(double[][] rows, int k) {
        int n = rows.length;
        int[] labels = new int[n];
        double best = Double.POSITIVE_INFINITY;
        long total = (long) Math.pow(k, n);
        for (long code = 0; code < total; code++) {
            long c = code;
            boolean[] used = new boolean[k];
            for (int i = 0; i < n; i++) {
                labels[i] = (int) (c % k);
                used[labels[i]] = true;
                c /= k;
            }
            boolean allUsed = true;
            for (boolean u : used) {
                allUsed &= u;
            }
            if (allUsed) {
                double[][] means = meansOf(rows, labels, k);
                double s = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < rows[i].length; j++) {
                        double t = rows[i][j] - means[labels[i]][j];
                        s += t * t;
                    }
                }
                best = Math.min(best, s);
            }
        }
        return best;
    }

    // ---------------------------------------------------------------------------------- known optimum

    /**
     * The default tolerance ends a run where Lloyd's iterations have nearly nothing left to give, also where
     * they crawl: twelve overlapping clusters, every run from the same start, the reference run to Lloyd's fixed
     * point (no row changes cluster, so the change is exactly 0). scikit-learn's 1e-4, as a relative change of
     * the inertia, stops far earlier (the second assertion: it is why the default is tighter).
     */
    @Test
    void theDefaultToleranceEndsNearLloydsFixedPointOnOverlappingClusters() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 6000;
        int d = 4;
        int k = 12;
        double[][] means = new double[k][d];
        for (double[] mean : means) {
            for (int j = 0; j < d; j++) {
                mean[j] = 5 * random.nextDouble();
            }
        }
        double[][] rows = new double[n][d];
        for (double[] row : rows) {
            double[] mean = means[random.nextInt(k)];
            for (int j = 0; j < d; j++) {
                row[j] = mean[j] + random.nextGaussian();
            }
        }
        Dataset data = Dataset.of(rows);
        KMeansModel start = KMeansModel.of(Arrays.copyOf(rows, k));
        double fixedPoint = -KMeans.withClusters(k).tolerance(1e-300).maxIterations(100_000)
                .refine(data, start).objective();
        EmResult<KMeansModel> byDefault = KMeans.withClusters(k).refine(data, start);
        double loose = -KMeans.withClusters(k).tolerance(1e-4).refine(data, start).objective();
        double gap = (-byDefault.objective() - fixedPoint) / fixedPoint;
        assertThat(byDefault.converged()).isTrue();
        // Measured: the default 0 (it reaches the fixed point, 28 iterations), 1e-4 a gap of 7e-5.
        assertThat(gap).isLessThan(1e-5);
        assertThat((loose - fixedPoint) / fixedPoint).isGreaterThan(1e-5);
    }

    @Test
    void wellSeparatedClustersGiveTheExactMeansOfTheGeneratingLabels() {
        double[][] centres = {{0, 0, 0}, {12, 0, 3}, {0, 12, -3}, {10, 10, 10}};
        int n = 800;
        SplittableRandom random = new SplittableRandom(21);
        double[][] rows = new double[n][3];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextInt(centres.length);
            for (int j = 0; j < 3; j++) {
                rows[i][j] = centres[truth[i]][j] + random.nextGaussian();
            }
        }
        double[][] exact = meansOf(rows, truth, centres.length);
        Dataset data = Dataset.of(rows);
        EmResult<KMeansModel> fit = KMeans.withClusters(4).initializations(5).seed(1)
                .options(EmOptions.defaults().withBlockSize(97).withInitializations(5).withSeed(1)
                        .withMaxIterations(300).withTolerance(1e-4))
                .fit(data);
        KMeansModel m = fit.params();
        assertThat(fit.converged()).isTrue();
        int[] labels = m.predict(data);
        // Each fitted cluster is one generating cluster: a one-to-one map from fitted to true labels.
        int[] toTruth = new int[4];
        Arrays.fill(toTruth, -1);
        for (int i = 0; i < n; i++) {
            if (toTruth[labels[i]] < 0) {
                toTruth[labels[i]] = truth[i];
            }
            assertThat(toTruth[labels[i]]).as("row %d", i).isEqualTo(truth[i]);
        }
        assertThat(Arrays.stream(toTruth).distinct().count()).isEqualTo(4);
        for (int c = 0; c < 4; c++) {
            double[] got = m.centroid(c);
            for (int j = 0; j < 3; j++) {
                assertThat(got[j]).isCloseTo(exact[toTruth[c]][j], within(1e-12));
            }
        }
        assertThat(-fit.logLikelihood()).isCloseTo(bruteForceInertia(rows, exact), within(1e-9));
    }

    /** R: {@code kmeans(iris[, 1:4], centers = 3, nstart = 25)$tot.withinss} = 78.85144 (also scikit-learn's KMeans). */
    @Test
    void irisWithThreeClustersReachesTheKnownOptimum() {
        EmResult<KMeansModel> fit = KMeans.withClusters(3).initializations(10).seed(0).fit(TestData.iris());
        assertThat(-fit.logLikelihood()).isCloseTo(78.85144142614601, within(1e-9));
        int[] sizes = new int[3];
        for (int l : fit.params().predict(TestData.iris())) {
            sizes[l]++;
        }
        Arrays.sort(sizes);
        assertThat(sizes).containsExactly(38, 50, 62);
    }

    // ---------------------------------------------------------------------------------- monotone objective

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 6, 9})
    void inertiaNeverIncreasesAndEqualsABruteForceComputation(int k) {
        Dataset[] sets = {TestData.iris(), TestData.faithful(), TestData.drawMixture(4, 700, new double[] {0.5, 0.5},
                new double[][] {{0, 0}, {1, 0.5}}, new double[][][] {{{1, 0}, {0, 1}}, {{1, 0.5}, {0.5, 1}}})};
        for (Dataset data : sets) {
            for (long seed = 0; seed < 4; seed++) {
                EmResult<KMeansModel> fit = KMeans.withClusters(k).tolerance(0).maxIterations(25).seed(seed)
                        .options(EmOptions.defaults().withInitializations(1).withTolerance(0).withMaxIterations(25)
                                .withSeed(seed).withBlockSize(64))
                        .fit(data);
                double[] trace = fit.trace();
                assertThat(trace).hasSize(26);
                for (int i = 1; i < trace.length; i++) {
                    assertThat(-trace[i]).as("inertia after iteration %d, seed %d", i, seed)
                            .isLessThanOrEqualTo(-trace[i - 1] * (1 + 1e-12));
                }
                double reference = bruteForceInertia(data.toArray(), fit.params().centroids());
                assertThat(-fit.logLikelihood()).isCloseTo(reference, within(1e-10 * reference));
                assertThat(fit.params().inertia(data)).isCloseTo(reference, within(1e-10 * reference));
                assertThat(fit.logLikelihood()).isEqualTo(trace[trace.length - 1]);
                assertThat(fit.iterations()).isEqualTo(25);
                assertThat(fit.converged()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8})
    void aConvergedFitIsAFixedPointOfLloyd(int k) {
        Dataset data = TestData.iris();
        double[][] rows = data.toArray();
        EmResult<KMeansModel> fit = KMeans.withClusters(k).tolerance(1e-300).seed(k).fit(data);
        assertThat(fit.converged()).isTrue();
        // Every centroid is the mean of the rows nearest to it (nearest computed here, not by the model).
        int[] labels = new int[rows.length];
        double[][] c = fit.params().centroids();
        for (int i = 0; i < rows.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int f = 0; f < 4; f++) {
                    s += (rows[i][f] - c[j][f]) * (rows[i][f] - c[j][f]);
                }
                if (s < best) {
                    best = s;
                    labels[i] = j;
                }
            }
        }
        assertThat(fit.params().predict(data)).containsExactly(labels);
        double[][] means = meansOf(rows, labels, k);
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < 4; f++) {
                assertThat(c[j][f]).isCloseTo(means[j][f], within(1e-12));
            }
        }
    }

    @Test
    void valuesWhoseSquaresOverflowAreRefused() {
        Dataset data = Dataset.ofColumn(1, 2, 1e200);
        assertThatThrownBy(() -> KMeans.withClusters(2).fit(data)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("row 3").hasMessageContaining("scale the data");
    }

    // ---------------------------------------------------------------------------------- global optimum

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void bestOfManyRestartsIsTheGlobalOptimumOnTinyData(long dataSeed) {
        SplittableRandom random = new SplittableRandom(dataSeed);
        int n = 6 + (int) (dataSeed % 3);
        double[][] rows = new double[n][2];
        for (double[] r : rows) {
            r[0] = Math.floor(random.nextDouble() * 20) / 2;
            r[1] = Math.floor(random.nextDouble() * 20) / 2;
        }
        Dataset data = Dataset.of(rows);
        for (int k = 2; k <= 3; k++) {
            double optimum = globalOptimum(rows, k);
            EmResult<KMeansModel> fit = KMeans.withClusters(k).initializations(60).seed(dataSeed).fit(data);
            assertThat(-fit.logLikelihood()).as("n=%d, k=%d", n, k).isCloseTo(optimum, within(1e-9 * (1 + optimum)));
        }
    }

    // ---------------------------------------------------------------------------------- determinism

    @Test
    void sameSeedGivesBitIdenticalResultsForAnyThreadCount() {
        Dataset data = TestData.drawMixture(9, 3000, new double[] {0.3, 0.3, 0.4},
                new double[][] {{0, 0, 0}, {2, 1, 0}, {0, 2, 1}},
                new double[][][] {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
                        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}});
        EmResult<KMeansModel> one = fitWith(data, 1);
        for (int threads : new int[] {2, 3}) {
            EmResult<KMeansModel> other = fitWith(data, threads);
            assertThat(other.params()).isEqualTo(one.params());
            assertThat(Arrays.equals(other.trace(), one.trace())).as("trace, %d threads", threads).isTrue();
            assertThat(Arrays.equals(other.initializationObjectives(), one.initializationObjectives())).isTrue();
            assertThat(other.iterations()).isEqualTo(one.iterations());
        }
        assertThat(fitWith(data, 1).params()).isEqualTo(one.params());
    }

    private static EmResult<KMeansModel> fitWith(Dataset data, int threads) {
        return KMeans.withClusters(5).options(EmOptions.defaults().withBlockSize(128).withInitializations(4)
                .withSeed(77).withThreads(threads).withMaxIterations(300).withTolerance(1e-8)).fit(data);
    }

    // ---------------------------------------------------------------------------------- empty clusters

    @Test
    void aClusterThatEmptiesIsReseededOnTheFarthestRow() {
        Dataset data = Dataset.ofColumn(0, 1, 2, 10, 11, 12);
        KMeansModel start = KMeansModel.of(new double[][] {{0}, {100}});
        EmResult<KMeansModel> fit = KMeans.withClusters(2).initialModel(start).fit(data);
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("cluster 2 lost all its rows")
                .contains("re-seeded"));
        assertThat(fit.params().centroids()).isDeepEqualTo(new double[][] {{1}, {11}});
        assertThat(-fit.logLikelihood()).isEqualTo(4.0);
        assertThat(-fit.trace()[0]).isEqualTo(0 + 1 + 4 + 100 + 121 + 144);
    }

    @Test
    void twoClustersEmptyingAtOnceGetTheTwoFarthestRows() {
        Dataset data = Dataset.ofColumn(0, 1, 2, 10, 11, 12, 20, 21, 22);
        KMeansModel start = KMeansModel.of(new double[][] {{0}, {100}, {200}});
        EmResult<KMeansModel> fit = KMeans.withClusters(3).initialModel(start).maxIterations(1).tolerance(0).fit(data);
        // One M-step: cluster 1 takes the mean of all rows, clusters 2 and 3 the farthest rows 22 and 21.
        assertThat(fit.params().centroids()).isDeepEqualTo(new double[][] {{11}, {22}, {21}});
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("cluster 2 lost"))
                .anySatisfy(w -> assertThat(w).contains("cluster 3 lost"));
        EmResult<KMeansModel> full = KMeans.withClusters(3).initialModel(start).fit(data);
        for (double[] c : full.params().centroids()) {
            assertThat(Double.isFinite(c[0])).isTrue();
        }
        int[] sizes = new int[3];
        for (int l : full.params().predict(data)) {
            sizes[l]++;
        }
        assertThat(sizes).doesNotContain(0);
    }

    @Test
    void duplicateStartingCentroidsTieToTheLowerIndexAndTheOtherIsReseeded() {
        Dataset iris = TestData.iris();
        double[] a = iris.row(0);
        KMeansModel start = KMeansModel.of(new double[][] {a, a, iris.row(100)});
        EmResult<KMeansModel> fit = KMeans.withClusters(3).initialModel(start).fit(iris);
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("cluster 2 lost all its rows"));
        for (double[] c : fit.params().centroids()) {
            for (double v : c) {
                assertThat(Double.isFinite(v)).isTrue();
            }
        }
        double[] trace = fit.trace();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1]);
        }
    }

    // ---------------------------------------------------------------------------------- control

    @Test
    void moreClustersThanDistinctRowsIsRefused() {
        Dataset data = Dataset.of(new double[][] {{1, 2}, {1, 2}, {3, 4}});
        assertThatThrownBy(() -> KMeans.withClusters(3).fit(data)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("3 clusters requested").hasMessageContaining("2 distinct rows");
        assertThatThrownBy(() -> KMeans.withClusters(0)).isInstanceOf(EmkitException.class);
        assertThat(KMeans.withClusters(2).fit(data).params().components()).isEqualTo(2);
    }

    @Test
    void aRunStopsAtLloydsFixedPointWithAChangeOfExactlyZero() {
        EmResult<KMeansModel> fit = KMeans.withClusters(4).tolerance(1e-300).seed(3).fit(TestData.iris());
        assertThat(fit.converged()).isTrue();
        double[] trace = fit.trace();
        assertThat(trace[trace.length - 1]).isEqualTo(trace[trace.length - 2]);
        assertThat(fit.parameterCount()).isEqualTo(16);
        assertThat(fit.params().featureNames()).containsExactly("sepal_length", "sepal_width", "petal_length",
                "petal_width");
    }

    @Test
    void ofOneCluster() {
        Dataset data = TestData.faithful();
        KMeansModel m = KMeans.withClusters(1).fit(data).params();
        assertThat(m.centroids()[0][1]).isCloseTo(Arrays.stream(data.toArray()).mapToDouble(r -> r[1]).average()
                .orElseThrow(), within(1e-12));
    }

    // ---------------------------------------------------------------------------------- the model

    @Test
    void modelPredictsTheNearestCentroidWithTiesToTheLowerIndex() {
        KMeansModel m = KMeansModel.of(new double[][] {{0, 0}, {2, 0}, {0, 3}});
        Dataset rows = Dataset.of(new double[][] {{1, 0}, {1.9, 0.1}, {0, 2}, {3, 3}, {0, 1.5}});
        assertThat(m.predict(rows)).containsExactly(0, 1, 2, 2, 0);
        assertThat(m.inertia(rows)).isCloseTo(1 + (0.01 + 0.01) + 1 + 9 + 2.25, within(1e-12));
        double[][] t = m.transform(rows);
        assertThat(t[3]).containsExactly(Math.sqrt(18), Math.sqrt(10), 3.0);
        assertThat(m.parameterCount()).isEqualTo(6);
        assertThatThrownBy(() -> KMeansModel.of(new double[][] {{0, 0}, {1}})).isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> KMeansModel.of(new double[][] {{Double.NaN}})).isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> m.predict(Dataset.ofColumn(1, 2))).isInstanceOf(EmkitException.class)
                .hasMessageContaining("2 features");
    }
}
