package io.emkit.kmeans;

import io.emkit.data.Dataset;
import io.emkit.mixture.PrincipalAxis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Split-and-merge moves for converged k-means, the model's part of the engine's search (the k-means form of
 * Ueda et al.'s SMEM, 2000): merge the two clusters whose union raises the inertia least (Ward's cost,
 * {@code nₐn_b/(nₐ+n_b)·‖cₐ−c_b‖²}) and split the cluster with the largest inertia along its principal
 * axis, its two new centroids where the halves of a Gaussian have their means (±√(2/π) standard deviations).
 */
final class KMeansMoves {
    /** The most rows the moves look at; more are sampled evenly. */
    static final int MAX_ROWS = 20_000;

    private KMeansMoves() {
    }

    static List<KMeansModel> candidates(Dataset data, KMeansModel fitted, int max) {
        int k = fitted.components();
        if (k < 3 || max < 1) {
            return List.of();
        }
        Dataset rows = data.rows() > MAX_ROWS ? data.sample(MAX_ROWS, 0L) : data;
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
        List<int[]> pairs = new ArrayList<>();
        List<Double> wardCost = new ArrayList<>();
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double t = c[a * d + j] - c[b * d + j];
                    dist += t * t;
                }
                double m = mass[a] + mass[b];
                pairs.add(new int[] {a, b});
                wardCost.add(m > 0 ? mass[a] * mass[b] / m * dist : 0.0);
            }
        }
        Integer[] pairOrder = order(pairs.size(), i -> wardCost.get(i));
        Integer[] splitOrder = order(k, i -> -sse[i]);
        List<KMeansModel> out = new ArrayList<>();
        for (int p = 0; p < pairOrder.length && out.size() < max; p++) {
            int[] pair = pairs.get(pairOrder[p]);
            int taken = 0;
            for (int s = 0; s < k && taken < 2 && out.size() < max; s++) {
                int split = splitOrder[s];
                if (split == pair[0] || split == pair[1] || mass[split] == 0) {
                    continue;
                }
                taken++;
                out.add(moved(fitted, c, mass, scatter[split], pair[0], pair[1], split, d));
            }
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

    private static Integer[] order(int size, java.util.function.IntToDoubleFunction key) {
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> key.applyAsDouble(i)).thenComparingInt(i -> i));
        return idx;
    }
}
