package io.emkit.select;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Model selection over K and the 14 structures. The chosen models are mclust's choices from
 * {@code Mclust(faithful)} and {@code Mclust(iris[, -5])}; their values are the converged optima from
 * {@code reference/mclust/converged.csv} (mclust 6.0.0 with a relative EM tolerance of 1e-12, written by
 * {@code converged.R} beside it): mclust's default tolerance stops faithful's EEE, K = 3 at −1126.3262, 0.0103
 * below the optimum. mclust reports BIC with the opposite sign (2·logL − p·ln n).
 */
class ModelSelectionTest {
    private static final GaussianMixture FIVE_STARTS = GaussianMixture.withComponents(1).initializations(5).seed(0);
    /** mclust 6.0.0, converged: faithful EEE, K = 3 (scikit-learn reaches the same log-likelihood). */
    private static final double FAITHFUL_EEE3_LOGLIK = -1126.3159278272296;
    private static final double FAITHFUL_EEE3_BIC = 2314.2956783837153;
    /** mclust 6.0.0, converged: iris VEV, K = 2. */
    private static final double IRIS_VEV2_LOGLIK = -215.72597223391784;
    private static final double IRIS_VEV2_BIC = 561.7284621143383;
    /** The fits differ from the optimum by their own stopping rule and regCovar 1e-6 only: 1e-3 is far below that. */
    private static final double OPTIMUM = 1e-3;

    /**
     * With one component the full structures are one model: their BICs differ only by rounding, and the first
     * listed is chosen whichever order they are listed in (the local and Spark engines, summing in other orders,
     * must choose alike).
     */
    @Test
    void oneModelUnderTwoNamesIsATieWonByTheFirstListed() {
        for (List<CovarianceType> order : List.of(List.of(CovarianceType.FULL, CovarianceType.TIED),
                List.of(CovarianceType.TIED, CovarianceType.FULL))) {
            SelectionResult r = ModelSelection.of(List.of(1), order).fitting(FIVE_STARTS).run(TestData.iris());
            assertThat(r.candidates().get(1).bic()).isCloseTo(r.candidates().get(0).bic(), within(1e-9));
            assertThat(r.best().orElseThrow().covariance()).isEqualTo(order.get(0));
        }
        // Values apart by rounding tie, whichever is lower; a real difference still wins.
        Candidate first = withBic(74.5869421673254);
        Candidate roundedLower = withBic(Math.nextDown(Math.nextDown(74.5869421673254)));
        Candidate lower = withBic(74.5869421673254 - 1e-6);
        assertThat(new SelectionResult(List.of(first, roundedLower), Criterion.BIC, 50, 50).best())
                .containsSame(first);
        assertThat(new SelectionResult(List.of(first, roundedLower, lower), Criterion.BIC, 50, 50).best())
                .containsSame(lower);
    }

    private static Candidate withBic(double bic) {
        return new Candidate(1, CovarianceType.FULL, Double.NaN, Double.NaN, 14, bic, bic, bic, null, null, List.of());
    }

    @Test
    void faithfulPicksEeeWithThreeComponentsAsMclustDoes() {
        SelectionResult r = ModelSelection.of(List.of(1, 2, 3, 4), CovarianceType.all()).fitting(FIVE_STARTS)
                .run(TestData.faithful());
        Candidate best = r.best().orElseThrow();
        assertThat(best.covariance()).isEqualTo(CovarianceType.TIED);
        assertThat(best.components()).isEqualTo(3);
        assertThat(best.parameterCount()).isEqualTo(11);
        assertThat(best.logLikelihood()).isCloseTo(FAITHFUL_EEE3_LOGLIK, within(OPTIMUM));
        assertThat(best.bic()).isCloseTo(FAITHFUL_EEE3_BIC, within(OPTIMUM));
        assertThat(r.candidates()).hasSize(4 * 14);
    }

