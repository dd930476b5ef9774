package io.emkit.kmeans;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine's default search on k-means, against the global optimum of a dozen rows found by enumerating
 * every assignment of them to three non-empty clusters (3¹² labelings).
 */
class KMeansSearchTest {

    /**
     * Twelve rows spread uniformly over a square: no clear clusters, many local optima, and a single
     * k-means++ start misses the global one for most seeds.
     */
    static double[][] twelveRows() {
        SplittableRandom random = new SplittableRandom(6);
        double[][] rows = new double[12][2];
        for (double[] r : rows) {
            r[0] = random.nextDouble() * 10;
            r[1] = random.nextDouble() * 10;
        }
        return rows;
    }

    @Test
    void theDefaultFitFindsTheEnumeratedGlobalOptimumForEverySeed() {
        double[][] rows = twelveRows();
        Dataset data = Dataset.of(rows);
        double optimum = KMeansTest.globalOptimum(rows, 3);
        int plainMisses = 0;
        for (long seed = 0; seed < 100; seed++) {
            EmResult<KMeansModel> fit = KMeans.withClusters(3).seed(seed).fit(data);
            assertThat(fit.search()).isNotNull();
            assertThat(-fit.logLikelihood()).as("seed %d", seed).isCloseTo(optimum, within(1e-9 * optimum));
            double plain = -KMeans.withClusters(3).initializations(1).seed(seed).fit(data).logLikelihood();
            plainMisses += plain > optimum * (1 + 1e-9) ? 1 : 0;
        }
        // The data are hard enough that one plain start does miss the optimum: the search is what finds it.
        assertThat(plainMisses).isPositive();
    }

    @Test
    void theSearchIsBitIdenticalForAnyThreadCount() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] rows = new double[3000][3];
        for (double[] r : rows) {
            int c = random.nextInt(5);
            for (int j = 0; j < 3; j++) {
                r[j] = 3 * c * (j == c % 3 ? 1 : 0.3) + random.nextGaussian();
            }
        }
        Dataset data = Dataset.of(rows);
        EmResult<KMeansModel> one = KMeans.withClusters(6).seed(11).threads(1).fit(data);
        for (int threads : new int[] {2, 3}) {
            EmResult<KMeansModel> other = KMeans.withClusters(6).seed(11).threads(threads).fit(data);
            assertThat(other.params()).isEqualTo(one.params());
            assertThat(other.logLikelihood()).isEqualTo(one.logLikelihood());
            assertThat(other.search()).isEqualTo(one.search());
        }
    }

    @Test
    void choosingInitializationsTurnsTheSearchOff() {
        Dataset data = Dataset.of(twelveRows());
        assertThat(KMeans.withClusters(3).initializations(4).fit(data).search()).isNull();
        EmResult<KMeansModel> thorough = KMeans.withClusters(3)
                .options(KMeans.withClusters(3).options().withSearch(Search.Level.THOROUGH)).fit(data);
        assertThat(thorough.search().level()).isEqualTo("thorough");
        assertThat(thorough.search().startsByKind()).containsOnlyKeys("kmeans++", "random-points", "plain kmeans++");
    }
}
