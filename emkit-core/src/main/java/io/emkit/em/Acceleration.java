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
     * extrapolated point is valid, its objective and that of the step from it are both at least the objective
     * of {@code F(F(θ))}; otherwise the run continues from {@code F(F(θ))}. The objective therefore never
     * decreases, and each E-step, extrapolated or not, counts as one iteration.
     */
    SQUAREM
}
