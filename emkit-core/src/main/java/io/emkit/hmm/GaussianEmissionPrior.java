package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianStatistics;
import io.emkit.gaussian.covariance.CovarianceType;

/**
 * A prior on the means and covariances of Gaussian emissions, with hmmlearn's parameters and M-step
 * ({@code GaussianHMM}'s {@code means_prior} μ₀, {@code means_weight} w, {@code covars_prior} ψ,
 * {@code covars_weight} ν; Huang, Acero &amp; Hon, <i>Spoken Language Processing</i>, 2001, pp. 443–445).
 * With state s's expected count {@code N}, weighted sum {@code Σγx} and scatter about its new mean
 * {@code C = Σγ(x − μ)(x − μ)ᵀ}:
 *
 * <pre>
 *   μ = (w μ₀ + Σγx) / (w + N)
 *   full:      Σ  = (Ψ + w (μ − μ₀)(μ − μ₀)ᵀ + C) / (max(ν − D, 0) + N)
 *   tied:      Σ  = (Ψ + Σ_s [w (μ_s − μ₀)(μ_s − μ₀)ᵀ + C_s]) / (max(ν − D, 0) + Σ_s N_s)
 *   diag:      σ²_k = (ψ + w (μ_k − μ₀)² + C_kk) / max(max(ν − 1, 0) + N, 1e-5)
 *   spherical: the mean over k of the diag values
 * </pre>
 *
 * where {@code Ψ} is ψ added to every entry of the matrix (hmmlearn adds its scalar {@code covars_prior} so).
 * These are the exact joint maximisers of the expected complete-data log-likelihood plus the log density
 * {@link #logDensity}: per state (once for tied) {@code −½ w (μ − μ₀)ᵀ Σ⁻¹ (μ − μ₀) − ½ c log|Σ| − ½ tr(Ψ Σ⁻¹)}
 * with {@code c = max(ν − D, 0)} (per feature with {@code c = max(ν − 1, 0)} for diag and spherical), so MAP-EM's
 * log posterior never decreases. {@code regCovar} is added to the diagonal afterwards, as in maximum likelihood.
 * w = 0, ψ = 0 and ν ≤ D (ν ≤ 1 for diag) is no prior at all.
 *
 * @param meansPrior       μ₀, the prior mean of every feature
 * @param meansWeight      w ≥ 0, how many observations the prior mean is worth
 * @param covariancesPrior ψ ≥ 0, added to the scatter of every state
 * @param covariancesWeight ν ≥ 0, sets the extra denominator {@code max(ν − D, 0)} ({@code max(ν − 1, 0)} for
 *                         diag and spherical)
 */
