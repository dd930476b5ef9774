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
    SQUAREM
}
