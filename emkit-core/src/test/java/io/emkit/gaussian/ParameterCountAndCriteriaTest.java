package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static io.emkit.gaussian.GaussianReference.close;
import static org.assertj.core.api.Assertions.assertThat;

/** Free-parameter counts against the textbook formulas, and BIC/AIC against their definitions. */
class ParameterCountAndCriteriaTest {

    /** The number of free parameters, written out per structure. */
    static int expectedCount(CovarianceType type, int k, int d) {
        int meansAndWeights = k * d + k - 1;
        return switch (type) {
            case FULL -> k * d * (d + 1) / 2 + meansAndWeights;
            case DIAG -> k * d + meansAndWeights;
            case SPHERICAL -> k + meansAndWeights;
            case TIED -> d * (d + 1) / 2 + meansAndWeights;
            // mclust's nVarParams, written out per name (G = k components).
            case EII -> 1 + meansAndWeights;
            case EEI -> d + meansAndWeights;
            case VEI -> k + (d - 1) + meansAndWeights;
            case EVI -> 1 + k * (d - 1) + meansAndWeights;
            case VEE -> k + (d - 1) + d * (d - 1) / 2 + meansAndWeights;
            case EVE -> 1 + k * (d - 1) + d * (d - 1) / 2 + meansAndWeights;
            case VVE -> k + k * (d - 1) + d * (d - 1) / 2 + meansAndWeights;
            case EEV -> 1 + (d - 1) + k * d * (d - 1) / 2 + meansAndWeights;
            case VEV -> k + (d - 1) + k * d * (d - 1) / 2 + meansAndWeights;
            case EVV -> 1 + k * (d - 1) + k * d * (d - 1) / 2 + meansAndWeights;
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void modelParameterCountMatchesFormulaForSeveralKAndD(CovarianceType type) {
        SplittableRandom r = new SplittableRandom(3);
        for (int k : new int[] {1, 2, 3, 7}) {
            for (int d : new int[] {1, 2, 3, 5, 10}) {
                GaussianMixtureModel m = GaussianReference.randomParams(r, type, k, d, 1.0).model();
                assertThat(m.parameterCount()).as("%s, K=%d, D=%d", type, k, d).isEqualTo(expectedCount(type, k, d));
            }
        }
    }

    @Test
    void knownCountsForTwoComponentsInTwoDimensions() {
        // Written out by hand: 2 weights − 1, 4 means, and 2×3 / 2×2 / 2×1 / 3 covariance entries.
        assertThat(expectedCount(CovarianceType.FULL, 2, 2)).isEqualTo(11);
        assertThat(expectedCount(CovarianceType.DIAG, 2, 2)).isEqualTo(9);
        assertThat(expectedCount(CovarianceType.SPHERICAL, 2, 2)).isEqualTo(7);
        assertThat(expectedCount(CovarianceType.TIED, 2, 2)).isEqualTo(8);
        // mclust on iris (d = 4): VEV with G = 2 has 2 + 3 + 2·6 = 17 covariance parameters, 26 in all;
        // EEE with G = 3 on faithful (d = 2) has 3 + 6 + 2 = 11.
        assertThat(expectedCount(CovarianceType.VEV, 2, 4)).isEqualTo(26);
        assertThat(expectedCount(CovarianceType.TIED, 3, 2)).isEqualTo(11);
        assertThat(CovarianceType.EVV.covarianceParameters(3, 4)).isEqualTo(3 * 4 * 5 / 2 - 2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void bicAndAicOfModelAndResultFollowTheirDefinitions(CovarianceType type) {
        Dataset data = TestData.iris();
        int k = 3;
        int d = data.columns();
        int n = data.rows();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(k).covarianceType(type).seed(1)
                .threads(1).fit(data);
        GaussianMixtureModel m = fit.params();
        int p = expectedCount(type, k, d);
        assertThat(fit.parameterCount()).as("EmResult.parameterCount").isEqualTo(p);
        assertThat(m.parameterCount()).as("model.parameterCount").isEqualTo(p);
        assertThat(fit.sampleCount()).isEqualTo(n);

        double logL = GaussianReference.logLikelihood(data, m.weights(), m.means(), m.covariances());
        double bic = -2 * logL + p * Math.log(n);
        double aic = -2 * logL + 2 * p;
        assertThat(close(m.bic(data), bic, 1e-10, 1)).as("model bic %s vs %s", m.bic(data), bic).isTrue();
        assertThat(close(m.aic(data), aic, 1e-10, 1)).as("model aic %s vs %s", m.aic(data), aic).isTrue();
        assertThat(close(fit.logLikelihood(), logL, 1e-9, 1)).as("fit logL %s vs %s", fit.logLikelihood(), logL)
                .isTrue();
        assertThat(close(fit.bic(), bic, 1e-9, 1)).as("fit bic %s vs %s", fit.bic(), bic).isTrue();
        assertThat(close(fit.aic(), aic, 1e-9, 1)).as("fit aic %s vs %s", fit.aic(), aic).isTrue();
        assertThat(close(fit.meanLogLikelihood(), logL / n, 1e-9, 1)).as("mean logL").isTrue();
    }
}
