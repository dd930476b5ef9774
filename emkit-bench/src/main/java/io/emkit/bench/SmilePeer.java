package io.emkit.bench;

import smile.math.matrix.Matrix;
import smile.stat.distribution.MultivariateExponentialFamilyMixture;
import smile.stat.distribution.MultivariateGaussianDistribution;
import smile.stat.distribution.MultivariateMixture;

/**
 * Smile 3.1.1, {@code MultivariateExponentialFamilyMixture.fit(x, components, gamma = 0, maxIter, tol = -∞)}
 * with {@code MultivariateGaussianDistribution} components (full, or diagonal for diagonal cases): the
 * loop runs exactly {@code maxIter} iterations, each an E-step, an M-step and a log-likelihood pass.
 */
final class SmilePeer implements Peer {

    @Override
    public String name() {
        return "smile";
    }

    @Override
    public Fit prepare(SyntheticData data, Params start) {
        double[][] rows = data.rows();
        boolean diag = data.benchCase().diag();
        return iterations -> {
            MultivariateMixture.Component[] comps = new MultivariateMixture.Component[start.k()];
            for (int c = 0; c < start.k(); c++) {
                MultivariateGaussianDistribution g;
                if (diag) {
                    double[] v = new double[start.d()];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = start.covariances()[c][j][j];
                    }
                    g = new MultivariateGaussianDistribution(start.means()[c].clone(), v);
                } else {
                    g = new MultivariateGaussianDistribution(start.means()[c].clone(), Matrix.of(start.covariances()[c]));
                }
                comps[c] = new MultivariateMixture.Component(start.weights()[c], g);
            }
            MultivariateExponentialFamilyMixture m = MultivariateExponentialFamilyMixture.fit(
                    rows, comps, 0.0, iterations, Double.NEGATIVE_INFINITY);
            int k = m.components.length;
            double[] w = new double[k];
            double[][] mu = new double[k][];
            double[][][] cov = new double[k][][];
            for (int c = 0; c < k; c++) {
                MultivariateGaussianDistribution g = (MultivariateGaussianDistribution) m.components[c].distribution;
                w[c] = m.components[c].priori;
                mu[c] = g.mean().clone();
                Matrix s = g.cov();
                int d = mu[c].length;
                cov[c] = new double[d][d];
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        cov[c][a][b] = s.get(a, b);
                    }
                }
            }
            return new Params(w, mu, cov, diag);
        };
    }
}
