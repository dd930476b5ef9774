package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same seed gives the same model bit for bit, whatever the number of threads, on data cut into many
 * blocks; different seeds give different random starts.
 */
class DeterminismTest {
    private static final Dataset DATA = TestData.drawMixture(77, 20_000, new double[] {0.4, 0.35, 0.25},
            new double[][] {{0, 0}, {3, 1}, {-1, 3}},
            new double[][][] {{{1, 0.3}, {0.3, 1}}, {{0.6, -0.2}, {-0.2, 0.9}}, {{1.2, 0.4}, {0.4, 0.5}}});

    private static EmResult<GaussianMixtureModel> fit(CovarianceType type, Initialization init, int threads,
                                                      int blockSize, long seed) {
        EmOptions options = EmOptions.defaults().withBlockSize(blockSize).withTolerance(1e-6)
                .withMaxIterations(40).withInitializations(2).withSeed(seed).withThreads(threads);
        return GaussianMixture.withComponents(3).covarianceType(type).initialization(init).options(options)
                .fit(DATA);
    }

    private static void assertBitIdentical(EmResult<GaussianMixtureModel> a, EmResult<GaussianMixtureModel> b) {
        GaussianMixtureModel x = a.params();
        GaussianMixtureModel y = b.params();
        assertThat(x).as("model equals").isEqualTo(y);
        assertThat(x.hashCode()).isEqualTo(y.hashCode());
        assertThat(Arrays.equals(x.weights(), y.weights())).as("weights bit-identical").isTrue();
        assertThat(Arrays.deepEquals(x.means(), y.means())).as("means bit-identical").isTrue();
        assertThat(Arrays.deepEquals(x.covariances(), y.covariances())).as("covariances bit-identical").isTrue();
        assertThat(Arrays.equals(a.trace(), b.trace())).as("trace bit-identical:%n%s%n%s",
                Arrays.toString(a.trace()), Arrays.toString(b.trace())).isTrue();
        assertThat(Double.doubleToLongBits(a.logLikelihood())).isEqualTo(Double.doubleToLongBits(b.logLikelihood()));
        assertThat(Arrays.equals(a.initializationObjectives(), b.initializationObjectives())).isTrue();
        assertThat(a.iterations()).isEqualTo(b.iterations());
        assertThat(a.bestInitialization()).isEqualTo(b.bestInitialization());
        assertThat(a.warnings()).isEqualTo(b.warnings());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void oneAndTwoThreadsGiveBitIdenticalFitsOnTwentyBlocks(CovarianceType type) {
        EmResult<GaussianMixtureModel> one = fit(type, Initialization.KMEANS_PLUS_PLUS, 1, 1000, 3);
        EmResult<GaussianMixtureModel> two = fit(type, Initialization.KMEANS_PLUS_PLUS, 2, 1000, 3);
        assertThat(one.trace().length).as("several iterations were run").isGreaterThan(2);
        assertBitIdentical(one, two);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void oneAndThreeThreadsGiveBitIdenticalFitsWithDefaultBlockSizeAndRandomStarts(CovarianceType type) {
        EmResult<GaussianMixtureModel> one = fit(type, Initialization.RANDOM, 1, EmOptions.DEFAULT_BLOCK_SIZE, 9);
        EmResult<GaussianMixtureModel> three = fit(type, Initialization.RANDOM, 3, EmOptions.DEFAULT_BLOCK_SIZE, 9);
        assertBitIdentical(one, three);
    }

    @Test
    void repeatedFitWithSameSeedIsBitIdentical() {
        EmResult<GaussianMixtureModel> a = fit(CovarianceType.FULL, Initialization.RANDOM_POINTS, 2, 700, 42);
        EmResult<GaussianMixtureModel> b = fit(CovarianceType.FULL, Initialization.RANDOM_POINTS, 2, 700, 42);
        assertBitIdentical(a, b);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Initialization.class, names = {"RANDOM", "RANDOM_POINTS", "KMEANS_PLUS_PLUS"})
    void differentSeedsGiveDifferentStarts(Initialization init) {
        GaussianMixture g = GaussianMixture.withComponents(3).initialization(init).maxIterations(0).threads(1);
        GaussianMixtureModel s1 = g.seed(1).fit(DATA).params();
        GaussianMixtureModel s2 = g.seed(2).fit(DATA).params();
        GaussianMixtureModel s1again = g.seed(1).fit(DATA).params();
        assertThat(s1).as("same seed, same start").isEqualTo(s1again);
        if (init != Initialization.KMEANS_PLUS_PLUS) {
            // k-means may legitimately reach the same clusters from different seeds.
            assertThat(s1).as("seeds 1 and 2 give different starts").isNotEqualTo(s2);
            assertThat(Arrays.deepEquals(s1.means(), s2.means())).isFalse();
        }
    }
}
