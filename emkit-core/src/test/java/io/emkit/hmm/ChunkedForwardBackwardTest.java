package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One long sequence's E-step cut into chunks (so that it runs on several threads) gives the log-likelihood and
 * expected counts of the one-pass forward–backward to ~1e-12 relative, and a fit is the same bit for bit for
 * 1, 2 and 3 threads.
 */
class ChunkedForwardBackwardTest {
    static final int STEPS = 120_000;

    /** What one pass over the whole sequence gives: the reference. */
    static HmmStatistics onePass(HiddenMarkovModel m, Sequences data, double[] ll) {
        HmmStatistics stats = new HmmStatistics(m.states(), m.emission().newStatistics());
        int n = data.length(0);
        double[] gamma = new double[n * m.states()];
        ll[0] = m.forwardBackward(data.rawValues(), 0, n, gamma, stats.transitions, stats.start);
        stats.emission.add(data.rawValues(), 0, n, gamma);
        return stats;
    }

    static void assertClose(double actual, double expected, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(1e-12 * Math.max(1.0, Math.abs(expected))));
    }

    static void assertSameCounts(HiddenMarkovModel m, HmmStatistics chunked, HmmStatistics reference) {
        double[][] a = chunked.transitionCounts();
        double[][] r = reference.transitionCounts();
        for (int i = 0; i < m.states(); i++) {
            assertClose(chunked.startCounts()[i], reference.startCounts()[i], "start count " + i);
            for (int j = 0; j < m.states(); j++) {
                assertClose(a[i][j], r[i][j], "expected transitions " + i + "->" + j);
            }
        }
        // The emission statistics, through the M-step they feed.
        BaumWelchSteps steps = new BaumWelchSteps(0, false, null, 1);
        HiddenMarkovModel fromChunks = steps.maximize(chunked, m, w -> { });
        HiddenMarkovModel fromOnePass = steps.maximize(reference, m, w -> { });
        double[] x = flatten(fromChunks);
        double[] y = flatten(fromOnePass);
        assertThat(x).hasSameSizeAs(y);
        for (int i = 0; i < x.length; i++) {
            assertClose(x[i], y[i], "M-step parameter " + i);
        }
    }

    private static double[] flatten(HiddenMarkovModel m) {
        double[] out = new double[0];
        for (double[] row : m.transitionMatrix()) {
            out = concat(out, row);
        }
        out = concat(out, m.startProbabilities());
        if (m.emission() instanceof GaussianEmission g) {
            for (int s = 0; s < m.states(); s++) {
                out = concat(out, g.gaussians().mean(s));
                for (double[] row : g.gaussians().covariance(s)) {
                    out = concat(out, row);
                }
            }
        } else if (m.emission() instanceof CategoricalEmission c) {
            for (double[] row : c.probabilities()) {
                out = concat(out, row);
            }
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest(name = "chunks of {0} steps")
    @ValueSource(ints = {1, 7, 1000, 16384, 50_000, STEPS})
    void gaussianChunksGiveTheOnePassCounts(int chunk) {
        HiddenMarkovModel truth = BaumWelchTest.truth();
        Sequences data = truth.sample(1, STEPS, 17).observations();
        // Counts under a model that is not the generating one, so the posteriors are not trivially sharp.
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {0.2, 0.5, 0.3},
                new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.25, 0.25, 0.5}},
                GaussianEmission.full(new double[][] {{0.5, 0}, {3, 2}, {-1, 3}},
                        new double[][][] {{{2, 0.3}, {0.3, 1}}, {{1, 0}, {0, 2}}, {{1.5, -0.4}, {-0.4, 1}}}));
        double[] ll = new double[1];
        HmmStatistics reference = onePass(m, data, ll);
        HmmStatistics chunked = new HmmStatistics(m.states(), m.emission().newStatistics());
        double chunkedLl = m.accumulateChunked(data.rawValues(), 0, STEPS, chunk, chunked);
        assertThat(chunkedLl).isFinite();
        assertClose(chunkedLl, ll[0], "log-likelihood");
        assertSameCounts(m, chunked, reference);
        double transitions = Arrays.stream(chunked.transitionCounts()).flatMapToDouble(Arrays::stream).sum();
        assertThat(transitions).isCloseTo(STEPS - 1, within(1e-6));
    }

    @Test
    void categoricalChunksWithAStructuralZeroGiveTheOnePassCounts() {
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {1, 0},
                new double[][] {{0.97, 0.03}, {0.0, 1.0}},
                CategoricalEmission.of(new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}}));
        Sequences data = m.sample(1, STEPS, 4).observations();
        double[] ll = new double[1];
        HmmStatistics reference = onePass(m, data, ll);
        HmmStatistics chunked = new HmmStatistics(2, m.emission().newStatistics());
        assertClose(m.accumulateChunked(data.rawValues(), 0, STEPS, 999, chunked), ll[0], "log-likelihood");
        assertSameCounts(m, chunked, reference);
        assertThat(chunked.transitionCounts()[1][0]).as("the structural zero").isZero();
    }

    @Test
    void anImpossibleSequenceAddsNothing() {
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {1, 0}, new double[][] {{1, 0}, {0, 1}},
                CategoricalEmission.of(new double[][] {{1, 0}, {0, 1}}));
        double[] x = new double[40_000];
        x[30_000] = 1; // state 1 can never be reached, and state 0 never emits a 1
        HmmStatistics stats = new HmmStatistics(2, m.emission().newStatistics());
        assertThat(m.accumulateChunked(x, 0, x.length, 1000, stats)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(stats.startCounts()).containsExactly(0, 0);
    }

    @Test
    void theEngineSplitsALongSequenceAndAFitIsBitIdenticalForOneTwoAndThreeThreads() {
        int n = BaumWelchSteps.CHUNKED_FROM + 5_000;
        Sequences data = BaumWelchTest.truth().sample(1, n, 23).observations();
        EmResult<HiddenMarkovModel> one = fit(data, 1);
        assertThat(one.iterations()).isEqualTo(4);
        for (int threads : new int[] {2, 3}) {
            EmResult<HiddenMarkovModel> other = fit(data, threads);
            assertThat(other.params()).as("%d threads", threads).isEqualTo(one.params());
            long[] a = Arrays.stream(one.trace()).mapToLong(Double::doubleToLongBits).toArray();
            long[] b = Arrays.stream(other.trace()).mapToLong(Double::doubleToLongBits).toArray();
            assertThat(b).as("%d threads: the trace, bit for bit", threads).containsExactly(a);
        }
        // The engine's E-step over this sequence is the chunked one: it equals the one-pass counts to rounding.
        HiddenMarkovModel m = one.params();
        BaumWelchSteps steps = new BaumWelchSteps(1e-6, false, null, 1);
        HmmStatistics viaEngineSteps = steps.emptyStatistics(m);
        double ll = steps.accumulate(m, data, 0, 1, viaEngineSteps);
        double[] reference = new double[1];
        HmmStatistics onePass = onePass(m, data, reference);
        assertClose(ll, reference[0], "log-likelihood");
        assertSameCounts(m, viaEngineSteps, onePass);
    }

    private static EmResult<HiddenMarkovModel> fit(Sequences data, int threads) {
        return HiddenMarkov.gaussian(3, CovarianceType.FULL).tolerance(0).maxIterations(4).seed(9).threads(threads)
                .fit(data);
    }
}
