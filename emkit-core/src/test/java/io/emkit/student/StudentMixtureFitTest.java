package io.emkit.student;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Fits of t mixtures: recovery of a known t mixture within sampling error, the Gaussian limit, EM's
 * monotonicity per iteration, and determinism across thread counts.
 */
class StudentMixtureFitTest {
    private static final double[] WEIGHTS = {0.5, 0.3, 0.2};
    private static final double[][] MEANS = {{0, 0}, {6, 1}, {1, 7}};
    private static final double[][][] SCALES = {{{1, 0.3}, {0.3, 1}}, {{0.6, -0.2}, {-0.2, 0.9}}, {{1.2, 0.4}, {0.4, 0.5}}};
    private static final int[] DOF = {3, 6, 10};
    private static final int N = 30_000;
    private static final Dataset T_DATA = StudentData.draw(7, N, WEIGHTS, MEANS, SCALES, DOF);

    private static GaussianMixture gaussian(int k, CovarianceType type) {
        return GaussianMixture.withComponents(k).covarianceType(type).seed(3).threads(1);
    }

    /** A quick search: the fits below find their optimum with it, in a fraction of the default's time. */
    private static GaussianMixture quick(int k, CovarianceType type) {
        return gaussian(k, type).options(EmOptions.defaults().withSeed(3).withThreads(1).withSearch(Search.Level.QUICK));
    }

    @Test
    void recoversAKnownTMixtureWithinSamplingError() {
        EmResult<StudentMixtureModel> fit = StudentMixture.like(quick(3, CovarianceType.FULL)).fit(T_DATA);
        StudentMixtureModel m = fit.params();
        int[] order = matchTo(m);
        double[] w = m.weights();
        double[] nu = m.degreesOfFreedom();
        for (int c = 0; c < 3; c++) {
            int f = order[c];
            double nc = N * WEIGHTS[c];
            // Weights: binomial standard error; locations: the t's standard deviation over √n_k (the ML estimate
            // is more efficient than the mean), both within 4 standard errors.
            assertThat(w[f]).as("weight %d", c).isCloseTo(WEIGHTS[c], within(4 * Math.sqrt(WEIGHTS[c] * (1 - WEIGHTS[c]) / N)));
            double[] mean = m.scales().mean(f);
            double[][] scale = m.scales().covariance(f);
            for (int j = 0; j < 2; j++) {
                double sd = Math.sqrt(SCALES[c][j][j] * DOF[c] / (DOF[c] - 2.0));
                assertThat(mean[j]).as("mean %d[%d]", c, j).isCloseTo(MEANS[c][j], within(4 * sd / Math.sqrt(nc)));
                for (int l = 0; l < 2; l++) {
                    // The scale matrix to within 10% of its diagonal (its standard error here is 1–3%).
                    assertThat(scale[j][l]).as("scale %d[%d][%d]", c, j, l)
                            .isCloseTo(SCALES[c][j][l], within(0.1 * Math.sqrt(SCALES[c][j][j] * SCALES[c][l][l])));
                }
            }
            // ν's standard error grows like ν²: about 0.1 at ν = 3 with 15,000 rows, about 2 at ν = 10 with 6,000.
            assertThat(nu[f]).as("df %d", c).isCloseTo(DOF[c], within(DOF[c] * DOF[c] / 15.0 + 0.3));
        }
        assertThat(fit.warnings()).isEmpty();
    }

