package io.emkit.em;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * DAAREM's small least-squares problem ({@link ExpectationMaximization.AndersonHistory#dampedLeastSquares}) against
 * the normal equations solved by hand-written Gaussian elimination on a well-conditioned random problem, and the
 * damping against its definition: {@code ‖γ‖² = δ‖γ_LS‖²}, with {@code γ} a ridge solution {@code (AᵀA + λI)γ = Aᵀb}
 * for one {@code λ ≥ 0}.
 */
class AndersonLeastSquaresTest {
    private static final int ROWS = 40;
    private static final int COLUMNS = 4;

    private static List<double[]> columns(SplittableRandom random) {
        List<double[]> out = new ArrayList<>();
        for (int j = 0; j < COLUMNS; j++) {
            double[] c = new double[ROWS];
            for (int i = 0; i < ROWS; i++) {
                c[i] = random.nextGaussian() * (j + 1);
            }
            out.add(c);
        }
        return out;
    }

    private static double[] vector(SplittableRandom random) {
        double[] b = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            b[i] = random.nextGaussian();
        }
        return b;
    }

    /** {@code (AᵀA + λI)} and {@code Aᵀb}. */
    private static double[][] normalEquations(List<double[]> a, double[] b, double lambda) {
        double[][] m = new double[COLUMNS][COLUMNS + 1];
        for (int i = 0; i < COLUMNS; i++) {
            for (int j = 0; j < COLUMNS; j++) {
                for (int r = 0; r < ROWS; r++) {
                    m[i][j] += a.get(i)[r] * a.get(j)[r];
                }
            }
            m[i][i] += lambda;
            for (int r = 0; r < ROWS; r++) {
                m[i][COLUMNS] += a.get(i)[r] * b[r];
            }
        }
        return m;
    }

    private static double[] solve(double[][] m) {
        int n = m.length;
        for (int p = 0; p < n; p++) {
            for (int r = p + 1; r < n; r++) {
                double f = m[r][p] / m[p][p];
                for (int c = p; c <= n; c++) {
                    m[r][c] -= f * m[p][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    private static double normSquared(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s;
    }

    @Test
    void undampedIsTheLeastSquaresSolution() {
        SplittableRandom random = new SplittableRandom(3);
        List<double[]> a = columns(random);
        double[] b = vector(random);
        double[] expected = solve(normalEquations(a, b, 0));
        double[] gamma = ExpectationMaximization.AndersonHistory.dampedLeastSquares(a, b, 1.0);
        for (int j = 0; j < COLUMNS; j++) {
            assertThat(gamma[j]).isCloseTo(expected[j], within(1e-12 * (1 + Math.abs(expected[j]))));
        }
    }

    @Test
    void dampedIsTheRidgeSolutionWithTheAskedNorm() {
        SplittableRandom random = new SplittableRandom(5);
        List<double[]> a = columns(random);
        double[] b = vector(random);
        double full = normSquared(solve(normalEquations(a, b, 0)));
        for (double damping : new double[] {0.9, 0.3, 0.01}) {
            double[] gamma = ExpectationMaximization.AndersonHistory.dampedLeastSquares(a, b, damping);
            assertThat(normSquared(gamma)).isCloseTo(damping * full, within(1e-9 * full));
            // The ridge parameter implied by the first coordinate reproduces the whole solution.
            double[][] m = normalEquations(a, b, 0);
            double lambda = m[0][COLUMNS];
            for (int j = 0; j < COLUMNS; j++) {
                lambda -= m[0][j] * gamma[j];
            }
            lambda /= gamma[0];
            assertThat(lambda).isPositive();
            double[] ridge = solve(normalEquations(a, b, lambda));
            for (int j = 0; j < COLUMNS; j++) {
                assertThat(gamma[j]).isCloseTo(ridge[j], within(1e-8 * (1 + Math.abs(ridge[j]))));
            }
        }
    }

    @Test
    void collinearColumnsGiveTheSolutionOfSmallestNorm() {
        // Two equal columns: every split of the coefficient fits equally well; the smallest norm splits it evenly.
        double[] c = {1, 2, 3, 4};
        double[] b = {2, 4, 6, 8};
        double[] gamma = ExpectationMaximization.AndersonHistory.dampedLeastSquares(List.of(c, c.clone()), b, 1.0);
        assertThat(gamma[0]).isCloseTo(1.0, within(1e-12));
        assertThat(gamma[1]).isCloseTo(1.0, within(1e-12));
    }
}
