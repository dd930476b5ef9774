package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.covariance.StructuredCovariances;
import io.emkit.init.Initialization;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MAP-EM under the conjugate prior: the prior's density against textbook formulas, its data-dependent
 * defaults against a direct computation, the log posterior never decreasing for all 14 structures, the
 * M-step landing on a maximum of the log posterior, and the prior keeping a component from collapsing onto
 * tied points where maximum likelihood collapses.
 */
class PriorTest {
    private static final Dataset SYNTHETIC = TestData.drawMixture(11, 600, new double[] {0.5, 0.3, 0.2},
            new double[][] {{0, 0}, {2, 1}, {0, 2.5}},
            new double[][][] {{{1, 0.3}, {0.3, 1}}, {{0.6, -0.2}, {-0.2, 0.9}}, {{1.2, 0.4}, {0.4, 0.5}}});

    @Test
    void logGammaMatchesFactorialsAndTheHalfIntegerValue() {
        assertThat(io.emkit.kernels.SpecialFunctions.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
        assertThat(io.emkit.kernels.SpecialFunctions.logGamma(1.0)).isCloseTo(0.0, within(1e-13));
        assertThat(io.emkit.kernels.SpecialFunctions.logGamma(5.0)).isCloseTo(Math.log(24), within(1e-13));
        double logFactorial = 0;
        for (int i = 2; i < 30; i++) {
            logFactorial += Math.log(i);
        }
        assertThat(io.emkit.kernels.SpecialFunctions.logGamma(30.0)).isCloseTo(logFactorial, within(1e-11));
        // Γ_2(a) = √π Γ(a) Γ(a − 1/2)
        assertThat(GaussianPrior.logMultivariateGamma(3.0, 2)).isCloseTo(
                0.5 * Math.log(Math.PI) + Math.log(2) + io.emkit.kernels.SpecialFunctions.logGamma(2.5), within(1e-12));
    }

    @Test
    void inOneDimensionTheDensityIsAnInverseGammaTimesANormalTimesADirichlet() {
        double nu = 3;
        double lambda = 0.8;
        double kappa = 0.5;
        double mu0 = 1.5;
        double alpha = 2.5;
        GaussianPrior prior = GaussianPrior.defaults().withShrinkage(kappa).withMean(new double[] {mu0})
                .withDegreesOfFreedom(nu).withScale(new double[][] {{lambda}}).withWeightConcentration(alpha)
                .resolve(Dataset.of(new double[][] {{0}, {1}}), 2);
        double[] w = {0.3, 0.7};
        double[] mu = {-1, 2.2};
        double[] var = {0.4, 2.5};
        GaussianMixtureModel m = GaussianMixtureModel.full(w, new double[][] {{mu[0]}, {mu[1]}},
                new double[][][] {{{var[0]}}, {{var[1]}}});
        // IW(ν, Λ) in one dimension is the inverse gamma with shape ν/2 and scale Λ/2.
        double expected = logGammaByProduct(2 * alpha) - 2 * logGammaByProduct(alpha)
                + (alpha - 1) * (Math.log(w[0]) + Math.log(w[1]));
        for (int c = 0; c < 2; c++) {
            double a = nu / 2;
            double b = lambda / 2;
            expected += a * Math.log(b) - logGammaByProduct(a) - (a + 1) * Math.log(var[c]) - b / var[c];
            double sd = Math.sqrt(var[c] / kappa);
            expected += -Math.log(sd * Math.sqrt(2 * Math.PI)) - 0.5 * Math.pow((mu[c] - mu0) / sd, 2);
        }
        assertThat(prior.logDensity(m)).isCloseTo(expected, within(1e-9));
    }

    /** Γ at a multiple of 1/2 from Γ(1) = 1, Γ(1/2) = √π and the recurrence: independent of the library. */
    private static double logGammaByProduct(double x) {
        double base = Math.abs(x - Math.rint(x)) < 1e-12 ? 1.0 : 0.5;
        double v = base == 1.0 ? 0.0 : 0.5 * Math.log(Math.PI);
        for (double t = base; t < x - 1e-9; t += 1) {
            v += Math.log(t);
        }
        return v;
    }

    @Test
    void defaultsAreTheDataMeanCovarianceOverKToTheTwoOverDAndDPlusTwo() {
        Dataset data = SYNTHETIC;
        int n = data.rows();
        int k = 3;
        GaussianPrior p = GaussianPrior.defaults().resolve(data, k);
        double[] mean = new double[2];
        for (int i = 0; i < n; i++) {
            mean[0] += data.row(i)[0] / n;
            mean[1] += data.row(i)[1] / n;
        }
        assertThat(p.mean()).containsExactly(new double[] {mean[0], mean[1]}, within(1e-12));
        assertThat(p.degreesOfFreedom()).isEqualTo(4.0);
        assertThat(p.shrinkage()).isEqualTo(0.01);
        assertThat(p.weightConcentration()).isEqualTo(1.0);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (data.row(i)[a] - mean[a]) * (data.row(i)[b] - mean[b]);
                }
                assertThat(p.scale()[a][b]).isCloseTo(s / (n - 1) / 3.0, within(1e-12));
            }
        }
    }

    static Stream<Arguments> structures() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType t : CovarianceType.all()) {
            out.add(Arguments.of(t.mclustName(), t));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void logPosteriorNeverDecreasesAndIsTheLikelihoodPlusThePrior(String name, CovarianceType type) {
        for (Dataset data : List.of(SYNTHETIC, TestData.iris())) {
            GaussianPrior prior = GaussianPrior.defaults().withWeightConcentration(2);
            EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type).prior(prior)
                    .tolerance(0).maxIterations(40).initialization(Initialization.RANDOM).seed(3).threads(1).fit(data);
            double[] trace = fit.trace();
            for (int i = 1; i < trace.length; i++) {
                assertThat(trace[i]).as("log posterior after M-step %d fell from %s to %s", i, trace[i - 1], trace[i])
                        .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
            }
            GaussianMixtureModel m = fit.params();
            double ll = GaussianReference.logLikelihood(data, m.weights(), m.means(), m.covariances());
            assertThat(fit.logLikelihood()).isCloseTo(ll, within(1e-8 * Math.abs(ll)));
            double logPrior = referenceLogPrior(prior.resolve(data, 3), m.weights(), m.means(), m.covariances());
            assertThat(fit.objective()).isCloseTo(ll + logPrior, within(1e-8 * Math.abs(ll)));
            assertThat(logPrior).isNotZero();
            assertThat(fit.bic()).isCloseTo(-2 * ll + m.parameterCount() * Math.log(data.rows()), within(1e-6));
            CovarianceStructuresTest.assertConstrainedForm(type, m.covariances(), 1e-6, false);
        }
    }

    /**
     * The converged MAP estimate is a local maximum of log L + log prior, both computed by the tests' own code
     * ({@link GaussianReference#logLikelihood} and {@link #referenceLogPrior}): no single move of one weight pair,
     * one mean entry, or one parameter of the covariance structure (a volume, a shape ratio, a rotation, on one
     * component where it varies and on all where it is shared; see {@link StructuredCovariances}) raises it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void theFitIsALocalMaximumOfTheLogPosterior(String name, CovarianceType type) {
        Dataset data = SYNTHETIC;
        GaussianPrior prior = GaussianPrior.defaults().withShrinkage(0.5).withWeightConcentration(3).resolve(data, 3);
        GaussianMixtureModel m = GaussianMixture.withComponents(3).covarianceType(type).prior(prior)
                .tolerance(0).maxIterations(3000).seed(1).threads(1).fit(data).params();
        double best = posterior(data, prior, m.weights(), m.means(), m.covariances());
        double eps = 1e-3;
        double[][] flat = new double[3][];
        for (int c = 0; c < 3; c++) {
            flat[c] = new DMatrixRMaj(m.covariance(c)).getData();
        }
        List<StructuredCovariances.Move> moves = StructuredCovariances.moves(name,
                StructuredCovariances.factor(name, flat, 2));
        int tried = 0;
        for (double t : new double[] {eps, -eps}) {
            for (int from = 0; from < 3; from++) {
                double[] w = m.weights();
                w[from] -= t;
                w[(from + 1) % 3] += t;
                assertThat(posterior(data, prior, w, m.means(), m.covariances())).as("weights %d, %s", from, t)
                        .isLessThan(best);
                for (int j = 0; j < 2; j++) {
                    double[][] mu = m.means();
                    mu[from][j] += t;
                    assertThat(posterior(data, prior, m.weights(), mu, m.covariances())).as("mean %d,%d, %s", from, j, t)
                            .isLessThan(best);
                }
                tried += 3;
            }
            for (StructuredCovariances.Move move : moves) {
                DMatrixRMaj[] moved = move.at().apply(t);
                double[][][] cov = new double[3][2][2];
                for (int c = 0; c < 3; c++) {
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            cov[c][a][b] = moved[c].get(a, b);
                        }
                    }
                }
                assertThat(posterior(data, prior, m.weights(), m.means(), cov)).as("%s, %s", move.label(), t)
                        .isLessThan(best);
                tried++;
            }
        }
        assertThat(tried).isGreaterThan(18);
    }

    private static double posterior(Dataset data, GaussianPrior prior, double[] w, double[][] mu, double[][][] cov) {
        return GaussianReference.logLikelihood(data, w, mu, cov) + referenceLogPrior(prior, w, mu, cov);
    }

    /**
     * The prior's log density written out: symmetric Dirichlet(α) on the weights, and for every component
     * {@code μk | Σk ~ N(μ0, Σk/κ)} and {@code Σk ~ IW(ν, Λ)} with
     * {@code log IW = (ν/2) log|Λ| − (νd/2) log 2 − log Γ_d(ν/2) − ((ν+d+1)/2) log|Σ| − ½ tr(Λ Σ⁻¹)}
     * and {@code log Γ_d(a) = d(d−1)/4 · log π + Σ_{j=1..d} log Γ(a + (1−j)/2)}, with EJML for determinants and
     * inverses. For α and ν whose halves are multiples of ½ (as every test here uses).
     */
    static double referenceLogPrior(GaussianPrior prior, double[] w, double[][] mu, double[][][] cov) {
        int k = w.length;
        int d = mu[0].length;
        double alpha = prior.weightConcentration();
        double nu = prior.degreesOfFreedom();
        double kappa = prior.shrinkage();
        DMatrixRMaj lambda = new DMatrixRMaj(prior.scale());
        double total = logGammaByProduct(k * alpha) - k * logGammaByProduct(alpha);
        for (double wc : w) {
            total += (alpha - 1) * Math.log(wc);
        }
        double logMultiGamma = d * (d - 1) / 4.0 * Math.log(Math.PI);
        for (int j = 1; j <= d; j++) {
            logMultiGamma += logGammaByProduct(nu / 2 + (1 - j) / 2.0);
        }
        for (int c = 0; c < k; c++) {
            DMatrixRMaj sigma = new DMatrixRMaj(cov[c]);
            DMatrixRMaj inv = new DMatrixRMaj(d, d);
            assertThat(CommonOps_DDRM.invert(sigma.copy(), inv)).isTrue();
            DMatrixRMaj lambdaInv = new DMatrixRMaj(d, d);
            CommonOps_DDRM.mult(lambda, inv, lambdaInv);
            double logDet = Math.log(CommonOps_DDRM.det(sigma));
            total += nu / 2 * Math.log(CommonOps_DDRM.det(lambda)) - nu * d / 2 * Math.log(2) - logMultiGamma
                    - (nu + d + 1) / 2 * logDet - 0.5 * CommonOps_DDRM.trace(lambdaInv);
            DMatrixRMaj diff = new DMatrixRMaj(d, 1);
            for (int j = 0; j < d; j++) {
                diff.set(j, 0, mu[c][j] - prior.mean()[j]);
            }
            DMatrixRMaj invDiff = new DMatrixRMaj(d, 1);
            CommonOps_DDRM.mult(inv, diff, invDiff);
            double quad = CommonOps_DDRM.dot(diff, invDiff);
            // N(μ0, Σ/κ): |Σ/κ| = |Σ| / κ^d.
            total += -d / 2.0 * Math.log(2 * Math.PI) - 0.5 * (logDet - d * Math.log(kappa)) - 0.5 * kappa * quad;
        }
        return total;
    }

    /** The library's prior density against {@link #referenceLogPrior} in two and four dimensions. */
    @Test
    void inSeveralDimensionsTheDensityIsADirichletTimesNormalInverseWisharts() {
        GaussianMixtureModel m2 = GaussianMixtureModel.full(new double[] {0.2, 0.5, 0.3},
                new double[][] {{0.1, -0.4}, {2, 1.3}, {-1, 2.5}},
                new double[][][] {{{1, 0.3}, {0.3, 0.7}}, {{0.6, -0.2}, {-0.2, 0.9}}, {{2.2, 0.4}, {0.4, 0.5}}});
        GaussianPrior p2 = GaussianPrior.defaults().withShrinkage(0.3).withWeightConcentration(2.5)
                .withDegreesOfFreedom(5).resolve(SYNTHETIC, 3);
        assertThat(p2.logDensity(m2)).isCloseTo(referenceLogPrior(p2, m2.weights(), m2.means(), m2.covariances()),
                within(1e-9));
        Dataset iris = TestData.iris();
        GaussianMixtureModel m4 = GaussianMixture.withComponents(2).covarianceType(CovarianceType.VEV).maxIterations(5)
                .seed(2).threads(1).fit(iris).params();
        GaussianPrior p4 = GaussianPrior.defaults().withWeightConcentration(2).resolve(iris, 2);
        assertThat(p4.degreesOfFreedom()).isEqualTo(6.0);
        assertThat(p4.logDensity(m4)).isCloseTo(referenceLogPrior(p4, m4.weights(), m4.means(), m4.covariances()),
                within(1e-9));
    }

    /**
     * 120 rows from one Gaussian plus 5 copies of one far point: started with a component on the copies,
     * maximum likelihood shrinks it onto them (its covariance held up by regCovar alone), while under the
     * default prior it keeps a covariance of the data's order (prior scale over the few rows it holds).
     */
    @Test
    void withThePriorAComponentOnTiedPointsDoesNotCollapse() {
        SplittableRandom r = new SplittableRandom(4);
        double[][] rows = new double[125][];
        for (int i = 0; i < 120; i++) {
            rows[i] = new double[] {r.nextGaussian(), r.nextGaussian()};
        }
        for (int i = 120; i < 125; i++) {
            rows[i] = new double[] {6, 6};
        }
        Dataset data = Dataset.of(rows);
        GaussianMixtureModel start = GaussianMixtureModel.full(new double[] {0.9, 0.1},
                new double[][] {{0, 0}, {6, 6}}, new double[][][] {{{1, 0}, {0, 1}}, {{0.5, 0}, {0, 0.5}}});
        GaussianMixture config = GaussianMixture.withComponents(2).initialModel(start).maxIterations(200).threads(1);

        GaussianMixtureModel ml = config.fit(data).params();
        assertThat(smallestEigenvalue(ml.covariance(1))).as("maximum likelihood collapses")
                .isLessThanOrEqualTo(10 * GaussianMixture.DEFAULT_REG_COVAR);

        EmResult<GaussianMixtureModel> map = config.prior(GaussianPrior.defaults()).fit(data);
        double[][] cov = map.params().covariance(1);
        assertThat(map.params().mean(1)[0]).as("the component still sits on the tied points")
                .isCloseTo(6, within(0.2));
        assertThat(smallestEigenvalue(cov)).as("MAP keeps a real spread").isGreaterThan(0.01);
        assertThat(map.warnings()).noneMatch(s -> s.contains("collapsed") || s.contains("regCovar alone"));
        assertThat(Double.isFinite(map.logLikelihood())).isTrue();
    }

    private static double smallestEigenvalue(double[][] a) {
        var eig = DecompositionFactory_DDRM.eig(a.length, false, true);
        assertThat(eig.decompose(new DMatrixRMaj(a))).isTrue();
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < a.length; j++) {
            min = Math.min(min, eig.getEigenvalue(j).getReal());
        }
        return min;
    }
}
