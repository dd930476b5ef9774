package io.emkit.noise;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianPrior;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MAP-EM with a noise component under mclust's default conjugate prior on the Gaussian components: the log
 * posterior (log-likelihood + log prior density) never decreases, the reported objective is that sum evaluated
 * here from the model's scores and the prior's density, and the fitted parameters are a local maximum of it: moving
 * a mean, the noise weight or a Gaussian weight a little, in either direction, lowers it.
 */
class NoisePriorTest {
    /** Two clusters in 2-D, 20% uniform rows over [−8, 14]², some cells missing with probability {@code gaps}. */
    private static Dataset draw(int n, double gaps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double[] x = u < 0.2 ? new double[] {-8 + 22 * random.nextDouble(), -8 + 22 * random.nextDouble()}
                    : u < 0.6 ? new double[] {random.nextGaussian(), 0.5 * random.nextGaussian()}
                    : new double[] {6 + 0.8 * random.nextGaussian(), 5 + random.nextGaussian()};
            for (int j = 0; j < 2; j++) {
                if (random.nextDouble() < gaps) {
                    x[j] = Double.NaN;
                }
            }
            rows[i] = x;
        }
        return Dataset.of(rows);
    }

    /**
     * mclust 6.0.0 ({@code reference/mclust/make-noise-prior-fixtures.R}): Old Faithful with 60 uniform rows, K = 2,
     * VVV, default prior, started from the true noise rows: the same log-likelihood at the posterior mode and the same
     * noise share, from emkit's own start (the nearest-neighbour guess).
     */
    @Test
    void reachesMclustsPosteriorModeOnNoisyFaithful() {
        String[] ref = io.emkit.TestData.referenceRows("mclust/noise-prior-fit.csv").get(0);
        java.util.List<String[]> rows = io.emkit.TestData.referenceRows("mclust/noisy-faithful.csv");
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {Double.parseDouble(rows.get(i)[0]), Double.parseDouble(rows.get(i)[1])};
        }
        EmResult<NoiseMixtureModel> fit = NoiseMixture.like(GaussianMixture.withComponents(2).prior(GaussianPrior.defaults())
                .options(EmOptions.defaults().withTolerance(1e-12).withMaxIterations(5000))).fit(Dataset.of(x));
        assertThat(fit.logLikelihood()).isCloseTo(Double.parseDouble(ref[2]), within(1e-6));
        assertThat(fit.params().noiseWeight()).isCloseTo(Double.parseDouble(ref[3]), within(1e-6));
    }

    private static NoiseMixture config(CovarianceType type) {
        return NoiseMixture.like(GaussianMixture.withComponents(2).covarianceType(type).prior(GaussianPrior.defaults())
                .options(EmOptions.defaults().withSeed(5).withThreads(1).withSearch(Search.Level.QUICK)
                        .withTolerance(1e-13).withMaxIterations(2000)));
    }

    /** log-likelihood (the sum of the model's scores) plus the resolved prior's log density. */
    private static double logPosterior(NoiseMixtureModel m, Dataset data, GaussianPrior prior) {
        return Arrays.stream(m.scoreSamples(data)).sum() + prior.logDensity(m.gaussian());
    }

    @Test
    void theLogPosteriorNeverDecreasesAndIsReported() {
        for (double gaps : new double[] {0.0, 0.1}) {
            Dataset data = draw(500, gaps, 21);
            for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                    CovarianceType.SPHERICAL, CovarianceType.parse("VEV")}) {
                NoiseMixture config = config(type);
                EmResult<NoiseMixtureModel> fit = config.fit(data);
                double[] trace = fit.trace();
                for (int t = 1; t < trace.length; t++) {
                    assertThat(trace[t]).as("%s, gaps %s, iteration %d", type, gaps, t)
                            .isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
                }
                GaussianPrior prior = config.gaussian().resolvedPrior(data);
                double direct = logPosterior(fit.params(), data, prior);
                assertThat(fit.objective()).as("%s, gaps %s", type, gaps).isCloseTo(direct, within(1e-8 * Math.abs(direct)));
                assertThat(fit.objective()).isNotEqualTo(fit.logLikelihood());
                if (type == CovarianceType.FULL) {
                    // mclust's count, as without a prior: K − 1 + K d + K d(d+1)/2, plus the noise's weight and 1/V.
                    assertThat(fit.parameterCount()).isEqualTo(1 + 2 * 2 + 2 * 2 * 3 / 2 + 2);
                }
            }
        }
    }

    @Test
    void theFitIsALocalMaximumOfTheLogPosterior() {
        Dataset data = draw(600, 0.1, 8);
        NoiseMixture config = config(CovarianceType.FULL);
        NoiseMixtureModel m = config.fit(data).params();
        GaussianPrior prior = config.gaussian().resolvedPrior(data);
        double best = logPosterior(m, data, prior);
        GaussianMixtureModel g = m.gaussian();
        for (double step : new double[] {-1e-3, 1e-3}) {
            NoiseMixtureModel noise = new NoiseMixtureModel(g, m.noiseWeight() + step / 10, m.region());
            assertThat(logPosterior(noise, data, prior)).as("noise weight %+g", step / 10).isLessThan(best);
            double[] w = g.weights();
            w[0] += step;
            w[1] -= step;
            NoiseMixtureModel weights = new NoiseMixtureModel(GaussianMixtureModel.full(w, g.means(),
                    new double[][][] {g.covariance(0), g.covariance(1)}), m.noiseWeight(), m.region());
            assertThat(logPosterior(weights, data, prior)).as("weights %+g", step).isLessThan(best);
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < 2; j++) {
                    double[][] means = g.means();
                    means[c][j] += step;
                    NoiseMixtureModel moved = new NoiseMixtureModel(GaussianMixtureModel.full(g.weights(), means,
                            new double[][][] {g.covariance(0), g.covariance(1)}), m.noiseWeight(), m.region());
                    assertThat(logPosterior(moved, data, prior)).as("mean %d,%d %+g", c, j, step).isLessThan(best);
                }
            }
        }
        // The prior's inverse-Wishart part shapes the covariances: scaling one by 1 ± 0.001 lowers the posterior.
        for (double factor : new double[] {0.999, 1.001}) {
            for (int c = 0; c < 2; c++) {
                double[][][] cov = {g.covariance(0), g.covariance(1)};
                for (double[] line : cov[c]) {
                    for (int j = 0; j < line.length; j++) {
                        line[j] *= factor;
                    }
                }
                NoiseMixtureModel scaled = new NoiseMixtureModel(GaussianMixtureModel.full(g.weights(), g.means(), cov),
                        m.noiseWeight(), m.region());
                assertThat(logPosterior(scaled, data, prior)).as("covariance %d x %s", c, factor).isLessThan(best);
            }
        }
    }
}