    @Test
    void irisPicksVevWithTwoComponentsAsMclustDoes() {
        SelectionResult r = ModelSelection.of(List.of(1, 2, 3), CovarianceType.all()).fitting(FIVE_STARTS)
                .run(TestData.iris());
        Candidate best = r.best().orElseThrow();
        assertThat(best.covariance()).isEqualTo(CovarianceType.VEV);
        assertThat(best.components()).isEqualTo(2);
        assertThat(best.parameterCount()).isEqualTo(26);
        assertThat(best.bic()).isCloseTo(IRIS_VEV2_BIC, within(OPTIMUM));
        assertThat(best.logLikelihood()).isCloseTo(IRIS_VEV2_LOGLIK, within(OPTIMUM));
    }

    /**
     * With mclust's own initialisation (hierarchical clustering, one start: {@code initializations(1)}, as
     * {@code select --init hc --n-init 1}; without it the search would run, with the hc start first) over K = 1..9
     * and all 14 structures, EM run to the default tolerance: the choices are mclust's, at their optima (mclust 6.0.0
     * at tolerance 1e-12) to 1e-3 in log-likelihood, so to 2e-3 in BIC. At tolerance 1e-4 the faithful fit stopped
     * 0.0033 below its optimum; mclust's own rule stops 0.0103 below.
     */
    @Test
    void initHcPicksMclustsChoicesOnFaithfulAndIris() {
        GaussianMixture hc = GaussianMixture.withComponents(1).initialization(io.emkit.init.Initialization.HIERARCHICAL)
                .initializations(1);
        List<Integer> oneToNine = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
        Candidate faithful = ModelSelection.of(oneToNine, CovarianceType.all()).fitting(hc).run(TestData.faithful())
                .best().orElseThrow();
        assertThat(faithful.name()).isEqualTo("EEE, 3 components");
        assertThat(faithful.logLikelihood()).isCloseTo(FAITHFUL_EEE3_LOGLIK, within(OPTIMUM));
        assertThat(faithful.bic()).isCloseTo(FAITHFUL_EEE3_BIC, within(2 * OPTIMUM));
        Candidate iris = ModelSelection.of(oneToNine, CovarianceType.all()).fitting(hc).run(TestData.iris())
                .best().orElseThrow();
        assertThat(iris.name()).isEqualTo("VEV, 2 components");
        assertThat(iris.logLikelihood()).isCloseTo(IRIS_VEV2_LOGLIK, within(OPTIMUM));
        assertThat(iris.bic()).isCloseTo(IRIS_VEV2_BIC, within(2 * OPTIMUM));
    }

    @Test
    void criteriaFollowTheirDefinitionsAndTheBestIsTheMinimum() {
        Dataset data = TestData.faithful();
        SelectionResult r = ModelSelection.of(List.of(1, 2, 3), List.of(CovarianceType.FULL, CovarianceType.VEV))
                .criterion(Criterion.ICL).fitting(FIVE_STARTS).run(data);
        double n = data.rows();
        for (Candidate c : r.candidates()) {
            assertThat(c.succeeded()).isTrue();
            assertThat(c.bic()).isCloseTo(-2 * c.logLikelihood() + c.parameterCount() * Math.log(n), within(1e-9));
            assertThat(c.aic()).isCloseTo(-2 * c.logLikelihood() + 2 * c.parameterCount(), within(1e-9));
            double entropy = entropy((GaussianMixtureModel) c.model(), data);
            assertThat(c.icl()).isCloseTo(c.bic() + 2 * entropy, within(1e-9)).isGreaterThanOrEqualTo(c.bic());
            assertThat(c.parameterCount()).isEqualTo(c.model().parameterCount());
            assertThat(c.value(Criterion.ICL)).isGreaterThanOrEqualTo(r.best().orElseThrow().icl());
        }
        assertThat(r.candidates().get(0).icl()).as("one component: no entropy").isEqualTo(r.candidates().get(0).bic());
    }

