package io.emkit.kmeans;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.init.KMeansSeeding;
import io.emkit.kernels.CentroidTable;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mixture's k-means start ({@link KMeans#start}) measures every distance on the portable loop; the same seeding,
 * k-means and labels taken through the public calls measure them in SIMD lanes at these sizes (K = 24 clusters,
 * 6,000 rows: past {@link CentroidTable#simdForClusters}). The two must agree bit for bit, or a mixture's start — and
 * every fit from it — would depend on which loop ran.
 */
class KMeansStartTest {
    @Test
    void theStartIsTheSameBitForBitAsTheSimdScans() {
        int n = 6000;
        int d = 6;
        int k = 24;
        Dataset data = overlappingClusters(n, d, k, 41);
        assertThat(CentroidTable.simdForClusters(n, k)).isTrue();

        for (int candidates : new int[] {1, KMeansSeeding.greedyCandidates(k)}) {
            for (int threads : new int[] {1, 2}) {
                KMeans.Start start = KMeans.start(data, k, new SplittableRandom(7), candidates, threads, 512);

                double[] seeds = KMeansSeeding.seed(data, k, new SplittableRandom(7), candidates);
                EmOptions lloyd = EmOptions.defaults().withInitializations(1)
                        .withMaxIterations(KMeans.START_ITERATIONS).withTolerance(KMeans.DEFAULT_TOLERANCE)
                        .withThreads(threads).withBlockSize(512);
                KMeansModel refined = KMeans.withClusters(k).options(lloyd)
                        .refine(data, KMeansModel.ofFlat(seeds, k, d, data.columnNames())).params();

                assertThat(start.clusters().flatCentroids()).isEqualTo(refined.flatCentroids());
                assertThat(start.labels()).isEqualTo(refined.predict(data));
            }
        }
    }

    @Test
    void theLabelsAreEachRowsNearestCentroid() {
        Dataset data = overlappingClusters(3000, 4, 16, 5);
        KMeans.Start start = KMeans.start(data, 16, new SplittableRandom(3), 3, 2, 256);
        assertThat(start.labels()).isEqualTo(KMeansAlgorithmTest.bruteForceLabels(data, start.clusters()));
    }

    /** {@code n} rows around {@code k} centres drawn in a cube, close enough that k-means takes many iterations. */
    private static Dataset overlappingClusters(int n, int d, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] weights = new double[k];
        double[][] means = new double[k][d];
        double[][][] covariances = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            weights[c] = 1.0 / k;
            for (int j = 0; j < d; j++) {
                means[c][j] = 6 * random.nextDouble();
                covariances[c][j][j] = 1;
            }
        }
        return TestData.drawMixture(seed, n, weights, means, covariances);
    }
}
