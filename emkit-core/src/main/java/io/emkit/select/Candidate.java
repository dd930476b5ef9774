package io.emkit.select;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.MixtureModel;

import java.util.List;

/**
 * One (K, structure) combination of a model selection: its fit and criteria, or why it failed.
 *
 * @param components     K
 * @param covariance     the covariance structure
 * @param logLikelihood  the fitted log-likelihood (NaN if the fit failed); under a prior, at the posterior mode
 * @param logPosterior   the objective the fit maximised: the log-likelihood plus the log prior density under a
 *                       prior, the log-likelihood without one (NaN if the fit failed)
 * @param parameterCount the number of free parameters (counted even if the fit failed)
 * @param bic            −2·logL + p·ln n (NaN if the fit failed)
 * @param icl            BIC + 2·entropy of the responsibilities (NaN if the fit failed)
 * @param aic            −2·logL + 2p (NaN if the fit failed)
 * @param failure        why the fit failed, or {@code null}
 * @param model          the fitted model ({@code GaussianMixtureModel}, or {@code StudentMixtureModel} when t mixtures
 *                       are selected), or {@code null} if the fit failed
 * @param warnings       the fit's warnings (degenerate components and the like)
 */
public record Candidate(int components, CovarianceType covariance, double logLikelihood, double logPosterior,
                        int parameterCount,
                        double bic, double icl, double aic, String failure, MixtureModel model,
                        List<String> warnings) {
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

    /** @return e.g. {@code "VEV, 2 components"} */
    public String name() {
        return covariance.mclustName() + ", " + components + (components == 1 ? " component" : " components");
    }
}
