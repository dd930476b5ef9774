/**
 * Hidden semi-Markov models (explicit-duration HMMs): each state, once entered, lasts a number of steps drawn from
 * its own duration distribution (Poisson, negative binomial or nonparametric, on {@code 1..Dmax}), then moves to
 * another state. {@link io.emkit.hmm.semimarkov.SemiMarkov} configures and runs a fit on the EM engine,
 * {@link io.emkit.hmm.semimarkov.SemiMarkovModel} is the fitted model (segment forward–backward, segment Viterbi,
 * sampling), {@link io.emkit.hmm.semimarkov.Durations} the states' duration distributions.
 *
 * <p>Uses {@link io.emkit.hmm} (the emissions, their statistics and M-step, the sequences, and an HMM fit as the
 * starting point), {@link io.emkit.em} and {@link io.emkit.kernels}; nothing in {@link io.emkit.hmm} uses this room.
 */
package io.emkit.hmm.semimarkov;
