package io.emkit.em;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.init.Initialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** With several initialisations the best run wins, and the first run is the single-initialisation fit. */
class MultipleInitializationsTest {
    private static final Dataset IRIS = TestData.iris();

    // Hierarchical clustering has no randomness and makes one run (HierarchicalClusteringTest checks that).
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Initialization.class, mode = EnumSource.Mode.EXCLUDE, names = "HIERARCHICAL")
    void resultIsTheRunWithTheHighestFinalObjective(Initialization init) {
        List<double[]> finished = new ArrayList<>();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(4).initialization(init)
                .covarianceType(CovarianceType.DIAG).initializations(5).seed(12).threads(1)
                .listener(new IterationListener() {
                    @Override
                    public void onIteration(IterationEvent event) {
                    }

                    @Override
                    public void onRunFinished(int initialization, double objective, boolean converged) {
                        finished.add(new double[] {initialization, objective});
                    }
                }).fit(IRIS);
        double[] objectives = fit.initializationObjectives();
        assertThat(objectives).hasSize(5);
        double max = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        for (int i = 0; i < objectives.length; i++) {
            if (objectives[i] > max) {
                max = objectives[i];
                argmax = i;
            }
        }
        assertThat(fit.objective()).isEqualTo(max);
        assertThat(fit.bestInitialization()).isEqualTo(argmax);
        assertThat(fit.logLikelihood()).isEqualTo(fit.objective());
        assertThat(fit.trace()[fit.trace().length - 1]).isEqualTo(max);
        assertThat(finished).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(finished.get(i)[0]).isEqualTo(i);
            assertThat(finished.get(i)[1]).isEqualTo(objectives[i]);
        }
        // The winner's log-likelihood is the returned model's.
        assertThat(fit.params().logLikelihood(IRIS)).isCloseTo(max, org.assertj.core.api.Assertions.within(1e-9
                * Math.abs(max)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Initialization.class)
    void firstOfSeveralRunsIsTheSingleRunWithTheSameSeed(Initialization init) {
        GaussianMixture g = GaussianMixture.withComponents(3).initialization(init).seed(99).threads(1);
        EmResult<GaussianMixtureModel> single = g.initializations(1).fit(IRIS);
        EmResult<GaussianMixtureModel> five = g.initializations(5).fit(IRIS);
        assertThat(five.initializationObjectives()[0]).isEqualTo(single.objective());
        assertThat(five.objective()).isGreaterThanOrEqualTo(single.objective());
    }
}
