package io.emkit.gaussian;

import io.emkit.kernels.Linalg;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.kernels.SpecialFunctions;

import java.util.Arrays;
import java.util.Locale;

/**
 * A conjugate prior on a Gaussian mixture's parameters, which turns EM into MAP-EM (Fraley and Raftery
 * 2007, <i>Bayesian regularization for normal mixture estimation and model-based clustering</i>): the fit
 * maximises the log posterior {@code log L + log prior}, and covariances can no longer collapse onto a few
 * points, because the prior adds a small amount of spread to every component.
 *
 * <p><b>The prior.</b> Independently per component, a normal–inverse-Wishart
 * {@code μk | Σk ~ N(μ0, Σk/κ)}, {@code Σk ~ IW(ν, Λ)} (density ∝ {@code |Σ|^(−(ν+d+1)/2) exp(−tr(ΛΣ⁻¹)/2)}),
 * and on the weights a symmetric Dirichlet({@code α}). With {@code κ = 0} the means have no prior. For the
 * structures that constrain the covariances, the prior density is this product evaluated at the constrained
 * covariances (a shared covariance meets the prior once per component), so every structure has the same
 * prior and the M-step is always the constrained estimate of {@link io.emkit.gaussian.covariance.CovarianceType}'s objective with
 * the prior's pseudo-data added: scatter {@code Wk + κnk/(nk+κ)(x̄k−μ0)(x̄k−μ0)ᵀ + Λ} over
 * {@code nk + ν + d + 2} rows (+1 fewer without a mean prior). All 14 structures support it.
 *
 * <p><b>Defaults</b> ({@link #defaults()}), as mclust's {@code defaultPrior}: shrinkage {@code κ = 0.01},
 * mean {@code μ0} = the data's mean, degrees of freedom {@code ν = d + 2}, scale {@code Λ} = the data's
 * covariance (denominator n − 1) divided by {@code K^(2/d)}; and {@code α = 1}, no prior on the weights.
 * Unset values are filled from the data by {@link #resolve}, which the fit does.
 *
 * <p>Immutable; each {@code with} method returns a changed copy and checks its argument.
 */
public final class GaussianPrior {
    /** mclust's default shrinkage of the means towards the prior mean. */
    public static final double DEFAULT_SHRINKAGE = 0.01;

    private static final GaussianPrior DEFAULTS = new GaussianPrior(DEFAULT_SHRINKAGE, null, Double.NaN, null, 1.0);

    private final double shrinkage;
    private final double[] mean;
    private final double degreesOfFreedom;
    private final double[] scale;
    private final double weightConcentration;

    private GaussianPrior(double shrinkage, double[] mean, double degreesOfFreedom, double[] scale,
                          double weightConcentration) {
        this.shrinkage = shrinkage;
        this.mean = mean;
        this.degreesOfFreedom = degreesOfFreedom;
        this.scale = scale;
        this.weightConcentration = weightConcentration;
    }

    /** @return mclust's default prior, its mean, degrees of freedom and scale to be taken from the data */
    public static GaussianPrior defaults() {
        return DEFAULTS;
    }

    /**
     * @param shrinkage {@code κ ≥ 0}: how many rows' worth of information the prior mean carries; 0 puts no
     *                  prior on the means
     * @return a changed copy
     */
    public GaussianPrior withShrinkage(double shrinkage) {
        if (!(shrinkage >= 0) || Double.isInfinite(shrinkage)) {
            throw new EmkitException("the prior's shrinkage must be a finite number >= 0, got " + shrinkage);
        }
        return new GaussianPrior(shrinkage, mean, degreesOfFreedom, scale, weightConcentration);
    }

    /**
     * @param mean {@code μ0}, one value per feature
     * @return a changed copy
     */
    public GaussianPrior withMean(double[] mean) {
        for (double v : mean) {
            if (!Double.isFinite(v)) {
                throw new EmkitException("the prior mean must be finite, got " + Arrays.toString(mean));
            }
        }
        return new GaussianPrior(shrinkage, mean.clone(), degreesOfFreedom, scale, weightConcentration);
    }

    /**
     * @param degreesOfFreedom {@code ν}, above {@code d − 1} (checked when the dimension is known)
     * @return a changed copy
     */
    public GaussianPrior withDegreesOfFreedom(double degreesOfFreedom) {
        if (!Double.isFinite(degreesOfFreedom) || !(degreesOfFreedom > 0)) {
            throw new EmkitException("the prior's degrees of freedom must be a finite number > 0, got "
                    + degreesOfFreedom);
        }
        return new GaussianPrior(shrinkage, mean, degreesOfFreedom, scale, weightConcentration);
    }

