/**
 * k-means: {@link io.emkit.kmeans.KMeans} fits a {@link io.emkit.kmeans.KMeansModel} by Lloyd's algorithm,
 * hard EM on the engine ({@link io.emkit.kmeans.KMeansSteps} over {@link io.emkit.kmeans.KMeansStatistics}).
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.mixture} and {@link io.emkit.init}.
 */
package io.emkit.kmeans;
