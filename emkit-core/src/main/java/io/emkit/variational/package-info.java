/**
 * Variational Bayes for Gaussian mixtures: a Dirichlet-distribution or truncated Dirichlet-process
 * (stick-breaking) prior on the weights and a Normal–Wishart prior on the components
 * ({@link io.emkit.variational.VariationalPrior}), fitted by coordinate ascent on the evidence lower bound
 * ({@link io.emkit.variational.VariationalMixture}) to a posterior ({@link io.emkit.variational.VariationalModel})
 * whose surplus components end with negligible weight. The E-step is the Gaussian mixture's, on the block kernels.
 *
 * <p>Uses {@code io.emkit.data}, {@code io.emkit.em}, {@code io.emkit.kernels}, {@code io.emkit.mixture},
 * {@code io.emkit.kmeans} (the default start), {@code io.emkit.gaussian} and {@code io.emkit.gaussian.covariance}.
 */
package io.emkit.variational;
