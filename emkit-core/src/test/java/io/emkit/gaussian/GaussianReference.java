package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.TestData;
import io.emkit.data.Dataset;

import java.util.SplittableRandom;

/**
 * Textbook Gaussian arithmetic written for the tests only, sharing no code with the library: explicit
 * Gauss–Jordan inverse, Cholesky log-determinant, direct log density, log-sum-exp, weighted moments and
 * the standard errors of the usual estimators.
 */
public final class GaussianReference {
    public static final double LOG_2PI = Math.log(2 * Math.PI);

    private GaussianReference() {
    }

    /** Inverse by Gauss–Jordan elimination with partial pivoting. */
    public static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1.0;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            double p = m[col][col];
            if (p == 0) {
                throw new ArithmeticException("singular matrix");
            }
            for (int j = 0; j < 2 * n; j++) {
                m[col][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && m[r][col] != 0) {
                    double f = m[r][col];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[col][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** log det of a symmetric positive-definite matrix from the textbook Cholesky factor. */
    public static double logDeterminant(double[][] a) {
        double[][] l = TestData.cholesky(a);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += 2 * Math.log(l[i][i]);
        }
        return s;
    }

    /** log N(x | mu, cov), directly: −½ (d log 2π + log det Σ + (x−μ)ᵀ Σ⁻¹ (x−μ)). */
    public static double logNormal(double[] x, double[] mu, double[][] cov) {
        int d = x.length;
        double[][] inv = inverse(cov);
        double q = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                q += (x[a] - mu[a]) * inv[a][b] * (x[b] - mu[b]);
            }
        }
        return -0.5 * (d * LOG_2PI + logDeterminant(cov) + q);
    }

