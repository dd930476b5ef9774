/**
 * emkit: Expectation-Maximization for the JVM.
 *
 * <ul>
 *   <li>{@link io.emkit.em}: the one EM loop, its options, results and listeners;</li>
 *   <li>{@link io.emkit.mixture}: Gaussian mixture models;</li>
 *   <li>{@link io.emkit.data}: datasets and CSV reading;</li>
 *   <li>{@link io.emkit.io}: model files.</li>
 * </ul>
 */
package io.emkit;
