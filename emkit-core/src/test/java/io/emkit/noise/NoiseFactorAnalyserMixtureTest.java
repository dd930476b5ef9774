package io.emkit.noise;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.FactorAnalyserSteps;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Mixtures of factor analysers with a uniform noise component: the density against the Gaussian noise mixture of
 * the same covariances formed in full, EM's monotonicity (weighted rows, missing values), noise rows labelled
 * {@value NoiseMixtureModel#NOISE}, and the same bits for any thread count.
 */
class NoiseFactorAnalyserMixtureTest {
    /** Two factor analysers in 5-D with one factor each; 15% noise over a box around them. */
    private static NoiseFactorAnalyserMixtureModel truth() {
        double[][][] loadings = {{{1.5}, {1.0}, {-0.8}, {0.5}, {0.2}}, {{0.3}, {-1.2}, {0.9}, {1.1}, {-0.6}}};
        double[][] psi = {{0.3, 0.2, 0.4, 0.3, 0.2}, {0.2, 0.3, 0.2, 0.4, 0.3}};
        FactorAnalyserMixtureModel fa = new FactorAnalyserMixtureModel(new double[] {0.6, 0.4},
                new double[][] {{0, 0, 0, 0, 0}, {6, -5, 4, 5, -4}}, loadings, psi, null);
        double[] axes = new double[25];
        for (int j = 0; j < 5; j++) {
            axes[j * 5 + j] = 1;
        }
        return new NoiseFactorAnalyserMixtureModel(fa, 0.15, new NoiseRegion(axes,
                new double[] {-8, -12, -7, -7, -10}, new double[] {14, 7, 11, 12, 8}, false));
    }

    @Test
    void densityIsTheGaussianNoiseMixtureOfTheFullCovariances() {
        NoiseFactorAnalyserMixtureModel m = truth();
        FactorAnalyserMixtureModel fa = m.factorAnalysers();
        GaussianMixtureModel full = GaussianMixtureModel.full(fa.weights(), fa.means(),
                new double[][][] {fa.covariance(0), fa.covariance(1)});
        NoiseMixtureModel reference = new NoiseMixtureModel(full, m.noiseWeight(), m.region());
        Dataset data = m.sample(300, 1).data();
        double[] a = m.scoreSamples(data);
        double[] b = reference.scoreSamples(data);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("row %d", i).isCloseTo(b[i], within(1e-9 * Math.max(1, Math.abs(b[i]))));
        }
        assertThat(m.predict(data)).containsExactly(reference.predict(data));
        assertThat(m.parameterCount()).isEqualTo(fa.parameterCount() + 2);
    }

    @Test
    void logLikelihoodNeverDecreases() {
        SplittableRandom random = new SplittableRandom(3);
        NoiseFactorAnalyserSteps steps = new NoiseFactorAnalyserSteps(new FactorAnalyserSteps(0));
        for (int trial = 0; trial < 21; trial++) {
            int n = 200 + random.nextInt(300);
            Dataset data = truth().sample(n, trial).data();
            if (trial % 3 == 1) {
                double[] w = new double[n];
                for (int i = 0; i < n; i++) {
                    w[i] = random.nextInt(4);
                }
                w[0] = 1;
                data = data.withWeights(w);
            } else if (trial % 3 == 2) {
                double[] values = data.rawValues().clone();
                for (int i = 0; i < n; i += 5) {
                    values[5 * i + random.nextInt(5)] = Double.NaN;
                }
                data = Dataset.wrap(values, n, 5, data.columnNames());
            }
            double[][][] loadings = new double[2][5][2];
            double[][] psi = new double[2][5];
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < 5; j++) {
                    psi[c][j] = 1;
                    loadings[c][j][0] = 0.3 * random.nextGaussian();
                    loadings[c][j][1] = 0.3 * random.nextGaussian();
                }
            }
            FactorAnalyserMixtureModel start = new FactorAnalyserMixtureModel(new double[] {0.5, 0.5},
                    new double[][] {{random.nextGaussian(), 0, 0, 0, 0}, {3, -2, 2, 2, -2}}, loadings, psi, null);
            NoiseFactorAnalyserMixtureModel m = new NoiseFactorAnalyserMixtureModel(start,
                    0.05 + 0.3 * random.nextDouble(), NoiseRegion.of(data));
            double previous = Double.NEGATIVE_INFINITY;
            for (int it = 0; it < 40; it++) {
                var s = steps.emptyStatistics(m);
                double ll = steps.accumulate(m, data, 0, data.rows(), s);
                assertThat(ll).as("trial %d iteration %d", trial, it)
                        .isGreaterThanOrEqualTo(previous - 1e-10 * Math.abs(previous));
                assertThat(ll).isCloseTo(m.logLikelihood(data), within(1e-8 * Math.abs(ll)));
                previous = ll;
                m = steps.maximize(s, m, w -> { });
            }
        }
    }

    @Test
    void aFitFindsTheNoiseAndIsTheSameForAnyThreadCount() {
        NoiseFactorAnalyserMixtureModel truth = truth();
        Dataset data = truth.sample(3000, 5).data();
        EmResult<NoiseFactorAnalyserMixtureModel> first = null;
        for (int threads : new int[] {1, 3}) {
            EmResult<NoiseFactorAnalyserMixtureModel> fit = NoiseFactorAnalyserMixture.like(GaussianMixture
                    .withComponents(2).options(EmOptions.defaults().withSeed(3).withThreads(threads)), 1).fit(data);
            if (first == null) {
                first = fit;
            } else {
                assertThat(fit.params()).isEqualTo(first.params());
                assertThat(Double.doubleToRawLongBits(fit.logLikelihood()))
                        .isEqualTo(Double.doubleToRawLongBits(first.logLikelihood()));
            }
        }
        NoiseFactorAnalyserMixtureModel m = first.params();
        double truthLl = new NoiseFactorAnalyserMixtureModel(truth.factorAnalysers(), truth.noiseWeight(), m.region())
                .withFeatureNames(data.columnNames()).logLikelihood(data);
        System.out.printf("noise + MFA: logL %.6f (truth's parameters %.6f), noise weight %.4f%n",
                first.logLikelihood(), truthLl, m.noiseWeight());
        assertThat(first.logLikelihood()).isGreaterThanOrEqualTo(truthLl - 1e-6);
        assertThat(m.noiseWeight()).isCloseTo(0.15, within(0.03));
        int[] drawn = truth.sample(3000, 5).components();
        int[] labels = m.predict(data);
        int agree = 0;
        int noise = 0;
        for (int i = 0; i < drawn.length; i++) {
            if (drawn[i] == NoiseMixtureModel.NOISE) {
                noise++;
                agree += labels[i] == NoiseMixtureModel.NOISE ? 1 : 0;
            }
        }
        assertThat((double) agree / noise).isGreaterThan(0.9);
    }
}
