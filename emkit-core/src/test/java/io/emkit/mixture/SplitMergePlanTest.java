package io.emkit.mixture;

import io.emkit.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SplitMergePlanTest {
    @Test
    void eachPairInOrderOfCostTakesItsSplitsOfAThirdComponentCheapestFirst() {
        // Four components: the pair (1, 3) is cheapest to merge, then (0, 2); the other pairs tie and go by index.
        SplitMergePlan.PairCost merge = (a, b) -> a == 1 && b == 3 ? -2 : a == 0 && b == 2 ? -1 : 0;
        // Splits, cheapest first: 3, 0, 2, 1.
        double[] split = {1, 3, 2, 0};
        List<int[]> moves = SplitMergePlan.moves(4, merge, s -> split[s], s -> true, 5);
        assertThat(moves).containsExactly(
                new int[] {1, 3, 0}, new int[] {1, 3, 2},   // 3, the cheapest split, is in the pair
                new int[] {0, 2, 3}, new int[] {0, 2, 1},
                new int[] {0, 1, 3});                       // then the tied pairs by index, until five moves
    }

    @Test
    void theCheapestMergeTakesAsManySplitsAsThereAreMovesBeforeTheNextPair() {
        // Six components: (2, 4) is cheapest to merge, then (0, 1); splits, cheapest first: 4, 5, 0, 3, 1, 2.
        SplitMergePlan.PairCost merge = (a, b) -> a == 2 && b == 4 ? -2 : a == 0 && b == 1 ? -1 : 0;
        double[] split = {2, 4, 5, 3, 0, 1};
        assertThat(SplitMergePlan.moves(6, merge, s -> split[s], s -> true, 4)).containsExactly(
                new int[] {2, 4, 5}, new int[] {2, 4, 0}, new int[] {2, 4, 3}, new int[] {2, 4, 1});
        assertThat(SplitMergePlan.moves(6, merge, s -> split[s], s -> true, 6)).containsExactly(
                new int[] {2, 4, 5}, new int[] {2, 4, 0}, new int[] {2, 4, 3}, new int[] {2, 4, 1},
                new int[] {0, 1, 4}, new int[] {0, 1, 5});
    }

    @Test
    void twoMergeCriteriaInTurnGiveEachPairItsFirstPlaceInEither() {
        // Four components, six pairs. The first criterion: (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3) by index;
        // the second: (2, 3) cheapest, then (0, 1), then (1, 3), the rest tied.
        SplitMergePlan.PairCost first = (a, b) -> 0;
        SplitMergePlan.PairCost second = (a, b) -> a == 2 && b == 3 ? -3 : a == 0 && b == 1 ? -2 : a == 1 && b == 3
                ? -1 : 0;
        SplitMergePlan.PairCost turns = SplitMergePlan.inTurn(4, first, second);
        // In turn: (0, 1), (2, 3), (0, 2), (0, 1) again (passed over), (0, 3), (1, 3), (1, 2), ...
        assertThat(turns.of(0, 1)).isEqualTo(0);
        assertThat(turns.of(2, 3)).isEqualTo(1);
        assertThat(turns.of(0, 2)).isEqualTo(2);
        assertThat(turns.of(0, 3)).isEqualTo(3);
        assertThat(turns.of(1, 3)).isEqualTo(4);
        assertThat(turns.of(1, 2)).isEqualTo(5);
        assertThat(SplitMergePlan.moves(4, turns, s -> s, s -> true, 3)).containsExactly(
                new int[] {0, 1, 2}, new int[] {0, 1, 3}, new int[] {2, 3, 0});
    }

    @Test
    void aComponentThatMayNotBeSplitIsPassedOver() {
        List<int[]> moves = SplitMergePlan.moves(3, (a, b) -> 0, s -> 0, s -> s != 2, 10);
        // Pair (0, 1) could only split 2; pairs (0, 2) and (1, 2) split the one component left.
        assertThat(moves).containsExactly(new int[] {0, 2, 1}, new int[] {1, 2, 0});
    }

    @Test
    void noMoveWithoutAThirdComponentOrWithoutRoom() {
        Dataset data = Dataset.wrap(new double[] {1, 2, 3, 4}, 4, 1, List.of("x"));
        assertThat(SplitMergePlan.rowsToExamine(data, 2, 4)).isNull();
        assertThat(SplitMergePlan.rowsToExamine(data, 3, 0)).isNull();
        assertThat(SplitMergePlan.rowsToExamine(data, 3, 1)).isSameAs(data);
    }
}
