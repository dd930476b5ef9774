package io.emkit.variational;

import io.emkit.EmkitException;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.Linalg;
import io.emkit.kernels.SpecialFunctions;

import java.util.List;

/**
 * The variational posterior of a Gaussian mixture: the weights' Dirichlet concentrations (or, for a Dirichlet
 * process, each stick's Beta parameters {@code (a_k, b_k)}), and per component a Normal–Wishart
 * {@code N(μ_k | m_k, (β_k Λ_k)⁻¹) · Wishart(Λ_k | ν_k, W_k)}. The Wishart is kept as scikit-learn keeps it: the
 * covariance {@code Σ_k = W_k⁻¹ / ν_k}, the posterior's expected covariance scale, in the structure's storage
 * ({@code D×D} for full, one {@code D×D} shared for tied, {@code D} for diag, 1 for spherical, with one
 * {@code ν} shared for tied).
 *
 * <p>{@link #toGaussian()} is the ordinary mixture of the posterior means (weights, means, covariances), which
 * is what predictions, scores and model files use.
 */
public final class VariationalModel {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final CovarianceType type;
    private final WeightPrior weightPrior;
    private final int k;
    private final int d;
    private final double[] concentrationA;
    private final double[] concentrationB;
    private final double[] meanPrecision;
    private final double[] means;
    private final double[] degreesOfFreedom;
    private final double[][] covariances;
    private final List<String> featureNames;

    VariationalModel(CovarianceType type, WeightPrior weightPrior, double[] concentrationA, double[] concentrationB,
                     double[] meanPrecision, double[] means, double[] degreesOfFreedom, double[][] covariances,
                     List<String> featureNames) {
        this.type = type;
        this.weightPrior = weightPrior;
        this.k = concentrationA.length;
        this.d = means.length / k;
        this.concentrationA = concentrationA;
        this.concentrationB = concentrationB;
        this.meanPrecision = meanPrecision;
        this.means = means;
        this.degreesOfFreedom = degreesOfFreedom;
        this.covariances = covariances;
        this.featureNames = List.copyOf(featureNames);
    }

    /** @return the covariance structure */
    public CovarianceType covarianceType() {
        return type;
    }

    /** @return the prior on the weights the posterior belongs to */
    public WeightPrior weightPrior() {
        return weightPrior;
    }

    /** @return K, the truncation: components with negligible weight are the surplus */
    public int components() {
        return k;
    }

    /** @return D */
    public int dimension() {
        return d;
    }

    /** @return the features' names */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The weights' posterior parameters: the Dirichlet's K concentrations, or each stick's first Beta parameter.
     *
     * @return K values (a copy)
     */
    public double[] weightConcentration() {
        return concentrationA.clone();
    }

    /** @return each stick's second Beta parameter (a copy), or {@code null} for a Dirichlet distribution */
    public double[] stickConcentration() {
        return concentrationB == null ? null : concentrationB.clone();
    }

    /** @return {@code β_k}, the posterior precision of each mean in units of its component's precision (a copy) */
    public double[] meanPrecision() {
        return meanPrecision.clone();
    }

    /** @return {@code ν_k}, the Wishart's degrees of freedom: K values, or one for tied (a copy) */
    public double[] degreesOfFreedom() {
        return degreesOfFreedom.clone();
    }

    /**
     * The posterior mean of the weights: {@code a_k / Σ a} for a Dirichlet; for a Dirichlet process, each
     * stick's mean share of what the earlier sticks left, normalised to sum to one over the K components.
     *
     * @return K weights summing to one
     */
    public double[] weights() {
        double[] w = new double[k];
        double total = 0;
        if (concentrationB == null) {
            for (int c = 0; c < k; c++) {
                total += concentrationA[c];
            }
            for (int c = 0; c < k; c++) {
                w[c] = concentrationA[c] / total;
            }
            return w;
        }
        double left = 1;
        for (int c = 0; c < k; c++) {
            double sum = concentrationA[c] + concentrationB[c];
            w[c] = concentrationA[c] / sum * left;
            left *= concentrationB[c] / sum;
            total += w[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] /= total;
        }
        return w;
    }

    /** @return the ordinary mixture of the posterior means: the weights, means and covariances above */
    public GaussianMixtureModel toGaussian() {
        return GaussianMixtureModel.ofFlat(type, weights(), means.clone(), copy(covariances), d, featureNames);
    }

    /** @return the posterior means {@code m_k}, row after row (a copy) */
    double[] flatMeans() {
        return means.clone();
    }

    /** @return the stored covariances {@code Σ_k} in the structure's storage (a copy) */
    double[][] flatCovariances() {
        return copy(covariances);
    }

