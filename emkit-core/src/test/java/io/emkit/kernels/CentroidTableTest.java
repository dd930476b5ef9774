package io.emkit.kernels;

import io.emkit.data.Dataset;
import io.emkit.init.KMeansSeeding;
import io.emkit.kmeans.KMeansModel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * k-means' distances through a {@link CentroidTable}, SIMD or portable, are bit for bit those of the plain loop
 * {@link KMeansSeeding#squaredDistance}, and its nearest centroid is the first of the least distance, on awkward
 * shapes: D = 1..17 and K = 1..37 (mostly not multiples of the SIMD lanes), duplicate centroids, rows on a
 * centroid or halfway between two (ties), magnitudes from 2⁻⁶⁰ to 2⁶⁰, and distances that overflow to +∞
 * (all tied: centroid 0); and the least distance to the other centroids beside the nearest one's (Hamerly's
 * scan: exact on the portable loop, a close lower bound in SIMD lanes), one row at a time and two. A fused multiply-add, another order of the terms, or an argmin that lets a later lane win a tie would
 * change bits here.
 */
class CentroidTableTest {
    @Test
    void theSimdTablesAreUsedWhereTheVectorApiIsAndThePortableOnesElsewhere() {
        double[] centroids = {0, 1, 2, 3};
        assertEquals(BlockKernelsTest.vectorKernelsApply(), CentroidTable.of(centroids, 2, 2, true).simd(),
                "emkit.kernels=" + System.getProperty("emkit.kernels"));
        assertEquals(BlockKernelsTest.vectorKernelsApply() ? "vector" : "scalar", CentroidTable.kernels());
        assertEquals(false, CentroidTable.of(centroids, 2, 2, false).simd());
        assertEquals(vectorForced(), CentroidTable.simdFor(1000, 3));
        assertEquals(true, CentroidTable.simdFor(CentroidTable.SIMD_MIN_ROW_CENTROIDS / 8, 8));
        // A model's assignment passes take SIMD lanes only from 16 centroids on, however many rows.
        assertEquals(vectorForced(), CentroidTable.simdForClusters(1_000_000, 15));
        assertEquals(true, CentroidTable.simdForClusters(CentroidTable.SIMD_MIN_ROW_CENTROIDS / 16, 16));
        assertEquals(vectorForced(), CentroidTable.simdForClusters(CentroidTable.SIMD_MIN_ROW_CENTROIDS / 16 - 1, 16));
    }

    @Test
    void distancesAndNearestAreThePlainLoopsBitForBit() {
        SplittableRandom random = new SplittableRandom(20261203);
        int shapes = 0;
        for (int d = 1; d <= 17; d++) {
            for (int k = 1; k <= 37; k++) {
                int mode = (d * 37 + k) % 5;
                double[] c = values(random, k * d, mode);
                if (k >= 3) {
                    System.arraycopy(c, 0, c, (k - 1) * d, d); // the last centroid repeats the first
                    System.arraycopy(c, d, c, (k / 2) * d, d); // and a middle one the second
                }
                int rows = 1 + random.nextInt(9);
                double[] x = new double[(rows + 1) * d];
                System.arraycopy(values(random, x.length, mode), 0, x, 0, x.length);
                // Row 1 on centroid k − 1 (tied with centroid 0 at distance 0); row 2 halfway between 0 and 1.
                if (rows > 1) {
                    System.arraycopy(c, (k - 1) * d, x, d, d);
                }
                if (rows > 2 && k > 1) {
                    for (int j = 0; j < d; j++) {
                        x[2 * d + j] = (c[j] + c[d + j]) / 2;
                    }
                }
                check(c, k, d, x, rows, true);
                check(c, k, d, x, rows, false);
                shapes++;
            }
        }
        assertEquals(17 * 37, shapes);
    }

