/**
 * Gaussian mixtures with a uniform noise component (mclust's {@code Vinv}): a constant density over the data's
 * region ({@link io.emkit.noise.NoiseRegion}) that takes the rows no Gaussian component explains, fitted on
 * the Gaussian engine ({@link io.emkit.noise.NoiseMixtureSteps}), started from a nearest-neighbour guess of
 * the noise ({@link io.emkit.noise.NearestNeighbourNoise}). The same noise beside t components:
 * {@link io.emkit.noise.NoiseStudentMixture} fits a {@link io.emkit.noise.NoiseStudentMixtureModel} by
 * {@link io.emkit.noise.NoiseStudentSteps}, the t mixture's E- and M-step on rows weighted by their probability of
 * not being noise; {@link io.emkit.noise.NoiseFactorAnalyserMixture} and
 * {@link io.emkit.noise.NoiseFactorAnalyserMixtureModel} likewise beside factor analysers
 * ({@link io.emkit.noise.NoiseFactorAnalyserSteps}). What the two share is written once:
 * {@link io.emkit.noise.MixtureBesideNoise} (the model: any mixture and the noise),
 * {@link io.emkit.noise.StepsBesideNoise} (the steps: the mixture's own on reweighted rows),
 * {@link io.emkit.noise.StatisticsBesideNoise}, and {@code FitBesideNoise} (the configuration: the noise's settings,
 * a warm start, the fit).
 *
 * <p>Uses {@code io.emkit.data}, {@code io.emkit.em}, {@code io.emkit.kernels}, {@code io.emkit.mixture},
 * {@code io.emkit.gaussian}, {@code io.emkit.gaussian.covariance}, {@code io.emkit.student} and {@code io.emkit.factor}.
 */
package io.emkit.noise;
