package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.emkit.gaussian.GaussianReference.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A warm start continues from the given parameters: the trace starts at their log-likelihood. */
class WarmStartTest {
    private static final Dataset IRIS = TestData.iris();

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void traceStartsAtTheStartingModelsLogLikelihood(CovarianceType type) {
        GaussianReference.Params p = GaussianReference.randomParams(new SplittableRandom(type.ordinal()), type, 3, 4,
                1.0);
        // Centre the random start on the data so no row is impossibly far.
        double[][] mu = p.means();
        for (double[] m : mu) {
            m[0] += 5.8;
            m[1] += 3.0;
            m[2] += 3.7;
            m[3] += 1.2;
        }
        GaussianMixtureModel start = switch (type) {
            case FULL -> GaussianMixtureModel.full(p.weights(), mu, p.covariances());
            default -> GaussianMixtureModel.of(type, p.weights(), mu, p.covariances());
            case TIED -> GaussianMixtureModel.tied(p.weights(), mu, p.covariances()[0]);
            case DIAG -> {
                double[][] v = new double[3][4];
                for (int c = 0; c < 3; c++) {
                    for (int j = 0; j < 4; j++) {
                        v[c][j] = p.covariances()[c][j][j];
                    }
                }
                yield GaussianMixtureModel.diag(p.weights(), mu, v);
            }
            case SPHERICAL -> {
                double[] v = new double[3];
                for (int c = 0; c < 3; c++) {
                    v[c] = p.covariances()[c][0][0];
                }
                yield GaussianMixtureModel.spherical(p.weights(), mu, v);
            }
        };
        double expected = GaussianReference.logLikelihood(IRIS, p.weights(), mu, p.covariances());
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type)
                .initialModel(start).maxIterations(5).tolerance(0).threads(1).fit(IRIS);
        assertThat(close(fit.trace()[0], expected, 1e-9, 1)).as("trace[0] %s vs reference %s", fit.trace()[0],
                expected).isTrue();
        assertThat(fit.trace()).hasSize(6);
        assertThat(fit.trace()[5]).isGreaterThan(fit.trace()[0]);
    }

    @Test
    void continuingFromAFittedModelStartsWhereItEnded() {
        EmResult<GaussianMixtureModel> first = GaussianMixture.withComponents(3).seed(2).threads(1).fit(IRIS);
        GaussianMixtureModel fitted = first.params();
        EmResult<GaussianMixtureModel> again = GaussianMixture.withComponents(3).initialModel(fitted).tolerance(0)
                .maxIterations(10).threads(1).fit(IRIS);
        double[] trace = again.trace();
        assertThat(close(trace[0], first.logLikelihood(), 1e-12, 1)).as("trace[0] %s vs first fit %s", trace[0],
                first.logLikelihood()).isTrue();
        double ref = GaussianReference.logLikelihood(IRIS, fitted.weights(), fitted.means(), fitted.covariances());
        assertThat(close(trace[0], ref, 1e-9, 1)).isTrue();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @Test
    void zeroIterationsFromAStartReturnsTheStartUnchanged() {
        GaussianMixtureModel start = GaussianMixtureModel.diag(new double[] {0.25, 0.75},
                new double[][] {{5, 3.4, 1.5, 0.2}, {6.3, 2.9, 5, 1.7}},
                new double[][] {{0.12, 0.14, 0.03, 0.01}, {0.4, 0.1, 0.7, 0.2}});
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).covarianceType(CovarianceType.DIAG)
                .initialModel(start).maxIterations(0).threads(1).fit(IRIS);
        GaussianMixtureModel m = fit.params();
        assertThat(fit.iterations()).isZero();
        assertThat(fit.trace()).hasSize(1);
        assertThat(Arrays.equals(m.weights(), start.weights())).isTrue();
        assertThat(Arrays.deepEquals(m.means(), start.means())).isTrue();
        assertThat(Arrays.deepEquals(m.covariances(), start.covariances())).isTrue();
        assertThat(m.featureNames()).as("named after the data").isEqualTo(IRIS.columnNames());
    }

    @Test
    void startingModelOfTheWrongShapeIsRefused() {
        GaussianMixtureModel twoComponents = GaussianMixtureModel.spherical(new double[] {0.5, 0.5},
                new double[][] {{5, 3, 1, 0}, {6, 3, 5, 2}}, new double[] {1, 1});
        assertThatThrownBy(() -> GaussianMixture.withComponents(3).covarianceType(CovarianceType.SPHERICAL)
                .initialModel(twoComponents).fit(IRIS)).isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> GaussianMixture.withComponents(2).covarianceType(CovarianceType.FULL)
                .initialModel(twoComponents).fit(IRIS)).isInstanceOf(EmkitException.class);
    }
}
