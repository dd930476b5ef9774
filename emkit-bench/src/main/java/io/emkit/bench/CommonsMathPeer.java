package io.emkit.bench;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.MixtureMultivariateNormalDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.distribution.fitting.MultivariateNormalMixtureExpectationMaximization;
import org.apache.commons.math3.exception.ConvergenceException;
import org.apache.commons.math3.util.Pair;

/**
 * Apache Commons Math 3.6.1, {@code MultivariateNormalMixtureExpectationMaximization.fit(start, maxIter, tol)}.
 * Its loop runs {@code maxIterations + 1} E+M iterations, so it is given {@code iterations - 1}; with a
 * threshold of {@code Double.MIN_VALUE} it never converges early, and then throws
 * {@code ConvergenceException} after the last iteration, with the fitted model already stored.
 */
final class CommonsMathPeer implements Peer {

    @Override
    public String name() {
        return "commons-math";
    }

    @Override
    public boolean supports(BenchCase c) {
        return !c.diag();
    }

    @Override
    public Fit prepare(SyntheticData data, Params start) {
        double[][] rows = data.rows();
        return iterations -> {
            List<Pair<Double, MultivariateNormalDistribution>> comps = new ArrayList<>();
            for (int c = 0; c < start.k(); c++) {
                comps.add(new Pair<>(start.weights()[c],
                        new MultivariateNormalDistribution(start.means()[c].clone(), copy(start.covariances()[c]))));
            }
            MultivariateNormalMixtureExpectationMaximization em = new MultivariateNormalMixtureExpectationMaximization(rows);
            try {
                em.fit(new MixtureMultivariateNormalDistribution(comps), iterations - 1, Double.MIN_VALUE);
            } catch (ConvergenceException expected) {
                // ran every iteration without meeting the (unreachable) threshold
            }
            MixtureMultivariateNormalDistribution m = em.getFittedModel();
            int k = m.getComponents().size();
            double[] w = new double[k];
            double[][] mu = new double[k][];
            double[][][] cov = new double[k][][];
            for (int c = 0; c < k; c++) {
                Pair<Double, MultivariateNormalDistribution> p = m.getComponents().get(c);
                w[c] = p.getFirst();
                mu[c] = p.getSecond().getMeans();
                cov[c] = p.getSecond().getCovariances().getData();
            }
            return new Params(w, mu, cov, false);
        };
    }

    private static double[][] copy(double[][] a) {
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
        }
        return b;
    }
}
