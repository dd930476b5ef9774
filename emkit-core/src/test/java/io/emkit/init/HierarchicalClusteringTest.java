package io.emkit.init;

import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model-based hierarchical clustering: on well-separated clusters of different shapes its cut at K is the
 * true partition; every cut has exactly K clusters; large data are clustered on an even, deterministic
 * subset; and {@code --init hc} starts EM from the cut.
 */
class HierarchicalClusteringTest {
    private static final double[][] MEANS = {{0, 0}, {12, 0}, {0, 12}};
    private static final double[][][] COVS = {{{1, 0.8}, {0.8, 1}}, {{0.2, 0}, {0, 2}}, {{1.5, -0.5}, {-0.5, 0.4}}};

    /** Rows of cluster c are rows [60c, 60c + 60). */
    private static Dataset separated(int perCluster) {
        SplittableRandom r = new SplittableRandom(8);
        double[][] rows = new double[3 * perCluster][];
        for (int c = 0; c < 3; c++) {
            double[][] l = TestData.cholesky(COVS[c]);
            for (int i = 0; i < perCluster; i++) {
                double z0 = r.nextGaussian();
                double z1 = r.nextGaussian();
                rows[c * perCluster + i] = new double[] {MEANS[c][0] + l[0][0] * z0,
                        MEANS[c][1] + l[1][0] * z0 + l[1][1] * z1};
            }
        }
        return Dataset.of(rows);
    }

    @Test
    void onWellSeparatedClustersTheCutAtThreeIsTheTruePartition() {
        Dataset data = separated(60);
        int[] labels = HierarchicalClustering.of(data).partition(3);
        Map<Integer, Integer> truthOf = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            int truth = i / 60;
            Integer seen = truthOf.putIfAbsent(labels[i], truth);
            assertThat(seen == null ? truth : seen).as("row %d: cluster %d mixes true clusters", i, labels[i])
                    .isEqualTo(truth);
        }
        assertThat(truthOf).hasSize(3);
    }

    @Test
    void everyCutHasExactlyKClustersNumberedInOrderOfTheirFirstRow() {
        Dataset data = separated(15);
        HierarchicalClustering tree = HierarchicalClustering.of(data);
        for (int k = 1; k <= data.rows(); k++) {
            int[] labels = tree.partition(k);
            int next = 0;
            for (int label : labels) {
                assertThat(label).isLessThanOrEqualTo(next);
                if (label == next) {
                    next++;
                }
            }
            assertThat(next).as("clusters at k = %d", k).isEqualTo(k);
        }
        assertThatThrownBy(() -> tree.partition(data.rows() + 1)).hasMessageContaining("cannot cut");
    }

    @Test
    void largeDataAreClusteredOnAnEvenDeterministicSubset() {
        Dataset data = separated(400);
        HierarchicalClustering a = HierarchicalClustering.of(data, 90);
        int[] rows = a.clusteredRows();
        assertThat(rows).hasSize(90);
        for (int i = 0; i < rows.length; i++) {
            assertThat(rows[i]).isEqualTo(i * 1200 / 90);
        }
        assertThat(HierarchicalClustering.of(data, 90).partition(3)).isEqualTo(a.partition(3));
        int[] labels = a.partition(3);
        for (int i = 1; i < rows.length; i++) {
            assertThat(labels[i] == labels[i - 1]).as("subset rows %d and %d", rows[i - 1], rows[i])
                    .isEqualTo(rows[i] / 400 == rows[i - 1] / 400);
        }
    }

    @Test
    void initHcStartsEmFromTheCutAndRecoversTheClusters() {
        Dataset data = separated(60);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).initialization(Initialization.HIERARCHICAL)
                .maxIterations(0).initializations(4).threads(1).fit(data);
        assertThat(fit.initializationObjectives()).as("deterministic: one initialisation").hasSize(1);
        int[] predicted = fit.params().predict(data);
        for (int i = 0; i < data.rows(); i++) {
            assertThat(predicted[i]).as("row %d", i).isEqualTo(predicted[(i / 60) * 60]);
        }
        double[][] means = fit.params().means();
        for (int c = 0; c < 3; c++) {
            assertThat(means[predicted[c * 60]][0]).isCloseTo(MEANS[c][0], org.assertj.core.api.Assertions.within(0.5));
            assertThat(means[predicted[c * 60]][1]).isCloseTo(MEANS[c][1], org.assertj.core.api.Assertions.within(0.5));
        }
    }
}
