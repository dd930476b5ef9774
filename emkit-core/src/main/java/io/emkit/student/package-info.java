/**
 * Mixtures of multivariate Student-t distributions: components with heavier tails than Gaussians, so that a
 * few far rows neither take a component of their own nor drag a mean off its cluster (McLachlan and Peel
 * 2000, <i>Finite Mixture Models</i>, ch. 7; Peel and McLachlan 2000). {@link io.emkit.student.StudentMixture}
 * configures and runs a fit of a {@link io.emkit.student.StudentMixtureModel};
 * {@link io.emkit.student.StudentMixtureSteps} is its E- and M-step (ECM) on the engine's seam, over
 * {@link io.emkit.student.StudentStatistics}; {@link io.emkit.student.DegreesOfFreedom} says how the degrees
 * of freedom are fitted and holds the special functions they need. {@link io.emkit.student.ScaleMixtureModel} is
 * what the t mixtures of every scale structure share (the t factor analysers' too).
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.kernels}, {@link io.emkit.mixture},
 * {@link io.emkit.init}, {@link io.emkit.gaussian} (the start, and the covariance M-step of every structure)
 * and {@link io.emkit.gaussian.covariance}.
 */
package io.emkit.student;
