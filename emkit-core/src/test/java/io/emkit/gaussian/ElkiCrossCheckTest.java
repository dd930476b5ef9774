package io.emkit.gaussian;

import elki.clustering.em.EM;
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
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * emkit against another library: ELKI 0.8.0's EM ({@code MultivariateGaussianModel}, full covariances) and
 * emkit's plain EM, both from the same start with no covariance regularisation, after five M-steps on
 * 600 rows from three overlapping 3-D Gaussians. ELKI does one E-step before its loop and counts it as an
 * iteration, so {@code maxiter = miniter = 6} gives five M-steps; the M-steps are counted to be sure. The
 * two are different implementations of the same arithmetic: equal to 1e-10 (the values are of order 1).
 */
class ElkiCrossCheckTest {
    @Test
    void fiveIterationsFromACommonStartAgreeWithElki() {
        Dataset data = TestData.drawMixture(41, 600, new double[] {0.4, 0.35, 0.25},
                new double[][] {{0, 0, 0}, {2, 1, 0}, {0, 2, 1.5}},
                new double[][][] {{{1, 0.3, 0}, {0.3, 1, 0.2}, {0, 0.2, 0.6}},
                        {{0.6, -0.2, 0.1}, {-0.2, 0.9, 0}, {0.1, 0, 0.5}},
                        {{1.2, 0.4, 0.3}, {0.4, 0.5, 0}, {0.3, 0, 0.8}}});
        double[] w0 = {0.3, 0.3, 0.4};
        double[][] mu0 = {{-0.5, 0, 0}, {2, 0.5, 0.5}, {0.5, 2, 1}};
        double[][] identity = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][][] cov0 = {identity, identity, identity};
        int iterations = 5;

        GaussianMixtureModel emkit = GaussianMixture.withComponents(3)
                .initialModel(GaussianMixtureModel.full(w0, mu0, cov0)).regCovar(0)
                .options(EmOptions.defaults().withInitializations(1).withAcceleration(Acceleration.NONE)
                        .withTolerance(0).withMaxIterations(iterations).withThreads(1))
                .fit(data).params();

        Database db = new StaticArrayDatabase(new ArrayAdapterDatabaseConnection(data.toArray()), null);
        db.initialize();
        Relation<NumberVector> relation = db.getRelation(TypeUtil.NUMBER_VECTOR_FIELD);
        int[] mSteps = new int[1];
        List<EMClusterModel<NumberVector, EMModel>> models = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            double[][] cov = new double[3][];
            for (int j = 0; j < 3; j++) {
                cov[j] = cov0[c][j].clone();
            }
            models.add(new MultivariateGaussianModel(w0[c], mu0[c].clone(), cov) {
                @Override
                public void finalizeEStep(double weight, double prior) {
                    mSteps[0]++;
                    super.finalizeEStep(weight, prior);
                }
            });
        }
        EMClusterModelFactory<NumberVector, EMModel> start = (r, k) -> models;
        new EM<NumberVector, EMModel>(3, 0.0, start, iterations + 1, iterations + 1, 0.0, false).run(relation);
        assertThat(mSteps[0]).as("ELKI's M-steps, per component").isEqualTo(iterations * 3);

        for (int c = 0; c < 3; c++) {
            EMModel elki = models.get(c).finalizeCluster();
            assertThat(emkit.weights()[c]).as("weight %d", c).isCloseTo(models.get(c).getWeight(), within(1e-10));
            assertThat(emkit.mean(c)).as("mean %d", c).containsExactly(elki.getMean(), within(1e-10));
            double[][] cov = elki.getCovarianceMatrix();
            for (int a = 0; a < 3; a++) {
                assertThat(emkit.covariance(c)[a]).as("covariance %d row %d", c, a).containsExactly(cov[a], within(1e-10));
            }
        }
        assertThat(emkit.mean(0)[0]).as("five iterations moved the start").isNotCloseTo(-0.5, within(0.05));
    }
}
