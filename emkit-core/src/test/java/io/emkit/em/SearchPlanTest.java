package io.emkit.em;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search's plan of short starts: a deterministic start (a Gaussian mixture's hierarchical one) comes first and
 * on top of the drawn ones, which get the same kinds and the same random streams as in a search without it.
 */
class SearchPlanTest {

    /** A space whose kinds are named, the listed ones deterministic; only its kinds and streams matter here. */
    private static SearchSpace<String> space(List<String> kinds, Set<String> deterministic) {
        return new SearchSpace<>() {
            @Override
            public List<String> startKinds() {
                return kinds;
            }

            @Override
            public String start(int kind, SplittableRandom random) {
                return kinds.get(kind);
            }

            @Override
            public boolean deterministic(int kind) {
                return deterministic.contains(kinds.get(kind));
            }

            @Override
            public double stepCost() {
                return 1;
            }
        };
    }

    /** Each start of the plan as its kind's name and the first draws of its stream ("-" for none). */
    private static List<String> starts(SearchSpace<String> space, int count, long seed) {
        List<Integer> plan = Search.plan(space, space.startKinds().size(), count);
        SplittableRandom[] streams = Search.streams(space, plan, new SplittableRandom(seed));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            String kind = space.startKinds().get(plan.get(i));
            out.add(kind + ":" + (streams[i] == null ? "-" : streams[i].nextLong() + "," + streams[i].nextLong()));
        }
        return out;
    }

    @Test
    void theDeterministicStartComesFirstAndTheDrawnOnesAreThoseOfASearchWithoutIt() {
        SearchSpace<String> without = space(List.of("kmeans++", "random-points", "random"), Set.of());
        SearchSpace<String> with = space(List.of("kmeans++", "random-points", "hc", "random"), Set.of("hc"));
        for (long seed = 0; seed < 5; seed++) {
            List<String> drawn = starts(without, 7, seed);
            List<String> planned = starts(with, 7, seed);
            assertThat(planned).hasSize(8);
            assertThat(planned.get(0)).isEqualTo("hc:-");
            assertThat(planned.subList(1, 8)).isEqualTo(drawn);
        }
        assertThat(starts(without, 7, 0)).extracting(s -> s.substring(0, s.indexOf(':')))
                .containsExactly("kmeans++", "random-points", "random", "kmeans++", "random-points", "random",
                        "kmeans++");
    }

    @Test
    void withoutDeterministicKindsThePlanIsRoundRobinWithAStreamPerStart() {
        SearchSpace<String> space = space(List.of("a", "b"), Set.of());
        List<String> starts = starts(space, 5, 3);
        assertThat(starts).extracting(s -> s.substring(0, 1)).containsExactly("a", "b", "a", "b", "a");
        assertThat(starts).allMatch(s -> !s.endsWith(":-"));
        assertThat(starts).doesNotHaveDuplicates();
    }
}
