package io.emkit.student;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianPrior;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * t mixtures by MAP-EM under mclust's default conjugate prior: the log posterior never decreases and is the model's
 * log-likelihood plus the prior's density of its scales; with the degrees of freedom held near infinity the fit is
 * the Gaussian MAP-EM fit (an independent code path, itself mclust's for VVV); the fit is a local maximum of the log
 * posterior.
 */
class StudentPriorTest {
    private static final double[] WEIGHTS = {0.6, 0.4};
    private static final double[][] MEANS = {{0, 0, 0}, {5, -4, 3}};
    private static final double[][][] SCALES = {
            {{1.0, 0.5, 0.2}, {0.5, 1.5, 0.3}, {0.2, 0.3, 0.8}},
            {{2.0, -0.6, 0.0}, {-0.6, 1.0, 0.4}, {0.0, 0.4, 1.2}}};
    private static final int[] DOF = {4, 6};

    private static Dataset data(int n, double gaps, long seed) {
        Dataset full = StudentData.draw(seed, n, WEIGHTS, MEANS, SCALES, DOF);
        double[][] rows = new double[n][];
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) {
            rows[i] = full.row(i).clone();
            for (int j = 0; j < 3; j++) {
                if (random.nextDouble() < gaps) {
                    rows[i][j] = Double.NaN;
                }
            }
        }
        return Dataset.of(rows);
    }

    private static GaussianMixture gaussian(CovarianceType type, double tolerance) {
        return GaussianMixture.withComponents(2).covarianceType(type).prior(GaussianPrior.defaults())
                .options(EmOptions.defaults().withSeed(2).withThreads(1).withSearch(Search.Level.QUICK)
                        .withTolerance(tolerance).withMaxIterations(3000));
    }

    private static double logPosterior(StudentMixtureModel m, Dataset data, GaussianPrior prior) {
        return m.logLikelihood(data) + prior.logDensity(m.scales());
    }

    @Test
    void theLogPosteriorNeverDecreasesAndIsReported() {
        for (double gaps : new double[] {0.0, 0.1}) {
            Dataset data = data(600, gaps, 31);
            for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                    CovarianceType.TIED, CovarianceType.parse("VEV")}) {
                GaussianMixture g = gaussian(type, 1e-8);
                EmResult<StudentMixtureModel> fit = StudentMixture.like(g).fit(data);
                double[] trace = fit.trace();
                assertThat(trace.length).isGreaterThan(3);
                for (int t = 1; t < trace.length; t++) {
                    assertThat(trace[t]).as("%s, gaps %s, iteration %d", type, gaps, t)
                            .isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
                }
                double direct = logPosterior(fit.params(), data, g.resolvedPrior(data));
                assertThat(fit.objective()).as("%s, gaps %s", type, gaps).isCloseTo(direct, within(1e-8 * Math.abs(direct)));
                assertThat(fit.objective()).isNotEqualTo(fit.logLikelihood());
                if (type == CovarianceType.FULL) {
                    // BIC's count as without a prior (McLachlan and Peel): K − 1 + K d + K d(d+1)/2 + K free ν.
                    assertThat(fit.parameterCount()).isEqualTo(1 + 2 * 3 + 2 * 3 * 4 / 2 + 2);
                }
            }
        }
    }

    /** ν fixed at 10⁹: the t density is the Gaussian one to about d²/ν, and MAP-EM's steps are the Gaussian's. */
    @Test
    void withTheDegreesOfFreedomAtInfinityTheFitIsTheGaussianMapFit() {
        Dataset data = data(800, 0.05, 17);
        GaussianMixture g = gaussian(CovarianceType.FULL, 1e-12);
        EmResult<GaussianMixtureModel> gaussianFit = g.fit(data);
        // Started away from the Gaussian fit (means moved by 0.3), with plain EM to a tight tolerance.
        double[][] moved = gaussianFit.params().means();
        for (double[] mean : moved) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += 0.3;
            }
        }
        GaussianMixtureModel g0 = gaussianFit.params();
        StudentMixtureModel start = new StudentMixtureModel(GaussianMixtureModel.full(g0.weights(), moved,
                new double[][][] {g0.covariance(0), g0.covariance(1)}), new double[] {1e9, 1e9},
                DegreesOfFreedom.Constraint.FIXED);
        GaussianMixture plain = GaussianMixture.withComponents(2).prior(GaussianPrior.defaults())
                .options(EmOptions.defaults().withThreads(1).withTolerance(1e-13).withMaxIterations(5000));
        EmResult<StudentMixtureModel> t = StudentMixture.like(plain).degreesOfFreedom(DegreesOfFreedom.fixed(1e9))
                .initialModel(start).fit(data);
        assertThat(t.iterations()).isGreaterThan(5);
        assertThat(t.objective()).isCloseTo(gaussianFit.objective(), within(1e-5));
        assertThat(t.logLikelihood()).isCloseTo(gaussianFit.logLikelihood(), within(1e-5));
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < 3; j++) {
                assertThat(t.params().scales().mean(c)[j]).isCloseTo(gaussianFit.params().mean(c)[j], within(1e-6));
                for (int l = 0; l < 3; l++) {
                    assertThat(t.params().scales().covariance(c)[j][l])
                            .isCloseTo(gaussianFit.params().covariance(c)[j][l], within(1e-6));
                }
            }
        }
    }

    @Test
    void theFitIsALocalMaximumOfTheLogPosterior() {
        Dataset data = data(600, 0.1, 8);
        GaussianMixture g = gaussian(CovarianceType.FULL, 1e-13);
        StudentMixtureModel m = StudentMixture.like(g).fit(data).params();
        GaussianPrior prior = g.resolvedPrior(data);
        double best = logPosterior(m, data, prior);
        GaussianMixtureModel s = m.scales();
        for (double step : new double[] {-1e-3, 1e-3}) {
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < 3; j++) {
                    double[][] means = s.means();
                    means[c][j] += step;
                    StudentMixtureModel moved = new StudentMixtureModel(GaussianMixtureModel.full(s.weights(), means,
                            new double[][][] {s.covariance(0), s.covariance(1)}), m.degreesOfFreedom(),
                            m.constraint());
                    assertThat(logPosterior(moved, data, prior)).as("location %d,%d %+g", c, j, step).isLessThan(best);
                }
                double[][][] cov = {s.covariance(0), s.covariance(1)};
                for (double[] line : cov[c]) {
                    for (int j = 0; j < line.length; j++) {
                        line[j] *= 1 + step;
                    }
                }
                StudentMixtureModel scaled = new StudentMixtureModel(GaussianMixtureModel.full(s.weights(), s.means(),
                        cov), m.degreesOfFreedom(), m.constraint());
                assertThat(logPosterior(scaled, data, prior)).as("scale %d x %s", c, 1 + step).isLessThan(best);
            }
            double[] w = s.weights();
            w[0] += step;
            w[1] -= step;
            StudentMixtureModel weights = new StudentMixtureModel(GaussianMixtureModel.full(w, s.means(),
                    new double[][][] {s.covariance(0), s.covariance(1)}), m.degreesOfFreedom(), m.constraint());
            assertThat(logPosterior(weights, data, prior)).as("weights %+g", step).isLessThan(best);
        }
    }
}
