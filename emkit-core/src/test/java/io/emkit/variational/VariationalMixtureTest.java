package io.emkit.variational;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Variational Bayes against scikit-learn 1.2.1's BayesianGaussianMixture from the same responsibilities
 * ({@code reference/sklearn-vb/make-fixtures.py}: synth3d, K = 5, 20 iterations, both weight priors, four
 * structures), and against what must hold on any data: the bound never decreases, threads do not change the
 * bits, and surplus components end with negligible weight.
 */
class VariationalMixtureTest {
    private static Dataset synth3d() {
        List<String[]> rows = TestData.referenceRows("mclust/synth3d.csv");
        double[][] x = new double[rows.size()][3];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = Double.parseDouble(rows.get(i)[j]);
            }
        }
        return Dataset.of(x);
    }

    private static double[][] startingResponsibilities(int k) {
        List<String[]> rows = TestData.referenceRows("sklearn-vb/start-labels.csv");
        double[][] r = new double[rows.size()][k];
        for (int i = 0; i < r.length; i++) {
            r[i][Integer.parseInt(rows.get(i)[0])] = 1;
        }
        return r;
    }

    @ParameterizedTest
    @CsvSource({"dirichlet_process,full", "dirichlet_process,diag", "dirichlet_process,spherical",
            "dirichlet_process,tied", "dirichlet_distribution,full", "dirichlet_distribution,diag",
            "dirichlet_distribution,spherical", "dirichlet_distribution,tied"})
    void fromTheSameStartScikitLearnReachesTheSameBoundAndPosterior(String weightPrior, String covariance) {
        Map<String, List<Double>> ref = new HashMap<>();
        for (String[] f : TestData.referenceRows("sklearn-vb/fits.csv")) {
            if (f[0].equals(weightPrior) && f[1].equals(covariance)) {
                ref.computeIfAbsent(f[2], key -> new ArrayList<>()).add(Double.parseDouble(f[4]));
            }
        }
        WeightPrior prior = weightPrior.equals("dirichlet_process") ? WeightPrior.DIRICHLET_PROCESS
                : WeightPrior.DIRICHLET_DISTRIBUTION;
        VariationalResult fit = VariationalMixture.withComponents(5).covarianceType(CovarianceType.parse(covariance))
                .prior(VariationalPrior.of(prior)).options(EmOptions.defaults().withMaxIterations(20).withTolerance(0))
                .initialResponsibilities(startingResponsibilities(5)).fit(synth3d());
        assertThat(fit.iterations()).isEqualTo(20);
        double bound = ref.get("lower_bound").get(0);
        assertThat(fit.finalLowerBound()).isCloseTo(bound, within(1e-6 * Math.abs(bound)));
        VariationalModel m = fit.model();
        assertClose(m.weights(), ref.get("weights"), 1e-6, "weights");
        assertClose(m.flatMeans(), ref.get("means"), 1e-6, "means");
        assertClose(m.degreesOfFreedom(), ref.get("degrees_of_freedom"), 1e-6, "degrees of freedom");
        assertClose(m.meanPrecision(), ref.get("mean_precision"), 1e-6, "mean precision");
        double[][] cov = m.flatCovariances();
        List<Double> flat = new ArrayList<>();
        for (double[] c : cov) {
            for (double v : c) {
                flat.add(v);
            }
        }
        assertClose(flat.stream().mapToDouble(Double::doubleValue).toArray(), ref.get("covariances"), 1e-6, "covariances");
    }

    private static void assertClose(double[] actual, List<Double> expected, double tolerance, String what) {
        assertThat(actual).as(what).hasSize(expected.size());
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected.get(i),
                    within(tolerance * Math.max(1, Math.abs(expected.get(i)))));
        }
    }

    @Test
    void theBoundNeverFallsAndThreadsDoNotChangeTheBits() {
        Dataset iris = TestData.iris();
        for (WeightPrior prior : WeightPrior.values()) {
            for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                    CovarianceType.SPHERICAL, CovarianceType.TIED}) {
                VariationalMixture config = VariationalMixture.withComponents(6).covarianceType(type)
                        .prior(VariationalPrior.of(prior)).options(EmOptions.defaults().withMaxIterations(200).withThreads(1));
                VariationalResult one = config.fit(iris);
                double[] b = one.lowerBound();
                for (int i = 1; i < b.length; i++) {
                    assertThat(b[i]).as("%s %s iteration %d", prior, type, i).isGreaterThanOrEqualTo(
                            b[i - 1] - 1e-9 * Math.abs(b[i - 1]));
                }
                VariationalResult three = config.options(EmOptions.defaults().withMaxIterations(200).withThreads(3))
                        .fit(iris);
                assertThat(three.finalLowerBound()).isEqualTo(one.finalLowerBound());
            }
        }
    }

    @Test
    void stochasticInferenceEndsNearTheFullBatchPosterior() {
        // 20,000 rows of three separated clusters, batches of 1,000 over 3 passes: the posterior is the full
        // coordinate ascent's to within what 60 noisy steps leave, and bit-identical for any thread count.
        Dataset data = TestData.drawMixture(8, 20_000, new double[] {0.5, 0.3, 0.2},
                new double[][] {{0, 0}, {6, 0}, {0, 6}},
                new double[][][] {{{1, 0.2}, {0.2, 1}}, {{0.5, 0}, {0, 1.5}}, {{1, -0.3}, {-0.3, 0.8}}});
        VariationalMixture config = VariationalMixture.withComponents(3);
        VariationalResult full = config.fit(data);
        VariationalMixture stochastic = config.miniBatch(io.emkit.em.MiniBatch.ofSize(1000).passes(3));
        VariationalResult one = stochastic.options(EmOptions.defaults().withThreads(1)).fit(data);
        VariationalResult two = stochastic.options(EmOptions.defaults().withThreads(2)).fit(data);
        assertThat(one.finalLowerBound()).isEqualTo(two.finalLowerBound());
        assertThat(one.iterations()).isEqualTo(61);
        assertThat(one.finalLowerBound()).isCloseTo(full.finalLowerBound(), within(1e-3 * Math.abs(full.finalLowerBound())));
        double[] a = sorted(full.model().weights());
        double[] b = sorted(one.model().weights());
        for (int c = 0; c < 3; c++) {
            assertThat(b[c]).isCloseTo(a[c], within(0.01));
        }
    }

    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s;
    }

    @Test
    void surplusComponentsEndWithNegligibleWeight() {
        // Three well-separated clusters, ten components: exactly three keep weight above 0.01.
        Dataset data = TestData.drawMixture(5, 900, new double[] {0.5, 0.3, 0.2},
                new double[][] {{0, 0}, {8, 0}, {0, 8}},
                new double[][][] {{{1, 0.2}, {0.2, 1}}, {{0.5, 0}, {0, 1.5}}, {{1, -0.3}, {-0.3, 0.8}}});
        for (WeightPrior prior : WeightPrior.values()) {
            VariationalResult fit = VariationalMixture.withComponents(10).prior(VariationalPrior.of(prior)
                    .weightConcentration(prior == WeightPrior.DIRICHLET_PROCESS ? 0.01 : 1e-3))
                    .options(EmOptions.defaults().withMaxIterations(500)).fit(data);
            long kept = java.util.Arrays.stream(fit.model().weights()).filter(w -> w > 0.01).count();
            assertThat(kept).as("%s: weights %s", prior, java.util.Arrays.toString(fit.model().weights())).isEqualTo(3);
        }
    }
}
