package io.emkit.select;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The bootstrap LRT on data drawn from two well-separated components: one against two is rejected with
 * the smallest p-value the replicates allow, two against three is not, and the sequence stops there; and
 * the p-values' calibration under a true null.
 */
class LikelihoodRatioTestTest {
    private static final Dataset TWO = TestData.drawMixture(31, 300, new double[] {0.5, 0.5},
            new double[][] {{0, 0}, {6, 3}}, new double[][][] {{{1, 0.3}, {0.3, 1}}, {{0.8, 0}, {0, 1.5}}});

    @Test
    void oneVersusTwoIsRejectedAndTwoVersusThreeIsNot() {
        GaussianMixture settings = GaussianMixture.withComponents(1).initializations(3).tolerance(1e-6).seed(2)
                .threads(2);
        List<LikelihoodRatioTest.Step> steps = LikelihoodRatioTest.of(CovarianceType.FULL).replicates(39)
                .fitting(settings).run(TWO);
        assertThat(steps).hasSize(2);
        LikelihoodRatioTest.Step first = steps.get(0);
        assertThat(first.components()).isEqualTo(1);
        assertThat(first.statistic()).isCloseTo(2 * (first.logLikelihoodMore() - first.logLikelihood()), within(1e-9));
        assertThat(first.statistic()).as("two separated clusters: a huge likelihood gain").isGreaterThan(100);
        assertThat(first.pValue()).isEqualTo(1.0 / 40);
        assertThat(first.significant()).isTrue();
        LikelihoodRatioTest.Step second = steps.get(1);
        assertThat(second.components()).isEqualTo(2);
        assertThat(second.logLikelihood()).as("the next test starts from the last fit")
                .isEqualTo(first.logLikelihoodMore());
        assertThat(second.pValue()).isGreaterThan(0.05);
        assertThat(second.significant()).isFalse();
        assertThat(second.replicates()).isEqualTo(39);

        List<LikelihoodRatioTest.Step> again = LikelihoodRatioTest.of(CovarianceType.FULL).replicates(39)
                .fitting(settings.threads(1)).run(TWO);
        assertThat(again).as("same seed, any thread count").isEqualTo(steps);
    }

    /**
     * Under a true null the p-values are roughly uniform: 150 data sets of 40 rows from one normal, each tested
     * 1 against 2 components with 9 replicates, so a p-value is one of 1/10, 2/10, …, 1 and, were the null
     * distribution known, {@code P(p ≤ 0.1) = 1/10} and {@code P(p ≤ 0.5) = 5/10} exactly. The counts must lie
     * within 3.5 binomial standard deviations of 150·0.1 = 15 (sd 3.7) and 150·0.5 = 75 (sd 6.1); the parametric
     * bootstrap draws from the fitted, not the true, normal, which moves them far less than that. A replicate
     * statistic off by a factor (ln L differences not doubled, say) leaves the band.
     */
    @Test
    void underATrueNullThePValuesAreRoughlyUniform() {
        int sets = 150;
        int belowTenth = 0;
        int belowHalf = 0;
        // One run per fit (no search), as in the replicates: the test is of the p-value, not of the search.
        GaussianMixture settings = GaussianMixture.withComponents(1).initializations(1).threads(2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        for (int s = 0; s < sets; s++) {
            double[] x = new double[40];
            for (int i = 0; i < x.length; i++) {
                x[i] = 3 + 2 * random.nextGaussian();
            }
            LikelihoodRatioTest.Step step = LikelihoodRatioTest.of(CovarianceType.FULL).replicates(9).maxComponents(2)
                    .fitting(settings.seed(s)).run(Dataset.ofColumn(x)).get(0);
            assertThat(step.components()).isEqualTo(1);
            if (step.pValue() <= 0.1 + 1e-12) {
                belowTenth++;
            }
            if (step.pValue() <= 0.5 + 1e-12) {
                belowHalf++;
            }
        }
        assertThat(belowTenth).as("p <= 0.1 out of %d", sets).isBetween(3, 27);
        assertThat(belowHalf).as("p <= 0.5 out of %d", sets).isBetween(54, 96);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> LikelihoodRatioTest.of(CovarianceType.FULL).replicates(0))
                .hasMessageContaining("at least 1 replicate");
        assertThatThrownBy(() -> LikelihoodRatioTest.of(CovarianceType.FULL).level(0))
                .hasMessageContaining("strictly between 0 and 1");
        assertThatThrownBy(() -> LikelihoodRatioTest.of(CovarianceType.FULL).maxComponents(1))
                .hasMessageContaining(">= 2");
    }
}
