package io.emkit.variational;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;

import java.util.Objects;

/**
 * The prior of a variational Gaussian mixture, with scikit-learn's {@code BayesianGaussianMixture} defaults, so
 * that the same data and start give the same posterior: weights from a {@link WeightPrior} with concentration
 * {@code α = 1/K}; each mean {@code μ_k | Λ_k ~ N(m₀, (β₀ Λ_k)⁻¹)} with {@code β₀ = 1} and {@code m₀} the data's
 * mean; each precision {@code Λ_k ~ Wishart(ν₀, Ψ₀⁻¹)} with {@code ν₀ = D} and {@code Ψ₀} the data's covariance
 * (unbiased; its diagonal for {@code diag}, the mean variance for {@code spherical}). Immutable; each setter
 * returns a changed copy, and an unset value takes its default from the data when a fit resolves it.
 */
public final class VariationalPrior {
    private final WeightPrior weightPrior;
    private final double weightConcentration;
    private final double meanPrecision;
    private final double[] mean;
    private final double degreesOfFreedom;

    private VariationalPrior(WeightPrior weightPrior, double weightConcentration, double meanPrecision, double[] mean,
                             double degreesOfFreedom) {
        this.weightPrior = Objects.requireNonNull(weightPrior, "weightPrior");
        this.weightConcentration = weightConcentration;
        this.meanPrecision = meanPrecision;
        this.mean = mean;
        this.degreesOfFreedom = degreesOfFreedom;
    }

    /**
     * @param weightPrior the prior on the weights
     * @return the default prior with that weight prior
     */
    public static VariationalPrior of(WeightPrior weightPrior) {
        return new VariationalPrior(weightPrior, Double.NaN, Double.NaN, null, Double.NaN);
    }

    /**
     * @param alpha the weights' concentration {@code α} (&gt; 0); small values favour fewer components
     * @return a changed copy
     * @throws EmkitException if {@code alpha} is not positive and finite
     */
    public VariationalPrior weightConcentration(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new EmkitException("the weight concentration must be a finite number > 0, got " + alpha);
        }
        return new VariationalPrior(weightPrior, alpha, meanPrecision, mean, degreesOfFreedom);
    }

    /**
     * @param beta0 the prior's precision on the means, {@code β₀} (&gt; 0), in units of the component's precision
     * @return a changed copy
     * @throws EmkitException if {@code beta0} is not positive and finite
     */
    public VariationalPrior meanPrecision(double beta0) {
        if (!(beta0 > 0) || Double.isInfinite(beta0)) {
            throw new EmkitException("the mean precision must be a finite number > 0, got " + beta0);
        }
        return new VariationalPrior(weightPrior, weightConcentration, beta0, mean, degreesOfFreedom);
    }

    /**
     * @param nu0 the Wishart's degrees of freedom {@code ν₀}, greater than {@code D − 1}
     * @return a changed copy (checked against the data's dimension when a fit resolves it)
     * @throws EmkitException if {@code nu0} is not finite
     */
    public VariationalPrior degreesOfFreedom(double nu0) {
        if (!Double.isFinite(nu0)) {
            throw new EmkitException("the degrees of freedom must be finite, got " + nu0);
        }
        return new VariationalPrior(weightPrior, weightConcentration, meanPrecision, mean, nu0);
    }

    /** @return the prior on the weights */
    public WeightPrior weightPrior() {
        return weightPrior;
    }

    /**
     * The prior with every default taken from the data.
     *
     * @param data the rows to be fitted (complete)
     * @param type the covariance structure
     * @param k    the number of components
     * @return concrete values
     * @throws EmkitException if the degrees of freedom are not above {@code D − 1}, or the data too few
     */
    Resolved resolve(Dataset data, CovarianceType type, int k) {
        int d = data.columns();
        double nu0 = Double.isNaN(degreesOfFreedom) ? d : degreesOfFreedom;
        if (!(nu0 > d - 1)) {
            throw new EmkitException("the prior's degrees of freedom must be greater than " + (d - 1) + " (the number"
                    + " of columns less one), got " + nu0);
        }
        double w = data.totalWeight();
        if (!(w > 1)) {
            throw new EmkitException("variational Bayes needs more than one row (total weight), got " + w);
        }
        double[] x = data.rawValues();
        double[] m = new double[d];
        for (int i = 0; i < data.rows(); i++) {
            double wi = data.weight(i);
            for (int j = 0; j < d; j++) {
                m[j] += wi * x[i * d + j] / w;
            }
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < data.rows(); i++) {
            double wi = data.weight(i);
            for (int a = 0; a < d; a++) {
                double za = x[i * d + a] - m[a];
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += wi * za * (x[i * d + b] - m[b]) / (w - 1);
                }
            }
        }
        double[] psi0 = switch (type) {
            case FULL, TIED -> cov;
            case DIAG -> diagonal(cov, d);
            case SPHERICAL -> {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += cov[j * d + j];
                }
                yield new double[] {s / d};
            }
            default -> throw new EmkitException("variational Bayes fits the full, diag, spherical and tied structures;"
                    + " not " + type.label());
        };
        return new Resolved(weightPrior, Double.isNaN(weightConcentration) ? 1.0 / k : weightConcentration,
                Double.isNaN(meanPrecision) ? 1.0 : meanPrecision, mean != null ? mean.clone() : m, nu0, psi0);
    }

    private static double[] diagonal(double[] m, int d) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = m[j * d + j];
        }
        return v;
    }

    /**
     * The prior's concrete values.
     *
     * @param weightPrior the prior on the weights
     * @param alpha       the weights' concentration
     * @param beta0       the precision of the means' prior
     * @param mean0       the means' prior mean, D values
     * @param nu0         the Wishart's degrees of freedom
     * @param psi0        the prior covariance as the structure stores it: {@code D×D} (full, tied), {@code D}
     *                    (diag) or 1 (spherical)
     */
    record Resolved(WeightPrior weightPrior, double alpha, double beta0, double[] mean0, double nu0, double[] psi0) {
    }

    @Override
    public String toString() {
        return "VariationalPrior[" + weightPrior.label() + ", α=" + (Double.isNaN(weightConcentration) ? "1/K"
                : weightConcentration) + ", β₀=" + (Double.isNaN(meanPrecision) ? 1 : meanPrecision) + ", ν₀="
                + (Double.isNaN(degreesOfFreedom) ? "D" : degreesOfFreedom) + "]";
    }
}
