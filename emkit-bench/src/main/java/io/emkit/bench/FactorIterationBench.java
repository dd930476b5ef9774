package io.emkit.bench;

import io.emkit.data.Dataset;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.FactorAnalyserStatistics;
import io.emkit.factor.FactorAnalyserSteps;
import io.emkit.factor.StudentFactorAnalyserMixtureModel;
import io.emkit.factor.StudentFactorAnalyserSteps;
import io.emkit.factor.StudentFactorStatistics;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.student.DegreesOfFreedom;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The cost of one EM iteration (E-step over every row, then M-step) of a mixture of t factor analysers beside a
 * mixture of factor analysers, on the same rows from the same start: CPU time of the calling thread (one thread,
 * so that other processes on the machine do not count), the best of 5 repetitions of 10 iterations each. The rows
 * are drawn from a random mixture of t factor analysers (ν = 3, 5, 8, …); the start is two EM iterations of the
 * factor analysers' own fit.
 *
 * <p>Usage: {@code java -cp ... io.emkit.bench.FactorIterationBench [n] [D] [K] [Q]} (defaults 60000 30 3 3).
 */
public final class FactorIterationBench {
    private FactorIterationBench() {
    }

    /**
     * @param args optional: rows, columns, components, factors
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int q = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int iterations = 10;
        SplittableRandom random = new SplittableRandom(1);
        double[] weights = new double[k];
        double[][] means = new double[k][d];
        double[][][] loadings = new double[k][d][q];
        double[][] psi = new double[k][d];
        double[] nu = new double[k];
        for (int c = 0; c < k; c++) {
            weights[c] = 1.0 / k;
            nu[c] = 3 + 2.5 * c;
            for (int j = 0; j < d; j++) {
                means[c][j] = 4 * random.nextGaussian();
                psi[c][j] = 0.2 + 0.8 * random.nextDouble();
                for (int a = 0; a < q; a++) {
                    loadings[c][j][a] = random.nextGaussian();
                }
            }
        }
        StudentFactorAnalyserMixtureModel truth = new StudentFactorAnalyserMixtureModel(
                new FactorAnalyserMixtureModel(weights, means, loadings, psi, null), nu, DegreesOfFreedom.Constraint.FREE);
        Dataset data = truth.sample(n, 2).data();
        FactorAnalyserMixtureModel start = FactorAnalyserMixture.like(GaussianMixture.withComponents(k).seed(1)
                .threads(1).maxIterations(2), q).fit(data).params();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        FactorAnalyserSteps mfa = new FactorAnalyserSteps(1e-6);
        StudentFactorAnalyserSteps tmfa = new StudentFactorAnalyserSteps(1e-6, DegreesOfFreedom.free());
        double[] startNu = new double[k];
        Arrays.fill(startNu, DegreesOfFreedom.START);
        double bestMfa = Double.MAX_VALUE;
        double bestT = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            FactorAnalyserMixtureModel g = start;
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int it = 0; it < iterations; it++) {
                FactorAnalyserStatistics s = mfa.emptyStatistics(g);
                mfa.accumulate(g, data, 0, n, s);
                g = mfa.maximize(s, g, w -> { });
            }
            bestMfa = Math.min(bestMfa, (cpu.getCurrentThreadCpuTime() - t0) / 1e6 / iterations);
            StudentFactorAnalyserMixtureModel t = new StudentFactorAnalyserMixtureModel(start, startNu,
                    DegreesOfFreedom.Constraint.FREE);
            t0 = cpu.getCurrentThreadCpuTime();
            for (int it = 0; it < iterations; it++) {
                StudentFactorStatistics s = tmfa.emptyStatistics(t);
                tmfa.accumulate(t, data, 0, n, s);
                t = tmfa.maximize(s, t, w -> { });
            }
            bestT = Math.min(bestT, (cpu.getCurrentThreadCpuTime() - t0) / 1e6 / iterations);
        }
        System.out.printf(Locale.ROOT, "n = %d, D = %d, K = %d, Q = %d, one thread: MFA %.1f ms per iteration,"
                + " t-MFA %.1f ms per iteration (%.2fx)%n", n, d, k, q, bestMfa, bestT, bestT / bestMfa);
    }
}
