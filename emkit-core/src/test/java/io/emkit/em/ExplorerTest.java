package io.emkit.em;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search runs on the runner's explorer ({@link ExpectationRunner#explorer()}) and the runner itself evaluates its
 * answer once: an engine whose E-steps are costly jobs may search where they are cheap and still report its own
 * evaluation. Old Faithful through a Gaussian mixture's distributed plan, the partitions' kernel over all the rows as
 * both runners: at K = 2 short starts and one continued run, at K = 4 also split/merge moves, relocations and
 * repairs. Plain restarts run on the explorer too, the runner evaluating the best; runs of an exact number of
 * iterations (tolerance 0) stay on the runner.
 */
class ExplorerTest {
    @ParameterizedTest(name = "K = {0}")
    @ValueSource(ints = {2, 4})
    void theSearchRunsOnTheExplorerAndTheRunnerEvaluatesItsAnswer(int k) {
        Dataset data = TestData.faithful();
        DistributedFit<GaussianMixtureModel, GaussianStatistics> plan = GaussianMixture.withComponents(k).seed(0)
                .threads(1).distributed();
        Fits fits = Fits.of(plan, data);
        EmResult<GaussianMixtureModel> split = fits.split();
        EmResult<GaussianMixtureModel> one = fits.one();

        // The same E-steps, wherever they ran: the same fit bit for bit and the same search.
        assertThat(split.logLikelihood()).isEqualTo(one.logLikelihood());
        assertThat(split.objective()).isEqualTo(one.objective());
        assertThat(split.trace()).containsExactly(one.trace());
        assertThat(split.search()).isEqualTo(one.search());
        fits.assertExploredThenEvaluatedOnce();
        // The answer's log-likelihood is the runner's evaluation: a runner that reports half a nat more moves the
        // result's log-likelihood, objective and last traced value by that, and nothing else.
        EmResult<GaussianMixtureModel> evaluated = evaluatedHalfANatHigher(plan, data);
        assertThat(evaluated.logLikelihood()).isEqualTo(one.logLikelihood() + 0.5);
        assertThat(evaluated.objective()).isEqualTo(one.objective() + 0.5);
        double[] trace = one.trace().clone();
        trace[trace.length - 1] += 0.5;
        assertThat(evaluated.trace()).containsExactly(trace);
        assertThat(evaluated.iterations()).isEqualTo(one.iterations());
        if (k == 4) {
            assertThat(split.search().movesTried() + split.search().relocationsTried()).isPositive();
            assertThat(split.search().continued()).isGreaterThan(1);
        }
    }

    @org.junit.jupiter.api.Test
    void plainRestartsRunOnTheExplorerAndTheRunnerEvaluatesTheBest() {
        Dataset data = TestData.faithful();
        DistributedFit<GaussianMixtureModel, GaussianStatistics> plan = GaussianMixture.withComponents(2).seed(0)
                .threads(1).initializations(3).distributed();
        Fits fits = Fits.of(plan, data);
        EmResult<GaussianMixtureModel> split = fits.split();
        EmResult<GaussianMixtureModel> one = fits.one();

        assertThat(split.search()).isNull();
        assertThat(split.trace()).containsExactly(one.trace());
        assertThat(split.initializationObjectives()).containsExactly(one.initializationObjectives());
        fits.assertExploredThenEvaluatedOnce();
        // The runner's evaluation is the one reported, for the best run's final objective too.
        EmResult<GaussianMixtureModel> evaluated = evaluatedHalfANatHigher(plan, data);
        assertThat(evaluated.logLikelihood()).isEqualTo(one.logLikelihood() + 0.5);
        double[] finals = one.initializationObjectives().clone();
        finals[one.bestInitialization()] += 0.5;
        assertThat(evaluated.initializationObjectives()).containsExactly(finals);
    }

    @org.junit.jupiter.api.Test
    void exactRunsStayOnTheRunner() {
        Dataset data = TestData.faithful();
        DistributedFit<GaussianMixtureModel, GaussianStatistics> plan = GaussianMixture.withComponents(2).seed(0)
                .threads(1).tolerance(0).maxIterations(7).distributed();
        Fits fits = Fits.of(plan, data);
        assertThat(fits.split().iterations()).isEqualTo(7);
        assertThat(fits.onExplorer()).isEmpty();
        assertThat(fits.onRunner().size()).isGreaterThan(fits.split().iterations());
    }

    /**
     * The same plan fitted with a runner and an explorer ({@code split}) and with one runner ({@code one}), each
     * runner's evaluated models recorded.
     */
    private record Fits(EmResult<GaussianMixtureModel> split, EmResult<GaussianMixtureModel> one,
                        List<Object> onRunner, List<Object> onExplorer, List<Object> alone) {
        static Fits of(DistributedFit<GaussianMixtureModel, GaussianStatistics> plan, Dataset data) {
            List<Object> onRunner = new ArrayList<>();
            List<Object> onExplorer = new ArrayList<>();
            List<Object> alone = new ArrayList<>();
            EmResult<GaussianMixtureModel> split = plan.fit(recording(plan, data, onRunner::add)
                    .exploringWith(recording(plan, data, onExplorer::add)), data.rows(), data);
            EmResult<GaussianMixtureModel> one = plan.fit(recording(plan, data, alone::add), data.rows(), data);
            return new Fits(split, one, onRunner, onExplorer, alone);
        }

        /** Every E-step of the fit on the explorer, as many as alone; the runner's one evaluates the answer. */
        void assertExploredThenEvaluatedOnce() {
            assertThat(onExplorer).hasSize(alone.size());
            assertThat(onRunner).hasSize(1).containsExactly(split.params());
        }
    }

    /** {@code plan}'s fit exploring with the exact E-step and evaluated by one that reports half a nat more. */
    private static EmResult<GaussianMixtureModel> evaluatedHalfANatHigher(
            DistributedFit<GaussianMixtureModel, GaussianStatistics> plan, Dataset data) {
        ExpectationRunner<GaussianMixtureModel, GaussianStatistics> exact = recording(plan, data, x -> { });
        ExpectationRunner<GaussianMixtureModel, GaussianStatistics> higher = params -> {
            ExpectationMaximization.Expectation<GaussianStatistics> e = exact.run(params);
            return new ExpectationMaximization.Expectation<>(e.statistics(), e.logLikelihood() + 0.5);
        };
        return plan.fit(higher.exploringWith(exact), data.rows(), data);
    }

    /** The partitions' kernel over every row as one E-step, each evaluated model passed to {@code seen}. */
    private static ExpectationRunner<GaussianMixtureModel, GaussianStatistics> recording(
            DistributedFit<GaussianMixtureModel, GaussianStatistics> plan, Dataset data,
            java.util.function.Consumer<Object> seen) {
        return params -> {
            seen.accept(params);
            GaussianStatistics statistics = plan.steps().emptyStatistics(params);
            double logLikelihood = plan.steps().accumulatePartition(params, data, 0, statistics);
            return new ExpectationMaximization.Expectation<>(statistics, logLikelihood);
        };
    }
}
