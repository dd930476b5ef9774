package io.emkit.init;

import io.emkit.data.Dataset;
import io.emkit.kernels.CentroidTable;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * k-means++ seeding (Arthur and Vassilvitskii, 2007): the start of every {@code KMeans} run and of the
 * Gaussian mixtures' k-means++ initialisation. Each new centre is a row drawn with probability proportional
 * to its squared distance from the nearest centre chosen so far, so duplicates of a chosen row are never
 * drawn again; by default the best of a few such draws (greedy k-means++), measured against every row at once
 * through a {@link CentroidTable} (SIMD lanes across the candidates, the distances bit for bit
 * {@link #squaredDistance}'s). (Lloyd's iterations themselves are {@code KMeansSteps}, on the EM engine.)
 *
 * <p>Rows with weights are drawn with probability proportional to weight × squared distance (the first
 * centre: to weight), as if each row were repeated as many times as its weight says; a row of weight 0 is
 * never drawn.
 */
public final class KMeansSeeding {
    private KMeansSeeding() {
    }

    /**
     * Greedy k-means++ centres, {@code k * d} values: each new centre is the best of {@code 2 + floor(ln k)}
     * candidates drawn by the k-means++ law, the one that lowers the sum of squared distances to the nearest
     * centre most (the variant Arthur and Vassilvitskii suggest and scikit-learn uses). A single candidate per
     * centre, the plain k-means++ law, leaves two centres in one cluster far more often on many clusters: on
     * 100,000 rows of 16 clusters in 16 dimensions the default Gaussian fit from plain seeds ended 179,000
     * nats below the one from greedy seeds, the search otherwise unchanged. Needs at least k distinct rows (of positive weight).
     *
     * @param data the rows to seed from
     * @param k how many centres
     * @param random the stream that draws the rows
     * @return the k centres, row-major (k × d)
     */
    public static double[] seed(Dataset data, int k, SplittableRandom random) {
        return seed(data, k, random, greedyCandidates(k));
    }

    /**
     * How many candidates greedy k-means++ draws for each centre when seeding k of them: {@code 2 + floor(ln k)}.
     *
     * @param k how many centres
     * @return the number of candidates per centre, at least 2
     */
    public static int greedyCandidates(int k) {
        return 2 + (int) Math.floor(Math.log(Math.max(1, k)));
    }

    /**
     * k-means++ centres with the given number of candidates per centre: 1 is the plain k-means++ law (Arthur
     * and Vassilvitskii, 2007); more draw that many rows by the same law and keep the one whose choice leaves
     * the smallest (weighted) sum of squared distances to the nearest centre, the first drawn on a tie.
     *
     * @param data the rows to seed from
     * @param k how many centres
     * @param random the stream that draws the rows
     * @param candidates rows drawn per centre, at least 1
     * @return the k centres, row-major (k × d)
     */
    public static double[] seed(Dataset data, int k, SplittableRandom random, int candidates) {
        return seed(data, k, random, candidates, true);
    }

    /**
     * {@link #seed(Dataset, int, SplittableRandom, int)}, measuring the candidates on the portable loop whatever the
     * sizes when {@code simdAllowed} is false (as a mixture's start does: {@code KMeans.start}); the same centres
     * either way, bit for bit.
     *
     * @param data        the rows to seed from
     * @param k           how many centres
     * @param random      the stream that draws the rows
     * @param candidates  rows drawn per centre, at least 1
     * @param simdAllowed whether the candidates' distances may run in SIMD lanes
     * @return the k centres, row-major (k × d)
     */
    public static double[] seed(Dataset data, int k, SplittableRandom random, int candidates, boolean simdAllowed) {
        return seed(data, k, random, candidates, simdAllowed, 1);
    }

    /**
     * {@link #seed(Dataset, int, SplittableRandom, int, boolean)} with the candidates measured on up to
     * {@code threads} threads at once, a chunk of rows each ({@link CentroidTable#potentials}): the same centres,
     * bit for bit, for any number of threads. Only on rows enough for four chunks or more, where the threads gain
     * more than they cost to wake for each centre: at K = 256, 128,000 × 16 rows (the search's sample of
     * 1,000,000), 0.53–0.69 s a seeding on two threads against 0.63–0.99 on one.
     *
     * @param data        the rows to seed from
     * @param k           how many centres
     * @param random      the stream that draws the rows
     * @param candidates  rows drawn per centre, at least 1
     * @param simdAllowed whether the candidates' distances may run in SIMD lanes
     * @param threads     how many threads may measure the candidates at once
     * @return the k centres, row-major (k × d)
     */
    public static double[] seed(Dataset data, int k, SplittableRandom random, int candidates, boolean simdAllowed,
                                int threads) {
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be at least 1, got " + candidates);
        }
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        double[] centres = new double[k * d];
        int first = w == null ? random.nextInt(n) : draw(w, data.totalWeight(), random);
        System.arraycopy(x, first * d, centres, 0, d);
        double[] dist = new double[n];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        // What a row's chance is proportional to: its squared distance, times its weight if it has one.
        double[] chance = w == null ? dist : new double[n];
        lowerToCentre(x, n, d, centres, 0, dist);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += chanceOf(i, dist, w, chance);
        }
        // The candidates of one centre are drawn before any is measured (the draws depend on the distances to the
        // centres already chosen only), then measured together, every row against all of them at once.
        int[] drawn = new int[candidates];
        double[] drawnRows = new double[candidates * d];
        boolean simd = simdAllowed && CentroidTable.simdFor(n, candidates);
        int width = CentroidTable.candidateWidth(candidates);
        double[] potential = new double[width];
        // Each row's distance to its nearest centre under each candidate, kept from the potentials so that the
        // chosen candidate's distances are not measured again (at K = 256 on 128,000 × 16 rows, lowering the
        // distances took as long as measuring all the candidates): only where that costs at most half the
        // rows' own memory and 32 MB.
        long keep = (long) n * width;
        double[] trials = candidates > 1 && keep <= x.length / 2 && keep <= TRIALS_MAX ? new double[(int) keep] : null;
        double[] points = new double[candidates];
        // Several threads only where the rows make at least four chunks of the potentials' sums: on two (32,000
        // rows, K = 64) waking the pool's threads for each centre cost more than the second thread saved (0.04-0.06 s
        // a seeding against 0.03-0.04 on one thread). The centres are the same either way.
        int chunks = (n + CentroidTable.POTENTIAL_ROWS - 1) / CentroidTable.POTENTIAL_ROWS;
        ForkJoinPool pool = candidates > 1 && threads > 1 && chunks >= 4 ? new ForkJoinPool(Math.min(threads, chunks))
                : null;
        try {
            for (int c = 1; c < k; c++) {
                if (total > 0) {
                    // Some chance is positive, so no draw fails: the candidates are drawn in one pass over the rows.
                    drawSeveral(chance, total, random, points, drawn);
                } else {
                    for (int t = 0; t < candidates; t++) {
                        drawn[t] = w == null ? random.nextInt(n) : draw(w, data.totalWeight(), random);
                    }
                }
                int chosen = drawn[0];
                int chosenAt = 0;
                if (candidates > 1) {
                    // The potential each candidate would leave, Σ w_i min(dist_i, |x_i − candidate|²), summed in
                    // row order (in chunks of rows, CentroidTable.potentials); the least wins, the first drawn on a tie.
                    for (int t = 0; t < candidates; t++) {
                        System.arraycopy(x, drawn[t] * d, drawnRows, t * d, d);
                    }
                    CentroidTable.potentials(x, n, d, drawnRows, candidates, dist, w, simd, potential, trials, pool);
                    double chosenTotal = Double.POSITIVE_INFINITY;
                    for (int t = 0; t < candidates; t++) {
                        if (potential[t] < chosenTotal) {
                            chosen = drawn[t];
                            chosenTotal = potential[t];
                            chosenAt = t;
                        }
                    }
                }
                System.arraycopy(x, chosen * d, centres, c * d, d);
                if (trials != null) {
                    for (int i = 0; i < n; i++) {
                        dist[i] = trials[i * width + chosenAt];
                    }
                } else {
                    lowerToCentre(x, n, d, centres, c * d, dist);
                }
                total = 0;
                for (int i = 0; i < n; i++) {
                    total += chanceOf(i, dist, w, chance);
                }
            }
            return centres;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** The most doubles {@link #seed} keeps for the candidates' distances: 32 MB. */
    private static final long TRIALS_MAX = 4L << 20;

    /**
     * {@code dist[i] = min(dist[i], ‖x_i − centre‖²)} for every row, four rows at a time: four independent sums
     * the processor overlaps (one alone waits on each addition), each in {@link #squaredDistance}'s order, so
     * each distance is its value bit for bit.
     */
    private static void lowerToCentre(double[] x, int n, int d, double[] centres, int co, double[] dist) {
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int o0 = i * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < d; j++) {
                double c = centres[co + j];
                double t0 = x[o0 + j] - c;
                double t1 = x[o1 + j] - c;
                double t2 = x[o2 + j] - c;
                double t3 = x[o3 + j] - c;
                s0 += t0 * t0;
                s1 += t1 * t1;
                s2 += t2 * t2;
                s3 += t3 * t3;
            }
            dist[i] = Math.min(dist[i], s0);
            dist[i + 1] = Math.min(dist[i + 1], s1);
            dist[i + 2] = Math.min(dist[i + 2], s2);
            dist[i + 3] = Math.min(dist[i + 3], s3);
        }
        for (; i < n; i++) {
            dist[i] = Math.min(dist[i], squaredDistance(x, i * d, centres, co, d));
        }
    }

    private static double chanceOf(int i, double[] dist, double[] w, double[] chance) {
        if (w != null) {
            chance[i] = w[i] * dist[i];
        }
        return chance[i];
    }

    /**
     * {@code drawn.length} rows drawn as that many calls of {@link #draw} would draw them, one after the other
     * from the same stream, the same rows bit for bit, but in one pass over {@code p}: the running sum is the
     * same at every row, and a larger point on it is reached at the same row or a later one. (Greedy k-means++
     * draws 2 + ⌊ln K⌋ candidates per centre, each a pass whose every step waits on the last addition: at
     * K = 256 on 128,000 rows, one pass instead of seven took a seeding from 0.70–0.76 s to 0.62–0.65.) Needs
     * some {@code p[i]} positive.
     *
     * @param p      unnormalised probabilities, none negative, some positive
     * @param total  their sum
     * @param random the stream to draw from
     * @param points working space, {@code drawn.length} values
     * @param drawn  receives the rows, in the order of the draws
     */
    static void drawSeveral(double[] p, double total, SplittableRandom random, double[] points, int[] drawn) {
        int m = drawn.length;
        for (int t = 0; t < m; t++) {
            points[t] = random.nextDouble() * total;
        }
        // The draws by increasing point (a few: insertion order), each continuing the scan where the last stopped.
        int[] order = new int[m];
        for (int t = 0; t < m; t++) {
            int u = t;
            while (u > 0 && points[order[u - 1]] > points[t]) {
                order[u] = order[u - 1];
                u--;
            }
            order[u] = t;
        }
        int i = -1;
        double acc = 0;
        for (int t : order) {
            double u = points[t];
            if (i < p.length && (i < 0 || !(acc > u && p[i] > 0))) {
                while (++i < p.length) {
                    acc += p[i];
                    if (acc > u && p[i] > 0) {
                        break;
                    }
                }
            }
            if (i < p.length) {
                drawn[t] = i;
            } else {
                // Rounding left this point past the last increment (and every later one): the last row with a
                // chance, as draw takes.
                int last = p.length - 1;
                while (last >= 0 && !(p[last] > 0)) {
                    last--;
                }
                drawn[t] = last;
            }
        }
    }

    /**
     * A row drawn with probability {@code p[i] / total}: never one with {@code p[i] = 0}.
     *
     * @param p      unnormalised probabilities, one per candidate
     * @param total  their sum
     * @param random the stream to draw from
     * @return the row, or -1 if no {@code p[i]} is positive
     */
    public static int draw(double[] p, double total, SplittableRandom random) {
        double u = random.nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (acc > u && p[i] > 0) {
                return i;
            }
        }
        // Rounding left u past the last increment: take the last row with a chance.
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] > 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The squared Euclidean distance between two rows of row-major arrays: the k-means centroid table's loop
     * ({@link CentroidTable#squaredDistance}), so that the seeding's, the assignment's and the table's distances
     * are one computation, bit for bit.
     *
     * @param x  the first array
     * @param xo where the first row starts
     * @param y  the second array
     * @param yo where the second row starts
     * @param d  the number of features
     * @return the squared distance
     */
    public static double squaredDistance(double[] x, int xo, double[] y, int yo, int d) {
        return CentroidTable.squaredDistance(x, xo, y, yo, d);
    }

    /**
     * K rows with pairwise different values, drawn without replacement by a partial Fisher–Yates shuffle;
     * rows with weights are drawn with probability proportional to their weight instead.
     *
     * @param data   the rows (at least k distinct ones, of positive weight)
     * @param k      how many
     * @param random the stream that draws them
     * @return the k rows, row-major (k × d)
     */
    public static double[] distinctRandomRows(Dataset data, int k, SplittableRandom random) {
        if (data.isWeighted()) {
            return distinctWeightedRows(data, k, random);
        }
        int n = data.rows();
        int d = data.columns();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] out = new double[k * d];
        int found = 0;
        for (int i = 0; i < n && found < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            double[] row = data.row(order[i]);
            boolean duplicate = false;
            for (int c = 0; c < found && !duplicate; c++) {
                duplicate = true;
                for (int f = 0; f < d && duplicate; f++) {
                    duplicate = row[f] == out[c * d + f]; // numeric equality: 0.0 == -0.0
                }
            }
            if (!duplicate) {
                System.arraycopy(row, 0, out, found * d, d);
                found++;
            }
        }
        return out;
    }

    /**
     * K rows with pairwise different values, each drawn with probability proportional to its weight among
     * the rows whose values were not drawn yet: the draw of K distinct rows from the data with every row
     * repeated as many times as its weight says.
     */
    private static double[] distinctWeightedRows(Dataset data, int k, SplittableRandom random) {
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        double[] left = data.rawWeights().clone();
        double[] out = new double[k * d];
        for (int found = 0; found < k; found++) {
            double total = 0;
            for (double w : left) {
                total += w;
            }
            int chosen = draw(left, total, random);
            System.arraycopy(x, chosen * d, out, found * d, d);
            for (int i = 0; i < n; i++) {
                boolean same = left[i] > 0;
                for (int f = 0; f < d && same; f++) {
                    same = x[i * d + f] == out[found * d + f]; // numeric equality: 0.0 == -0.0
                }
                if (same) {
                    left[i] = 0;
                }
            }
        }
        return out;
    }
}
