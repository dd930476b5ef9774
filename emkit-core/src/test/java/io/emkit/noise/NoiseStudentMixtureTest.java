package io.emkit.noise;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixtureModel;
import io.emkit.student.StudentMixtureSteps;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * t mixtures with a uniform noise component: the log-likelihood written out by hand on tiny data, the identity with
 * the Gaussian noise fit as {@code ν → ∞}, EM's monotonicity (weighted rows, missing values, each way of fitting
 * {@code ν}), noise rows labelled {@value NoiseMixtureModel#NOISE}, and the same bits for any thread count.
 */
class NoiseStudentMixtureTest {
    private static final NoiseRegion BOX = new NoiseRegion(new double[] {1, 0, 0, 1}, new double[] {-10, -8},
            new double[] {10, 12}, false);

    /** Two 2-D t components (ν = 3 and 5) with diagonal scale matrices, and 20% noise over a 20 × 20 box. */
    private static NoiseStudentMixtureModel handModel() {
        GaussianMixtureModel scales = GaussianMixtureModel.full(new double[] {0.7, 0.3},
                new double[][] {{0, 0}, {4, 3}},
                new double[][][] {{{1, 0}, {0, 4}}, {{2, 0}, {0, 0.5}}});
        return new NoiseStudentMixtureModel(new StudentMixtureModel(scales, new double[] {3, 5},
                DegreesOfFreedom.Constraint.FREE), 0.2, BOX);
    }

    @Test
    void logLikelihoodIsTheSumOfTheNoiseAndTDensitiesWrittenOut() {
        double[][] x = {{0, 0}, {1, -2}, {4, 3}, {5, 2.5}, {9, -7}, {-3, 11}};
        Dataset data = Dataset.of(x, List.of("a", "b"));
        // In two dimensions Γ((ν + 2)/2) / Γ(ν/2) = ν/2, so t(x; μ, Σ, ν) = (1 + δ/ν)^−(ν/2 + 1) / (2π |Σ|^½).
        double expected = 0;
        for (double[] r : x) {
            double d1 = r[0] * r[0] / 1 + r[1] * r[1] / 4;
            double t1 = Math.pow(1 + d1 / 3, -(1.5 + 1)) / (2 * Math.PI * Math.sqrt(1 * 4));
            double d2 = (r[0] - 4) * (r[0] - 4) / 2 + (r[1] - 3) * (r[1] - 3) / 0.5;
            double t2 = Math.pow(1 + d2 / 5, -(2.5 + 1)) / (2 * Math.PI * Math.sqrt(2 * 0.5));
            expected += Math.log(0.2 / (20 * 20) + 0.8 * (0.7 * t1 + 0.3 * t2));
        }
        NoiseStudentMixtureModel m = handModel();
        assertThat(Arrays.stream(m.scoreSamples(data)).sum()).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
        NoiseStudentSteps steps = new NoiseStudentSteps(new StudentMixtureSteps(CovarianceType.FULL, 0,
                DegreesOfFreedom.free()));
        var s = steps.emptyStatistics(m);
        assertThat(steps.accumulate(m, data, 0, data.rows(), s)).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
        // The far rows are the noise's, the others the t components'.
        assertThat(m.predict(data)).containsExactly(0, 0, 1, 1, NoiseMixtureModel.NOISE, NoiseMixtureModel.NOISE);
        double[][] p = m.predictProba(data);
        for (double[] row : p) {
            assertThat(row[0] + row[1] + row[2]).isCloseTo(1.0, within(1e-12));
        }
        assertThat(m.parameterCount()).isEqualTo(m.student().parameterCount() + 2).isEqualTo(1 + 4 + 6 + 2 + 2);
    }

    @Test
    void withHugeDegreesOfFreedomEachIterationIsTheGaussianNoiseOne() {
        Dataset data = handModel().sample(500, 3).data();
        GaussianMixtureModel start = GaussianMixtureModel.full(new double[] {0.5, 0.5}, new double[][] {{1, 1}, {3, 2}},
                new double[][][] {{{3, 0}, {0, 3}}, {{3, 0}, {0, 3}}});
        NoiseMixtureModel gaussian = new NoiseMixtureModel(start, 0.1, BOX);
        NoiseStudentMixtureModel t = new NoiseStudentMixtureModel(new StudentMixtureModel(start, new double[] {1e9, 1e9},
                DegreesOfFreedom.Constraint.FIXED), 0.1, BOX);
        NoiseMixtureSteps g = new NoiseMixtureSteps(CovarianceType.FULL, 1e-6);
        NoiseStudentSteps s = new NoiseStudentSteps(new StudentMixtureSteps(CovarianceType.FULL, 1e-6,
                DegreesOfFreedom.fixed(1e9)));
        for (int it = 0; it < 50; it++) {
            NoiseStatistics gs = g.emptyStatistics(gaussian);
            double llGaussian = g.accumulate(gaussian, data, 0, data.rows(), gs);
            var ts = s.emptyStatistics(t);
            double llT = s.accumulate(t, data, 0, data.rows(), ts);
            assertThat(llT).as("iteration %d", it).isCloseTo(llGaussian, within(1e-6 * Math.abs(llGaussian)));
            gaussian = g.maximize(gs, gaussian, w -> { });
            t = s.maximize(ts, t, w -> { });
        }
        assertThat(t.noiseWeight()).isCloseTo(gaussian.noiseWeight(), within(1e-5));
        assertThat(t.student().scales().mean(1)[0]).isCloseTo(gaussian.gaussian().mean(1)[0], within(1e-4));
    }

    @Test
    void logLikelihoodNeverDecreases() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 24; trial++) {
            NoiseStudentMixtureModel truth = handModel();
            int n = 150 + random.nextInt(250);
            Dataset data = truth.sample(n, trial).data();
            if (trial % 3 == 1) {
                double[] w = new double[n];
                for (int i = 0; i < n; i++) {
                    w[i] = random.nextInt(4);
                }
                w[0] = 1;
                data = data.withWeights(w);
            } else if (trial % 3 == 2) {
                double[] values = data.rawValues().clone();
                for (int i = 0; i < n; i += 7) {
                    values[2 * i + random.nextInt(2)] = Double.NaN;
                }
                data = Dataset.wrap(values, n, 2, data.columnNames());
            }
            DegreesOfFreedom dof = switch (trial % 4) {
                case 0, 3 -> DegreesOfFreedom.free();
                case 1 -> DegreesOfFreedom.equal();
                default -> DegreesOfFreedom.fixed(4);
            };
            CovarianceType type = trial % 2 == 0 ? CovarianceType.FULL : CovarianceType.DIAG;
            NoiseStudentSteps steps = new NoiseStudentSteps(new StudentMixtureSteps(type, 0, dof));
            double[] nu = new double[2];
            Arrays.fill(nu, dof.start());
            GaussianMixtureModel start = GaussianMixtureModel.of(type, new double[] {0.5, 0.5},
                    new double[][] {{random.nextGaussian(), random.nextGaussian()}, {2 + random.nextGaussian(), 2}},
                    new double[][][] {{{2, 0}, {0, 2}}, {{2, 0}, {0, 2}}});
            NoiseStudentMixtureModel m = new NoiseStudentMixtureModel(new StudentMixtureModel(start, nu,
                    dof.constraint()), 0.05 + 0.3 * random.nextDouble(), NoiseRegion.of(data));
            double previous = Double.NEGATIVE_INFINITY;
            for (int it = 0; it < 40; it++) {
                var s = steps.emptyStatistics(m);
                double ll = steps.accumulate(m, data, 0, data.rows(), s);
                assertThat(ll).as("trial %d (%s, %s) iteration %d", trial, type, dof, it)
                        .isGreaterThanOrEqualTo(previous - 1e-10 * Math.abs(previous));
                assertThat(ll).isCloseTo(m.logLikelihood(data), within(1e-8 * Math.abs(ll)));
                previous = ll;
                m = steps.maximize(s, m, w -> { });
            }
        }
    }

    @Test
    void aFitLabelsTheNoiseAndIsTheSameForAnyThreadCount() {
        // With free degrees of freedom very heavy tails (ν ≈ 2) can take the noise's rows and fit these data better
        // than the truth; held at the truth's ν, the noise is the noise's. ν = 20 keeps the t rows inside the noise's
        // box, so that the fit's region (the data's bounding box) is the truth's, to sampling error.
        NoiseStudentMixtureModel hand = handModel();
        NoiseStudentMixtureModel truth = new NoiseStudentMixtureModel(new StudentMixtureModel(hand.student().scales(),
                new double[] {20, 20}, DegreesOfFreedom.Constraint.FIXED), hand.noiseWeight(), hand.region());
        EmResult<NoiseStudentMixtureModel> first = null;
        Dataset data = truth.sample(2000, 5).data();
        for (int threads : new int[] {1, 3}) {
            EmResult<NoiseStudentMixtureModel> fit = NoiseStudentMixture.like(GaussianMixture.withComponents(2)
                    .options(EmOptions.defaults().withSeed(3).withThreads(threads)))
                    .degreesOfFreedom(DegreesOfFreedom.fixed(20)).fit(data);
            if (first == null) {
                first = fit;
            } else {
                assertThat(fit.params()).isEqualTo(first.params());
                assertThat(Double.doubleToRawLongBits(fit.logLikelihood()))
                        .isEqualTo(Double.doubleToRawLongBits(first.logLikelihood()));
            }
        }
        NoiseStudentMixtureModel m = first.params();
        // At least as likely as the truth's parameters over the fit's region (the data's bounding box).
        double truthLl = new NoiseStudentMixtureModel(truth.student(), truth.noiseWeight(), m.region())
                .withFeatureNames(data.columnNames()).logLikelihood(data);
        System.out.printf("noise + t: logL %.6f (truth's parameters %.6f), noise weight %.4f, df %s%n",
                first.logLikelihood(), truthLl, m.noiseWeight(), Arrays.toString(m.student().degreesOfFreedom()));
        assertThat(first.logLikelihood()).isGreaterThanOrEqualTo(truthLl - 1e-6);
        assertThat(m.noiseWeight()).isCloseTo(0.2, within(0.04));
        int[] drawn = truth.sample(2000, 5).components();
        int[] labels = m.predict(data);
        int agree = 0;
        int noise = 0;
        for (int i = 0; i < drawn.length; i++) {
            if (drawn[i] == NoiseMixtureModel.NOISE) {
                noise++;
                agree += labels[i] == NoiseMixtureModel.NOISE ? 1 : 0;
            }
        }
        // Noise rows that happen to fall inside a cluster are the cluster's; most are labelled noise.
        assertThat((double) agree / noise).isGreaterThan(0.8);
    }
}
