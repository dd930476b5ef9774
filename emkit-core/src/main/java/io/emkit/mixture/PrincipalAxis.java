package io.emkit.mixture;

/**
 * The direction along which a split move cuts a cluster in two, shared by the split-and-merge moves of
 * k-means and of Gaussian mixtures: the principal axis of the cluster's scatter (or covariance) matrix.
 */
public final class PrincipalAxis {
    private PrincipalAxis() {
    }

    /**
     * The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite matrix, by 200
     * steps of power iteration from a fixed start, so the same matrix always gives the same axis.
     *
     * @param matrix a symmetric matrix, {@code D × D}
     * @return the axis, {@code D} values of norm 1 (the fixed start itself if the matrix is 0)
     */
    public static double[] of(double[][] matrix) {
        int d = matrix.length;
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = 1.0 + 0.01 * j; // not orthogonal to the top eigenvector in any but contrived cases
        }
        for (int it = 0; it < 200; it++) {
            double[] next = new double[d];
            double norm = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    next[i] += matrix[i][j] * v[j];
                }
                norm += next[i] * next[i];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0)) {
                break;
            }
            for (int i = 0; i < d; i++) {
                v[i] = next[i] / norm;
            }
        }
        return v;
    }
}
