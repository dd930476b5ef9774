/**
 * The covariance structures of a Gaussian mixture: mclust's 14 ({@link io.emkit.gaussian.covariance.CovarianceType},
 * with scikit-learn's four names as aliases) and their constrained M-steps
 * ({@link io.emkit.gaussian.covariance.ConstrainedCovariances}).
 *
 * <p>Uses nothing else of emkit's but {@link io.emkit.EmkitException}.
 */
package io.emkit.gaussian.covariance;
