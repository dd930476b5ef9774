package io.emkit.hmm.semimarkov;

import io.emkit.data.Sequences;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.HiddenMarkov;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A long sequence's semi-Markov E-step with its emission densities and statistics computed in parallel over
 * chunks gives the one-piece E-step's log-likelihood and expected counts up to rounding, and a fit through the
 * engine is the same bit for bit for 1, 2 and 3 threads.
 */
class SemiMarkovChunkedEmissionsTest {
    static final int STEPS = 20_000;

    static SemiMarkovModel truth() {
        double[][] a = {{0, 0.6, 0.4}, {0.5, 0, 0.5}, {0.3, 0.7, 0}};
        return SemiMarkovModel.of(new double[] {0.5, 0.3, 0.2}, a, Durations.poisson(new double[] {3, 6, 9}, 25),
                GaussianEmission.diag(new double[][] {{-2}, {0}, {2}}, new double[][] {{1}, {0.7}, {1.3}}));
    }

    /** Not the generating model, so the posteriors are not trivially sharp. */
    static SemiMarkovModel away() {
        double[][] a = {{0, 0.5, 0.5}, {0.4, 0, 0.6}, {0.5, 0.5, 0}};
        return SemiMarkovModel.of(new double[] {0.2, 0.5, 0.3}, a, Durations.poisson(new double[] {5, 5, 5}, 25),
                GaussianEmission.diag(new double[][] {{-1}, {0.5}, {1.5}}, new double[][] {{2}, {1}, {1}}));
    }

    static void assertClose(double actual, double expected, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(1e-9 * Math.max(1.0, Math.abs(expected))));
    }

    static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < actual.length; k++) {
            assertClose(actual[k], expected[k], what + " " + k);
        }
    }

    static double[] emissionParameters(SemiMarkovModel m) {
        GaussianEmission g = (GaussianEmission) m.emission();
        double[] out = new double[0];
        for (int s = 0; s < m.states(); s++) {
            double[] mean = g.gaussians().mean(s);
            double[] variance = g.gaussians().covariance(s)[0];
            out = Arrays.copyOf(out, out.length + 2);
            out[out.length - 2] = mean[0];
            out[out.length - 1] = variance[0];
        }
        return out;
    }

    @ParameterizedTest(name = "chunks of {0} steps")
    @ValueSource(ints = {1, 7, 1000, 16384})
    void chunkedEmissionWorkGivesTheOnePieceStatistics(int chunk) {
        Sequences data = truth().sample(1, STEPS, 17).observations();
        SemiMarkovModel m = away();
        BaumWelchSteps markov = new BaumWelchSteps(0, false, null, 1.0);
        SemiMarkovSteps onePiece = new SemiMarkovSteps(markov, false, 1, Integer.MAX_VALUE);
        SemiMarkovSteps chunked = new SemiMarkovSteps(markov, false, chunk, 1);
        SemiMarkovStatistics reference = onePiece.emptyStatistics(m);
        SemiMarkovStatistics stats = chunked.emptyStatistics(m);
        double ll = onePiece.accumulate(m, data, 0, 1, reference);
        assertThat(ll).isFinite();
        assertClose(chunked.accumulate(m, data, 0, 1, stats), ll, "log-likelihood");
        assertClose(stats.start, reference.start, "start count");
        assertClose(stats.transitions, reference.transitions, "transition count");
        assertClose(stats.durations, reference.durations, "duration count");
        // The emission statistics, through the M-step they feed.
        assertClose(emissionParameters(chunked.maximize(stats, m, w -> { })),
                emissionParameters(onePiece.maximize(reference, m, w -> { })), "emission parameter");
    }

    @Test
    void theEngineCutsALongSequenceAndAFitIsBitIdenticalForOneTwoAndThreeThreads() {
        int n = BaumWelchSteps.CHUNKED_FROM + 5_000;
        Sequences data = truth().sample(1, n, 23).observations();
        EmResult<SemiMarkovModel> one = fit(data, 1);
        assertThat(one.iterations()).isEqualTo(3);
        for (int threads : new int[] {2, 3}) {
            EmResult<SemiMarkovModel> other = fit(data, threads);
            assertThat(other.params()).as("%d threads", threads).isEqualTo(one.params());
            long[] a = Arrays.stream(one.trace()).mapToLong(Double::doubleToLongBits).toArray();
            long[] b = Arrays.stream(other.trace()).mapToLong(Double::doubleToLongBits).toArray();
            assertThat(b).as("%d threads: the trace, bit for bit", threads).containsExactly(a);
        }
    }

    private static EmResult<SemiMarkovModel> fit(Sequences data, int threads) {
        SemiMarkov config = SemiMarkov.of(HiddenMarkov.gaussian(3, CovarianceType.DIAG).seed(3), Durations.Family.POISSON,
                25);
        return config.options(config.options().withThreads(threads).withMaxIterations(3).withTolerance(0)
                .withInitializations(1)).fit(data);
    }
}
