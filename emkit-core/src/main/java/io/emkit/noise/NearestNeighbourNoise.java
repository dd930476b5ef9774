package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.kernels.SpecialFunctions;

import java.util.Arrays;

/**
 * A first guess of which rows are noise, from each row's distance to its k-th nearest neighbour, after Byers
 * and Raftery (1998, "Nearest-neighbor clutter removal for estimating features in spatial point processes",
 * JASA 93), the method of prabclus' {@code NNclean} that mclust's documentation recommends for starting a fit
 * with a noise component.
 *
 * <p>Where points form a Poisson process of intensity λ in d dimensions, {@code Y = α_d D_k^d} (α_d the
 * volume of the unit ball, D_k the k-th neighbour's distance) is Gamma-distributed with shape k and rate λ.
 * Features and noise are two such processes of different intensity, so the Y of all rows is a mixture of two
 * Gammas of known shape, fitted here by EM (rates and weight; the rate's M-step is
 * {@code λ = k Σ z / Σ z·y}); a row is noise when the low-intensity component is the more probable for it.
 *
 * <p>Distances are computed exactly against every other row up to {@value #MAX_REFERENCE} rows; above, against
 * every ⌈n/m⌉-th row (m that many, or fewer at high dimension), which scales both intensities alike and keeps
 * the cost near {@code n · 20,000 · d}.
 *
 * <p>With missing values ({@code NaN}), the distance between two rows is taken over the coordinates both observe,
 * its square scaled by {@code d / (coordinates both observe)} (the partial-distance estimate of the full distance
 * that scikit-learn's {@code nan_euclidean_distances} uses); pairs sharing no observed coordinate are not
 * neighbours. A row with fewer than k neighbours (one observing nothing, for one) is not guessed noise and does
 * not enter the two Gammas' fit.
 */
public final class NearestNeighbourNoise {
    /** The default neighbour count. */
    public static final int DEFAULT_NEIGHBOURS = 5;
    /** Rows beyond which distances are taken to a random subset of the rows. */
    static final int MAX_REFERENCE = 20_000;
    private static final int MAX_ITERATIONS = 1000;
    private static final double TOLERANCE = 1e-10;

    private NearestNeighbourNoise() {
    }

    /**
     * Which rows look like noise.
     *
     * @param data       rows; missing values ({@code NaN}) allowed
     * @param neighbours k, the neighbour whose distance is used (at least 1, fewer than the rows)
     * @return one flag per row, true for noise
     * @throws EmkitException if {@code neighbours} does not fit the data
     */
    public static boolean[] guess(Dataset data, int neighbours) {
        int n = data.rows();
        if (neighbours < 1 || neighbours >= n) {
            throw new EmkitException("the noise guess needs 1 <= neighbours < rows (" + n + "); got " + neighbours);
        }
        double[] y = scaledDistances(data, neighbours);
        return classify(y, neighbours);
    }

    /**
     * {@code α_d D_k^d} of each row, in logs: the k-th neighbour's distance as a ball's volume. The neighbours are
     * sought among every row, or on large data among every ⌈n/m⌉-th; a row is never its own neighbour.
     */
    static double[] scaledDistances(Dataset data, int k) {
        int n = data.rows();
        int d = data.columns();
        int m = (int) Math.min(n, Math.max(Math.min(MAX_REFERENCE, 2_000), Math.min(MAX_REFERENCE, 4e9 / ((double) n * d))));
        int[] reference = new int[m];
        for (int j = 0; j < m; j++) {
            reference[j] = (int) ((long) j * n / m);
        }
        double[] x = data.rawValues();
        boolean missing = data.firstMissing() != null;
        double logBall = 0.5 * d * Math.log(Math.PI) - SpecialFunctions.logGamma(0.5 * d + 1);
        double[] out = new double[n];
        double[] nearest = new double[k];
        for (int i = 0; i < n; i++) {
            // The k smallest squared distances to other rows, ascending.
            Arrays.fill(nearest, Double.POSITIVE_INFINITY);
            for (int row : reference) {
                if (row == i) {
                    continue;
                }
                double s = missing ? partialDistance(x, i, row, d) : 0;
                for (int a = 0; a < d && !missing; a++) {
                    double v = x[i * d + a] - x[row * d + a];
                    s += v * v;
                }
                if (s < nearest[k - 1]) {
                    int at = k - 1;
                    while (at > 0 && nearest[at - 1] > s) {
                        nearest[at] = nearest[at - 1];
                        at--;
                    }
                    nearest[at] = s;
                }
            }
            out[i] = logBall + 0.5 * d * Math.log(nearest[k - 1]);
        }
        return out;
    }

