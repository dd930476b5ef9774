package io.emkit.kmeans;

import io.emkit.init.KMeansSeeding;
import io.emkit.mixture.AbstractClusteringModel;
import io.emkit.mixture.ClusteringModel;
import io.emkit.mixture.DataChecks;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.kernels.CentroidTable;

import java.util.Arrays;
import java.util.List;

/**
 * A fitted k-means model: {@code K} centroids in {@code D} dimensions. Each row belongs to its nearest
 * centroid in Euclidean distance; a row exactly as near to two centroids belongs to the one with the
 * lower index. Immutable; safe to share between threads.
 *
 * <p>k-means is not a density: it has no weights, responsibilities or log-likelihood. Its objective is
 * the {@linkplain #inertia inertia}, the sum over rows of the squared distance to the nearest centroid.
 *
 * <p>Build one with {@link #of(double[][])}, or fit one with {@link KMeans}.
 */
public final class KMeansModel extends AbstractClusteringModel {
    /** Rows per call of {@link CentroidTable#nearest}: buffers small enough to stay in the L1 cache. */
    static final int CHUNK = 64;
    /** Centroids, cluster after cluster: {@code k * d}. */
    private final double[] centroids;
    /** The centroids laid out for SIMD distances, made on first use (threads racing to make it make equal ones). */
    private transient volatile CentroidTable simdTable;

    private KMeansModel(double[] centroids, int k, int d, List<String> featureNames) {
        super(k, d, checkedShape(centroids, k, d, featureNames));
        this.centroids = centroids;
    }

    /** Checks the constructor's arguments, in its order; returns the names the model keeps. */
    private static List<String> checkedShape(double[] centroids, int k, int d, List<String> featureNames) {
        if (k < 1) {
            throw new EmkitException("k-means needs at least one cluster");
        }
        if (d < 1) {
            throw new EmkitException("k-means needs at least one feature");
        }
        for (int i = 0; i < centroids.length; i++) {
            if (!Double.isFinite(centroids[i])) {
                throw new EmkitException("centroid " + (i / d + 1) + ", feature " + (i % d + 1) + " is not finite: "
                        + centroids[i]);
            }
        }
        return featureNamesOrDefault(featureNames, d);
    }

    /**
     * A model with these centroids and features named {@code x1..xD}.
     *
     * @param centroids K rows of D finite numbers (copied)
     * @return the model
     * @throws EmkitException if there are no centroids, they differ in length or hold a non-finite value
     */
    public static KMeansModel of(double[][] centroids) {
        if (centroids.length == 0) {
            throw new EmkitException("k-means needs at least one cluster");
        }
        int d = centroids[0].length;
        double[] flat = new double[centroids.length * d];
        for (int c = 0; c < centroids.length; c++) {
            if (centroids[c].length != d) {
                throw new EmkitException("centroid " + (c + 1) + " has " + centroids[c].length
                        + " values, expected " + d);
            }
            System.arraycopy(centroids[c], 0, flat, c * d, d);
        }
        return new KMeansModel(flat, centroids.length, d, null);
    }

    /**
     * Builds from a flat array, which the caller hands over (no copy).
     *
     * @param centroids the centroids, row-major (k × d)
     * @param k how many
     * @param d the number of features
     * @param names the feature names
     * @return the model
     */
    public static KMeansModel ofFlat(double[] centroids, int k, int d, List<String> names) {
        return new KMeansModel(centroids, k, d, names);
    }

    /**
     * The same centroids with the features renamed.
     *
     * @param names D names
     * @return a new model
     */
    public KMeansModel withFeatureNames(List<String> names) {
        return new KMeansModel(centroids, k, d, names);
    }

    /** @return K·D: every coordinate of every centroid */
    @Override
    public int parameterCount() {
        return k * d;
    }

    /**
     * @param c the cluster, from 0
     * @return its centroid (a copy)
     */
    public double[] centroid(int c) {
        return Arrays.copyOfRange(centroids, c * d, (c + 1) * d);
    }

