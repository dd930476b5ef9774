package io.emkit.kmeans;

import io.emkit.data.Dataset;
import io.emkit.em.EmSteps;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.ExpectationRunner;
import io.emkit.init.KMeansSeeding;
import io.emkit.kernels.CentroidTable;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The E-step of Hamerly's or Elkan's k-means ({@link KMeansAlgorithm}) for one fit: the rows' bounds,
 * kept from one E-step to the next, and the engine's blocks over them. It gives, bit for bit, what
 * {@link KMeansSteps}' E-step gives: each row goes to the same centroid (a centroid is skipped only when
 * its distance is proven larger than the assigned one by more than rounding can blur, so it could neither
 * win nor tie), each block adds the same rows in the same order into its statistics, and the engine merges
 * the blocks along the same tree.
 *
 * <p>The bounds refer to the centroids of the last E-step, whatever run those belonged to: before each
 * E-step every lower bound is lowered by how far the centroids moved since (an upper bound of the move;
 * Elkan's bounds do it implicitly, through each centroid's accumulated drift),
 * which keeps it a lower bound for any new centroids, related or not; a new start merely makes the bounds
 * useless, and its rows are then assigned by a full scan, which sets them afresh. Each block writes the
 * state of its own rows only, so the blocks may run on any threads.
 *
 * <p>Rounding: distances are computed as Lloyd's ({@link KMeansSeeding#squaredDistance}), an upper bound is
 * the square root of a computed squared distance times {@code 1 + slack}, a lower bound the same times
 * {@code 1 − slack}, and a lowered bound is rounded down; {@code slack = (D + 8)·2⁻⁵⁰} is several times the
 * relative error of a computed distance of D terms. Hamerly's full scans take their nearest centroid and its
 * distance, Lloyd's bit for bit, and a lower bound on the others' from {@link CentroidTable#nearestTwo} (in SIMD
 * lanes a bound found in float, slightly below their least distance).
 */
final class BoundedAssignment implements EmSteps<Dataset, KMeansModel, KMeansStatistics> {
    /** Lloyd iterations that group the centroids for Yinyang's algorithm. */
    private static final int GROUPING_ITERATIONS = 5;

    private final boolean elkan;
    private final boolean simdAllowed;
    private final boolean yinyang;
    private final int k;
    private final int d;
    private final double up;
    private final double down;
    private final int[] label;
    /**
     * Hamerly: per row, a lower bound on the distance to its second-nearest centroid; Elkan: per row and
     * centroid, a lower bound plus the centroid's drift when it was set.
     */
    private final double[] lower;
    private final LongAdder distances;

    /** The centroids the bounds refer to; {@code null} before the first E-step. */
    private double[] boundCentres;
    /** Whether this E-step has no bounds to use yet. */
    private boolean fresh;
    /** Per centroid, an upper bound on how far it moved since {@link #boundCentres}. */
    private final double[] moved;
    private double largestMove;
    private double secondMove;
    private int largestMover;
    /** Per centroid, a lower bound on half its distance to the nearest other centroid. */
    private final double[] halfGap;
    /** Elkan: lower bounds on half the distance between every two centroids, {@code K × K}. */
    private final double[] halfDistance;
    /** Elkan: per centroid, an upper bound on the total of its moves so far (see {@link #elkan}). */
    private final double[] drift;

    /** Yinyang: the most groups, the stride of {@link #lower} per row. */
    private final int groupStride;
    /** Yinyang: the number of (non-empty) groups. */
    private int groups;
    /** Yinyang: the group of each centroid. */
    private final int[] groupOf;
    /** Yinyang: the centroids by group, each group's in index order; group g is {@code [groupStart[g], groupStart[g + 1])}. */
    private final int[] members;
    private final int[] groupStart;
    /** Yinyang: per group, an upper bound on the total of its largest moves so far, now and at the last E-step. */
    private final double[] groupDrift;
    private final double[] previousGroupDrift;
    /** Yinyang: an upper bound on the total of the largest moves so far. */
    private double globalDrift;
    /**
     * Yinyang: per row, a lower bound on its distance to every centroid but its own, plus {@link #globalDrift}
     * when it was set.
     */
    private final double[] globalLower;

