/**
 * The EM engine: one loop for every model.
 *
 * <p>A model supplies its {@link io.emkit.em.EmSteps}: an E-step that accumulates additive
 * {@link io.emkit.em.SufficientStatistics} over a block of rows, and an M-step from merged statistics.
 * {@link io.emkit.em.ExpectationMaximization} does the rest: restarts, iteration, convergence, progress,
 * and a parallel E-step whose result does not depend on the number of threads.
 */
package io.emkit.em;
