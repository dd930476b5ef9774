package io.emkit.select;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Model selection over K and the 14 structures. The reference BIC values are mclust's (5.x), from
 * {@code Mclust(faithful)} and {@code Mclust(iris[, -5])} with their defaults (hierarchical-clustering
 * initialisation); mclust reports BIC with the opposite sign (2·logL − p·ln n).
 */
class ModelSelectionTest {
    private static final GaussianMixture FIVE_STARTS = GaussianMixture.withComponents(1).initializations(5).seed(0);

    @Test
    void faithfulPicksEeeWithThreeComponentsAsMclustDoes() {
        SelectionResult r = ModelSelection.of(List.of(1, 2, 3, 4), CovarianceType.all()).fitting(FIVE_STARTS)
                .run(TestData.faithful());
        Candidate best = r.best().orElseThrow();
        assertThat(best.covariance()).isEqualTo(CovarianceType.TIED);
        assertThat(best.components()).isEqualTo(3);
        assertThat(best.parameterCount()).isEqualTo(11);
        // mclust: BIC(EEE, 3) = -2314.386
        assertThat(best.bic()).isCloseTo(2314.386, within(0.1));
        assertThat(r.candidates()).hasSize(4 * 14);
    }

    @Test
    void irisPicksVevWithTwoComponentsAsMclustDoes() {
        SelectionResult r = ModelSelection.of(List.of(1, 2, 3), CovarianceType.all()).fitting(FIVE_STARTS)
                .run(TestData.iris());
        Candidate best = r.best().orElseThrow();
        assertThat(best.covariance()).isEqualTo(CovarianceType.VEV);
        assertThat(best.components()).isEqualTo(2);
        assertThat(best.parameterCount()).isEqualTo(26);
        // mclust: BIC(VEV, 2) = -561.7285, log-likelihood -215.726
        assertThat(best.bic()).isCloseTo(561.7285, within(0.1));
        assertThat(best.logLikelihood()).isCloseTo(-215.726, within(0.05));
    }

    /**
     * With mclust's own initialisation (hierarchical clustering, one start) over K = 1..9 and all 14
     * structures. The tolerance 1e-4 on the mean log-likelihood per row is close to mclust's EM stopping rule
     * (relative change 1e-5 of the log-likelihood, about 4e-5 per row on these data).
     */
    @Test
    void initHcPicksMclustsChoicesOnFaithfulAndIris() {
        GaussianMixture hc = GaussianMixture.withComponents(1).initialization(io.emkit.init.Initialization.HIERARCHICAL)
                .tolerance(1e-4);
        List<Integer> oneToNine = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
        Candidate faithful = ModelSelection.of(oneToNine, CovarianceType.all()).fitting(hc).run(TestData.faithful())
                .best().orElseThrow();
        assertThat(faithful.name()).isEqualTo("EEE, 3 components");
        // mclust: BIC(EEE, 3) = -2314.386
        assertThat(faithful.bic()).isCloseTo(2314.386, within(0.1));
        Candidate iris = ModelSelection.of(oneToNine, CovarianceType.all()).fitting(hc).run(TestData.iris())
                .best().orElseThrow();
        assertThat(iris.name()).isEqualTo("VEV, 2 components");
        // mclust: BIC(VEV, 2) = -561.7285
        assertThat(iris.bic()).isCloseTo(561.7285, within(0.1));
    }

    @Test
    void criteriaFollowTheirDefinitionsAndTheBestIsTheMinimum() {
        Dataset data = TestData.faithful();
        SelectionResult r = ModelSelection.of(List.of(1, 2, 3), List.of(CovarianceType.FULL, CovarianceType.VEV))
                .criterion(Criterion.ICL).fitting(FIVE_STARTS).run(data);
        double n = data.rows();
        for (Candidate c : r.candidates()) {
            assertThat(c.succeeded()).isTrue();
            assertThat(c.bic()).isCloseTo(-2 * c.logLikelihood() + c.parameterCount() * Math.log(n), within(1e-9));
            assertThat(c.aic()).isCloseTo(-2 * c.logLikelihood() + 2 * c.parameterCount(), within(1e-9));
            double entropy = ModelSelection.entropy(c.model().predictProba(data), null);
            assertThat(c.icl()).isCloseTo(c.bic() + 2 * entropy, within(1e-9)).isGreaterThanOrEqualTo(c.bic());
            assertThat(c.parameterCount()).isEqualTo(c.model().parameterCount());
            assertThat(c.value(Criterion.ICL)).isGreaterThanOrEqualTo(r.best().orElseThrow().icl());
        }
        assertThat(r.candidates().get(0).icl()).as("one component: no entropy").isEqualTo(r.candidates().get(0).bic());
    }