    /**
     * @param algorithm {@link KMeansAlgorithm#HAMERLY}, {@link KMeansAlgorithm#ELKAN} or
     *                  {@link KMeansAlgorithm#YINYANG}: whose bounds to keep
     * @param rows      the number of rows of the data every E-step will see
     * @param k         K
     * @param d         D
     * @param distances counts the distances computed, or {@code null}
     */
    BoundedAssignment(KMeansAlgorithm algorithm, int rows, int k, int d, LongAdder distances) {
        this(algorithm, rows, k, d, distances, true);
    }

    /**
     * @param simdAllowed whether the full scans may run in SIMD lanes ({@link KMeansModel#table(long, boolean)});
     *                    the distances are the same bit for bit either way
     */
    BoundedAssignment(KMeansAlgorithm algorithm, int rows, int k, int d, LongAdder distances, boolean simdAllowed) {
        if (algorithm != KMeansAlgorithm.HAMERLY && algorithm != KMeansAlgorithm.ELKAN
                && algorithm != KMeansAlgorithm.YINYANG) {
            throw new IllegalArgumentException("no bounds for " + algorithm);
        }
        this.elkan = algorithm == KMeansAlgorithm.ELKAN;
        this.simdAllowed = simdAllowed;
        this.yinyang = algorithm == KMeansAlgorithm.YINYANG;
        this.k = k;
        this.d = d;
        double slack = (d + 8) * 0x1p-50;
        this.up = 1 + slack;
        this.down = 1 - slack;
        this.label = new int[rows];
        this.groupStride = yinyang ? groupsFor(k) : 0;
        this.lower = new double[elkan ? Math.multiplyExact(rows, k) : yinyang ? Math.multiplyExact(rows, groupStride) : rows];
        this.distances = distances;
        this.moved = new double[k];
        this.halfGap = new double[k];
        this.halfDistance = elkan || yinyang ? new double[k * k] : null;
        this.drift = new double[k];
        this.groupOf = new int[k];
        this.members = new int[yinyang ? k : 0];
        this.groupStart = new int[groupStride + 1];
        this.groupDrift = new double[groupStride];
        this.previousGroupDrift = new double[groupStride];
        this.globalLower = yinyang ? new double[rows] : null;
    }

    /**
     * The number of groups Yinyang's algorithm makes of {@code k} centroids: about one per ten, as Ding et
     * al. advise, at least one.
     *
     * @param k K
     * @return t
     */
    static int groupsFor(int k) {
        return Math.max(1, (int) Math.round(k / 10.0));
    }

    /**
     * The E-step over every row on the engine's blocks, as the engine's runner.
     *
     * @param data      the rows (those this was made for)
     * @param blockSize rows per block
     * @param pool      where the blocks run
     * @return the runner
     */
    ExpectationRunner<KMeansModel, KMeansStatistics> runner(Dataset data, int blockSize, ForkJoinPool pool) {
        return params -> {
            double[] c = params.flatCentroids();
            prepare(c);
            ExpectationMaximization.Expectation<KMeansStatistics> e =
                    ExpectationMaximization.expectation(this, data, params, blockSize, pool);
            boundCentres = c;
            offerFarthestWhereEmptied(data, c, e.statistics());
            return e;
        };
    }

