package io.emkit.kmeans;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;
import io.emkit.em.MiniBatch;
import io.emkit.kernels.CentroidTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The accelerated k-means algorithms (Hamerly's, Elkan's) against Lloyd's, iteration by iteration: from the
 * same centroids, each E-step must give every row the same cluster and the same statistics, bit for bit
 * (hence the same next centroids), on data chosen to be awkward — exact ties, duplicate rows, clusters that
 * empty, K = n, K = 1, one dimension, a far outlier, weights with zeros. Lloyd's itself is checked against
 * the global optimum found by enumerating every partition of a dozen points.
 */
class KMeansAlgorithmTest {
    private static final List<KMeansAlgorithm> ACCELERATED = List.of(KMeansAlgorithm.HAMERLY, KMeansAlgorithm.ELKAN,
            KMeansAlgorithm.YINYANG);

    /** An awkward case: rows and starting centroids. */
    record Case(String name, Dataset data, double[][] start) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> awkwardCases() {
        List<Case> cases = new ArrayList<>();
        // Integers on a line, centroids between them: rows exactly halfway between two centroids, every iteration.
        double[] line = new double[15];
        for (int i = 0; i < line.length; i++) {
            line[i] = i;
        }
        cases.add(new Case("ties on a line, d = 1", Dataset.ofColumn(line), new double[][] {{1}, {3}, {5}, {13}}));
        // A lattice with centroids at lattice points: many rows equidistant from two or four centroids.
        double[][] grid = new double[36][];
        for (int i = 0; i < 36; i++) {
            grid[i] = new double[] {i % 6, i / 6};
        }
        cases.add(new Case("ties on a lattice", Dataset.of(grid), new double[][] {{1, 1}, {3, 1}, {1, 3}, {3, 3}, {5, 5}}));
        // Four values, each five times, and six centroids: duplicates, and clusters that must empty.
        double[][] dup = new double[20][];
        for (int i = 0; i < 20; i++) {
            dup[i] = new double[] {(i % 4) * 2.0, (i % 4) == 3 ? 1.0 : 0.0};
        }
        cases.add(new Case("duplicate rows, more centroids than values", Dataset.of(dup),
                new double[][] {{0, 0}, {0, 0}, {2, 0}, {4, 0}, {6, 1}, {100, 100}}));
        // A centroid far from every row empties at once and is re-seeded on the farthest row.
        SplittableRandom r = new SplittableRandom(3);
        double[][] blobs = blobs(r, 60, 3, 4, 5.0);
        cases.add(new Case("an empty cluster re-seeded", Dataset.of(blobs),
                new double[][] {{0, 0, 0}, {1, 1, 1}, {500, 500, 500}, {-1, 0, 1}}));
        // K = n: every row its own cluster, from a shuffled order of the rows.
        double[][] twelve = blobs(new SplittableRandom(5), 12, 2, 3, 2.0);
        double[][] shuffledStart = new double[12][];
        for (int i = 0; i < 12; i++) {
            shuffledStart[i] = twelve[(i * 5) % 12].clone();
        }
        shuffledStart[3] = new double[] {0.5, 0.5};
        cases.add(new Case("K = n", Dataset.of(twelve), shuffledStart));
        cases.add(new Case("K = 1", Dataset.of(blobs), new double[][] {{7, -7, 7}}));
        // A far outlier: it takes a cluster of its own, and its bounds see huge moves.
        double[][] outlier = blobs(new SplittableRandom(8), 80, 2, 3, 4.0);
        outlier[17] = new double[] {1e6, -1e6};
        cases.add(new Case("a far outlier", Dataset.of(outlier), new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}));
        // Many clusters, many iterations: random blobs from random rows.
        double[][] many = blobs(new SplittableRandom(11), 700, 4, 12, 3.0);
        double[][] manyStart = new double[40][];
        for (int c = 0; c < 40; c++) {
            manyStart[c] = many[(c * 17) % many.length].clone();
        }
        cases.add(new Case("700 rows, K = 40", Dataset.of(many), manyStart));
        // Yinyang's groups (t = 3 of 25 centroids): ties on a lattice, centroids on lattice points and between them.
        double[][] lattice = new double[144][];
        for (int i = 0; i < 144; i++) {
            lattice[i] = new double[] {i % 12, i / 12};
        }
        double[][] latticeStart = new double[25][];
        for (int c = 0; c < 25; c++) {
            latticeStart[c] = new double[] {(c % 5) * 2.5, (c / 5) * 2.0 + (c % 2)};
        }
        cases.add(new Case("ties on a lattice, K = 25 in 3 groups", Dataset.of(lattice), latticeStart));
        // Duplicates and empty clusters across groups: 8 values, each 6 times, and 20 centroids, some equal.
        double[][] dup8 = new double[48][];
        for (int i = 0; i < 48; i++) {
            dup8[i] = new double[] {(i % 8) * 3.0, (i % 8) % 3, 1.0};
        }
        double[][] dup8Start = new double[20][];
        for (int c = 0; c < 20; c++) {
            dup8Start[c] = c < 12 ? dup8[c % 6].clone() : new double[] {c * 1.5, -c, 1.0};
        }
        cases.add(new Case("duplicate rows and equal centroids, K = 20 in 2 groups", Dataset.of(dup8), dup8Start));
        // K = n with several groups.
        double[][] thirty = blobs(new SplittableRandom(6), 30, 3, 5, 1.5);
        double[][] thirtyStart = new double[30][];
        for (int i = 0; i < 30; i++) {
            thirtyStart[i] = thirty[(i * 7) % 30].clone();
        }
        cases.add(new Case("K = n = 30 in 3 groups", Dataset.of(thirty), thirtyStart));
        // Weights, some zero: a row of weight 0 is never assigned, and the others count as their weight.
        double[] weights = new double[many.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 7 == 0 ? 0.0 : 0.5 + (i % 5);
        }
        cases.add(new Case("weighted, some weights 0", Dataset.of(many).withWeights(weights), manyStart));
        // Nine columns, weighted, three clusters: where the scans run in SIMD lanes (as here under
        // -Demkit.kernels=vector), the clusters' sums do too, a vector of eight columns and one more; with few
        // clusters each block's sums take several rows, so a fused multiply-add there would change bits.
        double[][] wide = blobs(new SplittableRandom(19), 300, 9, 3, 2.0);
        double[][] wideStart = {wide[0].clone(), wide[100].clone(), wide[200].clone()};
        double[] wideWeights = new double[wide.length];
        for (int i = 0; i < wideWeights.length; i++) {
            wideWeights[i] = i % 4 == 0 ? 1.0 : 0.3 + 0.1 * (i % 7); // products that round
        }
        cases.add(new Case("300 rows in 9 columns, K = 3, weighted", Dataset.of(wide).withWeights(wideWeights),
                wideStart));
        return cases;
    }

    /** {@code n} rows around {@code centres} random centres in a cube of side 20, each with spread {@code sd}. */
    static double[][] blobs(SplittableRandom r, int n, int d, int centres, double sd) {
        double[][] c = new double[centres][d];
        for (double[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = 20 * r.nextDouble();
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = c[i % centres][j] + sd * r.nextGaussian();
            }
        }
        return x;
    }

    static Stream<Arguments> casesByAlgorithmAndThreads() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : awkwardCases()) {
            for (KMeansAlgorithm a : ACCELERATED) {
                for (int threads : new int[] {1, 3}) {
                    out.add(Arguments.of(c, a, threads));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, {2} threads")
    @MethodSource("casesByAlgorithmAndThreads")
    void everyIterationGivesLloydsLabelsAndStatisticsBitForBit(Case c, KMeansAlgorithm algorithm, int threads) {
        Dataset data = c.data();
        int k = c.start().length;
        int blockSize = 7; // many blocks, so the blocks' order of merging matters
        ForkJoinPool lloydPool = new ForkJoinPool(1);
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            BoundedAssignment bounded = new BoundedAssignment(algorithm, data.rows(), k, data.columns(), null);
            ExpectationRunner<KMeansModel, KMeansStatistics> runner = bounded.runner(data, blockSize, pool);
            KMeansModel params = KMeansModel.of(c.start());
            double[] w = data.rawWeights();
            int emptied = 0;
            for (int iteration = 0; iteration < 40; iteration++) {
                Expectation<KMeansStatistics> lloyd = ExpectationMaximization.expectation(KMeansSteps.INSTANCE, data,
                        params, blockSize, lloydPool);
                Expectation<KMeansStatistics> fast = runner.run(params);
                int[] expected = bruteForceLabels(data, params);
                int[] labels = bounded.labels();
                for (int i = 0; i < expected.length; i++) {
                    if (w == null || w[i] > 0) {
                        assertThat(labels[i]).as("row %d's cluster at iteration %d", i, iteration).isEqualTo(expected[i]);
                    }
                }
                emptied += assertSameStatistics(fast, lloyd, iteration) ? 1 : 0;
                List<String> lloydWarnings = new ArrayList<>();
                List<String> fastWarnings = new ArrayList<>();
                KMeansModel next = KMeansSteps.INSTANCE.maximize(lloyd.statistics(), params, lloydWarnings::add);
                assertThat(KMeansSteps.INSTANCE.maximize(fast.statistics(), params, fastWarnings::add)).isEqualTo(next);
                assertThat(fastWarnings).isEqualTo(lloydWarnings);
                params = next;
            }
            if (c.name().contains("empty")) {
                assertThat(emptied).as("iterations with an emptied cluster").isPositive();
            }
        } finally {
            lloydPool.shutdownNow();
            pool.shutdownNow();
        }
    }

    /**
     * The same runner fed a new start half-way (as the search feeds its runs): Yinyang's groups are made
     * again for the new centroids, and every algorithm's labels and statistics stay Lloyd's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("accelerated")
    void aNewStartHalfWayKeepsLloydsLabelsAndStatistics(KMeansAlgorithm algorithm) {
        double[][] rows = blobs(new SplittableRandom(31), 900, 3, 30, 1.0);
        Dataset data = Dataset.of(rows);
        double[][] first = new double[30][];
        double[][] second = new double[30][];
        for (int c = 0; c < 30; c++) {
            first[c] = rows[(c * 29) % rows.length].clone();
            second[c] = rows[(c * 31 + 5) % rows.length].clone();
        }
        ForkJoinPool lloydPool = new ForkJoinPool(1);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            BoundedAssignment bounded = new BoundedAssignment(algorithm, data.rows(), 30, 3, null);
            ExpectationRunner<KMeansModel, KMeansStatistics> runner = bounded.runner(data, 50, pool);
            KMeansModel params = KMeansModel.of(first);
            for (int iteration = 0; iteration < 30; iteration++) {
                if (iteration == 12) {
                    params = KMeansModel.of(second);
                }
                Expectation<KMeansStatistics> lloyd = ExpectationMaximization.expectation(KMeansSteps.INSTANCE, data,
                        params, 50, lloydPool);
                Expectation<KMeansStatistics> fast = runner.run(params);
                assertThat(bounded.labels()).as("labels at iteration %d", iteration)
                        .isEqualTo(bruteForceLabels(data, params));
                assertSameStatistics(fast, lloyd, iteration);
                params = KMeansSteps.INSTANCE.maximize(lloyd.statistics(), params, w -> { });
            }
        } finally {
            lloydPool.shutdownNow();
            pool.shutdownNow();
        }
    }

    static Stream<KMeansAlgorithm> accelerated() {
        return ACCELERATED.stream();
    }

    /**
     * Each row's nearest centroid by the definition, written here: the smallest squared distance, summed in
     * the order of the features as any k-means sums it, the lowest index among equals.
     */
    static int[] bruteForceLabels(Dataset data, KMeansModel model) {
        int[] out = new int[data.rows()];
        double[][] c = model.centroids();
        for (int i = 0; i < out.length; i++) {
            double[] x = data.row(i);
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < c.length; j++) {
                double s = 0;
                for (int f = 0; f < x.length; f++) {
                    s += (x[f] - c[j][f]) * (x[f] - c[j][f]);
                }
                if (s < best) {
                    best = s;
                    out[i] = j;
                }
            }
        }
        return out;
    }

    /** @return whether a cluster emptied, so that the farthest rows were compared too */
    private static boolean assertSameStatistics(Expectation<KMeansStatistics> fast, Expectation<KMeansStatistics> lloyd,
                                                int iteration) {
        KMeansStatistics f = fast.statistics();
        KMeansStatistics l = lloyd.statistics();
        assertThat(fast.logLikelihood()).as("minus the inertia at iteration %d", iteration)
                .isEqualTo(lloyd.logLikelihood());
        assertThat(f.count).as("counts at iteration %d", iteration).isEqualTo(l.count);
        assertThat(f.sum).as("sums at iteration %d", iteration).isEqualTo(l.sum);
        if (Arrays.stream(l.count).noneMatch(n -> n == 0)) {
            // The farthest rows are read only to re-seed an emptied cluster: the bounded E-step finds them only then.
            return false;
        }
        assertThat(f.held).isEqualTo(l.held);
        f.rank();
        l.rank();
        assertThat(Arrays.copyOf(f.farRow, f.held)).isEqualTo(Arrays.copyOf(l.farRow, l.held));
        assertThat(Arrays.copyOf(f.farDistance, f.held)).isEqualTo(Arrays.copyOf(l.farDistance, l.held));
        assertThat(f.farValuesByRank()).isEqualTo(l.farValuesByRank());
        return true;
    }

    static Stream<Arguments> algorithmsAndThreads() {
        List<Arguments> out = new ArrayList<>();
        for (KMeansAlgorithm a : KMeansAlgorithm.values()) {
            for (int threads : new int[] {1, 2, 3}) {
                out.add(Arguments.of(a, threads));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("algorithmsAndThreads")
    void aWholeFitWithItsSearchIsLloydsBitForBit(KMeansAlgorithm algorithm, int threads) {
        EmResult<KMeansModel> expected = WholeFitReference.LLOYD_FIT;
        EmResult<KMeansModel> fit = WholeFitReference.LLOYD.algorithm(algorithm).threads(threads)
                .fit(WholeFitReference.DATA);
        assertThat(fit.params()).isEqualTo(expected.params());
        assertThat(fit.trace()).isEqualTo(expected.trace());
        assertThat(fit.iterations()).isEqualTo(expected.iterations());
        assertThat(fit.search().eSteps()).isEqualTo(expected.search().eSteps());
        assertThat(fit.warnings()).isEqualTo(expected.warnings());
    }

    /** The whole fit every algorithm must repeat: Lloyd's on one thread, made once for all of them. */
    private static final class WholeFitReference {
        static final Dataset DATA = Dataset.of(blobs(new SplittableRandom(21), 3000, 3, 9, 2.5));
        static final KMeans LLOYD;
        static final EmResult<KMeansModel> LLOYD_FIT;

        static {
            KMeans base = KMeans.withClusters(9).seed(4).threads(1);
            LLOYD = base.options(base.options().withBlockSize(256)).algorithm(KMeansAlgorithm.LLOYD);
            LLOYD_FIT = LLOYD.fit(DATA);
        }
    }

    @Test
    void theAcceleratedAlgorithmsComputeFarFewerDistancesOnClusteredData() {
        Dataset data = Dataset.of(blobs(new SplittableRandom(2), 4000, 4, 30, 0.6));
        long[] counts = new long[4];
        EmResult<KMeansModel> reference = null;
        List<KMeansAlgorithm> algorithms = List.of(KMeansAlgorithm.LLOYD, KMeansAlgorithm.HAMERLY, KMeansAlgorithm.ELKAN,
                KMeansAlgorithm.YINYANG);
        for (int a = 0; a < 4; a++) {
            LongAdder counter = new LongAdder();
            EmResult<KMeansModel> fit = KMeans.withClusters(30).initializations(1).seed(1)
                    .algorithm(algorithms.get(a)).distanceCounter(counter).fit(data);
            counts[a] = counter.sum();
            if (reference == null) {
                reference = fit;
                // Lloyd's: every row to every centroid, each E-step (the start's and one per iteration).
                assertThat(counts[0]).isEqualTo(4000L * 30 * (fit.iterations() + 1));
            }
            assertThat(fit.params()).isEqualTo(reference.params());
        }
        assertThat(counts[1]).isLessThan(counts[0] / 3);
        assertThat(counts[2]).isLessThan(counts[0] / 3);
        assertThat(counts[3]).isLessThan(counts[0] / 3);
    }

    /**
     * The global optimum of 12 points in 3 clusters, by enumerating all 3¹² assignments: the search reaches it
     * whatever the algorithm, and the fit is Lloyd's fixed point there.
     */
    @Test
    void everyAlgorithmReachesTheGlobalOptimumFoundByEnumeration() {
        double[][] rows = blobs(new SplittableRandom(40), 12, 2, 3, 2.5);
        double best = Double.POSITIVE_INFINITY;
        int[] labels = new int[12];
        for (int code = 0; code < 531_441; code++) {
            int rest = code;
            for (int i = 0; i < 12; i++) {
                labels[i] = rest % 3;
                rest /= 3;
            }
            best = Math.min(best, partitionInertia(rows, labels, 3));
        }
        for (KMeansAlgorithm a : KMeansAlgorithm.values()) {
            EmResult<KMeansModel> fit = KMeans.withClusters(3).algorithm(a).initializations(20).seed(7)
                    .fit(Dataset.of(rows));
            assertThat(-fit.logLikelihood()).as("%s", a).isCloseTo(best, within(1e-9 * best));
        }
    }

    /** Σ of squared distances of the rows to the means of their groups; a group may be empty. */
    static double partitionInertia(double[][] rows, int[] labels, int k) {
        int d = rows[0].length;
        double[][] mean = new double[k][d];
        int[] n = new int[k];
        for (int i = 0; i < rows.length; i++) {
            n[labels[i]]++;
            for (int j = 0; j < d; j++) {
                mean[labels[i]][j] += rows[i][j];
            }
        }
        double total = 0;
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                double t = rows[i][j] - mean[labels[i]][j] / n[labels[i]];
                total += t * t;
            }
        }
        return total;
    }

    @Test
    void autoChoosesHamerlyWithSimdScansAndElkanForManyClustersWithoutThemWhenItsBoundsFit() {
        boolean simd = "vector".equals(CentroidTable.kernels());
        // -Demkit.kernels=vector (the pom's vector-forced execution): SIMD scans whatever the size.
        boolean forced = "vector".equals(System.getProperty("emkit.kernels"));
        KMeansAlgorithm small = forced ? KMeansAlgorithm.HAMERLY : KMeansAlgorithm.ELKAN;
        assertThat(KMeansAlgorithm.AUTO.resolve(1000, 1, 5)).isEqualTo(KMeansAlgorithm.LLOYD);
        assertThat(KMeansAlgorithm.AUTO.resolve(1000, 8, 5)).isEqualTo(KMeansAlgorithm.HAMERLY);
        assertThat(KMeansAlgorithm.AUTO.resolve(1000, 64, 2)).isEqualTo(KMeansAlgorithm.HAMERLY);
        // Too small a fit for SIMD: Elkan's from ELKAN_FROM_CLUSTERS clusters in ELKAN_FROM_DIMENSION dimensions.
        assertThat(KMeansAlgorithm.AUTO.resolve(1000, KMeansAlgorithm.ELKAN_FROM_CLUSTERS, 16)).isEqualTo(small);
        assertThat(KMeansAlgorithm.AUTO.resolve(100, 64, KMeansAlgorithm.ELKAN_FROM_DIMENSION)).isEqualTo(small);
        assertThat(KMeansAlgorithm.AUTO.resolve(1000, KMeansAlgorithm.ELKAN_FROM_CLUSTERS - 1, 16))
                .isEqualTo(KMeansAlgorithm.HAMERLY);
        // Large enough for SIMD lanes: Hamerly's where they run, else Elkan's while its bounds fit.
        assertThat(KMeansAlgorithm.AUTO.resolve(200_000, 64, 16))
                .isEqualTo(simd ? KMeansAlgorithm.HAMERLY : KMeansAlgorithm.ELKAN);
        assertThat(KMeansAlgorithm.AUTO.resolve(100_000, 16, 16))
                .isEqualTo(simd ? KMeansAlgorithm.HAMERLY : KMeansAlgorithm.ELKAN);
        // Where Elkan's bounds do not fit: Hamerly's in every case.
        assertThat(KMeansAlgorithm.AUTO.resolve(10_000_000, 256, 16)).isEqualTo(KMeansAlgorithm.HAMERLY);
        assertThat(KMeansAlgorithm.AUTO.resolve(10_000_000, 16, 16)).isEqualTo(KMeansAlgorithm.HAMERLY);
        assertThat(KMeansAlgorithm.AUTO.resolve(10_000_000, 256, 4)).isEqualTo(KMeansAlgorithm.HAMERLY);
        assertThat(KMeansAlgorithm.ELKAN.resolve(10, 1, 1)).isEqualTo(KMeansAlgorithm.ELKAN);
        assertThat(KMeansAlgorithm.parse(" Elkan ")).isEqualTo(KMeansAlgorithm.ELKAN);
    }

    // ------------------------------------------------------------------------------------ mini-batch

    /**
     * On well-separated clusters, mini-batch k-means (batches of 500, three shuffled passes) gets within 1% of
     * the inertia of Lloyd's full iterations from the same start.
     */
    @Test
    void miniBatchGetsWithinOnePercentOfLloydsInertiaOnSeparatedClusters() {
        Dataset data = Dataset.of(blobs(new SplittableRandom(13), 30_000, 5, 8, 1.0));
        KMeans full = KMeans.withClusters(8).initializations(1).seed(3);
        double lloyd = -full.fit(data).logLikelihood();
        EmResult<KMeansModel> mini = full.miniBatch(MiniBatch.ofSize(500).passes(3).shuffled(true)).fit(data);
        double inertia = -mini.logLikelihood();
        assertThat(inertia).isCloseTo(mini.params().inertia(data), within(1e-9 * inertia));
        assertThat(inertia).isLessThanOrEqualTo(lloyd * 1.01);
        assertThat(mini.iterations()).isEqualTo(3 * 60);
    }

    @Test
    void miniBatchIsTheSameForASeedWhateverTheThreads() {
        Dataset data = Dataset.of(blobs(new SplittableRandom(14), 5000, 3, 6, 1.5));
        KMeans base = KMeans.withClusters(6).initializations(2).seed(9);
        KMeans config = base.options(base.options().withBlockSize(100)).miniBatch(MiniBatch.ofSize(300).passes(2).shuffled(true));
        EmResult<KMeansModel> one = config.threads(1).fit(data);
        EmResult<KMeansModel> three = config.threads(3).fit(data);
        assertThat(three.params()).isEqualTo(one.params());
        assertThat(three.trace()).isEqualTo(one.trace());
        assertThat(config.seed(10).threads(1).fit(data).params()).isNotEqualTo(one.params());
    }

    @Test
    void aCentroidNoBatchReachesKeepsItsStart() {
        double[][] rows = blobs(new SplittableRandom(15), 200, 2, 2, 0.5);
        double[][] start = {rows[0].clone(), rows[1].clone(), {1e4, 1e4}};
        EmResult<KMeansModel> fit = KMeans.withClusters(3).initialModel(KMeansModel.of(start))
                .miniBatch(MiniBatch.ofSize(50)).fit(Dataset.of(rows));
        assertThat(fit.params().centroid(2)).containsExactly(1e4, 1e4);
        assertThat(fit.warnings()).isEmpty();
        assertThat(Arrays.stream(fit.params().centroid(0)).allMatch(Double::isFinite)).isTrue();
    }

    @Test
    void aGaussianMixturesKMeansStartIsTheSameWhicheverAlgorithmRefinesIt() {
        Dataset data = Dataset.of(blobs(new SplittableRandom(16), 2000, 3, 40, 1.0));
        KMeansModel start = KMeansModel.of(Arrays.copyOf(blobs(new SplittableRandom(17), 40, 3, 40, 5.0), 40));
        EmOptions options = EmOptions.defaults().withInitializations(1).withMaxIterations(300)
                .withTolerance(Double.MIN_VALUE).withThreads(2).withBlockSize(300);
        KMeansModel lloyd = KMeans.withClusters(40).options(options).algorithm(KMeansAlgorithm.LLOYD)
                .refine(data, start).params();
        for (KMeansAlgorithm a : ACCELERATED) {
            assertThat(KMeans.withClusters(40).options(options).algorithm(a).refine(data, start).params())
                    .as("%s", a).isEqualTo(lloyd);
        }
    }
}
