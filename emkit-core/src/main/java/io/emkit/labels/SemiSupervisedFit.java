package io.emkit.labels;

import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixtureModel;

/**
 * What a {@link SemiSupervisedGaussianMixture} fit gives.
 *
 * @param em    how EM went; its log-likelihood (and trace) is the semi-supervised log-likelihood, its parameter
 *              count the mixture's
 * @param model the fitted mixture, with the class each component stands for
 * @param start the mixture EM started from (the labelled rows' estimate)
 */
public record SemiSupervisedFit(EmResult<GaussianMixtureModel> em, LabelledGaussianMixture model,
                                GaussianMixtureModel start) {
}
