package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Individual transitions kept fixed: they keep their values exactly, zeros stay zero, Baum–Welch never lowers
 * the log-likelihood, and the M-step is the constrained maximiser (checked against a direct numerical search).
 */
class FixedTransitionsTest {
    static final double[][] START_A = {{0.6, 0.3, 0.1}, {0.2, 0.5, 0.3}, {0.0, 0.25, 0.75}};
    static final boolean[][] MASK = {{false, true, false}, {false, false, false}, {false, true, false}};

    static EmResult<HiddenMarkovModel> fit(Sequences data, int iterations) {
        return HiddenMarkov.gaussian(3, CovarianceType.DIAG).transitions(START_A, false).fixedTransitions(MASK)
                .tolerance(0).maxIterations(iterations).seed(4).fit(data);
    }

    @Test
    void fixedEntriesStayExactlyFixedZerosStayZeroAndRowsSumToOne() {
        Sequences data = BaumWelchTest.truth().sample(4, 200, 3).observations();
        EmResult<HiddenMarkovModel> fit = fit(data, 40);
        double[][] a = fit.params().transitionMatrix();
        assertThat(a[0][1]).isEqualTo(0.3);
        assertThat(a[2][1]).isEqualTo(0.25);
        assertThat(a[2][0]).as("a structural zero").isZero();
        for (double[] row : a) {
            assertThat(Arrays.stream(row).sum()).isCloseTo(1.0, within(1e-12));
        }
        // The free entries moved away from where they started: they were re-estimated.
        assertThat(a[0][0]).isNotEqualTo(0.6);
        assertThat(a[1][1]).isNotEqualTo(0.5);
        // Free parameters: rows 1 and 3 have 2 and 1 free non-zero entries under the constraint (1 and 0
        // degrees of freedom), row 2 has 3 (2); start 2; 3 means and 3 variances of 2 columns.
        assertThat(fit.parameterCount()).isEqualTo(1 + 0 + 2 + 2 + 12);
    }

    @Test
    void baumWelchWithFixedEntriesNeverLowersTheLogLikelihood() {
        Sequences data = BaumWelchTest.truth().sample(3, 250, 8).observations();
        double[] trace = fit(data, 30).trace();
        assertThat(trace.length).isGreaterThan(10);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d of %s", i, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    /** The E-step's statistics over a sample, under a start that is not the generating model. */
    static HmmStatistics countsUnder(HiddenMarkovModel start, BaumWelchSteps steps, int length, long seed) {
        Sequences data = BaumWelchTest.truth().sample(2, length, seed).observations();
        HmmStatistics stats = steps.emptyStatistics(start);
        steps.accumulate(start, data, 0, data.count(), stats);
        return stats;
    }

    static HiddenMarkovModel start() {
        return HiddenMarkovModel.of(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, START_A,
                GaussianEmission.spherical(new double[][] {{0, 0}, {4, 1}, {-2, 4}}, new double[] {1, 1, 1}));
    }

    @Test
    void theMStepMaximisesTheExpectedLogLikelihoodUnderTheConstraint() {
        // One row's part of Q is Σ_j n_j log a_j. With a_1 fixed at 0.3, a_0 + a_2 = 0.7; search a_0 on a fine
        // grid and compare with the closed form the M-step uses.
        HiddenMarkovModel start = start();
        BaumWelchSteps steps = new BaumWelchSteps(1e-6, false, MASK, 1.0);
        HmmStatistics stats = countsUnder(start, steps, 300, 5);
        double[] n = stats.transitionCounts()[0];
        double[] row = steps.maximize(stats, start, w -> { }).transitionMatrix()[0];
        double bestA0 = 0;
        double bestQ = Double.NEGATIVE_INFINITY;
        for (int k = 1; k < 700_000; k++) {
            double a0 = 0.7 * k / 700_000;
            double q = n[0] * Math.log(a0) + n[2] * Math.log(0.7 - a0);
            if (q > bestQ) {
                bestQ = q;
                bestA0 = a0;
            }
        }
        assertThat(row[1]).isEqualTo(0.3);
        assertThat(row[0]).isCloseTo(bestA0, within(2e-6));
        assertThat(row[2]).isCloseTo(0.7 - bestA0, within(2e-6));
    }

    @Test
    void aDirichletPriorSharesTheRoomInProportionToCountsPlusAlphaMinusOne() {
        HiddenMarkovModel start = start();
        BaumWelchSteps steps = new BaumWelchSteps(1e-6, false, MASK, 4.0);
        HmmStatistics stats = countsUnder(start, steps, 100, 6);
        double[] n = stats.transitionCounts()[1];
        double[] row = steps.maximize(stats, start, w -> { }).transitionMatrix()[1];
        double total = n[0] + n[1] + n[2] + 9;
        for (int j = 0; j < 3; j++) {
            assertThat(row[j]).isCloseTo((n[j] + 3) / total, within(1e-12));
        }
    }

    @Test
    void fixedEntriesNeedStartingValues() {
        Sequences data = BaumWelchTest.truth().sample(1, 50, 1).observations();
        assertThatThrownBy(() -> HiddenMarkov.gaussian(3, CovarianceType.DIAG).fixedTransitions(MASK).fit(data))
                .isInstanceOf(EmkitException.class).hasMessageContaining("starting");
        assertThatThrownBy(() -> HiddenMarkov.gaussian(3, CovarianceType.DIAG).fixedTransitions(new boolean[2][2]))
                .isInstanceOf(EmkitException.class).hasMessageContaining("2 rows, expected 3");
        // From a starting model instead of a matrix: its entries are the fixed values.
        HiddenMarkovModel warm = BaumWelchTest.truth();
        HiddenMarkovModel m = HiddenMarkov.gaussian(3, CovarianceType.FULL).initialModel(warm).fixedTransitions(MASK)
                .maxIterations(5).fit(data).params();
        assertThat(m.transitionMatrix()[0][1]).isEqualTo(warm.transitionMatrix()[0][1]);
        assertThat(m.transitionMatrix()[2][1]).isEqualTo(warm.transitionMatrix()[2][1]);
    }
}
