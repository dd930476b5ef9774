package io.emkit.init;

import io.emkit.EmkitException;

import java.util.Arrays;

/**
 * The agglomeration of mclust's Fortran routine {@code hcvvv} (mclust 6.0.0), model VVV: starting from one
 * cluster per row, repeatedly merge the pair of clusters whose merge costs least, as mclust does it —
 * including the way it breaks ties and a defect of its stored factors, so that the merge sequence is mclust's.
 *
 * <p><b>Criterion</b> (Fraley 1998). With {@code α′ = max(tr W_all / (n p), ε)} (the total scatter of the
 * clustered matrix) and β = 1, a cluster of {@code m} rows, scatter {@code W} and trace {@code t} has the term
 * {@code T = m ln((t + α′)/m)} when {@code m ≤ p}, and {@code T = m ln(det(W/m) + (t + α′)/m)} otherwise
 * (the trace form again if {@code t = 0} or {@code det ≤ 0}); a singleton's term is {@code ln α′}. Merging A
 * and B costs {@code T(A ∪ B) − T(A) − T(B)}.
 *
 * <p><b>Order and ties.</b> The live clusters sit in slots {@code 0..g−1}; the pair (i &lt; j) has the packed
 * position {@code j(j−1)/2 + i}, and the last minimal cost in that order merges. The merged cluster stays in
 * slot i, the cluster of the last slot moves into slot j. Ties are real: two equal rows cost {@code −2 ln 2}.
 *
 * <p><b>The defect.</b> hcvvv writes the first row of a merged cluster's Cholesky factor into every stored
 * row, so every cluster but the newest is read back with the scatter {@code W̃[a][b] = min(a, b, K) ·
 * W[1][a] W[1][b] / W[1][1]} (indices from 1, {@code K = min(m − 1, p)}) instead of {@code W}. A
 * pair's cost is computed once, when its younger member is formed, from that member's held scatter and the
 * other's {@code W̃}; a merged cluster's scatter sums its members' (held if the newest, otherwise {@code W̃})
 * plus the between term; and when neither member is the newest its term is the pair's cost plus theirs.
 *
 * <p>Each step keeps, per slot j, the least cost in column j of the packed table (the last row on ties), so a
 * step rescans only the columns whose minimum it disturbed. Memory: the table, {@code n(n−1)/2} doubles. Time:
 * about {@code n²} cost evaluations of {@code O(p³)} each.
 */
final class VvvAgglomeration {
    private final int p;
    private final int pp;
    private final double alpha;
    private int g;

    private final int[] size;
    private final int[] label;
    private final double[] mean;
    private final double[] trace;
    private final double[] term;
    /** Per slot, the scatter as read back from storage ({@code W̃}). */
    private final double[] stored;
    /** The newest cluster's scatter as held in memory. */
    private final double[] newestScatter;
    private int newest = -1;

    private final int[] columnStart;
    private final double[] cost;
    private final double[] columnMin;
    private final int[] columnArg;

    private final double[] between;
    private final double[] scatter;
    private final double[] factor;
    private double combinedTrace;

    private VvvAgglomeration(double[] z, int n, int p) {
        this.p = p;
        this.pp = p * p;
        this.g = n;
        long cells = (long) n * (n - 1) / 2;
        if (cells > Integer.MAX_VALUE - 16) {
            throw new EmkitException("hierarchical clustering of " + n + " rows needs a table of " + cells
                    + " merge costs; cluster fewer rows");
        }
        size = new int[n];
        label = new int[n];
        mean = z.clone();
        trace = new double[n];
        term = new double[n];
        stored = new double[n * pp];
        newestScatter = new double[pp];
        columnStart = new int[n];
        for (int j = 1; j < n; j++) {
            columnStart[j] = (int) ((long) j * (j - 1) / 2);
        }
        cost = new double[(int) cells];
        columnMin = new double[n];
        columnArg = new int[n];
        between = new double[p];
        scatter = new double[pp];
        factor = new double[pp];
        alpha = Math.max(totalScatter(z, n, p), Math.ulp(1.0));
        double singleton = Math.log(alpha);
        Arrays.fill(size, 1);
        Arrays.fill(term, singleton);
        for (int i = 0; i < n; i++) {
            label[i] = i;
        }
    }

    /** The merges: labels (smallest 0-based row of each cluster) and costs, step by step. */
    record Merges(int[] into, int[] from, double[] cost) {
    }

