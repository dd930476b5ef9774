package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.em.Acceleration;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Topologies: the masks they stand for, refusals of masks that are not usable, and forbidden transitions and
 * start states kept at exactly 0 through Baum–Welch, with SQUAREM and with Dirichlet pseudo-counts, for any thread
 * count.
 */
class TopologyTest {
    /** A 4-state left-to-right chain with one skip (2 → 4), the last state absorbing. */
    static HiddenMarkovModel leftRightTruth() {
        return HiddenMarkovModel.of(new double[] {1, 0, 0, 0},
                new double[][] {{0.9, 0.1, 0, 0}, {0, 0.85, 0.1, 0.05}, {0, 0, 0.9, 0.1}, {0, 0, 0, 1}},
                GaussianEmission.diag(new double[][] {{0}, {3}, {6}, {9}}, new double[][] {{1}, {1}, {1}, {1}}));
    }

    @Test
    void leftRightAllowsExactlyTheForwardJumpsUpToJ() {
        Topology t = Topology.leftRight(5, 2);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(t.allows(i, j)).as("%d -> %d", i, j).isEqualTo(j >= i && j <= i + 2);
            }
            assertThat(t.allowsStart(i)).isEqualTo(i == 0);
        }
        assertThat(Topology.parse("left-right", 3).allows(0, 2)).isFalse();
        assertThat(Topology.parse("Left-Right:2", 3).allows(0, 2)).isTrue();
        assertThat(Topology.parse("ergodic", 3).isErgodic()).isTrue();
        assertThatThrownBy(() -> Topology.parse("left-right:0", 3)).isInstanceOf(EmkitException.class)
                .hasMessageContaining("left-right:J");
    }

    @Test
    void aMaskStartsInItsSourcesOrAnywhereWithoutOne() {
        Topology lr = Topology.of(new boolean[][] {{true, true, false}, {false, true, true}, {false, false, true}});
        assertThat(lr.allowsStart(0)).isTrue();
        assertThat(lr.allowsStart(1)).isFalse();
        assertThat(lr.allowsStart(2)).isFalse();
        Topology cycle = Topology.of(new boolean[][] {{false, true, false}, {false, false, true}, {true, false, false}});
        assertThat(cycle.allowsStart(0) && cycle.allowsStart(1) && cycle.allowsStart(2)).isTrue();
    }

    @Test
    void masksThatLeaveAStateUnreachableOrWithNoWayOutAreRefused() {
        assertThatThrownBy(() -> Topology.of(new boolean[][] {{true, true}, {false, false}}))
                .isInstanceOf(EmkitException.class).hasMessageContaining("state 2 with no way out");
        // State 1 is the only source; 2 and 3 only lead to each other: nothing can enter them.
        assertThatThrownBy(() -> Topology.of(new boolean[][] {{true, false, false}, {false, true, true},
                {false, true, true}})).isInstanceOf(EmkitException.class)
                .hasMessageContaining("state 2 unreachable from the start state 1");
        assertThatThrownBy(() -> Topology.of(new boolean[][] {{true, true}, {true}}))
                .isInstanceOf(EmkitException.class).hasMessageContaining("row 2 has 1 entries, expected 2");
    }

    @Test
    void maskFilesNameTheLineAndColumnOfABadCell(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("m.csv"), "1,1,0\n0,2,1\n0,0,1\n");
        assertThatThrownBy(() -> Topology.readMask(bad, 3)).isInstanceOf(EmkitException.class)
                .hasMessage(bad + ", line 2, column 2: '2' is not 0 or 1");
        Path shortRow = Files.writeString(dir.resolve("s.csv"), "1,1,0\n0,1\n0,0,1\n");
        assertThatThrownBy(() -> Topology.readMask(shortRow, 3)).hasMessage(shortRow
                + ", line 2: 2 cells, expected 3 (one per state)");
        Path tooFew = Files.writeString(dir.resolve("f.csv"), "# a comment\n1,1\n");
        assertThatThrownBy(() -> Topology.readMask(tooFew, 3)).hasMessageContaining("line 2: 2 cells");
        Path twoRows = Files.writeString(dir.resolve("t.csv"), "1,1,0\n0,1,1\n");
        assertThatThrownBy(() -> Topology.readMask(twoRows, 3)).hasMessage(twoRows
                + ": the transition mask has 2 rows, expected 3 (one per state)");
        Path ok = Files.writeString(dir.resolve("ok.csv"), "# left to right\n1,1,0\n\n0,1,1\n0,0,1\n");
        assertThat(Topology.readMask(ok, 3).allows(1, 2)).isTrue();
        assertThat(Topology.readMask(ok, 3).allows(2, 1)).isFalse();
    }

    private static EmResult<HiddenMarkovModel> fitLeftRight(Sequences data, Acceleration acceleration, int threads) {
        HiddenMarkov config = HiddenMarkov.gaussian(4, CovarianceType.DIAG).topology(Topology.leftRight(4, 2))
                .transitionPrior(1.5).startPrior(2.0).seed(5).threads(threads);
        return config.options(config.options().withAcceleration(acceleration)).fit(data);
    }

    @Test
    void forbiddenTransitionsAndStartsStayExactlyZeroUnderSquaremAndPriors() {
        Sequences data = leftRightTruth().sample(12, 80, 1).observations();
        for (Acceleration acceleration : Acceleration.values()) {
            HiddenMarkovModel m = fitLeftRight(data, acceleration, 1).params();
            double[][] a = m.transitionMatrix();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    if (j < i || j > i + 2) {
                        assertThat(a[i][j]).as("%s: %d -> %d", acceleration, i, j).isZero();
                    } else {
                        assertThat(a[i][j]).as("%s: %d -> %d is allowed", acceleration, i, j).isPositive();
                    }
                }
                assertThat(Arrays.stream(a[i]).sum()).isCloseTo(1.0, within(1e-12));
            }
            assertThat(m.startProbabilities()).as("%s", acceleration).containsExactly(1, 0, 0, 0);
            // Recovered: the 2 -> 4 skip and the stays (12 sequences of 80 steps).
            assertThat(a[1][3]).isCloseTo(0.05, within(0.04));
            assertThat(a[0][0]).isCloseTo(0.9, within(0.05));
            assertThat(m.emission().logDensity(new double[] {9}, 3))
                    .isGreaterThan(m.emission().logDensity(new double[] {9}, 0));
        }
    }

    @Test
    void aTopologyFitIsTheSameBitForBitForOneTwoAndThreeThreads() {
        Sequences data = leftRightTruth().sample(70, 40, 2).observations();
        HiddenMarkovModel one = fitLeftRight(data, Acceleration.SQUAREM, 1).params();
        assertThat(fitLeftRight(data, Acceleration.SQUAREM, 2).params()).isEqualTo(one);
        assertThat(fitLeftRight(data, Acceleration.SQUAREM, 3).params()).isEqualTo(one);
    }

    @Test
    void aStartingModelIsCutToTheTopologyAndItsRowsRescaled() {
        Sequences data = leftRightTruth().sample(6, 60, 3).observations();
        HiddenMarkovModel ergodic = HiddenMarkovModel.of(new double[] {0.25, 0.25, 0.25, 0.25},
                new double[][] {{0.7, 0.1, 0.1, 0.1}, {0.1, 0.7, 0.1, 0.1}, {0.1, 0.1, 0.7, 0.1}, {0.1, 0.1, 0.1, 0.7}},
                GaussianEmission.diag(new double[][] {{0}, {3}, {6}, {9}}, new double[][] {{1}, {1}, {1}, {1}}));
        Topology t = Topology.leftRight(4, 1);
        HiddenMarkovModel cut = t.applyTo(ergodic);
        assertThat(cut.transitionMatrix()[0]).containsExactly(new double[] {0.875, 0.125, 0, 0}, within(1e-15));
        assertThat(cut.transitionMatrix()[3]).containsExactly(0, 0, 0, 1);
        assertThat(cut.startProbabilities()).containsExactly(1, 0, 0, 0);
        HiddenMarkovModel fitted = HiddenMarkov.gaussian(4, CovarianceType.DIAG).initialModel(ergodic).topology(t)
                .fit(data).params();
        assertThat(fitted.transitionMatrix()[0][2]).isZero();
        assertThat(fitted.transitionMatrix()[1][3]).isZero();
        assertThat(fitted.transitionMatrix()[2][0]).isZero();
        assertThat(fitted.startProbabilities()[1]).isZero();
        // Without a topology the same start stays ergodic.
        HiddenMarkovModel free = HiddenMarkov.gaussian(4, CovarianceType.DIAG).initialModel(ergodic).fit(data)
                .params();
        assertThat(free.transitionMatrix()[2][0]).isPositive();
    }

    @Test
    void theTopologyMustBeForTheModelsNumberOfStates() {
        assertThatThrownBy(() -> HiddenMarkov.gaussian(3, CovarianceType.DIAG).topology(Topology.ergodic(4)))
                .isInstanceOf(EmkitException.class).hasMessageContaining("4 states, the model has 3");
    }
}
