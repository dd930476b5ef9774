package io.emkit.cli.plot;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The ellipse {@code {x : (x − c)ᵀ Σ⁻¹ (x − c) = scale²}} of a 2-D Gaussian: the contour at {@code scale}
 * standard deviations (Mahalanobis distance) from the mean.
 *
 * <p>Its semi-axes point along the eigenvectors of the covariance Σ and are {@code sqrt(λ)·scale} long,
 * λ the matching eigenvalue.
 *
 * @param centerX   the centre's first coordinate
 * @param centerY   the centre's second coordinate
 * @param major     the longer semi-axis' length, {@code sqrt(λ₁)·scale}
 * @param minor     the shorter semi-axis' length, {@code sqrt(λ₂)·scale}, λ₂ ≤ λ₁
 * @param angle     the major axis' direction, radians from the first coordinate axis, in (−π/2, π/2]
 */
public record Ellipse(double centerX, double centerY, double major, double minor, double angle) {
    /**
     * The ellipse of a 2-D Gaussian at {@code scale} standard deviations.
     *
     * @param mean       the mean, 2 values
     * @param covariance the 2×2 covariance, symmetric positive semi-definite
     * @param scale      how many standard deviations, &gt; 0
     * @return the ellipse
     * @throws IllegalArgumentException for shapes other than 2 and 2×2, or a scale that is not positive
     */
    public static Ellipse of(double[] mean, double[][] covariance, double scale) {
        if (mean.length != 2 || covariance.length != 2 || covariance[0].length != 2 || covariance[1].length != 2) {
            throw new IllegalArgumentException("an ellipse needs a 2-D mean and a 2x2 covariance");
        }
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be > 0, got " + scale);
        }
        double off = 0.5 * (covariance[0][1] + covariance[1][0]);
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{covariance[0][0], off}, {off, covariance[1][1]}});
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(2, true, true);
        if (!eig.decompose(m)) {
            throw new IllegalArgumentException("cannot decompose the covariance " + java.util.Arrays.deepToString(covariance));
        }
        int big = 0;
        Complex_F64 l0 = eig.getEigenvalue(0);
        Complex_F64 l1 = eig.getEigenvalue(1);
        if (l1.getReal() > l0.getReal()) {
            big = 1;
        }
        double lambda1 = Math.max(0, Math.max(l0.getReal(), l1.getReal()));
        double lambda2 = Math.max(0, Math.min(l0.getReal(), l1.getReal()));
        DMatrixRMaj v = eig.getEigenVector(big);
        double angle;
        if (v == null || lambda1 == lambda2) {
            angle = 0; // a circle: any direction is an axis
        } else {
            angle = Math.atan2(v.get(1), v.get(0));
            if (angle <= -Math.PI / 2) {
                angle += Math.PI;
            } else if (angle > Math.PI / 2) {
                angle -= Math.PI;
            }
        }
        return new Ellipse(mean[0], mean[1], Math.sqrt(lambda1) * scale, Math.sqrt(lambda2) * scale, angle);
    }

    /**
     * Points on the ellipse, evenly spaced in the parametric angle; the last repeats the first so a
     * line through them closes.
     *
     * @param n how many distinct points, at least 3
     * @return {@code {xs, ys}}, each of length {@code n + 1}
     */
    public double[][] outline(int n) {
        if (n < 3) {
            throw new IllegalArgumentException("an outline needs at least 3 points, got " + n);
        }
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double[] xs = new double[n + 1];
        double[] ys = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double t = 2 * Math.PI * (i % n) / n;
            double u = major * Math.cos(t);
            double w = minor * Math.sin(t);
            xs[i] = centerX + u * cos - w * sin;
            ys[i] = centerY + u * sin + w * cos;
        }
        return new double[][] {xs, ys};
    }
}
