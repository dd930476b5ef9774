package io.emkit.em;

import io.emkit.EmkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine on a toy model whose EM is known exactly: the mean of unit-variance Gaussian data, for which
 * the first M-step lands on the maximum. Checks block coverage, the convergence rule, restarts, failures
 * and priors independently of the Gaussian mixture.
 */
class ExpectationMaximizationEngineTest {

    /** Sum, count, and how often each row was visited. */
    static final class MeanStats implements SufficientStatistics<MeanStats> {
        private static final long serialVersionUID = 1L;
        double sum;
        long count;
        final int[] visits;

        MeanStats(int n) {
            visits = new int[n];
        }

        @Override
        public void merge(MeanStats other) {
            sum += other.sum;
            count += other.count;
            for (int i = 0; i < visits.length; i++) {
                visits[i] += other.visits[i];
            }
        }
    }

    static class MeanSteps implements EmSteps<double[], Double, MeanStats> {
        @Override
        public int size(double[] data) {
            return data.length;
        }

        @Override
        public MeanStats emptyStatistics(Double params) {
            return new MeanStats(lastN);
        }

        int lastN;

        @Override
        public double accumulate(Double mean, double[] data, int from, int to, MeanStats s) {
            double ll = 0;
            for (int i = from; i < to; i++) {
                s.sum += data[i];
                s.count++;
                s.visits[i]++;
                ll += -0.5 * (data[i] - mean) * (data[i] - mean) - 0.5 * Math.log(2 * Math.PI);
            }
            return ll;
        }

        @Override
        public Double maximize(MeanStats s, Double previous, Consumer<String> warnings) {
            return s.sum / s.count;
        }

        @Override
        public int parameterCount(Double params) {
            return 1;
        }
    }

