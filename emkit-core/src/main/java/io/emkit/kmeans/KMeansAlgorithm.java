package io.emkit.kmeans;

import io.emkit.EmkitException;
import io.emkit.Labelled;
import io.emkit.kernels.CentroidTable;

/**
 * How each k-means iteration finds every row's nearest centroid. All are exact: from the same centroids they
 * give the same assignments, the same centroids and the same inertia as Lloyd's algorithm, bit for bit, at
 * every iteration (ties to the lower index, as Lloyd's). The accelerated ones keep, per row, bounds on its
 * distances to the centroids, and skip a distance whenever the triangle inequality proves that centroid
 * cannot be the nearest; they compute a distance again only where a bound leaves room for doubt, so a
 * skipped distance is never one that could have tied or won.
 *
 * <p>The bounds are kept conservative under rounding: an upper bound is rounded up, a lower bound down, and
 * a centroid is ruled out only when its lower bound beats the assigned distance by more than the relative
 * rounding error of a computed squared distance. Each iteration still computes every row's distance to its
 * own centroid, which the inertia (the objective the convergence test watches) needs exactly.
 */
public enum KMeansAlgorithm implements Labelled {
    /**
     * Where the distances run in SIMD lanes ({@link CentroidTable#simdForClusters}: the JVM has the Vector API,
     * the fit is large enough and has at least 16 clusters), Hamerly's. Otherwise Elkan's from
     * {@value #ELKAN_FROM_CLUSTERS} clusters in
     * {@value #ELKAN_FROM_DIMENSION} or more dimensions while its bounds fit in {@link #ELKAN_MAX_BOUNDS};
     * Hamerly's otherwise (Lloyd's for K = 1).
     *
     * <p>Why Hamerly's with SIMD (BENCHMARKS.md, k-means; whole processes, default options, the same inertia
     * and iterations for every algorithm, 2-core Intel Xeon with AVX-512, 2026-12-03): a full scan of all
     * centroids costs 2–4 ns per 16-term distance in SIMD lanes, so Elkan's K bounds per row no longer pay
     * for their bookkeeping, while Hamerly's single bound still spares most distances once the centroids move
     * little, as they do over the long tail of iterations the default tolerance asks for (at (200,000 × 16,
     * K = 64) 748 million distances against Lloyd's 2,807 million). There Hamerly's took 4.5–4.7 s wall
     * (7.6–8.0 CPU-s), Lloyd's 5.7 (9.9–10.0), Elkan's 7.2–7.3
     * (12.7–12.8); at (1,000,000 × 16, K = 256, 290 iterations) Hamerly's 82 s (157 CPU-s), Lloyd's 113
     * (217); at (100,000 × 16, K = 16) Hamerly's 2.4–2.6 s, Lloyd's 2.3–2.4, Elkan's 2.8–2.9. (On the
     * 2-core AMD host before it, over 30 iterations, Lloyd's had been 15% ahead of Hamerly's at
     * (200,000 × 16, K = 64): Hamerly's stayed within about 15% of the best in every case measured on either host.)
     *
     * <p>Without SIMD (measured before it, one distance at a time): on
     * Gaussian clusters (BENCHMARKS.md, k-means): at D = 16 Elkan's computed 5.7× fewer distances than
     * Lloyd's at K = 16 and 7.8× at K = 64, Hamerly's only 2× and 1.6×; at D = 2, K = 16, Elkan's computed half
     * Hamerly's distances but took 2.5× its time, its K bounds per row costing more than 2-term distances.
     * {@link #YINYANG} is never chosen: on the same clusters (D = 16, overlapping) its group bounds pruned far
     * less than Elkan's per-centroid bounds, and its bookkeeping cost more than the distances it saved: at
     * 200,000 rows, K = 64, it computed 4.4× Elkan's distances and took 1.3× Hamerly's CPU time; at
     * (1,000,000, 16, 256), where Elkan's bounds do not fit, 1.3× Hamerly's CPU time over 30 iterations.
     */
    AUTO,
    /** Lloyd's: every row's distance to every centroid, each iteration. */
    LLOYD,
    /**
     * Hamerly's (2010, <i>Making k-means even faster</i>): one lower bound per row, on its distance to the
     * second-nearest centroid; a row whose own distance is below it (or below half the gap from its centroid
     * to the nearest other) keeps its cluster without another distance. Little memory (one double per row);
     * best where centroids move a lot relative to their gaps, i.e. small K or low dimension.
     */
    HAMERLY,
    /**
     * Elkan's (2003, <i>Using the triangle inequality to accelerate k-means</i>): a lower bound per row and
     * centroid, each lowered only by its own centroid's movement, with the centroids' pairwise distances;
     * prunes centroid by centroid. K doubles per row.
     */
    ELKAN,
    /**
     * Yinyang (Ding et al. 2015, <i>Yinyang K-means: a drop-in replacement of the classic K-means with
     * consistent speedup</i>): the centroids split into t ≈ K/10 groups (by a few Lloyd iterations on the
     * centroids themselves), one lower bound per row on every other centroid and one per row and group,
     * each lowered by the largest move in its group; a row is settled by its global bound, or else group by
     * group, then centroid by centroid within the groups left. Between Hamerly's and Elkan's: t + 1 doubles
     * per row, so it fits where Elkan's K would not.
     */
    YINYANG;

