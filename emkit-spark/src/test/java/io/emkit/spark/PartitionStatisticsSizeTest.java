package io.emkit.spark;

import io.emkit.data.Dataset;
import io.emkit.em.PartitionSteps;
import io.emkit.em.SufficientStatistics;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a partition sends to the driver in each E-step (its {@code SparkFit.Partial}, serialized as Spark's task
 * result is) depends on the model's size only, never on how many rows the partition holds: a Gaussian mixture's
 * K·(1 + 2D + D²) doubles, k-means' sums and its K − 1 farthest rows. Spark's task result sizes in the scaling
 * benchmark (emkit-bench/spark-scale) show the same on a cluster.
 */
class PartitionStatisticsSizeTest {
    private static final int K = 3;
    private static final int D = 4;

    @Test
    void aGaussianMixturesPartitionSendsTheSameBytesForNAndFourNRows() throws IOException {
        GaussianMixtureModel start = GaussianMixtureModel.full(new double[]{0.2, 0.3, 0.5},
                new double[][]{{0, 0, 0, 0}, {3, 1, 0, -1}, {-2, 4, 1, 0}}, identities());
        PartitionSteps<GaussianMixtureModel, ?> steps = GaussianMixture.withComponents(K).initialModel(start)
                .distributed().steps();
        int small = serializedPartial(steps, start, rows(1000));
        int large = serializedPartial(steps, start, rows(4000));
        assertThat(large).isEqualTo(small);
        // The statistics themselves travel, not a reference: at least the K·D² doubles of the second moments.
        assertThat(small).isGreaterThan(8 * K * D * D);
    }

    @Test
    void kMeansPartitionSendsTheSameBytesForNAndFourNRows() throws IOException {
        KMeansModel start = KMeansModel.of(new double[][]{{0, 0, 0, 0}, {3, 1, 0, -1}, {-2, 4, 1, 0}});
        PartitionSteps<KMeansModel, ?> steps = KMeans.withClusters(K).initialModel(start).distributed().steps();
        assertThat(serializedPartial(steps, start, rows(4000))).isEqualTo(serializedPartial(steps, start, rows(1000)));
    }

    private static <P, S extends SufficientStatistics<S>> int serializedPartial(PartitionSteps<P, S> steps, P params,
                                                                                 Dataset rows) throws IOException {
        S stats = steps.emptyStatistics(params);
        double ll = steps.accumulatePartition(params, rows, 0, stats);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new SparkFit.Partial<>(stats, ll));
        }
        return bytes.size();
    }

    private static Dataset rows(int n) {
        SplittableRandom random = new SplittableRandom(22);
        double[] values = new double[n * D];
        for (int i = 0; i < values.length; i++) {
            values[i] = 4 * random.nextDouble() - 1;
        }
        return Dataset.wrap(values, n, D, List.of("a", "b", "c", "d"));
    }

    private static double[][][] identities() {
        double[][][] cov = new double[K][D][D];
        for (double[][] c : cov) {
            for (int a = 0; a < D; a++) {
                c[a][a] = 1;
            }
        }
        return cov;
    }
}