    /**
     * The rows farthest from their centroids, offered to the statistics only when a cluster lost all its rows
     * (they re-seed it, {@link KMeansSteps#maximize}): a pass over the rows in order, each offered at its squared
     * distance to its new label's centroid ({@link KMeansSeeding#squaredDistance}, the distance the blocks found, bit
     * for bit), so the statistics hold the same farthest rows as Lloyd's E-step's. Offering every row in every
     * E-step instead had cost a tenth of a k-means fit of 200,000 × 16 rows, K = 64, warm; a cluster empties
     * rarely.
     */
    private void offerFarthestWhereEmptied(Dataset data, double[] c, KMeansStatistics stats) {
        boolean emptied = false;
        for (int j = 0; j < k && !emptied; j++) {
            emptied = stats.count[j] == 0;
        }
        if (!emptied || stats.keepEmpty) {
            return;
        }
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        int rows = data.rows();
        for (int i = 0; i < rows; i++) {
            if (w == null || w[i] != 0) {
                int xo = i * d;
                stats.offerFarthest(i, KMeansSeeding.squaredDistance(x, xo, c, label[i] * d, d), x, xo);
            }
        }
        if (distances != null) {
            distances.add(rows);
        }
    }

    /** @return each row's cluster at the last E-step (for tests) */
    int[] labels() {
        return label.clone();
    }

