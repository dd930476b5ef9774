package io.emkit.kmeans;

import io.emkit.data.Dataset;
import io.emkit.mixture.PrincipalAxis;
import io.emkit.mixture.SplitMergePlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Split-and-merge moves for converged k-means, the model's part of the engine's search (the k-means form of
 * Ueda et al.'s SMEM, 2000): merge the two clusters whose union raises the inertia least (Ward's cost,
 * {@code nₐn_b/(nₐ+n_b)·‖cₐ−c_b‖²}) and split the cluster with the largest inertia along its principal
 * axis, its two new centroids where the halves of a Gaussian have their means (±√(2/π) standard deviations).
 */
final class KMeansMoves {
    private KMeansMoves() {
    }

    static List<KMeansModel> candidates(Dataset data, KMeansModel fitted, int max) {
        return SplitMergePlan.candidates(data, fitted.components(), max, rows -> candidates(fitted, max, rows));
    }

    /** The moves planned and made on the rows to look at. */
    private static List<KMeansModel> candidates(KMeansModel fitted, int max, Dataset rows) {
        int k = fitted.components();
        int n = rows.rows();
        int d = rows.columns();
        double[] x = rows.rawValues();
        double[] w = rows.rawWeights();
        double[] c = fitted.flatCentroids();
        int[] label = fitted.predict(rows);
        double[] mass = new double[k];
        double[] sse = new double[k];
        double[][][] scatter = new double[k][d][d];
        for (int i = 0; i < n; i++) {
            int l = label[i];
            double wi = w == null ? 1.0 : w[i];
            mass[l] += wi;
            for (int a = 0; a < d; a++) {
                double da = x[i * d + a] - c[l * d + a];
                sse[l] += wi * da * da;
                for (int b = 0; b < d; b++) {
                    scatter[l][a][b] += wi * da * (x[i * d + b] - c[l * d + b]);
                }
            }
        }
        // Ward's cost of merging a and b: how much the inertia rises.
        SplitMergePlan.PairCost wardCost = (a, b) -> {
            double dist = 0;
            for (int j = 0; j < d; j++) {
                double t = c[a * d + j] - c[b * d + j];
                dist += t * t;
            }
            double m = mass[a] + mass[b];
            return m > 0 ? mass[a] * mass[b] / m * dist : 0.0;
        };
        List<KMeansModel> out = new ArrayList<>();
        for (int[] move : SplitMergePlan.moves(k, wardCost, i -> -sse[i], i -> mass[i] != 0, max)) {
            out.add(moved(fitted, c, mass, scatter[move[2]], move[0], move[1], move[2], d));
        }
        return out;
    }

    /** Merges {@code a} and {@code b} into {@code a}; splits {@code s} into {@code s} and {@code b}. */
    private static KMeansModel moved(KMeansModel fitted, double[] c, double[] mass, double[][] scatter, int a, int b,
                                     int s, int d) {
        double[] out = c.clone();
        double m = mass[a] + mass[b];
        for (int j = 0; j < d; j++) {
            out[a * d + j] = m > 0 ? (mass[a] * c[a * d + j] + mass[b] * c[b * d + j]) / m : c[a * d + j];
        }
        double[] v = PrincipalAxis.of(scatter);
        double variance = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                variance += v[i] * scatter[i][j] * v[j];
            }
        }
        double step = Math.sqrt(2.0 / Math.PI) * Math.sqrt(Math.max(variance, 0) / mass[s]);
        for (int j = 0; j < d; j++) {
            out[b * d + j] = c[s * d + j] - step * v[j];
            out[s * d + j] = c[s * d + j] + step * v[j];
        }
        return KMeansModel.ofFlat(out, fitted.components(), d, fitted.featureNames());
    }
}
