package io.emkit.gaussian;

import io.emkit.gaussian.covariance.ConstrainedCovariances;
import io.emkit.TestData;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.io.ModelFiles;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 14 structures {@code Σk = λk Dk Ak Dkᵀ}: EM is monotone for each, the fitted covariances have the
 * constrained form the name promises, and each M-step is at least as good as the previous parameters (and
 * as every more constrained structure's M-step) on the expected complete-data log-likelihood.
 */
class CovarianceStructuresTest {
    private static final Dataset IRIS = TestData.iris();
    private static final Dataset SYNTHETIC = TestData.drawMixture(23, 400, new double[] {0.4, 0.35, 0.25},
            new double[][] {{0, 0, 0}, {2.5, 1, 0}, {0, 2.5, 1.5}},
            new double[][][] {{{1, 0.3, 0}, {0.3, 1, 0.2}, {0, 0.2, 0.6}},
                    {{0.6, -0.2, 0.1}, {-0.2, 0.9, 0}, {0.1, 0, 0.5}},
                    {{1.2, 0.4, 0.3}, {0.4, 0.5, 0}, {0.3, 0, 0.8}}});

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : new String[] {"iris", "synthetic"}) {
            for (CovarianceType t : CovarianceType.all()) {
                out.add(Arguments.of(name, t));
            }
        }
        return out.stream();
    }

    private static Dataset data(String name) {
        return name.equals("iris") ? IRIS : SYNTHETIC;
    }

    @Test
    void allFourteenNamesParseAndTheFourAliasesMapToMclustNames() {
        assertThat(CovarianceType.all()).hasSize(14).doesNotHaveDuplicates();
        assertThat(CovarianceType.all().stream().map(CovarianceType::mclustName)).containsExactly("EII", "VII",
                "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV");
        for (CovarianceType t : CovarianceType.all()) {
            assertThat(CovarianceType.parse(t.mclustName().toLowerCase())).isEqualTo(t);
            assertThat(CovarianceType.parse(t.label())).isEqualTo(t);
        }
        assertThat(CovarianceType.parse("VII")).isEqualTo(CovarianceType.SPHERICAL);
        assertThat(CovarianceType.parse("VVI")).isEqualTo(CovarianceType.DIAG);
        assertThat(CovarianceType.parse("EEE")).isEqualTo(CovarianceType.TIED);
        // mclust's univariate names: the structures with the same volumes.
        assertThat(CovarianceType.parse("E")).isEqualTo(CovarianceType.EII);
        assertThat(CovarianceType.parse(" v ")).isEqualTo(CovarianceType.SPHERICAL);
        assertThat(CovarianceType.parse("VVV")).isEqualTo(CovarianceType.FULL);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void logLikelihoodNeverDecreasesOverFiftyIterations(String name, CovarianceType type) {
        Dataset data = data(name);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type).tolerance(0)
                .maxIterations(50).seed(3).threads(1).fit(data);
        double[] trace = fit.trace();
        if (fit.converged()) {
            // Tolerance 0: only SQUAREM's safeguard stops early, where an EM step would lower the objective.
            assertThat(trace.length).isLessThanOrEqualTo(51);
        } else {
            assertThat(trace).hasSize(51);
        }
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("%s on %s: iteration %d fell from %s", type, name, i, trace[i - 1])
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-10 * Math.abs(trace[i - 1]));
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void fittedCovariancesHaveTheConstrainedForm(String name, CovarianceType type) {
        Dataset data = data(name);
        // One run: with regCovar 0 the search may find an unbounded likelihood (a component on one row, iris VEE),
        // whose covariances are singular; this test is about the M-step's structure, not the search.
        GaussianMixtureModel m = GaussianMixture.withComponents(3).covarianceType(type).regCovar(0).maxIterations(30)
                .initializations(1).seed(3).threads(1).fit(data).params();
        assertConstrainedForm(type, m.covariances(), 1e-8, true);
    }

    /**
     * Checks volume, shape and orientation against the name's letters, to relative tolerance {@code tol};
     * with {@code requireVariation}, also that what the name lets vary does vary.
     */
    static void assertConstrainedForm(CovarianceType type, double[][][] cov, double tol, boolean requireVariation) {
        int k = cov.length;
        int d = cov[0].length;
        String n = type.mclustName();
        double[] volume = new double[k];
        double[][] sortedShape = new double[k][];
        for (int c = 0; c < k; c++) {
            ConstrainedCovariances.Eigen e = ConstrainedCovariances.eigen(flat(cov[c]), d);
            volume[c] = ConstrainedCovariances.geometricMean(e.values());
            sortedShape[c] = new double[d];
            for (int j = 0; j < d; j++) {
                sortedShape[c][j] = e.values()[j] / volume[c];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    assertThat(cov[c][a][b]).as("symmetric").isEqualTo(cov[c][b][a]);
                    if (n.charAt(2) == 'I' && a != b) {
                        assertThat(cov[c][a][b]).as("%s: off-diagonal of component %d", n, c).isZero();
                    }
                }
            }
            if (n.charAt(1) == 'I') {
                for (int j = 0; j < d; j++) {
                    assertThat(cov[c][j][j]).as("%s: spherical", n).isCloseTo(volume[c], within(tol * volume[c]));
                }
            }
        }
        boolean volumesDiffer = false;
        boolean shapesDiffer = false;
        boolean orientationsDiffer = false;
        for (int c = 1; c < k; c++) {
            boolean sameVolume = Math.abs(volume[c] - volume[0]) <= tol * volume[0];
            boolean sameShape = true;
            for (int j = 0; j < d; j++) {
                double a = n.charAt(2) == 'I' ? cov[c][j][j] / volume[c] : sortedShape[c][j];
                double b = n.charAt(2) == 'I' ? cov[0][j][j] / volume[0] : sortedShape[0][j];
                sameShape &= Math.abs(a - b) <= tol * Math.max(a, b);
            }
            // Two symmetric matrices share their eigenvectors if and only if they commute.
            boolean commute = commutatorNorm(cov[0], cov[c]) <= tol * norm(cov[0]) * norm(cov[c]);
            if (n.charAt(0) == 'E') {
                assertThat(sameVolume).as("%s: volume of component %d %s vs %s", n, c, volume[c], volume[0]).isTrue();
            }
            if (n.charAt(1) != 'V') {
                assertThat(sameShape).as("%s: shape of component %d %s vs %s", n, c, Arrays.toString(sortedShape[c]),
                        Arrays.toString(sortedShape[0])).isTrue();
            }
            if (n.charAt(2) != 'V') {
                assertThat(commute).as("%s: orientation of component %d", n, c).isTrue();
            }
            volumesDiffer |= !sameVolume;
            shapesDiffer |= !sameShape;
            orientationsDiffer |= !commute;
        }
        // What varies does vary on these data (the check above is not vacuous).
        if (!requireVariation) {
            return;
        }
        if (n.charAt(0) == 'V') {
            assertThat(volumesDiffer).as("%s: volumes vary", n).isTrue();
        }
        if (n.charAt(1) == 'V') {
            assertThat(shapesDiffer).as("%s: shapes vary", n).isTrue();
        }
        if (n.charAt(2) == 'V') {
            assertThat(orientationsDiffer).as("%s: orientations vary", n).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void mStepDoesNotLowerTheExpectedCompleteDataLogLikelihood(CovarianceType type) {
        SplittableRandom r = new SplittableRandom(41 + type.ordinal());
        for (String name : new String[] {"iris", "synthetic"}) {
            Dataset data = data(name);
            int d = data.columns();
            for (int trial = 0; trial < 5; trial++) {
                GaussianMixtureModel previous = startOf(type, r, data);
                GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 0.0);
                GaussianStatistics s = steps.emptyStatistics(previous);
                steps.accumulate(previous, data, 0, data.rows(), s);
                double[][] resp = previous.predictProba(data);
                GaussianMixtureModel next = steps.maximize(s, previous, w -> { });
                double before = expectedCompleteLogLikelihood(previous, data, resp);
                double after = expectedCompleteLogLikelihood(next, data, resp);
                assertThat(after).as("%s on %s, trial %d", type, name, trial)
                        .isGreaterThanOrEqualTo(before - 1e-10 * Math.abs(before));
                assertConstrainedForm(type, next.covariances(), 1e-8, false);
                // Every more constrained structure's M-step lies inside this one's set: it cannot do better.
                for (CovarianceType sub : CovarianceType.all()) {
                    if (sub != type && contains(type, sub)) {
                        GaussianMixtureSteps subSteps = new GaussianMixtureSteps(sub, 0.0);
                        GaussianStatistics ss = subSteps.emptyStatistics(previous);
                        subSteps.accumulate(previous, data, 0, data.rows(), ss);
                        GaussianMixtureModel subNext = subSteps.maximize(ss, previous, w -> { });
                        double q = expectedCompleteLogLikelihood(subNext, data, resp);
                        assertThat(after).as("%s vs its special case %s on %s, d=%d", type, sub, name, d)
                                .isGreaterThanOrEqualTo(q - 1e-7 * Math.abs(q));
                    }
                }
            }
        }
    }

    /** Whether every letter of {@code sub} is at most as free as {@code type}'s (I ≤ E ≤ V). */
    private static boolean contains(CovarianceType type, CovarianceType sub) {
        String a = type.mclustName();
        String b = sub.mclustName();
        for (int i = 0; i < 3; i++) {
            if (rank(b.charAt(i)) > rank(a.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int rank(char c) {
        return c == 'I' ? 0 : c == 'E' ? 1 : 2;
    }

    /** Random parameters of the structure, with means near the data's. */
    private static GaussianMixtureModel startOf(CovarianceType type, SplittableRandom r, Dataset data) {
        int d = data.columns();
        GaussianReference.Params p = GaussianReference.randomParams(r, type, 3, d, 1.0);
        double[][] mu = p.means();
        for (double[] m : mu) {
            double[] row = data.row(r.nextInt(data.rows()));
            for (int j = 0; j < d; j++) {
                m[j] = row[j] + 0.3 * m[j];
            }
        }
        return GaussianMixtureModel.of(type, p.weights(), mu, p.covariances());
    }

    /** {@code Σi Σc r_ic [log w_c + log N(x_i | μ_c, Σ_c)]}. */
    static double expectedCompleteLogLikelihood(GaussianMixtureModel m, Dataset data, double[][] resp) {
        int k = m.components();
        int n = data.rows();
        double[] dens = new double[n * k];
        m.logComponentDensities(data.rawValues(), 0, n, dens);
        double[] w = m.weights();
        double q = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                if (resp[i][c] > 0) {
                    q += resp[i][c] * (Math.log(w[c]) + dens[i * k + c]);
                }
            }
        }
        return q;
    }

    @Test
    void inOneDimensionEveryStructureIsEqualOrVaryingVariance() {
        Dataset eruptions = TestData.faithful().selectColumns(0);
        double equal = GaussianMixture.withComponents(2).covarianceType(CovarianceType.EII).seed(2).threads(1)
                .fit(eruptions).logLikelihood();
        double varying = GaussianMixture.withComponents(2).covarianceType(CovarianceType.SPHERICAL).seed(2)
                .threads(1).fit(eruptions).logLikelihood();
        assertThat(varying).isGreaterThan(equal + 1);
        for (CovarianceType t : CovarianceType.all()) {
            double ll = GaussianMixture.withComponents(2).covarianceType(t).seed(2).threads(1).fit(eruptions)
                    .logLikelihood();
            assertThat(ll).as("%s", t).isCloseTo(t.equalVolume() ? equal : varying,
                    org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void modelFilesRoundTripEveryStructure(CovarianceType type) throws Exception {
        GaussianMixtureModel m = GaussianMixture.withComponents(2).covarianceType(type).maxIterations(10).seed(1)
                .threads(1).fit(IRIS).params();
        String json = ModelFiles.toJson(m);
        assertThat(json).contains("\"covariance_type\" : \"" + type.label() + "\"");
        GaussianMixtureModel back = (GaussianMixtureModel) ModelFiles.fromJson(json, "test");
        assertThat(back.covarianceType()).isEqualTo(type);
        assertThat(back.predictProba(IRIS)).isDeepEqualTo(m.predictProba(IRIS));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.api.Assertions.within(v);
    }

    private static double[] flat(double[][] a) {
        int d = a.length;
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a[i], 0, out, i * d, d);
        }
        return out;
    }

    private static double commutatorNorm(double[][] a, double[][] b) {
        int d = a.length;
        DMatrixRMaj x = DMatrixRMaj.wrap(d, d, flat(a));
        DMatrixRMaj y = DMatrixRMaj.wrap(d, d, flat(b));
        DMatrixRMaj xy = new DMatrixRMaj(d, d);
        DMatrixRMaj yx = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(x, y, xy);
        CommonOps_DDRM.mult(y, x, yx);
        CommonOps_DDRM.subtractEquals(xy, yx);
        return CommonOps_DDRM.elementMaxAbs(xy);
    }

    private static double norm(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }
}
