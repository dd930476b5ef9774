/**
 * Hidden Markov models fitted by Baum–Welch on the EM engine: {@link io.emkit.hmm.HiddenMarkov} configures and
 * runs a fit of a {@link io.emkit.hmm.HiddenMarkovModel} over {@link io.emkit.data.Sequences}, with one
 * {@link io.emkit.hmm.Emission} kind per state distribution (Gaussian, Gaussian mixture, categorical, Poisson).
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.mixture} (the known states of semi-supervised
 * Baum–Welch, {@link io.emkit.mixture.ComponentRestriction}), {@link io.emkit.gaussian} (its emissions' densities) and
 * {@link io.emkit.gaussian.covariance}. Hidden semi-Markov models (explicit state durations) live next door in
 * {@code io.emkit.hmm.semimarkov}, which uses the emissions' public seam ({@link io.emkit.hmm.Emission#logDensityRows},
 * {@link io.emkit.hmm.Emission#emptyStatistics}, {@link io.emkit.hmm.Emission#maximizeStatistics},
 * {@link io.emkit.hmm.Emission#sampleStates}); nothing here uses that room.
 */
package io.emkit.hmm;

