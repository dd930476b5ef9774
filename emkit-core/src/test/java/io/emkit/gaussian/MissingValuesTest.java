package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.Assignment;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Gaussian mixtures on data with missing values, checked against direct computations: marginal densities
 * from sub-vectors and sub-matrices, conditional means and covariances from explicit inverses, and EM's
 * monotone log-likelihood.
 */
class MissingValuesTest {
    private static final double NaN = Double.NaN;

    /** A tiny 3-D, 2-component full-covariance model and rows with every kind of pattern. */
    private static final GaussianReference.Params TINY = GaussianReference.randomParams(new SplittableRandom(5),
            CovarianceType.FULL, 2, 3, 2.0);
    private static final Dataset TINY_ROWS = Dataset.of(new double[][] {
            {0.5, NaN, -1.0}, {NaN, NaN, 2.0}, {1.0, 0.2, 0.3}, {NaN, 1.5, NaN}, {NaN, NaN, NaN}, {-0.7, 0.4, NaN}});

    // ------------------------------------------------------------------------------------ direct references

    private static int[] observed(double[] row) {
        return java.util.stream.IntStream.range(0, row.length).filter(j -> !Double.isNaN(row[j])).toArray();
    }

    private static int[] missing(double[] row) {
        return java.util.stream.IntStream.range(0, row.length).filter(j -> Double.isNaN(row[j])).toArray();
    }

    private static double[] sub(double[] v, int[] idx) {
        double[] out = new double[idx.length];
        for (int a = 0; a < idx.length; a++) {
            out[a] = v[idx[a]];
        }
        return out;
    }

    private static double[][] sub(double[][] m, int[] rows, int[] cols) {
        double[][] out = new double[rows.length][cols.length];
        for (int a = 0; a < rows.length; a++) {
            for (int b = 0; b < cols.length; b++) {
                out[a][b] = m[rows[a]][cols[b]];
            }
        }
        return out;
    }

    /** log w_c + log N(x_o | μ_o, Σ_oo) per component, straight from the definition. */
    static double[] marginalLogJoint(double[] row, GaussianReference.Params p) {
        int[] o = observed(row);
        double[] out = new double[p.weights().length];
        for (int c = 0; c < out.length; c++) {
            out[c] = Math.log(p.weights()[c]) + (o.length == 0 ? 0.0
                    : GaussianReference.logNormal(sub(row, o), sub(p.means()[c], o), sub(p.covariances()[c], o, o)));
        }
        return out;
    }

    /** μ_m + Σ_mo Σ_oo⁻¹ (x_o − μ_o) with an explicit inverse. */
    private static double[] conditionalMean(double[] row, double[] mu, double[][] cov) {
        int[] o = observed(row);
        int[] m = missing(row);
        double[][] inv = o.length == 0 ? new double[0][0] : GaussianReference.inverse(sub(cov, o, o));
        double[][] smo = sub(cov, m, o);
        double[] out = new double[m.length];
        for (int p = 0; p < m.length; p++) {
            double v = mu[m[p]];
            for (int a = 0; a < o.length; a++) {
                for (int b = 0; b < o.length; b++) {
                    v += smo[p][a] * inv[a][b] * (row[o[b]] - mu[o[b]]);
                }
            }
            out[p] = v;
        }
        return out;
    }

    /** Σ_mm − Σ_mo Σ_oo⁻¹ Σ_om with an explicit inverse. */
    private static double[][] conditionalCovariance(double[] row, double[][] cov) {
        int[] o = observed(row);
        int[] m = missing(row);
        double[][] inv = o.length == 0 ? new double[0][0] : GaussianReference.inverse(sub(cov, o, o));
        double[][] out = sub(cov, m, m);
        for (int p = 0; p < m.length; p++) {
            for (int q = 0; q < m.length; q++) {
                for (int a = 0; a < o.length; a++) {
                    for (int b = 0; b < o.length; b++) {
                        out[p][q] -= cov[m[p]][o[a]] * inv[a][b] * cov[o[b]][m[q]];
                    }
                }
            }
        }
        return out;
    }

    private static double[] normalized(double[] logJoint) {
        double lse = GaussianReference.logSumExp(logJoint);
        double[] r = new double[logJoint.length];
        for (int c = 0; c < r.length; c++) {
            r[c] = Math.exp(logJoint[c] - lse);
        }
        return r;
    }

