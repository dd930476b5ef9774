package io.emkit.em;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search's short runs take the runner's explorer ({@link ExpectationRunner#explorer()}) and everything continued
 * takes the runner itself: an engine may make the many short E-steps where they are cheap and still converge, and
 * report, on its own. Old Faithful through a Gaussian mixture's distributed plan, the partitions' kernel over all
 * the rows as both runners: at K = 2 short starts and one continued run, at K = 4 also split/merge moves,
 * relocations and repairs (each with short runs of its own).
 */
class ExplorerTest {
    @ParameterizedTest(name = "K = {0}")
    @ValueSource(ints = {2, 4})
    void shortRunsTakeTheExplorerAndContinuedRunsTheRunner(int k) {
        Dataset data = TestData.faithful();
        DistributedFit<GaussianMixtureModel, GaussianStatistics> plan = GaussianMixture.withComponents(k).seed(0)
                .threads(1).distributed();
        Set<Object> onRunner = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> onExplorer = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> alone = new ArrayList<>();
        EmResult<GaussianMixtureModel> split = plan.fit(recording(plan, data, onRunner::add)
                .exploringWith(recording(plan, data, onExplorer::add)), data.rows(), data);
        EmResult<GaussianMixtureModel> one = plan.fit(recording(plan, data, alone::add), data.rows(), data);

        // The same E-steps, wherever they ran: the same fit bit for bit and the same search.
        assertThat(split.logLikelihood()).isEqualTo(one.logLikelihood());
        assertThat(split.trace()).containsExactly(one.trace());
        assertThat(split.search()).isEqualTo(one.search());
        assertThat(onRunner.size() + onExplorer.size()).isEqualTo(alone.size());
        // The short runs' hundreds of E-steps on the explorer; the fit's final parameters evaluated by the runner
        // (they come out of a continued run; moves from them start with a short run of them on the explorer).
        assertThat(onExplorer.size()).isGreaterThan(10 * onRunner.size());
        assertThat(onRunner).contains(split.params());
        if (k == 4) {
            assertThat(split.search().movesTried() + split.search().relocationsTried()).isPositive();
            assertThat(split.search().continued()).isGreaterThan(1);
        }
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
