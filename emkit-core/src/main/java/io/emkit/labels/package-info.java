/**
 * Learning with labels: semi-supervised EM for Gaussian mixtures, where some rows' classes are known
 * ({@link io.emkit.labels.SemiSupervisedGaussianMixture}, mclust's {@code MclustSSC}). {@link io.emkit.labels.ClassLabels}
 * holds the known classes, {@link io.emkit.labels.LabelledGaussianMixture} the fitted mixture with the class each
 * component stands for. Discriminant analysis, when every row's class is known: {@link io.emkit.labels.DiscriminantAnalysis}
 * (EDDA, one Gaussian per class) and {@link io.emkit.labels.MixtureDiscriminantAnalysis} (MclustDA, a mixture per
 * class chosen by {@link io.emkit.select.ModelSelection}). Labels for other models: mixtures of independent columns
 * ({@link io.emkit.labels.SemiSupervisedProductMixture}) and hidden Markov models, whose labelled time steps fix
 * the state ({@link io.emkit.labels.SemiSupervisedHmm}). The E-step is the Gaussian mixture's own, restricted per row
 * ({@link io.emkit.mixture.ComponentRestriction}); the M-step is the Gaussian mixture's, for all 14 structures.
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.mixture}, {@link io.emkit.init},
 * {@link io.emkit.gaussian}, {@link io.emkit.gaussian.covariance}, {@link io.emkit.select}, {@link io.emkit.families} and {@link io.emkit.hmm}.
 */
package io.emkit.labels;