    /**
     * @param scale {@code Λ}, a symmetric positive-definite {@code d×d} matrix
     * @return a changed copy
     */
    public GaussianPrior withScale(double[][] scale) {
        int d = scale.length;
        double[] flat = new double[d * d];
        for (int a = 0; a < d; a++) {
            if (scale[a].length != d) {
                throw new EmkitException("the prior scale must be a square matrix");
            }
            System.arraycopy(scale[a], 0, flat, a * d, d);
        }
        if (Linalg.choleskyLower(flat, d) == null) {
            throw new EmkitException("the prior scale must be symmetric positive definite");
        }
        return new GaussianPrior(shrinkage, mean, degreesOfFreedom, flat, weightConcentration);
    }

    /**
     * @param alpha the symmetric Dirichlet's concentration on the weights, at least 1; 1 (the default) is
     *              flat, larger values pull the weights towards equal
     * @return a changed copy
     */
    public GaussianPrior withWeightConcentration(double alpha) {
        if (!(alpha >= 1) || Double.isInfinite(alpha)) {
            throw new EmkitException("the Dirichlet concentration on the weights must be a finite number >= 1"
                    + " (below 1 the posterior has no maximum), got " + alpha);
        }
        return new GaussianPrior(shrinkage, mean, degreesOfFreedom, scale, alpha);
    }

