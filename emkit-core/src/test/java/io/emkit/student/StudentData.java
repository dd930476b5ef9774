package io.emkit.student;

import io.emkit.TestData;
import io.emkit.data.Dataset;

import java.util.SplittableRandom;

/**
 * Rows drawn from a Student-t mixture with integer degrees of freedom, sharing no code with the library: a
 * Gaussian row from an explicit Cholesky factor, divided by √(χ²_ν/ν) with the chi-square drawn as a sum of
 * ν squared standard normals.
 */
final class StudentData {
    private StudentData() {
    }

    static Dataset draw(long seed, int n, double[] weights, double[][] means, double[][][] scales, int[] dof) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = means[0].length;
        double[][] rows = new double[n][d];
        double[][][] chol = new double[scales.length][][];
        for (int c = 0; c < scales.length; c++) {
            chol[c] = TestData.cholesky(scales[c]);
        }
        for (int i = 0; i < n; i++) {
            int c = TestData.component(random, weights);
            double chiSquare = 0;
            for (int m = 0; m < dof[c]; m++) {
                double g = random.nextGaussian();
                chiSquare += g * g;
            }
            double stretch = 1 / Math.sqrt(chiSquare / dof[c]);
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int m = 0; m <= j; m++) {
                    v += chol[c][j][m] * z[m];
                }
                rows[i][j] = means[c][j] + stretch * v;
            }
        }
        return Dataset.of(rows);
    }
}
