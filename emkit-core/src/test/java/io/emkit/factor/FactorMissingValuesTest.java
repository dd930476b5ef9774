package io.emkit.factor;

import io.emkit.TestData;
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
 * Mixtures of factor analysers on rows with missing values: each row is fitted on its observed coordinates, whose
 * marginal is {@code N(μ_o, Λ_oΛ_oᵀ + Ψ_o)}. The log-likelihood never decreases; the reported one is the
 * observed-data log-likelihood computed here, from the formulas (its own Cholesky factor of each {@code Σ_oo}), at
 * the fitted parameters; a known mixture is recovered with 10% of the cells missing at random; one and three threads
 * give the same bits.
 */
class FactorMissingValuesTest {
    private static final int D = 6;
    private static final int Q = 2;
    private static final double[] WEIGHTS = {0.6, 0.4};
    private static final double[][] MEANS = {{0, 0, 0, 0, 0, 0}, {4, -3, 2, 4, -2, 3}};
    private static final double[][][] SIGMA = new double[2][][];

    static {
        SplittableRandom random = new SplittableRandom(9);
        for (int c = 0; c < 2; c++) {
            double[][] l = new double[D][Q];
            double[] psi = new double[D];
            for (int j = 0; j < D; j++) {
                psi[j] = 0.2 + 0.4 * random.nextDouble();
                for (int a = 0; a < Q; a++) {
                    l[j][a] = random.nextGaussian();
                }
            }
            SIGMA[c] = covarianceOf(l, psi);
        }
    }

