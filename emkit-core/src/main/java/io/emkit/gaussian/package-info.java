/**
 * The Gaussian mixture. {@link io.emkit.gaussian.GaussianMixture} configures and runs a fit of a
 * {@link io.emkit.gaussian.GaussianMixtureModel} under one of the covariance structures of
 * {@link io.emkit.gaussian.covariance}; {@link io.emkit.gaussian.GaussianMixtureSteps} is its E- and M-step on
 * the engine's seam, over {@link io.emkit.gaussian.GaussianStatistics}. Also here: the conjugate prior
 * ({@link io.emkit.gaussian.GaussianPrior}), EM on the observed values of rows with missing cells
 * ({@link io.emkit.gaussian.MissingPatterns}) and stepwise EM ({@link io.emkit.gaussian.StepwiseExpectation}).
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.kernels}, {@link io.emkit.mixture},
 * {@link io.emkit.init}, {@link io.emkit.kmeans} (its start) and {@link io.emkit.gaussian.covariance}.
 */
package io.emkit.gaussian;
