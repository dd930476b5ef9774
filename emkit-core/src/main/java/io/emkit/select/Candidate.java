package io.emkit.select;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.MixtureModel;

import java.util.List;

/**
 * One (K, structure) combination of a model selection: its fit and criteria, or why it failed.
 *
 * @param components     K
 * @param covariance     the covariance structure; for a mixture of factor analysers ({@code factors > 0}) the
 *                       structure of the Gaussian starts it was fitted from, full ({@link CovarianceType#FULL})
 * @param logLikelihood  the fitted log-likelihood (NaN if the fit failed); under a prior, at the posterior mode
 * @param logPosterior   the objective the fit maximised: the log-likelihood plus the log prior density under a
 *                       prior, the log-likelihood without one (NaN if the fit failed)
 * @param parameterCount the number of free parameters (counted even if the fit failed)
 * @param bic            −2·logL + p·ln n (NaN if the fit failed)
 * @param icl            BIC + 2·entropy of the responsibilities (NaN if the fit failed)
 * @param aic            −2·logL + 2p (NaN if the fit failed)
 * @param failure        why the fit failed, or {@code null}
 * @param model          the fitted model ({@code GaussianMixtureModel}, {@code StudentMixtureModel} when t mixtures
 *                       are selected, {@code NoiseMixtureModel} with a noise component,
 *                       {@code FactorAnalyserMixtureModel} for a mixture of factor analysers), or {@code null} if the
 *                       fit failed
 * @param warnings       the fit's warnings (degenerate components and the like)
 * @param factors        Q, the factors per component of a mixture of factor analysers; 0 for any other model
 */
public record Candidate(int components, CovarianceType covariance, double logLikelihood, double logPosterior,
                        int parameterCount,
                        double bic, double icl, double aic, String failure, MixtureModel model,
                        List<String> warnings, int factors) {
    /**
     * A candidate that is not a mixture of factor analysers ({@code factors} 0).
     *
     * @param components     K
     * @param covariance     the covariance structure
     * @param logLikelihood  the fitted log-likelihood (NaN if the fit failed)
     * @param logPosterior   the objective the fit maximised (NaN if the fit failed)
     * @param parameterCount the number of free parameters
     * @param bic            BIC (NaN if the fit failed)
     * @param icl            ICL (NaN if the fit failed)
     * @param aic            AIC (NaN if the fit failed)
     * @param failure        why the fit failed, or {@code null}
     * @param model          the fitted model, or {@code null} if the fit failed
     * @param warnings       the fit's warnings
     */
    public Candidate(int components, CovarianceType covariance, double logLikelihood, double logPosterior,
                     int parameterCount, double bic, double icl, double aic, String failure, MixtureModel model,
                     List<String> warnings) {
        this(components, covariance, logLikelihood, logPosterior, parameterCount, bic, icl, aic, failure, model,
                warnings, 0);
    }

    /** @return whether the candidate is a mixture of factor analysers */
    public boolean isFactorAnalysers() {
        return factors > 0;
    }

    /** @return the structure's name: mclust's ({@code "VEV"}), or {@code "mfa:Q"} for a mixture of factor analysers */
    public String structureName() {
        return factors > 0 ? "mfa:" + factors : covariance.mclustName();
    }

    /** @return whether the fit succeeded */
    public boolean succeeded() {
        return failure == null;
    }

    /**
     * @param criterion a criterion
     * @return this candidate's value of it (NaN if the fit failed)
     */
    public double value(Criterion criterion) {
        return switch (criterion) {
            case BIC -> bic;
            case ICL -> icl;
            case AIC -> aic;
        };
    }

    /** @return e.g. {@code "VEV, 2 components"} or {@code "mfa:3, 2 components"} */
    public String name() {
        return structureName() + ", " + components + (components == 1 ? " component" : " components");
    }
}
