package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import io.emkit.kmeans.KMeans;
import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Awkward data: constant columns, duplicates, as many components as distinct rows, collapsing and empty
 * components, data far from the origin, and the input errors that must be refused with a clear message.
 * Whatever happens, no NaN reaches the result.
 */
class DegenerateDataTest {

    private static void assertSane(EmResult<GaussianMixtureModel> fit, Dataset data) {
        GaussianMixtureModel m = fit.params();
        assertThat(GaussianReference.modelHasNonFinite(m)).as("NaN or infinity in the model %s", m).isFalse();
        assertThat(fit.logLikelihood()).as("log-likelihood").isFinite();
        for (double v : fit.trace()) {
            assertThat(v).as("trace entry").isFinite();
        }
        for (double v : m.scoreSamples(data)) {
            assertThat(v).as("scoreSamples").isFinite();
        }
        for (double[] row : m.predictProba(data)) {
            for (double v : row) {
                assertThat(v).as("predictProba").isBetween(0.0, 1.0);
            }
        }
        assertThat(fit.bic()).isFinite();
        assertThat(fit.aic()).isFinite();
        double sum = 0;
        for (double w : m.weights()) {
            sum += w;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    private static Dataset gaussianRows(long seed, int n, int d, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = scale * r.nextGaussian() + (i % 2 == 0 ? 0 : 5);
            }
        }
        return Dataset.of(x);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void constantColumnGivesFiniteFit(CovarianceType type) {
        Dataset base = gaussianRows(1, 300, 2, 1.0);
        double[][] x = base.toArray();
        for (double[] row : x) {
            row[1] = 3.25;
        }
        Dataset data = Dataset.of(x);
        for (Initialization init : Initialization.values()) {
            EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).covarianceType(type)
                    .initialization(init).seed(2).threads(1).fit(data);
            assertSane(fit, data);
            for (int c = 0; c < 2; c++) {
                assertThat(fit.params().mean(c)[1]).as("mean of the constant column").isCloseTo(3.25,
                        org.assertj.core.api.Assertions.within(1e-9));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void manyDuplicateRowsGiveFiniteFit(CovarianceType type) {
        double[][] distinct = {{0, 0}, {1, 0}, {0, 1}, {5, 5}};
        double[][] x = new double[400][];
        for (int i = 0; i < x.length; i++) {
            x[i] = distinct[i % distinct.length].clone();
        }
        Dataset data = Dataset.of(x);
        for (int k = 1; k <= 4; k++) {
            for (Initialization init : Initialization.values()) {
                EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(k).covarianceType(type)
                        .initialization(init).seed(k).threads(1).fit(data);
                assertSane(fit, data);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void asManyComponentsAsDistinctRowsGivesFiniteFitAndWarnsOfComponentsOnSingleRows(CovarianceType type) {
        double[][] x = {{0, 0}, {1, 0}, {0, 1}, {4, 4}, {-3, 2}};
        Dataset data = Dataset.of(x);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(5).covarianceType(type).seed(3)
                .threads(1).fit(data);
        assertSane(fit, data);
        if (type != CovarianceType.TIED) {
            // Each component ends on one row (or less): its covariance is held up by regCovar alone.
            assertThat(fit.warnings()).as("warnings").isNotEmpty();
        }
    }

    @Test
    void componentCollapsingOntoOneOutlierIsReportedAndStaysFinite() {
        Dataset base = gaussianRows(4, 400, 2, 1.0);
        double[][] x = base.toArray();
        double[][] withOutlier = java.util.Arrays.copyOf(x, x.length + 1);
        withOutlier[x.length] = new double[] {200, -300};
        Dataset data = Dataset.of(withOutlier);
        // Warm start: one component on the outlier, the others on the bulk.
        GaussianMixtureModel start = GaussianMixtureModel.full(new double[] {0.45, 0.45, 0.1},
                new double[][] {{0, 0}, {5, 5}, {200, -300}},
                new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).initialModel(start).maxIterations(50)
                .threads(1).fit(data);
        assertSane(fit, data);
        GaussianMixtureModel m = fit.params();
        assertThat(m.mean(2)).containsExactly(new double[] {200, -300},
                org.assertj.core.api.Assertions.within(1e-6));
        assertThat(m.weights()[2]).isCloseTo(1.0 / data.rows(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.covariance(2)[0][0]).as("collapsed variance is regCovar").isCloseTo(1e-6,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(fit.warnings()).as("a warning names the component resting on one row")
                .anySatisfy(w -> assertThat(w).contains("component 3"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void emptyComponentKeepsFiniteParametersAndIsReported(CovarianceType type) {
        Dataset data = gaussianRows(5, 500, 2, 1.0);
        double[] w = {0.5, 0.3, 0.2};
        double[][] mu = {{0, 0}, {5, 5}, {1e4, -1e4}};
        GaussianMixtureModel start = switch (type) {
            case FULL -> GaussianMixtureModel.full(w, mu, new double[][][] {
                    {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
            case DIAG -> GaussianMixtureModel.diag(w, mu, new double[][] {{1, 1}, {1, 1}, {1, 1}});
            case SPHERICAL -> GaussianMixtureModel.spherical(w, mu, new double[] {1, 1, 1});
            case TIED -> GaussianMixtureModel.tied(w, mu, new double[][] {{1, 0}, {0, 1}});
            default -> GaussianMixtureModel.of(type, w, mu, new double[][][] {
                    {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
        };
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type)
                .initialModel(start).maxIterations(20).threads(1).fit(data);
        assertSane(fit, data);
        assertThat(fit.params().weights()[2]).as("weight of the empty component").isLessThan(1e-10);
        assertThat(fit.params().mean(2)).as("the empty component keeps its mean").containsExactly(1e4, -1e4);
        assertThat(fit.warnings()).as("warnings").anySatisfy(s -> assertThat(s).contains("component 3")
                .contains("empty"));
    }

    /**
     * A component far from every row holds a total responsibility that differs at every step (5.7e-18, 3.6e-37,
     * 2.2e-56, … down to 0) but is empty at each: the fit reports it once, in the same words at every step (it was
     * one warning per step, each with its own number).
     */
    @Test
    void anEmptyComponentIsReportedOnceWhateverItHolds() {
        Dataset data = gaussianRows(5, 500, 2, 1.0);
        GaussianMixtureModel start = GaussianMixtureModel.full(new double[] {0.4, 0.4, 0.2},
                new double[][] {{0, 0}, {5, 5}, {-9, -9}},
                new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).initialModel(start).maxIterations(20)
                .threads(1).fit(data);
        assertThat(fit.warnings().stream().filter(w -> w.contains("empty")))
                .as("warnings %s", fit.warnings())
                .containsExactly("component 3 is empty (its total responsibility under 1e-10 of the rows'); it keeps"
                        + " its last mean and covariance with weight ~0; fewer components may fit better");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void singularCovarianceWithoutRegularisationIsJitteredWithAWarning(CovarianceType type) {
        // Three distinct points per component, all on a line: a singular full covariance; with K=2 and
        // duplicate points a diagonal variance of zero appears too.
        double[][] x = new double[300][];
        for (int i = 0; i < x.length; i++) {
            int p = i % 3;
            x[i] = i % 2 == 0 ? new double[] {p, 2 * p} : new double[] {10 + p, 10};
        }
        Dataset data = Dataset.of(x);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).covarianceType(type).regCovar(0)
                .seed(1).threads(1).fit(data);
        assertSane(fit, data);
        // Full: the first cluster lies on a line. Diag: the second cluster has zero variance in y.
        // (Tied pools both clusters into a regular matrix; spherical averages the variances.)
        if (type == CovarianceType.FULL || type == CovarianceType.DIAG) {
            assertThat(fit.warnings()).as("warnings").anySatisfy(s -> assertThat(s).contains("singular"));
        }
    }

    /**
     * Without regularisation a component that settles on one repeated value has covariance exactly zero
     * (up to rounding). It must keep its rows (weight copies/n, mean at the value) and EM must not end
     * below where it started; full, diag and spherical are the same model in 1-D and must behave alike.
     */
    @ParameterizedTest(name = "{0}, {1} x {2}")
    @org.junit.jupiter.params.provider.CsvSource({
            "FULL, 1.824, 10", "DIAG, 1.824, 10", "SPHERICAL, 1.824, 10",
            "FULL, 3.972, 10", "DIAG, 3.972, 10", "SPHERICAL, 3.972, 10",
            "FULL, 0.44, 3", "DIAG, 0.44, 3", "SPHERICAL, 0.44, 3",
            "FULL, 1.965, 5", "DIAG, 1.965, 5", "SPHERICAL, 1.965, 5",
            "FULL, 1.821, 9", "DIAG, 1.821, 9", "SPHERICAL, 1.821, 9"})
    void componentCollapsingOntoARepeatedValueWithoutRegularisationKeepsItsRows(CovarianceType type, double value,
                                                                               int copies) {
        double[] x = new double[copies + 6];
        java.util.Arrays.fill(x, 0, copies, value);
        for (int i = 0; i < 6; i++) {
            x[copies + i] = 20 + i;
        }
        Dataset data = Dataset.ofColumn(x);
        double[] w = {0.5, 0.5};
        double[][] mu = {{value + 0.5}, {22}};
        GaussianMixtureModel start = switch (type) {
            case FULL -> GaussianMixtureModel.full(w, mu, new double[][][] {{{1}}, {{4}}});
            case DIAG -> GaussianMixtureModel.diag(w, mu, new double[][] {{1}, {4}});
            case SPHERICAL -> GaussianMixtureModel.spherical(w, mu, new double[] {1, 4});
            default -> throw new AssertionError();
        };
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).covarianceType(type).regCovar(0)
                .initialModel(start).tolerance(0).maxIterations(20).threads(1).fit(data);
        assertSane(fit, data);
        GaussianMixtureModel m = fit.params();
        assertThat(m.weights()[0]).as("the collapsed component keeps its %d rows; warnings %s", copies,
                fit.warnings()).isCloseTo((double) copies / x.length, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.mean(0)[0]).isCloseTo(value, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(fit.warnings()).as("the collapse is reported").anySatisfy(s -> assertThat(s).contains("singular"));
        assertThat(fit.warnings()).as("the collapsed component is not empty")
                .noneSatisfy(s -> assertThat(s).contains("empty"));
        double[] t = fit.trace();
        assertThat(t[t.length - 1]).as("EM ends no lower than it started: trace %s", java.util.Arrays.toString(t))
                .isGreaterThanOrEqualTo(t[0]);
    }

    /**
     * A binary column (as scikit-learn's diabetes data have one): a full covariance per component fitted to the rows
     * of one value has no variance there, and its likelihood grows without bound. Every start ends so, and the answer
     * a user gets says what it is; the same rows without that column get no such warning.
     */
    @Test
    void aFitCollapsedOntoABinaryColumnSaysSoInItsWarnings() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 300;
        double[][] withBinary = new double[n][];
        double[][] without = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = 0.5 * a + r.nextGaussian();
            withBinary[i] = new double[] {a, b, r.nextBoolean() ? 1 : 0};
            without[i] = new double[] {a, b};
        }
        GaussianMixture g = GaussianMixture.withComponents(2).threads(1);
        EmResult<GaussianMixtureModel> collapsed = g.fit(Dataset.of(withBinary));
        assertSane(collapsed, Dataset.of(withBinary));
        String reason = collapsed.params().spuriousReason(g.regCovar());
        assertThat(reason).as("the fit has collapsed onto the binary column").contains("has collapsed");
        assertThat(collapsed.warnings()).as("its warnings").contains(reason);
        EmResult<GaussianMixtureModel> proper = g.fit(Dataset.of(without));
        assertThat(proper.params().spuriousReason(g.regCovar())).as("a proper fit").isNull();
        assertThat(proper.warnings()).as("no collapse reported").noneSatisfy(w -> assertThat(w).contains("collapsed"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void dataFarFromTheOriginFitLikeTheSameDataNearIt(CovarianceType type) {
        double offset = 1e6;
        Dataset near = TestData.drawMixture(8, 2000, new double[] {0.5, 0.5},
                new double[][] {{0, 0}, {1, 0.5}}, new double[][][] {
                        {{0.01, 0.004}, {0.004, 0.02}}, {{0.02, -0.005}, {-0.005, 0.01}}});
        double[][] far = near.toArray();
        double[][] back = new double[far.length][];
        for (int i = 0; i < far.length; i++) {
            for (int j = 0; j < 2; j++) {
                far[i][j] += offset;
            }
            back[i] = new double[] {far[i][0] - offset, far[i][1] - offset}; // exact: Sterbenz
        }
        Dataset farData = Dataset.of(far);
        Dataset nearData = Dataset.of(back);
        GaussianMixture g = GaussianMixture.withComponents(2).covarianceType(type).tolerance(0).maxIterations(60)
                .seed(4).threads(1);
        EmResult<GaussianMixtureModel> fFar = g.fit(farData);
        EmResult<GaussianMixtureModel> fNear = g.fit(nearData);
        assertSane(fFar, farData);
        assertThat(fFar.warnings()).as("no warnings far from the origin").isEmpty();
        GaussianMixtureModel a = fFar.params();
        GaussianMixtureModel b = fNear.params();
        int[] match = GaussianReference.matchByNearestMean(
                new double[][] {sub(a.mean(0), offset), sub(a.mean(1), offset)}, b.means());
        for (int c = 0; c < 2; c++) {
            int f = match[c];
            assertThat(a.weights()[f]).isCloseTo(b.weights()[c], org.assertj.core.api.Assertions.within(1e-6));
            double[] ma = sub(a.mean(f), offset);
            for (int j = 0; j < 2; j++) {
                assertThat(ma[j]).as("mean %d[%d]", c, j).isCloseTo(b.mean(c)[j],
                        org.assertj.core.api.Assertions.within(1e-6));
            }
            double[][] ca = a.covariance(f);
            double[][] cb = b.covariance(c);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    assertThat(GaussianReference.close(ca[i][j], cb[i][j], 1e-5, Math.sqrt(cb[i][i] * cb[j][j])))
                            .as("covariance %d[%d][%d]: %s far vs %s near", c, i, j, ca[i][j], cb[i][j]).isTrue();
                }
            }
        }
        assertThat(GaussianReference.close(fFar.logLikelihood(), fNear.logLikelihood(), 1e-7, 1))
                .as("log-likelihood far %s vs near %s", fFar.logLikelihood(), fNear.logLikelihood()).isTrue();
    }

    private static double[] sub(double[] v, double s) {
        double[] out = v.clone();
        for (int j = 0; j < out.length; j++) {
            out[j] -= s;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ refused input

    @Test
    void moreComponentsThanDistinctRowsIsRefusedNamingBothCounts() {
        Dataset data = Dataset.of(new double[][] {{1, 2}, {1, 2}, {3, 4}, {3, 4}, {1, 2}});
        assertThatThrownBy(() -> GaussianMixture.withComponents(3).fit(data))
                .isInstanceOf(EmkitException.class)
                .hasMessageContaining("3 components")
                .hasMessageContaining("2 distinct");
    }

    @Test
    void rowsDifferingOnlyInTheSignOfZeroAreOneDistinctRow() {
        // 0.0 == -0.0: these are two distinct points, not three.
        Dataset data = Dataset.of(new double[][] {{0.0, 1.0}, {-0.0, 1.0}, {2.0, 2.0}, {0.0, 1.0}});
        assertThatThrownBy(() -> GaussianMixture.withComponents(3).fit(data))
                .isInstanceOf(EmkitException.class)
                .hasMessageContaining("3 components")
                .hasMessageContaining("2 distinct");
    }

    @Test
    void nanInDataIsFittedAsMissingByMixturesAndRefusedByKMeansNamingRowAndColumn() {
        double[][] x = new double[10][3];
        for (int i = 0; i < 10; i++) {
            x[i] = new double[] {i, i * i, -i};
        }
        x[6][2] = Double.NaN;
        Dataset data = Dataset.of(x);
        GaussianMixtureModel fitted = GaussianMixture.withComponents(2).fit(data).params();
        assertThat(GaussianReference.modelHasNonFinite(fitted)).isFalse();
        assertThatThrownBy(() -> KMeans.withClusters(2).fit(data))
                .isInstanceOf(EmkitException.class)
                .hasMessageContaining("row 7")
                .hasMessageContaining("column 3");
    }

    @Test
    void infinityInDataIsRefusedNamingRowAndColumn() {
        double[][] x = new double[10][2];
        for (int i = 0; i < 10; i++) {
            x[i] = new double[] {i, -i};
        }
        x[3][0] = Double.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> GaussianMixture.withComponents(2).fit(Dataset.of(x)))
                .isInstanceOf(EmkitException.class)
                .hasMessageContaining("row 4")
                .hasMessageContaining("column 1");
    }

    @Test
    void fewerThanOneComponentIsRefused() {
        assertThatThrownBy(() -> GaussianMixture.withComponents(0)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> GaussianMixture.withComponents(-2)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("-2");
    }

    @Test
    void emptyDataIsRefused() {
        Dataset empty = Dataset.wrap(new double[0], 0, 2, Dataset.defaultNames(2));
        assertThatThrownBy(() -> GaussianMixture.withComponents(1).fit(empty)).isInstanceOf(EmkitException.class);
    }

    @Test
    void singleRowWithOneComponentFitsWithFiniteParameters() {
        Dataset data = Dataset.of(new double[][] {{1.5, -2.5}});
        List<EmResult<GaussianMixtureModel>> fits = new ArrayList<>();
        for (CovarianceType t : CovarianceType.values()) {
            fits.add(GaussianMixture.withComponents(1).covarianceType(t).threads(1).fit(data));
        }
        for (EmResult<GaussianMixtureModel> fit : fits) {
            assertSane(fit, data);
            assertThat(fit.params().mean(0)).containsExactly(1.5, -2.5);
        }
    }

    @Test
    void recordingStepsAreTheSmallestGapsBetweenAColumnsValuesMissingOnesSkipped() {
        double nan = Double.NaN;
        Dataset data = Dataset.of(new double[][] {{3, 1.5, 7}, {1, nan, 7}, {2, 1.25, 7}, {3, 2.0, 7}, {nan, 1.5, 7}});
        // Column 1: 1, 2, 3, 3 (steps 1, 1, 0); column 2: 1.25, 1.5, 1.5, 2.0; column 3 holds one value.
        assertThat(data.recordingSteps()).containsExactly(1.0, 0.25, 0.0);
        double[] faithful = TestData.faithful().recordingSteps();
        assertThat(faithful[0]).as("eruptions, recorded to the thousandth").isCloseTo(0.001, within(1e-12));
        assertThat(faithful[1]).as("waiting, whole minutes").isEqualTo(1.0);
    }

    /**
     * The rule beside the data's own: a component whose variance in a column is below the step²/12 that rounding to
     * the column's step adds is reported, one with more is not, and a column of unknown step (0) never is.
     */
    @Test
    void aComponentNarrowerThanItsColumnsRecordingStepIsSpurious() {
        double[][] means = {{0, 0}, {5, 5}};
        GaussianMixtureModel narrow = GaussianMixtureModel.diag(new double[] {0.5, 0.5}, means,
                new double[][] {{1, 1}, {1, 0.08}});
        GaussianMixtureModel wide = GaussianMixtureModel.diag(new double[] {0.5, 0.5}, means,
                new double[][] {{1, 1}, {1, 0.09}});
        assertThat(narrow.spuriousReason(1e-6)).as("by its covariances alone").isNull();
        assertThat(narrow.spuriousReason(1e-6, new double[] {0.001, 1.0}))
                .contains("component 2").contains("column 2").contains("recorded alike");
        assertThat(wide.spuriousReason(1e-6, new double[] {0.001, 1.0})).as("1/12 = 0.0833 < 0.09").isNull();
        assertThat(narrow.spuriousReason(1e-6, new double[] {0.001, 0})).as("step unknown").isNull();
    }

    /**
     * Old Faithful's waiting times are whole minutes. Six VEV components can put one on the twelve eruptions followed
     * by exactly 82 minutes, its variance there (1e-4) held up only by the shape the six share: 43 nats above mclust's
     * fit (−1,109.07) and a BIC better than every proper model's, which made it {@code select}'s answer. The search
     * must prefer a proper fit: counted on the rows themselves (each with its most likely component), no component
     * of the default fit has 90% of its rows on one waiting time, and the fit is at least mclust's.
     */
    @Test
    void theDefaultFitDoesNotSitOnRowsRecordedAlike() {
        Dataset faithful = TestData.faithful();
        CovarianceType vev = CovarianceType.parse("VEV");
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(6).covarianceType(vev).threads(2)
                .fit(faithful);
        assertSane(fit, faithful);
        int[] label = fit.params().predict(faithful);
        for (int c = 0; c < 6; c++) {
            int[] spread = TestData.spreadOver(faithful, 1, label, c);
            assertThat(spread[1]).as("component %d: rows on its most common waiting time, of %d", c + 1, spread[0])
                    .isLessThan((int) Math.ceil(0.9 * Math.max(spread[0], 2)));
        }
        assertThat(fit.logLikelihood()).as("mclust's VEV, K = 6").isGreaterThanOrEqualTo(-1109.0743 - 0.05);
        assertThat(fit.warnings()).noneSatisfy(w -> assertThat(w).contains("recorded alike"));

        // Run from that collapsed fit, EM stays there; the answer says what it is.
        double[] weights = {0.2107, 0.0277, 0.1174, 0.2744, 0.0425, 0.3273};
        double[][] means = {{1.9219, 53.8277}, {1.8177, 46.0129}, {2.2941, 57.6698}, {3.9577, 79.2571},
                {4.4201, 82.0}, {4.5511, 80.2952}};
        double[][][] covariances = {{{0.0256, -0.1146}, {-0.1146, 17.294}}, {{0.0024, -0.026}, {-0.026, 0.3689}},
                {{0.063, 0.215}, {0.215, 43.1878}}, {{0.1134, 1.3756}, {1.3756, 55.086}}, {{0.0379, 0}, {0, 0.0001}},
                {{0.0581, 0.5926}, {0.5926, 33.1512}}};
        EmResult<GaussianMixtureModel> collapsed = GaussianMixture.withComponents(6).covarianceType(vev).threads(2)
                .initialModel(GaussianMixtureModel.of(vev, weights, means, covariances)).fit(faithful);
        assertThat(collapsed.logLikelihood()).as("the collapsed fit").isGreaterThan(-1070.0);
        assertThat(collapsed.warnings()).anySatisfy(w -> assertThat(w).contains("component 5")
                .contains("recorded alike in column 2"));
    }
}
