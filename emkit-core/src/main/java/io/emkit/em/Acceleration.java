package io.emkit.em;

/**
 * How the engine speeds up the EM map.
 */
public enum Acceleration {
    /** Plain EM: one M-step and one E-step per iteration. */
    NONE,
    /**
     * SQUAREM (Varadhan and Roland 2008, scheme S3), for models whose steps supply a
     * {@link ParameterVector}; plain EM for the others. From parameters θ it makes two EM steps,
     * {@code F(θ)} and {@code F(F(θ))}, extrapolates along {@code r = F(θ) − θ} and
     * {@code v = F(F(θ)) − 2F(θ) + θ} with step {@code α = −‖r‖/‖v‖} (at most −1, and at least the current
     * maximum step, which grows fourfold after each accepted step at the maximum and shrinks after a
     * rejection), and makes one EM step from the extrapolated point. The result is kept only if the
     * extrapolated point is valid and the objective of the step from it is at least that of {@code F(θ)} (of
     * {@code F(F(θ))} near convergence, where its objective is computed for the convergence test anyway);
     * otherwise the run continues from {@code F(F(θ))}. The objective therefore never decreases. Each E-step,
     * extrapolated or not, counts as one iteration: an accepted cycle makes three ({@code F(θ)}'s, the
     * extrapolated point's and its step's), as Varadhan and Roland's scheme does; {@code F(F(θ))} needs one
     * only where the cycle falls back to it or tests convergence.
     */
    SQUAREM,
    /**
     * DAAREM: damped Anderson acceleration with restarts (Henderson and Varadhan 2019), for models whose steps
     * supply a {@link ParameterVector}; plain EM for the others. Each iteration makes one M-step, {@code F(x)},
     * and proposes {@code F(x) − (ΔX + ΔR)γ}, where the columns of {@code ΔX} and {@code ΔR} are the differences
     * of the last iterates and of their residuals {@code F(x) − x}, at most {@code m = min(10, ⌈p/2⌉)} of each for
     * {@code p} coordinates (the memory is cleared when full: the restarts), and {@code γ} solves
     * {@code min ‖r − ΔR γ‖² + λ‖γ‖²} with {@code λ} chosen so that {@code ‖γ‖²} is a fraction
     * {@code 1/(1 + 1.2^(25 − s))} of the undamped solution's ({@code s} counts accepted proposals less rejected
     * ones, so the damping fades as proposals succeed). A proposal is kept only if it is valid and its objective
     * is above that of the point it was made from; otherwise (and without evaluating it where its correction
     * points back against the residual, towards a fixed point EM is leaving) the run takes the EM step
     * {@code F(x)} and restarts the memory, so the objective never decreases. An accepted iteration costs one
     * E-step, a rejected one two. Where linear combinations leave the model's structure
     * ({@link ParameterVector#keepsStructure}), the run stands at the EM step from an accepted proposal instead.
     * Convergence is confirmed as under SQUAREM near its end: by two plain EM steps and what their rate says is
     * still to come. Not the default: on the search grid's 104 cases it needed more E-steps than SQUAREM in
     * total (see BENCHMARKS.md).
     */
    DAAREM
}
