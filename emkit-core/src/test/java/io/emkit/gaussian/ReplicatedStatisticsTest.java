package io.emkit.gaussian;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mixture's starts take the data's spread from one component's statistics copied K times
 * ({@link GaussianStatistics#replicated}): the same doubles as every row accumulated with weight 1 on each of K
 * components, for the full and the diagonal moments, with the portable and the fastest kernels, and over
 * more than one block of rows.
 */
class ReplicatedStatisticsTest {
    private static final Dataset DATA = TestData.drawMixture(11, 1_000, new double[] {0.6, 0.4},
            new double[][] {{1e3, -2, 0, 5, 1}, {1e3 + 4, 1, 3, 5, -1}},
            new double[][][] {identity(5), identity(5)});

    private static double[][] identity(int d) {
        double[][] m = new double[d][d];
        for (int j = 0; j < d; j++) {
            m[j][j] = 1;
        }
        return m;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.DIAG)) {
            for (int k : new int[] {1, 3, 7}) {
                for (boolean portable : new boolean[] {true, false}) {
                    out.add(Arguments.of(type, k, portable));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, K = {1}, portable kernels {2}")
    @MethodSource("cases")
    void oneComponentCopiedIsEveryComponentAccumulated(CovarianceType type, int k, boolean portable) {
        // The portable kernels below 32,768 (row, component) pairs, the fastest above.
        GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 1e-6)
                .sizedFor(portable ? 1 : 1_000_000, k);
        int d = DATA.columns();
        double[] centre = new double[d];
        for (int j = 0; j < d; j++) {
            centre[j] = DATA.row(j)[j];
        }
        double[] centres = new double[k * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(centre, 0, centres, c * d, d);
        }
        GaussianStatistics each = steps.statisticsOf(DATA, k, centres, (from, to, resp) ->
                Arrays.fill(resp, 0, (to - from) * k, 1.0));
        GaussianStatistics copied = steps.statisticsOf(DATA, 1, centre, (from, to, resp) ->
                Arrays.fill(resp, 0, to - from, 1.0)).replicated(k);
        assertThat(copied.weight).isEqualTo(each.weight);
        assertThat(copied.first).isEqualTo(each.first);
        assertThat(copied.second).isEqualTo(each.second);
        assertThat(copied.shift).isEqualTo(each.shift);
    }
}
