package io.emkit.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * K centroids laid out for the distances of k-means: from a row to every centroid, and the nearest one. Each
 * distance is, bit for bit, that of the plain loop {@code s = 0; for j: t = x_j − c_j; s += t·t}
 * ({@link #squaredDistance}, which k-means measures with too), whether the table runs the portable loop or SIMD
 * lanes across the centroids (see {@link #simd}); the nearest centroid is the first of the least distance, as a
 * scan from centroid 0 upward keeping only strictly smaller distances finds it. So k-means' results do not depend
 * on which runs. Immutable; safe to share between threads.
 */
public final class CentroidTable {
    /** The centroids' count is padded to a multiple of this for the SIMD lanes: four vectors of four doubles. */
    static final int PAD = 16;

    /**
     * Below this many (row, centroid) pairs per pass a table runs the portable loop even where SIMD is
     * available: as for the Gaussian kernels ({@link BlockKernels#SIMD_MIN_ROW_COMPONENTS}), the Vector API
     * is slow until the JIT has compiled it, which a small fit never waits for.
     */
    public static final long SIMD_MIN_ROW_CENTROIDS = BlockKernels.SIMD_MIN_ROW_COMPONENTS;

    /** The SIMD kernels, or {@code null} where this JVM cannot run them or {@code -Demkit.kernels=scalar}. */
    private static final CentroidKernels VECTOR = loadVector();

    private final double[] centroids;
    private final int k;
    private final int d;
    /** The centroids transposed, {@code d × kp}, padding +∞; {@code null} for the portable loop. */
    private final double[] transposed;
    private final int kp;
    /**
     * For {@link #nearestTwo} by products (SIMD only): the centroids' mean; the centroids less it, times −2, in
     * float, transposed ({@code d × kp}, padding 0); their squared norms in float ({@code kp}, padding +∞); and the
     * largest of those (in double).
     */
    private final double[] centre;
    private final float[] products;
    private final float[] norms;
    private final double largestNorm;

    private CentroidTable(double[] centroids, int k, int d, boolean simd) {
        this.centroids = centroids;
        this.k = k;
        this.d = d;
        if (simd && VECTOR != null) {
            this.kp = (k + PAD - 1) / PAD * PAD;
            this.transposed = transpose(centroids, k, d, kp);
            this.centre = new double[d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    centre[j] += centroids[c * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                centre[j] /= k;
            }
            this.products = new float[d * kp];
            this.norms = new float[kp];
            java.util.Arrays.fill(norms, Float.POSITIVE_INFINITY);
            double largest = 0;
            for (int c = 0; c < k; c++) {
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    double t = centroids[c * d + j] - centre[j];
                    products[j * kp + c] = (float) (-2 * t);
                    norm += t * t;
                }
                norms[c] = (float) norm;
                largest = Math.max(largest, norm);
            }
            this.largestNorm = largest;
        } else {
            this.kp = k;
            this.transposed = null;
            this.centre = null;
            this.products = null;
            this.norms = null;
            this.largestNorm = 0;
        }
    }

    /**
     * {@code k} rows of {@code d} values laid out for the SIMD lanes: {@code d × kp}, feature after feature, the
     * padding +∞ (a padding centroid is never nearest, and never nearer than a row's nearest centre so far).
     */
    private static double[] transpose(double[] rows, int k, int d, int kp) {
        double[] out = new double[d * kp];
        java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                out[j * kp + c] = rows[c * d + j];
            }
        }
        return out;
    }

    /**
     * A table over {@code centroids}, which it keeps without copying: the caller must not change them.
     *
     * @param centroids K centroids of D finite values, row-major
     * @param k         K
     * @param d         D
     * @param simd      whether to use SIMD lanes where this JVM can (else the portable loop)
     * @return the table
     */
    public static CentroidTable of(double[] centroids, int k, int d, boolean simd) {
        return new CentroidTable(centroids, k, d, simd);
    }

    /**
     * Whether a pass over {@code rows} rows against {@code k} centroids should use SIMD lanes: from
     * {@link #SIMD_MIN_ROW_CENTROIDS} pairs on (or always under {@code -Demkit.kernels=vector}). A function of
     * the sizes only.
     *
     * @param rows the rows of a pass
     * @param k    K
     * @return whether to ask {@link #of} for SIMD
     */
    public static boolean simdFor(long rows, int k) {
        return (double) rows * k >= SIMD_MIN_ROW_CENTROIDS || vectorForced();
    }

    /**
     * Whether a k-means assignment pass over {@code rows} rows against a model's {@code k} centroids should use
     * SIMD lanes: as {@link #simdFor}, and only from {@value #PAD} centroids on (or always under
     * {@code -Demkit.kernels=vector}). The lanes run across the centroids, padded to a multiple of {@value #PAD},
     * so with fewer most lanes measure padding, while the Vector API still costs its compilation. Measured on
     * the project's 2-core AVX-512 machine, whole default {@code emkit kmeans} processes, the same inertia either
     * way, every scan on the portable loop against every scan in SIMD lanes: 0.87–0.97 s against 1.06–1.13 at
     * 400k rows × 2 columns, K = 4; 1.21–1.27 against 1.48–1.54 at 100k × 16, K = 4; 0.66–0.70 against 0.77–0.88
     * at 5,000 × 8, K = 12; alike at 20,000 × 4, K = 12, and 100k × 16, K = 8 and 12. From K = 16 on, SIMD lanes
     * ahead or alike: 100k × 16, K = 16, 2.00 against 2.13–2.18; 200k × 16, K = 64, 4.17–4.23 against 6.17–6.19;
     * 400k × 2, K = 64, 5.11–5.25 against 6.02–6.09; alike at 400k × 2, K = 16 and 32 (1.50–1.56 against
     * 1.47–1.49; 2.50–2.58 against 2.47–2.52). This rule against the one before it (k-means++'s candidates
     * unchanged):
     * 0.82–0.91 s against 1.09–1.22 at 400k × 2, K = 4; a default Gaussian fit of the same data 1.93–1.97 against
     * 1.99–2.12. A function of the sizes only; either way the distances and nearest centroids are the same bit
     * for bit.
     *
     * @param rows the rows of a pass
     * @param k    K
     * @return whether to ask {@link #of} for SIMD
     */
    public static boolean simdForClusters(long rows, int k) {
        return k >= PAD && simdFor(rows, k) || vectorForced();
    }

    /** Whether {@code -Demkit.kernels=vector} asks for the SIMD lanes whatever the sizes. */
    private static boolean vectorForced() {
        return "vector".equals(System.getProperty("emkit.kernels"));
    }

    /** @return whether this table runs SIMD lanes (else the portable loop) */
    public boolean simd() {
        return transposed != null;
    }

    /**
     * @return how many values {@link #squaredDistances}' output and the scratch of {@link #nearestTwo} and
     *         {@link #nearestTwoOfPair} must hold: K, or K padded for the SIMD lanes and two rows of D
     */
    public int width() {
        return transposed == null ? k : kp + 2 * d;
    }

    /**
     * The squared distance from one row to every centroid.
     *
     * @param x   the rows, row-major
     * @param xo  where the row starts
     * @param out receives the distance to centroid {@code c} in {@code out[c]}, {@code c < K}; holds at least
     *            {@link #width()} values (those from K on are overwritten)
     */
    public void squaredDistances(double[] x, int xo, double[] out) {
        if (transposed != null) {
            VECTOR.squaredDistances(x, xo, transposed, d, kp, out);
            return;
        }
        for (int c = 0; c < k; c++) {
            out[c] = squaredDistance(x, xo, centroids, c * d, d);
        }
    }

    /**
     * Adds row {@code x[xo .. xo + D)}, times {@code weight}, to a cluster's sums {@code sum[so .. so + D)}, as the
     * portable loop {@code sum[so + j] += weight * x[xo + j]} does, bit for bit (a weight of 1 multiplies nothing):
     * in SIMD lanes where this table's scans run in them. k-means' M-step statistics; at (200,000 × 16, K = 64)
     * the portable loop took a seventh of a warm Hamerly fit's time.
     *
     * @param sum    the clusters' sums, row-major, D each
     * @param so     where the cluster's sums start
     * @param weight the row's weight (1 without weights)
     * @param x      the rows, row-major, D values each
     * @param xo     where the row starts
     */
    public void addRow(double[] sum, int so, double weight, double[] x, int xo) {
        if (transposed != null && d >= VECTOR.lanes()) {
            VECTOR.addRow(sum, so, weight, x, xo, d);
            return;
        }
        if (weight == 1) {
            for (int j = 0; j < d; j++) {
                sum[so + j] += x[xo + j];
            }
        } else {
            for (int j = 0; j < d; j++) {
                sum[so + j] += weight * x[xo + j];
            }
        }
    }

    /**
     * The nearest centroid of each of {@code rows} consecutive rows: the lowest index among those at the least
     * squared distance.
     *
     * @param x     the rows, row-major, D values each
     * @param xo    where the first row starts
     * @param rows  how many rows
     * @param label receives each row's nearest centroid, from index 0
     * @param dist  receives each row's squared distance to it, from index 0
     */
    public void nearest(double[] x, int xo, int rows, int[] label, double[] dist) {
        if (transposed != null) {
            VECTOR.nearest(x, xo, rows, transposed, d, kp, label, dist);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int ro = xo + r * d;
            int best = 0;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = squaredDistance(x, ro, centroids, c * d, d);
                if (s < bestDist) {
                    bestDist = s;
                    best = c;
                }
            }
            label[r] = best;
            dist[r] = bestDist;
        }
    }

    /**
     * The nearest centroid to one row (the lowest index among those at the least squared distance), with that
     * distance in {@code two[0]} and in {@code two[1]} a lower bound on the squared distance to any other centroid
     * (+∞ for K = 1): what a full scan of Hamerly's k-means keeps. The nearest centroid and its distance are, bit
     * for bit, those of {@link #squaredDistances}; the bound is the least of the others' distances where the
     * portable loop runs or the nearest is a near tie, else below it by at most about {@code (D + 8)·2⁻²⁰} of
     * the row's and the centroids' squared norms about their mean.
     *
     * @param x       the rows, row-major, D values each
     * @param xo      where the row starts
     * @param scratch at least {@link #width()} values, overwritten
     * @param two     receives the two least distances
     * @return the nearest centroid
     */
    public int nearestTwo(double[] x, int xo, double[] scratch, double[] two) {
        if (transposed == null) {
            return exactNearestTwo(x, xo, scratch, two, 0);
        }
        // One row is a pair of itself: the SIMD lanes' kernel takes two.
        double[] four = new double[4];
        int[] best = new int[2];
        nearestTwoOfPair(x, xo, xo, scratch, four, best);
        two[0] = four[0];
        two[1] = four[1];
        return best[0];
    }

    /**
     * {@link #nearestTwo} for two rows, the same results bit for bit: where SIMD lanes run, both rows share each
     * load of the centroids.
     *
     * @param x       the rows, row-major, D values each
     * @param xo      where the first row starts
     * @param yo      where the second row starts
     * @param scratch at least {@link #width()} values, overwritten
     * @param two     receives the first row's two least distances (as {@link #nearestTwo}'s), then the second's
     * @param best    receives the first row's nearest centroid, then the second's
     */
    public void nearestTwoOfPair(double[] x, int xo, int yo, double[] scratch, double[] two, int[] best) {
        boolean first = false;
        boolean second = false;
        if (transposed != null) {
            double nx = centred(x, xo, scratch, kp);
            double ny = centred(x, yo, scratch, kp + d);
            if (productsApply(nx) && productsApply(ny)) {
                VECTOR.nearestTwoByProductsOfPair(scratch, kp, products, norms, d, kp, two, best);
                first = settledByProducts(x, xo, best[0], nx, two, 0);
                second = settledByProducts(x, yo, best[1], ny, two, 2);
            }
        }
        if (!first) {
            best[0] = exactNearestTwo(x, xo, scratch, two, 0);
        }
        if (!second) {
            best[1] = exactNearestTwo(x, yo, scratch, two, 2);
        }
    }

    /**
     * The nearest centroid and the least distance to the others, as {@link #nearestTwo} gives them, from the
     * plain loop's distances (in SIMD lanes or not), into {@code two[at]} and {@code two[at + 1]}.
     */
    private int exactNearestTwo(double[] x, int xo, double[] scratch, double[] two, int at) {
        double[] into = at == 0 ? two : new double[2];
        int best = transposed != null ? VECTOR.nearestTwo(x, xo, transposed, d, kp, scratch, into)
                : plainNearestTwo(x, xo, scratch, into);
        two[at] = into[0];
        two[at + 1] = into[1];
        return best;
    }

    private int plainNearestTwo(double[] x, int xo, double[] scratch, double[] two) {
        squaredDistances(x, xo, scratch);
        // One pass of plain comparisons: a second pass through Math.min chained every step on the last (its NaN
        // and −0.0 rules, moot for sums of squares) and took longer than the distances themselves at K = 64. (The
        // SIMD lanes keep their least two as the distances come instead: a separate pass of lanes over the
        // distances was no faster than this one.)
        int best = 0;
        double least = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = scratch[c];
            if (s < least) {
                second = least;
                least = s;
                best = c;
            } else if (s < second) {
                second = s;
            }
        }
        two[0] = least;
        two[1] = second;
        return best;
    }

    /**
     * The row less the centroids' mean into {@code scratch[at .. at + d)}.
     *
     * @return its squared norm
     */
    private double centred(double[] x, int xo, double[] scratch, int at) {
        double nx = 0;
        for (int j = 0; j < d; j++) {
            double t = x[xo + j] - centre[j];
            scratch[at + j] = t;
            nx += t * t;
        }
        return nx;
    }

    /** Whether the products' values stay finite for a row of centred squared norm {@code nx} (see below). */
    private boolean productsApply(double nx) {
        return nx + largestNorm < PRODUCTS_LIMIT;
    }

    /**
     * Below this, ‖x‖² + max ‖c‖² keeps every value, partial sum and product of the products' float chains
     * finite (each at most twice that).
     */
    private static final double PRODUCTS_LIMIT = Float.MAX_VALUE / 8;

    /**
     * Whether the products' least value {@code two[at]} and the least of the others {@code two[at + 1]}, for a
     * row of centred squared norm {@code nx}, settle the row's nearest centroid {@code best}; if so, they are
     * replaced by its distance as the portable loop measures it and a lower bound on the others'.
     *
     * <p>Why (the bound E): the values are {@code v_c = ‖c‖² − 2·x·c} on the row and centroids centred on the
     * centroids' mean (which keeps the norms near the distances), in float lanes with fused multiply-adds: a
     * sixth of the vector arithmetic of the differences' squares in double. With T = ‖x‖² + max ‖c‖², rounding
     * the row, the centroids and the norms to float, each link of the chains, and the plain loop's own distance
     * {@code p_c} (in double) add up to less than (2D + 5) float roundoffs (2⁻²⁴) of T, so
     * {@code |v_c + ‖x‖² − p_c| ≤ E = (D + 8)·2⁻²¹·T} (8 (D + 8) roundoffs: five times as many at D = 16), plus
     * the float MIN_NORMAL times D + 8 for underflow. Where the others' least value exceeds the least by more
     * than 2E, every other centroid has {@code p_c ≥ v_c + ‖x‖² − E > v_best + ‖x‖² + E ≥ p_best}: the least
     * value's centroid is the plain loop's nearest and no other ties it, and the others' distances are at least
     * their least value plus {@code ‖x‖²} less E. Else (a near tie: the values' gap within 2E, about
     * 10⁻⁶ (D + 8) of T) the plain loop's distances decide.
     */
    private boolean settledByProducts(double[] x, int xo, int best, double nx, double[] two, int at) {
        double error = (d + 8) * (0x1p-21 * (nx + largestNorm) + Float.MIN_NORMAL);
        if (!(two[at + 1] > two[at] + 2 * error)) {
            return false;
        }
        two[at] = squaredDistance(x, xo, centroids, best * d, d);
        two[at + 1] = Math.max(0, two[at + 1] + nx - error);
        return true;
    }

    /**
     * Greedy k-means++'s measure of {@code m} candidate centres: {@code potential[c] = Σ_i w_i · min(dist_i,
     * ‖x_i − candidate_c‖²)}, the sum of squared distances to the nearest centre the rows would have with that
     * candidate added ({@code w_i = 1} without weights), each distance the portable loop's. The rows are summed in
     * chunks of {@link #POTENTIAL_ROWS}, each in row order, and the chunks' sums added in chunk order, so the sums
     * are the same bit for bit whether SIMD lanes run or not and for any pool (on data of one chunk, simply in row
     * order). With SIMD the lanes run across the candidates, padded only to one vector's width (not {@link #PAD}),
     * and keep their sums in registers across the rows: at K = 256 (seven candidates per centre), 128,000 rows × 16
     * columns, one seeding took 0.67 s (0.89 before one vector's rows were taken four at a time) against 1.55 when
     * each row's distances went through {@link #squaredDistances} and a scalar loop summed them.
     *
     * @param x          the rows, row-major, D values each
     * @param n          how many rows
     * @param d          D
     * @param candidates the candidates, {@code m × d} row-major
     * @param m          how many candidates
     * @param dist       each row's squared distance to its nearest centre so far
     * @param w          the rows' weights, or {@code null}
     * @param simd       whether to use SIMD lanes where this JVM can ({@link #simdFor})
     * @param potential  receives the {@code m} sums; holds at least {@link #candidateWidth} values
     * @param trials     {@code null}, or receives each row's {@code min(dist_i, ‖x_i − candidate_c‖²)} at
     *                   {@code i · candidateWidth(m) + c}: the row's distance to its nearest centre once
     *                   candidate c is chosen, so that the chosen one's need not be measured again; holds at
     *                   least {@code n · candidateWidth(m)} values
     * @param pool       where the chunks are summed several at once, or {@code null} for one after the other on
     *                   the caller's thread
     */
    public static void potentials(double[] x, int n, int d, double[] candidates, int m, double[] dist, double[] w,
                                  boolean simd, double[] potential, double[] trials, ForkJoinPool pool) {
        int kp = candidateWidth(m);
        double[] ct = simd && VECTOR != null ? transpose(candidates, m, d, kp) : null;
        int chunks = Math.max(1, (n + POTENTIAL_ROWS - 1) / POTENTIAL_ROWS);
        if (chunks == 1) {
            chunkPotentials(x, 0, n, d, candidates, ct, m, kp, dist, w, potential, trials);
            return;
        }
        double[][] partial = new double[chunks][kp];
        IntConsumer chunk = t -> chunkPotentials(x, t * POTENTIAL_ROWS, Math.min(n, (t + 1) * POTENTIAL_ROWS), d,
                candidates, ct, m, kp, dist, w, partial[t], trials);
        if (pool == null) {
            for (int t = 0; t < chunks; t++) {
                chunk.accept(t);
            }
        } else {
            pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(chunk)).join();
        }
        int width = ct == null ? m : kp;
        for (int c = 0; c < width; c++) {
            double sum = partial[0][c];
            for (int t = 1; t < chunks; t++) {
                sum += partial[t][c];
            }
            potential[c] = sum;
        }
    }

    /**
     * The rows a chunk of {@link #potentials} sums on its own: a constant, so that the sums do not depend on the
     * threads; a seeding on fewer rows (all of the search grids' data but one) sums as it did in one pass.
     */
    public static final int POTENTIAL_ROWS = 16_384;

    /** {@link #potentials} of rows {@code [from, to)} into {@code out}, in row order. */
    private static void chunkPotentials(double[] x, int from, int to, int d, double[] candidates, double[] ct, int m,
                                        int kp, double[] dist, double[] w, double[] out, double[] trials) {
        if (ct != null) {
            VECTOR.potentials(x, from, to, ct, d, kp, dist, w, out, trials);
            return;
        }
        java.util.Arrays.fill(out, 0, m, 0.0);
        for (int i = from; i < to; i++) {
            for (int c = 0; c < m; c++) {
                double trial = Math.min(dist[i], squaredDistance(x, i * d, candidates, c * d, d));
                if (trials != null) {
                    trials[i * kp + c] = trial;
                }
                out[c] += w == null ? trial : w[i] * trial;
            }
        }
    }

    /**
     * @param m how many candidates
     * @return how many values {@link #potentials}' output must hold: m, or m padded to a vector's width
     */
    public static int candidateWidth(int m) {
        int lanes = VECTOR == null ? 1 : VECTOR.lanes();
        return (m + lanes - 1) / lanes * lanes;
    }

    /**
     * The squared Euclidean distance between two rows of row-major arrays, by the portable loop: the order of
     * operations every SIMD lane repeats. k-means' seeding and assignment measure with this one loop too
     * ({@code KMeansSeeding.squaredDistance}), so that their distances and the table's agree bit for bit.
     *
     * @param x  the first array
     * @param xo where the first row starts
     * @param y  the second array
     * @param yo where the second row starts
     * @param d  the number of features
     * @return the squared distance
     */
    public static double squaredDistance(double[] x, int xo, double[] y, int yo, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double t = x[xo + j] - y[yo + j];
            s += t * t;
        }
        return s;
    }

    /**
     * The name of the kernels tables made with {@code simd} run: {@code "vector"} or {@code "scalar"}.
     *
     * @return the name
     */
    public static String kernels() {
        return VECTOR == null ? "scalar" : "vector";
    }

    private static CentroidKernels loadVector() {
        if ("scalar".equals(System.getProperty("emkit.kernels"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            // Loaded by name: this class must load on JVMs without the incubating module.
            return (CentroidKernels) Class.forName("io.emkit.kernels.VectorCentroidKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null; // vectors narrower than 256 bits: the portable loop
        }
    }
}
