/**
 * Mixture models fitted by EM. {@link io.emkit.mixture.GaussianMixture} configures and runs a fit of a
 * {@link io.emkit.mixture.GaussianMixtureModel} under one of the {@link io.emkit.mixture.CovarianceType}s;
 * {@link io.emkit.mixture.GaussianMixtureSteps} is its E- and M-step on the engine's seam.
 */
package io.emkit.mixture;