    /**
     * Fills the values left unset with mclust's data-dependent defaults and checks the set ones against
     * the data's dimension.
     *
     * @param data       the data to be fitted (at least 2 rows when the scale is not set)
     * @param components K
     * @return a prior with every value set
     * @throws EmkitException if a set value does not fit the data's dimension
     */
    public GaussianPrior resolve(Dataset data, int components) {
        int d = data.columns();
        int n = data.rows();
        double[] x = data.rawValues();
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                m[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= n;
        }
        double[] mu0 = mean != null ? mean : m;
        if (mu0.length != d) {
            throw new EmkitException("the prior mean has " + mu0.length + " values; the data have " + d + " columns");
        }
        double nu = Double.isNaN(degreesOfFreedom) ? d + 2 : degreesOfFreedom;
        if (!(nu > d - 1)) {
            throw new EmkitException("the prior's degrees of freedom must exceed d - 1 = " + (d - 1) + ", got " + nu);
        }
        double[] lambda = scale;
        if (lambda == null) {
            if (n < 2) {
                throw new EmkitException("the default prior scale needs at least 2 rows, got " + n);
            }
            lambda = new double[d * d];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    double za = x[i * d + a] - m[a];
                    for (int b = a; b < d; b++) {
                        lambda[a * d + b] += za * (x[i * d + b] - m[b]);
                    }
                }
            }
            double divisor = (n - 1) * Math.pow(components, 2.0 / d);
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    lambda[a * d + b] /= divisor;
                    lambda[b * d + a] = lambda[a * d + b];
                }
            }
            if (Linalg.choleskyLower(lambda, d) == null) {
                throw new EmkitException("the data's covariance is singular (a constant column, or columns that are"
                        + " linear combinations of others), so the default prior scale is; drop such columns");
            }
        } else if (lambda.length != d * d) {
            throw new EmkitException("the prior scale is " + (int) Math.round(Math.sqrt(lambda.length)) + "x"
                    + (int) Math.round(Math.sqrt(lambda.length)) + "; the data have " + d + " columns");
        }
        return new GaussianPrior(shrinkage, mu0.clone(), nu, lambda.clone(), weightConcentration);
    }

    /** @return whether mean, degrees of freedom and scale are all set (after {@link #resolve}) */
    public boolean isResolved() {
        return mean != null && scale != null && !Double.isNaN(degreesOfFreedom);
    }

    /** @return {@code κ} */
    public double shrinkage() {
        return shrinkage;
    }

    /** @return {@code μ0} (a copy), or {@code null} until resolved */
    public double[] mean() {
        return mean == null ? null : mean.clone();
    }

    /** @return {@code ν}, or NaN until resolved */
    public double degreesOfFreedom() {
        return degreesOfFreedom;
    }

    /** @return {@code Λ} (a copy), or {@code null} until resolved */
    public double[][] scale() {
        if (scale == null) {
            return null;
        }
        int d = (int) Math.round(Math.sqrt(scale.length));
        double[][] out = new double[d][];
        for (int a = 0; a < d; a++) {
            out[a] = Arrays.copyOfRange(scale, a * d, a * d + d);
        }
        return out;
    }

    /** @return {@code α}, the Dirichlet concentration on the weights (1: flat) */
    public double weightConcentration() {
        return weightConcentration;
    }

    double[] flatMean() {
        return mean;
    }

    double[] flatScale() {
        return scale;
    }

    /**
     * The rows' worth of covariance information the prior adds to each component: {@code ν + d + 1}, +1 with a
     * mean prior; a component's covariance (or scale matrix) at the posterior mode divides its augmented scatter by
     * its responsibility plus this.
     *
     * @param d the dimension
     * @return the pseudo-count
     */
    public double pseudoCount(int d) {
        return degreesOfFreedom + d + 1 + (shrinkage > 0 ? 1 : 0);
    }

    /**
     * The log prior density of a model's parameters, normalising constants included (for a constrained
     * structure, the product of the components' densities at the constrained covariances).
     *
     * @param model parameters of the prior's dimension
     * @return {@code log p(weights) + Σk [log N(μk | μ0, Σk/κ) + log IW(Σk | ν, Λ)]}
     * @throws IllegalStateException if the prior is not {@linkplain #isResolved() resolved}
     */
    public double logDensity(GaussianMixtureModel model) {
        if (!isResolved()) {
            throw new IllegalStateException("resolve the prior on the data first");
        }
        int d = model.dimension();
        int k = model.components();
        double nu = degreesOfFreedom;
        double lambdaLogDet = 2 * logDetOfLower(Linalg.choleskyLower(scale, d), d);
        double iwConstant = 0.5 * nu * lambdaLogDet - 0.5 * nu * d * Math.log(2) - logMultivariateGamma(nu / 2, d);
        double total = 0;
        double[] w = model.weights();
        if (weightConcentration != 1.0) {
            total += SpecialFunctions.logGamma(k * weightConcentration) - k * SpecialFunctions.logGamma(weightConcentration);
            for (double wc : w) {
                total += (weightConcentration - 1) * Math.log(wc);
            }
        }
        for (int c = 0; c < k; c++) {
            double[][] cov = model.covariance(c);
            double[] flat = new double[d * d];
            for (int a = 0; a < d; a++) {
                System.arraycopy(cov[a], 0, flat, a * d, d);
            }
            double[] lower = Linalg.choleskyLower(flat, d);
            if (lower == null) {
                return Double.NEGATIVE_INFINITY;
            }
            double logDet = 2 * logDetOfLower(lower, d);
            double[] inv = lower.clone();
            org.ejml.dense.row.decomposition.TriangularSolver_DDRM.invertLower(inv, d);
            // With Σ = L Lᵀ: tr(Λ Σ⁻¹) = tr(L⁻¹ Λ L⁻ᵀ), and L⁻¹ is lower triangular.
            double trace = 0;
            for (int i = 0; i < d; i++) {
                for (int a = 0; a <= i; a++) {
                    for (int b = 0; b <= i; b++) {
                        trace += inv[i * d + a] * scale[a * d + b] * inv[i * d + b];
                    }
                }
            }
            total += iwConstant - 0.5 * (nu + d + 1) * logDet - 0.5 * trace;
            if (shrinkage > 0) {
                double[] mu = model.mean(c);
                double quad = 0;
                for (int i = 0; i < d; i++) {
                    double s = 0;
                    for (int a = 0; a <= i; a++) {
                        s += inv[i * d + a] * (mu[a] - mean[a]);
                    }
                    quad += s * s;
                }
                total += -0.5 * d * Math.log(2 * Math.PI) + 0.5 * d * Math.log(shrinkage) - 0.5 * logDet
                        - 0.5 * shrinkage * quad;
            }
        }
        return total;
    }

    private static double logDetOfLower(double[] lower, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += Math.log(lower[j * d + j]);
        }
        return s;
    }

    /** {@code ln Γ_d(a) = d(d−1)/4 ln π + Σ_{j=1..d} ln Γ(a + (1 − j)/2)}. */
    static double logMultivariateGamma(double a, int d) {
        double s = d * (d - 1) / 4.0 * Math.log(Math.PI);
        for (int j = 1; j <= d; j++) {
            s += SpecialFunctions.logGamma(a + (1 - j) / 2.0);
        }
        return s;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GaussianPrior[shrinkage=%s, mean=%s, dof=%s, scale=%s, weightConcentration=%s]",
                shrinkage, mean == null ? "data mean" : Arrays.toString(mean),
                Double.isNaN(degreesOfFreedom) ? "d+2" : degreesOfFreedom,
                scale == null ? "var/K^(2/d)" : Arrays.toString(scale), weightConcentration);
    }
}
