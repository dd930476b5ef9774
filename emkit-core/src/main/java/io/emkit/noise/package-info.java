/**
 * Gaussian mixtures with a uniform noise component (mclust's {@code Vinv}): a constant density over the data's
 * region ({@link io.emkit.noise.NoiseRegion}) that takes the rows no Gaussian component explains, fitted on
 * the Gaussian engine ({@link io.emkit.noise.NoiseMixtureSteps}), started from a nearest-neighbour guess of
 * the noise ({@link io.emkit.noise.NearestNeighbourNoise}).
 *
 * <p>Uses {@code io.emkit.data}, {@code io.emkit.em}, {@code io.emkit.kernels}, {@code io.emkit.mixture},
 * {@code io.emkit.gaussian} and {@code io.emkit.gaussian.covariance}.
 */
package io.emkit.noise;