    /**
     * From this many clusters on, {@link #AUTO} takes Elkan's algorithm where the distances do not run in SIMD
     * lanes (in {@value #ELKAN_FROM_DIMENSION} or more dimensions, when its bounds fit in {@link #ELKAN_MAX_BOUNDS});
     * below it, Hamerly's.
     */
    public static final int ELKAN_FROM_CLUSTERS = 16;
    /** From this many dimensions on, {@link #AUTO} may take Elkan's algorithm; below it, Hamerly's. */
    public static final int ELKAN_FROM_DIMENSION = 8;
    /** The most lower bounds (rows × K) {@link #AUTO} lets Elkan's algorithm hold: 256 MB of doubles. */
    public static final long ELKAN_MAX_BOUNDS = 32L << 20;

    /**
     * The algorithm that runs: this one, or for {@link #AUTO} the one chosen for the shape of the fit.
     *
     * @param rows       the number of rows
     * @param clusters   K
     * @param dimension  D
     * @return {@link #LLOYD}, {@link #HAMERLY}, {@link #ELKAN} or {@link #YINYANG}
     */
    public KMeansAlgorithm resolve(long rows, int clusters, int dimension) {
        return resolve(rows, clusters, dimension, true);
    }

    /** {@link #resolve(long, int, int)} for a fit whose scans may run in SIMD lanes only if {@code simdAllowed}. */
    KMeansAlgorithm resolve(long rows, int clusters, int dimension, boolean simdAllowed) {
        if (this != AUTO) {
            return this;
        }
        if (clusters == 1) {
            return LLOYD; // one centroid: every row's nearest, no search to save
        }
        boolean elkanFits = rows * clusters <= ELKAN_MAX_BOUNDS;
        return clusters >= ELKAN_FROM_CLUSTERS && dimension >= ELKAN_FROM_DIMENSION && elkanFits
                && !(simdAllowed && simdScans(rows, clusters)) ? ELKAN : HAMERLY;
    }

    /** Whether a k-means fit of this size measures its distances in SIMD lanes ({@link CentroidTable}). */
    private static boolean simdScans(long rows, int clusters) {
        return CentroidTable.simdForClusters(rows, clusters) && "vector".equals(CentroidTable.kernels());
    }

    /**
     * @param name {@code auto}, {@code lloyd}, {@code hamerly}, {@code elkan} or {@code yinyang}, case-insensitive
     * @return the algorithm
     * @throws EmkitException for another name, listing the known ones
     */
    public static KMeansAlgorithm parse(String name) {
        return Labelled.parse(KMeansAlgorithm.class, name, "k-means algorithm");
    }

    @Override
    public String toString() {
        return label();
    }
}