    private static double[][] covarianceOf(double[][] l, double[] psi) {
        double[][] s = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                double v = i == j ? psi[i] : 0;
                for (int a = 0; a < l[i].length; a++) {
                    v += l[i][a] * l[j][a];
                }
                s[i][j] = v;
            }
        }
        return s;
    }

    private static Dataset withMissing(int n, double fraction, long seed) {
        Dataset full = TestData.drawMixture(seed, n, WEIGHTS, MEANS, SIGMA);
        double[][] rows = new double[n][];
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) {
            rows[i] = full.row(i).clone();
            for (int j = 0; j < D; j++) {
                if (random.nextDouble() < fraction) {
                    rows[i][j] = Double.NaN;
                }
            }
        }
        return Dataset.of(rows);
    }

    private static FactorAnalyserMixture config(int threads, Acceleration acceleration) {
        return FactorAnalyserMixture.like(GaussianMixture.withComponents(2).options(EmOptions.defaults().withSeed(3)
                .withThreads(threads).withSearch(Search.Level.QUICK).withAcceleration(acceleration)), Q);
    }

    /** Σᵢ ln Σₖ πₖ N(xᵢ,ₒ; μₖ,ₒ, (ΛₖΛₖᵀ + Ψₖ)ₒₒ), by a Cholesky factor of each Σₒₒ formed here. */
    private static double observedLogLikelihood(FactorAnalyserMixtureModel m, Dataset data) {
        double total = 0;
        double[] w = m.weights();
        for (int i = 0; i < data.rows(); i++) {
            double[] x = data.row(i);
            int[] o = java.util.stream.IntStream.range(0, D).filter(j -> !Double.isNaN(x[j])).toArray();
            int p = o.length;
            if (p == 0) {
                continue;
            }
            double[] terms = new double[w.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < w.length; c++) {
                double[][] s = covarianceOf(m.loadings(c), m.uniquenesses(c));
                double[] mu = m.mean(c);
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
                terms[c] = Math.log(w[c]) - 0.5 * p * Math.log(2 * Math.PI) - halfLogDet - 0.5 * delta;
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
        Dataset data = withMissing(800, 0.15, 21);
        EmResult<FactorAnalyserMixtureModel> fit = config(1, Acceleration.NONE).fit(data);
        double[] trace = fit.trace();
        assertThat(trace.length).isGreaterThan(5);
        for (int t = 1; t < trace.length; t++) {
            assertThat(trace[t]).as("iteration %d", t).isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
        }
        double direct = observedLogLikelihood(fit.params(), data);
        System.out.printf("MFA, 15%% missing: reported %.10f, direct %.10f, model %.10f (%d iterations)%n",
                fit.logLikelihood(), direct, fit.params().logLikelihood(data), trace.length);
        assertThat(fit.params().logLikelihood(data)).isCloseTo(direct, within(1e-9 * Math.abs(direct)));
        assertThat(fit.logLikelihood()).isCloseTo(direct, within(1e-7 * Math.abs(direct)));
    }

    @Test
    void recoversAKnownMixtureWithTenPercentOfTheCellsMissing() {
        int n = 3000;
        Dataset data = withMissing(n, 0.10, 7);
        FactorAnalyserMixtureModel m = config(2, Acceleration.SQUAREM).fit(data).params();
        for (int c = 0; c < 2; c++) {
            int f = Math.abs(m.mean(0)[0] - MEANS[c][0]) < Math.abs(m.mean(1)[0] - MEANS[c][0]) ? 0 : 1;
            assertThat(m.weights()[f]).as("weight %d", c).isCloseTo(WEIGHTS[c], within(0.03));
            double nc = n * WEIGHTS[c] * 0.9;
            for (int j = 0; j < D; j++) {
                assertThat(m.mean(f)[j]).as("mean %d,%d", c, j)
                        .isCloseTo(MEANS[c][j], within(4 * Math.sqrt(SIGMA[c][j][j] / nc)));
            }
            double[][] fitted = covarianceOf(m.loadings(f), m.uniquenesses(f));
            double error = 0;
            double norm = 0;
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    error += Math.pow(fitted[i][j] - SIGMA[c][i][j], 2);
                    norm += SIGMA[c][i][j] * SIGMA[c][i][j];
                }
            }
            System.out.printf("component %d: |Σ̂ − Σ|_F %.3f of |Σ|_F %.3f%n", c, Math.sqrt(error), Math.sqrt(norm));
            assertThat(Math.sqrt(error)).as("component %d covariance", c).isLessThan(0.1 * Math.sqrt(norm));
        }
    }

    /**
     * A row with every value missing adds nothing: appended to complete data, a warm-started fit of 30 iterations
     * gives the same bits, so the rows without a missing value go through the E-step as before.
     */
    @Test
    void aRowWithNothingObservedChangesNoBit() {
        Dataset complete = TestData.drawMixture(13, 700, WEIGHTS, MEANS, SIGMA);
        FactorAnalyserMixtureModel start = config(1, Acceleration.SQUAREM).fit(complete).params();
        double[][] rows = new double[701][];
        for (int i = 0; i < 700; i++) {
            rows[i] = complete.row(i).clone();
        }
        rows[700] = new double[D];
        java.util.Arrays.fill(rows[700], Double.NaN);
        EmOptions thirty = EmOptions.defaults().withThreads(1).withMaxIterations(30).withTolerance(0);
        FactorAnalyserMixture warm = FactorAnalyserMixture.like(GaussianMixture.withComponents(2).options(thirty), Q)
                .initialModel(start);
        EmResult<FactorAnalyserMixtureModel> without = warm.fit(complete);
        EmResult<FactorAnalyserMixtureModel> with = warm.fit(Dataset.of(rows));
        assertThat(with.logLikelihood()).isEqualTo(without.logLikelihood());
        assertThat(with.params()).isEqualTo(without.params());
    }

    @Test
    void sameBitsForOneAndThreeThreads() {
        Dataset data = withMissing(1500, 0.10, 5);
        EmResult<FactorAnalyserMixtureModel> one = config(1, Acceleration.SQUAREM).fit(data);
        EmResult<FactorAnalyserMixtureModel> three = config(3, Acceleration.SQUAREM).fit(data);
        assertThat(three.logLikelihood()).isEqualTo(one.logLikelihood());
        assertThat(three.params()).isEqualTo(one.params());
    }
}
