package io.emkit.hmm;

import io.emkit.EmkitException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Sampling that continues from a given state. */
class SampleFromStateTest {
    /** State 2 never starts a sequence under π; the draw must begin there anyway. */
    private static final HiddenMarkovModel MODEL = HiddenMarkovModel.of(new double[] {0.5, 0.5, 0.0},
            new double[][] {{0.8, 0.1, 0.1}, {0.2, 0.7, 0.1}, {0.25, 0.15, 0.6}},
            PoissonEmission.of(new double[][] {{1}, {5}, {20}}));

    /**
     * Every first step is in the given state, and the second step's state follows that state's transition row:
     * with 20000 draws each frequency lies within 5 standard errors, sqrt(p(1 − p) / n), of A[2][j].
     */
    @Test
    void everySequenceBeginsInTheStateAndMovesByItsRow() {
        int n = 20000;
        HiddenMarkovModel.Sample sample = MODEL.sample(n, 2, 11, 2);
        double[] next = new double[3];
        for (int[] path : sample.states()) {
            assertThat(path[0]).isEqualTo(2);
            next[path[1]]++;
        }
        double[] row = {0.25, 0.15, 0.6};
        for (int j = 0; j < 3; j++) {
            double se = Math.sqrt(row[j] * (1 - row[j]) / n);
            assertThat(next[j] / n).as("P(2 -> %d)", j).isCloseTo(row[j], within(5 * se));
        }
    }

    @Test
    void itIsTheDrawOfTheModelWithItsStartPutOnThatState() {
        HiddenMarkovModel onState1 = HiddenMarkovModel.of(new double[] {0, 1, 0}, MODEL.transitionMatrix(),
                MODEL.emission());
        HiddenMarkovModel.Sample a = MODEL.sample(3, 50, 4, 1);
        HiddenMarkovModel.Sample b = onState1.sample(3, 50, 4);
        assertThat(a.states()).isDeepEqualTo(b.states());
        assertThat(a.observations().rawValues()).containsExactly(b.observations().rawValues());
    }

    @Test
    void aStateTheModelLacksIsRefused() {
        assertThatThrownBy(() -> MODEL.sample(1, 5, 1, 3)).isInstanceOf(EmkitException.class)
                .hasMessage("start state 3 is not a state of the model (states 0..2)");
        assertThatThrownBy(() -> MODEL.sample(1, 5, 1, -1)).isInstanceOf(EmkitException.class);
    }
}
