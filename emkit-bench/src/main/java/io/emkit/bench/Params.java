package io.emkit.bench;

import io.emkit.gaussian.GaussianMixtureModel;

/**
 * Mixture parameters in the plainest form, the common currency between emkit and the peers.
 * Covariances are always stored as full matrices; {@code diag} says the model is diagonal.
 */
public record Params(double[] weights, double[][] means, double[][][] covariances, boolean diag) {

    public int k() {
        return weights.length;
    }

    public int d() {
        return means[0].length;
    }

    /** The same mixture as an emkit model (weights renormalised to sum to 1 against rounding). */
    public GaussianMixtureModel toEmkit() {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] w = new double[k()];
        for (int c = 0; c < k(); c++) {
            w[c] = weights[c] / sum;
        }
        if (diag) {
            double[][] v = new double[k()][d()];
            for (int c = 0; c < k(); c++) {
                for (int j = 0; j < d(); j++) {
                    v[c][j] = covariances[c][j][j];
                }
            }
            return GaussianMixtureModel.diag(w, means, v);
        }
        return GaussianMixtureModel.full(w, means, covariances);
    }

    /** Reads an emkit model back into plain parameters. */
    public static Params of(GaussianMixtureModel m, boolean diag) {
        return new Params(m.weights(), m.means(), m.covariances(), diag);
    }

    /** A deep copy, so a peer that mutates its input cannot change the next run's start. */
    public Params copy() {
        double[][] mu = new double[k()][];
        double[][][] cov = new double[k()][d()][];
        for (int c = 0; c < k(); c++) {
            mu[c] = means[c].clone();
            for (int j = 0; j < d(); j++) {
                cov[c][j] = covariances[c][j].clone();
            }
        }
        return new Params(weights.clone(), mu, cov, diag);
    }
}
