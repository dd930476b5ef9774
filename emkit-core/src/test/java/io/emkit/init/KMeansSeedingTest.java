package io.emkit.init;

import io.emkit.data.Dataset;
import io.emkit.kernels.CentroidTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Greedy k-means++ measures a centre's candidates together (SIMD lanes across them on enough rows); its centres
 * are bit for bit those of greedy k-means++ written out plainly below, one candidate after the other: the same
 * draws from the same stream (by the library's {@link KMeansSeeding#draw}), the same potentials summed in row order, the first least one kept. On rows with
 * many duplicates (ties between candidates' potentials) and with weights (some 0).
 */
class KMeansSeedingTest {
    @Test
    void greedySeedsAreThoseOfThePlainOneCandidateAtATimeLoop() {
        // 3 columns, and 16, where the seeding keeps each row's distance under each candidate instead of measuring
        // the chosen one's again (its rows at least twice the candidates' lanes).
        for (int d : new int[] {3, 16}) {
            int n = 20_000;
            SplittableRandom values = new SplittableRandom(11);
            double[] x = new double[n * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = values.nextInt(4) == 0 ? values.nextInt(3) : Math.scalb(values.nextDouble() - 0.5, values.nextInt(9));
            }
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = values.nextInt(5) == 0 ? 0 : values.nextInt(4) + 0.5;
            }
            List<String> names = java.util.stream.IntStream.range(0, d).mapToObj(j -> "c" + j).toList();
            Dataset unweighted = Dataset.wrap(x, n, d, names);
            Dataset weighted = unweighted.withWeights(w);
            for (int k : new int[] {1, 2, 9, 23}) {
                int candidates = KMeansSeeding.greedyCandidates(k);
                assertTrue(k == 1 || CentroidTable.simdFor(n, candidates), "enough rows for SIMD");
                for (Dataset data : new Dataset[] {unweighted, weighted}) {
                    for (long seed = 1; seed <= 3; seed++) {
                        double[] expected = plainGreedy(data, k, new SplittableRandom(seed), candidates);
                        double[] actual = KMeansSeeding.seed(data, k, new SplittableRandom(seed));
                        assertArrayEquals(expected, actual, 0.0, "d = " + d + ", k = " + k + ", seed " + seed
                                + ", weighted " + data.isWeighted());
                    }
                }
            }
            assertEquals(n, unweighted.rows());
        }
    }

    /**
     * On rows enough for the candidates to be measured on several threads (four chunks of rows and more), the centres
     * are those of one thread, bit for bit, with weights or without, through SIMD lanes or the portable loop.
     */
    @Test
    void seedsAreTheSameOnOneThreadOrThree() {
        int n = 4 * CentroidTable.POTENTIAL_ROWS + 7;
        int d = 2;
        SplittableRandom values = new SplittableRandom(13);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.scalb(values.nextDouble() - 0.5, values.nextInt(20));
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = values.nextInt(4) + 0.5;
        }
        Dataset unweighted = Dataset.wrap(x, n, d, List.of("a", "b"));
        for (Dataset data : new Dataset[] {unweighted, unweighted.withWeights(w)}) {
            for (boolean simd : new boolean[] {true, false}) {
                double[] one = KMeansSeeding.seed(data, 9, new SplittableRandom(4), 4, simd, 1);
                double[] three = KMeansSeeding.seed(data, 9, new SplittableRandom(4), 4, simd, 3);
                assertArrayEquals(one, three, 0.0, "simd " + simd + ", weighted " + data.isWeighted());
            }
        }
    }

    /**
     * The candidates drawn in one pass are those of as many single draws from the same stream, on chances with
     * zeros (never drawn), runs of equal values, a single positive one, and totals larger than the sum (the
     * points that rounding would leave past the last increment: the last row with a chance).
     */
    @Test
    void drawingSeveralInOnePassDrawsWhatSingleDrawsDraw() {
        SplittableRandom values = new SplittableRandom(5);
        int checked = 0;
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + values.nextInt(trial < 200 ? 12 : 3000);
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                int kind = values.nextInt(4);
                p[i] = kind == 0 ? 0 : kind == 1 ? 1.0 : values.nextDouble();
            }
            if (trial % 7 == 0) {
                java.util.Arrays.fill(p, 0);
            }
            p[values.nextInt(n)] = 0.25 + values.nextDouble(); // some chance is positive
            double total = 0;
            for (double v : p) {
                total += v;
            }
            if (trial % 5 == 0) {
                total *= 1.5; // past the sum: many points fall beyond the last increment
            }
            int m = 1 + values.nextInt(8);
            long seed = values.nextLong();
            SplittableRandom one = new SplittableRandom(seed);
            int[] expected = new int[m];
            for (int t = 0; t < m; t++) {
                expected[t] = KMeansSeeding.draw(p, total, one);
            }
            SplittableRandom several = new SplittableRandom(seed);
            int[] actual = new int[m];
            KMeansSeeding.drawSeveral(p, total, several, new double[m], actual);
            assertArrayEquals(expected, actual, "trial " + trial);
            assertEquals(one.nextLong(), several.nextLong(), "the same draws taken from the stream");
            for (int row : actual) {
                assertTrue(p[row] > 0, "a row with a chance");
            }
            checked += m;
        }
        assertTrue(checked > 400);
    }

    /** Greedy k-means++ one candidate after the other, each measured against every row by the plain loop. */
    private static double[] plainGreedy(Dataset data, int k, SplittableRandom random, int candidates) {
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        double[] centres = new double[k * d];
        int first = w == null ? random.nextInt(n) : KMeansSeeding.draw(w, data.totalWeight(), random);
        System.arraycopy(x, first * d, centres, 0, d);
        double[] dist = new double[n];
        for (int i = 0; i < n; i++) {
            dist[i] = KMeansSeeding.squaredDistance(x, i * d, centres, 0, d);
        }
        for (int c = 1; c < k; c++) {
            double[] chance = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                chance[i] = w == null ? dist[i] : w[i] * dist[i];
                total += chance[i];
            }
            int chosen = -1;
            double chosenTotal = Double.POSITIVE_INFINITY;
            double[] kept = null;
            for (int t = 0; t < candidates; t++) {
                int candidate = total > 0 ? KMeansSeeding.draw(chance, total, random) : -1;
                if (candidate < 0) {
                    candidate = w == null ? random.nextInt(n) : KMeansSeeding.draw(w, data.totalWeight(), random);
                }
                double[] trial = new double[n];
                // Summed in row order within chunks of rows, the chunks' sums added in order.
                double potential = 0;
                double chunk = 0;
                for (int i = 0; i < n; i++) {
                    trial[i] = Math.min(dist[i], KMeansSeeding.squaredDistance(x, i * d, x, candidate * d, d));
                    chunk += w == null ? trial[i] : w[i] * trial[i];
                    if ((i + 1) % CentroidTable.POTENTIAL_ROWS == 0 || i == n - 1) {
                        potential += chunk;
                        chunk = 0;
                    }
                }
                if (potential < chosenTotal) {
                    chosen = candidate;
                    chosenTotal = potential;
                    kept = trial;
                }
            }
            System.arraycopy(x, chosen * d, centres, c * d, d);
            dist = kept;
        }
        return centres;
    }
}
