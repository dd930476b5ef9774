package io.emkit.hmm;

import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A sequence of a million steps: the scaled forward pass gives a finite log-likelihood equal, to
 * rounding, to a forward pass written here in log space (log-sum-exp at every step) with its own
 * Gaussian densities.
 */
class LongSequenceTest {
    private static final int STEPS = 1_000_000;

    @Test
    void aMillionStepsGiveTheSameFiniteLogLikelihoodInScaledAndLogSpace() {
        double[] start = {0.5, 0.3, 0.2};
        double[][] a = {{0.98, 0.01, 0.01}, {0.02, 0.95, 0.03}, {0.05, 0.0, 0.95}};
        double[][] means = {{0.0}, {2.5}, {-4.0}};
        double[] variances = {1.0, 0.5, 2.0};
        HiddenMarkovModel m = HiddenMarkovModel.of(start, a, GaussianEmission.spherical(means, variances));
        Sequences data = m.sample(1, STEPS, 2026).observations();
        assertThat(data.totalLength()).isEqualTo(STEPS);

        double scaled = m.logLikelihood(data);
        assertThat(scaled).isFinite();
        // About -1.5 nats per step: a linear-space forward pass would underflow after ~500 steps.
        assertThat(scaled / STEPS).isBetween(-3.0, -0.5);

        double logSpace = logSpaceForward(start, a, means, variances, data.rawValues());
        assertThat(scaled).isCloseTo(logSpace, within(1e-9 * Math.abs(logSpace)));

        // The Baum–Welch E-step over the whole sequence: the same log-likelihood, and expected transition
        // counts summing to T − 1.
        BaumWelchSteps steps = new BaumWelchSteps(0, false, null, 1);
        HmmStatistics stats = steps.emptyStatistics(m);
        double ll = steps.accumulate(m, data, 0, 1, stats);
        assertThat(ll).isEqualTo(scaled);
        double transitions = 0;
        for (double[] row : stats.transitionCounts()) {
            for (double v : row) {
                transitions += v;
            }
        }
        // Each step's expected transitions sum to 1 to rounding; adding 9·10⁶ of them into a total near 10⁶ costs
        // at most ulp(10⁶)/2 ≈ 6e-11 per addition, about 2e-7 as a random walk (measured: 3e-8). 1e-5 leaves room
        // for that and nothing for a lost or doubled step.
        assertThat(transitions).isCloseTo(STEPS - 1, within(1e-5));
    }

    /** The forward recursion in log space: log α_t(j) = log b_j(x_t) + logsumexp_i(log α_{t-1}(i) + log A_ij). */
    static double logSpaceForward(double[] start, double[][] a, double[][] means, double[] variances, double[] x) {
        int s = start.length;
        double[] logA = new double[s * s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                logA[i * s + j] = Math.log(a[i][j]);
            }
        }
        double[] alpha = new double[s];
        double[] next = new double[s];
        double[] terms = new double[s];
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < s; j++) {
                double z = x[t] - means[j][0];
                double logB = -0.5 * Math.log(2 * Math.PI * variances[j]) - 0.5 * z * z / variances[j];
                if (t == 0) {
                    next[j] = Math.log(start[j]) + logB;
                    continue;
                }
                for (int i = 0; i < s; i++) {
                    terms[i] = alpha[i] + logA[i * s + j];
                }
                next[j] = logSumExp(terms) + logB;
            }
            double[] swap = alpha;
            alpha = next;
            next = swap;
        }
        return logSumExp(alpha);
    }

    private static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            max = Math.max(max, e);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double e : v) {
            sum += Math.exp(e - max);
        }
        return max + Math.log(sum);
    }
}