    private static double[] data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 3 + r.nextGaussian();
        }
        return x;
    }

    @ParameterizedTest(name = "n={0}, block={1}, threads={2}")
    @CsvSource({"1,1,1", "1,4096,2", "10,3,2", "1000,7,3", "1000,1000,2", "1001,1000,2", "4097,4096,2",
            "12345,100,4"})
    void expectationVisitsEveryRowExactlyOnce(int n, int blockSize, int threads) {
        MeanSteps steps = new MeanSteps();
        steps.lastN = n;
        double[] x = data(n, n);
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            ExpectationMaximization.Expectation<MeanStats> e =
                    ExpectationMaximization.expectation(steps, x, 3.0, blockSize, pool);
            assertThat(e.statistics().count).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(e.statistics().visits[i]).as("visits of row %d", i).isEqualTo(1);
            }
            double ll = 0;
            double sum = 0;
            for (double v : x) {
                ll += -0.5 * (v - 3) * (v - 3) - 0.5 * Math.log(2 * Math.PI);
                sum += v;
            }
            assertThat(e.logLikelihood()).isCloseTo(ll, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(ll)));
            assertThat(e.statistics().sum).isCloseTo(sum, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(sum)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void runConvergesAtTheSecondChangeAndMakesOneMoreMStep() {
        int n = 500;
        MeanSteps steps = new MeanSteps();
        steps.lastN = n;
        double[] x = data(n, 1);
        // One plain run (no search, whose short runs would add iterations), without extrapolation.
        EmResult<Double> fit = ExpectationMaximization.fit(steps, x, (d, r) -> 0.0,
                EmOptions.defaults().withInitializations(1).withAcceleration(Acceleration.NONE).withThreads(2)
                        .withBlockSize(64));
        double mean = 0;
        for (double v : x) {
            mean += v / n;
        }
        // Step 1 jumps to the mean (large change); step 2 changes nothing (converged); step 3 is the extra one.
        assertThat(fit.iterations()).isEqualTo(3);
        assertThat(fit.converged()).isTrue();
        assertThat(fit.trace()).hasSize(4);
        assertThat(fit.params()).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
        double ll = 0;
        for (double v : x) {
            ll += -0.5 * (v - fit.params()) * (v - fit.params()) - 0.5 * Math.log(2 * Math.PI);
        }
        assertThat(fit.logLikelihood()).isCloseTo(ll, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(ll)));
        assertThat(fit.parameterCount()).isEqualTo(1);
        assertThat(fit.sampleCount()).isEqualTo(n);
        assertThat(fit.bic()).isCloseTo(-2 * ll + Math.log(n), org.assertj.core.api.Assertions.within(1e-8));
        assertThat(fit.aic()).isCloseTo(-2 * ll + 2, org.assertj.core.api.Assertions.within(1e-8));
        assertThat(fit.warnings()).isEmpty();
    }

    @Test
    void failedInitialisationIsSkippedAndReported() {
        MeanSteps steps = new MeanSteps();
        double[] x = data(100, 2);
        steps.lastN = x.length;
        int[] calls = {0};
        Initializer<double[], Double> init = (d, r) -> {
            if (calls[0]++ == 0) {
                throw new EmkitException("bad start");
            }
            return 10.0;
        };
        EmResult<Double> fit = ExpectationMaximization.fit(steps, x, init,
                EmOptions.defaults().withInitializations(3).withThreads(1));
        assertThat(fit.initializationObjectives()[0]).isNaN();
        assertThat(fit.bestInitialization()).isIn(1, 2);
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("initialisation 1").contains("bad start"));
    }

    @Test
    void allInitialisationsFailingIsAnError() {
        MeanSteps steps = new MeanSteps();
        double[] x = data(100, 3);
        steps.lastN = x.length;
        assertThatThrownBy(() -> ExpectationMaximization.fit(steps, x, (d, r) -> {
            throw new EmkitException("always bad");
        }, EmOptions.defaults().withInitializations(2).withThreads(1)))
                .isInstanceOf(EmkitException.class).hasMessageContaining("always bad");
    }

    @Test
    void nanLogLikelihoodFailsTheRunWithAMessage() {
        MeanSteps steps = new MeanSteps();
        double[] x = data(10, 4);
        steps.lastN = x.length;
        assertThatThrownBy(() -> ExpectationMaximization.fit(steps, x, (d, r) -> Double.NaN,
                EmOptions.defaults().withThreads(1))).isInstanceOf(EmkitException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void priorIsPartOfTheObjectiveButNotOfTheLogLikelihood() {
        MeanSteps steps = new MeanSteps() {
            @Override
            public double logPrior(Double params) {
                return -params * params;
            }
        };
        double[] x = data(200, 5);
        steps.lastN = x.length;
        EmResult<Double> fit = ExpectationMaximization.fit(steps, x, (d, r) -> 1.0,
                EmOptions.defaults().withThreads(1).withTolerance(0).withMaxIterations(3));
        double mu = fit.params();
        double ll = 0;
        for (double v : x) {
            ll += -0.5 * (v - mu) * (v - mu) - 0.5 * Math.log(2 * Math.PI);
        }
        assertThat(fit.logLikelihood()).isCloseTo(ll, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(ll)));
        assertThat(fit.objective()).isCloseTo(ll - mu * mu, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(ll)));
        assertThat(fit.trace()[fit.trace().length - 1]).isEqualTo(fit.objective());
        double ll0 = 0;
        for (double v : x) {
            ll0 += -0.5 * (v - 1) * (v - 1) - 0.5 * Math.log(2 * Math.PI);
        }
        assertThat(fit.trace()[0]).isCloseTo(ll0 - 1, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(ll0)));
    }

    @Test
    void noDataIsAnError() {
        MeanSteps steps = new MeanSteps();
        assertThatThrownBy(() -> ExpectationMaximization.fit(steps, new double[0], (d, r) -> 0.0,
                EmOptions.defaults())).isInstanceOf(EmkitException.class);
    }
}
