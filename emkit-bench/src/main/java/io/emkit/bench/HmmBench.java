package io.emkit.bench;

import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.HmmStatistics;
import io.emkit.data.Sequences;
import io.emkit.gaussian.GaussianMixtureModel;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * Forward–backward throughput of emkit's hidden Markov models: time steps per second of one Baum–Welch
 * E-step (scaled forward–backward plus expected counts) on one long sequence, 2-D Gaussian emissions
 * with full covariances, S states, on a fork/join pool of 1 and of 2 threads (a long sequence is cut
 * into chunks whose work spreads over the pool's threads), and of the forward pass alone.
 *
 * <p>Usage: {@code java -cp ... io.emkit.bench.HmmBench [length] [states...]} (defaults 200000 and 4 16 64).
 */
public final class HmmBench {
    private HmmBench() {
    }

    /**
     * @param args optional: the sequence length, then state counts
     */
    public static void main(String[] args) {
        int length = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int[] states = args.length > 1 ? new int[args.length - 1] : new int[] {4, 16, 64};
        for (int i = 1; i < args.length; i++) {
            states[i - 1] = Integer.parseInt(args[i]);
        }
        System.out.println("| states S | steps | E-step steps/s, 1 thread | E-step steps/s, 2 threads | speedup"
                + " | forward only (log-likelihood) steps/s |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int s : states) {
            HiddenMarkovModel model = model(s, new SplittableRandom(s));
            Sequences data = model.sample(1, length, 1).observations();
            BaumWelchSteps steps = new BaumWelchSteps(1e-6, false, null, 1.0);
            double[] estep = new double[2];
            for (int threads = 1; threads <= 2; threads++) {
                ForkJoinPool pool = new ForkJoinPool(threads);
                try {
                    estep[threads - 1] = best(() -> pool.submit(() -> {
                        HmmStatistics stats = steps.emptyStatistics(model);
                        steps.accumulate(model, data, 0, 1, stats);
                    }).join());
                } finally {
                    pool.shutdown();
                }
            }
            double forward = best(() -> model.logLikelihood(data));
            System.out.printf(Locale.ROOT, "| %d | %d | %.3g | %.3g | %.2f | %.3g |%n", s, length, length / estep[0],
                    length / estep[1], estep[0] / estep[1], length / forward);
        }
    }

    private static double best(Runnable r) {
        return DataLoadBench.bestSeconds(5, r);
    }

    /** S states on a circle, sticky transitions (mean stay 10 steps), unit-ish covariances; also SemiMarkovBench's. */
    static HiddenMarkovModel model(int s, SplittableRandom random) {
        double[] start = new double[s];
        double[][] a = new double[s][s];
        double[] w = new double[s];
        double[][] means = new double[s][];
        double[][][] covs = new double[s][][];
        for (int i = 0; i < s; i++) {
            start[i] = 1.0 / s;
            w[i] = 1.0 / s;
            for (int j = 0; j < s; j++) {
                a[i][j] = i == j ? 0.9 : 0.1 / (s - 1);
            }
            double angle = 2 * Math.PI * i / s;
            means[i] = new double[] {4 * Math.cos(angle), 4 * Math.sin(angle)};
            double c = 0.3 * random.nextDouble();
            covs[i] = new double[][] {{1, c}, {c, 1}};
        }
        if (s == 1) {
            a[0][0] = 1;
        }
        return HiddenMarkovModel.of(start, a, GaussianEmission.of(GaussianMixtureModel.full(w, means, covs)));
    }
}
