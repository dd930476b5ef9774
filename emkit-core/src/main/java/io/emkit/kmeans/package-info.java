/**
 * k-means: {@link io.emkit.kmeans.KMeans} fits a {@link io.emkit.kmeans.KMeansModel} by Lloyd's algorithm,
 * hard EM on the engine ({@link io.emkit.kmeans.KMeansSteps} over {@link io.emkit.kmeans.KMeansStatistics}).
 *
 * Every distance from a row to all centroids runs through {@link io.emkit.kernels.CentroidTable} (SIMD lanes
 * across the centroids, bit for bit the plain loop's distances).
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.kernels}, {@link io.emkit.mixture} and
 * {@link io.emkit.init}.
 */
package io.emkit.kmeans;
