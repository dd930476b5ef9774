package io.emkit.init;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;

/**
 * Model-based agglomerative hierarchical clustering (Banfield and Raftery 1993; Fraley 1998), the
 * initialisation mclust uses by default: starting from one cluster per row, repeatedly merge the two
 * clusters whose union least lowers the classification likelihood of a Gaussian model with unconstrained
 * covariances (VVV), and keep the merge sequence; cutting it at K clusters gives EM a starting partition.
 *
 * <p><b>Criterion.</b> A cluster C of {@code n} rows with scatter {@code W} costs
 * {@code n · ln det((W + s·I)/n)}, minus twice its profile classification log-likelihood up to a constant,
 * with a small ridge {@code s} so that clusters of fewer than d + 1 rows (singular {@code W}) have a finite
 * cost; the merge chosen is the one that raises the total cost least. {@code s} is
 * {@value #RIDGE} times the mean variance of the transformed data.
 *
 * <p><b>Transformation.</b> As mclust's default ({@code hcUse = "SVD"}), the rows are first standardised
 * (centred, each column divided by its standard deviation), then rotated onto their principal axes and each
 * axis divided by the square root of its singular value, so that the ridge treats directions alike.
 *
 * <p><b>Large data.</b> On more than {@value #DEFAULT_MAX_ROWS} rows (or the limit given) the clustering runs
 * on that many rows spread evenly over the data (rows {@code ⌊i·n/m⌋}), deterministic; the other rows get
 * no starting cluster and join through EM's first E-step. With row weights, rows of weight 0 are left out and
 * the others count once each here (the weights act through EM, from the first M-step on). Time is {@code O(m²·d³)}, memory {@code O(m²)}
 * (a triangular table of merge costs: 16 MB at m = 2000).
 *
 * <p>Immutable; {@link #partition(int)} cuts the tree at any K.
 */
public final class HierarchicalClustering {
    /** mclust's default size of the subset the hierarchical phase looks at. */
    public static final int DEFAULT_MAX_ROWS = 2000;
    /** The ridge, as a fraction of the transformed data's mean variance. */
    static final double RIDGE = 0.1;

    private final int[] rows;
    private final int[] mergedInto;
    private final int[] mergedFrom;

    private HierarchicalClustering(int[] rows, int[] mergedInto, int[] mergedFrom) {
        this.rows = rows;
        this.mergedInto = mergedInto;
        this.mergedFrom = mergedFrom;
    }

    /**
     * Clusters the rows of {@code data} (at most {@link #DEFAULT_MAX_ROWS} of them).
     *
     * @param data rows with finite values
     * @return the merge tree
     */
    public static HierarchicalClustering of(Dataset data) {
        return of(data, DEFAULT_MAX_ROWS);
    }

