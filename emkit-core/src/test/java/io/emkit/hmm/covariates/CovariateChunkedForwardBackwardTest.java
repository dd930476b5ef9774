package io.emkit.hmm.covariates;

import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One long sequence's input–output HMM E-step cut into chunks (so that it runs on several threads) gives the
 * one-pass forward–backward's log-likelihood, start counts, expected transitions of every step and emission
 * statistics to 1e-9 relative; EM from either E-step reaches the same model; and a fit through the engine is the
 * same bit for bit for 1, 2 and 3 threads.
 */
class CovariateChunkedForwardBackwardTest {
    static final int STEPS = 20_000;
    static final List<String> NAMES = List.of("u", "v");

    /** 3 states, 2 covariates: coefficients {@code [from][to][intercept, u, v]}, references zero. */
    static TransitionRegression regression(double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][][] beta = new double[3][3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    beta[i][j] = new double[] {-2.5 + 0.3 * r.nextGaussian(), scale * r.nextGaussian(),
                            scale * r.nextGaussian()};
                }
            }
        }
        return TransitionRegression.of(beta, NAMES);
    }

    /** Gaussian data of {@code steps} steps drawn from a known input–output HMM along standard normal covariates. */
    static CovariateSequences simulate(int steps, long seed) {
        CovariateHmmModel truth = CovariateHmmModel.of(new double[] {0.5, 0.3, 0.2}, regression(1.2, 1),
                GaussianEmission.diag(new double[][] {{-2}, {0}, {2.5}}, new double[][] {{1}, {0.8}, {1.5}}));
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[2 * steps];
        for (int k = 0; k < x.length; k++) {
            x[k] = r.nextGaussian();
        }
        Sequences obs = truth.sample(x, new int[] {steps}, seed).observations();
        return CovariateSequences.of(obs, x, NAMES);
    }

    /** A model that is not the generating one, so the posteriors are not trivially sharp. */
    static CovariateHmmModel away() {
        return CovariateHmmModel.of(new double[] {0.2, 0.5, 0.3}, regression(0.4, 2),
                GaussianEmission.diag(new double[][] {{-1}, {0.5}, {2}}, new double[][] {{2}, {1}, {1}}));
    }

    static void assertClose(double actual, double expected, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(1e-9 * Math.max(1.0, Math.abs(expected))));
    }

    /** Steps that cut every sequence into chunks of {@code chunk}, or (chunk 0) never. */
    static CovariateHmmSteps steps(CovariateSequences data, int chunk) {
        return chunk == 0 ? new CovariateHmmSteps(0, data, null, 1, Integer.MAX_VALUE)
                : new CovariateHmmSteps(0, data, null, chunk, 1);
    }

    static double[] flatten(CovariateHmmModel m) {
        double[] out = m.flatStart().clone();
        for (double[][] from : m.transitions().coefficients()) {
            for (double[] to : from) {
                out = concat(out, to);
            }
        }
        GaussianEmission g = (GaussianEmission) m.emission();
        for (int s = 0; s < m.states(); s++) {
            out = concat(out, g.gaussians().mean(s));
            for (double[] row : g.gaussians().covariance(s)) {
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
    @ValueSource(ints = {1, 7, 1000, 16384, STEPS})
    void chunksGiveTheOnePassStatistics(int chunk) {
        CovariateSequences data = simulate(STEPS, 17);
        CovariateHmmModel m = away();
        CovariateHmmSteps onePass = steps(data, 0);
        CovariateHmmStatistics reference = onePass.emptyStatistics(m);
        double ll = onePass.accumulate(m, data, 0, 1, reference);
        CovariateHmmStatistics chunked = onePass.emptyStatistics(m);
        double chunkedLl = steps(data, chunk).accumulate(m, data, 0, 1, chunked);
        assertThat(ll).isFinite();
        assertClose(chunkedLl, ll, "log-likelihood");
        for (int j = 0; j < 3; j++) {
            assertClose(chunked.start[j], reference.start[j], "start count " + j);
        }
        double[] xi = chunked.xi.get(0);
        double[] xiReference = reference.xi.get(0);
        assertThat(xi).hasSameSizeAs(xiReference).hasSize((STEPS - 1) * 9);
        for (int k = 0; k < xi.length; k++) {
            assertClose(xi[k], xiReference[k], "xi of step " + (k / 9 + 1));
        }
        double total = Arrays.stream(xi).sum();
        assertThat(total).isCloseTo(STEPS - 1, within(1e-6));
        // The emission statistics (and all the rest), through the M-step they feed.
        double[] fromChunks = flatten(onePass.maximize(chunked, m, w -> { }));
        double[] fromOnePass = flatten(onePass.maximize(reference, m, w -> { }));
        for (int k = 0; k < fromChunks.length; k++) {
            assertClose(fromChunks[k], fromOnePass[k], "M-step parameter " + k);
        }
    }

    @Test
    void emFromChunkedEStepsReachesTheOnePassModelAndNeverLowersTheLogLikelihood() {
        CovariateSequences data = simulate(STEPS, 29);
        CovariateHmmSteps chunked = steps(data, 1000);
        CovariateHmmSteps onePass = steps(data, 0);
        CovariateHmmModel a = away();
        CovariateHmmModel b = away();
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < 8; iteration++) {
            CovariateHmmStatistics sa = chunked.emptyStatistics(a);
            double lla = chunked.accumulate(a, data, 0, 1, sa);
            CovariateHmmStatistics sb = onePass.emptyStatistics(b);
            double llb = onePass.accumulate(b, data, 0, 1, sb);
            assertClose(lla, llb, "log-likelihood at iteration " + iteration);
            assertThat(lla).as("iteration %d", iteration).isGreaterThanOrEqualTo(previous - 1e-9 * Math.abs(lla));
            previous = lla;
            a = chunked.maximize(sa, a, w -> { });
            b = onePass.maximize(sb, b, w -> { });
        }
        double[] x = flatten(a);
        double[] y = flatten(b);
        for (int k = 0; k < x.length; k++) {
            assertClose(x[k], y[k], "fitted parameter " + k);
        }
        assertThat(previous).isGreaterThan(onePass.accumulate(away(), data, 0, 1, onePass.emptyStatistics(away())));
    }

    @Test
    void anImpossibleSequenceAddsNothing() {
        CovariateHmmModel m = CovariateHmmModel.of(new double[] {1, 0},
                TransitionRegression.constant(new double[][] {{1, 0}, {0, 1}}, List.of("u")),
                CategoricalEmission.of(new double[][] {{1, 0}, {0, 1}}));
        int[] symbols = new int[40_000];
        symbols[30_000] = 1; // state 1 can never be reached, and state 0 never emits a 1
        CovariateSequences data = CovariateSequences.of(Sequences.ofSymbols(symbols), new double[symbols.length],
                List.of("u"));
        CovariateHmmSteps s = new CovariateHmmSteps(0, data, null, 1000, 1);
        CovariateHmmStatistics stats = s.emptyStatistics(m);
        assertThat(s.accumulate(m, data, 0, 1, stats)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(stats.startCounts()).containsExactly(0, 0);
        assertThat(stats.xi).isEmpty();
    }

    @Test
    void theEngineSplitsALongSequenceAndAFitIsBitIdenticalForOneTwoAndThreeThreads() {
        int n = BaumWelchSteps.CHUNKED_FROM + 5_000;
        CovariateSequences data = simulate(n, 23);
        EmResult<CovariateHmmModel> one = fit(data, 1);
        assertThat(one.iterations()).isEqualTo(3);
        for (int threads : new int[] {2, 3}) {
            EmResult<CovariateHmmModel> other = fit(data, threads);
            assertThat(other.params()).as("%d threads", threads).isEqualTo(one.params());
            long[] a = Arrays.stream(one.trace()).mapToLong(Double::doubleToLongBits).toArray();
            long[] b = Arrays.stream(other.trace()).mapToLong(Double::doubleToLongBits).toArray();
            assertThat(b).as("%d threads: the trace, bit for bit", threads).containsExactly(a);
        }
        // The engine's E-step over this sequence agrees with the one-pass one to rounding.
        CovariateHmmModel m = one.params();
        CovariateHmmSteps engine = new CovariateHmmSteps(0, data);
        double ll = engine.accumulate(m, data, 0, 1, engine.emptyStatistics(m));
        double reference = steps(data, 0).accumulate(m, data, 0, 1, engine.emptyStatistics(m));
        assertClose(ll, reference, "log-likelihood");
    }

    private static EmResult<CovariateHmmModel> fit(CovariateSequences data, int threads) {
        EmOptions o = EmOptions.defaults().withMaxIterations(3).withTolerance(0).withThreads(threads);
        return CovariateHmm.of(HiddenMarkov.gaussian(3, CovarianceType.DIAG).options(o)).fit(data, away());
    }
}