    /**
     * @param z rows of the matrix to cluster, row-major, {@code n × p}
     * @param n rows
     * @param p columns
     * @return the {@code n − 1} merges: at step s the clusters labelled {@code into[s] < from[s]} merge and
     *         keep the label {@code into[s]}
     */
    static Merges run(double[] z, int n, int p) {
        int steps = Math.max(0, n - 1);
        int[] into = new int[steps];
        int[] from = new int[steps];
        double[] costs = new double[steps];
        if (n < 2) {
            return new Merges(into, from, costs);
        }
        VvvAgglomeration a = new VvvAgglomeration(z, n, p);
        a.initialCosts();
        for (int s = 0; s < steps; s++) {
            int j = 1;
            double best = Double.POSITIVE_INFINITY;
            for (int c = 1; c < a.g; c++) {
                if (a.columnMin[c] <= best) {
                    best = a.columnMin[c];
                    j = c;
                }
            }
            int i = a.columnArg[j];
            into[s] = Math.min(a.label[i], a.label[j]);
            from[s] = Math.max(a.label[i], a.label[j]);
            costs[s] = a.cost[a.columnStart[j] + i];
            a.merge(i, j);
        }
        return new Merges(into, from, costs);
    }

    /** {@code tr W_all / (n p)} of the rows: mclust's {@code traceW(Z / sqrt(n p))}. */
    private static double totalScatter(double[] z, int n, int p) {
        double s = Math.sqrt((double) n * p);
        double total = 0;
        for (int k = 0; k < p; k++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += z[i * p + k] / s;
            }
            m /= n;
            for (int i = 0; i < n; i++) {
                double v = z[i * p + k] / s - m;
                total += v * v;
            }
        }
        return total;
    }

    private void initialCosts() {
        for (int j = 1; j < g; j++) {
            int start = columnStart[j];
            for (int i = 0; i < j; i++) {
                cost[start + i] = combinedTerm(i, stored, i * pp, j, stored, j * pp, false) - (term[i] + term[j]);
            }
            rescan(j);
        }
    }

    /**
     * The term of the union of slots a and b, their scatters read from the arrays given; leaves the union's
     * trace in {@link #combinedTrace}, its between-means vector in {@link #between} and, when the term needs it
     * or {@code keepScatter}, its scatter in {@link #scatter}.
     */
    private double combinedTerm(int a, double[] wa, int offA, int b, double[] wb, int offB, boolean keepScatter) {
        int m = size[a] + size[b];
        double f = Math.sqrt((double) size[a] * size[b] / m);
        double vv = 0;
        for (int k = 0; k < p; k++) {
            double v = f * (mean[a * p + k] - mean[b * p + k]);
            between[k] = v;
            vv += v * v;
        }
        combinedTrace = (trace[a] + trace[b]) + vv;
        if (m <= p && !keepScatter) {
            return m * Math.log((combinedTrace + alpha) / m);
        }
        // The determinant reads the lower triangle; the merge also keeps the upper one.
        for (int r = 0; r < p; r++) {
            int end = keepScatter ? p : r + 1;
            for (int c = 0; c < end; c++) {
                scatter[r * p + c] = (wa[offA + r * p + c] + wb[offB + r * p + c]) + between[r] * between[c];
            }
        }
        return termOf(m, combinedTrace, scatter);
    }

    private double termOf(int m, double t, double[] w) {
        double traceForm = m * Math.log((t + alpha) / m);
        if (m <= p || t == 0) {
            return traceForm;
        }
        double det = determinant(w, m);
        return det > 0 ? m * Math.log(det + (t + alpha) / m) : traceForm;
    }

    /**
     * {@code det(W/m)} by a Cholesky factorisation; 0 when a pivot is not positive (W singular). About n² of
     * these make an agglomeration's time, so two and three columns (the usual data of a hierarchical start)
     * are written out: the same operations in the same order as the loop, so the same bits, without its index
     * arithmetic and its copy of W/m (2,000 rows × 3 columns: the agglomeration took 185 ms against 220 in a
     * warm JVM, 230 against 270 with the client compiler alone).
     */
    private double determinant(double[] w, int m) {
        if (p == 2) {
            return determinant2(w, m);
        }
        if (p == 3) {
            return determinant3(w, m);
        }
        double det = 1;
        for (int r = 0; r < p; r++) {
            for (int c = 0; c <= r; c++) {
                double s = w[r * p + c] / m;
                for (int k = 0; k < c; k++) {
                    s -= factor[r * p + k] * factor[c * p + k];
                }
                if (r == c) {
                    if (!(s > 0)) {
                        return 0;
                    }
                    det *= s;
                    factor[r * p + r] = Math.sqrt(s);
                } else {
                    factor[r * p + c] = s / factor[c * p + c];
                }
            }
        }
        return det;
    }

    /** {@link #determinant} of two columns, {@code w} row-major. */
    private static double determinant2(double[] w, int m) {
        double s0 = w[0] / m;
        if (!(s0 > 0)) {
            return 0;
        }
        double l10 = (w[2] / m) / Math.sqrt(s0);
        double s1 = w[3] / m - l10 * l10;
        if (!(s1 > 0)) {
            return 0;
        }
        return s0 * s1;
    }

    /** {@link #determinant} of three columns, {@code w} row-major. */
    private static double determinant3(double[] w, int m) {
        double s0 = w[0] / m;
        if (!(s0 > 0)) {
            return 0;
        }
        double l00 = Math.sqrt(s0);
        double l10 = (w[3] / m) / l00;
        double s1 = w[4] / m - l10 * l10;
        if (!(s1 > 0)) {
            return 0;
        }
        double l11 = Math.sqrt(s1);
        double l20 = (w[6] / m) / l00;
        double l21 = (w[7] / m - l20 * l10) / l11;
        double s2 = w[8] / m - l20 * l20 - l21 * l21;
        if (!(s2 > 0)) {
            return 0;
        }
        return s0 * s1 * s2;
    }

    private void merge(int i, int j) {
        double pairCost = cost[columnStart[j] + i];
        boolean iNewest = i == newest;
        boolean jNewest = j == newest;
        int m = size[i] + size[j];
        double t = combinedTerm(i, iNewest ? newestScatter : stored, iNewest ? 0 : i * pp,
                j, jNewest ? newestScatter : stored, jNewest ? 0 : j * pp, true);
        if (!iNewest && !jNewest) {
            // hcvvv takes the term from the cost it stored, not from the scatter it rebuilds.
            t = pairCost + term[i] + term[j];
        }
        for (int k = 0; k < p; k++) {
            mean[i * p + k] = (size[i] * mean[i * p + k] + size[j] * mean[j * p + k]) / m;
        }
        trace[i] = combinedTrace;
        term[i] = t;
        size[i] = m;
        label[i] = Math.min(label[i], label[j]);
        System.arraycopy(scatter, 0, newestScatter, 0, pp);
        storeFactorRows(i, m);
        newest = i;

        int last = g - 1;
        if (j != last) {
            size[j] = size[last];
            label[j] = label[last];
            trace[j] = trace[last];
            term[j] = term[last];
            System.arraycopy(mean, last * p, mean, j * p, p);
            System.arraycopy(stored, last * pp, stored, j * pp, pp);
            // The moved cluster's pairs with the slots below j; those with the slots above j follow below.
            System.arraycopy(cost, columnStart[last], cost, columnStart[j], j);
        }
        g--;
        int startI = columnStart[i];
        for (int k = 0; k < i; k++) {
            cost[startI + k] = pairCostWithNewest(i, k);
        }
        if (i > 0) {
            rescan(i);
        }
        // One pass over the columns right of i, each touched once: the table is too large for the cache.
        for (int c = i + 1; c < g; c++) {
            int start = columnStart[c];
            cost[start + i] = pairCostWithNewest(i, c);
            if (c == j) {
                rescan(c);
                continue;
            }
            boolean movedRow = j < c;
            if (movedRow) {
                cost[start + j] = cost[columnStart[last] + c];
            }
            if (columnArg[c] == i || (movedRow && columnArg[c] == j)) {
                rescan(c);
            } else {
                offer(c, i);
                if (movedRow) {
                    offer(c, j);
                }
            }
        }
    }

    private double pairCostWithNewest(int i, int k) {
        return combinedTerm(i, newestScatter, 0, k, stored, k * pp, false) - (term[i] + term[k]);
    }

    /**
     * What hcvvv reads back for this cluster later: it copies row 1 of the factor R (W = RᵀR) into each of the
     * {@code min(m − 1, p)} rows it stores, so row r becomes {@code (0, …, 0, w_r, …, w_p)} with
     * {@code w = W[0][·] / √W[0][0]}; harmless for {@code m < 3}, where R has one row.
     */
    private void storeFactorRows(int slot, int m) {
        int off = slot * pp;
        if (m < 3) {
            System.arraycopy(newestScatter, 0, stored, off, pp);
            return;
        }
        int rows = Math.min(m - 1, p);
        double w00 = newestScatter[0];
        if (!(w00 > 0)) {
            // R's first row is zero when the first coordinate does not vary within the cluster.
            Arrays.fill(stored, off, off + pp, 0.0);
            return;
        }
        double root = Math.sqrt(w00);
        for (int a = 0; a < p; a++) {
            double wa = newestScatter[a] / root;
            for (int b = 0; b < p; b++) {
                double x = wa * (newestScatter[b] / root);
                int count = Math.min(Math.min(a, b) + 1, rows);
                double s = 0;
                for (int r = 0; r < count; r++) {
                    s += x;
                }
                stored[off + a * p + b] = s;
            }
        }
    }

    private int index(int a, int b) {
        return a < b ? columnStart[b] + a : columnStart[a] + b;
    }

    /** Column c's least cost, the last row on ties (hcvvv's scan keeps the last minimum). */
    private void rescan(int c) {
        int start = columnStart[c];
        double best = Double.POSITIVE_INFINITY;
        int arg = 0;
        for (int r = 0; r < c; r++) {
            double v = cost[start + r];
            if (v <= best) {
                best = v;
                arg = r;
            }
        }
        columnMin[c] = best;
        columnArg[c] = arg;
    }

    private void offer(int c, int r) {
        double v = cost[columnStart[c] + r];
        if (v < columnMin[c] || (v == columnMin[c] && r > columnArg[c])) {
            columnMin[c] = v;
            columnArg[c] = r;
        }
    }
}
