package io.emkit.init;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.Arrays;

/**
 * Model-based agglomerative hierarchical clustering (Banfield and Raftery 1993; Fraley 1998) as mclust 6.0.0
 * computes it to start EM ({@code Mclust}, {@code mclustBIC}: {@code hc(X, modelName = "VVV", use = "SVD")}):
 * the same transformed data, the same merge sequence, and the same partitions as {@code hclass} at every cut.
 *
 * <p><b>Transformation</b> ({@code use = "SVD"}). The rows are standardised (centred, each column divided by
 * its standard deviation, divisor n − 1; a constant column is dropped), {@code Xs = U D Vᵀ}, and the rows
 * clustered are {@code Z = Xs V diag(1/√d_k)}, axes in decreasing order of singular value (an axis of
 * singular value 0 is dropped). This divides by the square root of the singular values: Z is not whitened.
 *
 * <p><b>Agglomeration.</b> mclust's routine {@code hcvvv} with its defaults (α = β = 1), starting from one
 * cluster per row: its regularised VVV criterion, its tie-breaking, and the effect of a defect in the factors
 * it stores, which changes later merge costs; see {@link VvvAgglomeration}. A cluster is known by its
 * smallest row; {@link #partition(int)} numbers the clusters in order of their first rows, as
 * {@code hclass} does (from 0 here, from 1 there).
 *
 * <p><b>Large data.</b> On more than {@value #DEFAULT_MAX_ROWS} rows (or the limit given) the clustering runs
 * on that many rows spread evenly over the data (rows {@code ⌊i·n/m⌋}), deterministic, where mclust draws a
 * random subset of that size; the other rows get no starting cluster and join through EM's first E-step. With
 * row weights, rows of weight 0 are left out and the others count once each here (the weights act through EM,
 * from the first M-step on). Memory is a triangular table of merge costs, {@code 4m²} bytes (16 MB at
 * m = 2000, 100 MB at 5000); time about {@code m²} cost evaluations.
 *
 * <p>Immutable; {@link #partition(int)} cuts the tree at any K.
 */
public final class HierarchicalClustering {
    /** mclust's default size of the subset the hierarchical phase looks at ({@code mclust.options("subset")}). */
    public static final int DEFAULT_MAX_ROWS = 2000;

    private final int[] rows;
    private final int[] mergedInto;
    private final int[] mergedFrom;
    private final double[] mergeCost;

    private HierarchicalClustering(int[] rows, VvvAgglomeration.Merges merges) {
        this.rows = rows;
        this.mergedInto = merges.into();
        this.mergedFrom = merges.from();
        this.mergeCost = merges.cost();
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
        double[][] x = new double[m][];
        for (int i = 0; i < m; i++) {
            rows[i] = candidates[(int) ((long) i * n / m)];
            x[i] = data.row(rows[i]);
        }
        return new HierarchicalClustering(rows, agglomerate(svdTransform(x)));
    }

    /**
     * The tree of the rows as given, with no transformation: mclust's {@code hc(X)} with its own formal
     * default {@code use = "VARS"}.
     */
    static HierarchicalClustering ofUntransformed(double[][] x) {
        int[] rows = java.util.stream.IntStream.range(0, x.length).toArray();
        return new HierarchicalClustering(rows, agglomerate(x));
    }

    private static VvvAgglomeration.Merges agglomerate(double[][] z) {
        int n = z.length;
        int p = n == 0 ? 0 : z[0].length;
        double[] flat = new double[n * p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(z[i], 0, flat, i * p, p);
        }
        return VvvAgglomeration.run(flat, n, p);
    }

    /** @return which rows of the data were clustered, ascending (a copy) */
    public int[] clusteredRows() {
        return rows.clone();
    }

    /** Per step, the smaller label (0-based smallest row) of the two clusters merged; the merged cluster keeps it. */
    int[] mergedInto() {
        return mergedInto.clone();
    }

    /** Per step, the larger label of the two clusters merged, which disappears. */
    int[] mergedFrom() {
        return mergedFrom.clone();
    }

    /** Per step, the merge's cost as hcvvv reports it. */
    double[] mergeCosts() {
        return mergeCost.clone();
    }

    /**
     * The partition into {@code k} clusters: the merge sequence replayed until {@code k} clusters remain.
     *
     * @param k clusters, from 1 to the number of rows clustered
     * @return per clustered row (in {@link #clusteredRows()} order) its cluster, numbered from 0 in the
     *         order of the clusters' first rows (mclust's {@code hclass} numbering, minus 1)
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

    /** The rows that can start a cluster: all of them, or those of positive weight when the data carry weights. */
    private static int[] rowsWithWeight(Dataset data) {
        double[] w = data.rawWeights();
        if (w == null) {
            return java.util.stream.IntStream.range(0, data.rows()).toArray();
        }
        return java.util.stream.IntStream.range(0, data.rows()).filter(i -> w[i] > 0).toArray();
    }

    /**
     * mclust's {@code use = "SVD"}: {@code Xs = scale(X)}, {@code Xs = U D Vᵀ}, {@code Z = Xs V diag(1/√d)}.
     * Constant columns (not finite once scaled, dropped by mclust too) and axes of singular value 0 are left
     * out; column signs are the decomposition's, which the criterion does not see.
     */
    static double[][] svdTransform(double[][] x) {
        int m = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (double[] row : x) {
                s += row[j];
            }
            mean[j] = s / m;
            double ss = 0;
            for (double[] row : x) {
                double v = row[j] - mean[j];
                ss += v * v;
            }
            sd[j] = Math.sqrt(ss / (m - 1));
        }
        int[] kept = java.util.stream.IntStream.range(0, d).filter(j -> sd[j] > 0 && Double.isFinite(sd[j])).toArray();
        int q = kept.length;
        if (q == 0) {
            return new double[m][0];
        }
        DMatrixRMaj xs = new DMatrixRMaj(m, q);
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < q; c++) {
                int j = kept[c];
                xs.set(i, c, (x[i][j] - mean[j]) / sd[j]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, q, false, true, true);
        if (!svd.decompose(xs.copy())) {
            throw new EmkitException("hierarchical clustering: the singular value decomposition of the data failed");
        }
        double[] singular = svd.getSingularValues();
        int axes = svd.numberOfSingularValues();
        DMatrixRMaj v = svd.getV(null, false);
        Integer[] order = new Integer[axes];
        for (int k = 0; k < axes; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(singular[b], singular[a]));
        int p = 0;
        while (p < axes && singular[order[p]] > 0) {
            p++;
        }
        double[][] z = new double[m][p];
        for (int k = 0; k < p; k++) {
            int axis = order[k];
            double scale = 1.0 / Math.sqrt(singular[axis]);
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int c = 0; c < q; c++) {
                    s += xs.get(i, c) * v.get(c, axis);
                }
                z[i][k] = s * scale;
            }
        }
        return z;
    }
}