    /** Removes each cell with probability {@code rate}, independently (missing completely at random). */
    static Dataset removeCells(Dataset data, double rate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = data.toArray();
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                if (random.nextDouble() < rate) {
                    row[j] = NaN;
                }
            }
        }
        return Dataset.of(rows);
    }

    // ------------------------------------------------------------------------------------ E-step

    @Test
    void scoreAndResponsibilitiesAreThoseOfTheObservedCoordinatesMarginal() {
        double[] scores = TINY.model().scoreSamples(TINY_ROWS);
        double[][] proba = TINY.model().predictProba(TINY_ROWS);
        int[] labels = TINY.model().predict(TINY_ROWS);
        for (int i = 0; i < TINY_ROWS.rows(); i++) {
            double[] lj = marginalLogJoint(TINY_ROWS.row(i), TINY);
            double expected = observed(TINY_ROWS.row(i)).length == 0 ? 0.0 : GaussianReference.logSumExp(lj);
            assertThat(scores[i]).as("row %d", i).isCloseTo(expected, within(1e-10));
            double[] r = normalized(lj);
            for (int c = 0; c < r.length; c++) {
                assertThat(proba[i][c]).as("row %d, component %d", i, c).isCloseTo(r[c], within(1e-12));
            }
            assertThat(labels[i]).isEqualTo(r[0] >= r[1] ? 0 : 1);
        }
        assertThat(scores[4]).as("a row with nothing observed has log density exactly 0").isEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void eStepLogLikelihoodAndStatisticsMatchADirectComputation(CovarianceType type) {
        GaussianReference.Params p = GaussianReference.randomParams(new SplittableRandom(11), type, 2, 3, 2.0);
        GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 0.0);
        GaussianStatistics s = steps.emptyStatistics(p.model());
        double ll = steps.accumulate(p.model(), TINY_ROWS, 0, TINY_ROWS.rows(), s);
        assertMatches(s, ll, expectedEStep(TINY_ROWS, p, null, Assignment.SOFT));
    }

    /** What an E-step should produce, computed row by row from the definitions. */
    record EStep(double logLikelihood, double[] weight, double[][] first, double[][][] second) {
    }

    /**
     * The E-step over {@code rows} straight from the definitions: each row's marginal log joint over its
     * observed coordinates, its responsibilities (one-hot on the most probable component, the lowest on ties,
     * when {@code HARD}) times its weight, and its expected moments about the model's means: missing
     * coordinates replaced by their conditional mean, their conditional covariance added to the second
     * moment. Rows with nothing observed are skipped.
     *
     * @param w row weights, or {@code null} for weight 1
     */
    static EStep expectedEStep(Dataset rows, GaussianReference.Params p, double[] w, Assignment assignment) {
        int k = p.weights().length;
        int d = rows.columns();
        double ll = 0;
        double[] weight = new double[k];
        double[][] first = new double[k][d];
        double[][][] second = new double[k][d][d];
        for (int i = 0; i < rows.rows(); i++) {
            double[] row = rows.row(i);
            double wi = w == null ? 1.0 : w[i];
            if (observed(row).length == 0 || wi == 0) {
                continue; // skipped: nothing observed, or no weight
            }
            double[] lj = marginalLogJoint(row, p);
            double[] r;
            if (assignment == Assignment.HARD) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    best = lj[c] > lj[best] ? c : best;
                }
                ll += wi * lj[best];
                r = new double[k];
                r[best] = 1.0;
            } else {
                ll += wi * GaussianReference.logSumExp(lj);
                r = normalized(lj);
            }
            int[] m = missing(row);
            for (int c = 0; c < k; c++) {
                double rc = wi * r[c];
                double[] completed = row.clone();
                double[] cm = conditionalMean(row, p.means()[c], p.covariances()[c]);
                for (int q = 0; q < m.length; q++) {
                    completed[m[q]] = cm[q];
                }
                double[][] cc = conditionalCovariance(row, p.covariances()[c]);
                weight[c] += rc;
                for (int a = 0; a < d; a++) {
                    // Moments centred on the E-step's means, as GaussianStatistics keeps them.
                    double za = completed[a] - p.means()[c][a];
                    first[c][a] += rc * za;
                    for (int b = 0; b < d; b++) {
                        second[c][a][b] += rc * za * (completed[b] - p.means()[c][b]);
                    }
                }
                for (int q1 = 0; q1 < m.length; q1++) {
                    for (int q2 = 0; q2 < m.length; q2++) {
                        second[c][m[q1]][m[q2]] += rc * cc[q1][q2];
                    }
                }
            }
        }
        return new EStep(ll, weight, first, second);
    }

    /** Asserts that an E-step's statistics and log-likelihood are {@code expected}'s, to rounding. */
    static void assertMatches(GaussianStatistics s, double ll, EStep expected) {
        double scale = Math.max(1.0, Math.abs(expected.logLikelihood()));
        assertThat(ll).isCloseTo(expected.logLikelihood(), within(1e-10 * scale));
        int k = expected.weight().length;
        int d = expected.first()[0].length;
        for (int c = 0; c < k; c++) {
            assertThat(s.weight[c]).as("weight of %d", c).isCloseTo(expected.weight()[c],
                    within(1e-12 * Math.max(1.0, expected.weight()[c])));
            for (int a = 0; a < d; a++) {
                double f = expected.first()[c][a];
                assertThat(s.first[c * d + a]).as("first moment %d of %d", a, c)
                        .isCloseTo(f, within(1e-10 * Math.max(1.0, Math.abs(f))));
                for (int b = a; b < d; b++) {
                    double e = expected.second()[c][a][b];
                    if (s.fullSecondMoments) {
                        assertThat(s.second[c * d * d + a * d + b]).as("second moment %d,%d of %d", a, b, c)
                                .isCloseTo(e, within(1e-10 * Math.max(1.0, Math.abs(e))));
                    } else if (a == b) {
                        assertThat(s.second[c * d + a]).as("second moment %d of %d", a, c)
                                .isCloseTo(e, within(1e-10 * Math.max(1.0, Math.abs(e))));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ complete rows

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void rowsWithNothingObservedLeaveTheFitBitForBitUnchanged(CovarianceType type) {
        Dataset complete = TestData.drawMixture(3, 600, new double[] {0.5, 0.5}, new double[][] {{0, 0, 0}, {3, 1, -2}},
                new double[][][] {GaussianReference.scaledIdentity(3, 1.0), {{1, 0.5, 0}, {0.5, 2, 0.3}, {0, 0.3, 1}}});
        double[][] rows = Arrays.copyOf(complete.toArray(), 610);
        for (int i = 600; i < 610; i++) {
            rows[i] = new double[] {NaN, NaN, NaN};
        }
        Dataset padded = Dataset.of(rows);
        // One engine block holds the complete rows, a second only the empty ones: its statistics are zeros.
        EmOptions options = EmOptions.defaults().withBlockSize(600).withTolerance(0).withMaxIterations(15).withThreads(2);
        GaussianMixture config = GaussianMixture.withComponents(2).covarianceType(type).options(options);
        EmResult<GaussianMixtureModel> a = config.fit(complete);
        EmResult<GaussianMixtureModel> b = config.fit(padded);
        assertThat(b.params().means()).isEqualTo(a.params().means());
        assertThat(b.params().covariances()).isEqualTo(a.params().covariances());
        assertThat(b.params().weights()).isEqualTo(a.params().weights());
        assertThat(b.logLikelihood()).isEqualTo(a.logLikelihood());
        assertThat(padded.countMissing()).isEqualTo(new Rows.MissingCounts(30, 10));
    }

    @Test
    void completeRowsOfABlockGoThroughTheBlockKernelAndIncompleteOnesAddTheirExpectation() {
        GaussianMixtureModel model = TINY.model();
        GaussianMixtureSteps steps = new GaussianMixtureSteps(CovarianceType.FULL, 0.0);
        Dataset mixed = removeCells(TestData.drawMixture(8, 300, TINY.weights(), TINY.means(), TINY.covariances()),
                0.1, 9);
        GaussianStatistics all = steps.emptyStatistics(model);
        double llAll = steps.accumulate(model, mixed, 0, mixed.rows(), all);

        double[][] rows = mixed.toArray();
        double[][] complete = Arrays.stream(rows).filter(r -> observed(r).length == 3).toArray(double[][]::new);
        double[][] partial = Arrays.stream(rows).filter(r -> observed(r).length < 3).toArray(double[][]::new);
        assertThat(partial.length).as("some rows have missing cells").isGreaterThan(50);
        GaussianStatistics parts = steps.emptyStatistics(model);
        double llParts = steps.accumulate(model, Dataset.of(complete), 0, complete.length, parts);
        GaussianStatistics partialStats = steps.emptyStatistics(model);
        for (double[] row : partial) {
            llParts += steps.accumulate(model, Dataset.of(new double[][] {row}), 0, 1, partialStats);
        }
        parts.merge(partialStats);
        assertThat(llAll).isCloseTo(llParts, within(1e-9));
        for (int i = 0; i < all.second.length; i++) {
            assertThat(all.second[i]).isCloseTo(parts.second[i], within(1e-9));
        }
        for (int i = 0; i < all.first.length; i++) {
            assertThat(all.first[i]).isCloseTo(parts.first[i], within(1e-9));
        }
    }

    // ------------------------------------------------------------------------------------ EM

    /**
     * One bivariate normal with cells missing has no closed-form maximum-likelihood estimate; EM's must be the
     * maximiser of the observed-data log-likelihood {@code Σ log N(x_obs | μ_obs, Σ_obs,obs)}, found here
     * independently by Newton's method on {@code θ = (μ1, μ2, ln L11, L21, ln L22)} with {@code Σ = L Lᵀ},
     * central-difference gradient and Hessian, and step halving. The two agree to 1e-6; the complete-case
     * estimate, which the Newton search starts from, is far from both.
     */
    @Test
    void oneComponentWithMissingCellsIsTheObservedDataMaximumLikelihoodEstimate() {
        SplittableRandom r = new SplittableRandom(12);
        double[][] rows = new double[200][];
        for (int i = 0; i < rows.length; i++) {
            double z1 = r.nextGaussian();
            double z2 = r.nextGaussian();
            double x1 = 1 + 2 * z1;
            double x2 = -0.5 + 1.2 * z1 + 0.9 * z2;
            // x2 is missing more often when x1 is large (missing at random), x1 in 15% of the rest.
            double u = r.nextDouble();
            rows[i] = u < (x1 > 1 ? 0.4 : 0.1) ? new double[] {x1, NaN} : u > 0.85 ? new double[] {NaN, x2}
                    : new double[] {x1, x2};
        }
        Dataset data = Dataset.of(rows);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(1).regCovar(0).initializations(1)
                .tolerance(1e-13).maxIterations(5000).fit(data);
        assertThat(fit.converged()).isTrue();

        double[] theta = newtonMaximum(rows, completeCaseStart(rows));
        double[] mu = {theta[0], theta[1]};
        double[][] cov = covarianceOf(theta);
        GaussianMixtureModel m = fit.params();
        assertThat(m.mean(0)).containsExactly(mu, within(1e-6));
        for (int a = 0; a < 2; a++) {
            assertThat(m.covariance(0)[a]).containsExactly(cov[a], within(1e-6));
        }
        assertThat(fit.logLikelihood()).isCloseTo(observedLogLikelihood(rows, theta), within(1e-8));
        double[] completeCase = completeCaseStart(rows);
        assertThat(Math.abs(completeCase[0] - mu[0])).as("the complete cases alone are biased").isGreaterThan(0.05);
    }

    /** Σ from θ = (μ1, μ2, ln L11, L21, ln L22). */
    private static double[][] covarianceOf(double[] theta) {
        double l11 = Math.exp(theta[2]);
        double l21 = theta[3];
        double l22 = Math.exp(theta[4]);
        return new double[][] {{l11 * l11, l11 * l21}, {l11 * l21, l21 * l21 + l22 * l22}};
    }

    /** Σ over rows of the log density of the observed coordinates under N(μ, Σ), written out for d = 2. */
    private static double observedLogLikelihood(double[][] rows, double[] theta) {
        double[][] s = covarianceOf(theta);
        double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
        double total = 0;
        for (double[] x : rows) {
            boolean has1 = !Double.isNaN(x[0]);
            boolean has2 = !Double.isNaN(x[1]);
            if (has1 && has2) {
                double d1 = x[0] - theta[0];
                double d2 = x[1] - theta[1];
                double q = (s[1][1] * d1 * d1 - 2 * s[0][1] * d1 * d2 + s[0][0] * d2 * d2) / det;
                total += -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
            } else if (has1 || has2) {
                int j = has1 ? 0 : 1;
                double d = x[j] - theta[j];
                total += -0.5 * Math.log(2 * Math.PI * s[j][j]) - 0.5 * d * d / s[j][j];
            }
        }
        return total;
    }

    /** θ from the complete rows' mean and (maximum-likelihood) covariance. */
    private static double[] completeCaseStart(double[][] rows) {
        double[] mean = new double[2];
        double[][] c = new double[2][2];
        int n = 0;
        for (double[] x : rows) {
            if (!Double.isNaN(x[0]) && !Double.isNaN(x[1])) {
                n++;
                mean[0] += x[0];
                mean[1] += x[1];
            }
        }
        mean[0] /= n;
        mean[1] /= n;
        for (double[] x : rows) {
            if (!Double.isNaN(x[0]) && !Double.isNaN(x[1])) {
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        c[a][b] += (x[a] - mean[a]) * (x[b] - mean[b]) / n;
                    }
                }
            }
        }
        double l11 = Math.sqrt(c[0][0]);
        double l21 = c[1][0] / l11;
        return new double[] {mean[0], mean[1], Math.log(l11), l21, 0.5 * Math.log(c[1][1] - l21 * l21)};
    }

    /** Newton's method with step halving, until the step is below 1e-12. */
    private static double[] newtonMaximum(double[][] rows, double[] start) {
        double[] theta = start.clone();
        int p = theta.length;
        double h = 1e-4;
        java.util.function.ToDoubleFunction<double[]> f = t -> observedLogLikelihood(rows, t);
        for (int iteration = 0; iteration < 100; iteration++) {
            double[] g = new double[p];
            double[][] hess = new double[p][p];
            for (int a = 0; a < p; a++) {
                g[a] = (f.applyAsDouble(shifted(theta, a, h, a, 0)) - f.applyAsDouble(shifted(theta, a, -h, a, 0))) / (2 * h);
                for (int b = 0; b < p; b++) {
                    hess[a][b] = (f.applyAsDouble(shifted(theta, a, h, b, h)) - f.applyAsDouble(shifted(theta, a, h, b, -h))
                            - f.applyAsDouble(shifted(theta, a, -h, b, h)) + f.applyAsDouble(shifted(theta, a, -h, b, -h)))
                            / (4 * h * h);
                }
            }
            org.ejml.data.DMatrixRMaj step = new org.ejml.data.DMatrixRMaj(p, 1);
            org.ejml.data.DMatrixRMaj negH = new org.ejml.data.DMatrixRMaj(hess);
            org.ejml.dense.row.CommonOps_DDRM.scale(-1, negH);
            assertThat(org.ejml.dense.row.CommonOps_DDRM.solve(negH, new org.ejml.data.DMatrixRMaj(p, 1, true, g), step))
                    .isTrue();
            double before = f.applyAsDouble(theta);
            double scale = 1;
            double[] next = theta;
            for (int halving = 0; halving < 40; halving++) {
                next = theta.clone();
                for (int a = 0; a < p; a++) {
                    next[a] += scale * step.get(a);
                }
                if (f.applyAsDouble(next) >= before) {
                    break;
                }
                scale /= 2;
            }
            double size = 0;
            for (int a = 0; a < p; a++) {
                size = Math.max(size, Math.abs(next[a] - theta[a]));
            }
            theta = next;
            if (size < 1e-12) {
                return theta;
            }
        }
        return theta;
    }

    /** θ with {@code ha} added to entry {@code a} and {@code hb} to entry {@code b} (together when a = b). */
    private static double[] shifted(double[] theta, int a, double ha, int b, double hb) {
        double[] t = theta.clone();
        t[a] += ha;
        t[b] += hb;
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void logLikelihoodNeverDecreasesWithMissingData(CovarianceType type) {
        Dataset data = removeCells(recoveryData(21, 400), 0.2, 22);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type)
                .tolerance(0).maxIterations(40).seed(1).fit(data);
        double[] trace = fit.trace();
        assertThat(trace.length).as("the start and 40 iterations").isEqualTo(41);
        for (int t = 1; t < trace.length; t++) {
            assertThat(trace[t]).as("iteration %d of %s", t, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
        }
        // The reported log-likelihood is the observed-data one, computed directly from the fitted model.
        assertThat(fit.params().logLikelihood(data)).isCloseTo(trace[trace.length - 1], within(1e-9 * Math.abs(trace[40])));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "VEV"})
    void sameSeedGivesTheSameFitForAnyThreadCount(CovarianceType type) {
        Dataset data = removeCells(recoveryData(31, 3000), 0.15, 32);
        EmOptions options = EmOptions.defaults().withBlockSize(300).withMaxIterations(30).withInitializations(2);
        GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(type).options(options);
        EmResult<GaussianMixtureModel> one = config.threads(1).fit(data);
        EmResult<GaussianMixtureModel> three = config.threads(3).fit(data);
        assertThat(three.params()).isEqualTo(one.params());
        assertThat(three.trace()).isEqualTo(one.trace());
    }

    // ------------------------------------------------------------------------------------ against alternatives

    static final double[] TRUE_WEIGHTS = {0.3, 0.45, 0.25};
    static final double[][] TRUE_MEANS = {{0, 0, 0, 0}, {3, 3, 0, -1}, {-2, 3, 3, 1}};
    static final double[][][] TRUE_COVS = {
            {{1.0, 0.6, 0.3, 0.0}, {0.6, 1.0, 0.4, 0.2}, {0.3, 0.4, 1.0, 0.5}, {0.0, 0.2, 0.5, 1.0}},
            {{1.5, -0.6, 0.0, 0.3}, {-0.6, 1.0, 0.2, 0.0}, {0.0, 0.2, 0.8, -0.3}, {0.3, 0.0, -0.3, 1.2}},
            {{0.7, 0.3, 0.3, 0.3}, {0.3, 0.7, 0.3, 0.3}, {0.3, 0.3, 0.7, 0.3}, {0.3, 0.3, 0.3, 0.7}}};

    static Dataset recoveryData(long seed, int n) {
        return TestData.drawMixture(seed, n, TRUE_WEIGHTS, TRUE_MEANS, TRUE_COVS);
    }

    /** The fitted component for each true one: the permutation with the smallest total distance of the means. */
    static int[] bestMatch(double[][] fitted) {
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        int[] best = null;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int[] p : perms) {
            double s = 0;
            for (int c = 0; c < 3; c++) {
                for (int a = 0; a < 4; a++) {
                    s += Math.pow(fitted[p[c]][a] - TRUE_MEANS[c][a], 2);
                }
            }
            if (s < bestDist) {
                bestDist = s;
                best = p;
            }
        }
        return best;
    }

    /** Error of a fit against the generating parameters, components matched by {@link #bestMatch}. */
    record Errors(double means, double covariances, double weights) {
        double total() {
            return means + covariances + weights;
        }
    }

    static Errors errors(GaussianMixtureModel m) {
        int[] match = bestMatch(m.means());
        double em = 0;
        double ec = 0;
        double ew = 0;
        for (int c = 0; c < 3; c++) {
            int f = match[c];
            double[] mu = m.mean(f);
            double[][] cov = m.covariance(f);
            double s = 0;
            double t = 0;
            for (int a = 0; a < 4; a++) {
                s += Math.pow(mu[a] - TRUE_MEANS[c][a], 2);
                for (int b = 0; b < 4; b++) {
                    t += Math.pow(cov[a][b] - TRUE_COVS[c][a][b], 2);
                }
            }
            em += Math.sqrt(s);
            ec += Math.sqrt(t);
            ew += Math.abs(m.weights()[f] - TRUE_WEIGHTS[c]);
        }
        return new Errors(em / 3, ec / 3, ew / 3);
    }

    static Dataset completeCases(Dataset data) {
        return Dataset.of(Arrays.stream(data.toArray()).filter(r -> missing(r).length == 0).toArray(double[][]::new));
    }

    static Dataset meanImputed(Dataset data) {
        double[][] rows = data.toArray();
        int d = data.columns();
        double[] mean = new double[d];
        int[] count = new int[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                if (!Double.isNaN(r[j])) {
                    mean[j] += r[j];
                    count[j]++;
                }
            }
        }
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                if (Double.isNaN(r[j])) {
                    r[j] = mean[j] / count[j];
                }
            }
        }
        return Dataset.of(rows);
    }

    /**
     * The comparison the guide reports ("Missing values"): 10 data sets of 500 rows from a known 4-D,
     * 3-component mixture, 15% of cells removed completely at random; EM with missing values against
     * EM on the complete cases only and EM after mean imputation. Prints the mean errors.
     */
    @Test
    void emWithMissingValuesIsCloserToTheTruthThanCompleteCasesOrMeanImputation() {
        int replications = 10;
        double[][] sums = new double[3][3];
        int emBest = 0;
        for (int rep = 0; rep < replications; rep++) {
            Dataset full = recoveryData(100 + rep, 500);
            Dataset holed = removeCells(full, 0.15, 200 + rep);
            GaussianMixture config = GaussianMixture.withComponents(3).initializations(5).seed(rep).tolerance(1e-6)
                    .maxIterations(500);
            Errors[] e = {errors(config.fit(holed).params()), errors(config.fit(completeCases(holed)).params()),
                    errors(config.fit(meanImputed(holed)).params())};
            for (int m = 0; m < 3; m++) {
                sums[m][0] += e[m].means() / replications;
                sums[m][1] += e[m].covariances() / replications;
                sums[m][2] += e[m].weights() / replications;
            }
            emBest += e[0].total() < e[1].total() && e[0].total() < e[2].total() ? 1 : 0;
        }
        String[] names = {"EM with missing values", "complete cases + EM", "mean imputation + EM"};
        System.out.printf("%-24s %12s %14s %12s%n", "method", "mean error", "cov. error", "weight error");
        for (int m = 0; m < 3; m++) {
            System.out.printf(java.util.Locale.ROOT, "%-24s %12.4f %14.4f %12.4f%n", names[m], sums[m][0], sums[m][1],
                    sums[m][2]);
        }
        System.out.printf("EM with missing values best in %d of %d data sets%n", emBest, replications);
        for (int m = 1; m < 3; m++) {
            assertThat(sums[0][0]).as("mean error vs %s", names[m]).isLessThan(sums[m][0]);
            assertThat(sums[0][1]).as("covariance error vs %s", names[m]).isLessThan(sums[m][1]);
        }
        assertThat(emBest).isGreaterThanOrEqualTo(replications * 7 / 10);
    }

    // ------------------------------------------------------------------------------------ impute

    @Test
    void imputeFillsExactlyTheMissingCellsWithTheConditionalExpectation() {
        Dataset filled = TINY.model().impute(TINY_ROWS);
        assertThat(filled.firstMissing()).isNull();
        for (int i = 0; i < TINY_ROWS.rows(); i++) {
            double[] row = TINY_ROWS.row(i);
            double[] r = normalized(marginalLogJoint(row, TINY));
            int[] m = missing(row);
            double[] expected = new double[m.length];
            for (int c = 0; c < 2; c++) {
                double[] cm = conditionalMean(row, TINY.means()[c], TINY.covariances()[c]);
                for (int q = 0; q < m.length; q++) {
                    expected[q] += r[c] * cm[q];
                }
            }
            for (int j = 0; j < 3; j++) {
                if (Double.isNaN(row[j])) {
                    int q = Arrays.binarySearch(m, j);
                    assertThat(filled.get(i, j)).as("row %d, column %d", i, j).isCloseTo(expected[q], within(1e-10));
                } else {
                    assertThat(filled.get(i, j)).as("observed cell row %d, column %d unchanged", i, j).isEqualTo(row[j]);
                }
            }
        }
        // Nothing observed: the mixture's mean.
        double mixtureMean0 = TINY.weights()[0] * TINY.means()[0][0] + TINY.weights()[1] * TINY.means()[1][0];
        assertThat(filled.get(4, 0)).isCloseTo(mixtureMean0, within(1e-12));
    }

    @Test
    void imputationDrawsKeepObservedCellsAndAverageToTheConditionalExpectation() {
        int draws = 4000;
        List<Dataset> copies = TINY.model().imputeDraws(TINY_ROWS, draws, 7);
        assertThat(copies).hasSize(draws);
        Dataset expected = TINY.model().impute(TINY_ROWS);
        double[][] mean = new double[TINY_ROWS.rows()][3];
        for (Dataset copy : copies) {
            assertThat(copy.firstMissing()).isNull();
            for (int i = 0; i < TINY_ROWS.rows(); i++) {
                for (int j = 0; j < 3; j++) {
                    double v = TINY_ROWS.get(i, j);
                    if (!Double.isNaN(v)) {
                        assertThat(copy.get(i, j)).isEqualTo(v);
                    }
                    mean[i][j] += copy.get(i, j) / draws;
                }
            }
        }
        for (int i = 0; i < TINY_ROWS.rows(); i++) {
            for (int j = 0; j < 3; j++) {
                // Conditional standard deviations here are below 4: 4000 draws put the mean within 0.25 (4 sigma).
                assertThat(mean[i][j]).as("row %d, column %d", i, j).isCloseTo(expected.get(i, j), within(0.25));
            }
        }
        List<Dataset> again = TINY.model().imputeDraws(TINY_ROWS, 3, 7);
        for (int t = 0; t < 3; t++) {
            assertThat(again.get(t).rawValues()).as("same seed, same draws").isEqualTo(copies.get(t).rawValues());
        }
    }

    @Test
    void conditionalDrawsHaveTheConditionalCovariance() {
        // One component: the draws of x_m given x_o follow N(μ_m|o, Σ_m|o) exactly.
        double[][] cov = TRUE_COVS[0];
        GaussianMixtureModel one = GaussianMixtureModel.full(new double[] {1.0}, new double[][] {TRUE_MEANS[1]},
                new double[][][] {cov});
        double[] row = {0.5, NaN, NaN, -1.0};
        List<Dataset> copies = one.imputeDraws(Dataset.of(new double[][] {row}), 20_000, 3);
        double[][] cc = conditionalCovariance(row, cov);
        double[] cm = conditionalMean(row, TRUE_MEANS[1], cov);
        double[] s = new double[2];
        double[][] ss = new double[2][2];
        for (Dataset c : copies) {
            double[] x = {c.get(0, 1) - cm[0], c.get(0, 2) - cm[1]};
            for (int a = 0; a < 2; a++) {
                s[a] += x[a] / copies.size();
                for (int b = 0; b < 2; b++) {
                    ss[a][b] += x[a] * x[b] / copies.size();
                }
            }
        }
        for (int a = 0; a < 2; a++) {
            assertThat(s[a]).isCloseTo(0.0, within(0.03));
            for (int b = 0; b < 2; b++) {
                assertThat(ss[a][b]).isCloseTo(cc[a][b], within(0.03));
            }
        }
    }

    @Test
    void aColumnWithNoObservedValueIsRefused() {
        Dataset data = Dataset.of(new double[][] {{1, NaN}, {2, NaN}, {3, NaN}});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GaussianMixture.withComponents(1).fit(data))
                .hasMessageContaining("column 2 ('x2'): every value is missing");
    }

    @Test
    void expectationOverManyBlocksEqualsTheSumOfItsParts() {
        Dataset data = removeCells(recoveryData(41, 2000), 0.15, 42);
        GaussianMixtureModel model = GaussianMixture.withComponents(3).maxIterations(5).fit(data).params();
        GaussianMixtureSteps steps = new GaussianMixtureSteps(CovarianceType.FULL, 1e-6);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            var whole = ExpectationMaximization.expectation(steps, data, model, 100_000, pool);
            var blocks = ExpectationMaximization.expectation(steps, data, model, 97, pool);
            assertThat(blocks.logLikelihood()).isCloseTo(whole.logLikelihood(), within(1e-8 * Math.abs(whole.logLikelihood())));
            assertThat(blocks.logLikelihood()).isCloseTo(model.logLikelihood(data), within(1e-8 * Math.abs(whole.logLikelihood())));
        } finally {
            pool.shutdown();
        }
    }
}
