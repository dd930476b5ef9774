package io.emkit.kernels;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LinalgTest {
    @Test
    void choleskyOfRowsMatchesTheFactorWorkedByHand() {
        // [[4, 2, 2], [2, 5, 3], [2, 3, 6]] = L Lᵀ with L = [[2, 0, 0], [1, 2, 0], [1, 1, 2]].
        double[][] l = Linalg.choleskyLower(new double[][] {{4, 2, 2}, {2, 5, 3}, {2, 3, 6}});
        assertThat(l).isNotNull();
        double[][] expected = {{2, 0, 0}, {1, 2, 0}, {1, 1, 2}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(l[i][j]).as("L[%d][%d]", i, j).isCloseTo(expected[i][j], within(1e-15));
            }
        }
    }

    @Test
    void choleskyOfRowsAgreesWithTheFlatFactor() {
        double[][] a = {{2.5, -0.3, 0.7, 0.1}, {-0.3, 1.8, 0.2, -0.4}, {0.7, 0.2, 3.1, 0.5}, {0.1, -0.4, 0.5, 1.2}};
        double[] flat = new double[16];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(a[i], 0, flat, i * 4, 4);
        }
        double[] reference = Linalg.choleskyLower(flat, 4);
        double[][] l = Linalg.choleskyLower(a);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(l[i][j]).isCloseTo(reference[i * 4 + j], within(1e-14));
            }
        }
    }

    @Test
    void choleskyOfRowsRefusesMatricesThatAreNotPositiveDefinite() {
        assertThat(Linalg.choleskyLower(new double[][] {{1, 2}, {2, 1}})).isNull(); // eigenvalues 3 and -1
        assertThat(Linalg.choleskyLower(new double[][] {{1, 1}, {1, 1}})).isNull(); // singular
        assertThat(Linalg.choleskyLower(new double[][] {{Double.NaN}})).isNull();
    }
}
