package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A noise component on rows with missing values: each row is evaluated on its observed coordinates, the Gaussian
 * components by their marginals, the noise by the uniform over the box's projection onto the observed columns.
 * The log-likelihood never decreases; the reported one is {@code Σ_i ln(π₀/V_o + Σ_k π_k N(x_o; μ_o, Σ_oo))}
 * computed here from the formula; a known model's parameters are recovered; rows observing nothing change no bit;
 * threads change no bit.
 */
class NoiseMissingValuesTest {
    private static final double[][] MEANS = {{0, 0, 0}, {6, -5, 4}};
    private static final double[][][] COVARIANCES = {
            {{1.0, 0.5, 0.2}, {0.5, 1.5, 0.3}, {0.2, 0.3, 0.8}},
            {{2.0, -0.6, 0.0}, {-0.6, 1.0, 0.4}, {0.0, 0.4, 1.2}}};
    private static final double[] WEIGHTS = {0.55, 0.30};
    private static final double NOISE = 0.15;

    /**
     * {@code n} rows: Gaussian rows of the two components with shares 0.55 and 0.30, uniform rows (0.15) over
     * [−10, 16] × [−14, 10] × [−8, 12]; each cell then missing with probability {@code fraction}.
     */
    private static Dataset draw(int n, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[n][];
        double[][][] lower = {cholesky(COVARIANCES[0]), cholesky(COVARIANCES[1])};
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double[] x = new double[3];
            if (u < NOISE) {
                x[0] = -10 + 26 * random.nextDouble();
                x[1] = -14 + 24 * random.nextDouble();
                x[2] = -8 + 20 * random.nextDouble();
            } else {
                int c = u < NOISE + WEIGHTS[0] ? 0 : 1;
                double[] z = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
                for (int a = 0; a < 3; a++) {
                    x[a] = MEANS[c][a];
                    for (int b = 0; b <= a; b++) {
                        x[a] += lower[c][a][b] * z[b];
                    }
                }
            }
            for (int a = 0; a < 3; a++) {
                if (random.nextDouble() < fraction) {
                    x[a] = Double.NaN;
                }
            }
            rows[i] = x;
        }
        return Dataset.of(rows);
    }

    private static double[][] cholesky(double[][] s) {
        int p = s.length;
        double[][] l = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                double v = s[a][b];
                for (int e = 0; e < b; e++) {
                    v -= l[a][e] * l[b][e];
                }
                l[a][b] = a == b ? Math.sqrt(v) : v / l[b][b];
            }
        }
        return l;
    }

    private static NoiseMixture config(CovarianceType type, int threads) {
        return NoiseMixture.like(GaussianMixture.withComponents(2).covarianceType(type).options(EmOptions.defaults()
                .withSeed(3).withThreads(threads).withSearch(Search.Level.QUICK)));
    }

    /**
     * {@code Σ_i ln(π₀ / V_o + Σ_k π_k N(x_{i,o}; μ_{k,o}, Σ_{k,oo}))} over the rows observing something, with
     * {@code π_k = (1 − π₀) w_k}, {@code V_o} the product of the observed columns' extents and each Gaussian
     * evaluated through a Cholesky factor of its {@code Σ_oo} formed here.
     */
    private static double observedLogLikelihood(NoiseMixtureModel m, Dataset data) {
        double total = 0;
        double[] pi = m.weights();
        double[] lo = m.region().lower();
        double[] hi = m.region().upper();
        for (int i = 0; i < data.rows(); i++) {
            double[] x = data.row(i);
            int[] o = java.util.stream.IntStream.range(0, x.length).filter(j -> !Double.isNaN(x[j])).toArray();
            int p = o.length;
            if (p == 0) {
                continue;
            }
            double volume = 1;
            for (int j : o) {
                volume *= hi[j] - lo[j];
            }
            double density = m.noiseWeight() / volume;
            for (int c = 0; c < pi.length; c++) {
                double[][] s = m.gaussian().covariance(c);
                double[] mu = m.gaussian().mean(c);
                double[][] sub = new double[p][p];
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) {
                        sub[a][b] = s[o[a]][o[b]];
                    }
                }
                double[][] l = cholesky(sub);
                double[] y = new double[p];
                double delta = 0;
                double det = 1;
                for (int a = 0; a < p; a++) {
                    double v = x[o[a]] - mu[o[a]];
                    for (int b = 0; b < a; b++) {
                        v -= l[a][b] * y[b];
                    }
                    y[a] = v / l[a][a];
                    delta += y[a] * y[a];
                    det *= l[a][a] * l[a][a];
                }
                density += pi[c] * Math.exp(-0.5 * delta) / Math.sqrt(Math.pow(2 * Math.PI, p) * det);
            }
            total += Math.log(density);
        }
        return total;
    }

    @Test
    void theLogLikelihoodNeverDecreasesAndIsTheObservedDataOne() {
        Dataset data = draw(700, 0.15, 41);
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                CovarianceType.TIED, CovarianceType.parse("VEV")}) {
            EmResult<NoiseMixtureModel> fit = config(type, 1).fit(data);
            double[] trace = fit.trace();
            assertThat(trace.length).as("%s iterations", type).isGreaterThan(3);
            for (int t = 1; t < trace.length; t++) {
                assertThat(trace[t]).as("%s iteration %d", type, t)
                        .isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
            }
            double direct = observedLogLikelihood(fit.params(), data);
            assertThat(fit.logLikelihood()).as("%s reported", type).isCloseTo(direct, within(1e-7 * Math.abs(direct)));
            double scored = java.util.Arrays.stream(fit.params().scoreSamples(data)).sum();
            assertThat(scored).as("%s scoreSamples", type).isCloseTo(direct, within(1e-9 * Math.abs(direct)));
        }
    }

    /**
     * Brute force on eight rows and a model written out here: the E-step's log-likelihood (one evaluation, no
     * M-step) and the model's scores are the formula's, term by term.
     */
    @Test
    void onTinyDataEveryRowsDensityIsTheFormulas() {
        double nan = Double.NaN;
        Dataset data = Dataset.of(new double[][] {
                {0.1, 0.2, -0.3}, {nan, 1.0, 0.5}, {5.5, nan, nan}, {nan, nan, 3.0}, {6.2, -4.1, 4.4},
                {-1.5, nan, 2.0}, {nan, nan, nan}, {3.0, -2.0, nan}});
        GaussianMixtureModel g = GaussianMixtureModel.full(new double[] {0.7, 0.3}, MEANS, COVARIANCES);
        NoiseRegion box = new NoiseRegion(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[] {-2, -5, -1},
                new double[] {7, 2, 5}, false);
        NoiseMixtureModel m = new NoiseMixtureModel(g, 0.2, box);
        double[] scores = m.scoreSamples(data);
        double total = 0;
        for (int i = 0; i < data.rows(); i++) {
            double direct = observedLogLikelihood(m, Dataset.of(new double[][] {data.row(i)}));
            assertThat(scores[i]).as("row %d", i).isCloseTo(direct, within(1e-12 * (1 + Math.abs(direct))));
            total += direct;
        }
        assertThat(scores[6]).as("a row observing nothing").isEqualTo(0.0);
        // One E-step through the engine: the fit's reported log-likelihood at the start of a zero-iteration run.
        EmResult<NoiseMixtureModel> once = NoiseMixture.like(GaussianMixture.withComponents(2).options(EmOptions
                .defaults().withThreads(1).withMaxIterations(1).withTolerance(0))).initialModel(m).fit(data);
        assertThat(once.trace()[0]).isCloseTo(total, within(1e-12 * Math.abs(total)));
        // Probabilities sum to one and, for a row observing nothing, are the weights.
        double[][] proba = m.predictProba(data);
        for (double[] p : proba) {
            assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
        }
        assertThat(proba[6][2]).isCloseTo(0.2, within(1e-15));
        assertThat(proba[6][0]).isCloseTo(0.8 * 0.7, within(1e-15));
    }

    @Test
    void aBoxAlongPrincipalAxesRefusesARowWithAMissingValueByItsNumber() {
        double s = Math.sqrt(0.5);
        NoiseRegion rotated = new NoiseRegion(new double[] {s, s, 0, -s, s, 0, 0, 0, 1}, new double[] {-2, -5, -1},
                new double[] {7, 2, 5}, true);
        NoiseMixtureModel m = new NoiseMixtureModel(GaussianMixtureModel.full(new double[] {0.7, 0.3}, MEANS,
                COVARIANCES), 0.2, rotated);
        Dataset data = Dataset.of(new double[][] {{0.1, 0.2, -0.3}, {1.0, Double.NaN, 0.5}});
        assertThatThrownBy(() -> m.scoreSamples(data)).isInstanceOf(EmkitException.class)
                .hasMessageStartingWith("row 2: ").hasMessageContaining("principal axes");
        // Data with a missing value get the bounding box along the columns, over each column's observed values.
        NoiseRegion region = NoiseRegion.of(draw(300, 0.1, 5));
        assertThat(region.principal()).isFalse();
    }

    @Test
    void recoversAKnownModelWithTenPercentOfTheCellsMissing() {
        Dataset data = draw(3000, 0.10, 7);
        NoiseMixtureModel m = config(CovarianceType.FULL, 2).fit(data).params();
        assertThat(m.noiseWeight()).isCloseTo(NOISE, within(0.03));
        double[] w = m.weights();
        for (int c = 0; c < 2; c++) {
            int f = Math.abs(m.gaussian().mean(0)[0] - MEANS[c][0]) < Math.abs(m.gaussian().mean(1)[0] - MEANS[c][0])
                    ? 0 : 1;
            assertThat(w[f]).as("weight %d", c).isCloseTo(WEIGHTS[c], within(0.03));
            double[][] s = m.gaussian().covariance(f);
            for (int j = 0; j < 3; j++) {
                assertThat(m.gaussian().mean(f)[j]).as("mean %d,%d", c, j).isCloseTo(MEANS[c][j], within(0.15));
                for (int l = 0; l < 3; l++) {
                    assertThat(s[j][l]).as("covariance %d (%d,%d)", c, j, l).isCloseTo(COVARIANCES[c][j][l], within(0.3));
                }
            }
        }
        // The nearest-neighbour guess, with distances over the coordinates two rows share, finds most noise rows.
        SplittableRandom random = new SplittableRandom(7);
        int noiseRows = 0;
        int found = 0;
        boolean[] guess = NearestNeighbourNoise.guess(data, 5);
        for (int i = 0; i < data.rows(); i++) {
            double u = random.nextDouble();
            boolean noise = u < NOISE;
            // Replay the draw's stream: three uniforms for a noise row, three Gaussians otherwise, three cells.
            if (noise) {
                random.nextDouble();
                random.nextDouble();
                random.nextDouble();
            } else {
                random.nextGaussian();
                random.nextGaussian();
                random.nextGaussian();
            }
            for (int a = 0; a < 3; a++) {
                random.nextDouble();
            }
            noiseRows += noise ? 1 : 0;
            found += noise && guess[i] ? 1 : 0;
        }
        assertThat(found).isGreaterThanOrEqualTo((int) (0.6 * noiseRows));
    }

    /**
     * Rows with every value missing add nothing: appended to complete data, a warm-started fit of 30 iterations
     * gives the same bits, so the complete rows go through the E-step as without missing values.
     */
    @Test
    void rowsObservingNothingChangeNoBit() {
        Dataset complete = draw(600, 0.0, 13);
        NoiseMixtureModel start = config(CovarianceType.FULL, 1).fit(complete).params();
        double[][] rows = new double[603][];
        for (int i = 0; i < 603; i++) {
            // Appended, so that the complete rows keep their places in the E-step's blocks (the sums' order).
            rows[i] = i >= 600 ? new double[] {Double.NaN, Double.NaN, Double.NaN} : complete.row(i).clone();
        }
        EmOptions thirty = EmOptions.defaults().withThreads(1).withMaxIterations(30).withTolerance(0);
        NoiseMixture warm = NoiseMixture.like(GaussianMixture.withComponents(2).options(thirty)).initialModel(start);
        EmResult<NoiseMixtureModel> without = warm.fit(complete);
        EmResult<NoiseMixtureModel> with = warm.fit(Dataset.of(rows));
        assertThat(with.trace()).isEqualTo(without.trace());
        assertThat(with.params().noiseWeight()).isEqualTo(without.params().noiseWeight());
        assertThat(with.params().gaussian().means()).isDeepEqualTo(without.params().gaussian().means());
        assertThat(with.params().gaussian().covariance(1)).isDeepEqualTo(without.params().gaussian().covariance(1));
    }

    @Test
    void sameBitsForOneAndThreeThreads() {
        Dataset data = draw(1500, 0.10, 5);
        EmResult<NoiseMixtureModel> one = config(CovarianceType.FULL, 1).fit(data);
        EmResult<NoiseMixtureModel> three = config(CovarianceType.FULL, 3).fit(data);
        assertThat(three.logLikelihood()).isEqualTo(one.logLikelihood());
        assertThat(three.params().noiseWeight()).isEqualTo(one.params().noiseWeight());
        assertThat(three.params().gaussian().means()).isDeepEqualTo(one.params().gaussian().means());
    }

    /** mclust's count (nMclustParams with noise): K − 1 + K d + K d(d+1)/2 for VVV, plus the noise's weight and 1/V. */
    @Test
    void theParameterCountIsMclusts() {
        NoiseMixtureModel m = config(CovarianceType.FULL, 1).fit(draw(500, 0.1, 9)).params();
        int k = 2;
        int d = 3;
        assertThat(m.parameterCount()).isEqualTo(k - 1 + k * d + k * d * (d + 1) / 2 + 2);
    }
}
