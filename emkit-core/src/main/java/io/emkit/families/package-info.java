/**
 * Mixtures of independent columns: {@link io.emkit.families.ProductMixture} fits a
 * {@link io.emkit.families.ProductMixtureModel} whose components model each column with its own
 * {@link io.emkit.families.ColumnFamily} (Gaussian, Poisson, Bernoulli, categorical, exponential).
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.mixture} and {@link io.emkit.init}.
 */
package io.emkit.families;
