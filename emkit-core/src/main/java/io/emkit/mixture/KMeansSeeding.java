package io.emkit.mixture;

import io.emkit.data.Dataset;

import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur and Vassilvitskii, 2007): the start of every {@link KMeans} run and of the
 * Gaussian mixtures' k-means++ initialisation. Each new centre is a row drawn with probability proportional
 * to its squared distance from the nearest centre chosen so far, so duplicates of a chosen row are never
 * drawn again. (Lloyd's iterations themselves are {@link KMeansSteps}, on the EM engine.)
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

    static double squaredDistance(double[] x, int xo, double[] y, int yo, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double t = x[xo + j] - y[yo + j];
            s += t * t;
        }
        return s;
    }
}
