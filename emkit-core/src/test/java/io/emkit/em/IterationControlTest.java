package io.emkit.em;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.init.Initialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The iteration limit, tolerance 0, the convergence test and its warning, on real fits. */
class IterationControlTest {
    private static final Dataset IRIS = TestData.iris();

    @Test
    void zeroIterationsReturnsTheInitialParametersOfRandomPoints() {
        // RANDOM_POINTS: K distinct data rows as means, the data's covariance (plus regCovar), equal weights.
        int k = 3;
        double reg = 1e-6;
        EmResult<GaussianMixtureModel> fit = plainEm(k)
                .initialization(Initialization.RANDOM_POINTS).regCovar(reg).maxIterations(0).seed(8).threads(1)
                .fit(IRIS);
        GaussianMixtureModel m = fit.params();
        assertThat(fit.iterations()).isZero();
        assertThat(fit.trace()).hasSize(1);
        assertThat(fit.trace()[0]).isEqualTo(fit.logLikelihood());
        int n = IRIS.rows();
        int d = IRIS.columns();
        double[][] x = IRIS.toArray();
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]) / n;
                }
            }
        }
        for (int c = 0; c < k; c++) {
            assertThat(m.weights()[c]).isCloseTo(1.0 / k, org.assertj.core.api.Assertions.within(1e-15));
            double[] mc = m.mean(c);
            assertThat(Arrays.stream(x).anyMatch(row -> Arrays.equals(row, mc))).as("mean %d is a data row", c)
                    .isTrue();
            for (int c2 = 0; c2 < c; c2++) {
                assertThat(Arrays.equals(m.mean(c2), mc)).as("means %d and %d are distinct rows", c2, c).isFalse();
            }
            double[][] got = m.covariance(c);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double expected = cov[a][b] + (a == b ? reg : 0);
                    assertThat(got[a][b]).as("covariance %d[%d][%d]", c, a, b).isCloseTo(expected,
                            org.assertj.core.api.Assertions.within(1e-12));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} M-steps")
    @ValueSource(ints = {1, 2, 7, 128, 129, 300})
    void toleranceZeroRunsExactlyMaxIterationsMSteps(int iterations) {
        List<Integer> seen = new ArrayList<>();
        EmResult<GaussianMixtureModel> fit = plainEm(2).covarianceType(CovarianceType.DIAG)
                .tolerance(0).maxIterations(iterations).threads(1)
                .listener(e -> seen.add(e.iteration())).fit(TestData.faithful());
        assertThat(fit.iterations()).isEqualTo(iterations);
        assertThat(fit.trace()).hasSize(iterations + 1);
        assertThat(fit.converged()).isFalse();
        assertThat(seen).hasSize(iterations + 1);
        for (int i = 0; i <= iterations; i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        for (double v : fit.trace()) {
            assertThat(v).as("every trace entry was written").isNegative();
        }
    }

    @Test
    void hittingTheIterationLimitIsNotConvergedAndSaysSo() {
        EmResult<GaussianMixtureModel> fit = plainEm(3).initialization(Initialization.RANDOM)
                .tolerance(1e-12).maxIterations(3).seed(1).threads(1).fit(IRIS);
        assertThat(fit.iterations()).isEqualTo(3);
        assertThat(fit.converged()).isFalse();
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("did not converge").contains("3"));
    }

    /**
     * The search's short runs can use the whole iteration limit before the best is continued; the warning then gives
     * the short run's last change, not "NaN" from a continuation of no iterations (it did on Old Faithful, K = 2,
     * {@code --max-iter 3}).
     */
    @Test
    void aSearchStoppedByTheIterationLimitSaysItsLastChange() {
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).maxIterations(3).threads(1)
                .fit(TestData.faithful());
        assertThat(fit.search()).isNotNull();
        assertThat(fit.iterations()).isEqualTo(3);
        assertThat(fit.converged()).isFalse();
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("did not converge in 3 iterations")
                .doesNotContain("NaN").containsPattern("last change of the mean log-likelihood: \\d"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void convergedRunStopsOneMStepAfterTheChangeFallsBelowTheTolerance(CovarianceType type) {
        double tol = 1e-4;
        EmResult<GaussianMixtureModel> fit = plainEm(2).covarianceType(type).tolerance(tol)
                .maxIterations(500).seed(3).threads(1).fit(TestData.faithful());
        int n = TestData.faithful().rows();
        double[] t = fit.trace();
        int m = fit.iterations();
        assertThat(fit.converged()).isTrue();
        assertThat(t).hasSize(m + 1);
        assertThat(m).isGreaterThanOrEqualTo(2);
        assertThat(fit.warnings()).noneSatisfy(w -> assertThat(w).contains("did not converge"));
        // The change that met the tolerance is the one before the last step ...
        assertThat(Math.abs(t[m - 1] - t[m - 2]) / n).isLessThan(tol);
        // ... and no earlier change did.
        for (int i = 1; i < m - 1; i++) {
            assertThat(Math.abs(t[i] - t[i - 1]) / n).as("change at iteration %d", i).isGreaterThanOrEqualTo(tol);
        }
        assertThat(t[m]).isEqualTo(fit.objective());
    }

    @Test
    void listenerSeesEveryIterationWithTheTracesValues() {
        List<IterationEvent> events = new ArrayList<>();
        EmResult<GaussianMixtureModel> fit = plainEm(2).tolerance(0).maxIterations(12)
                .threads(1).listener(events::add).fit(TestData.faithful());
        double[] t = fit.trace();
        assertThat(events).hasSize(t.length);
        int n = TestData.faithful().rows();
        for (int i = 0; i < t.length; i++) {
            IterationEvent e = events.get(i);
            assertThat(e.iteration()).isEqualTo(i);
            assertThat(e.objective()).isEqualTo(t[i]);
            if (i == 0) {
                assertThat(e.meanChange()).isNaN();
            } else {
                assertThat(e.meanChange()).isCloseTo((t[i] - t[i - 1]) / n,
                        org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }

    /** The engine's former defaults, which this test pins: plain EM, tolerance 1e-3 per row. */
    private static io.emkit.gaussian.GaussianMixture plainEm(int components) {
        return io.emkit.gaussian.GaussianMixture.withComponents(components).options(io.emkit.em.EmOptions.defaults()
                .withInitializations(1).withTolerance(1e-3).withAcceleration(io.emkit.em.Acceleration.NONE));
    }
}
