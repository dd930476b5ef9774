package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Sequences are validated; expected counts merged over any partition of the sequences give the same M-step. */
class SequencesAndStatisticsTest {
    @Test
    void emptySequencesAndNonFiniteValuesAreRefused() {
        assertThatThrownBy(() -> Sequences.of(List.of(new double[][] {{1}}, new double[0][])))
                .isInstanceOf(EmkitException.class).hasMessage("sequence 2 is empty; every sequence needs at least one step");
        assertThatThrownBy(() -> Sequences.of(Dataset.ofColumn(1, 2, 3), new int[] {2, 0, 1}))
                .isInstanceOf(EmkitException.class).hasMessageContaining("sequence 2 is empty");
        assertThatThrownBy(() -> Sequences.of(Dataset.ofColumn(1, 2, 3), new int[] {2, 2}))
                .isInstanceOf(EmkitException.class).hasMessageContaining("sum to 4 but the data have 3 rows");
        assertThatThrownBy(() -> Sequences.of(List.<double[][]>of(new double[][] {{1}, {Double.NaN}})))
                .isInstanceOf(EmkitException.class).hasMessage("sequence 1, step 2, column 1 ('x1'): NaN is not a finite number");
    }

    @Test
    void sequencesKnowWhereEachStepIs() {
        Sequences s = Sequences.of(Dataset.ofColumn(1, 2, 3, 4, 5, 6), new int[] {1, 3, 2});
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.totalLength()).isEqualTo(6);
        assertThat(s.start(2)).isEqualTo(4);
        assertThat(s.sequenceOf(0)).isEqualTo(0);
        assertThat(s.sequenceOf(3)).isEqualTo(1);
        assertThat(s.sequenceOf(5)).isEqualTo(2);
        assertThat(s.sequence(1)).isDeepEqualTo(new double[][] {{2}, {3}, {4}});
    }

    @Test
    void outOfSupportDataAndBadConfigurationsAreRefused() {
        assertThatThrownBy(() -> HiddenMarkov.gaussian(0, CovarianceType.FULL)).isInstanceOf(EmkitException.class)
                .hasMessage("the number of states must be at least 1, got 0");
        Sequences negative = Sequences.of(Dataset.ofColumn(1, 2, -1, 0), new int[] {2, 2});
        assertThatThrownBy(() -> HiddenMarkov.poisson(2).fit(negative)).isInstanceOf(EmkitException.class)
                .hasMessage("sequence 2, step 1, column 1 ('x1'): -1.0 is not a count (a whole number >= 0) for poisson"
                        + " emissions");
        Sequences symbols = Sequences.ofSymbols(new int[] {0, 1}).withFeatureNames(List.of("s"));
        assertThat(symbols.firstViolation(EmissionKind.CATEGORICAL::violation)).isNull();
        assertThatThrownBy(() -> HiddenMarkov.categorical(2).fit(Sequences.of(Dataset.ofColumn(0, 1.5), new int[] {2})))
                .isInstanceOf(EmkitException.class).hasMessageContaining("1.5 is not a category");
        assertThatThrownBy(() -> HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{1, 0}, {0.5, 0.4}},
                PoissonEmission.of(new double[][] {{1}, {2}}))).isInstanceOf(EmkitException.class)
                .hasMessageContaining("transition row 2 must sum to 1");
    }

    @Test
    void countsMergedOverAnyPartitionOfTheSequencesGiveTheSameMStep() {
        HiddenMarkovModel m = BaumWelchTest.truth();
        Sequences data = m.sample(12, 30, 4).observations();
        BaumWelchSteps steps = new BaumWelchSteps(1e-6, false, null, 1);
        HmmStatistics whole = steps.emptyStatistics(m);
        double ll = steps.accumulate(m, data, 0, data.count(), whole);
        HiddenMarkovModel once = steps.maximize(whole, m, w -> { });

        List<HmmStatistics> parts = new ArrayList<>();
        double partsLl = 0;
        for (int[] range : new int[][] {{0, 5}, {5, 6}, {6, 12}}) {
            HmmStatistics p = steps.emptyStatistics(m);
            partsLl += steps.accumulate(m, data, range[0], range[1], p);
            parts.add(p);
        }
        Collections.shuffle(parts, new Random(1));
        HmmStatistics merged = parts.get(0);
        merged.merge(parts.get(1));
        merged.merge(parts.get(2));
        HiddenMarkovModel split = steps.maximize(merged, m, w -> { });

        assertThat(partsLl).isCloseTo(ll, within(1e-9 * Math.abs(ll)));
        double[][] a = once.transitionMatrix();
        double[][] b = split.transitionMatrix();
        for (int i = 0; i < 3; i++) {
            assertThat(b[i]).containsExactly(a[i], within(1e-12));
        }
        assertThat(split.startProbabilities()).containsExactly(once.startProbabilities(), within(1e-12));
        GaussianEmission ea = (GaussianEmission) once.emission();
        GaussianEmission eb = (GaussianEmission) split.emission();
        for (int s = 0; s < 3; s++) {
            assertThat(eb.gaussians().mean(s)).containsExactly(ea.gaussians().mean(s), within(1e-10));
        }
    }
}
