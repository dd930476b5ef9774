package io.emkit.bench;

import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.HmmStatistics;
import io.emkit.data.Sequences;
import io.emkit.hmm.semimarkov.Durations;
import io.emkit.hmm.semimarkov.SemiMarkovModel;
import io.emkit.hmm.semimarkov.SemiMarkovStatistics;
import io.emkit.hmm.semimarkov.SemiMarkovSteps;

import java.util.Locale;

/**
 * The cost of a hidden semi-Markov model beside the HMM's: one EM E-step (forward–backward plus expected counts)
 * and the forward pass alone (the log-likelihood), on one thread, over the same sequences (2-D Gaussian emissions
 * with full covariances, S states), the semi-Markov model with Poisson durations (mean 10) up to Dmax.
 *
 * <p>Usage: {@code java -cp ... io.emkit.bench.SemiMarkovBench [sequences] [length] [S] [Dmax...]} (defaults 200,
 * 1000, 4 and 10 50 100).
 */
public final class SemiMarkovBench {
    private SemiMarkovBench() {
    }

    /**
     * @param args optional: the number of sequences, their length, the number of states, then values of Dmax
     */
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int length = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int s = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int[] dmax = args.length > 3 ? new int[args.length - 3] : new int[]{10, 50, 100};
        for (int i = 3; i < args.length; i++) {
            dmax[i - 3] = Integer.parseInt(args[i]);
        }
        HiddenMarkovModel hmm = HmmBench.model(s, new java.util.SplittableRandom(s));
        Sequences data = hmm.sample(count, length, 1).observations();
        BaumWelchSteps bw = new BaumWelchSteps(1e-6, false, null, 1.0);
        int steps = data.totalLength();
        System.out.printf(Locale.ROOT, "S = %d, %d sequences of %d steps, one thread; the HMM measured again before"
                + " each row%n%n", s, count, length);
        System.out.println("| Dmax | HMM E-step steps/s | E-step steps/s | E-step cost / HMM's | HMM forward steps/s"
                + " | forward steps/s | forward cost / HMM's |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        SemiMarkovSteps sm = new SemiMarkovSteps(1e-6);
        for (int d : dmax) {
            double hmmStep = best(() -> {
                HmmStatistics stats = bw.emptyStatistics(hmm);
                bw.accumulate(hmm, data, 0, data.count(), stats);
            });
            double hmmForward = best(() -> hmm.logLikelihood(data));
            double[] lambda = new double[s];
            java.util.Arrays.fill(lambda, 9.0);
            SemiMarkovModel m = SemiMarkovModel.fromHiddenMarkov(hmm, Durations.poisson(lambda, d));
            double step = best(() -> {
                SemiMarkovStatistics stats = sm.emptyStatistics(m);
                sm.accumulate(m, data, 0, data.count(), stats);
            });
            double forward = best(() -> m.logLikelihood(data));
            System.out.printf(Locale.ROOT, "| %d | %.3g | %.3g | %.1f | %.3g | %.3g | %.1f |%n", d, steps / hmmStep,
                    steps / step, step / hmmStep, steps / hmmForward, steps / forward, forward / hmmForward);
        }
    }

    private static double best(Runnable r) {
        return DataLoadBench.bestSeconds(9, r);
    }
}
