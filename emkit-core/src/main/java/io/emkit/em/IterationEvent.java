package io.emkit.em;

/**
 * One EM iteration, as reported to an {@link IterationListener}.
 *
 * @param initialization  which initialisation this run is, from 0
 * @param initializations how many initialisations the fit makes, or 0 in a {@linkplain Search search}, whose runs
 *                        are not known ahead (they depend on how the earlier ones end)
 * @param iteration       number of M-steps done so far in this run (0 for the starting parameters)
 * @param objective       the total log-likelihood (plus log prior, if any) of the current parameters
 * @param meanChange      change of the per-unit mean objective since the previous iteration ({@code NaN} at 0),
 *                        or what the model's {@link EmSteps#convergenceChange} measures instead
 * @param elapsedNanos    time since this run started
 */
public record IterationEvent(int initialization, int initializations, int iteration, double objective,
                             double meanChange, long elapsedNanos) {
}
