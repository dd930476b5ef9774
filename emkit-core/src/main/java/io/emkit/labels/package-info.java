/**
 * Learning with labels: semi-supervised EM for Gaussian mixtures, where some rows' classes are known
 * ({@link io.emkit.labels.SemiSupervisedGaussianMixture}, mclust's {@code MclustSSC}). {@link io.emkit.labels.ClassLabels}
 * holds the known classes, {@link io.emkit.labels.LabelledGaussianMixture} the fitted mixture with the class each
 * component stands for. The E-step is the Gaussian mixture's own, restricted per row
 * ({@link io.emkit.mixture.ComponentRestriction}); the M-step is the Gaussian mixture's, for all 14 structures.
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.mixture}, {@link io.emkit.gaussian} and
 * {@link io.emkit.gaussian.covariance}.
 */
package io.emkit.labels;
