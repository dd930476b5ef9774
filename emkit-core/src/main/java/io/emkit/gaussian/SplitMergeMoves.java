package io.emkit.gaussian;

import io.emkit.data.Dataset;
import io.emkit.kernels.Linalg;
import io.emkit.mixture.PrincipalAxis;
import io.emkit.mixture.SplitMergePlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Split-and-merge moves for a converged Gaussian mixture (Ueda, Nakano, Ghahramani and Hinton, 2000), the
 * model's part of the engine's search: a move merges the two components whose responsibilities overlap most
 * and splits a third whose rows a Gaussian fits worst, keeping K.
 *
 * <p><b>Merge.</b> Pairs are ranked by the cosine of their responsibility vectors over the rows (Ueda et
 * al.'s merge criterion, normalised): two components sharing one cluster give nearly parallel vectors.
 *
 * <p><b>Split.</b> Components are ranked by how far the (responsibility-weighted) multivariate kurtosis of
 * their rows (Mardia, 1970) lies from a Gaussian's, {@code |log(b₂ / (D(D+2)))|}: a component covering two
 * clusters is flat-topped (b₂ well below D(D+2)), a component with outliers heavy-tailed. It stands in for
 * Ueda et al.'s local Kullback–Leibler divergence, which needs a density estimate of the rows.
 *
 * <p><b>The moved model.</b> Built from responsibilities, then one M-step of the fit's own structure
 * (so every covariance structure, prior, weights and hard assignment are respected): the merged slot takes
 * the sum of the pair's responsibilities; the split component's rows go to it or to the freed slot by the
 * side of its principal axis they lie on.
 */
final class SplitMergeMoves {
    private SplitMergeMoves() {
    }

    /**
     * Up to {@code max} moved models, the most promising first; none for fewer than three components.
     */
    static List<GaussianMixtureModel> candidates(GaussianMixtureSteps steps, Dataset data, GaussianMixtureModel fitted,
                                                 int max) {
        return SplitMergePlan.candidates(data, fitted.components(), max, rows -> candidates(steps, fitted, max, rows));
    }

    /** The moves planned and made on the rows to look at. */
    private static List<GaussianMixtureModel> candidates(GaussianMixtureSteps steps, GaussianMixtureModel fitted,
                                                         int max, Dataset rows) {
        int k = fitted.components();
        int n = rows.rows();
        int d = rows.columns();
        double[][] r = fitted.predictProba(rows);
        double[] w = rows.rawWeights();
        double[] x = rows.rawValues();

        double[][] overlap = new double[k][k];
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 : w[i];
            for (int a = 0; a < k; a++) {
                double ra = wi * r[i][a];
                for (int b = a; b < k; b++) {
                    overlap[a][b] += ra * r[i][b];
                }
            }
        }
        // The most parallel responsibilities merge first.
        SplitMergePlan.PairCost mergeCost = (a, b) -> {
            double norm = Math.sqrt(overlap[a][a] * overlap[b][b]);
            return -(norm > 0 ? overlap[a][b] / norm : 0.0);
        };

        double[] misfit = new double[k];
        double[][] axis = new double[k][];
        for (int c = 0; c < k; c++) {
            double[][] cov = fitted.covariance(c);
            double[] mu = fitted.mean(c);
            double[][] chol = Linalg.choleskyLower(cov);
            axis[c] = PrincipalAxis.of(cov);
            double mass = 0;
            double fourth = 0;
            double[] z = new double[d];
            for (int i = 0; i < n; i++) {
                double wr = (w == null ? 1.0 : w[i]) * r[i][c];
                if (wr == 0 || chol == null) {
                    continue;
                }
                double m2 = mahalanobis(chol, x, i * d, mu, z);
                mass += wr;
                fourth += wr * m2 * m2;
            }
            misfit[c] = mass > 0 && chol != null ? Math.abs(Math.log(Math.max(fourth / mass, 1e-300) / (d * (d + 2.0))))
                    : 0.0;
        }
        List<GaussianMixtureModel> out = new ArrayList<>();
        for (int[] move : SplitMergePlan.moves(k, mergeCost, c -> -misfit[c], c -> true, max)) {
            out.add(moved(steps, rows, fitted, r, move[0], move[1], move[2], axis[move[2]]));
        }
        return out;
    }

    /** The model after merging {@code a} and {@code b} into {@code a} and splitting {@code c} into {@code c} and {@code b}. */
    private static GaussianMixtureModel moved(GaussianMixtureSteps steps, Dataset rows, GaussianMixtureModel fitted,
                                              double[][] r, int a, int b, int c, double[] axis) {
        int k = fitted.components();
        int d = rows.columns();
        double[] x = rows.rawValues();
        double[] mu = fitted.mean(c);
        double[][] moved = new double[rows.rows()][];
        for (int i = 0; i < rows.rows(); i++) {
            double[] ri = r[i].clone();
            ri[a] += ri[b];
            ri[b] = 0;
            double side = 0;
            for (int j = 0; j < d; j++) {
                side += axis[j] * (x[i * d + j] - mu[j]);
            }
            if (side < 0) {
                ri[b] = ri[c];
                ri[c] = 0;
            }
            moved[i] = ri;
        }
        double[] means = fitted.flatMeans().clone();
        GaussianStatistics s = steps.statisticsOf(rows, k, means, (from, to, resp) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(moved[i], 0, resp, (i - from) * k, k);
            }
        });
        return steps.maximize(s, fitted, warning -> { });
    }

    /** The squared Mahalanobis distance of row {@code x[off..]} from {@code mu} under {@code L Lᵀ}. */
    private static double mahalanobis(double[][] l, double[] x, int off, double[] mu, double[] z) {
        int d = mu.length;
        double m2 = 0;
        for (int i = 0; i < d; i++) {
            double s = x[off + i] - mu[i];
            for (int t = 0; t < i; t++) {
                s -= l[i][t] * z[t];
            }
            z[i] = s / l[i][i];
            m2 += z[i] * z[i];
        }
        return m2;
    }
}
