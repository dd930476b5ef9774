package io.emkit.gaussian;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Old Faithful against mclust's published fit.
 *
 * <p>R: {@code library(mclust); fit <- Mclust(faithful, G = 2, modelNames = "VVV"); fit$loglik}
 * gives -1130.264 (11 parameters; BIC as −2·logL + p·ln n = 2322.19).
 */
class FaithfulReferenceTest {
    private static final double MCLUST_LOGLIK = -1130.264;

    @Test
    void defaultOptionsReachMclustsLogLikelihood() {
        Dataset data = TestData.faithful();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).fit(data);
        assertThat(fit.logLikelihood()).isCloseTo(MCLUST_LOGLIK, within(1e-3));
        assertThat(fit.converged()).isTrue();
        assertThat(fit.parameterCount()).isEqualTo(11);
        assertThat(fit.bic()).isCloseTo(2322.19, within(0.01));
        // The model evaluates to the same log-likelihood the fit reports.
        assertThat(fit.params().logLikelihood(data)).isCloseTo(fit.logLikelihood(), within(1e-9));
    }

    @Test
    void componentsMatchMclustsShortAndLongEruptions() {
        Dataset data = TestData.faithful();
        GaussianMixtureModel m = GaussianMixture.withComponents(2).fit(data).params();
        int shortOne = m.mean(0)[0] < m.mean(1)[0] ? 0 : 1;
        int longOne = 1 - shortOne;
        // mclust: means (2.036, 54.48) and (4.290, 79.97); mixing proportions 0.356 and 0.644.
        assertThat(m.mean(shortOne)[0]).isCloseTo(2.036, within(0.002));
        assertThat(m.mean(shortOne)[1]).isCloseTo(54.48, within(0.02));
        assertThat(m.mean(longOne)[0]).isCloseTo(4.290, within(0.002));
        assertThat(m.mean(longOne)[1]).isCloseTo(79.97, within(0.02));
        assertThat(m.weights()[shortOne]).isCloseTo(0.356, within(0.001));
    }
}
