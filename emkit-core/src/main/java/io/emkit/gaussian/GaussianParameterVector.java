package io.emkit.gaussian;

import io.emkit.EmkitException;
import io.emkit.em.ParameterVector;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.Linalg;

/**
 * A Gaussian mixture's parameters as an unconstrained vector for SQUAREM and DAAREM: the log weights (the mixture
 * weights are their softmax, so they stay on the simplex), the means as they are, and per stored covariance
 * block the log variances (diag, spherical) or the log-Cholesky factor (every full d×d block: the lower
 * Cholesky factor with its diagonal replaced by its log), so that every vector maps to positive-definite
 * covariances.
 *
 * <p>Structures that share a block, or whose blocks are diagonal with shared or varying volume and shape
 * (EII, VII, EEI, VEI, EVI, VVI, EEE), stay in their structure under extrapolation: they are linear
 * subspaces of these coordinates (equal blocks stay equal, zero off-diagonals stay zero, and a volume or a
 * unit-determinant shape is a linear condition on log variances). The other six (VEE, EVE, VVE, EEV, VEV,
 * EVV) constrain orientations, which no linear combination keeps: an extrapolated point is only a candidate
 * whose E-step feeds one M-step, and that M-step returns parameters of the structure.
 */
final class GaussianParameterVector implements ParameterVector<GaussianMixtureModel> {
    static final GaussianParameterVector INSTANCE = new GaussianParameterVector();

    private GaussianParameterVector() {
    }

    @Override
    public double[] toVector(GaussianMixtureModel params) {
        int k = params.components();
        int d = params.dimension();
        double[][] cov = params.flatCovariances();
        double[] out = new double[k + k * d + cov.length * blockLength(params.covarianceType(), d)];
        double[] w = params.weights();
        for (int c = 0; c < k; c++) {
            out[c] = Math.log(w[c]);
        }
        System.arraycopy(params.flatMeans(), 0, out, k, k * d);
        int at = k + k * d;
        for (double[] block : cov) {
            at = writeBlock(params.covarianceType(), block, d, out, at);
        }
        return out;
    }

    @Override
    public GaussianMixtureModel fromVector(double[] x, GaussianMixtureModel template) {
        int k = template.components();
        int d = template.dimension();
        CovarianceType type = template.covarianceType();
        for (double value : x) {
            if (!Double.isFinite(value)) {
                return null;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, x[c]);
        }
        double[] weights = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            weights[c] = Math.exp(x[c] - max);
            sum += weights[c];
        }
        for (int c = 0; c < k; c++) {
            weights[c] /= sum;
        }
        double[] means = java.util.Arrays.copyOfRange(x, k, k + k * d);
        double[][] cov = new double[template.flatCovariances().length][];
        int at = k + k * d;
        int length = blockLength(type, d);
        for (int b = 0; b < cov.length; b++) {
            cov[b] = readBlock(type, x, at, d);
            at += length;
        }
        try {
            return GaussianMixtureModel.ofFlat(type, weights, means, cov, d, template.featureNames());
        } catch (EmkitException invalid) {
            // A covariance too badly conditioned for its Cholesky factor, or a weight that underflowed.
            return null;
        }
    }

    /** False for the six structures that constrain orientations (see the class comment). */
    @Override
    public boolean keepsStructure(GaussianMixtureModel template) {
        return switch (template.covarianceType()) {
            case VEE, EVE, VVE, EEV, VEV, EVV -> template.dimension() == 1;
            default -> true;
        };
    }

    private static boolean diagonalStorage(CovarianceType type) {
        return type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
    }

    private static int blockLength(CovarianceType type, int d) {
        return type == CovarianceType.SPHERICAL ? 1 : type == CovarianceType.DIAG ? d : d * (d + 1) / 2;
    }

    private static int writeBlock(CovarianceType type, double[] block, int d, double[] out, int at) {
        if (diagonalStorage(type)) {
            for (double v : block) {
                out[at++] = Math.log(v);
            }
            return at;
        }
        double[] lower = Linalg.choleskyLower(block, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                // A model's covariance is positive definite, so its factor exists; NaN would stop extrapolation.
                out[at++] = lower == null ? Double.NaN : i == j ? Math.log(lower[i * d + i]) : lower[i * d + j];
            }
        }
        return at;
    }

    private static double[] readBlock(CovarianceType type, double[] x, int at, int d) {
        if (diagonalStorage(type)) {
            double[] v = new double[type == CovarianceType.SPHERICAL ? 1 : d];
            for (int j = 0; j < v.length; j++) {
                v[j] = Math.exp(x[at + j]);
            }
            return v;
        }
        double[] lower = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double value = x[at++];
                lower[i * d + j] = i == j ? Math.exp(value) : value;
            }
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int m = 0; m <= j; m++) {
                    s += lower[i * d + m] * lower[j * d + m];
                }
                cov[i * d + j] = s;
                cov[j * d + i] = s;
            }
        }
        return cov;
    }
}