    /**
     * How far each centroid moved since the bounds were set, and the gaps between the new centroids; for
     * Yinyang's algorithm, the groups' moves, and new groups when the centroids are new.
     */
    private void prepare(double[] c) {
        fresh = boundCentres == null;
        largestMove = 0;
        secondMove = 0;
        largestMover = -1;
        long computed = 0;
        if (!fresh) {
            for (int j = 0; j < k; j++) {
                double s = KMeansSeeding.squaredDistance(boundCentres, j * d, c, j * d, d);
                moved[j] = s == 0 ? 0 : Math.sqrt(s) * up;
                if (moved[j] > 0) {
                    drift[j] = Math.nextUp(drift[j] + moved[j]);
                }
                if (moved[j] > largestMove) {
                    secondMove = largestMove;
                    largestMove = moved[j];
                    largestMover = j;
                } else if (moved[j] > secondMove) {
                    secondMove = moved[j];
                }
            }
            computed += k;
        }
        java.util.Arrays.fill(halfGap, Double.POSITIVE_INFINITY);
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double half = 0.5 * Math.sqrt(KMeansSeeding.squaredDistance(c, a * d, c, b * d, d)) * down;
                halfGap[a] = Math.min(halfGap[a], half);
                halfGap[b] = Math.min(halfGap[b], half);
                if (halfDistance != null) {
                    halfDistance[a * k + b] = half;
                    halfDistance[b * k + a] = half;
                }
            }
        }
        computed += (long) k * (k - 1) / 2;
        if (yinyang) {
            computed += prepareGroups(c);
        }
        if (distances != null) {
            distances.add(computed);
        }
    }

    /**
     * Yinyang's groups and their moves: new groups (and a full scan of every row) on the first E-step and
     * whenever most centroids jumped farther than the gap to their nearest neighbour (a new start: the old
     * groups and bounds would say nothing); else each group's drift grows by the largest move in it.
     *
     * @return the distances computed
     */
    private long prepareGroups(double[] c) {
        if (!fresh) {
            int jumped = 0;
            for (int j = 0; j < k; j++) {
                if (moved[j] > 2 * halfGap[j]) {
                    jumped++;
                }
            }
            fresh = 2 * jumped > k;
        }
        if (fresh) {
            java.util.Arrays.fill(groupDrift, 0);
            java.util.Arrays.fill(previousGroupDrift, 0);
            globalDrift = 0;
            return group(c);
        }
        for (int g = 0; g < groups; g++) {
            previousGroupDrift[g] = groupDrift[g];
            double most = 0;
            for (int m = groupStart[g]; m < groupStart[g + 1]; m++) {
                most = Math.max(most, moved[members[m]]);
            }
            if (most > 0) {
                groupDrift[g] = Math.nextUp(groupDrift[g] + most);
            }
        }
        if (largestMove > 0) {
            globalDrift = Math.nextUp(globalDrift + largestMove);
        }
        return 0;
    }

    /**
     * Groups the centroids {@code c} by {@value #GROUPING_ITERATIONS} Lloyd iterations on the centroids
     * themselves, from the centroids at evenly spaced indices (ties to the lower group); empty groups are
     * dropped. Deterministic: the same centroids always make the same groups.
     *
     * @return the distances computed
     */
    private long group(double[] c) {
        int t = groupStride;
        double[] centre = new double[t * d];
        for (int g = 0; g < t; g++) {
            System.arraycopy(c, (int) ((long) g * k / t) * d, centre, g * d, d);
        }
        int[] of = new int[k];
        int[] count = new int[t];
        for (int iteration = 0; iteration < GROUPING_ITERATIONS; iteration++) {
            java.util.Arrays.fill(count, 0);
            double[] sum = new double[t * d];
            for (int j = 0; j < k; j++) {
                int nearest = 0;
                double nearestDistance = Double.POSITIVE_INFINITY;
                for (int g = 0; g < t; g++) {
                    double s = KMeansSeeding.squaredDistance(c, j * d, centre, g * d, d);
                    if (s < nearestDistance) {
                        nearestDistance = s;
                        nearest = g;
                    }
                }
                of[j] = nearest;
                count[nearest]++;
                for (int f = 0; f < d; f++) {
                    sum[nearest * d + f] += c[j * d + f];
                }
            }
            for (int g = 0; g < t; g++) {
                for (int f = 0; f < d && count[g] > 0; f++) {
                    centre[g * d + f] = sum[g * d + f] / count[g];
                }
            }
        }
        int[] renumber = new int[t];
        groups = 0;
        for (int g = 0; g < t; g++) {
            renumber[g] = count[g] > 0 ? groups++ : -1;
        }
        java.util.Arrays.fill(groupStart, 0);
        for (int j = 0; j < k; j++) {
            groupOf[j] = renumber[of[j]];
            groupStart[groupOf[j] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            groupStart[g + 1] += groupStart[g];
        }
        int[] next = java.util.Arrays.copyOf(groupStart, groups);
        for (int j = 0; j < k; j++) {
            members[next[groupOf[j]]++] = j;
        }
        return (long) GROUPING_ITERATIONS * k * t;
    }

    @Override
    public int size(Dataset data) {
        return data.rows();
    }

    @Override
    public KMeansStatistics emptyStatistics(KMeansModel params) {
        return KMeansSteps.INSTANCE.emptyStatistics(params);
    }

    /**
     * Rows {@code [from, to)}: each to its nearest centroid, its bounds brought up to date, and its values
     * added as {@link KMeansSteps} adds them.
     *
     * @return minus the rows' inertia
     */
    @Override
    public double accumulate(KMeansModel params, Dataset data, int from, int to, KMeansStatistics stats) {
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        double[] c = params.flatCentroids();
        // dist[0]: the row's squared distance to its centroid; dist[1]: the distances computed in this block.
        double[] dist = new double[2];
        // A full scan's distances, every centroid at once (SIMD lanes across the centroids where they pay).
        CentroidTable table = params.table(data.rows(), simdAllowed);
        double[] rowDistances = new double[table.width()];
        // Yinyang's working space for one row: per group its two least squared distances measured and least
        // bound of a centroid ruled out; per group the centroid of the least, then the groups scanned.
        double[] groupLowest = yinyang ? new double[3 * groupStride] : null;
        int[] groupScratch = yinyang ? new int[2 * groupStride] : null;
        int[] candidate = yinyang ? new int[k] : null;
        double[] candidateDistance = yinyang ? new double[k] : null;
        // Per row of a chunk: its squared distance to its own centroid (see ownDistances), and Hamerly's its
        // squared distance to its new centroid.
        double[] own = new double[CHUNK];
        double[] assigned = new double[CHUNK];
        // Hamerly's rows to scan in a chunk, and the results of a pair's scan.
        int[] pending = new int[CHUNK];
        double[] four = new double[4];
        int[] pair = new int[2];
        boolean hamerly = !elkan && !yinyang;
        double inertia = 0;
        for (int start = from; start < to; start += CHUNK) {
            int end = Math.min(to, start + CHUNK);
            if (!fresh) {
                for (int i = start; i < end; i += OWN_BATCH) {
                    ownDistances(x, c, i, Math.min(OWN_BATCH, end - i), own, i - start);
                }
            }
            if (hamerly) {
                hamerly(x, w, start, end, own, assigned, dist, table, rowDistances, pending, four, pair);
            }
            for (int i = start; i < end; i++) {
                if (w != null && w[i] == 0) {
                    continue; // as Lloyd's: a row of weight 0 is never assigned nor counted
                }
                int xo = i * d;
                int t = i - start;
                int a = elkan ? elkan(x, xo, i, c, own[t], dist, table, rowDistances)
                        : yinyang ? yinyang(x, xo, i, c, own[t], dist, table, rowDistances, groupLowest, groupScratch,
                                candidate, candidateDistance)
                        : label[i];
                double s = hamerly ? assigned[t] : dist[0];
                int so = a * d;
                if (w == null) {
                    inertia += s;
                    stats.count[a]++;
                    table.addRow(stats.sum, so, 1, x, xo);
                } else {
                    double wi = w[i];
                    inertia += wi * s;
                    stats.count[a] += wi;
                    table.addRow(stats.sum, so, wi, x, xo);
                }
            }
        }
        if (distances != null) {
            distances.add((long) dist[1]);
        }
        return -inertia;
    }

    /** How many rows' distances to their own centroids {@link #ownDistances} computes together. */
    private static final int OWN_BATCH = 4;
    /**
     * Rows a block takes at a time: their own distances, then (Hamerly's) the scans their bounds call for, two
     * rows at a time, then their statistics in row order. A multiple of {@link #OWN_BATCH}.
     */
    private static final int CHUNK = 64;

    /**
     * The squared distances of rows {@code [from, from + n)} to their labels' centroids, each the plain loop's
     * ({@link KMeansSeeding#squaredDistance}) bit for bit, into {@code own[0 .. n)}. Four rows' sums interleaved:
     * one row's sum waits on each addition in turn (D of them), four independent ones overlap. A k-means fit of
     * 200,000 × 16 rows, K = 64, took about 4% less time; reading the rows every iteration remains.
     */
    private void ownDistances(double[] x, double[] c, int from, int n, double[] own, int at) {
        if (n < OWN_BATCH) {
            for (int t = 0; t < n; t++) {
                own[at + t] = KMeansSeeding.squaredDistance(x, (from + t) * d, c, label[from + t] * d, d);
            }
            return;
        }
        int x0 = from * d;
        int x1 = x0 + d;
        int x2 = x1 + d;
        int x3 = x2 + d;
        int c0 = label[from] * d;
        int c1 = label[from + 1] * d;
        int c2 = label[from + 2] * d;
        int c3 = label[from + 3] * d;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < d; j++) {
            double t0 = x[x0 + j] - c[c0 + j];
            double t1 = x[x1 + j] - c[c1 + j];
            double t2 = x[x2 + j] - c[c2 + j];
            double t3 = x[x3 + j] - c[c3 + j];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }
        own[at] = s0;
        own[at + 1] = s1;
        own[at + 2] = s2;
        own[at + 3] = s3;
    }

    /**
     * Hamerly's tests for rows {@code [start, end)}: each row's own distance ({@code own}, from
     * {@link #ownDistances}) against its lower bound and its centroid's half gap; the rows they do not settle are
     * scanned, two at a time ({@link CentroidTable#nearestTwoOfPair}: the pair shares each load of the centroids).
     * Each row's label and bound are set, and its squared distance to its centroid put in {@code assigned}.
     */
    private void hamerly(double[] x, double[] w, int start, int end, double[] own, double[] assigned, double[] dist,
                         CentroidTable table, double[] rowDistances, int[] pending, double[] four, int[] pair) {
        int waiting = 0;
        for (int i = start; i < end; i++) {
            if (w != null && w[i] == 0) {
                continue;
            }
            if (fresh) {
                pending[waiting++] = i;
                continue;
            }
            int a = label[i];
            double s = own[i - start];
            double bound = Math.nextDown(lower[i] - (a == largestMover ? secondMove : largestMove));
            dist[1]++;
            if (Math.sqrt(s) * up < Math.max(bound, halfGap[a])) {
                lower[i] = bound;
                assigned[i - start] = s;
            } else {
                pending[waiting++] = i;
            }
        }
        int n = 0;
        for (; n + 1 < waiting; n += 2) {
            int i = pending[n];
            int j = pending[n + 1];
            table.nearestTwoOfPair(x, i * d, j * d, rowDistances, four, pair);
            scanned(i, pair[0], four[0], four[1], start, assigned, dist);
            scanned(j, pair[1], four[2], four[3], start, assigned, dist);
        }
        if (n < waiting) {
            int i = pending[n];
            int best = table.nearestTwo(x, i * d, rowDistances, four);
            scanned(i, best, four[0], four[1], start, assigned, dist);
        }
    }

    /**
     * The end of a full scan of row {@code i} (Hamerly's): its nearest centroid (ties to the lower index) its
     * label, at squared distance {@code least}; its lower bound from {@code second}, a lower bound on its squared
     * distance to every other centroid. Its own distance, measured before the scan (unless the bounds are fresh),
     * is not counted twice.
     */
    private void scanned(int i, int best, double least, double second, int start, double[] assigned, double[] dist) {
        lower[i] = Math.sqrt(second) * down;
        label[i] = best;
        assigned[i - start] = least;
        dist[1] += fresh ? k : k - 1;
    }

    /**
     * Elkan's tests for row {@code i}: every centroid not ruled out by its lower bound or by half its distance
     * to the best so far is measured. A lower bound is stored as {@code bound + drift[j]} at the time it was
     * set, so that it stands for {@code stored − drift[j]} now: the bounds need no update when the centroids
     * move, and a row settled by its centroid's half gap costs one distance and no pass over its K bounds.
     */
    private int elkan(double[] x, int xo, int i, double[] c, double ownDistance, double[] dist,
                      CentroidTable table, double[] rowDistances) {
        int base = i * k;
        if (fresh) {
            table.squaredDistances(x, xo, rowDistances);
            for (int j = 0; j < k; j++) {
                lower[base + j] = storedBound(rowDistances[j], j);
            }
            int best = nearest(rowDistances);
            return settle(i, best, rowDistances[best], k, dist);
        }
        int best = label[i];
        double bestDistance = ownDistance;
        long computed = 1;
        lower[base + best] = storedBound(bestDistance, best);
        double bestBound = Math.sqrt(bestDistance) * up;
        if (!(bestBound < halfGap[best])) {
            for (int j = 0; j < k; j++) {
                // Ruled out when bestBound < lower[base + j] − drift[j], rounded to never claim more than that.
                if (j == best || Math.nextUp(bestBound + drift[j]) < lower[base + j]
                        || bestBound < halfDistance[best * k + j]) {
                    continue;
                }
                double s = KMeansSeeding.squaredDistance(x, xo, c, j * d, d);
                computed++;
                lower[base + j] = storedBound(s, j);
                if (s < bestDistance || (s == bestDistance && j < best)) {
                    best = j;
                    bestDistance = s;
                    bestBound = Math.sqrt(s) * up;
                }
            }
        }
        return settle(i, best, bestDistance, computed, dist);
    }

    /**
     * Yinyang's filters for row {@code i} (Ding et al. 2015). The global filter: its own distance below its
     * lower bound on every other centroid (or below its centroid's half gap) keeps its cluster. Otherwise
     * the group filter: a group whose lower bound (on the row's distance to its centroids other than the
     * row's own) exceeds the distance to the best so far is skipped whole; in the others, a centroid is
     * skipped when the group's bound at the last E-step minus the centroid's own move, or half its distance
     * to the best so far, proves it farther; the rest are measured. The bounds are stored as Elkan's, plus
     * the group's (or for the global bound, every centroid's) drift when set, so that only the rows that
     * reach the group filter write their bounds.
     */
    private int yinyang(double[] x, int xo, int i, double[] c, double ownDistance, double[] dist,
                        CentroidTable table, double[] rowDistances, double[] groupLowest, int[] groupScratch,
                        int[] candidate, double[] candidateDistance) {
        if (fresh) {
            return yinyangScan(x, xo, i, dist, table, rowDistances);
        }
        int own = label[i];
        double bestBound = Math.sqrt(ownDistance) * up;
        if (bestBound < Math.max(Math.nextDown(globalLower[i] - globalDrift), halfGap[own])) {
            dist[0] = ownDistance;
            dist[1]++;
            return own;
        }
        int base = i * groupStride;
        long computed = 1;
        int best = own;
        double bestDistance = ownDistance;
        // The least of the skipped groups' bounds, each stored − drift rounded to nearest: rounded down once below.
        double skippedLowest = Double.POSITIVE_INFINITY;
        int scanned = 0;
        for (int g = 0; g < groups; g++) {
            double stored = lower[base + g];
            // Skipped when bestBound < stored − groupDrift[g], rounded to never claim more than that.
            if (Math.nextUp(bestBound + groupDrift[g]) < stored) {
                skippedLowest = Math.min(skippedLowest, stored - groupDrift[g]);
                continue;
            }
            groupScratch[groups + scanned++] = g;
            double before = Math.nextDown(stored - previousGroupDrift[g]);
            // Per group: the two least squared distances measured (and the centroid of the least), apart from
            // the bounds of the centroids ruled out, which are never the best; square roots only at the end.
            double lowest = Double.POSITIVE_INFINITY;
            double second = Double.POSITIVE_INFINITY;
            double ruledOut = Double.POSITIVE_INFINITY;
            int lowestCentroid = -1;
            // First the centroids the bounds cannot rule out (against the best so far), then their distances
            // in one tight loop (independent sums the processor overlaps), then the comparisons.
            int candidates = 0;
            for (int m = groupStart[g]; m < groupStart[g + 1]; m++) {
                int j = members[m];
                if (j == own) {
                    candidate[candidates] = j;
                    candidateDistance[candidates++] = ownDistance;
                    continue;
                }
                // A lower bound on the distance to j: the group's bound at the last E-step less j's move, or
                // j's distance to the best less the best's (which exceeds the best's when bestBound < half).
                double bound = Math.nextDown(Math.max(before - moved[j], 2 * halfDistance[best * k + j] - bestBound));
                boolean ruled = bestBound < bound;
                ruledOut = Math.min(ruledOut, ruled ? bound : Double.POSITIVE_INFINITY);
                candidate[candidates] = j;
                candidateDistance[candidates] = -1; // to measure
                candidates += ruled ? 0 : 1;
            }
            for (int n = 0; n < candidates; n++) {
                if (candidateDistance[n] < 0) {
                    candidateDistance[n] = KMeansSeeding.squaredDistance(x, xo, c, candidate[n] * d, d);
                    computed++;
                }
            }
            for (int n = 0; n < candidates; n++) {
                int j = candidate[n];
                double s = candidateDistance[n];
                if (s < bestDistance || (s == bestDistance && j < best)) {
                    best = j;
                    bestDistance = s;
                    bestBound = Math.sqrt(s) * up;
                }
                if (s < lowest) {
                    second = lowest;
                    lowest = s;
                    lowestCentroid = j;
                } else if (s < second) {
                    second = s;
                }
            }
            groupLowest[3 * g] = lowest;
            groupLowest[3 * g + 1] = second;
            groupLowest[3 * g + 2] = ruledOut;
            groupScratch[g] = lowestCentroid;
        }
        // Every scanned group's bound now excludes the row's new centroid; the old one's group covers the old one.
        double global = skippedLowest == Double.POSITIVE_INFINITY ? skippedLowest : Math.nextDown(skippedLowest);
        for (int n = 0; n < scanned; n++) {
            int g = groupScratch[groups + n];
            double measured = groupScratch[g] == best ? groupLowest[3 * g + 1] : groupLowest[3 * g];
            double bound = Math.min(Math.sqrt(measured) * down, groupLowest[3 * g + 2]);
            lower[base + g] = Math.nextDown(bound + groupDrift[g]);
            global = Math.min(global, bound);
        }
        if (best != own) {
            int g = groupOf[own];
            double ownBound = Math.sqrt(ownDistance) * down;
            double bound = Math.nextDown(lower[base + g] - groupDrift[g]);
            if (ownBound < bound) {
                lower[base + g] = Math.nextDown(ownBound + groupDrift[g]);
                global = Math.min(global, ownBound);
            }
        }
        return settleYinyang(i, global, best, bestDistance, computed, dist);
    }

    /** Every centroid's distance to row {@code i}, as Lloyd's; its Yinyang bounds set afresh. */
    private int yinyangScan(double[] x, int xo, int i, double[] dist, CentroidTable table, double[] rowDistances) {
        table.squaredDistances(x, xo, rowDistances);
        int best = nearest(rowDistances);
        double bestDistance = rowDistances[best];
        int base = i * groupStride;
        double global = Double.POSITIVE_INFINITY;
        for (int g = 0; g < groups; g++) {
            double lowest = Double.POSITIVE_INFINITY;
            for (int m = groupStart[g]; m < groupStart[g + 1]; m++) {
                int j = members[m];
                if (j != best) {
                    lowest = Math.min(lowest, rowDistances[j]);
                }
            }
            double bound = Math.sqrt(lowest) * down;
            lower[base + g] = Math.nextDown(bound + groupDrift[g]);
            global = Math.min(global, bound);
        }
        return settleYinyang(i, global, best, bestDistance, k, dist);
    }

    /** {@link #settle}, after storing row {@code i}'s global bound {@code global} as the group bounds are stored. */
    private int settleYinyang(int i, double global, int best, double bestDistance, long measured, double[] dist) {
        globalLower[i] = Math.nextDown(global + globalDrift);
        return settle(i, best, bestDistance, measured, dist);
    }

    /**
     * The nearest centroid in a row's full set of distances, ties to the lower index, as Lloyd's labels it: shared
     * by Elkan's and Yinyang's scans of every centroid, so that a row measured afresh gets the same label under
     * each algorithm (Hamerly's scan takes it, by the same rule, from {@link CentroidTable#nearestTwo}).
     */
    private int nearest(double[] rowDistances) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (rowDistances[j] < bestDistance) {
                bestDistance = rowDistances[j];
                best = j;
            }
        }
        return best;
    }

    /**
     * The end of every row's assignment: its centroid kept as its label, its squared distance in {@code dist[0]},
     * and the distances measured for it added to {@code dist[1]}.
     *
     * @return the row's centroid
     */
    private int settle(int i, int best, double bestDistance, long measured, double[] dist) {
        dist[1] += measured;
        label[i] = best;
        dist[0] = bestDistance;
        return best;
    }

    /** Elkan's stored lower bound for a computed squared distance {@code s} to centroid {@code j}, rounded down. */
    private double storedBound(double s, int j) {
        return Math.nextDown(Math.sqrt(s) * down + drift[j]);
    }

    @Override
    public KMeansModel maximize(KMeansStatistics statistics, KMeansModel previous, Consumer<String> warnings) {
        return KMeansSteps.INSTANCE.maximize(statistics, previous, warnings);
    }

    @Override
    public int parameterCount(KMeansModel params) {
        return params.parameterCount();
    }
}
