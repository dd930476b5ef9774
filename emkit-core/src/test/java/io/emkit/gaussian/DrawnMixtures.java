package io.emkit.gaussian;

import io.emkit.data.Dataset;
import io.emkit.kernels.Linalg;

import java.util.SplittableRandom;

/**
 * Gaussian mixtures drawn at random and rows drawn from them, for checking a search against the optimum EM reaches
 * from the parameters that generated the data (an independent reference): {@code RepairsTest}'s big-data cases and
 * {@code emkit-bench/search/GeneratedSets.java}, which runs whole families of them (with this module's test
 * classes on its class path).
 */
public final class DrawnMixtures {
    private DrawnMixtures() {
    }

    /**
     * Weights ∝ Exp(1) + 0.05, means uniform in a box, covariances of random orientation with eigenvalues in
     * [0.3, 3] (emkit-bench/wholejob/make-data.py's recipe).
     */
    /**
     * @param d    the dimension
     * @param k    the components
     * @param seed the truth's stream
     * @return the truth, full covariances
     */
    public static GaussianMixtureModel randomTruth(int d, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] weights = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            weights[c] = -Math.log(1 - random.nextDouble()) + 0.05;
            sum += weights[c];
        }
        double half = 3 * Math.sqrt(3.0 / d);
        double[][] means = new double[k][d];
        double[][][] covariances = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            weights[c] /= sum;
            for (int j = 0; j < d; j++) {
                means[c][j] = random.nextDouble(-half, half);
            }
        }
        for (int c = 0; c < k; c++) {
            // Gram–Schmidt on Gaussian rows: a random orthonormal basis.
            double[][] q = new double[d][d];
            for (int a = 0; a < d; a++) {
                for (int j = 0; j < d; j++) {
                    q[a][j] = random.nextGaussian();
                }
                for (int b = 0; b < a; b++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += q[a][j] * q[b][j];
                    }
                    for (int j = 0; j < d; j++) {
                        q[a][j] -= dot * q[b][j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += q[a][j] * q[a][j];
                }
                for (int j = 0; j < d; j++) {
                    q[a][j] /= Math.sqrt(norm);
                }
            }
            double[] eigenvalues = new double[d];
            for (int a = 0; a < d; a++) {
                eigenvalues[a] = Math.exp(random.nextDouble(Math.log(0.3), Math.log(3)));
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int a = 0; a < d; a++) {
                        covariances[c][i][j] += q[a][i] * eigenvalues[a] * q[a][j];
                    }
                }
            }
        }
        return GaussianMixtureModel.full(weights, means, covariances);
    }

    /**
     * n rows of {@code truth}, each from a component drawn by weight: its mean plus its Cholesky factor times
     * standard normal draws.
     *
     * @param truth the model
     * @param n     how many rows
     * @param seed  the rows' stream
     * @return the rows, in the order drawn
     */
    public static Dataset draw(GaussianMixtureModel truth, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int k = truth.components();
        int d = truth.dimension();
        double[][][] chol = new double[k][][];
        for (int c = 0; c < k; c++) {
            chol[c] = Linalg.choleskyLower(truth.covariance(c));
        }
        double[][] rows = new double[n][d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double acc = 0;
            int c = 0;
            for (; c < k - 1; c++) {
                acc += truth.weights()[c];
                if (u < acc) {
                    break;
                }
            }
            double[] mu = truth.mean(c);
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            for (int a = 0; a < d; a++) {
                double v = mu[a];
                for (int b = 0; b <= a; b++) {
                    v += chol[c][a][b] * z[b];
                }
                rows[i][a] = v;
            }
        }
        return Dataset.of(rows);
    }

    /**
     * The optimum EM reaches from {@code truth} on {@code data}: started there, to a tolerance of 1e-12.
     *
     * @param truth the parameters that generated the data
     * @param data  the rows
     * @return its log-likelihood
     */
    public static double optimumFromTruth(GaussianMixtureModel truth, Dataset data) {
        return GaussianMixture.withComponents(truth.components()).initialModel(truth).tolerance(1e-12)
                .maxIterations(5000).fit(data).logLikelihood();
    }
}
