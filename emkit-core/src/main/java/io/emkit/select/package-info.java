/**
 * Model selection for Gaussian mixtures: fit every (number of components, covariance structure) pair
 * and rank the fits by BIC, ICL or AIC ({@link io.emkit.select.ModelSelection}); the bootstrap of a fit and
 * the likelihood-ratio test for the number of components.
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.init}, {@link io.emkit.mixture},
 * {@link io.emkit.gaussian}, {@link io.emkit.gaussian.covariance}, {@link io.emkit.student} (selection among
 * t mixtures), {@link io.emkit.noise} (among mixtures with a noise component) and {@link io.emkit.factor} (mixtures
 * of factor analysers, over their numbers of factors).
 */
package io.emkit.select;
