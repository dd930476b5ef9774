package io.emkit.bench;

import java.util.ArrayList;
import java.util.List;

import elki.clustering.em.EM;
import elki.clustering.em.models.DiagonalGaussianModel;
import elki.clustering.em.models.EMClusterModel;
import elki.clustering.em.models.EMClusterModelFactory;
import elki.clustering.em.models.MultivariateGaussianModel;
import elki.data.NumberVector;
import elki.data.model.EMModel;
import elki.data.type.TypeUtil;
import elki.database.Database;
import elki.database.StaticArrayDatabase;
import elki.database.relation.Relation;
import elki.datasource.ArrayAdapterDatabaseConnection;

/**
 * ELKI 0.8.0, {@code elki.clustering.em.EM} with {@code MultivariateGaussianModel} (full) or
 * {@code DiagonalGaussianModel} (diagonal) components built from the common start by our own
 * {@code EMClusterModelFactory}. ELKI does one E-step before its loop and counts it as an iteration:
 * {@code maxiter = m + 1} gives m M-steps; {@code miniter = maxiter} disables its convergence checks.
 * The M-steps are counted (each component's {@code finalizeEStep}) and checked.
 */
final class ElkiPeer implements Peer {

    @Override
    public String name() {
        return "elki";
    }

    @Override
    public Fit prepare(SyntheticData data, Params start) {
        Database db = new StaticArrayDatabase(new ArrayAdapterDatabaseConnection(data.rows()), null);
        db.initialize();
        Relation<NumberVector> rel = db.getRelation(TypeUtil.NUMBER_VECTOR_FIELD);
        boolean diag = data.benchCase().diag();
        return iterations -> {
            int[] msteps = new int[1];
            List<EMClusterModel<NumberVector, EMModel>> models = new ArrayList<>();
            for (int c = 0; c < start.k(); c++) {
                double[] mu = start.means()[c].clone();
                double[][] cov = start.covariances()[c];
                if (diag) {
                    double[] v = new double[mu.length];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = cov[j][j];
                    }
                    models.add(new DiagonalGaussianModel(start.weights()[c], mu, v) {
                        @Override
                        public void finalizeEStep(double weight, double prior) {
                            msteps[0]++;
                            super.finalizeEStep(weight, prior);
                        }
                    });
                } else {
                    double[][] cv = new double[cov.length][];
                    for (int j = 0; j < cv.length; j++) {
                        cv[j] = cov[j].clone();
                    }
                    models.add(new MultivariateGaussianModel(start.weights()[c], mu, cv) {
                        @Override
                        public void finalizeEStep(double weight, double prior) {
                            msteps[0]++;
                            super.finalizeEStep(weight, prior);
                        }
                    });
                }
            }
            EMClusterModelFactory<NumberVector, EMModel> factory = (relation, k) -> models;
            new EM<NumberVector, EMModel>(start.k(), 0.0, factory, iterations + 1, iterations + 1, 0.0, false).run(rel);
            if (msteps[0] != iterations * start.k()) {
                throw new IllegalStateException("ELKI ran " + msteps[0] / (double) start.k() + " M-steps, not " + iterations);
            }
            int k = models.size();
            double[] w = new double[k];
            double[][] mu = new double[k][];
            double[][][] cov = new double[k][][];
            for (int c = 0; c < k; c++) {
                EMClusterModel<NumberVector, EMModel> m = models.get(c);
                w[c] = m.getWeight();
                EMModel em = m.finalizeCluster();
                mu[c] = em.getMean().clone();
                cov[c] = em.getCovarianceMatrix();
            }
            return new Params(w, mu, cov, diag);
        };
    }
}