    /**
     * Clusters at most {@code maxRows} rows of {@code data}, spread evenly over it.
     *
     * @param data    rows with finite values
     * @param maxRows the most rows to cluster (at least 1)
     * @return the merge tree
     */
    public static HierarchicalClustering of(Dataset data, int maxRows) {
        if (maxRows < 1) {
            throw new EmkitException("hierarchical clustering needs at least 1 row, got a limit of " + maxRows);
        }
        int[] candidates = rowsWithWeight(data);
        int n = candidates.length;
        int m = Math.min(n, maxRows);
        if (m < 1) {
            throw new EmkitException("no data to cluster (0 rows of positive weight)");
        }
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = candidates[(int) ((long) i * n / m)];
        }
        double[] z = transformed(data, rows);
        return agglomerate(z, m, data.columns(), rows);
    }

    /** @return which rows of the data were clustered, ascending (a copy) */
    public int[] clusteredRows() {
        return rows.clone();
    }

    /**
     * The partition into {@code k} clusters: the merge sequence replayed until {@code k} clusters remain.
     *
     * @param k clusters, from 1 to the number of rows clustered
     * @return per clustered row (in {@link #clusteredRows()} order) its cluster, numbered from 0 in the
     *         order of the clusters' first rows
     */
    public int[] partition(int k) {
        int m = rows.length;
        if (k < 1 || k > m) {
            throw new EmkitException("cannot cut a hierarchy of " + m + " rows into " + k + " clusters");
        }
        int[] parent = new int[m];
        for (int i = 0; i < m; i++) {
            parent[i] = i;
        }
        for (int s = 0; s < m - k; s++) {
            parent[mergedFrom[s]] = mergedInto[s];
        }
        int[] label = new int[m];
        int[] rootLabel = new int[m];
        Arrays.fill(rootLabel, -1);
        int next = 0;
        for (int i = 0; i < m; i++) {
            int r = i;
            while (parent[r] != r) {
                r = parent[r];
            }
            if (rootLabel[r] < 0) {
                rootLabel[r] = next++;
            }
            label[i] = rootLabel[r];
        }
        return label;
    }

    /** Standardised, rotated onto the principal axes, each axis divided by the square root of its singular value. */
    /** The rows that can start a cluster: all of them, or those of positive weight when the data carry weights. */
    private static int[] rowsWithWeight(Dataset data) {
        double[] w = data.rawWeights();
        if (w == null) {
            return java.util.stream.IntStream.range(0, data.rows()).toArray();
        }
        return java.util.stream.IntStream.range(0, data.rows()).filter(i -> w[i] > 0).toArray();
    }

    private static double[] transformed(Dataset data, int[] rows) {
        int m = rows.length;
        int d = data.columns();
        double[] z = new double[m * d];
        double[] mean = new double[d];
        for (int i = 0; i < m; i++) {
            double[] x = data.row(rows[i]);
            System.arraycopy(x, 0, z, i * d, d);
            for (int j = 0; j < d; j++) {
                mean[j] += x[j] / m;
            }
        }
        double[] sd = new double[d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                z[i * d + j] -= mean[j];
                sd[j] += z[i * d + j] * z[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            // A constant column carries no information about clusters: leave it at zero.
            sd[j] = sd[j] > 0 ? Math.sqrt(sd[j] / Math.max(1, m - 1)) : 1.0;
        }
        double[] cross = new double[d * d];
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < d; a++) {
                z[i * d + a] /= sd[a];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cross[a * d + b] += z[i * d + a] * z[i * d + b];
                }
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(d, d, cross))) {
            return z;
        }
        double[] out = new double[m * d];
        for (int axis = 0; axis < d; axis++) {
            double singular = Math.sqrt(Math.max(0.0, eig.getEigenvalue(axis).getReal()));
            double scale = singular > 0 ? 1.0 / Math.sqrt(singular) : 0.0;
            DMatrixRMaj v = eig.getEigenVector(axis);
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += z[i * d + j] * v.data[j];
                }
                out[i * d + axis] = s * scale;
            }
        }
        return out;
    }

    private static HierarchicalClustering agglomerate(double[] z, int m, int d, int[] rows) {
        double variance = 0;
        double[] mean = new double[d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += z[i * d + j] / m;
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                double v = z[i * d + j] - mean[j];
                variance += v * v;
            }
        }
        variance /= Math.max(1, m - 1) * (double) d;
        double ridge = variance > 0 ? RIDGE * variance : 1.0;

        Cluster[] clusters = new Cluster[m];
        for (int i = 0; i < m; i++) {
            clusters[i] = Cluster.of(z, i, d, ridge);
        }
        double[] cost = new double[m * (m - 1) / 2 + 1];
        int[] best = new int[m];
        double[] bestCost = new double[m];
        Arrays.fill(bestCost, Double.POSITIVE_INFINITY);
        double[] workspace = new double[d * d];
        for (int i = 1; i < m; i++) {
            for (int j = 0; j < i; j++) {
                double c = Cluster.mergeCost(clusters[i], clusters[j], ridge, workspace);
                cost[index(i, j)] = c;
                offer(i, j, c, best, bestCost);
                offer(j, i, c, best, bestCost);
            }
        }
        boolean[] alive = new boolean[m];
        Arrays.fill(alive, true);
        int[] into = new int[Math.max(0, m - 1)];
        int[] from = new int[Math.max(0, m - 1)];
        for (int step = 0; step < m - 1; step++) {
            int i = -1;
            for (int x = 0; x < m; x++) {
                if (alive[x] && (i < 0 || bestCost[x] < bestCost[i])) {
                    i = x;
                }
            }
            int j = best[i];
            int keep = Math.min(i, j);
            int drop = Math.max(i, j);
            into[step] = keep;
            from[step] = drop;
            clusters[keep] = Cluster.merged(clusters[keep], clusters[drop], ridge);
            clusters[drop] = null;
            alive[drop] = false;
            bestCost[keep] = Double.POSITIVE_INFINITY;
            for (int x = 0; x < m; x++) {
                if (alive[x] && x != keep) {
                    double c = Cluster.mergeCost(clusters[keep], clusters[x], ridge, workspace);
                    cost[index(keep, x)] = c;
                    offer(keep, x, c, best, bestCost);
                }
            }
            for (int x = 0; x < m; x++) {
                if (!alive[x] || x == keep) {
                    continue;
                }
                if (best[x] == keep || best[x] == drop) {
                    bestCost[x] = Double.POSITIVE_INFINITY;
                    for (int y = 0; y < m; y++) {
                        if (alive[y] && y != x) {
                            offer(x, y, cost[index(x, y)], best, bestCost);
                        }
                    }
                } else {
                    offer(x, keep, cost[index(x, keep)], best, bestCost);
                }
            }
        }
        return new HierarchicalClustering(rows, into, from);
    }

    /** Ties go to the lower index, so the tree depends on nothing but the data. */
    private static void offer(int x, int y, double c, int[] best, double[] bestCost) {
        if (c < bestCost[x] || (c == bestCost[x] && y < best[x])) {
            bestCost[x] = c;
            best[x] = y;
        }
    }

    private static int index(int a, int b) {
        int hi = Math.max(a, b);
        int lo = Math.min(a, b);
        return hi * (hi - 1) / 2 + lo;
    }

    /** A cluster's count, mean and scatter, and its cost {@code n · ln det((W + sI)/n)}. */
    private record Cluster(int n, double[] mean, double[] scatter, double cost) {
        static Cluster of(double[] z, int i, int d, double ridge) {
            double[] mean = Arrays.copyOfRange(z, i * d, i * d + d);
            double[] scatter = new double[d * d];
            return new Cluster(1, mean, scatter, costOf(1, scatter, d, ridge, new double[d * d]));
        }

        static Cluster merged(Cluster a, Cluster b, double ridge) {
            int d = a.mean.length;
            double[] scatter = new double[d * d];
            double[] mean = new double[d];
            int n = fill(a, b, mean, scatter);
            return new Cluster(n, mean, scatter, costOf(n, scatter, d, ridge, new double[d * d]));
        }

        /** How much merging raises the total cost. */
        static double mergeCost(Cluster a, Cluster b, double ridge, double[] workspace) {
            int d = a.mean.length;
            double[] scatter = new double[d * d];
            int n = fill(a, b, new double[d], scatter);
            return costOf(n, scatter, d, ridge, workspace) - a.cost - b.cost;
        }

        /** The union's count; its mean and scatter {@code Wa + Wb + (na nb / n)(ma − mb)(ma − mb)ᵀ} into the arrays. */
        private static int fill(Cluster a, Cluster b, double[] mean, double[] scatter) {
            int d = a.mean.length;
            int n = a.n + b.n;
            double f = (double) a.n * b.n / n;
            for (int p = 0; p < d; p++) {
                mean[p] = (a.n * a.mean[p] + b.n * b.mean[p]) / n;
                double dp = a.mean[p] - b.mean[p];
                for (int q = 0; q < d; q++) {
                    scatter[p * d + q] = a.scatter[p * d + q] + b.scatter[p * d + q] + f * dp * (a.mean[q] - b.mean[q]);
                }
            }
            return n;
        }

        /** {@code n · ln det((W + sI)/n)} by a Cholesky factorisation, in place in {@code work}. */
        private static double costOf(int n, double[] scatter, int d, double ridge, double[] work) {
            for (int p = 0; p < d * d; p++) {
                work[p] = scatter[p] / n;
            }
            for (int p = 0; p < d; p++) {
                work[p * d + p] += ridge / n;
            }
            double logDet = 0;
            for (int p = 0; p < d; p++) {
                for (int q = 0; q <= p; q++) {
                    double s = work[p * d + q];
                    for (int r = 0; r < q; r++) {
                        s -= work[p * d + r] * work[q * d + r];
                    }
                    if (p == q) {
                        double v = Math.max(s, Double.MIN_NORMAL);
                        work[p * d + p] = Math.sqrt(v);
                        logDet += Math.log(v);
                    } else {
                        work[p * d + q] = s / work[q * d + q];
                    }
                }
            }
            return n * logDet;
        }
    }
}
