package io.emkit.mixture;

import io.emkit.data.Dataset;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur and Vassilvitskii, 2007) and Lloyd's iterations, used to start EM. Each new
 * centre is a row drawn with probability proportional to its squared distance from the nearest centre
 * chosen so far, so duplicates of a chosen row are never drawn again.
 */
final class KMeansSeeding {
    private KMeansSeeding() {
    }

    /** k-means++ centres, {@code k * d} values; needs at least k distinct rows. */
    static double[] seed(Dataset data, int k, SplittableRandom random) {
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        double[] centres = new double[k * d];
        int first = random.nextInt(n);
        System.arraycopy(x, first * d, centres, 0, d);
        double[] dist = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            dist[i] = squaredDistance(x, i * d, centres, 0, d);
            total += dist[i];
        }
        for (int c = 1; c < k; c++) {
            int chosen = -1;
            if (total > 0) {
                double u = random.nextDouble() * total;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += dist[i];
                    if (acc > u && dist[i] > 0) {
                        chosen = i;
                        break;
                    }
                }
                if (chosen < 0) {
                    // Rounding left u past the last increment: take the last row still at a distance.
                    for (int i = n - 1; i >= 0 && chosen < 0; i--) {
                        if (dist[i] > 0) {
                            chosen = i;
                        }
                    }
                }
            }
            if (chosen < 0) {
                chosen = random.nextInt(n);
            }
            System.arraycopy(x, chosen * d, centres, c * d, d);
            total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], squaredDistance(x, i * d, centres, c * d, d));
                total += dist[i];
            }
        }
        return centres;
    }

    /**
     * Lloyd's iterations from the given centres (updated in place) until no label changes or
     * {@code maxIterations}; a cluster that empties keeps its centre.
     *
     * @return the label of each row
     */
    static int[] lloyd(Dataset data, double[] centres, int k, int maxIterations) {
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        for (int iter = 0; iter < maxIterations; iter++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestDist = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dist = squaredDistance(x, i * d, centres, c * d, d);
                    if (dist < bestDist) {
                        bestDist = dist;
                        best = c;
                    }
                }
                if (labels[i] != best) {
                    labels[i] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            Arrays.fill(sums, 0.0);
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int c = labels[i];
                counts[c]++;
                for (int j = 0; j < d; j++) {
                    sums[c * d + j] += x[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        centres[c * d + j] = sums[c * d + j] / counts[c];
                    }
                }
            }
        }
        return labels;
    }

    static double squaredDistance(double[] x, int xo, double[] y, int yo, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double t = x[xo + j] - y[yo + j];
            s += t * t;
        }
        return s;
    }
}
