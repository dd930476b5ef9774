package io.emkit.bench;

import io.emkit.kernels.Linalg;

import java.util.SplittableRandom;

/**
 * The deterministic data of a case and the start every tool gets.
 *
 * <p>Truth: K components with weights ∝ 0.5 + U(0,1); means drawn N(0, (3/√D)² I), so two means are
 * about 3·√2 ≈ 4.2 apart whatever D is (well separated, yet the clusters overlap); covariances
 * 0.5·I + 0.5·A·Aᵀ with A's entries N(0, 1/D) (eigenvalues roughly 0.5 to 2.5); diagonal cases keep only
 * the diagonal. The truth depends on (D, K, diag) only, so the 100k and 1M cases share it.
 *
 * <p>Start: K distinct rows chosen with a fixed seed as means, the whole data's covariance (its diagonal
 * for diagonal cases) for every component, equal weights (emkit's {@code random-points} initialisation).
 */
public final class SyntheticData {

    /** The one seed; everything else derives from it and the case. */
    public static final long SEED = 20261122L;

    private final BenchCase c;
    private final double[] x;       // row-major n × d
    private final Params truth;
    private double[][] rows;

    private SyntheticData(BenchCase c, double[] x, Params truth) {
        this.c = c;
        this.x = x;
        this.truth = truth;
    }

    public static SyntheticData generate(BenchCase c) {
        int d = c.d(), k = c.k();
        SplittableRandom params = new SplittableRandom(SEED * 31 + d * 1009L + k * 17L + (c.diag() ? 1 : 0));
        double[] w = new double[k];
        double wsum = 0;
        for (int j = 0; j < k; j++) {
            w[j] = 0.5 + params.nextDouble();
            wsum += w[j];
        }
        double[][] mu = new double[k][d];
        double[][][] cov = new double[k][d][d];
        double[][][] chol = new double[k][][];
        double spread = 3.0 / Math.sqrt(d);
        for (int j = 0; j < k; j++) {
            w[j] /= wsum;
            for (int a = 0; a < d; a++) {
                mu[j][a] = spread * gaussian(params);
            }
            double[][] m = new double[d][d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    m[a][b] = gaussian(params) / Math.sqrt(d);
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double s = 0;
                    for (int t = 0; t < d; t++) {
                        s += m[a][t] * m[b][t];
                    }
                    cov[j][a][b] = c.diag() ? (a == b ? 0.5 + 0.5 * s : 0.0) : 0.5 * s + (a == b ? 0.5 : 0.0);
                }
            }
            chol[j] = Linalg.choleskyLower(cov[j]);
            if (chol[j] == null) {
                throw new IllegalStateException("covariance not positive definite");
            }
        }
        double[] cum = new double[k];
        double acc = 0;
        for (int j = 0; j < k; j++) {
            acc += w[j];
            cum[j] = acc;
        }
        SplittableRandom rowsRng = new SplittableRandom(SEED + c.n() * 7L + d * 1009L + k * 17L);
        double[] x = new double[c.n() * d];
        double[] z = new double[d];
        for (int i = 0; i < c.n(); i++) {
            double u = rowsRng.nextDouble() * acc;
            int j = 0;
            while (j < k - 1 && u >= cum[j]) {
                j++;
            }
            for (int a = 0; a < d; a++) {
                z[a] = gaussian(rowsRng);
            }
            double[][] l = chol[j];
            int off = i * d;
            for (int a = 0; a < d; a++) {
                double s = mu[j][a];
                for (int b = 0; b <= a; b++) {
                    s += l[a][b] * z[b];
                }
                x[off + a] = s;
            }
        }
        return new SyntheticData(c, x, new Params(w, mu, cov, c.diag()));
    }

    /** The start given to every tool that accepts one. */
    public Params start() {
        int n = c.n(), d = c.d(), k = c.k();
        SplittableRandom rng = new SplittableRandom(SEED ^ 0x5DEECE66DL);
        int[] picks = new int[k];
        double[][] mu = new double[k][];
        for (int j = 0; j < k; j++) {
            boolean fresh;
            do {
                picks[j] = rng.nextInt(n);
                fresh = true;
                for (int t = 0; t < j; t++) {
                    fresh &= picks[t] != picks[j];
                }
            } while (!fresh);
            mu[j] = java.util.Arrays.copyOfRange(x, picks[j] * d, picks[j] * d + d);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                mean[a] += x[i * d + a];
            }
        }
        for (int a = 0; a < d; a++) {
            mean[a] /= n;
        }
        double[][] s = new double[d][d];
        double[] r = new double[d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                r[a] = x[i * d + a] - mean[a];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    s[a][b] += r[a] * r[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                double v = c.diag() && a != b ? 0.0 : s[a][b] / n;
                s[a][b] = v;
                s[b][a] = v;
            }
        }
        double[] w = new double[k];
        double[][][] cov = new double[k][][];
        for (int j = 0; j < k; j++) {
            w[j] = 1.0 / k;
            cov[j] = new double[d][];
            for (int a = 0; a < d; a++) {
                cov[j][a] = s[a].clone();
            }
        }
        return new Params(w, mu, cov, c.diag());
    }

    public BenchCase benchCase() {
        return c;
    }

    /** Row-major values, n × d (shared, do not modify). */
    public double[] flat() {
        return x;
    }

    /** The rows as arrays (made once, on first use; shared, do not modify). */
    public double[][] rows() {
        if (rows == null) {
            int d = c.d();
            rows = new double[c.n()][];
            for (int i = 0; i < c.n(); i++) {
                rows[i] = java.util.Arrays.copyOfRange(x, i * d, i * d + d);
            }
        }
        return rows;
    }

    /** The parameters the data were drawn from. */
    public Params truth() {
        return truth;
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller; one of the pair is dropped, which keeps the stream simple and deterministic.
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
