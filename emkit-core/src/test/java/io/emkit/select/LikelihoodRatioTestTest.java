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
 * the smallest p-value the replicates allow, two against three is not, and the sequence stops there.
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
