/**
 * Input–output hidden Markov models (Bengio &amp; Frasconi 1995; the transition models of R's depmixS4): the
 * transitions depend on covariates. Each state's outgoing transition row is a multinomial logistic regression of the
 * covariates of the step the chain moves into ({@link io.emkit.hmm.covariates.TransitionRegression}), the emissions
 * are the HMM's. {@link io.emkit.hmm.covariates.CovariateHmm} configures and runs a fit on the EM engine (a
 * generalised EM: Newton steps with step halving in the M-step), {@link io.emkit.hmm.covariates.CovariateHmmModel}
 * is the fitted model (forward–backward with time-varying transition matrices, Viterbi),
 * {@link io.emkit.hmm.covariates.CovariateSequences} the observations with their covariates.
 *
 * <p>Uses {@link io.emkit.hmm} (the emissions, their statistics and M-step, the sequences, and an HMM fit as the
 * starting point), {@link io.emkit.em} and {@link io.emkit.data}; nothing in {@link io.emkit.hmm} uses this room.
 */
package io.emkit.hmm.covariates;
