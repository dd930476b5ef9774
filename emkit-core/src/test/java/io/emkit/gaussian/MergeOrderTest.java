package io.emkit.gaussian;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Which pair a split-and-merge move merges ({@link SplitMergeMoves}): the cosine of the pair's responsibilities
 * and the merge's loss, in turn. The loss is checked against the mixture it stands for, built here; the order
 * against mclust's fit of a set where the responsibilities show no pair.
 */
class MergeOrderTest {

    /**
     * A merge's loss, computed from the fit's responsibilities and one component's density, is the fall of the
     * log-likelihood of the rows the pair holds (responsibilities adding up to more than 1e-3) from the fit to the
     * mixture of K − 1 components in which the pair is one component of the structure, its weight the pair's and
     * its mean and covariance their first two moments (diagonal for diag, their mean variance for spherical, the
     * shared one for tied).
     */
    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL", "TIED"})
    void aMergesLossIsWhatTheLogLikelihoodLosesWithThePairAsOneComponent(CovarianceType type) {
        Dataset iris = TestData.iris();
        GaussianMixtureModel fitted = GaussianMixture.withComponents(4).covarianceType(type).seed(1).fit(iris)
                .params();
        double[][] loss = SplitMergeMoves.mergeLosses(fitted, iris);
        double[][] r = fitted.predictProba(iris);
        double[] before = fitted.scoreSamples(iris);
        for (int a = 0; a < 4; a++) {
            for (int b = a + 1; b < 4; b++) {
                double[] after = withPairMerged(fitted, a, b).scoreSamples(iris);
                double expected = 0;
                int held = 0;
                for (int i = 0; i < iris.rows(); i++) {
                    if (r[i][a] + r[i][b] > SplitMergeMoves.HELD) {
                        expected += before[i] - after[i];
                        held++;
                    }
                }
                assertThat(held).isPositive();
                assertThat(loss[a][b]).as("%s, pair (%d, %d)", type, a, b)
                        .isCloseTo(expected, within(1e-9 * (Math.abs(expected) + held))).isEqualTo(loss[b][a]).isPositive();
            }
        }
    }

    /**
     * Spherical components tiling elongated clusters (the holdout grid's h05, 3,000 rows, K = 8): with the cosine
     * alone ordering the merges no move is kept and the default fit ends at −26,706.36; the merge's loss ranks a pair
     * whose union one spherical component fits about as well, two moves are kept and the fit ends 0.69 nats higher,
     * the best any search has found there (scikit-learn's best of 20 tight starts −26,728.88,
     * references-structures.sklearn.tsv; mclust's fit from its tree of all the rows −26,808.38,
     * references-structures.mclust.R; emkit's `--search thorough` of session 37 −26,718.10). (Until session 51 this
     * test was on h08, where the cosine alone ended 96 nats below mclust's fit; since the hierarchical start is in
     * the portfolio on 3,000 rows, the search reaches that optimum from its starts.)
     */
    @Test
    void theMergesLossFindsAPairWhereTheResponsibilitiesShowNone() {
        Dataset data = TestData.holdoutH05();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(8)
                .covarianceType(CovarianceType.SPHERICAL).seed(0).fit(data);
        assertThat(fit.logLikelihood()).isGreaterThan(-26_705.68);
        assertThat(fit.search().movesAccepted()).isPositive();
    }

    /**
     * Relocations move the lighter component of the pair whose responsibilities overlap most and, every second
     * candidate, that of the pair whose merge loses least: on a tied fit of h08, two different components.
     */
    @Test
    void relocationsMoveTheLighterOfTheCosinesAndOfTheLosssFirstPairsInTurn() {
        Dataset data = TestData.structuresHoldoutH08();
        GaussianMixtureModel fitted = GaussianMixture.withComponents(5).covarianceType(CovarianceType.TIED).seed(0)
                .fit(data).params();
        double[] w = fitted.weights();
        double[][] r = fitted.predictProba(data);
        double[][] loss = SplitMergeMoves.mergeLosses(fitted, data);
        int byOverlap = -1;
        int byLoss = -1;
        double most = -1;
        double least = Double.POSITIVE_INFINITY;
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                double ab = 0;
                double aa = 0;
                double bb = 0;
                for (double[] ri : r) {
                    ab += ri[a] * ri[b];
                    aa += ri[a] * ri[a];
                    bb += ri[b] * ri[b];
                }
                int lighter = w[b] < w[a] ? b : a;
                if (ab / Math.sqrt(aa * bb) > most) {
                    most = ab / Math.sqrt(aa * bb);
                    byOverlap = lighter;
                }
                if (loss[a][b] < least) {
                    least = loss[a][b];
                    byLoss = lighter;
                }
            }
        }
        assertThat(byLoss).isNotEqualTo(byOverlap);
        List<GaussianMixtureModel> moved = SplitMergeMoves.relocations(data, fitted, 4);
        assertThat(moved).hasSize(4);
        for (int t = 0; t < 4; t++) {
            int expected = t % 2 == 0 ? byOverlap : byLoss;
            for (int c = 0; c < 5; c++) {
                boolean same = java.util.Arrays.equals(moved.get(t).mean(c), fitted.mean(c));
                assertThat(same).as("candidate %d, component %d", t, c).isEqualTo(c != expected);
            }
        }
    }

    /** The fit with components a and b replaced by one, in slot a, of the fit's structure. */
    private static GaussianMixtureModel withPairMerged(GaussianMixtureModel fitted, int a, int b) {
        int k = fitted.components();
        int d = fitted.dimension();
        double[] w = fitted.weights();
        double pair = w[a] + w[b];
        double[] weights = new double[k - 1];
        double[][] means = new double[k - 1][];
        double[][][] covariances = new double[k - 1][][];
        int slot = 0;
        for (int c = 0; c < k; c++) {
            if (c == b) {
                continue;
            }
            weights[slot] = c == a ? pair : w[c];
            means[slot] = fitted.mean(c);
            covariances[slot] = fitted.covariance(c);
            slot++;
        }
        double[] mean = new double[d];
        double[][] second = new double[d][d];
        for (int c : new int[] {a, b}) {
            double[] mu = fitted.mean(c);
            double[][] cov = fitted.covariance(c);
            for (int i = 0; i < d; i++) {
                mean[i] += w[c] / pair * mu[i];
                for (int j = 0; j < d; j++) {
                    second[i][j] += w[c] / pair * (cov[i][j] + mu[i] * mu[j]);
                }
            }
        }
        double[][] merged = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                merged[i][j] = second[i][j] - mean[i] * mean[j];
            }
        }
        means[a] = mean;
        CovarianceType type = fitted.covarianceType();
        switch (type) {
            case FULL -> covariances[a] = merged;
            case DIAG -> covariances[a] = diagonal(merged, false);
            case SPHERICAL -> covariances[a] = diagonal(merged, true);
            default -> { } // tied: the shared covariance stays
        }
        return GaussianMixtureModel.of(type, weights, means, covariances);
    }

    private static double[][] diagonal(double[][] m, boolean spherical) {
        int d = m.length;
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += m[j][j];
        }
        double[][] out = new double[d][d];
        for (int j = 0; j < d; j++) {
            out[j][j] = spherical ? trace / d : m[j][j];
        }
        return out;
    }
}