    @Test
    void structuresWithTheSameKStartFromTheSamePartition() {
        // With no EM iteration the fit is its initialisation: the same partition's M-step in every structure,
        // so every structure has the same means and weights.
        SelectionResult r = ModelSelection.of(List.of(3), CovarianceType.all())
                .fitting(GaussianMixture.withComponents(1).maxIterations(0).seed(4)).run(TestData.iris());
        GaussianMixtureModel first = r.candidates().get(0).model();
        for (Candidate c : r.candidates()) {
            assertThat(c.model().means()).as("%s", c.covariance()).isDeepEqualTo(first.means());
            assertThat(c.model().weights()).isEqualTo(first.weights());
        }
    }

    @Test
    void resultDoesNotDependOnTheNumberOfParallelFits() {
        List<CovarianceType> types = List.of(CovarianceType.EII, CovarianceType.VVE, CovarianceType.EVV);
        SelectionResult one = ModelSelection.of(List.of(1, 2, 3), types).fitting(FIVE_STARTS.threads(1))
                .run(TestData.iris());
        SelectionResult many = ModelSelection.of(List.of(1, 2, 3), types).fitting(FIVE_STARTS.threads(5))
                .run(TestData.iris());
        for (int i = 0; i < one.candidates().size(); i++) {
            assertThat(many.candidates().get(i).logLikelihood()).isEqualTo(one.candidates().get(i).logLikelihood());
            assertThat(many.candidates().get(i).model()).isEqualTo(one.candidates().get(i).model());
        }
    }

    @Test
    void failedAndDegenerateFitsAreMarkedAndNeverChosen() {
        // Four distinct values: K = 5 cannot be fitted; K = 4 puts each component on one value (degenerate).
        double[] x = new double[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 4;
        }
        Dataset data = Dataset.ofColumn(x);
        // One plain run (no search) from k-means++ ends on the spike.
        SelectionResult r = ModelSelection.of(List.of(1, 4, 5), List.of(CovarianceType.FULL))
                .fitting(GaussianMixture.withComponents(1).seed(1).options(EmOptions.defaults().withInitializations(1)))
                .run(data);
        assertThat(r.candidates().get(2).succeeded()).isFalse();
        assertThat(r.candidates().get(2).failure()).contains("distinct");
        assertThat(r.candidates().get(1).succeeded()).isFalse();
        assertThat(r.candidates().get(1).failure()).contains("degenerate");
        assertThat(r.candidates().get(1).bic()).isNaN();
        assertThat(r.best().orElseThrow().components()).isEqualTo(1);

        // The default search ranks proper fits above spikes: K = 4 then ends on a proper fit (every
        // component's variance well above regCovar), with a lower likelihood than the spike's.
        SelectionResult searched = ModelSelection.of(List.of(1, 4), List.of(CovarianceType.FULL))
                .fitting(GaussianMixture.withComponents(1).seed(1)).run(data);
        Candidate four = searched.candidates().get(1);
        assertThat(four.succeeded()).as("%s", four.failure()).isTrue();
        for (int c = 0; c < 4; c++) {
            assertThat(four.model().covariance(c)[0][0]).isGreaterThan(10 * GaussianMixture.DEFAULT_REG_COVAR);
        }
        assertThat(four.logLikelihood()).isLessThan(40 * 0.5 * Math.log(1 / (2 * Math.PI * 1e-6)));
        assertThat(searched.best().orElseThrow().components()).isEqualTo(1);
    }
}
