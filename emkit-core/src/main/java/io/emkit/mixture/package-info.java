/**
 * What every mixture shares: the fitted-model interfaces {@link io.emkit.mixture.ClusteringModel} and
 * {@link io.emkit.mixture.MixtureModel}, soft or hard {@link io.emkit.mixture.Assignment}, the checks a
 * data set passes before a fit or a prediction ({@link io.emkit.mixture.DataChecks}), and what the
 * split-and-merge moves of k-means and Gaussian mixtures share ({@link io.emkit.mixture.PrincipalAxis},
 * {@link io.emkit.mixture.SplitMergePlan}), the row loop of the families that evaluate rows one at a time
 * ({@link io.emkit.mixture.RowwiseMixtureModel}), and when an M-step calls a component empty
 * ({@link io.emkit.mixture.EmptyComponents}). The models themselves live in their own
 * rooms: {@link io.emkit.gaussian}, {@link io.emkit.kmeans}, {@link io.emkit.families}, {@link io.emkit.student},
 * {@link io.emkit.factor} and others.
 *
 * <p>Uses {@link io.emkit.data} only.
 */
package io.emkit.mixture;
