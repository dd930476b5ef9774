package io.emkit.student;

import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * t mixtures on rows with missing values: each row is fitted on its observed coordinates, where the marginal of a
 * multivariate t is a t with the same degrees of freedom. The log-likelihood never decreases; the reported one is
 * the observed-data log-likelihood computed here, from the formulas, at the fitted parameters; the parameters of a
 * known mixture are recovered with 10% of the cells missing at random; one and three threads give the same bits.
 */
class StudentMissingValuesTest {
    private static final double[] WEIGHTS = {0.6, 0.4};
    private static final double[][] MEANS = {{0, 0, 0}, {5, -4, 3}};
    private static final double[][][] SCALES = {
            {{1.0, 0.5, 0.2}, {0.5, 1.5, 0.3}, {0.2, 0.3, 0.8}},
            {{2.0, -0.6, 0.0}, {-0.6, 1.0, 0.4}, {0.0, 0.4, 1.2}}};
    private static final int[] DOF = {4, 6};

    /** {@code n} rows of the mixture with each cell missing with probability {@code fraction}. */
    private static Dataset withMissing(int n, double fraction, long seed) {
        Dataset full = StudentData.draw(seed, n, WEIGHTS, MEANS, SCALES, DOF);
        double[][] rows = new double[n][];
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) {
            rows[i] = full.row(i).clone();
            for (int j = 0; j < rows[i].length; j++) {
                if (random.nextDouble() < fraction) {
                    rows[i][j] = Double.NaN;
                }
            }
        }
        return Dataset.of(rows);
    }

    private static StudentMixture config(int threads, Acceleration acceleration) {
        return StudentMixture.like(GaussianMixture.withComponents(2).options(EmOptions.defaults().withSeed(3)
                .withThreads(threads).withSearch(Search.Level.QUICK).withAcceleration(acceleration)));
    }

    /** ln Γ(x) for x &gt; 0, by Lanczos' approximation (g = 7, nine terms), written here. */
    private static double logGamma(double x) {
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = g[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += g[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /**
     * Σᵢ ln Σₖ πₖ t_p(xᵢ,ₒ; μₖ,ₒ, Σₖ,ₒₒ, νₖ), p the row's observed count, by a Cholesky factor of each Σₒₒ formed here:
     * ln t = ln Γ((ν+p)/2) − ln Γ(ν/2) − (p/2) ln(νπ) − ½ ln|Σₒₒ| − ((ν+p)/2) ln(1 + δ/ν).
     */
    private static double observedLogLikelihood(StudentMixtureModel m, Dataset data) {
        double total = 0;
        double[] nu = m.degreesOfFreedom();
        double[] w = m.scales().weights();
        for (int i = 0; i < data.rows(); i++) {
            double[] x = data.row(i);
            int[] o = java.util.stream.IntStream.range(0, x.length).filter(j -> !Double.isNaN(x[j])).toArray();
            int p = o.length;
            if (p == 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            double[] terms = new double[w.length];
            for (int c = 0; c < w.length; c++) {
                double[][] s = m.scales().covariance(c);
                double[] mu = m.scales().mean(c);
                double[][] l = new double[p][p];
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b <= a; b++) {
                        double v = s[o[a]][o[b]];
                        for (int e = 0; e < b; e++) {
                            v -= l[a][e] * l[b][e];
                        }
                        l[a][b] = a == b ? Math.sqrt(v) : v / l[b][b];
                    }
                }
                double[] y = new double[p];
                double delta = 0;
                double halfLogDet = 0;
                for (int a = 0; a < p; a++) {
                    double v = x[o[a]] - mu[o[a]];
                    for (int b = 0; b < a; b++) {
                        v -= l[a][b] * y[b];
                    }
                    y[a] = v / l[a][a];
                    delta += y[a] * y[a];
                    halfLogDet += Math.log(l[a][a]);
                }
                double v = nu[c];
                terms[c] = Math.log(w[c]) + logGamma((v + p) / 2) - logGamma(v / 2) - 0.5 * p * Math.log(v * Math.PI)
                        - halfLogDet - 0.5 * (v + p) * Math.log1p(delta / v);
                max = Math.max(max, terms[c]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            total += max + Math.log(sum);
        }
        return total;
    }

    @Test
    void theLogLikelihoodNeverDecreasesAndIsTheObservedDataOne() {
        Dataset data = withMissing(800, 0.15, 41);
        EmResult<StudentMixtureModel> fit = config(1, Acceleration.NONE).fit(data);
        double[] trace = fit.trace();
        assertThat(trace.length).isGreaterThan(5);
        for (int t = 1; t < trace.length; t++) {
            assertThat(trace[t]).as("iteration %d", t).isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
        }
        double direct = observedLogLikelihood(fit.params(), data);
        System.out.printf("t, 15%% missing: reported %.10f, direct %.10f, model %.10f%n", fit.logLikelihood(), direct,
                fit.params().logLikelihood(data));
        assertThat(fit.params().logLikelihood(data)).isCloseTo(direct, within(1e-9 * Math.abs(direct)));
        assertThat(fit.logLikelihood()).isCloseTo(direct, within(1e-7 * Math.abs(direct)));
    }

    @Test
    void recoversAKnownMixtureWithTenPercentOfTheCellsMissing() {
        Dataset data = withMissing(3000, 0.10, 7);
        StudentMixtureModel m = config(2, Acceleration.SQUAREM).fit(data).params();
        double[] w = m.scales().weights();
        for (int c = 0; c < 2; c++) {
            int f = Math.abs(m.scales().mean(0)[0] - MEANS[c][0]) < Math.abs(m.scales().mean(1)[0] - MEANS[c][0]) ? 0 : 1;
            assertThat(w[f]).as("weight %d", c).isCloseTo(WEIGHTS[c], within(0.03));
            double[][] s = m.scales().covariance(f);
            for (int j = 0; j < 3; j++) {
                assertThat(m.scales().mean(f)[j]).as("mean %d,%d", c, j).isCloseTo(MEANS[c][j], within(0.12));
                for (int l = 0; l < 3; l++) {
                    assertThat(s[j][l]).as("scale %d (%d,%d)", c, j, l).isCloseTo(SCALES[c][j][l], within(0.25));
                }
            }
            System.out.printf("component %d: nu %.3f (true %d)%n", c, m.degreesOfFreedom()[f], DOF[c]);
            assertThat(m.degreesOfFreedom()[f]).as("dof %d", c).isBetween(DOF[c] / 2.0, DOF[c] * 2.0);
        }
    }

    /**
     * A row with every value missing adds nothing: appended to complete data, a warm-started fit of 30 iterations
     * gives the same bits, so the rows without a missing value go through the E-step as before.
     */
    @Test
    void aRowWithNothingObservedChangesNoBit() {
        Dataset complete = StudentData.draw(13, 700, WEIGHTS, MEANS, SCALES, DOF);
        StudentMixtureModel start = config(1, Acceleration.SQUAREM).fit(complete).params();
        double[][] rows = new double[701][];
        for (int i = 0; i < 700; i++) {
            rows[i] = complete.row(i).clone();
        }
        rows[700] = new double[]{Double.NaN, Double.NaN, Double.NaN};
        EmOptions thirty = EmOptions.defaults().withThreads(1).withMaxIterations(30).withTolerance(0);
        StudentMixture warm = StudentMixture.like(GaussianMixture.withComponents(2).options(thirty)).initialModel(start);
        EmResult<StudentMixtureModel> without = warm.fit(complete);
        EmResult<StudentMixtureModel> with = warm.fit(Dataset.of(rows));
        assertThat(with.logLikelihood()).isEqualTo(without.logLikelihood());
        assertThat(with.params().scales().means()).isDeepEqualTo(without.params().scales().means());
        assertThat(with.params().scales().covariance(1)).isDeepEqualTo(without.params().scales().covariance(1));
        assertThat(with.params().degreesOfFreedom()).isEqualTo(without.params().degreesOfFreedom());
    }

    @Test
    void sameBitsForOneAndThreeThreads() {
        Dataset data = withMissing(1500, 0.10, 5);
        EmResult<StudentMixtureModel> one = config(1, Acceleration.SQUAREM).fit(data);
        EmResult<StudentMixtureModel> three = config(3, Acceleration.SQUAREM).fit(data);
        assertThat(three.logLikelihood()).isEqualTo(one.logLikelihood());
        assertThat(three.params().scales().means()).isDeepEqualTo(one.params().scales().means());
        assertThat(three.params().degreesOfFreedom()).isEqualTo(one.params().degreesOfFreedom());
    }
}
