package io.emkit.kmeans;

import io.emkit.em.SufficientStatistics;

/**
 * What Lloyd's M-step needs, accumulated over rows assigned to their nearest centroid: per cluster the
 * number of rows and the sum of the rows (with weights: the total weight and the weighted sum) (the same assignment always gives bit for bit the same sums, so
 * Lloyd's fixed point is exact); and, for re-seeding clusters that lose all their rows, the {@code K − 1} rows farthest from
 * their own centroid, with their values.
 *
 * <p>The farthest rows are ordered by distance (larger first), then by row index (lower first): a total
 * order, so the top rows of a union are the top rows of the parts' tops, whatever the partition and the
 * order of merging. Merging is therefore exact, not only up to rounding, for that part.
 */
final class KMeansStatistics implements SufficientStatistics<KMeansStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    /** Rows per cluster (total weight, for weighted rows): whole numbers are exact in a double. */
    final double[] count;
    final double[] sum;
    /** How many farthest rows are kept at most. */
    final int keep;
    /** How many are held now (≤ keep), best first. */
    int held;
    final double[] farDistance;
    final long[] farRow;
    /**
     * Where each held row's values stand in {@link #farValues}, by rank: a row offered keeps its slot while
     * rows ahead of it come and go, so an insertion moves three small entries per rank instead of D values
     * (on 200,000 × 16 rows, K = 64, moving the values took a sixth of k-means' time).
     */
    final int[] farSlot;
    /** The held rows' values, D per slot ({@link #farSlot}). */
    final double[] farValues;
    /**
     * Whether a cluster without rows keeps its centroid instead of being re-seeded: mini-batch k-means'
     * running statistics, where "no rows" means "not reached yet" ({@link MiniBatchKMeans}).
     */
    boolean keepEmpty;

    KMeansStatistics(int k, int d) {
        this.k = k;
        this.d = d;
        this.count = new double[k];
        this.sum = new double[k * d];
        this.keep = k - 1;
        this.farDistance = new double[keep];
        this.farRow = new long[keep];
        this.farSlot = new int[keep];
        this.farValues = new double[keep * d];
    }

    /** Whether (distance a, row ra) comes before (distance b, row rb) in the farthest-first order. */
    private static boolean before(double a, long ra, double b, long rb) {
        return a > b || (a == b && ra < rb);
    }

    /** Offers row {@code row} (its values at {@code x[xo..xo+d)}) at {@code distance} from its centroid. */
    void offerFarthest(long row, double distance, double[] x, int xo) {
        if (keep == 0 || (held == keep && !before(distance, row, farDistance[held - 1], farRow[held - 1]))) {
            return;
        }
        int at = held == keep ? keep - 1 : held;
        int slot = held == keep ? farSlot[keep - 1] : held; // the last row's slot, which it leaves, or a free one
        while (at > 0 && before(distance, row, farDistance[at - 1], farRow[at - 1])) {
            farDistance[at] = farDistance[at - 1];
            farRow[at] = farRow[at - 1];
            farSlot[at] = farSlot[at - 1];
            at--;
        }
        farDistance[at] = distance;
        farRow[at] = row;
        farSlot[at] = slot;
        System.arraycopy(x, xo, farValues, slot * d, d);
        if (held < keep) {
            held++;
        }
    }

    /**
     * @param rank a held row's rank, 0 for the farthest
     * @return where its D values start in {@link #farValues}
     */
    int farOffset(int rank) {
        return farSlot[rank] * d;
    }

    /** @return the held rows' values in rank order, D each (a copy) */
    double[] farValuesByRank() {
        double[] out = new double[held * d];
        for (int i = 0; i < held; i++) {
            System.arraycopy(farValues, farOffset(i), out, i * d, d);
        }
        return out;
    }

    /** Adds {@code other}'s counts and sums (not its farthest rows): one more batch of mini-batch k-means. */
    void addCounts(KMeansStatistics other) {
        for (int c = 0; c < k; c++) {
            count[c] += other.count[c];
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.sum[i];
        }
    }

    @Override
    public void merge(KMeansStatistics other) {
        if (other.k != k || other.d != d) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes");
        }
        addCounts(other);
        for (int i = 0; i < other.held; i++) {
            offerFarthest(other.farRow[i], other.farDistance[i], other.farValues, other.farOffset(i));
        }
    }
}