    private static void check(double[] c, int k, int d, double[] x, int rows, boolean simd) {
        CentroidTable table = CentroidTable.of(c, k, d, simd);
        String where = (table.simd() ? "SIMD" : "portable") + ", D = " + d + ", K = " + k;
        double[] out = new double[table.width()];
        for (int r = 0; r < rows; r++) {
            table.squaredDistances(x, r * d, out);
            for (int j = 0; j < k; j++) {
                double expected = KMeansSeeding.squaredDistance(x, r * d, c, j * d, d);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(out[j]),
                        where + ", row " + r + ", centroid " + j + ": " + expected + " vs " + out[j]);
            }
        }
        // Every starting row and count, so that rows are taken in pairs and alone.
        for (int first = 0; first < rows; first++) {
            int n = rows - first;
            int[] label = new int[n];
            double[] dist = new double[n];
            table.nearest(x, first * d, n, label, dist);
            for (int r = 0; r < n; r++) {
                int best = 0;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double s = KMeansSeeding.squaredDistance(x, (first + r) * d, c, j * d, d);
                    if (s < bestDistance) {
                        bestDistance = s;
                        best = j;
                    }
                }
                assertEquals(best, label[r], where + ", row " + (first + r) + " of " + n);
                assertEquals(Double.doubleToRawLongBits(bestDistance), Double.doubleToRawLongBits(dist[r]), where);
            }
        }
        // Hamerly's scan: the nearest, its distance and a lower bound on the distance to any other centroid (a
        // tie makes the two equal; +∞ for K = 1), against Math.min over the plain loop's distances. The portable
        // loop gives the least of the others exactly; SIMD lanes (by products) a bound below it, but close.
        double[] scratch = new double[table.width()];
        double[] two = new double[2];
        double[] four = new double[4];
        int[] pair = new int[2];
        double largestNorm = 0;
        for (int j = 0; j < k; j++) {
            largestNorm = Math.max(largestNorm, KMeansSeeding.squaredDistance(c, j * d, new double[d], 0, d));
        }
        for (int r = 0; r < rows; r++) {
            int best = table.nearestTwo(x, r * d, scratch, two);
            // Each row paired with the next (the last with the first): the same results as alone, bit for bit.
            int other = (r + 1) % rows;
            table.nearestTwoOfPair(x, r * d, other * d, scratch, four, pair);
            double[] alone = new double[2];
            int otherBest = table.nearestTwo(x, other * d, scratch, alone);
            assertEquals(best, pair[0], where + ", row " + r + " in a pair");
            assertEquals(otherBest, pair[1], where + ", row " + other + " second in a pair");
            assertArrayEquals(new double[] {two[0], two[1], alone[0], alone[1]}, four, where + ", rows " + r + ", "
                    + other + " as a pair");
            double bestDistance = KMeansSeeding.squaredDistance(x, r * d, c, best * d, d);
            double second = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double s = KMeansSeeding.squaredDistance(x, r * d, c, j * d, d);
                if (j < best) {
                    assertEquals(true, s > bestDistance, where + ", row " + r + ": centroid " + j
                            + " at " + s + " is not farther than the nearest, " + best + " at " + bestDistance);
                } else if (j > best) {
                    assertEquals(true, s >= bestDistance, where + ", row " + r + ": centroid " + j + " nearer");
                }
                second = j == best ? second : Math.min(second, s);
            }
            assertEquals(Double.doubleToRawLongBits(bestDistance), Double.doubleToRawLongBits(two[0]), where);
            if (table.simd()) {
                // Below the least of the others, by at most twice the table's bound E = (D + 8)·(2⁻²¹·T + float
                // MIN_NORMAL), T the squared norms about the centroids' mean (at most 6 times those about the
                // origin, computed here).
                double norms = KMeansSeeding.squaredDistance(x, r * d, new double[d], 0, d) + largestNorm;
                double slack = 2 * (d + 8) * (0x1p-21 * 6 * norms + Float.MIN_NORMAL);
                assertEquals(true, two[1] <= second, where + ", row " + r + ": " + two[1] + " above " + second);
                assertEquals(true, two[1] == second || two[1] >= second - slack,
                        where + ", row " + r + ": " + two[1] + " far below " + second);
            } else {
                assertEquals(Double.doubleToRawLongBits(second), Double.doubleToRawLongBits(two[1]),
                        where + ", row " + r + ": second least");
            }
        }
    }

    /**
     * Mode 0: standard normal; 1: integers −2..2 (many ties and duplicates); 2: normal times 2^e, e in
     * −60..60 (sums whose rounding depends on the order and on fusing); 3: ±1e154 or ±1e-154 (squares overflow
     * or underflow); 4: normal around 1e6 (cancellation in the differences).
     */
    private static double[] values(SplittableRandom random, int n, int mode) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double g = gaussian(random);
            v[i] = switch (mode) {
                case 0 -> g;
                case 1 -> random.nextInt(5) - 2;
                case 2 -> Math.scalb(g, random.nextInt(121) - 60);
                case 3 -> (random.nextBoolean() ? 1e154 : 1e-154) * (random.nextBoolean() ? g : -1);
                default -> 1e6 + g;
            };
        }
        return v;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /**
     * A model's predictions, inertia and distances on enough rows for SIMD ({@link KMeansModel#predict} and
     * the others choose by size) are the plain loop's: labels and distances bit for bit, the inertia summed in
     * row order.
     */
    @Test
    void aModelOnManyRowsPredictsAsThePlainLoop() {
        SplittableRandom random = new SplittableRandom(7);
        int k = 17; // enough centroids for a model's SIMD passes, and 15 lanes of padding
        int d = 5;
        int n = (int) (CentroidTable.SIMD_MIN_ROW_CENTROIDS / k) + 3;
        double[][] centroids = new double[k][d];
        for (double[] centroid : centroids) {
            for (int j = 0; j < d; j++) {
                centroid[j] = random.nextInt(3); // few distinct values: duplicates and ties
            }
        }
        double[][] rows = new double[n][d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextInt(2) == 0 ? random.nextInt(3) : 3 * gaussian(random);
            }
        }
        KMeansModel model = KMeansModel.of(centroids);
        Dataset data = Dataset.of(rows);
        assertEquals(BlockKernelsTest.vectorKernelsApply(), CentroidTable.simdForClusters(n, k) && CentroidTable.of(
                new double[k * d], k, d, true).simd());
        int[] expected = new int[n];
        double inertia = 0;
        double[][] distances = new double[n][k];
        for (int i = 0; i < n; i++) {
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = KMeansSeeding.squaredDistance(rows[i], 0, centroids[c], 0, d);
                distances[i][c] = Math.sqrt(s);
                if (s < bestDistance) {
                    bestDistance = s;
                    expected[i] = c;
                }
            }
            inertia += bestDistance;
        }
        assertArrayEquals(expected, model.predict(data));
        assertEquals(Double.doubleToRawLongBits(inertia), Double.doubleToRawLongBits(model.inertia(data)));
        double[][] transformed = model.transform(data);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(distances[i], transformed[i], 0.0, "row " + i);
        }
    }

    /** Whether this run forces the SIMD tables whatever the sizes ({@code -Demkit.kernels=vector}). */
    private static boolean vectorForced() {
        return "vector".equals(System.getProperty("emkit.kernels"));
    }

    /**
     * The candidates' potentials are, bit for bit, the plain loop's sums in row order, for 1 to 20 candidates (one
     * vector of lanes, two, and more), with and without weights, on rows with duplicates and distances of 0; and
     * the trials kept per row and candidate are the plain loop's {@code min(dist, distance)}.
     */
    @Test
    void potentialsAreThePlainLoopsSums() {
        SplittableRandom values = new SplittableRandom(8);
        int n = 997;
        int d = 5;
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = values.nextInt(3) == 0 ? values.nextInt(2) : Math.scalb(values.nextDouble() - 0.5, values.nextInt(7));
        }
        double[] w = new double[n];
        double[] dist = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = values.nextInt(5) == 0 ? 0 : values.nextInt(4) + 0.25;
            dist[i] = values.nextInt(6) == 0 ? 0 : values.nextDouble() * 8;
        }
        for (int m = 1; m <= 20; m++) {
            double[] candidates = new double[m * d];
            for (int c = 0; c < m; c++) {
                System.arraycopy(x, values.nextInt(n) * d, candidates, c * d, d);
            }
            for (double[] weights : new double[][] {null, w}) {
                double[] expected = new double[m];
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < m; c++) {
                        double trial = Math.min(dist[i], KMeansSeeding.squaredDistance(x, i * d, candidates, c * d, d));
                        expected[c] += weights == null ? trial : weights[i] * trial;
                    }
                }
                int width = CentroidTable.candidateWidth(m);
                for (boolean simd : new boolean[] {true, false}) {
                    double[] actual = new double[width];
                    CentroidTable.potentials(x, n, d, candidates, m, dist, weights, simd, actual, null, null);
                    assertArrayEquals(expected, java.util.Arrays.copyOf(actual, m), 0.0,
                            m + " candidates, simd " + simd + ", weighted " + (weights != null));
                    // Kept per row: the distance to the nearest centre with each candidate, bit for bit.
                    double[] trials = new double[n * width];
                    double[] again = new double[width];
                    CentroidTable.potentials(x, n, d, candidates, m, dist, weights, simd, again, trials, null);
                    assertArrayEquals(actual, again, 0.0, "the same sums with the trials kept");
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < m; c++) {
                            double trial = Math.min(dist[i], KMeansSeeding.squaredDistance(x, i * d, candidates, c * d, d));
                            assertEquals(Double.doubleToRawLongBits(trial), Double.doubleToRawLongBits(trials[i * width + c]),
                                    m + " candidates, simd " + simd + ", row " + i + ", candidate " + c);
                        }
                    }
                }
            }
        }
    }

    /**
     * On more rows than one chunk of {@link CentroidTable#POTENTIAL_ROWS}, the potentials are each chunk's sum in row
     * order, the chunks' sums added in order: bit for bit, with SIMD lanes or not, one chunk after the other or on a
     * pool of three threads; values of many magnitudes, so that another order of the additions would round otherwise.
     */
    @Test
    void potentialsOfManyRowsAreTheChunksSumsInOrderForAnyPool() {
        SplittableRandom values = new SplittableRandom(12);
        int n = 2 * CentroidTable.POTENTIAL_ROWS + 1_001;
        int d = 3;
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.scalb(values.nextDouble() - 0.5, values.nextInt(30));
        }
        double[] dist = new double[n];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        int m = 5;
        double[] candidates = new double[m * d];
        for (int c = 0; c < m; c++) {
            System.arraycopy(x, values.nextInt(n) * d, candidates, c * d, d);
        }
        double[] expected = new double[m];
        for (int c = 0; c < m; c++) {
            double chunk = 0;
            for (int i = 0; i < n; i++) {
                chunk += Math.min(dist[i], KMeansSeeding.squaredDistance(x, i * d, candidates, c * d, d));
                if ((i + 1) % CentroidTable.POTENTIAL_ROWS == 0 || i == n - 1) {
                    expected[c] += chunk;
                    chunk = 0;
                }
            }
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (boolean simd : new boolean[] {true, false}) {
                for (java.util.concurrent.ForkJoinPool p : new java.util.concurrent.ForkJoinPool[] {null, pool}) {
                    double[] actual = new double[CentroidTable.candidateWidth(m)];
                    CentroidTable.potentials(x, n, d, candidates, m, dist, null, simd, actual, null, p);
                    assertArrayEquals(expected, java.util.Arrays.copyOf(actual, m), 0.0,
                            "simd " + simd + ", pool " + (p != null));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A cluster's sums, row after row into the same sums, are the portable loop's bit for bit, SIMD table or not:
     * D = 1..35 (below, at and past the lanes, not a multiple of them), weights 1, 0 and others, values from 2⁻⁴⁰ to
     * 2⁴⁰ of both signs, so that the additions round. A fused multiply-add or another order would show here.
     */
    @Test
    void rowSumsAreThePortableLoopsSums() {
        SplittableRandom random = new SplittableRandom(20261205);
        for (int d = 1; d <= 35; d++) {
            int rows = 40;
            double[] x = new double[rows * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.scalb(random.nextDouble() - 0.5, random.nextInt(81) - 40);
            }
            double[] weights = new double[rows];
            for (int i = 0; i < rows; i++) {
                // Every kind of weight into each of the two clusters (rows alternate between them).
                weights[i] = switch (i % 3) {
                    case 0 -> 1.0;
                    case 1 -> 0.0;
                    default -> Math.scalb(random.nextDouble(), random.nextInt(9) - 4);
                };
            }
            // Two clusters' sums side by side: the second cluster's start is not a multiple of the lanes.
            double[] expected = new double[2 * d];
            for (int i = 0; i < rows; i++) {
                int so = (i % 2) * d;
                for (int j = 0; j < d; j++) {
                    expected[so + j] += weights[i] * x[i * d + j];
                }
            }
            for (boolean simd : new boolean[] {true, false}) {
                CentroidTable table = CentroidTable.of(new double[2 * d], 2, d, simd);
                double[] actual = new double[2 * d];
                for (int i = 0; i < rows; i++) {
                    table.addRow(actual, (i % 2) * d, weights[i], x, i * d);
                }
                for (int e = 0; e < 2 * d; e++) {
                    assertEquals(Double.doubleToRawLongBits(expected[e]), Double.doubleToRawLongBits(actual[e]),
                            "D = " + d + ", simd " + simd + ", entry " + e);
                }
            }
        }
    }
}
