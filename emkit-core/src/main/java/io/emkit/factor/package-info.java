/**
 * Mixtures of factor analysers: Gaussian components whose covariances are {@code Σ_k = Λ_k Λ_kᵀ + Ψ_k}, a
 * {@code D × Q} matrix of factor loadings and a diagonal of uniquenesses, so that a component costs
 * {@code O(D·Q)} parameters, memory and work per row instead of {@code O(D²)} (Ghahramani and Hinton 1996;
 * McLachlan and Peel 2000, <i>Finite Mixture Models</i>, ch. 8). {@link io.emkit.factor.FactorAnalyserMixture}
 * configures and runs a fit of a {@link io.emkit.factor.FactorAnalyserMixtureModel};
 * {@link io.emkit.factor.FactorAnalyserSteps} is its E- and M-step on the engine's seam, over
 * {@link io.emkit.factor.FactorAnalyserStatistics}; {@link io.emkit.factor.FactorStarts} turns Gaussian starts
 * into loadings and uniquenesses; {@link io.emkit.factor.WideStarts} makes the starts on wide data from partitions of
 * the rows, with no {@code D × D} matrix. Mixtures of t factor analysers (McLachlan, Bean and Ben-Tahar 2007) have the
 * same scale matrices with multivariate t components: {@link io.emkit.factor.StudentFactorAnalyserMixture} fits a
 * {@link io.emkit.factor.StudentFactorAnalyserMixtureModel} by {@link io.emkit.factor.StudentFactorAnalyserSteps}
 * over {@link io.emkit.factor.StudentFactorStatistics}.
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.kernels}, {@link io.emkit.mixture}, {@link io.emkit.init},
 * {@link io.emkit.kmeans} (the wide starts' partitions), {@link io.emkit.gaussian} (the starts),
 * {@link io.emkit.gaussian.covariance} and {@link io.emkit.student} (the degrees of freedom's root and special
 * functions).
 */
package io.emkit.factor;
