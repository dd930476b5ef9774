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
    /** How many are held now (≤ keep). */
    int held;
    /**
     * Whether the held rows are in rank order, farthest first ({@link #rank}); else they are a heap, the nearest
     * at index 0 ({@link #offerFarthest}).
     */
    boolean ranked = true;
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

    /**
     * Offers row {@code row} (its values at {@code x[xo..xo+d)}) at {@code distance} from its centroid. The held
     * rows are a heap while rows are offered, the nearest of them at its root (so a row is refused, or replaces
     * the root, at the cost of a few comparisons: a sorted list shifted half its length per insertion, which took
     * 7% of k-means' time at K = 256); {@link #rank} sorts them when they are read.
     */
    void offerFarthest(long row, double distance, double[] x, int xo) {
        if (ranked) {
            // Farthest first reversed is nearest first: every entry nearer than those after it, a heap.
            reverse();
            ranked = false;
        }
        if (keep == 0 || (held == keep && !before(distance, row, farDistance[0], farRow[0]))) {
            return;
        }
        int slot;
        if (held < keep) {
            slot = held; // the slots in use are 0 .. held − 1
            int at = held++;
            while (at > 0) {
                int parent = (at - 1) / 2;
                if (!before(farDistance[parent], farRow[parent], distance, row)) {
                    break;
                }
                move(parent, at);
                at = parent;
            }
            place(at, distance, row, slot);
        } else {
            slot = farSlot[0]; // the evicted root's
            siftDown(0, held, distance, row, slot);
        }
        System.arraycopy(x, xo, farValues, slot * d, d);
    }

    /** Puts (distance, row, slot) at heap position {@code at} or below it, within the first {@code size} entries. */
    private void siftDown(int at, int size, double distance, long row, int slot) {
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(farDistance[child], farRow[child], farDistance[child + 1],
                    farRow[child + 1])) {
                child++; // the nearer child
            }
            if (!before(distance, row, farDistance[child], farRow[child])) {
                break;
            }
            move(child, at);
            at = child;
        }
        place(at, distance, row, slot);
    }

    private void move(int from, int to) {
        farDistance[to] = farDistance[from];
        farRow[to] = farRow[from];
        farSlot[to] = farSlot[from];
    }

    private void place(int at, double distance, long row, int slot) {
        farDistance[at] = distance;
        farRow[at] = row;
        farSlot[at] = slot;
    }

    private void reverse() {
        for (int i = 0, j = held - 1; i < j; i++, j--) {
            double dt = farDistance[i];
            long rt = farRow[i];
            int st = farSlot[i];
            move(j, i);
            place(j, dt, rt, st);
        }
    }

    /**
     * Sorts the held rows farthest first (then by row index), the order {@link #farDistance}, {@link #farRow}
     * and {@link #farOffset} are read in: the heap's nearest moved to the end one after another.
     */
    void rank() {
        if (ranked) {
            return;
        }
        for (int end = held - 1; end > 0; end--) {
            double distance = farDistance[end];
            long row = farRow[end];
            int slot = farSlot[end];
            move(0, end);
            siftDown(0, end, distance, row, slot);
        }
        ranked = true;
    }

    /**
     * @param rank a held row's rank, 0 for the farthest
     * @return where its D values start in {@link #farValues}
     */
    int farOffset(int rank) {
        rank();
        return farSlot[rank] * d;
    }

    /** @return the held rows' values in rank order, D each (a copy) */
    double[] farValuesByRank() {
        rank();
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
        // In whatever order other holds them: the top rows of a union do not depend on the order they come in.
        for (int i = 0; i < other.held; i++) {
            offerFarthest(other.farRow[i], other.farDistance[i], other.farValues, other.farSlot[i] * d);
        }
    }
}
