package io.emkit.kmeans;

import io.emkit.em.PartitionSteps;
import io.emkit.data.Dataset;
import io.emkit.kernels.CentroidTable;

import java.util.function.Consumer;

/**
 * Lloyd's algorithm as EM's two steps: k-means is the hard-assignment limit of EM for a mixture of
 * spherical Gaussians with equal weights and a common variance going to zero.
 *
 * <ul>
 *   <li>E-step: each row goes to its nearest centroid (ties to the lower index); the block's
 *       "log-likelihood" is minus its inertia, so the engine maximises −inertia and the objective it
 *       monitors never decreases.</li>
 *   <li>M-step: each centroid becomes the mean of its rows. A cluster that received no row is moved onto
 *       the row farthest from its own centroid (the next farthest for a second empty cluster, and so
 *       on), with a warning; this cannot raise the inertia, since an empty cluster's centroid does not
 *       count in it.</li>
 * </ul>
 *
 * <p>Convergence is measured by the relative change of the inertia. When no row changes cluster, the
 * sums, hence the centroids and the inertia, are bit for bit those of the previous iteration: the
 * change is exactly 0, so any positive tolerance stops a run at Lloyd's fixed point at the latest.
 */
public final class KMeansSteps implements PartitionSteps.OfDataset<KMeansModel, KMeansStatistics> {
    private static final long serialVersionUID = 1L;
    /** Stateless: one instance serves every fit. */
    public static final KMeansSteps INSTANCE = new KMeansSteps();

    private KMeansSteps() {
    }

    @Override
    public KMeansStatistics emptyStatistics(KMeansModel params) {
        return new KMeansStatistics(params.components(), params.dimension());
    }

    @Override
    public double accumulate(KMeansModel params, Dataset data, int from, int to, KMeansStatistics stats) {
        return accumulate(params, data, from, to, 0, stats);
    }

    @Override
    public double accumulatePartition(KMeansModel params, Dataset rows, long firstRow, KMeansStatistics statistics) {
        return accumulate(params, rows, 0, rows.rows(), firstRow, statistics);
    }

    /**
     * Rows [from, to) of {@code data}, whose row 0 is row {@code firstRow} of all the rows: each row adds its
     * weight (1 without weights) to its cluster's count and its weighted values to the sum; a row of weight 0 adds
     * nothing and is never a re-seeding candidate. A weight of 1 multiplies exactly, so unweighted rows add what
     * they always did, bit for bit.
     */
    private static double accumulate(KMeansModel params, Dataset data, int from, int to, long firstRow,
                                     KMeansStatistics stats) {
        int d = params.dimension();
        double[] x = data.rawValues();
        double[] w = data.isWeighted() ? data.rawWeights() : null;
        CentroidTable table = params.table(data.rows());
        int[] label = new int[KMeansModel.CHUNK];
        double[] dist = new double[KMeansModel.CHUNK];
        double inertia = 0;
        for (int first = from; first < to; first += KMeansModel.CHUNK) {
            int n = Math.min(KMeansModel.CHUNK, to - first);
            table.nearest(x, first * d, n, label, dist);
            for (int r = 0; r < n; r++) {
                int i = first + r;
                double wi = w == null ? 1 : w[i];
                if (wi == 0) {
                    continue; // measured with the others, but adds nothing
                }
                int xo = i * d;
                int c = label[r];
                inertia += wi * dist[r];
                stats.count[c] += wi;
                table.addRow(stats.sum, c * d, wi, x, xo);
                stats.offerFarthest(firstRow + i, dist[r], x, xo);
            }
        }
        return -inertia;
    }

    @Override
    public KMeansModel maximize(KMeansStatistics s, KMeansModel previous, Consumer<String> warnings) {
        int k = s.k;
        int d = s.d;
        double[] centroids = new double[k * d];
        double[] prev = previous.flatCentroids();
        int nextFar = 0;
        for (int c = 0; c < k; c++) {
            if (s.count[c] > 0) {
                for (int j = 0; j < d; j++) {
                    centroids[c * d + j] = s.sum[c * d + j] / s.count[c];
                }
            }
        }
        for (int c = 0; c < k; c++) {
            if (s.count[c] > 0) {
                continue;
            }
            if (s.keepEmpty) {
                System.arraycopy(prev, c * d, centroids, c * d, d);
                continue;
            }
            // The farthest row not yet used, at a positive distance, and not already a re-seeded centroid.
            s.rank();
            int chosen = -1;
            while (nextFar < s.held && chosen < 0) {
                int f = nextFar++;
                if (s.farDistance[f] > 0 && !sameAsEarlierReseed(s, f)) {
                    chosen = f;
                }
            }
            if (chosen >= 0) {
                System.arraycopy(s.farValues, s.farOffset(chosen), centroids, c * d, d);
                warnings.accept("cluster " + (c + 1) + " lost all its rows; it was re-seeded on the row farthest"
                        + " from its centroid (fewer clusters may fit better)");
            } else {
                System.arraycopy(prev, c * d, centroids, c * d, d);
                warnings.accept("cluster " + (c + 1) + " lost all its rows and no distinct row was left to re-seed"
                        + " it; it keeps its centroid (fewer clusters may fit better)");
            }
        }
        return KMeansModel.ofFlat(centroids, k, d, previous.featureNames());
    }

    /** Whether far row {@code f} has the values of a far row before it (those may have re-seeded a cluster). */
    private static boolean sameAsEarlierReseed(KMeansStatistics s, int f) {
        int d = s.d;
        int fo = s.farOffset(f);
        for (int g = 0; g < f; g++) {
            int go = s.farOffset(g);
            boolean same = true;
            for (int j = 0; j < d && same; j++) {
                same = s.farValues[go + j] == s.farValues[fo + j];
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    /**
     * The relative change of the inertia, {@code (inertia_before − inertia_after) / inertia_before}, with
     * the sign of the objective's change (≥ 0 but for rounding); 0 when nothing changed.
     */
    @Override
    public double convergenceChange(double previous, double current, double normalizer) {
        if (current == previous) {
            return 0.0;
        }
        return (current - previous) / Math.abs(previous);
    }

    @Override
    public String convergenceMeasure() {
        return "relative change of the inertia";
    }

    /** @return K·D */
    @Override
    public int parameterCount(KMeansModel params) {
        return params.parameterCount();
    }
}
