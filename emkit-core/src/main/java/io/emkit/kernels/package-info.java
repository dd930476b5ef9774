/**
 * The arithmetic whose speed decides a Gaussian fit's: a {@link io.emkit.kernels.BlockWorkspace} holds a
 * block of rows column-major, and {@link io.emkit.kernels.BlockKernels} compute on it (plain Java, or SIMD on
 * the JDK's Vector API when it is available); {@link io.emkit.kernels.Linalg} is the small dense linear algebra
 * around them; {@link io.emkit.kernels.CentroidTable} gives k-means' distances from a row to every centroid
 * (SIMD lanes across the centroids where available, bit for bit the plain loop's). Internal to emkit: public
 * only so that the model packages can reach it; not an API.
 *
 * <p>Uses {@link io.emkit.data} only.
 */
package io.emkit.kernels;
