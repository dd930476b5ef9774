package io.emkit.noise;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.MixtureModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Mixtures with a uniform noise component against mclust 6.0.0 and prabclus 2.3-2
 * ({@code reference/mclust/make-noise-fixtures.R}: Old Faithful with 60 uniform rows added), and against
 * properties that hold whatever the data: the log-likelihood never falls, the fit is the same for any thread
 * count, and rows drawn from a known model are labelled as they were drawn.
 */
class NoiseMixtureTest {
    /** Old Faithful with 60 uniform rows (the data columns). */
    private static Dataset noisyFaithful() {
        List<String[]> rows = TestData.referenceRows("mclust/noisy-faithful.csv");
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {Double.parseDouble(rows.get(i)[0]), Double.parseDouble(rows.get(i)[1])};
        }
        return Dataset.of(x, List.of("eruptions", "waiting"));
    }

    private static boolean[] trueNoise() {
        List<String[]> rows = TestData.referenceRows("mclust/noisy-faithful.csv");
        boolean[] out = new boolean[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[2].equals("1");
        }
        return out;
    }

    private static Map<String, Double> mclustFit() {
        Map<String, Double> out = new HashMap<>();
        for (String[] f : TestData.referenceRows("mclust/noise-fit.csv")) {
            out.put(f[0] + "/" + f[1], Double.parseDouble(f[2]));
        }
        return out;
    }

    @Test
    void theRegionsVolumeIsMclustsHypvol() {
        Map<String, Double> ref = new HashMap<>();
        for (String[] f : TestData.referenceRows("mclust/noise-hypvol.csv")) {
            ref.put(f[0], Double.parseDouble(f[1]));
        }
        assertThat(NoiseRegion.of(TestData.faithful()).logVolume()).isCloseTo(ref.get("faithful"), within(1e-10));
        assertThat(NoiseRegion.of(TestData.iris()).logVolume()).isCloseTo(ref.get("iris"), within(1e-10));
        assertThat(NoiseRegion.of(noisyFaithful()).logVolume()).isCloseTo(ref.get("noisy-faithful"), within(1e-10));
    }

    @Test
    void theDefaultFitReachesMclustsOptimum() {
        Map<String, Double> ref = mclustFit();
        EmResult<NoiseMixtureModel> fit = NoiseMixture.like(GaussianMixture.withComponents(2)
                .covarianceType(CovarianceType.FULL)).fit(noisyFaithful());
        NoiseMixtureModel m = fit.params();
        assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(ref.get("loglik/0") - 1e-3);
        assertThat(fit.logLikelihood()).isCloseTo(ref.get("loglik/0"), within(1e-3));
        assertThat(m.region().logVolume()).isCloseTo(-Math.log(ref.get("Vinv/0")), within(1e-10));
        assertThat(m.noiseWeight()).isCloseTo(ref.get("noise/0"), within(1e-4));
        // Components in mclust's order: the long eruptions first.
        int first = m.gaussian().mean(0)[0] > m.gaussian().mean(1)[0] ? 0 : 1;
        for (int k = 0; k < 2; k++) {
            int c = k == 0 ? first : 1 - first;
            assertThat(m.weights()[c]).isCloseTo(ref.get("pro/" + (k + 1)), within(1e-4));
            for (int j = 0; j < 2; j++) {
                assertThat(m.gaussian().mean(c)[j]).isCloseTo(ref.get("mean" + (j + 1) + "/" + (k + 1)),
                        within(1e-3 * (1 + Math.abs(ref.get("mean" + (j + 1) + "/" + (k + 1))))));
                for (int b = 0; b < 2; b++) {
                    double expected = ref.get("cov" + (j + 1) + (b + 1) + "/" + (k + 1));
                    assertThat(m.gaussian().covariance(c)[j][b]).isCloseTo(expected, within(1e-3 * (1 + Math.abs(expected))));
                }
            }
        }
    }

    @Test
    void theNearestNeighbourGuessAgreesWithNnclean() {
        List<String[]> ref = TestData.referenceRows("mclust/noise-guess.csv");
        boolean[] guess = NearestNeighbourNoise.guess(noisyFaithful(), 5);
        int agree = 0;
        for (int i = 0; i < guess.length; i++) {
            agree += guess[i] == ref.get(i)[0].equals("1") ? 1 : 0;
        }
        assertThat(agree).as("rows classified as NNclean does, of %d", guess.length).isGreaterThanOrEqualTo(
                (int) Math.ceil(0.95 * guess.length));
    }

    @Test
    void onLargeDataTheGuessOnEveryFewRowsStillFindsTheNoise() {
        // 25,000 rows, above the 20,000 the guess compares against: neighbours among every ⌈n/m⌉-th row.
        SplittableRandom random = new SplittableRandom(11);
        int n = 25_000;
        double[][] x = new double[n][];
        boolean[] noise = new boolean[n];
        for (int i = 0; i < n; i++) {
            noise[i] = random.nextDouble() < 0.1;
            x[i] = noise[i] ? new double[] {40 * random.nextDouble(), 40 * random.nextDouble()}
                    : new double[] {20 + random.nextGaussian(), 20 + random.nextGaussian()};
        }
        boolean[] guess = NearestNeighbourNoise.guess(Dataset.of(x), 5);
        int found = 0;
        int noiseRows = 0;
        int wrong = 0;
        for (int i = 0; i < n; i++) {
            noiseRows += noise[i] ? 1 : 0;
            found += noise[i] && guess[i] ? 1 : 0;
            wrong += !noise[i] && guess[i] ? 1 : 0;
        }
        assertThat(found).isGreaterThanOrEqualTo((int) (0.8 * noiseRows));
        // The guess's two Gammas take the sparse tail of a Gaussian cluster for noise too (here about 5% of the
        // cluster's rows); the fit with the noise component then gives most back (rowsDrawnFromAKnownModel...).
        assertThat(wrong).isLessThanOrEqualTo(n / 10);
    }

    @Test
    void theLogLikelihoodNeverFallsAndThreadsDoNotChangeTheBits() {
        Dataset data = noisyFaithful();
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                CovarianceType.SPHERICAL, CovarianceType.TIED, CovarianceType.parse("VEV")}) {
            GaussianMixture g = GaussianMixture.withComponents(3).covarianceType(type);
            EmResult<NoiseMixtureModel> one = NoiseMixture.like(g.threads(1)).fit(data);
            double[] trace = one.trace();
            for (int i = 1; i < trace.length; i++) {
                assertThat(trace[i]).as("%s iteration %d", type, i).isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
            }
            for (int threads : new int[] {2, 3}) {
                EmResult<NoiseMixtureModel> other = NoiseMixture.like(g.threads(threads)).fit(data);
                assertThat(other.logLikelihood()).as("%s, %d threads", type, threads).isEqualTo(one.logLikelihood());
                assertThat(other.params().noiseWeight()).isEqualTo(one.params().noiseWeight());
            }
        }
    }

    @Test
    void rowsDrawnFromAKnownModelAreLabelledAsDrawn() {
        // Two tight clusters and 15% noise over a 20 x 20 square: the fit recovers the share, and labels the
        // rows as they were drawn except where a noise row fell inside a cluster.
        SplittableRandom random = new SplittableRandom(7);
        int n = 4000;
        double[][] x = new double[n][];
        boolean[] noise = new boolean[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            if (u < 0.15) {
                noise[i] = true;
                x[i] = new double[] {20 * random.nextDouble(), 20 * random.nextDouble()};
            } else {
                double cx = u < 0.6 ? 5 : 14;
                x[i] = new double[] {cx + 0.7 * random.nextGaussian(), 10 + 0.5 * random.nextGaussian()};
            }
        }
        Dataset data = Dataset.of(x);
        EmResult<NoiseMixtureModel> fit = NoiseMixture.like(GaussianMixture.withComponents(2)).fit(data);
        NoiseMixtureModel m = fit.params();
        // The region is the data's box (just inside the square), so the fitted share is the drawn one.
        assertThat(m.noiseWeight()).isCloseTo(0.15, within(0.02));
        int[] labels = m.predict(data);
        int noiseRight = 0;
        int noiseRows = 0;
        int clusterWrong = 0;
        for (int i = 0; i < n; i++) {
            noiseRows += noise[i] ? 1 : 0;
            noiseRight += noise[i] && labels[i] == NoiseMixtureModel.NOISE ? 1 : 0;
            clusterWrong += !noise[i] && labels[i] == NoiseMixtureModel.NOISE ? 1 : 0;
        }
        assertThat(noiseRight).isGreaterThanOrEqualTo((int) (0.9 * noiseRows));
        assertThat(clusterWrong).isLessThanOrEqualTo(n / 100);
        // K + 1 probabilities per row that sum to one, and the model's density integrates its parts.
        for (double[] p : m.predictProba(data)) {
            assertThat(p).hasSize(3);
            assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
        }
        MixtureModel.Sample s = m.sample(20_000, 3);
        long drawnNoise = java.util.Arrays.stream(s.components()).filter(c -> c == NoiseMixtureModel.NOISE).count();
        assertThat(drawnNoise / 20_000.0).isCloseTo(m.noiseWeight(), within(0.01));
    }

    @Test
    void tooFewRowsOrNoSpreadAreRefusedInOneLine() {
        Dataset two = Dataset.of(new double[][] {{1, 2}, {3, 5}});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NoiseMixture.like(GaussianMixture.withComponents(2))
                .fit(two)).isInstanceOf(io.emkit.EmkitException.class).hasMessage(
                "a noise component beside 2 components needs at least 3 rows; the data have 2");
        Dataset flat = Dataset.of(new double[][] {{1, 2}, {1, 3}, {1, 4}, {1, 5}});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NoiseMixture.like(GaussianMixture.withComponents(1))
                .fit(flat)).isInstanceOf(io.emkit.EmkitException.class).hasMessageContaining("no spread");
    }

    @Test
    void theGivenNoiseStartsTheFit() {
        EmResult<NoiseMixtureModel> fit = NoiseMixture.like(GaussianMixture.withComponents(2))
                .initialNoise(trueNoise()).fit(noisyFaithful());
        assertThat(fit.logLikelihood()).isCloseTo(mclustFit().get("loglik/0"), within(1e-3));
        // mclust's count: 2 × (2 means + 3 covariances) + 1 weight, and the noise's weight and density.
        assertThat(fit.params().parameterCount()).isEqualTo(2 * (2 + 3) + 1 + 2);
    }
}
