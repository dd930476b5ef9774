package io.emkit.select;

import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.Search;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianPrior;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Selection over (K, Q) for mixtures of factor analysers, beside full and diagonal covariance: on rows drawn from a
 * known mixture with K = 2 components of 3 factors in 40 dimensions, BIC picks K = 2 and Q = 3 and ranks it above
 * the best full and the best diagonal Gaussian mixture; each candidate is the fit {@link FactorAnalyserMixture} makes
 * on its own; the selection does not depend on the number of threads.
 */
class FactorAnalyserSelectionTest {
    private static final int D = 40;
    private static final int Q = 3;

    /** {@code n} rows from two factor analysers in 40-D with 3 factors each (weights 0.6 and 0.4). */
    private static Dataset simulated(int n) {
        int k = 2;
        double[] weights = {0.6, 0.4};
        SplittableRandom random = new SplittableRandom(17);
        double[][] means = new double[k][D];
        double[][][] sigma = new double[k][D][D];
        for (int c = 0; c < k; c++) {
            double[][] loadings = new double[D][Q];
            double[] psi = new double[D];
            for (int j = 0; j < D; j++) {
                means[c][j] = c == 0 ? 0 : 2.5 * (j % 2 == 0 ? 1 : -1);
                psi[j] = 0.3 + 0.5 * random.nextDouble();
                for (int a = 0; a < Q; a++) {
                    loadings[j][a] = random.nextGaussian();
                }
            }
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    double s = i == j ? psi[i] : 0;
                    for (int a = 0; a < Q; a++) {
                        s += loadings[i][a] * loadings[j][a];
                    }
                    sigma[c][i][j] = s;
                }
            }
        }
        return TestData.drawMixture(23, n, weights, means, sigma);
    }

    private static GaussianMixture quick(int threads) {
        return GaussianMixture.withComponents(1).options(EmOptions.defaults().withSeed(4).withThreads(threads)
                .withSearch(Search.Level.QUICK));
    }

    @Test
    void bicPicksTheTrueNumberOfFactorsAndBeatsFullAndDiagonalCovariance() {
        Dataset data = simulated(2000);
        SelectionResult r = ModelSelection.of(List.of(2, 3), List.of(CovarianceType.FULL, CovarianceType.DIAG))
                .factorAnalysers(List.of(1, 2, 3, 4, 5)).fitting(quick(2)).run(data);
        assertThat(r.candidates()).hasSize(2 * 7);
        // K ascending, then the structures, then the numbers of factors.
        assertThat(r.candidates().stream().map(c -> c.components() + " " + c.structureName()).toList())
                .startsWith("2 VVV", "2 VVI", "2 mfa:1", "2 mfa:2", "2 mfa:3", "2 mfa:4", "2 mfa:5", "3 VVV");
        Candidate best = r.best().orElseThrow();
        assertThat(best.structureName()).isEqualTo("mfa:3");
        assertThat(best.isFactorAnalysers()).isTrue();
        assertThat(best.components()).isEqualTo(2);
        assertThat(best.model()).isInstanceOf(FactorAnalyserMixtureModel.class);
        assertThat(((FactorAnalyserMixtureModel) best.model()).factors()).isEqualTo(Q);
        assertThat(best.parameterCount()).isEqualTo(FactorAnalyserMixtureModel.parameterCount(2, D, Q));
        double bestFull = r.candidates().stream().filter(c -> !c.isFactorAnalysers()
                && c.covariance() == CovarianceType.FULL && c.succeeded()).mapToDouble(Candidate::bic).min().orElseThrow();
        double bestDiag = r.candidates().stream().filter(c -> c.covariance() == CovarianceType.DIAG && c.succeeded())
                .mapToDouble(Candidate::bic).min().orElseThrow();
        assertThat(best.bic()).isLessThan(bestFull).isLessThan(bestDiag);

        // The candidate is the fit the factor analysers make on their own, from the same settings.
        double alone = FactorAnalyserMixture.like(GaussianMixture.withComponents(2).options(quick(1).options()), Q).fit(data).logLikelihood();
        assertThat(best.logLikelihood()).isEqualTo(alone);
        assertThat(best.bic()).isEqualTo(-2 * alone + best.parameterCount() * Math.log(2000));
    }

    @Test
    void sameCandidatesForAnyNumberOfThreads() {
        Dataset data = simulated(600).selectColumns(0, 1, 2, 3, 4, 5, 6, 7);
        List<Double> one = null;
        for (int threads : new int[]{1, 3}) {
            SelectionResult r = ModelSelection.of(List.of(1, 2), List.of(CovarianceType.DIAG))
                    .factorAnalysers(List.of(1, 2)).fitting(quick(threads)).run(data);
            List<Double> values = r.candidates().stream().map(Candidate::logLikelihood).toList();
            if (one == null) {
                one = values;
            } else {
                assertThat(values).isEqualTo(one);
            }
        }
    }

    @Test
    void aNumberOfFactorsTheDataCannotHoldFailsAndIsNeverChosen() {
        Dataset data = simulated(300).selectColumns(0, 1, 2);
        SelectionResult r = ModelSelection.of(List.of(1), List.of()).factorAnalysers(List.of(1, 3)).fitting(quick(1))
                .run(data);
        assertThat(r.candidates().get(0).succeeded()).isTrue();
        assertThat(r.candidates().get(1).succeeded()).isFalse();
        assertThat(r.candidates().get(1).failure()).contains("3 factors need more than 3 columns");
        assertThat(r.best().orElseThrow().structureName()).isEqualTo("mfa:1");
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> ModelSelection.of(List.of(1), List.of()).factorAnalysers(List.of(0)))
                .isInstanceOf(EmkitException.class).hasMessageContaining("at least 1 factor");
        Dataset data = simulated(100).selectColumns(0, 1, 2);
        assertThatThrownBy(() -> ModelSelection.of(List.of(1), List.of()).run(data))
                .isInstanceOf(EmkitException.class).hasMessageContaining("at least one structure or number of factors");
        assertThatThrownBy(() -> ModelSelection.of(List.of(1), List.of()).factorAnalysers(List.of(1))
                .fitting(quick(1).prior(GaussianPrior.defaults())).run(data))
                .isInstanceOf(EmkitException.class).hasMessageContaining("a prior");
        assertThatThrownBy(() -> ModelSelection.of(List.of(1), List.of()).factorAnalysers(List.of(1))
                .studentT(io.emkit.student.DegreesOfFreedom.free()).noise(true).run(data))
                .isInstanceOf(EmkitException.class).hasMessageContaining("t factor analysers with a noise component");
    }

    /** p for every kind of model a selection makes, counted from the published formulas (K = 2, D = 5, Q = 2). */
    @Test
    void parameterCountsOfEveryKind() {
        ModelSelection mfa = ModelSelection.of(List.of(2), List.of()).factorAnalysers(List.of(2));
        // Per component 5·2 − 1 loadings and 5 uniquenesses; 2 × 5 means; 1 weight.
        int factorAnalysers = 2 * (5 * 2 - 1 + 5) + 2 * 5 + 1;
        assertThat(mfa.parameterCount(2, 5, CovarianceType.FULL, 2)).isEqualTo(factorAnalysers);
        assertThat(mfa.studentT(io.emkit.student.DegreesOfFreedom.free()).parameterCount(2, 5, CovarianceType.FULL, 2))
                .isEqualTo(factorAnalysers + 2);
        assertThat(mfa.studentT(io.emkit.student.DegreesOfFreedom.equal()).parameterCount(2, 5, CovarianceType.FULL, 2))
                .isEqualTo(factorAnalysers + 1);
        assertThat(mfa.studentT(io.emkit.student.DegreesOfFreedom.fixed(4)).parameterCount(2, 5, CovarianceType.FULL,
                2)).isEqualTo(factorAnalysers);
        assertThat(mfa.noise(true).parameterCount(2, 5, CovarianceType.FULL, 2)).isEqualTo(factorAnalysers + 2);
        // VVV: 2 × 15 covariance entries, 10 means, 1 weight; free degrees of freedom 2; noise 2.
        assertThat(mfa.noise(true).studentT(io.emkit.student.DegreesOfFreedom.free())
                .parameterCount(2, 5, CovarianceType.FULL, 0)).isEqualTo(2 * 15 + 10 + 1 + 2 + 2);
    }
}
