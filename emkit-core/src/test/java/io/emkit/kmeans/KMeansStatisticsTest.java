package io.emkit.kmeans;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** k-means statistics are additive: any cut of the rows into blocks, merged in any order, gives the one-pass result. */
class KMeansStatisticsTest {

    @Test
    void tiesInDistanceAreBrokenByRowIndexWhateverTheBlocks() {
        // Every row but one is at distance 25 from its centroid: the farthest rows are the lowest-numbered.
        Dataset data = Dataset.ofColumn(1, 5, -5, 5, -5, 15, 5, -5, 5, 25, 15, -5);
        KMeansModel params = KMeansModel.of(new double[][] {{0}, {20}, {100}, {200}});
        KMeansStatistics whole = checkAdditivity(data, params);
        whole.rank();
        assertThat(java.util.Arrays.copyOf(whole.farRow, whole.held)).containsExactly(1, 2, 3);
    }

    @Test
    void randomBlocksMergedInRandomOrderGiveTheSinglePassStatistics() {
        Dataset data = TestData.iris();
        KMeansModel params = KMeansModel.of(new double[][] {data.row(3), data.row(70), data.row(120), data.row(140)});
        KMeansStatistics whole = checkAdditivity(data, params);
        // The farthest rows are truly the farthest, by a direct computation.
        double[] best = new double[3];
        double[] dist = new double[1];
        for (int i = 0; i < data.rows(); i++) {
            params.nearest(data.rawValues(), i * 4, dist);
            double v = dist[0];
            for (int r = 0; r < 3; r++) {
                if (v > best[r]) {
                    double t = best[r];
                    best[r] = v;
                    v = t;
                }
            }
        }
        whole.rank();
        assertThat(java.util.Arrays.copyOf(whole.farDistance, whole.held)).containsExactly(best);
    }

    private static KMeansStatistics checkAdditivity(Dataset data, KMeansModel params) {
        KMeansSteps steps = KMeansSteps.INSTANCE;
        KMeansStatistics whole = steps.emptyStatistics(params);
        double wholeLl = steps.accumulate(params, data, 0, data.rows(), whole);
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            List<KMeansStatistics> parts = new ArrayList<>();
            double ll = 0;
            int from = 0;
            while (from < data.rows()) {
                int to = Math.min(data.rows(), from + 1 + random.nextInt(Math.max(2, data.rows() / 4)));
                KMeansStatistics s = steps.emptyStatistics(params);
                ll += steps.accumulate(params, data, from, to, s);
                parts.add(s);
                from = to;
            }
            while (parts.size() > 1) {
                int i = random.nextInt(parts.size());
                KMeansStatistics a = parts.remove(i);
                int j = random.nextInt(parts.size());
                parts.get(j).merge(a);
            }
            KMeansStatistics merged = parts.get(0);
            merged.rank();
            whole.rank();
            assertThat(ll).isCloseTo(wholeLl, within(1e-10));
            assertThat(merged.count).containsExactly(whole.count);
            for (int i = 0; i < whole.sum.length; i++) {
                assertThat(merged.sum[i]).isCloseTo(whole.sum[i], within(1e-10));
            }
            assertThat(merged.held).isEqualTo(whole.held).isEqualTo(3);
            assertThat(java.util.Arrays.copyOf(merged.farRow, merged.held))
                    .containsExactly(java.util.Arrays.copyOf(whole.farRow, whole.held));
            assertThat(java.util.Arrays.copyOf(merged.farDistance, merged.held))
                    .containsExactly(java.util.Arrays.copyOf(whole.farDistance, whole.held));
            assertThat(merged.farValuesByRank()).containsExactly(whole.farValuesByRank());
            assertFarValuesAreTheRows(merged, data);
        }
        assertFarValuesAreTheRows(whole, data);
        return whole;
    }

    /** Each held far row's values are that row's: the values stay with their row as rows ahead of it come and go. */
    private static void assertFarValuesAreTheRows(KMeansStatistics s, Dataset data) {
        double[] byRank = s.farValuesByRank(); // ranks the rows too
        for (int i = 0; i < s.held; i++) {
            double[] values = java.util.Arrays.copyOfRange(byRank, i * s.d, (i + 1) * s.d);
            assertThat(values).as("far row %d", s.farRow[i]).containsExactly(data.row((int) s.farRow[i]));
        }
    }

    @Test
    void aFullListKeepsEachRowsValuesWhileFartherRowsArriveInAnyOrder() {
        // 40 rows at distances 0..39 from the one centroid, offered in a shuffled order, K = 12: the 11 farthest
        // are kept, each with its own values, whichever rows were evicted on the way, also where the list was
        // read (sorted) half-way.
        int n = 40;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new double[] {Math.sqrt(i), -i};
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            KMeansStatistics s = new KMeansStatistics(12, 2);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
            for (int t = 0; t < n; t++) {
                if (t == n / 2 && trial % 2 == 1) {
                    s.rank(); // read half-way (the list sorted), then offered more
                }
                int i = order.get(t);
                s.offerFarthest(i, i, rows[i], 0);
            }
            double[] byRank = s.farValuesByRank(); // ranks the rows too, keeping only the top 11
            assertThat(s.held).isEqualTo(11);
            for (int rank = 0; rank < 11; rank++) {
                int row = n - 1 - rank;
                assertThat(s.farRow[rank]).isEqualTo(row);
                assertThat(byRank[2 * rank]).isEqualTo(Math.sqrt(row));
                assertThat(byRank[2 * rank + 1]).isEqualTo(-row);
            }
        }
    }
}