    @Test
    void farOutliersNeitherTakeAComponentNorDragAMean() {
        // Two Gaussian clusters and 3% of rows scattered 40 to 80 units away: the t fit keeps both components on
        // the clusters, and the outliers end in the tails (a low ν). A Gaussian fit with the same search spends a
        // component on the outliers (weight 0.03, mean near (−12, −11)) and merges the two clusters.
        double[][] x = TestData.drawMixture(21, 600, new double[] {0.5, 0.5}, new double[][] {{0, 0}, {6, 2}},
                new double[][][] {SCALES[0], SCALES[1]}).toArray();
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int i = 0; i < x.length; i += 33) {
            double angle = 2 * Math.PI * random.nextDouble();
            double radius = 40 + 40 * random.nextDouble();
            x[i] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
        }
        StudentMixtureModel m = StudentMixture.like(quick(2, CovarianceType.FULL)).fit(Dataset.of(x)).params();
        double[][] truth = {{0, 0}, {6, 2}};
        for (double[] centre : truth) {
            double nearest = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 2; c++) {
                double[] mu = m.scales().mean(c);
                nearest = Math.min(nearest, Math.hypot(mu[0] - centre[0], mu[1] - centre[1]));
            }
            assertThat(nearest).as("a location near %s", Arrays.toString(centre)).isLessThan(0.3);
        }
        assertThat(Math.min(m.degreesOfFreedom()[0], m.degreesOfFreedom()[1])).isLessThan(5);
    }

    @Test
    void anEqualConstraintFitsOneDegreeOfFreedom() {
        Dataset data = StudentData.draw(8, 10_000, new double[] {0.6, 0.4}, new double[][] {{0, 0}, {5, 5}},
                new double[][][] {SCALES[0], SCALES[1]}, new int[] {4, 4});
        StudentMixtureModel m = StudentMixture.like(quick(2, CovarianceType.FULL))
                .degreesOfFreedom(DegreesOfFreedom.equal()).fit(data).params();
        double[] nu = m.degreesOfFreedom();
        assertThat(nu[0]).isEqualTo(nu[1]).isCloseTo(4, within(0.6));
        assertThat(m.parameterCount()).isEqualTo(1 + 4 + 6 + 1);
    }

    /**
     * A component far from every row holds a total responsibility that differs at every step but is empty at each:
     * the fit reports it once, in the same words as a Gaussian mixture (it was one warning per step, each with its
     * own number).
     */
    @Test
    void anEmptyComponentIsReportedOnce() {
        Dataset data = TestData.drawMixture(11, 600, WEIGHTS, MEANS, SCALES);
        double[][] identity = {{1, 0}, {0, 1}};
        GaussianMixtureModel scales = GaussianMixtureModel.full(new double[] {0.4, 0.4, 0.2},
                new double[][] {MEANS[0], MEANS[1], {-1e4, -1e4}}, new double[][][] {identity, identity, identity});
        EmResult<StudentMixtureModel> fit = StudentMixture.like(GaussianMixture.withComponents(3).maxIterations(20)
                        .threads(1))
                .degreesOfFreedom(DegreesOfFreedom.fixed(5))
                .initialModel(new StudentMixtureModel(scales, new double[] {5, 5, 5}, DegreesOfFreedom.Constraint.FIXED))
                .fit(data);
        assertThat(fit.warnings().stream().filter(w -> w.contains("empty")))
                .as("warnings %s", fit.warnings())
                .containsExactly("component 3 is empty (its total responsibility under 1e-10 of the rows'); it keeps"
                        + " its last location and scale with weight ~0; fewer components may fit better");
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL", "TIED", "VEV", "EEI"})
    void withHugeFixedDegreesOfFreedomTheFitIsTheGaussianFit(CovarianceType type) {
        Dataset data = TestData.drawMixture(11, 600, WEIGHTS, MEANS, SCALES);
        EmOptions plain = EmOptions.defaults().withAcceleration(Acceleration.NONE).withTolerance(0).withMaxIterations(40)
                .withThreads(1);
        GaussianMixtureModel start = GaussianMixture.withComponents(3).covarianceType(type).options(plain)
                .maxIterations(1).fit(data).params();
        GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(type).options(plain)
                .initialModel(start);
        EmResult<GaussianMixtureModel> g = config.fit(data);
        double nu = 1e8;
        EmResult<StudentMixtureModel> t = StudentMixture.like(config.initialModel(null))
                .degreesOfFreedom(DegreesOfFreedom.fixed(nu))
                .initialModel(new StudentMixtureModel(start, new double[] {nu, nu, nu}, DegreesOfFreedom.Constraint.FIXED))
                .fit(data);
        assertThat(t.iterations()).isEqualTo(g.iterations());
        assertThat(t.logLikelihood()).isCloseTo(g.logLikelihood(), within(1e-6 * Math.abs(g.logLikelihood())));
        GaussianMixtureModel gm = g.params();
        GaussianMixtureModel tm = t.params().scales();
        for (int c = 0; c < 3; c++) {
            assertThat(tm.weights()[c]).isCloseTo(gm.weights()[c], within(1e-6));
            double[] gMean = gm.mean(c);
            double[] tMean = tm.mean(c);
            double[][] gCov = gm.covariance(c);
            double[][] tCov = tm.covariance(c);
            for (int j = 0; j < 2; j++) {
                assertThat(tMean[j]).isCloseTo(gMean[j], within(1e-6 * (1 + Math.abs(gMean[j]))));
                for (int l = 0; l < 2; l++) {
                    assertThat(tCov[j][l]).isCloseTo(gCov[j][l], within(1e-6 * Math.sqrt(gCov[j][j] * gCov[l][l])));
                }
            }
        }
    }

    static Stream<Arguments> monotonicityCases() {
        Dataset outliers = withOutliers(TestData.drawMixture(5, 500, new double[] {0.5, 0.5},
                new double[][] {{0, 0}, {4, 2}}, new double[][][] {SCALES[0], SCALES[2]}));
        List<Arguments> out = new ArrayList<>();
        for (Acceleration a : Acceleration.values()) {
            for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.DIAG, CovarianceType.SPHERICAL,
                    CovarianceType.TIED, CovarianceType.VVE, CovarianceType.EEV)) {
                out.add(Arguments.of("iris", TestData.iris(), 3, type, DegreesOfFreedom.free(), a));
                out.add(Arguments.of("faithful", TestData.faithful(), 2, type, DegreesOfFreedom.equal(), a));
                out.add(Arguments.of("t data", T_DATA.slice(0, 3000), 3, type, DegreesOfFreedom.free(), a));
                out.add(Arguments.of("outliers", outliers, 2, type, DegreesOfFreedom.free(), a));
            }
            out.add(Arguments.of("outliers, fixed", outliers, 2, CovarianceType.FULL, DegreesOfFreedom.fixed(2.5), a));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, K = {2}, {3}, {4}, {5}")
    @MethodSource("monotonicityCases")
    void theLogLikelihoodNeverDecreases(String name, Dataset data, int k, CovarianceType type, DegreesOfFreedom dof,
                                        Acceleration acceleration) {
        int iterations = 60;
        GaussianMixture config = gaussian(k, type).options(EmOptions.defaults().withAcceleration(acceleration)
                .withSeed(3).withThreads(1).withTolerance(0).withMaxIterations(iterations));
        EmResult<StudentMixtureModel> fit = StudentMixture.like(config).degreesOfFreedom(dof).fit(data);
        double[] trace = fit.trace();
        if (acceleration == Acceleration.NONE) {
            assertThat(trace).as("one entry for the start and one per E-step after it").hasSize(iterations + 1);
        } else {
            // Tolerance 0: an accelerated run stops early only where an EM step would lower the objective.
            assertThat(trace.length).isLessThanOrEqualTo(iterations + 1);
        }
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("log-likelihood after M-step %d fell from %s", i, trace[i - 1])
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-10 * Math.abs(trace[i - 1]));
        }
        assertThat(fit.params().logLikelihood(data)).isCloseTo(fit.logLikelihood(),
                within(1e-9 * Math.abs(fit.logLikelihood())));
    }

    @Test
    void theSameSeedGivesTheSameBitsOnAnyNumberOfThreads() {
        Dataset data = T_DATA.slice(0, 9000);
        EmResult<StudentMixtureModel> one = fitWithThreads(data, 1);
        for (int threads : new int[] {2, 3}) {
            EmResult<StudentMixtureModel> other = fitWithThreads(data, threads);
            assertThat(other.params()).isEqualTo(one.params());
            assertThat(other.trace()).containsExactly(one.trace());
        }
    }

    private static EmResult<StudentMixtureModel> fitWithThreads(Dataset data, int threads) {
        GaussianMixture config = GaussianMixture.withComponents(3)
                .options(EmOptions.defaults().withSeed(42).withThreads(threads).withBlockSize(500).withInitializations(2));
        return StudentMixture.like(config).fit(data);
    }

    @Test
    void aRowOfWeightTwoCountsAsTwoCopies() {
        Dataset data = T_DATA.slice(0, 400);
        double[][] rows = data.toArray();
        double[] weights = new double[rows.length];
        List<double[]> copies = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            weights[i] = i % 3 == 0 ? 2 : 1;
            for (int r = 0; r < weights[i]; r++) {
                copies.add(rows[i]);
            }
        }
        EmOptions plain = EmOptions.defaults().withAcceleration(Acceleration.NONE).withTolerance(0).withMaxIterations(25)
                .withThreads(1);
        GaussianMixtureModel start = GaussianMixture.withComponents(3).options(plain).maxIterations(2).fit(data).params();
        StudentMixture config = StudentMixture.like(GaussianMixture.withComponents(3).options(plain))
                .initialModel(new StudentMixtureModel(start, new double[] {5, 5, 5}, DegreesOfFreedom.Constraint.FREE));
        EmResult<StudentMixtureModel> weighted = config.fit(data.withWeights(weights));
        EmResult<StudentMixtureModel> copied = config.fit(Dataset.of(copies.toArray(new double[0][])));
        assertThat(weighted.logLikelihood()).isCloseTo(copied.logLikelihood(), within(1e-9 * Math.abs(copied.logLikelihood())));
        double[] a = weighted.params().degreesOfFreedom();
        double[] b = copied.params().degreesOfFreedom();
        for (int c = 0; c < 3; c++) {
            assertThat(a[c]).isCloseTo(b[c], within(1e-8 * b[c]));
            assertThat(weighted.params().scales().mean(c)[0]).isCloseTo(copied.params().scales().mean(c)[0], within(1e-9));
        }
    }

    @Test
    void gaussianDataSendTheDegreesOfFreedomOffWithAWarningAndNoNaN() {
        Dataset data = TestData.drawMixture(9, 3000, new double[] {0.5, 0.5}, new double[][] {{0, 0}, {5, 0}},
                new double[][][] {SCALES[0], SCALES[1]});
        EmResult<StudentMixtureModel> fit = StudentMixture.like(quick(2, CovarianceType.FULL)).fit(data);
        double[] nu = fit.params().degreesOfFreedom();
        for (double v : nu) {
            assertThat(v).isGreaterThan(StudentMixtureSteps.GAUSSIAN_LIKE).isLessThanOrEqualTo(DegreesOfFreedom.MAX);
        }
        assertThat(fit.logLikelihood()).isFinite();
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("infinity").contains("--distribution gaussian"));
    }

    @Test
    void sampledRowsHaveTheTsCovariance() {
        double nu = 5;
        StudentMixtureModel m = new StudentMixtureModel(GaussianMixtureModel.full(new double[] {1},
                new double[][] {{1, -2}}, new double[][][] {SCALES[0]}), new double[] {nu},
                DegreesOfFreedom.Constraint.FIXED);
        int n = 400_000;
        double[][] x = m.sample(n, 17).data().toArray();
        double[] mean = new double[2];
        for (double[] r : x) {
            mean[0] += r[0] / n;
            mean[1] += r[1] / n;
        }
        assertThat(mean[0]).isCloseTo(1, within(0.01));
        assertThat(mean[1]).isCloseTo(-2, within(0.01));
        double[][] cov = new double[2][2];
        int beyond = 0;
        for (double[] r : x) {
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    cov[a][b] += (r[a] - mean[a]) * (r[b] - mean[b]) / n;
                }
            }
            beyond += Math.abs(r[0] - 1) > 3 * Math.sqrt(SCALES[0][0][0]) ? 1 : 0;
        }
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                // Var = ν/(ν − 2) Σ; the sample variance of a t with 5 df converges slowly (infinite kurtosis).
                assertThat(cov[a][b]).isCloseTo(nu / (nu - 2) * SCALES[0][a][b], within(0.05));
            }
        }
        // P(|T5| > 3) = 0.030099 (a univariate t with 5 df, tables).
        assertThat(beyond / (double) n).isCloseTo(0.030099, within(0.0015));
    }

    @Test
    void selectionCountsTheDegreesOfFreedomInBic() {
        Dataset data = T_DATA.slice(0, 4000);
        io.emkit.select.SelectionResult r = io.emkit.select.ModelSelection.of(List.of(2, 3), List.of(CovarianceType.FULL,
                CovarianceType.DIAG)).studentT(DegreesOfFreedom.free())
                .fitting(GaussianMixture.withComponents(1).options(EmOptions.defaults().withSeed(1).withThreads(1)
                        .withInitializations(1))).run(data);
        for (io.emkit.select.Candidate c : r.candidates()) {
            assertThat(c.succeeded()).as(c.name()).isTrue();
            int k = c.components();
            int covariance = c.covariance() == CovarianceType.FULL ? 3 * k : 2 * k;
            assertThat(c.parameterCount()).as(c.name()).isEqualTo(k - 1 + 2 * k + covariance + k);
            assertThat(c.model()).isInstanceOf(StudentMixtureModel.class);
            assertThat(c.bic()).isCloseTo(-2 * c.logLikelihood() + c.parameterCount() * Math.log(data.rows()), within(1e-6));
        }
        assertThat(r.best().orElseThrow().components()).isEqualTo(3);
        assertThat(r.best().orElseThrow().covariance()).isEqualTo(CovarianceType.FULL);
    }

    /** The fitted component that best matches each true one (by location). */
    private static int[] matchTo(StudentMixtureModel m) {
        int[] order = new int[MEANS.length];
        for (int c = 0; c < MEANS.length; c++) {
            double best = Double.POSITIVE_INFINITY;
            for (int f = 0; f < m.components(); f++) {
                double[] mu = m.scales().mean(f);
                double dist = Math.hypot(mu[0] - MEANS[c][0], mu[1] - MEANS[c][1]);
                if (dist < best) {
                    best = dist;
                    order[c] = f;
                }
            }
        }
        assertThat(Arrays.stream(order).distinct().count()).isEqualTo(MEANS.length);
        return order;
    }

    /** The data with 5% of rows moved far away in random directions. */
    private static Dataset withOutliers(Dataset data) {
        double[][] x = data.toArray();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < x.length; i += 20) {
            x[i][0] += 30 * random.nextGaussian();
            x[i][1] += 30 * random.nextGaussian();
        }
        return Dataset.of(x);
    }
}
