/**
 * Starts shared by models: k-means++ seeding ({@link io.emkit.init.KMeansSeeding}), model-based hierarchical
 * clustering ({@link io.emkit.init.HierarchicalClustering}), and the {@link io.emkit.init.Initialization}
 * a user chooses among.
 *
 * <p>Uses {@link io.emkit.data} and {@link io.emkit.kernels} (k-means++'s distances).
 */
package io.emkit.init;
