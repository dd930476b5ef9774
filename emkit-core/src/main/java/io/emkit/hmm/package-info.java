/**
 * Hidden Markov models fitted by Baum–Welch on the EM engine: {@link io.emkit.hmm.HiddenMarkov} configures and
 * runs a fit of a {@link io.emkit.hmm.HiddenMarkovModel} over {@link io.emkit.data.Sequences}, with one
 * {@link io.emkit.hmm.Emission} kind per state distribution (Gaussian, Gaussian mixture, categorical, Poisson).
 * {@link io.emkit.hmm.StateSequenceModel} is what every hidden-state model of sequences shares (states, start,
 * emissions, a log-likelihood summed over sequences); the semi-Markov and input–output models extend it too.
 *
 * <p>Uses {@link io.emkit.data}, {@link io.emkit.em}, {@link io.emkit.mixture} (the known states of semi-supervised
 * Baum–Welch, {@link io.emkit.mixture.ComponentRestriction}), {@link io.emkit.gaussian} (its emissions' densities) and
 * {@link io.emkit.gaussian.covariance}. Hidden semi-Markov models (explicit state durations) live next door in
 * {@code io.emkit.hmm.semimarkov}, which uses the emissions' public seam ({@link io.emkit.hmm.Emission#logDensityRows},
 * {@link io.emkit.hmm.Emission#emptyStatistics}, {@link io.emkit.hmm.Emission#maximizeStatistics},
 * {@link io.emkit.hmm.Emission#sampleStates}) and {@link io.emkit.hmm.StateSequenceModel}, as does
 * {@code io.emkit.hmm.covariates} (input–output HMMs); nothing here uses those rooms.
 */
package io.emkit.hmm;

