package io.emkit.bench;

import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianStatistics;
import io.emkit.gaussian.Precision;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * One EM iteration (E-step over every row, then M-step) of a full-covariance Gaussian mixture in double and in single
 * precision, on the per-iteration suite's data ({@link SyntheticData}) from its common start: CPU time of the calling
 * thread (one thread, so that other processes on a shared machine count for little), repetitions of 5 iterations
 * with the two precisions taking turns; prints the minimum and median per iteration of each, their ratios, and the
 * log-likelihoods after the iterations (the E-step of the last one, same start and same number of iterations).
 *
 * <p>Usage: {@code java -cp ... io.emkit.bench.PrecisionIterationBench [case] [repetitions]} (defaults 1m-16-16 7).
 */
public final class PrecisionIterationBench {
    private PrecisionIterationBench() {
    }

    /**
     * @param args optional: the case ({@code n-D-K}), repetitions
     */
    public static void main(String[] args) {
        BenchCase c = BenchCase.parse(args.length > 0 ? args[0] : "1m-16-16");
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int iterations = 5;
        SyntheticData data = SyntheticData.generate(c);
        Dataset ds = Dataset.wrap(data.flat(), c.n(), c.d(), Dataset.defaultNames(c.d()));
        GaussianMixtureModel start = data.start().toEmkit().withFeatureNames(ds.columnNames());
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Precision[] precisions = {Precision.DOUBLE, Precision.SINGLE};
        double[][] seconds = new double[2][repetitions];
        double[] logLikelihood = new double[2];
        for (int rep = -1; rep < repetitions; rep++) {
            for (int turn = 0; turn < 2; turn++) {
                int p = (rep + 1 + turn) % 2;
                GaussianMixtureSteps steps = GaussianMixture.withComponents(c.k()).steps().sizedFor(c.n(), c.k())
                        .withPrecision(precisions[p]);
                GaussianMixtureModel g = start;
                long t0 = cpu.getCurrentThreadCpuTime();
                double ll = 0;
                for (int it = 0; it < iterations; it++) {
                    GaussianStatistics s = steps.emptyStatistics(g);
                    ll = steps.accumulate(g, ds, 0, c.n(), s);
                    g = steps.maximize(s, g, w -> { });
                }
                if (rep >= 0) {
                    seconds[p][rep] = (cpu.getCurrentThreadCpuTime() - t0) / 1e9 / iterations;
                }
                logLikelihood[p] = ll;
            }
        }
        for (double[] s : seconds) {
            Arrays.sort(s);
        }
        int mid = repetitions / 2;
        System.out.printf(Locale.ROOT, "%s, one thread, CPU s/iter: double min %.4f median %.4f; single min %.4f"
                        + " median %.4f; double/single %.2fx (min) %.2fx (median); log-likelihood after %d it.: double"
                        + " %.4f, single %.4f, relative difference %.2e%n", c, seconds[0][0], seconds[0][mid],
                seconds[1][0], seconds[1][mid], seconds[0][0] / seconds[1][0], seconds[0][mid] / seconds[1][mid],
                iterations, logLikelihood[0], logLikelihood[1],
                Math.abs(logLikelihood[1] - logLikelihood[0]) / Math.abs(logLikelihood[0]));
    }
}