    /**
     * The squared distance between rows i and j over the coordinates both observe, scaled by d over their number;
     * +∞ when they share none.
     */
    private static double partialDistance(double[] x, int i, int j, int d) {
        double s = 0;
        int shared = 0;
        for (int a = 0; a < d; a++) {
            double v = x[i * d + a] - x[j * d + a];
            if (!Double.isNaN(v)) {
                s += v * v;
                shared++;
            }
        }
        return shared == 0 ? Double.POSITIVE_INFINITY : shared == d ? s : s * d / shared;
    }

    /**
     * EM for two Gammas of shape k on {@code y = exp(logY)}: true where the sparser one is more probable. Rows whose
     * {@code logY} is not finite (no k-th neighbour) are left out and not noise.
     */
    static boolean[] classify(double[] logY, int k) {
        int all = logY.length;
        int n = 0;
        for (double v : logY) {
            n += v < Double.POSITIVE_INFINITY ? 1 : 0;
        }
        if (n < all) {
            // Classify the rows that have a k-th neighbour; the others are not noise.
            double[] finite = new double[n];
            int[] at = new int[n];
            for (int i = 0, t = 0; i < all; i++) {
                if (logY[i] < Double.POSITIVE_INFINITY) {
                    at[t] = i;
                    finite[t++] = logY[i];
                }
            }
            boolean[] out = new boolean[all];
            if (n >= 2) {
                boolean[] some = classify(finite, k);
                for (int t = 0; t < n; t++) {
                    out[at[t]] = some[t];
                }
            }
            return out;
        }
        double[] y = new double[n];
        double[] sorted = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.exp(logY[i]);
            sorted[i] = y[i];
        }
        Arrays.sort(sorted);
        // Start: the dense component from the smaller 90% of the volumes, the sparse one from the rest.
        int split = Math.max(1, Math.min(n - 1, (int) Math.floor(0.9 * n)));
        double dense = k * split / sum(sorted, 0, split);
        double sparse = k * (n - split) / sum(sorted, split, n);
        double noise = (double) (n - split) / n;
        double[] z = new double[n];
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < MAX_ITERATIONS && sparse < dense; iteration++) {
            double ll = 0;
            double zSum = 0;
            double zy = 0;
            double oneMinusZy = 0;
            for (int i = 0; i < n; i++) {
                // log Gamma(y; k, λ) up to terms common to both: k ln λ − λ y.
                double a = Math.log1p(-noise) + k * Math.log(dense) - dense * y[i];
                double b = Math.log(noise) + k * Math.log(sparse) - sparse * y[i];
                double max = Math.max(a, b);
                double logSum = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
                z[i] = Math.exp(b - logSum);
                ll += logSum;
                zSum += z[i];
                zy += z[i] * y[i];
                oneMinusZy += (1 - z[i]) * y[i];
            }
            if (ll - previous < TOLERANCE * Math.abs(ll)) {
                break;
            }
            previous = ll;
            noise = Math.min(Math.max(zSum / n, 1e-12), 1 - 1e-12);
            sparse = zy > 0 ? k * zSum / zy : sparse;
            dense = oneMinusZy > 0 ? k * (n - zSum) / oneMinusZy : dense;
        }
        boolean[] out = new boolean[n];
        if (!(sparse < dense)) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = z[i] > 0.5;
        }
        return out;
    }

    private static double sum(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s > 0 ? s : Double.MIN_NORMAL;
    }
}