    /** {@code E[ln π_k]} under the posterior. */
    double[] expectedLogWeights() {
        double[] out = new double[k];
        if (concentrationB == null) {
            double total = 0;
            for (double a : concentrationA) {
                total += a;
            }
            double psiTotal = SpecialFunctions.digamma(total);
            for (int c = 0; c < k; c++) {
                out[c] = SpecialFunctions.digamma(concentrationA[c]) - psiTotal;
            }
            return out;
        }
        double before = 0;
        for (int c = 0; c < k; c++) {
            double psiSum = SpecialFunctions.digamma(concentrationA[c] + concentrationB[c]);
            out[c] = SpecialFunctions.digamma(concentrationA[c]) - psiSum + before;
            before += SpecialFunctions.digamma(concentrationB[c]) - psiSum;
        }
        return out;
    }

    double nu(int c) {
        return degreesOfFreedom[type == CovarianceType.TIED ? 0 : c];
    }

    /** {@code ln |Σ_c|} of the stored covariance. */
    double logDeterminant(int c) {
        double[] s = covariances[type == CovarianceType.TIED ? 0 : c];
        return switch (type) {
            case DIAG -> {
                double v = 0;
                for (double x : s) {
                    v += Math.log(x);
                }
                yield v;
            }
            case SPHERICAL -> d * Math.log(s[0]);
            default -> {
                double[] l = Linalg.choleskyLower(s, d);
                if (l == null) {
                    throw new EmkitException("component " + (c + 1) + ": the posterior covariance is not positive"
                            + " definite");
                }
                double v = 0;
                for (int j = 0; j < d; j++) {
                    v += 2 * Math.log(l[j * d + j]);
                }
                yield v;
            }
        };
    }

    /**
     * {@code tr(Σ_c⁻¹ A)} for a symmetric {@code A} ({@code D×D} row-major; only its diagonal is read for the
     * diagonal structures).
     */
    double traceOfInverseTimes(int c, double[] a) {
        double[] s = covariances[type == CovarianceType.TIED ? 0 : c];
        switch (type) {
            case DIAG, SPHERICAL -> {
                double t = 0;
                for (int j = 0; j < d; j++) {
                    t += a[j * d + j] / s[type == CovarianceType.DIAG ? j : 0];
                }
                return t;
            }
            default -> {
                double[] u = Linalg.inverseLowerTransposed(Linalg.choleskyLower(s, d), d);
                double t = 0;
                for (int j = 0; j < d; j++) {
                    for (int p = 0; p < d; p++) {
                        for (int q = 0; q < d; q++) {
                            t += u[p * d + j] * a[p * d + q] * u[q * d + j];
                        }
                    }
                }
                return t;
            }
        }
    }

    /**
     * The E-step's log weights {@code ρ_ik = E[ln π_k] + E[ln N(x_i | μ_k, Λ_k⁻¹)] = c_k + ln N(x_i | m_k, Σ_k)},
     * with {@code c_k = E[ln π_k] − ½ D ln ν_k + ½ (D ln 2 + Σ_j ψ((ν_k − j)/2) − D/β_k)}: a Gaussian mixture
     * with weights proportional to {@code exp(c_k)} has the responsibilities of the variational E-step.
     */
    double[] offsets() {
        double[] logWeights = expectedLogWeights();
        double[] out = new double[k];
        for (int c = 0; c < k; c++) {
            double nu = nu(c);
            double logLambda = d * Math.log(2);
            for (int j = 0; j < d; j++) {
                logLambda += SpecialFunctions.digamma(0.5 * (nu - j));
            }
            out[c] = logWeights[c] - 0.5 * d * Math.log(nu) + 0.5 * (logLambda - d / meanPrecision[c]);
        }
        return out;
    }

    /**
     * The Gaussian mixture whose E-step is this posterior's: weights {@code exp(c_k − ln Σ exp c)}, the means
     * and the stored covariances; the offsets' log-sum-exp is what its log density lacks of {@code ln Σ_k exp ρ}.
     */
    Surrogate surrogate() {
        double[] c = offsets();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : c) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : c) {
            sum += Math.exp(v - max);
        }
        double logSum = max + Math.log(sum);
        double[] w = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            // A weight that underflows to zero would make its component impossible rather than improbable.
            w[i] = Math.max(Math.exp(c[i] - logSum), Double.MIN_NORMAL);
            total += w[i];
        }
        for (int i = 0; i < k; i++) {
            w[i] /= total;
        }
        return new Surrogate(GaussianMixtureModel.ofFlat(type, w, means.clone(), copy(covariances), d, featureNames),
                c, logSum + Math.log(total));
    }

    /**
     * The Gaussian stand-in of an E-step.
     *
     * @param model   the Gaussian mixture with the E-step's responsibilities
     * @param offsets {@code c_k}
     * @param logSum  what to add to its log density per row (weight) to get {@code ln Σ_k exp ρ_ik}
     */
    record Surrogate(GaussianMixtureModel model, double[] offsets, double logSum) {
    }

    /** {@code ½ LOG_2PI}, for the expected Gaussian log density. */
    static double halfLog2Pi() {
        return 0.5 * LOG_2PI;
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    @Override
    public String toString() {
        return "VariationalModel[" + type.label() + ", " + weightPrior.label() + ", K=" + k + ", D=" + d + "]";
    }
}
