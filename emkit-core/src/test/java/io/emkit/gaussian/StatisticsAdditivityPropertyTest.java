package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.emkit.gaussian.GaussianReference.close;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The E-step's statistics are additive: accumulating every row in one pass, or any cut of the rows into
 * blocks merged in any order, gives the same M-step (to 1e-12 relative) and the same log-likelihood.
 */
class StatisticsAdditivityPropertyTest {
    private static final Dataset DATA = TestData.drawMixture(5, 701, new double[] {0.5, 0.3, 0.2},
            new double[][] {{0, 0, 0}, {2, 1, -1}, {0, 2.5, 1}},
            new double[][][] {
                    {{1, 0.3, 0.1}, {0.3, 1, 0}, {0.1, 0, 0.5}},
                    {{0.6, -0.2, 0}, {-0.2, 0.9, 0.1}, {0, 0.1, 1.1}},
                    {{1.2, 0.4, 0.2}, {0.4, 0.5, 0}, {0.2, 0, 0.8}}});

    // A fixed seed: a failure on CI reproduces on any machine (jqwik prints the seed and the falsifying sample).
    @Property(tries = 60, seed = "190601")
    void randomBlocksMergedInRandomOrderGiveTheSameMStepAndLogLikelihood(
            @ForAll CovarianceType type, @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks) {
        SplittableRandom r = new SplittableRandom(seed);
        GaussianMixtureModel model = GaussianReference.randomParams(new SplittableRandom(type.ordinal()), type, 3, 3,
                1.5).model();
        GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 1e-6);
        int n = DATA.rows();

        GaussianStatistics whole = steps.emptyStatistics(model);
        double wholeLl = steps.accumulate(model, DATA, 0, n, whole);

        // Random cut points (blocks may be empty), each block into its own statistics.
        int[] cuts = new int[blocks + 1];
        cuts[blocks] = n;
        for (int b = 1; b < blocks; b++) {
            cuts[b] = r.nextInt(n + 1);
        }
        java.util.Arrays.sort(cuts);
        List<GaussianStatistics> parts = new ArrayList<>();
        List<Double> lls = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            GaussianStatistics s = steps.emptyStatistics(model);
            lls.add(steps.accumulate(model, DATA, cuts[b], cuts[b + 1], s));
            parts.add(s);
        }
        // Merge random pairs until one is left: a random tree in a random order.
        while (parts.size() > 1) {
            int i = r.nextInt(parts.size());
            int j = r.nextInt(parts.size() - 1);
            if (j >= i) {
                j++;
            }
            parts.get(i).merge(parts.get(j));
            parts.remove(j);
        }
        GaussianStatistics merged = parts.get(0);
        double mergedLl = 0;
        java.util.Collections.shuffle(lls, new java.util.Random(seed));
        for (double v : lls) {
            mergedLl += v;
        }

        assertThat(close(mergedLl, wholeLl, 1e-12, 1)).as("log-likelihood %s vs %s", mergedLl, wholeLl).isTrue();
        assertThat(close(merged.totalWeight(), n, 1e-12, 1)).as("total weight is the row count").isTrue();
        double[] wa = merged.componentWeights();
        double[] wb = whole.componentWeights();
        for (int c = 0; c < 3; c++) {
            assertThat(close(wa[c], wb[c], 1e-12, 1e-300)).as("N_%d", c).isTrue();
        }

        GaussianMixtureModel a = steps.maximize(merged, model, w -> { });
        GaussianMixtureModel b = steps.maximize(whole, model, w -> { });
        assertModelsClose(a, b, 1e-12);
    }

    static void assertModelsClose(GaussianMixtureModel a, GaussianMixtureModel b, double rel) {
        int k = a.components();
        int d = a.dimension();
        assertThat(a.covarianceType()).isEqualTo(b.covarianceType());
        for (int c = 0; c < k; c++) {
            assertThat(close(a.weights()[c], b.weights()[c], rel, 1e-300))
                    .as("weight %d: %s vs %s", c, a.weights()[c], b.weights()[c]).isTrue();
            double[][] ca = a.covariance(c);
            double[][] cb = b.covariance(c);
            for (int j = 0; j < d; j++) {
                // A mean's natural scale is its component's spread as well as its own size.
                double scale = Math.sqrt(cb[j][j]);
                assertThat(close(a.mean(c)[j], b.mean(c)[j], rel, scale))
                        .as("mean %d[%d]: %s vs %s", c, j, a.mean(c)[j], b.mean(c)[j]).isTrue();
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double scale = Math.sqrt(cb[i][i] * cb[j][j]);
                    assertThat(close(ca[i][j], cb[i][j], rel, scale))
                            .as("covariance %d[%d][%d]: %s vs %s", c, i, j, ca[i][j], cb[i][j]).isTrue();
                }
            }
        }
    }
}
