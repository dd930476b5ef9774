/**
 * Mixture models and clustering fitted by EM. {@link io.emkit.mixture.GaussianMixture} configures and runs a
 * fit of a {@link io.emkit.mixture.GaussianMixtureModel} under one of the
 * {@link io.emkit.mixture.CovarianceType}s; {@link io.emkit.mixture.GaussianMixtureSteps} is its E- and
 * M-step on the engine's seam. {@link io.emkit.mixture.KMeans} fits a {@link io.emkit.mixture.KMeansModel}
 * by Lloyd's algorithm, hard EM on the same engine. Both kinds of fitted model are
 * {@link io.emkit.mixture.ClusteringModel}s.
 */
package io.emkit.mixture;
