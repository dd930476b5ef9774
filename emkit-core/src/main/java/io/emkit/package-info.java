/**
 * emkit: Expectation-Maximization for the JVM. The library's rooms, each a package, dependencies running
 * one way (a package uses only those listed before it):
 *
 * <ul>
 *   <li>{@link io.emkit.data}: datasets, CSV and {@code .emk} reading;</li>
 *   <li>{@link io.emkit.em}: the one EM loop and everything that is engine rather than model;</li>
 *   <li>{@link io.emkit.kernels}: the block arithmetic of the Gaussian steps and small linear algebra;</li>
 *   <li>{@link io.emkit.mixture}: what every mixture shares (model interfaces, assignment, data checks);</li>
 *   <li>{@link io.emkit.init}: starts shared by models (k-means++ seeding, hierarchical clustering);</li>
 *   <li>{@link io.emkit.kmeans}: k-means, hard EM;</li>
 *   <li>{@link io.emkit.gaussian.covariance}: the 14 covariance structures and their M-steps;</li>
 *   <li>{@link io.emkit.gaussian}: the Gaussian mixture;</li>
 *   <li>{@link io.emkit.families}: mixtures of independent columns (Poisson, Bernoulli, categorical, ...);</li>
 *   <li>{@link io.emkit.hmm}: hidden Markov models;</li>
 *   <li>{@link io.emkit.select}: model selection, bootstrap, likelihood-ratio tests;</li>
 *   <li>{@link io.emkit.io}: model files.</li>
 * </ul>
 */
package io.emkit;
