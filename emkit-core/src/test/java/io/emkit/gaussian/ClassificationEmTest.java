package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import io.emkit.kmeans.KMeans;
import io.emkit.mixture.Assignment;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Classification EM ({@link Assignment#HARD}): the classification log-likelihood never decreases, the
 * reported values are the classification and the mixture log-likelihood of the returned parameters computed
 * directly, a converged fit is the M-step of its own partition, with EII on well-separated data its
 * partition is k-means', and it is the same bit for bit for any thread count.
 */
class ClassificationEmTest {
    /** Three overlapping clusters: CEM has work to do. */
    private static final Dataset OVERLAPPING = TestData.drawMixture(21, 600, new double[] {0.45, 0.35, 0.2},
            new double[][] {{0, 0}, {2, 1}, {-1, 2}},
            new double[][][] {{{1, 0.3}, {0.3, 1}}, {{0.6, -0.2}, {-0.2, 0.9}}, {{1.2, 0.4}, {0.4, 0.5}}});

    private static double classificationLogLikelihood(GaussianMixtureModel m, Dataset data, double[] w) {
        double total = 0;
        for (int i = 0; i < data.rows(); i++) {
            double[] joint = GaussianReference.logJoint(data.row(i), m.weights(), m.means(), m.covariances());
            total += (w == null ? 1 : w[i]) * Arrays.stream(joint).max().orElseThrow();
        }
        return total;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void classificationLogLikelihoodNeverDecreases(CovarianceType type) {
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type)
                .assignment(Assignment.HARD).initialization(Initialization.RANDOM_POINTS).regCovar(0)
                .tolerance(0).maxIterations(30).initializations(1).seed(7).fit(OVERLAPPING);
        double[] trace = fit.trace();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d of %s", i, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
        assertThat(trace[trace.length - 1]).as("CEM improved on its start").isGreaterThan(trace[0]);
        GaussianMixtureModel m = fit.params();
        double cl = classificationLogLikelihood(m, OVERLAPPING, null);
        assertThat(fit.logLikelihood()).as("the reported objective is the classification log-likelihood")
                .isCloseTo(cl, within(1e-9 * Math.abs(cl)));
        double mixture = GaussianReference.logLikelihood(OVERLAPPING, m.weights(), m.means(), m.covariances());
        GaussianMixture config = GaussianMixture.withComponents(3).threads(2);
        assertThat(config.logLikelihood(m, OVERLAPPING)).isCloseTo(mixture, within(1e-9 * Math.abs(mixture)));
        assertThat(mixture).as("the mixture likelihood bounds the classification likelihood").isGreaterThan(cl);
    }

    /**
     * At a fixed point no row changes component, so the returned parameters are the M-step of the partition
     * they induce: weights are the shares of rows, means the rows' averages (computed directly here).
     */
    @Test
    void convergedFitIsTheMStepOfItsOwnPartition() {
        double[] w = new double[OVERLAPPING.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1 + i % 3;
        }
        Dataset weighted = OVERLAPPING.withWeights(w);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(CovarianceType.FULL)
                .assignment(Assignment.HARD).tolerance(1e-12).maxIterations(200).fit(weighted);
        assertThat(fit.converged()).isTrue();
        GaussianMixtureModel m = fit.params();
        int[] labels = m.predict(weighted);
        double[] mass = new double[3];
        double[][] sum = new double[3][2];
        for (int i = 0; i < labels.length; i++) {
            mass[labels[i]] += w[i];
            sum[labels[i]][0] += w[i] * weighted.get(i, 0);
            sum[labels[i]][1] += w[i] * weighted.get(i, 1);
        }
        double total = weighted.totalWeight();
        for (int c = 0; c < 3; c++) {
            assertThat(m.weights()[c]).isCloseTo(mass[c] / total, within(1e-12));
            assertThat(m.mean(c)[0]).isCloseTo(sum[c][0] / mass[c], within(1e-9));
            assertThat(m.mean(c)[1]).isCloseTo(sum[c][1] / mass[c], within(1e-9));
        }
        double cl = classificationLogLikelihood(m, OVERLAPPING, w);
        assertThat(fit.logLikelihood()).isCloseTo(cl, within(1e-9 * Math.abs(cl)));
    }

    @Test
    void withEiiOnWellSeparatedDataThePartitionIsKMeans() {
        Dataset data = TestData.drawMixture(5, 900, new double[] {0.3, 0.3, 0.4},
                new double[][] {{0, 0}, {12, 0}, {0, 12}},
                new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
        int[] cem = GaussianMixture.withComponents(3).covarianceType(CovarianceType.EII).assignment(Assignment.HARD)
                .initializations(3).seed(1).fit(data).params().predict(data);
        int[] km = KMeans.withClusters(3).initializations(5).seed(2).fit(data).params().predict(data);
        // Same partition: the labels correspond one to one.
        int[] map = {-1, -1, -1};
        for (int i = 0; i < cem.length; i++) {
            if (map[cem[i]] < 0) {
                map[cem[i]] = km[i];
            }
            assertThat(km[i]).as("row %d", i).isEqualTo(map[cem[i]]);
        }
        assertThat(Arrays.stream(map).distinct().count()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "TIED", "VEV", "EII"})
    void hardFitIsBitIdenticalForAnyThreadCount(CovarianceType type) {
        EmOptions options = EmOptions.defaults().withBlockSize(50).withTolerance(1e-9).withMaxIterations(50)
                .withInitializations(2).withSeed(3);
        GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(type).assignment(Assignment.HARD)
                .options(options);
        EmResult<GaussianMixtureModel> one = config.threads(1).fit(OVERLAPPING);
        EmResult<GaussianMixtureModel> three = config.threads(3).fit(OVERLAPPING);
        assertThat(one.params()).isEqualTo(three.params());
        assertThat(Arrays.equals(one.trace(), three.trace())).isTrue();
    }

    @Test
    void tiesGoToTheLowerComponentAndNamesParse() {
        // Two identical components: every row is a tie, so every row goes to component 0, whose weight becomes 1.
        GaussianMixtureModel twins = GaussianMixtureModel.spherical(new double[] {0.5, 0.5},
                new double[][] {{0, 0}, {0, 0}}, new double[] {1, 1});
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).covarianceType(CovarianceType.SPHERICAL)
                .assignment(Assignment.HARD).initialModel(twins).maxIterations(1).tolerance(0).fit(OVERLAPPING);
        assertThat(fit.params().weights()[0]).isEqualTo(1.0);
        assertThat(fit.params().weights()[1]).isEqualTo(0.0);
        assertThat(Assignment.parse(" HARD ")).isEqualTo(Assignment.HARD);
        assertThat(Assignment.parse("soft")).isEqualTo(Assignment.SOFT);
        assertThatThrownBy(() -> Assignment.parse("fuzzy")).hasMessageContaining("soft, hard");
    }
}
