/**
 * The EM engine: one loop for every model, and everything that is engine rather than model.
 *
 * <p>A model supplies its {@link io.emkit.em.EmSteps}: an E-step that accumulates additive
 * {@link io.emkit.em.SufficientStatistics} over a block of rows, and an M-step from merged statistics.
 * {@link io.emkit.em.ExpectationMaximization} does the rest: restarts, iteration, convergence, progress,
 * and a parallel E-step whose result does not depend on the number of threads. The seams to other engines
 * live here too: {@link io.emkit.em.PartitionSteps} and {@link io.emkit.em.DistributedFit} (Spark; with
 * {@link io.emkit.em.DistributedFit.OverSequences} for sequence models, whose units are whole sequences), and
 * {@link io.emkit.em.MiniBatch}, the settings of stepwise EM.
 *
 * <p>Uses {@link io.emkit.data} only; knows nothing about any model.
 */
package io.emkit.em;
