package io.emkit.kernels;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The few dense decompositions the Gaussian kernels need, on row-major flat arrays, a plain Cholesky
 * factor of a matrix given as rows for the code that works on those, and a plain sum.
 */
public final class Linalg {
    private Linalg() {
    }

    /**
     * @param v values
     * @return their sum, added left to right (as the statistics' totals always were, so fits keep their bits)
     */
    public static double sum(double[] v) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        return total;
    }

    /**
     * The lower Cholesky factor L of a symmetric matrix (L Lᵀ = a), upper triangle zero;
     * {@code null} if the matrix is not (numerically) positive definite.
     *
     * @param a the symmetric positive-definite matrix, row-major
     * @param d its order
     * @return the lower factor, row-major
     */
    public static double[] choleskyLower(double[] a, int d) {
        DMatrixRMaj m = DMatrixRMaj.wrap(d, d, a.clone());
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(m)) {
            return null;
        }
        double[] l = chol.getT(null).data;
        for (int i = 0; i < d; i++) {
            if (!(l[i * d + i] > 0) || !Double.isFinite(l[i * d + i])) {
                return null;
            }
            for (int j = i + 1; j < d; j++) {
                l[i * d + j] = 0.0;
            }
        }
        return l;
    }

    /**
     * The lower Cholesky factor L of a symmetric matrix given as rows (L Lᵀ = a), by the plain
     * Cholesky–Banachiewicz recurrence in a fixed order, so the same matrix always gives the same bits;
     * {@code null} if a pivot is not positive (the matrix is not positive definite).
     *
     * @param a the symmetric matrix, {@code D × D}; only its lower triangle is read
     * @return the lower factor, {@code D × D} with the upper triangle zero, or {@code null}
     */
    public static double[][] choleskyLower(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int t = 0; t < j; t++) {
                    s -= l[i][t] * l[j][t];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /**
     * (L⁻¹)ᵀ for lower-triangular L: the upper-triangular precision factor U with Σ⁻¹ = U Uᵀ.
     *
     * @param lower a lower-triangular factor, row-major
     * @param d its order
     * @return the result, row-major
     */
    public static double[] inverseLowerTransposed(double[] lower, int d) {
        double[] inv = lower.clone();
        TriangularSolver_DDRM.invertLower(inv, d);
        double[] u = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                u[j * d + i] = inv[i * d + j];
            }
        }
        return u;
    }
}
