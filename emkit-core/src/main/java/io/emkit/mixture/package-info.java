/**
 * What every mixture shares: the fitted-model interfaces {@link io.emkit.mixture.ClusteringModel} and
 * {@link io.emkit.mixture.MixtureModel}, soft or hard {@link io.emkit.mixture.Assignment}, and the checks a
 * data set passes before a fit or a prediction ({@link io.emkit.mixture.DataChecks}). The models themselves
 * live in their own rooms: {@link io.emkit.gaussian}, {@link io.emkit.kmeans}, {@link io.emkit.families}.
 *
 * <p>Uses {@link io.emkit.data} only.
 */
package io.emkit.mixture;