public record GaussianEmissionPrior(double meansPrior, double meansWeight, double covariancesPrior,
                                    double covariancesWeight) {
    /**
     * @param meansPrior        μ₀, any finite number
     * @param meansWeight       w, a finite number ≥ 0
     * @param covariancesPrior  ψ, a finite number ≥ 0
     * @param covariancesWeight ν, a finite number ≥ 0
     * @throws EmkitException if a value is out of range
     */
    public GaussianEmissionPrior {
        if (!Double.isFinite(meansPrior)) {
            throw new EmkitException("the means prior must be a finite number, got " + meansPrior);
        }
        if (!(meansWeight >= 0) || Double.isInfinite(meansWeight)) {
            throw new EmkitException("the means weight must be a finite number >= 0, got " + meansWeight);
        }
        if (!(covariancesPrior >= 0) || Double.isInfinite(covariancesPrior)) {
            throw new EmkitException("the covariances prior must be a finite number >= 0, got " + covariancesPrior);
        }
        if (!(covariancesWeight >= 0) || Double.isInfinite(covariancesWeight)) {
            throw new EmkitException("the covariances weight must be a finite number >= 0, got " + covariancesWeight);
        }
    }

    /** Refuses emissions or covariance structures the prior is not defined for. */
    static void checkApplies(EmissionKind kind, CovarianceType type) {
        if (kind != EmissionKind.GAUSSIAN) {
            throw new EmkitException("priors on means and covariances are for gaussian emissions, not " + kind);
        }
        if (type != CovarianceType.FULL && type != CovarianceType.DIAG && type != CovarianceType.SPHERICAL
                && type != CovarianceType.TIED) {
            throw new EmkitException("priors on means and covariances take full, diag, spherical or tied"
                    + " covariances, not " + type.label());
        }
    }

    /** The extra count in the covariance's denominator. */
    private double covarianceCount(CovarianceType type, int d) {
        boolean perFeature = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
        return Math.max(covariancesWeight - (perFeature ? 1 : d), 0.0);
    }

    /**
     * The MAP M-step.
     *
     * @param stats           the states' posterior-weighted statistics (shift-centred moments)
     * @param previous        the Gaussians of the E-step (for held parts and states with no weight)
     * @param regCovar        added to the covariances' diagonals
     * @param holdMeans       keep the means as they are (the covariances are then about them)
     * @param holdCovariances keep the covariances as they are
     * @return the new Gaussians, equally weighted
     */
    GaussianMixtureModel maximize(GaussianStatistics stats, GaussianMixtureModel previous, double regCovar,
                                  boolean holdMeans, boolean holdCovariances) {
        CovarianceType type = previous.covarianceType();
        checkApplies(EmissionKind.GAUSSIAN, type);
        int k = previous.components();
        int d = previous.dimension();
        double[] n = stats.componentWeights();
        double[][] means = new double[k][];
        // c_n of each state: w (μ − μ₀)(μ − μ₀)ᵀ + Σγ(x − μ)(x − μ)ᵀ, row-major (diagonal only for diag/spherical).
        double[][] spread = new double[k][d * d];
        for (int s = 0; s < k; s++) {
            double[] xbar = n[s] > 0 ? stats.mean(s) : null;
            if (holdMeans || (n[s] <= 0 && meansWeight == 0)) {
                means[s] = previous.mean(s);
            } else {
                means[s] = new double[d];
                for (int j = 0; j < d; j++) {
                    double sum = n[s] > 0 ? n[s] * xbar[j] : 0.0;
                    means[s][j] = (meansWeight * meansPrior + sum) / (meansWeight + n[s]);
                }
            }
            double[] scatter = n[s] > 0 ? stats.scatter(s) : new double[d * d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double off = n[s] > 0 ? n[s] * (xbar[a] - means[s][a]) * (xbar[b] - means[s][b]) : 0.0;
                    spread[s][a * d + b] = scatter[a * d + b] + off
                            + meansWeight * (means[s][a] - meansPrior) * (means[s][b] - meansPrior);
                }
            }
        }
        double[] w = GaussianEmission.equal(k);
        if (holdCovariances) {
            Object cov = previous.covarianceParameters();
            GaussianMixtureModel carrier = switch (type) {
                case FULL -> GaussianMixtureModel.full(w, means, (double[][][]) cov);
                case TIED -> GaussianMixtureModel.tied(w, means, (double[][]) cov);
                case DIAG -> GaussianMixtureModel.diag(w, means, (double[][]) cov);
                default -> GaussianMixtureModel.spherical(w, means, (double[]) cov);
            };
            // The previous covariances' own arrays, so the held covariances keep their bits.
            return GaussianEmission.withEqualWeights(previous).withMeansOf(carrier);
        }
        double c = covarianceCount(type, d);
        GaussianMixtureModel out = switch (type) {
            case FULL -> {
                double[][][] cov = new double[k][d][d];
                for (int s = 0; s < k; s++) {
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            cov[s][a][b] = (covariancesPrior + spread[s][a * d + b]) / (c + n[s]);
                        }
                        cov[s][a][a] += regCovar;
                    }
                }
                yield GaussianMixtureModel.full(w, means, cov);
            }
            case TIED -> {
                double[][] cov = new double[d][d];
                double total = 0;
                for (int s = 0; s < k; s++) {
                    total += n[s];
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        double sum = covariancesPrior;
                        for (int s = 0; s < k; s++) {
                            sum += spread[s][a * d + b];
                        }
                        cov[a][b] = sum / (c + total);
                    }
                    cov[a][a] += regCovar;
                }
                yield GaussianMixtureModel.tied(w, means, cov);
            }
            default -> {
                double[][] variances = new double[k][d];
                double[] spherical = new double[k];
                for (int s = 0; s < k; s++) {
                    for (int a = 0; a < d; a++) {
                        variances[s][a] = (covariancesPrior + spread[s][a * d + a]) / Math.max(c + n[s], 1e-5);
                        spherical[s] += variances[s][a] / d;
                        variances[s][a] += regCovar;
                    }
                    spherical[s] += regCovar;
                }
                yield type == CovarianceType.DIAG ? GaussianMixtureModel.diag(w, means, variances)
                        : GaussianMixtureModel.spherical(w, means, spherical);
            }
        };
        return out.withFeatureNames(previous.featureNames());
    }

    /**
     * The log density the M-step maximises with the likelihood, without its normalising constant: per state
     * {@code −½ w (μ − μ₀)ᵀ Σ⁻¹ (μ − μ₀) − ½ c log|Σ| − ½ tr(Ψ Σ⁻¹)}; for tied covariances the last two terms once.
     *
     * @param g the states' Gaussians
     * @return the log density
     */
    public double logDensity(GaussianMixtureModel g) {
        CovarianceType type = g.covarianceType();
        int k = g.components();
        int d = g.dimension();
        double c = covarianceCount(type, d);
        boolean perFeature = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
        double lp = 0;
        for (int s = 0; s < k; s++) {
            double[][] cov = g.covariance(s);
            double[] mu = g.mean(s);
            if (perFeature) {
                for (int a = 0; a < d; a++) {
                    double v = cov[a][a];
                    double diff = mu[a] - meansPrior;
                    lp += -0.5 * (meansWeight * diff * diff + covariancesPrior) / v - 0.5 * c * Math.log(v);
                }
                continue;
            }
            double[][] l = cholesky(cov);
            double[] diff = new double[d];
            for (int a = 0; a < d; a++) {
                diff[a] = mu[a] - meansPrior;
            }
            double[] z = solveLower(l, diff);
            lp += -0.5 * meansWeight * dot(z, z);
            if (type == CovarianceType.FULL || s == 0) {
                double[] ones = new double[d];
                java.util.Arrays.fill(ones, 1.0);
                double[] u = solveLower(l, ones);
                double logDet = 0;
                for (int a = 0; a < d; a++) {
                    logDet += 2 * Math.log(l[a][a]);
                }
                // tr(ψ 11ᵀ Σ⁻¹) = ψ 1ᵀ Σ⁻¹ 1 = ψ |L⁻¹ 1|².
                lp += -0.5 * c * logDet - 0.5 * covariancesPrior * dot(u, u);
            }
        }
        return lp;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The lower Cholesky factor of a symmetric positive-definite matrix. */
    private static double[][] cholesky(double[][] m) {
        int d = m.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = m[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(Math.max(sum, 0.0)) : sum / l[j][j];
            }
        }
        return l;
    }

    /** Solves {@code L z = b} by forward substitution. */
    private static double[] solveLower(double[][] l, double[] b) {
        int d = b.length;
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * z[k];
            }
            z[i] = sum / l[i][i];
        }
        return z;
    }
}
