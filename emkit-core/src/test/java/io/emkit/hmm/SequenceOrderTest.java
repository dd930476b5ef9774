package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixtureModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fit does not depend on the order of the sequences: the same sequences in three orders give the same
 * log-likelihood and parameters, bit for bit (hmmlearn's own check allows 5e-3 in log-likelihood). One long
 * sequence and the same steps cut into pieces are different data (the cuts drop transitions and add starts),
 * so they are not compared here.
 */
class SequenceOrderTest {
    /** Ten sequences of unequal lengths from a 3-state model with two Gaussians per state. */
    private static List<double[][]> sequences() {
        GaussianMixtureModel components = GaussianMixtureModel.full(
                new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0},
                new double[][] {{0, 0}, {1, 1}, {4, 0}, {5, -1}, {0, 5}, {-1, 6}},
                new double[][][] {id(0.5), id(0.3), id(0.4), id(0.6), id(0.5), id(0.2)});
        HiddenMarkovModel truth = HiddenMarkovModel.of(new double[] {0.5, 0.3, 0.2},
                new double[][] {{0.9, 0.05, 0.05}, {0.1, 0.8, 0.1}, {0.05, 0.15, 0.8}},
                GaussianMixtureEmission.of(new double[][] {{0.5, 0.5}, {0.3, 0.7}, {0.6, 0.4}}, components));
        List<double[][]> out = new ArrayList<>();
        for (int q = 0; q < 10; q++) {
            Sequences one = truth.sample(1, 40 + 13 * q, 100 + q).observations();
            out.add(one.sequence(0));
        }
        return out;
    }

    private static double[][] id(double v) {
        return new double[][] {{v, 0}, {0, v}};
    }

    private static void assertOrderFree(HiddenMarkov config) {
        List<double[][]> data = sequences();
        EmResult<HiddenMarkovModel> first = config.fit(Sequences.of(data));
        Random random = new Random(7);
        for (int order = 0; order < 3; order++) {
            List<double[][]> shuffled = new ArrayList<>(data);
            Collections.shuffle(shuffled, random);
            assertThat(shuffled).as("a real reordering").isNotEqualTo(data);
            EmResult<HiddenMarkovModel> again = config.fit(Sequences.of(shuffled));
            assertThat(Double.doubleToRawLongBits(again.logLikelihood())).as("log-likelihood in order %d", order)
                    .isEqualTo(Double.doubleToRawLongBits(first.logLikelihood()));
            assertThat(again.iterations()).isEqualTo(first.iterations());
            assertThat(again.params()).as("parameters in order %d", order).isEqualTo(first.params());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "TIED", "DIAG", "SPHERICAL"})
    void aGaussianMixtureHmmFitsTheSameInAnyOrder(CovarianceType type) {
        assertOrderFree(HiddenMarkov.gaussianMixture(3, 2, type).initializations(2).maxIterations(30).seed(5)
                .threads(2));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG"})
    void aGaussianHmmFitsTheSameInAnyOrder(CovarianceType type) {
        assertOrderFree(HiddenMarkov.gaussian(3, type).initializations(2).maxIterations(30).seed(5).threads(2));
    }
}
