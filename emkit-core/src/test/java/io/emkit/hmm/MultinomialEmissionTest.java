package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Multinomial (count-vector) emissions: the log-likelihood against a sum over every state path with the
 * multinomial probabilities written out, the M-step against hmmlearn's {@code stats['obs'] / sum}, recovery of
 * known parameters, thread independence.
 */
class MultinomialEmissionTest {
    static final double[][] P = {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}};

    static HiddenMarkovModel truth(int trials) {
        return HiddenMarkovModel.of(new double[] {0.6, 0.4}, new double[][] {{0.8, 0.2}, {0.3, 0.7}},
                MultinomialEmission.of(P, trials));
    }

    /** n! / (x1! x2! x3!) p1^x1 p2^x2 p3^x3, with factorials by products. */
    private static double multinomial(double[] x, double[] p) {
        int n = 0;
        double prob = 1;
        for (int k = 0; k < x.length; k++) {
            n += (int) x[k];
            prob *= Math.pow(p[k], x[k]);
            for (int i = 2; i <= (int) x[k]; i++) {
                prob /= i;
            }
        }
        for (int i = 2; i <= n; i++) {
            prob *= i;
        }
        return prob;
    }

    @Test
    void theLogLikelihoodIsTheSumOverAllStatePaths() {
        // Four steps of varying totals (3, 5, 0, 2 trials): 2^4 paths.
        double[][] x = {{1, 2, 0}, {0, 1, 4}, {0, 0, 0}, {2, 0, 0}};
        HiddenMarkovModel m = truth(0);
        double total = 0;
        double best = 0;
        for (int path = 0; path < 16; path++) {
            int[] s = new int[4];
            for (int t = 0; t < 4; t++) {
                s[t] = (path >> t) & 1;
            }
            double p = new double[] {0.6, 0.4}[s[0]] * multinomial(x[0], P[s[0]]);
            for (int t = 1; t < 4; t++) {
                p *= m.transition(s[t - 1], s[t]) * multinomial(x[t], P[s[t]]);
            }
            total += p;
            best = Math.max(best, p);
        }
        Sequences data = Sequences.of(java.util.Collections.singletonList(x));
        assertThat(m.logLikelihood(data)).isCloseTo(Math.log(total), within(1e-12));
        assertThat(m.viterbiLogProbabilities(data)[0]).isCloseTo(Math.log(best), within(1e-12));
        assertThat(m.emission().logDensity(new double[] {1, 2, 0}, 0))
                .isCloseTo(Math.log(3 * 0.7 * 0.2 * 0.2), within(1e-14));
    }

    /**
     * hmmlearn's {@code test_compare_with_categorical_hmm} (tests/test_multinomial_hmm.py): the rainy/sunny model
     * with one trial per step equals the categorical one; its published Viterbi probability 0.01344 (to 5
     * places), path [1, 0, 0] and posteriors (to 1e-6).
     */
    @Test
    void hmmlearnsPublishedValuesWithOneTrialPerStep() {
        double[] start = {0.6, 0.4};
        double[][] a = {{0.7, 0.3}, {0.4, 0.6}};
        double[][] p = {{0.1, 0.4, 0.5}, {0.6, 0.3, 0.1}};
        HiddenMarkovModel multinomial = HiddenMarkovModel.of(start, a, MultinomialEmission.of(p, 1));
        HiddenMarkovModel categorical = HiddenMarkovModel.of(start, a, CategoricalEmission.of(p));
        Sequences counts = Sequences.of(java.util.Collections.singletonList(
                new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
        Sequences symbols = Sequences.ofSymbols(new int[] {0, 1, 2});
        double viterbi = multinomial.viterbiLogProbabilities(counts)[0];
        assertThat(Math.round(Math.exp(viterbi) * 1e5) / 1e5).isEqualTo(0.01344);
        assertThat(viterbi).isCloseTo(categorical.viterbiLogProbabilities(symbols)[0], within(1e-14));
        assertThat(multinomial.viterbi(counts)[0]).containsExactly(1, 0, 0);
        double[][] expected = {{0.23170303, 0.76829697}, {0.62406281, 0.37593719}, {0.86397706, 0.13602294}};
        double[][] post = multinomial.posteriors(counts)[0];
        for (int t = 0; t < 3; t++) {
            assertThat(post[t]).containsExactly(expected[t], within(1e-6));
        }
        assertThat(multinomial.logLikelihood(counts)).isCloseTo(categorical.logLikelihood(symbols), within(1e-14));
    }

    @Test
    void anUnobservedImpossibleCategoryCostsNothingAndAnObservedOneIsImpossible() {
        MultinomialEmission e = MultinomialEmission.of(new double[][] {{0.5, 0.5, 0.0}}, 0);
        assertThat(e.logDensity(new double[] {1, 1, 0}, 0)).isCloseTo(Math.log(0.5), within(1e-15));
        assertThat(e.logDensity(new double[] {1, 1, 1}, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(e.logDensity(new double[] {1.5, 1, 0}, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void theMStepIsTheNormalisedPosteriorWeightedCounts() {
        double[][] x = {{1, 2, 0}, {0, 1, 4}, {3, 0, 1}};
        double[][] gamma = {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}};
        MultinomialEmission e = MultinomialEmission.of(P, 0);
        Emission.Statistics stats = e.newStatistics();
        double[] flatX = new double[9];
        double[] flatGamma = new double[6];
        for (int t = 0; t < 3; t++) {
            System.arraycopy(x[t], 0, flatX, 3 * t, 3);
            System.arraycopy(gamma[t], 0, flatGamma, 2 * t, 2);
        }
        stats.add(flatX, 0, 3, flatGamma);
        double[][] next = ((MultinomialEmission) e.maximize(stats, 0, w -> { })).probabilities();
        // State 1: 0.9 (1,2,0) + 0.2 (0,1,4) + 0.6 (3,0,1) = (2.7, 2.0, 1.4), total 6.1.
        assertThat(next[0]).containsExactly(new double[] {2.7 / 6.1, 2.0 / 6.1, 1.4 / 6.1}, within(1e-15));
        // State 2: 0.1 (1,2,0) + 0.8 (0,1,4) + 0.4 (3,0,1) = (1.3, 1.0, 3.6), total 5.9.
        assertThat(next[1]).containsExactly(new double[] {1.3 / 5.9, 1.0 / 5.9, 3.6 / 5.9}, within(1e-15));
    }

    @Test
    void aFitRecoversTheGeneratingParametersForAnyThreadCount() {
        Sequences data = truth(20).sample(60, 50, 4).observations();
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.multinomial(2).seed(3).threads(1).fit(data);
        HiddenMarkovModel m = fit.params();
        int first = m.emission() instanceof MultinomialEmission e && e.probabilities()[0][0] > 0.4 ? 0 : 1;
        double[][] p = ((MultinomialEmission) m.emission()).probabilities();
        assertThat(p[first]).containsExactly(P[0], within(0.01));
        assertThat(p[1 - first]).containsExactly(P[1], within(0.01));
        assertThat(m.transition(first, first)).isCloseTo(0.8, within(0.03));
        assertThat(m.transition(1 - first, 1 - first)).isCloseTo(0.7, within(0.03));
        assertThat(((MultinomialEmission) m.emission()).trials()).as("every row has 20 trials").isEqualTo(20);
        // 1 start + 2 transitions + 2 × 2 category probabilities.
        assertThat(fit.parameterCount()).isEqualTo(7);
        assertThat(HiddenMarkov.multinomial(2).seed(3).threads(2).fit(data).params()).isEqualTo(m);
        assertThat(HiddenMarkov.multinomial(2).seed(3).threads(3).fit(data).params()).isEqualTo(m);
    }

    @Test
    void rowsOfVaryingTotalsFitButCannotBeSampledFrom() {
        double[] rows = {1, 2, 0, 0, 1, 4, 3, 0, 1, 2, 2, 2, 0, 0, 5, 4, 1, 0};
        Sequences data = Sequences.of(Dataset.wrap(rows, 6, 3, List.of("a", "b", "c")), new int[] {6});
        HiddenMarkovModel m = HiddenMarkov.multinomial(2).seed(1).fit(data).params();
        assertThat(((MultinomialEmission) m.emission()).trials()).isZero();
        assertThat(m.featureNames()).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> m.sample(1, 5, 0)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("varying totals");
        HiddenMarkovModel ten = HiddenMarkovModel.of(m.startProbabilities(), m.transitionMatrix(),
                ((MultinomialEmission) m.emission()).withTrials(10));
        double[] drawn = ten.sample(1, 5, 0).observations().rawValues();
        for (int t = 0; t < 5; t++) {
            assertThat(drawn[3 * t] + drawn[3 * t + 1] + drawn[3 * t + 2]).isEqualTo(10);
        }
    }

    @Test
    void negativeOrFractionalCountsAreRefusedNamingTheStep() {
        double[] rows = {1, 2, 0, 0, -1, 4};
        Sequences data = Sequences.of(Dataset.wrap(rows, 2, 3, List.of("a", "b", "c")), new int[] {2});
        assertThatThrownBy(() -> HiddenMarkov.multinomial(2).fit(data)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("step 2, column 2 ('b')").hasMessageContaining("multinomial");
    }
}