    /** log Σ exp(v), shifted by the maximum. */
    public static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            max = Math.max(max, e);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double e : v) {
            s += Math.exp(e - max);
        }
        return max + Math.log(s);
    }

    /** log w_c + log N(x | μ_c, Σ_c) for each component. */
    public static double[] logJoint(double[] x, double[] w, double[][] mu, double[][][] cov) {
        double[] out = new double[w.length];
        for (int c = 0; c < w.length; c++) {
            out[c] = Math.log(w[c]) + logNormal(x, mu[c], cov[c]);
        }
        return out;
    }

    /** log Σ_c w_c N(x | μ_c, Σ_c). */
    public static double logMixture(double[] x, double[] w, double[][] mu, double[][][] cov) {
        return logSumExp(logJoint(x, w, mu, cov));
    }

    /** The total log-likelihood of every row. */
    public static double logLikelihood(Dataset data, double[] w, double[][] mu, double[][][] cov) {
        double s = 0;
        for (double[] row : data.toArray()) {
            s += logMixture(row, w, mu, cov);
        }
        return s;
    }

    /** w_c N(x | c) / Σ. */
    public static double[] responsibilities(double[] x, double[] w, double[][] mu, double[][][] cov) {
        double[] lj = logJoint(x, w, mu, cov);
        double lse = logSumExp(lj);
        double[] r = new double[lj.length];
        for (int c = 0; c < r.length; c++) {
            r[c] = Math.exp(lj[c] - lse);
        }
        return r;
    }

    // ------------------------------------------------------------------------------------ random parameters

    /** A random symmetric positive-definite matrix B Bᵀ/d + s·I, eigenvalues roughly in [s, s + 4]. */
    public static double[][] randomSpd(SplittableRandom r, int d, double s) {
        double[][] b = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                b[i][j] = r.nextGaussian();
            }
        }
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int m = 0; m < d; m++) {
                    v += b[i][m] * b[j][m];
                }
                a[i][j] = v / d;
                a[j][i] = v / d;
            }
            a[i][i] += s;
        }
        return a;
    }

    public static double[][] diagonal(double[] v) {
        double[][] a = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            a[i][i] = v[i];
        }
        return a;
    }

    public static double[][] scaledIdentity(int d, double v) {
        double[] diag = new double[d];
        java.util.Arrays.fill(diag, v);
        return diagonal(diag);
    }

    /** Random weights, each at least 0.1/K, summing to 1. */
    public static double[] randomWeights(SplittableRandom r, int k) {
        double[] w = new double[k];
        double s = 0;
        for (int c = 0; c < k; c++) {
            w[c] = 0.1 + r.nextDouble();
            s += w[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] /= s;
        }
        return w;
    }

    /**
     * Builds random valid parameters of the given structure through the public factory and returns them
     * with the full covariance matrices the reference uses.
     */
    public static Params randomParams(SplittableRandom r, CovarianceType type, int k, int d, double meanSpread) {
        double[] w = randomWeights(r, k);
        double[][] mu = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu[c][j] = meanSpread * r.nextGaussian();
            }
        }
        double[][][] cov = new double[k][][];
        GaussianMixtureModel model;
        switch (type) {
            case FULL -> {
                for (int c = 0; c < k; c++) {
                    cov[c] = randomSpd(r, d, 0.3);
                }
                model = GaussianMixtureModel.full(w, mu, cov);
            }
            case DIAG -> {
                double[][] v = new double[k][d];
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < d; j++) {
                        v[c][j] = Math.exp(r.nextDouble(-1.5, 1.5));
                    }
                    cov[c] = diagonal(v[c]);
                }
                model = GaussianMixtureModel.diag(w, mu, v);
            }
            case SPHERICAL -> {
                double[] v = new double[k];
                for (int c = 0; c < k; c++) {
                    v[c] = Math.exp(r.nextDouble(-1.5, 1.5));
                    cov[c] = scaledIdentity(d, v[c]);
                }
                model = GaussianMixtureModel.spherical(w, mu, v);
            }
            case TIED -> {
                double[][] shared = randomSpd(r, d, 0.3);
                for (int c = 0; c < k; c++) {
                    cov[c] = shared;
                }
                model = GaussianMixtureModel.tied(w, mu, shared);
            }
            default -> {
                cov = randomConstrained(r, type, k, d);
                model = GaussianMixtureModel.of(type, w, mu, cov);
            }
        }
        return new Params(model, w, mu, cov);
    }

    /**
     * Random covariances {@code λk Dk Ak Dkᵀ} of one of mclust's structures: volumes, shapes and
     * orientations drawn once when the name says they are equal, per component when it says they vary.
     */
    public static double[][][] randomConstrained(SplittableRandom r, CovarianceType type, int k, int d) {
        String name = type.mclustName();
        double[] volume = new double[k];
        double[][] shape = new double[k][];
        double[][][] orientation = new double[k][][];
        for (int c = 0; c < k; c++) {
            volume[c] = name.charAt(0) == 'E' && c > 0 ? volume[0] : Math.exp(r.nextDouble(-1, 1));
            if (name.charAt(1) == 'I') {
                shape[c] = new double[d];
                java.util.Arrays.fill(shape[c], 1.0);
            } else if (name.charAt(1) == 'E' && c > 0) {
                shape[c] = shape[0];
            } else {
                double[] a = new double[d];
                double logSum = 0;
                for (int j = 0; j < d; j++) {
                    a[j] = r.nextDouble(-1, 1);
                    logSum += a[j];
                }
                for (int j = 0; j < d; j++) {
                    a[j] = Math.exp(a[j] - logSum / d);
                }
                shape[c] = a;
            }
            if (name.charAt(2) == 'I') {
                orientation[c] = scaledIdentity(d, 1.0);
            } else if (name.charAt(2) == 'E' && c > 0) {
                orientation[c] = orientation[0];
            } else {
                orientation[c] = randomOrthogonal(r, d);
            }
        }
        double[][][] cov = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double s = 0;
                    for (int m = 0; m < d; m++) {
                        s += orientation[c][a][m] * shape[c][m] * orientation[c][b][m];
                    }
                    cov[c][a][b] = volume[c] * s;
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < a; b++) {
                    cov[c][a][b] = cov[c][b][a];
                }
            }
        }
        return cov;
    }

    /** A random orthogonal matrix: Gram–Schmidt on Gaussian columns. */
    public static double[][] randomOrthogonal(SplittableRandom r, int d) {
        double[][] q = new double[d][d];
        for (int j = 0; j < d; j++) {
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = r.nextGaussian();
            }
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += v[i] * q[i][p];
                }
                for (int i = 0; i < d; i++) {
                    v[i] -= dot * q[i][p];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    /** Parameters as the tests know them, and the model built from them. */
    public record Params(GaussianMixtureModel model, double[] weights, double[][] means, double[][][] covariances) {
    }

    // ------------------------------------------------------------------------------------ comparison helpers

    /** |a − b| ≤ rel · max(|a|, |b|, floor). */
    public static boolean close(double a, double b, double rel, double floor) {
        return Math.abs(a - b) <= rel * Math.max(Math.max(Math.abs(a), Math.abs(b)), floor);
    }

    /** For each true component, the fitted component whose mean is nearest; fails if two truths share one. */
    public static int[] matchByNearestMean(double[][] fittedMeans, double[][] trueMeans) {
        int[] match = new int[trueMeans.length];
        boolean[] used = new boolean[fittedMeans.length];
        for (int t = 0; t < trueMeans.length; t++) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int f = 0; f < fittedMeans.length; f++) {
                double s = 0;
                for (int j = 0; j < trueMeans[t].length; j++) {
                    double z = fittedMeans[f][j] - trueMeans[t][j];
                    s += z * z;
                }
                if (s < bestDist) {
                    bestDist = s;
                    best = f;
                }
            }
            if (used[best]) {
                throw new AssertionError("two true components matched fitted component " + best);
            }
            used[best] = true;
            match[t] = best;
        }
        return match;
    }

    /** Whether any value in the arrays (of any depth) is NaN or infinite. */
    public static boolean hasNonFinite(double[]... arrays) {
        for (double[] a : arrays) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether any value of the model (weights, means, covariances) is NaN or infinite. */
    public static boolean modelHasNonFinite(GaussianMixtureModel m) {
        if (hasNonFinite(m.weights()) || hasNonFinite(m.means())) {
            return true;
        }
        for (double[][] c : m.covariances()) {
            if (hasNonFinite(c)) {
                return true;
            }
        }
        return false;
    }
}
