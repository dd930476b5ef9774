/**
 * Mixture models and clustering fitted by EM. {@link io.emkit.mixture.GaussianMixture} configures and runs a
 * fit of a {@link io.emkit.mixture.GaussianMixtureModel} under one of the
 * {@link io.emkit.mixture.CovarianceType}s; {@link io.emkit.mixture.GaussianMixtureSteps} is its E- and
 * M-step on the engine's seam. {@link io.emkit.mixture.KMeans} fits a {@link io.emkit.mixture.KMeansModel}
 * by Lloyd's algorithm, hard EM on the same engine. {@link io.emkit.mixture.ProductMixture} fits a
 * {@link io.emkit.mixture.ProductMixtureModel}: components that model each column independently with its own
 * {@link io.emkit.mixture.ColumnFamily} (Gaussian, Poisson, Bernoulli, categorical, exponential). All fitted
 * models are {@link io.emkit.mixture.ClusteringModel}s.
 */
package io.emkit.mixture;
