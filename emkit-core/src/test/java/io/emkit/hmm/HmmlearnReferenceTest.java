package io.emkit.hmm;

import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * hmmlearn's published values for its base HMM ({@code tests/test_base.py}, {@code TestBaseAgainstWikipedia}: the
 * umbrella example of Wikipedia's forward–backward article). hmmlearn hard-codes the frame probabilities
 * {@code [[0.9, 0.2], [0.9, 0.2], [0.1, 0.8], [0.9, 0.2], [0.9, 0.2]]}; a categorical emission with
 * P(umbrella) = 0.9 in state 0 and 0.2 in state 1, observing umbrella, umbrella, none, umbrella, umbrella, gives
 * exactly those frames. Its numbers are printed to 4 places, so they are checked to 4 places. And its categorical
 * HMM's ({@code tests/test_categorical_hmm.py}, {@code TestCategoricalAgainstWikipedia}: the rainy/sunny model of
 * Wikipedia's Viterbi article, observing walk, shop, clean).
 */
class HmmlearnReferenceTest {
    private static final HiddenMarkovModel UMBRELLA = HiddenMarkovModel.of(new double[] {0.5, 0.5},
            new double[][] {{0.7, 0.3}, {0.3, 0.7}}, CategoricalEmission.of(new double[][] {{0.9, 0.1}, {0.2, 0.8}}));
    private static final Sequences DAYS = Sequences.ofSymbols(new int[] {0, 0, 1, 0, 0});

    private static double toFourPlaces(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    /** test_do_forward_pass and test_score_samples: reflogprob = -3.3725. */
    @Test
    void logLikelihoodIsHmmlearns() {
        assertThat(toFourPlaces(UMBRELLA.logLikelihood(DAYS))).isEqualTo(-3.3725);
    }

    /** test_score_samples: refposteriors, atol 1e-4. */
    @Test
    void posteriorsAreHmmlearns() {
        double[][] expected = {{0.8673, 0.1327}, {0.8204, 0.1796}, {0.3075, 0.6925}, {0.8204, 0.1796},
                {0.8673, 0.1327}};
        double[][] posteriors = UMBRELLA.posteriors(DAYS)[0];
        for (int t = 0; t < expected.length; t++) {
            assertThat(posteriors[t]).as("step %d", t).containsExactly(expected[t], within(1e-4));
        }
    }

    /**
     * test_decode_viterbi (probability 0.01344 to 5 places, path [1, 0, 0]), test_decode_map (path [1, 0, 0]) and
     * test_predict (posteriors, numpy's allclose: 1e-8 + 1e-5 relative).
     */
    @Test
    void rainySunnyDecodingIsHmmlearns() {
        HiddenMarkovModel weather = HiddenMarkovModel.of(new double[] {0.6, 0.4},
                new double[][] {{0.7, 0.3}, {0.4, 0.6}},
                CategoricalEmission.of(new double[][] {{0.1, 0.4, 0.5}, {0.6, 0.3, 0.1}}));
        Sequences walkShopClean = Sequences.ofSymbols(new int[] {0, 1, 2});
        assertThat(Math.round(Math.exp(weather.viterbiLogProbabilities(walkShopClean)[0]) * 1e5) / 1e5)
                .isEqualTo(0.01344);
        assertThat(weather.viterbi(walkShopClean)[0]).containsExactly(1, 0, 0);
        assertThat(weather.mapStates(walkShopClean)[0]).containsExactly(1, 0, 0);
        double[][] expected = {{0.23170303, 0.76829697}, {0.62406281, 0.37593719}, {0.86397706, 0.13602294}};
        double[][] posteriors = weather.posteriors(walkShopClean)[0];
        for (int t = 0; t < expected.length; t++) {
            assertThat(posteriors[t]).as("step %d", t).containsExactly(expected[t], within(1e-7));
        }
    }

    /** test_do_viterbi_pass: refstate_sequence = [0, 0, 1, 0, 0], reflogprob = -4.4590. */
    @Test
    void viterbiPathAndLogProbabilityAreHmmlearns() {
        assertThat(UMBRELLA.viterbi(DAYS)[0]).containsExactly(0, 0, 1, 0, 0);
        assertThat(toFourPlaces(UMBRELLA.viterbiLogProbabilities(DAYS)[0])).isEqualTo(-4.4590);
        int[][] path = {{0, 0, 1, 0, 0}};
        assertThat(UMBRELLA.pathLogProbabilities(DAYS, path)[0])
                .isCloseTo(UMBRELLA.viterbiLogProbabilities(DAYS)[0], within(1e-12));
    }
}
