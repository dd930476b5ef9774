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
    /**
     * How many are held now: up to twice {@link #keep} while rows are offered (the nearest of them dropped in
     * batches, {@link #offerFarthest}), at most {@link #keep} once {@link #rank ranked}.
     */
    int held;
    /** Whether the held rows are the top ones in rank order, farthest first ({@link #rank}). */
    boolean ranked = true;
    /** The held rows' distances and indices, unordered until {@link #rank}; room for twice {@link #keep}. */
    final double[] farDistance;
    final long[] farRow;
    /**
     * Where each held row's values stand in {@link #farValues}: a row offered keeps its slot while rows come and
     * go, so reordering moves three small entries instead of D values.
     */
    final int[] farSlot;
    /** The held rows' values, D per slot ({@link #farSlot}). */
    final double[] farValues;
    /** The slots not in use, {@code free[0 .. freeCount)}. */
    private final int[] free;
    private int freeCount;
    /**
     * Once rows have been dropped: the last row kept then (the keep-th farthest so far); a row not before it
     * in the farthest-first order cannot be among the top {@link #keep}.
     */
    private boolean bounded;
    private double floorDistance;
    private long floorRow;
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
        int room = 2 * keep;
        this.farDistance = new double[room];
        this.farRow = new long[room];
        this.farSlot = new int[room];
        this.farValues = new double[room * d];
        this.free = new int[room];
        for (int slot = 0; slot < room; slot++) {
            free[slot] = room - 1 - slot;
        }
        this.freeCount = room;
    }

    /** Whether (distance a, row ra) comes before (distance b, row rb) in the farthest-first order. */
    private static boolean before(double a, long ra, double b, long rb) {
        return a > b || (a == b && ra < rb);
    }

    /**
     * Offers row {@code row} (its values at {@code x[xo..xo+d)}) at {@code distance} from its centroid. A row is
     * refused at one comparison when it is not before the keep-th farthest found so far; else it is added, and
     * when twice {@link #keep} rows are held, all but the top {@link #keep} are dropped at once (a selection,
     * linear in the rows held). A heap of the top rows, sifted at every insertion, had cost 15% of a k-means
     * fit of 200,000 × 16 rows at K = 64 (the fit without any farthest rows against with them, warm). {@link #rank}
     * sorts the rows kept when they are read.
     */
    void offerFarthest(long row, double distance, double[] x, int xo) {
        if (keep == 0 || (bounded && !before(distance, row, floorDistance, floorRow))) {
            return;
        }
        ranked = false;
        int slot = free[--freeCount];
        farDistance[held] = distance;
        farRow[held] = row;
        farSlot[held] = slot;
        held++;
        System.arraycopy(x, xo, farValues, slot * d, d);
        if (held == farDistance.length) {
            dropAllButTop();
        }
    }

    /**
     * Keeps the top {@link #keep} of the held rows (in positions {@code 0 .. keep)}, the keep-th farthest last),
     * frees the others' slots, and remembers the keep-th farthest as the floor for later rows.
     */
    private void dropAllButTop() {
        if (held <= keep) {
            return;
        }
        select(keep - 1);
        for (int i = keep; i < held; i++) {
            free[freeCount++] = farSlot[i];
        }
        held = keep;
        bounded = true;
        floorDistance = farDistance[keep - 1];
        floorRow = farRow[keep - 1];
    }

    /**
     * Puts the entry of rank {@code target} (farthest first) at that position among the held ones, those before
     * it in the order before it and the others after it: Hoare's selection, the middle of three as the pivot.
     */
    private void select(int target) {
        int lo = 0;
        int hi = held - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // The middle of three into mid, then its entry is the pivot.
            if (before(farDistance[mid], farRow[mid], farDistance[lo], farRow[lo])) {
                swap(mid, lo);
            }
            if (before(farDistance[hi], farRow[hi], farDistance[lo], farRow[lo])) {
                swap(hi, lo);
            }
            if (before(farDistance[hi], farRow[hi], farDistance[mid], farRow[mid])) {
                swap(hi, mid);
            }
            double pd = farDistance[mid];
            long pr = farRow[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (before(farDistance[i], farRow[i], pd, pr)) {
                    i++;
                }
                while (before(pd, pr, farDistance[j], farRow[j])) {
                    j--;
                }
                if (i <= j) {
                    swap(i, j);
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private void swap(int a, int b) {
        double dt = farDistance[a];
        long rt = farRow[a];
        int st = farSlot[a];
        farDistance[a] = farDistance[b];
        farRow[a] = farRow[b];
        farSlot[a] = farSlot[b];
        farDistance[b] = dt;
        farRow[b] = rt;
        farSlot[b] = st;
    }

    /**
     * Keeps the top {@link #keep} of the held rows and sorts them farthest first (then by row index), the order
     * {@link #farDistance}, {@link #farRow} and {@link #farOffset} are read in: an insertion sort, of at most K − 1
     * rows, once per E-step's statistics.
     */
    void rank() {
        if (ranked) {
            return;
        }
        dropAllButTop();
        for (int i = 1; i < held; i++) {
            double distance = farDistance[i];
            long row = farRow[i];
            int slot = farSlot[i];
            int at = i;
            while (at > 0 && before(distance, row, farDistance[at - 1], farRow[at - 1])) {
                farDistance[at] = farDistance[at - 1];
                farRow[at] = farRow[at - 1];
                farSlot[at] = farSlot[at - 1];
                at--;
            }
            farDistance[at] = distance;
            farRow[at] = row;
            farSlot[at] = slot;
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