    /** @return the centroids, {@code K × D} (a copy) */
    public double[][] centroids() {
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            out[c] = centroid(c);
        }
        return out;
    }

    /**
     * The flat centroids, not copied: callers in this package must not change them.
     *
     * @return the centroids, row-major (k × d), a copy
     */
    public double[] flatCentroids() {
        return centroids;
    }

    /**
     * The nearest centroid of row {@code xo / d} of {@code x}; ties go to the lower index.
     *
     * @param out receives the squared distance to it in {@code out[0]}
     * @return its index
     */
    int nearest(double[] x, int xo, double[] out) {
        int best = 0;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double dist = KMeansSeeding.squaredDistance(x, xo, centroids, c * d, d);
            if (dist < bestDist) {
                bestDist = dist;
                best = c;
            }
        }
        out[0] = bestDist;
        return best;
    }

    /**
     * The centroids laid out for a pass over {@code rows} rows: SIMD lanes across the centroids when there are
     * enough centroids and the pass is large enough ({@link CentroidTable#simdForClusters}), the portable loop
     * otherwise; the distances and nearest centroids are the same bit for bit either way, those of {@link #nearest}.
     *
     * @param rows the rows of the pass
     * @return the table
     */
    CentroidTable table(long rows) {
        return table(rows, true);
    }

    /**
     * {@link #table(long)}, or the portable loop whatever the sizes when {@code simdAllowed} is false (a mixture's
     * start: {@link KMeans#start}).
     *
     * @param rows        the rows of the pass
     * @param simdAllowed whether SIMD lanes may run
     * @return the table
     */
    CentroidTable table(long rows, boolean simdAllowed) {
        if (!simdAllowed || !CentroidTable.simdForClusters(rows, k)) {
            return CentroidTable.of(centroids, k, d, false);
        }
        CentroidTable table = simdTable;
        if (table == null) {
            table = CentroidTable.of(centroids, k, d, true);
            simdTable = table;
        }
        return table;
    }

    private void checkData(Dataset data) {
        DataChecks.requireEvaluable(data, d, featureNames);
    }

    /**
     * Each row's nearest centroid (ties go to the lower index).
     *
     * @param data rows with {@link #dimension()} columns, no missing values
     * @return one cluster index (from 0) per row
     */
    @Override
    public int[] predict(Dataset data) {
        checkData(data);
        return labels(data, true);
    }

    /** {@link #predict} without its check, the scans as {@link #table(long, boolean)} says. */
    int[] labels(Dataset data, boolean simdAllowed) {
        double[] x = data.rawValues();
        int rows = data.rows();
        int[] out = new int[rows];
        int[] label = new int[CHUNK];
        double[] dist = new double[CHUNK];
        CentroidTable table = table(rows, simdAllowed);
        for (int i = 0; i < rows; i += CHUNK) {
            int n = Math.min(CHUNK, rows - i);
            table.nearest(x, i * d, n, label, dist);
            System.arraycopy(label, 0, out, i, n);
        }
        return out;
    }

    /**
     * The inertia of the rows: the sum of each row's squared Euclidean distance to its nearest centroid,
     * what k-means minimises; each distance times the row's weight when the rows carry weights.
     *
     * @param data rows with {@link #dimension()} columns, no missing values
     * @return the inertia, ≥ 0
     */
    public double inertia(Dataset data) {
        checkData(data);
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        int rows = data.rows();
        int[] label = new int[CHUNK];
        double[] dist = new double[CHUNK];
        CentroidTable table = table(rows);
        double total = 0;
        for (int i = 0; i < rows; i += CHUNK) {
            int n = Math.min(CHUNK, rows - i);
            table.nearest(x, i * d, n, label, dist);
            for (int r = 0; r < n; r++) {
                if (w == null) {
                    total += dist[r];
                } else if (w[i + r] != 0) {
                    total += w[i + r] * dist[r];
                }
            }
        }
        return total;
    }

    /**
     * Each row's Euclidean distance (not squared) to every centroid.
     *
     * @param data rows with {@link #dimension()} columns, no missing values
     * @return {@code rows × K} distances
     */
    public double[][] transform(Dataset data) {
        checkData(data);
        double[] x = data.rawValues();
        double[][] out = new double[data.rows()][k];
        CentroidTable table = table(out.length);
        double[] squared = new double[table.width()];
        for (int i = 0; i < out.length; i++) {
            table.squaredDistances(x, i * d, squared);
            for (int c = 0; c < k; c++) {
                out[i][c] = Math.sqrt(squared[c]);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KMeansModel m && m.k == k && m.d == d && Arrays.equals(m.centroids, centroids)
                && m.featureNames.equals(featureNames);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(centroids) + featureNames.hashCode();
    }

    @Override
    public String toString() {
        return "KMeansModel[" + k + " clusters, " + d + " features]";
    }
}
