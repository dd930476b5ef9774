package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.emkit.gaussian.GaussianReference.close;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * EM's defining property: no iteration lowers the log-likelihood. Checked on iris and on overlapping
 * synthetic data for every covariance structure and initialisation, running 60 iterations, for plain EM
 * and for SQUAREM and DAAREM (whose safeguards must keep the same guarantee).
 */
class EmMonotonicityTest {
    private static final int ITERATIONS = 60;
    private static final Dataset IRIS = TestData.iris();
    private static final Dataset SYNTHETIC = TestData.drawMixture(11, 600, new double[] {0.5, 0.3, 0.2},
            new double[][] {{0, 0}, {2, 1}, {0, 2.5}},
            new double[][][] {{{1, 0.3}, {0.3, 1}}, {{0.6, -0.2}, {-0.2, 0.9}}, {{1.2, 0.4}, {0.4, 0.5}}});

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Acceleration a : Acceleration.values()) {
            for (String name : new String[] {"iris", "synthetic"}) {
                for (CovarianceType t : CovarianceType.values()) {
                    for (Initialization init : Initialization.values()) {
                        out.add(Arguments.of(a, name, t, init));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, {2}, {3}")
    @MethodSource("cases")
    void traceNeverDecreasesAndEndsAtTheReturnedModelsLogLikelihood(Acceleration acceleration, String name,
                                                                    CovarianceType type, Initialization init) {
        Dataset data = name.equals("iris") ? IRIS : SYNTHETIC;
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3)
                .options(EmOptions.defaults().withAcceleration(acceleration)).covarianceType(type)
                .initialization(init).tolerance(0).maxIterations(ITERATIONS).seed(5).threads(1).fit(data);
        double[] trace = fit.trace();
        if (fit.converged()) {
            // Tolerance 0: only an accelerated run stops early, where an EM step would lower the objective
            // (regCovar makes the M-step an inexact ascent; the engine then keeps the better point).
            assertThat(acceleration).isNotEqualTo(Acceleration.NONE);
            assertThat(trace.length).isLessThanOrEqualTo(ITERATIONS + 1);
        } else {
            assertThat(trace).as("one entry for the start and one per E-step after it").hasSize(ITERATIONS + 1);
        }
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("log-likelihood after M-step %d (%s) fell from %s", i, trace[i], trace[i - 1])
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
        double last = trace[trace.length - 1];
        assertThat(last).as("last trace entry vs fit.logLikelihood()").isEqualTo(fit.logLikelihood());
        assertThat(fit.objective()).as("objective without a prior").isEqualTo(fit.logLikelihood());
        GaussianMixtureModel m = fit.params();
        double modelLl = m.logLikelihood(data);
        assertThat(close(modelLl, last, 1e-9, 1.0)).as("model.logLikelihood(data) %s vs trace end %s", modelLl, last)
                .isTrue();
        double referenceLl = GaussianReference.logLikelihood(data, m.weights(), m.means(), m.covariances());
        assertThat(close(referenceLl, last, 1e-9, 1.0)).as("reference log-likelihood %s vs trace end %s",
                referenceLl, last).isTrue();
    }
}
