package io.emkit.student;

import io.emkit.EmkitException;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.Linalg;

import java.util.Arrays;
import java.util.List;

/**
 * A fitted mixture of multivariate Student-t distributions: component {@code k} has weight {@code π_k},
 * location {@code μ_k}, scale matrix {@code Σ_k} and degrees of freedom {@code ν_k}, with density
 * <pre>
 *   t(x; μ, Σ, ν) = Γ((ν + d)/2) / (Γ(ν/2) (πν)^(d/2) |Σ|^(1/2)) · (1 + δ/ν)^(−(ν + d)/2),   δ = (x − μ)ᵀ Σ⁻¹ (x − μ).
 * </pre>
 * The weights, locations and scale matrices are held as a {@link GaussianMixtureModel} ({@link #scales()}),
 * under any of its covariance structures; {@code Σ_k} is the scale matrix, not the covariance, which is
 * {@code ν/(ν − 2) Σ_k} for {@code ν > 2} (and infinite otherwise). As {@code ν → ∞} the t is the Gaussian
 * {@code N(μ, Σ)}. Immutable and thread-safe.
 *
 * <p>A row with missing values ({@code NaN}) is evaluated on its observed coordinates: the marginal of a
 * multivariate t over them is a t with the same degrees of freedom, location {@code μ_o} and scale {@code Σ_oo}.
 */
public final class StudentMixtureModel extends ScaleMixtureModel<GaussianMixtureModel> {
    private final CovarianceType type;
    /** Locations, component after component. */
    private final double[] means;
    /** Per component: the lower Cholesky factor of Σ (d×d), or for diag and spherical 1/σ per feature. */
    private final double[][] factor;
    /** Per component: {@code ln π_k + ln C(ν_k, d) − ½ ln|Σ_k|}, the log joint density at δ = 0. */
    private final double[] logPeak;

    /**
     * @param scales           the weights, locations and scale matrices
     * @param degreesOfFreedom one {@code ν} per component, finite and &gt; 0
     * @param constraint       how {@code ν} was fitted (it decides how many parameters BIC counts)
     * @throws EmkitException if a degree of freedom is not a finite positive number, or their count is not K, or
     *                        {@link DegreesOfFreedom.Constraint#EQUAL equal} ones differ
     */
    public StudentMixtureModel(GaussianMixtureModel scales, double[] degreesOfFreedom,
                               DegreesOfFreedom.Constraint constraint) {
        super(scales, degreesOfFreedom, constraint);
        this.type = scales.covarianceType();
        this.means = new double[k * d];
        this.factor = new double[k][];
        this.logPeak = new double[k];
        double[] w = scales.weights();
        for (int c = 0; c < k; c++) {
            System.arraycopy(scales.mean(c), 0, means, c * d, d);
            double[][] sigma = scales.covariance(c);
            double halfLogDet = 0;
            if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
                double[] f = new double[d];
                for (int j = 0; j < d; j++) {
                    f[j] = 1 / Math.sqrt(sigma[j][j]);
                    halfLogDet += 0.5 * Math.log(sigma[j][j]);
                }
                factor[c] = f;
            } else {
                double[] flat = new double[d * d];
                for (int a = 0; a < d; a++) {
                    System.arraycopy(sigma[a], 0, flat, a * d, d);
                }
                double[] lower = Linalg.choleskyLower(flat, d);
                if (lower == null) {
                    throw new EmkitException("component " + (c + 1) + ": scale matrix is not positive definite");
                }
                for (int j = 0; j < d; j++) {
                    halfLogDet += Math.log(lower[j * d + j]);
                }
                factor[c] = lower;
            }
            logPeak[c] = Math.log(w[c]) + DegreesOfFreedom.logConstant(this.degreesOfFreedom[c], d) - halfLogDet;
        }
    }

    /** @return the structure of the scale matrices */
    public CovarianceType covarianceType() {
        return type;
    }

    /**
     * @param names the features' names, D of them
     * @return this model with its features so named
     */
    public StudentMixtureModel withFeatureNames(List<String> names) {
        return new StudentMixtureModel(scales.withFeatureNames(names), degreesOfFreedom, constraint);
    }

    // ---------------------------------------------------------------------------------------------- kernel

    /**
     * Row {@code x[offset, offset + D)}'s squared Mahalanobis distance to each component ({@code delta}) and
     * its log joint density {@code ln π_k + ln t(x; μ_k, Σ_k, ν_k)} ({@code logJoint}).
     */
    void evaluate(double[] x, int offset, double[] z, double[] delta, double[] logJoint) {
        for (int c = 0; c < k; c++) {
            double[] f = factor[c];
            int mo = c * d;
            double dist = 0;
            if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
                for (int j = 0; j < d; j++) {
                    double v = (x[offset + j] - means[mo + j]) * f[j];
                    dist += v * v;
                }
            } else {
                // Solve L z = x − μ: then δ = |z|².
                for (int a = 0; a < d; a++) {
                    double v = x[offset + a] - means[mo + a];
                    int row = a * d;
                    for (int b = 0; b < a; b++) {
                        v -= f[row + b] * z[b];
                    }
                    v /= f[row + a];
                    z[a] = v;
                    dist += v * v;
                }
            }
            double nu = degreesOfFreedom[c];
            delta[c] = dist;
            logJoint[c] = logPeak[c] - 0.5 * (nu + d) * Math.log1p(dist / nu);
        }
    }

    @Override
    protected RowEvaluator rowEvaluator() {
        double[] z = new double[d];
        double[] delta = new double[k];
        double[] row = new double[d];
        double[] halfLogDet = new double[k];
        io.emkit.gaussian.ObservedMarginals[] marginals = new io.emkit.gaussian.ObservedMarginals[1];
        return (x, offset, joint) -> {
            if (!missesValues(x, offset)) {
                evaluate(x, offset, z, delta, joint);
                return;
            }
            // The marginal of a t over the observed coordinates: a t with the same ν, location μ_o and scale Σ_oo.
            if (marginals[0] == null) {
                marginals[0] = new io.emkit.gaussian.ObservedMarginals(scales);
            }
            System.arraycopy(x, offset, row, 0, d);
            int p = marginals[0].observe(row, delta, halfLogDet);
            double[] w = scales.weights();
            for (int c = 0; c < k; c++) {
                double nu = degreesOfFreedom[c];
                joint[c] = Math.log(w[c]) + DegreesOfFreedom.logConstant(nu, p) - halfLogDet[c]
                        - 0.5 * (nu + p) * Math.log1p(Math.max(0.0, delta[c]) / nu);
            }
        };
    }

    /** @return component c's {@code ln π_c + ln C(ν_c, d) − ½ ln|Σ_c|}, its log joint density at distance 0 */
    double logPeak(int c) {
        return logPeak[c];
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each row is drawn as {@code μ_k + z/√W} with the component and {@code z ~ N(0, Σ_k)} as the scale
     * mixture {@link #scales()} draws them, and {@code W ~ Gamma(ν_k/2, rate ν_k/2)} from a second stream split
     * from the same seed.
     */
    @Override
    public Sample sample(int n, long seed) {
        return DegreesOfFreedom.stretched(scales.sample(n, seed), degreesOfFreedom, means, seed);
    }

    @Override
    public String toString() {
        return "StudentMixtureModel[" + k + " components, " + d + " features, " + type + ", df "
                + Arrays.toString(degreesOfFreedom) + "]";
    }
}
