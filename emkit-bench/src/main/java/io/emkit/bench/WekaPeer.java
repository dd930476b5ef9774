package io.emkit.bench;

import java.util.ArrayList;

import weka.clusterers.EM;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;

/**
 * Weka 3.8.6, {@code weka.clusterers.EM} (diagonal covariance only; no way to pass a start: it seeds
 * itself with one SimpleKMeans run, which the per-iteration difference (T(m) − T(2)) / (m − 2) removes).
 * Convergence is disabled with a minimum log-likelihood improvement of −∞; its E-step runs on
 * {@code executionSlots} threads (2, the machine's cores).
 */
final class WekaPeer implements Peer {

    @Override
    public String name() {
        return "weka";
    }

    @Override
    public boolean supports(BenchCase c) {
        return c.diag();
    }

    @Override
    public boolean acceptsStart() {
        return false;
    }

    @Override
    public Fit prepare(SyntheticData data, Params start) {
        BenchCase c = data.benchCase();
        ArrayList<Attribute> atts = new ArrayList<>();
        for (int j = 0; j < c.d(); j++) {
            atts.add(new Attribute("x" + (j + 1)));
        }
        Instances inst = new Instances("bench", atts, c.n());
        double[] x = data.flat();
        for (int i = 0; i < c.n(); i++) {
            inst.add(new DenseInstance(1.0, java.util.Arrays.copyOfRange(x, i * c.d(), i * c.d() + c.d())));
        }
        return iterations -> {
            EM em = new EM();
            em.setNumClusters(c.k());
            em.setMaxIterations(iterations);
            em.setNumKMeansRuns(1);
            em.setSeed(1);
            em.setMinLogLikelihoodImprovementIterating(Double.NEGATIVE_INFINITY);
            em.setNumExecutionSlots(Runtime.getRuntime().availableProcessors());
            em.buildClusterer(inst);
            double[] w = em.getClusterPriors();
            double[][][] models = em.getClusterModelsNumericAtts();
            int k = w.length;
            double[][] mu = new double[k][c.d()];
            double[][][] cov = new double[k][c.d()][c.d()];
            for (int j = 0; j < k; j++) {
                for (int a = 0; a < c.d(); a++) {
                    mu[j][a] = models[j][a][0];
                    cov[j][a][a] = models[j][a][1] * models[j][a][1];
                }
            }
            return new Params(w, mu, cov, true);
        };
    }
}