    /**
     * The entropy of the classification, {@code −Σi Σk zik ln zik}, with the responsibilities written out:
     * {@code zik ∝ wk N(xi | μk, Σk)} by {@link #logNormal}, normalised in the log domain.
     */
    private static double entropy(GaussianMixtureModel m, Dataset data) {
        double e = 0;
        for (int i = 0; i < data.rows(); i++) {
            double[] logJoint = new double[m.components()];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < m.components(); c++) {
                logJoint[c] = Math.log(m.weights()[c]) + logNormal(data.row(i), m.mean(c), m.covariance(c));
                max = Math.max(max, logJoint[c]);
            }
            double sum = 0;
            for (double l : logJoint) {
                sum += Math.exp(l - max);
            }
            for (double l : logJoint) {
                double z = Math.exp(l - max) / sum;
                if (z > 0) {
                    e -= z * Math.log(z);
                }
            }
        }
        return e;
    }

    /** {@code log N(x | μ, Σ)} with EJML's inverse and determinant. */
    private static double logNormal(double[] x, double[] mu, double[][] cov) {
        int d = x.length;
        DMatrixRMaj sigma = new DMatrixRMaj(cov);
        DMatrixRMaj inv = new DMatrixRMaj(d, d);
        assertThat(CommonOps_DDRM.invert(sigma.copy(), inv)).isTrue();
        DMatrixRMaj diff = new DMatrixRMaj(d, 1);
        for (int j = 0; j < d; j++) {
            diff.set(j, 0, x[j] - mu[j]);
        }
        DMatrixRMaj invDiff = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.mult(inv, diff, invDiff);
        return -0.5 * (d * Math.log(2 * Math.PI) + Math.log(CommonOps_DDRM.det(sigma)) + CommonOps_DDRM.dot(diff, invDiff));
    }

    /**
     * One ICL by hand. On {−1, 1, 4, 6} with K = 2 and no EM iteration, the fit is the M-step of the k-means
     * partition {−1, 1} | {4, 6}: weights ½, means 0 and 5, variances 1 (regCovar 0), so p = 5 and
     * <pre>
     * log L = 2 [ln(½/√(2π)) + ln(e^−0.5 + e^−18)] + 2 [ln(½/√(2π)) + ln(e^−0.5 + e^−8)]   = −8.44723694188777
     * BIC   = −2 log L + 5 ln 4                                                              = 23.825945689374993
     * H     = 2 h(1/(1 + e^−17.5)) + 2 h(1/(1 + e^−7.5)),  h(z) = −z ln z − (1−z) ln(1−z)       = 0.00939847157424223
     * ICL   = BIC + 2H                                                                       = 23.844742632523477
     * </pre>
     * (evaluated with Python's math module).
     */
    @Test
    void iclOfASmallFitComputedByHand() {
        Dataset data = Dataset.ofColumn(new double[] {-1, 1, 4, 6});
        Candidate c = ModelSelection.of(List.of(2), List.of(CovarianceType.FULL)).criterion(Criterion.ICL)
                .fitting(GaussianMixture.withComponents(1).maxIterations(0).regCovar(0).seed(0)).run(data)
                .candidates().get(0);
        assertThat(c.parameterCount()).isEqualTo(5);
        assertThat(c.logLikelihood()).isCloseTo(-8.44723694188777, within(1e-12));
        assertThat(c.bic()).isCloseTo(23.825945689374993, within(1e-12));
        assertThat(c.icl()).isCloseTo(23.844742632523477, within(1e-12));
    }

    @Test
    void structuresWithTheSameKStartFromTheSamePartition() {
        // With no EM iteration the fit is its initialisation: the same partition's M-step in every structure,
        // so every structure has the same means and weights.
        SelectionResult r = ModelSelection.of(List.of(3), CovarianceType.all())
                .fitting(GaussianMixture.withComponents(1).maxIterations(0).seed(4)).run(TestData.iris());
        GaussianMixtureModel first = (GaussianMixtureModel) r.candidates().get(0).model();
        for (Candidate c : r.candidates()) {
            assertThat(((GaussianMixtureModel) c.model()).means()).as("%s", c.covariance()).isDeepEqualTo(first.means());
            assertThat(c.model().weights()).isEqualTo(first.weights());
        }
    }

    @Test
    void resultDoesNotDependOnTheNumberOfParallelFits() {
        List<CovarianceType> types = List.of(CovarianceType.EII, CovarianceType.VVE, CovarianceType.EVV);
        SelectionResult one = ModelSelection.of(List.of(1, 2, 3), types).fitting(FIVE_STARTS.threads(1))
                .run(TestData.iris());
        SelectionResult many = ModelSelection.of(List.of(1, 2, 3), types).fitting(FIVE_STARTS.threads(5))
                .run(TestData.iris());
        for (int i = 0; i < one.candidates().size(); i++) {
            assertThat(many.candidates().get(i).logLikelihood()).isEqualTo(one.candidates().get(i).logLikelihood());
            assertThat(many.candidates().get(i).model()).isEqualTo(one.candidates().get(i).model());
        }
    }

    @Test
    void failedAndDegenerateFitsAreMarkedAndNeverChosen() {
        // Four distinct values: K = 5 cannot be fitted; K = 4 puts each component on one value (degenerate).
        double[] x = new double[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 4;
        }
        Dataset data = Dataset.ofColumn(x);
        // One plain run (no search) from k-means++ ends on the spike.
        SelectionResult r = ModelSelection.of(List.of(1, 4, 5), List.of(CovarianceType.FULL))
                .fitting(GaussianMixture.withComponents(1).seed(1).options(EmOptions.defaults().withInitializations(1)))
                .run(data);
        assertThat(r.candidates().get(2).succeeded()).isFalse();
        assertThat(r.candidates().get(2).failure()).contains("distinct");
        assertThat(r.candidates().get(1).succeeded()).isFalse();
        assertThat(r.candidates().get(1).failure()).contains("degenerate");
        assertThat(r.candidates().get(1).bic()).isNaN();
        assertThat(r.best().orElseThrow().components()).isEqualTo(1);

        // The default search ranks proper fits above spikes: K = 4 then ends on a proper fit (every
        // component's variance well above regCovar), with a lower likelihood than the spike's. Half of each
        // value's rows spread a little around it, so that a proper maximum exists beside the spikes on the
        // tied halves (on the four bare values every proper fit is a saddle that EM leaves for a spike).
        double[] spread = x.clone();
        for (int i = 20; i < spread.length; i++) {
            spread[i] += 0.02 * (i / 4 - 7);
        }
        SelectionResult searched = ModelSelection.of(List.of(1, 4), List.of(CovarianceType.FULL))
                .fitting(GaussianMixture.withComponents(1).seed(1)).run(Dataset.ofColumn(spread));
        Candidate four = searched.candidates().get(1);
        assertThat(four.succeeded()).as("%s", four.failure()).isTrue();
        for (int c = 0; c < 4; c++) {
            assertThat(((GaussianMixtureModel) four.model()).covariance(c)[0][0]).isGreaterThan(10 * GaussianMixture.DEFAULT_REG_COVAR);
        }
        assertThat(four.logLikelihood()).isLessThan(40 * 0.5 * Math.log(1 / (2 * Math.PI * 1e-6)));
        // A proper fit of the four groups: BIC prefers it to one component.
        assertThat(searched.best().orElseThrow().components()).isEqualTo(4);
    }

    /**
     * A t mixture's table obeys nesting as a Gaussian one does: each cell's own search left Old Faithful's t VVE,
     * K = 9 below VVE, K = 8 (and below VVI, K = 9 by 1.44 nats); the start from K = 8 with a component split in two,
     * its degrees of freedom given to both halves, raises it.
     */
    @Test
    void aTMixturesTableShowsNoLargerModelFittingWorse() {
        SelectionResult r = ModelSelection.of(List.of(8, 9), List.of(CovarianceType.VVE))
                .fitting(io.emkit.gaussian.GaussianMixture.withComponents(1).threads(2))
                .studentT(io.emkit.student.DegreesOfFreedom.free()).run(TestData.faithful());
        assertThat(r.candidates()).hasSize(2).allSatisfy(c -> assertThat(c.model())
                .isInstanceOf(io.emkit.student.StudentMixtureModel.class));
        assertThat(SelectionAgainstMclustTest.inconsistencies(r)).isEmpty();
    }
}
