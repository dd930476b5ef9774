/**
 * Mixtures of factor analysers: Gaussian components whose covariances are {@code Σ_k = Λ_k Λ_kᵀ + Ψ_k}, a
 * {@code D × Q} matrix of factor loadings and a diagonal of uniquenesses, so that a component costs
 * {@code O(D·Q)} parameters, memory and work per row instead of {@code O(D²)} (Ghahramani and Hinton 1996;
 * McLachlan and Peel 2000, <i>Finite Mixture Models</i>, ch. 8). {@link io.emkit.factor.FactorAnalyserMixture}
 * configures and runs a fit of a {@link io.emkit.factor.FactorAnalyserMixtureModel};
 * {@link io.emkit.factor.FactorAnalyserSteps} is its E- and M-step on the engine's seam, over
 * {@link io.emkit.factor.FactorAnalyserStatistics}; {@link io.emkit.factor.FactorStarts} turns Gaussian starts
 * into loadings and uniquenesses; {@link io.emkit.factor.WideStarts} makes the starts on wide data from partitions of
 * the rows, with no {@code D × D} matrix.
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.kernels}, {@link io.emkit.mixture}, {@link io.emkit.init},
 * {@link io.emkit.kmeans} (the wide starts' partitions),
 * {@link io.emkit.gaussian} (the starts) and {@link io.emkit.gaussian.covariance}.
 */
package io.emkit.factor;
