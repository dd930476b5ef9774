package io.emkit.hmm.covariates;

import io.emkit.EmkitException;
import io.emkit.data.Sequences;
import io.emkit.hmm.Emission;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.StateSequenceModel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fitted input–output hidden Markov model: a start distribution π, transitions that depend on covariates
 * ({@link TransitionRegression}: the move from step {@code t − 1} into step t has the probabilities of row
 * {@code s_{t−1}} at the covariates of step t; the first step's covariates enter nothing) and the HMM's
 * {@link Emission}s. Immutable; safe to share between threads.
 *
 * <p>The forward–backward pass is the HMM's scaled one (Rabiner 1989) with a transition matrix per step, computed
 * once per step and pass: {@code O(T·S²·(P + 1))} per sequence. Viterbi works in log space.
 */
public final class CovariateHmmModel extends StateSequenceModel<CovariateSequences> {
    private static final long serialVersionUID = 1L;

    private final TransitionRegression transitions;

    private CovariateHmmModel(double[] start, TransitionRegression transitions, Emission emission) {
        super(start, emission);
        this.transitions = transitions;
    }

    /**
     * @param start       π, S probabilities summing to 1
     * @param transitions the transition regressions, for S states
     * @param emission    the emissions, for S states
     * @return the model
     * @throws EmkitException if the parts disagree on the number of states or π is not a distribution
     */
    public static CovariateHmmModel of(double[] start, TransitionRegression transitions, Emission emission) {
        int s = start.length;
        if (s < 1 || transitions.states() != s || emission.states() != s) {
            throw new EmkitException("an input-output HMM's parts must agree on the number of states: start " + s
                    + ", transitions " + transitions.states() + ", emissions " + emission.states());
        }
        double sum = 0;
        for (double v : start) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new EmkitException("the start distribution has an entry " + v + ", expected finite"
                        + " probabilities >= 0");
            }
            sum += v;
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new EmkitException("the start distribution sums to " + sum + ", expected 1");
        }
        return new CovariateHmmModel(start.clone(), transitions, Objects.requireNonNull(emission, "emission"));
    }

    /**
     * The input–output HMM with a hidden Markov model's start, emissions and (constant) transitions
     * ({@link TransitionRegression#constant}): the same likelihood as the HMM, whatever the covariates.
     *
     * @param hmm   a hidden Markov model
     * @param names the P covariates' names
     * @return the model
     */
    public static CovariateHmmModel fromHiddenMarkov(HiddenMarkovModel hmm, List<String> names) {
        return of(hmm.startProbabilities(), TransitionRegression.constant(hmm.transitionMatrix(), names),
                hmm.emission());
    }

    /** @return the covariates' names */
    public List<String> covariateNames() {
        return transitions.covariateNames();
    }

    /** @return the transitions */
    public TransitionRegression transitions() {
        return transitions;
    }

    double[] flatStart() {
        return start;
    }

    /** @return the number of free parameters: start, transition coefficients and emissions */
    public int parameterCount() {
        return freeParameters(start, 0, s) + transitions.parameterCount() + emission.parameterCount();
    }

    /**
     * @param names new observation column names
     * @return the same model with renamed columns
     */
    public CovariateHmmModel withFeatureNames(List<String> names) {
        return new CovariateHmmModel(start, transitions, emission.withFeatureNames(names));
    }

    // ---------------------------------------------------------------------------------------------- inference

    @Override
    protected Sequences observations(CovariateSequences data) {
        return data.observations();
    }

    @Override
    protected double sequenceLogLikelihood(CovariateSequences data, int q, double[] gamma) {
        int t0 = data.observations().start(q);
        return forwardBackward(data, t0, t0 + data.observations().length(q), gamma, null);
    }

    @Override
    protected int[] mostProbablePath(CovariateSequences data, int q) {
        int t0 = data.observations().start(q);
        return viterbi(data, t0, t0 + data.observations().length(q));
    }

    @Override
    protected double pathLogJoint(CovariateSequences data, int q, int[] path) {
        return logJoint(data, data.observations().start(q), path);
    }

    /** The observations must have the model's columns, and the covariates its transitions' covariates. */
    @Override
    protected void checkData(CovariateSequences data) {
        checkColumns(data.observations().dimension());
        if (data.covariateCount() != transitions.covariateCount()) {
            throw new EmkitException("the model's transitions take " + transitions.covariateCount() + " covariates "
                    + covariateNames() + " but the data have " + data.covariateCount());
        }
    }

    /** The transition matrices into steps {@code from + 1 .. to − 1}: {@code out[(t − 1) · S² + i · S + j]}. */
    private double[] matrices(double[] cov, int from, int to) {
        int n = to - from;
        int p = transitions.covariateCount();
        double[] a = new double[Math.max(0, n - 1) * s * s];
        for (int t = 1; t < n; t++) {
            transitions.matrix(cov, (from + t) * p, a, (t - 1) * s * s);
        }
        return a;
    }

    /**
     * The scaled forward–backward pass over global rows {@code [from, to)}.
     *
     * @param gamma if not null, receives the posteriors at {@code (t − from) · S + j}
     * @param xi    if not null, receives {@code ξ_t(i, j)} for t = 1..n−1 at {@code (t − 1) · S² + i · S + j}
     * @return the log-likelihood, {@code -Infinity} if the sequence is impossible
     */
    double forwardBackward(CovariateSequences data, int from, int to, double[] gamma, double[] xi) {
        int n = to - from;
        double[] b = new double[n * s];
        emission.logDensityRows(data.observations().rawValues(), from, to, b);
        double[] maxLog = new double[n];
        if (!scaleSteps(b, 0, n, maxLog)) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] a = matrices(data.rawCovariates(), from, to);
        double[] alpha = new double[n * s];
        double[] scale = new double[n];
        double ll = forwardSweep(alpha, b, maxLog, a, scale, n);
        if (ll == Double.NEGATIVE_INFINITY || (gamma == null && xi == null)) {
            return ll;
        }
        double[] beta = new double[s];
        Arrays.fill(beta, 1.0);
        backwardPass(alpha, b, a, scale, 0, n, beta, gamma, xi);
        return ll;
    }

    /**
     * The E-step of one sequence, global rows {@code [from, to)}, cut into chunks of {@code chunk} steps so that
     * one long sequence uses several threads: the same log-likelihood, start counts, expected transitions of every
     * step and emission statistics as {@link #forwardBackward} up to rounding, added into {@code stats}.
     *
     * <p>The HMM's three passes ({@code HiddenMarkovModel.accumulateChunked}) with a transition matrix per step.
     * (1) In parallel over chunks: the emission densities and the chunk's transition matrices. (2) Side by side,
     * each sequential over the whole sequence: the forward recursion (as the one-pass version computes it, so the
     * log-likelihood has its bits) and a backward recursion normalised to sum 1 at each step that keeps beta at
     * each chunk's last step. (3) In parallel over chunks: the backward recursion again inside the chunk from the
     * kept beta rescaled so that the last step's posteriors sum to 1 (the one-pass version's beta), with the
     * posteriors, the steps' {@code ξ} (the pair that straddles a chunk's start belongs to the chunk) written into
     * the sequence's array, and the chunk's emission statistics, merged in chunk order. The chunks depend only on
     * the sequence's length, so the result is the same bit for bit for any number of threads.
     *
     * @param chunk steps per chunk, at least 1
     * @return the sequence's log-likelihood; {@code -Infinity} if it is impossible (nothing added then)
     */
    double accumulateChunked(CovariateSequences data, int from, int to, int chunk, CovariateHmmStatistics stats) {
        int n = to - from;
        int chunks = (n + chunk - 1) / chunk;
        int ss = s * s;
        int p = transitions.covariateCount();
        double[] x = data.observations().rawValues();
        double[] cov = data.rawCovariates();
        double[] b = new double[n * s];
        double[] maxLog = new double[n];
        double[] a = new double[Math.max(0, n - 1) * ss];
        // Each chunk's steps also get their transition matrices (into a), in the same parallel pass.
        boolean possible = scaledDensitiesByChunk(n, chunk, b, maxLog, (c0, c1, part) -> {
            emission.logDensityRows(x, from + c0, from + c1, part);
            for (int t = Math.max(1, c0); t < c1; t++) {
                transitions.matrix(cov, (from + t) * p, a, (t - 1) * ss);
            }
        });
        if (!possible) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] alpha = new double[n * s];
        double[] scale = new double[n];
        double[][] betaAtChunkEnd = new double[chunks][];
        double logLikelihood = forwardBesideBackward(() -> forwardSweep(alpha, b, maxLog, a, scale, n),
                () -> normalisedBackwardSweep(b, a, n, chunk, betaAtChunkEnd), betaAtChunkEnd);
        if (logLikelihood == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] xi = new double[Math.max(0, n - 1) * ss];
        double[] firstPosteriors = new double[s];
        Emission.Statistics[] parts = new Emission.Statistics[chunks];
        runAll(chunks, k -> {
            int c0 = k * chunk;
            int c1 = Math.min(n, c0 + chunk);
            double[] beta = chunkStartBeta(alpha, betaAtChunkEnd[k], c1 - 1);
            double[] gamma = new double[(c1 - c0) * s];
            backwardPass(alpha, b, a, scale, c0, c1, beta, gamma, xi);
            if (c0 == 0) {
                System.arraycopy(gamma, 0, firstPosteriors, 0, s);
            }
            Emission.Statistics part = emission.emptyStatistics();
            part.addRows(x, from + c0, from + c1, gamma);
            parts[k] = part;
        });
        for (int j = 0; j < s; j++) {
            stats.start[j] += firstPosteriors[j];
        }
        for (Emission.Statistics part : parts) {
            stats.emission.mergeFrom(part);
        }
        if (n > 1) {
            stats.xi.put(from, xi);
        }
        return logLikelihood;
    }

    /**
     * The scaled forward recursion over a whole sequence of scaled densities, with each step's matrix: fills
     * {@code alpha} and the normalisers {@code scale}.
     *
     * @return the log-likelihood (Neumaier's compensated sum of {@code log c_t + max_t}), or {@code -Infinity}
     */
    private double forwardSweep(double[] alpha, double[] b, double[] maxLog, double[] a, double[] scale, int n) {
        CompensatedSum ll = new CompensatedSum();
        for (int t = 0; t < n; t++) {
            int o = t * s;
            double c = 0;
            if (t == 0) {
                for (int j = 0; j < s; j++) {
                    alpha[j] = start[j] * b[j];
                    c += alpha[j];
                }
            } else {
                addTimesMatrix(alpha, o - s, a, (t - 1) * s * s, alpha, o);
                for (int j = 0; j < s; j++) {
                    alpha[o + j] *= b[o + j];
                    c += alpha[o + j];
                }
            }
            if (!(c > 0) || Double.isInfinite(c)) {
                return Double.NEGATIVE_INFINITY;
            }
            double inv = 1.0 / c;
            for (int j = 0; j < s; j++) {
                alpha[o + j] *= inv;
            }
            scale[t] = c;
            ll.add(Math.log(c) + maxLog[t]);
        }
        return ll.value();
    }

    /**
     * The scaled backward recursion over steps {@code hi − 1} down to {@code lo}, from {@code beta} (beta at step
     * {@code hi − 1}, overwritten): the posteriors at {@code (t − lo) · S + j} of {@code gamma} and
     * {@code ξ_t} (for t ≥ 1) at {@code (t − 1) · S² + i · S + j} of {@code xi}, either may be null.
     */
    private void backwardPass(double[] alpha, double[] b, double[] a, double[] scale, int lo, int hi, double[] beta,
                              double[] gamma, double[] xi) {
        double[] next = new double[s];
        double[] tmp = new double[s];
        for (int t = hi - 1; t >= lo; t--) {
            int o = t * s;
            if (gamma != null) {
                int g = (t - lo) * s;
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    gamma[g + j] = alpha[o + j] * beta[j];
                    sum += gamma[g + j];
                }
                double inv = 1.0 / sum;
                for (int j = 0; j < s; j++) {
                    gamma[g + j] *= inv;
                }
            }
            if (t == 0) {
                break;
            }
            // ξ_t(i, j) = α_{t−1}(i) A_t(i, j) b_t(j) β_t(j) / c_t;
            // β_{t−1}(i) = Σ_j A_t(i, j) b_t(j) β_t(j) / c_t.
            double inv = 1.0 / scale[t];
            for (int j = 0; j < s; j++) {
                tmp[j] = b[o + j] * beta[j] * inv;
            }
            int ao = (t - 1) * s * s;
            for (int i = 0; i < s; i++) {
                double acc = 0;
                double ai = alpha[o - s + i];
                int ro = ao + i * s;
                for (int j = 0; j < s; j++) {
                    double v = a[ro + j] * tmp[j];
                    acc += v;
                    if (xi != null) {
                        xi[ro + j] = ai * v;
                    }
                }
                next[i] = acc;
            }
            double[] swap = beta;
            beta = next;
            next = swap;
        }
    }

    /**
     * The backward recursion over a whole sequence, each beta scaled to sum 1 (it needs no forward normaliser,
     * so it runs beside the forward sweep); keeps beta at each chunk's last step, and leaves a chunk's entry null
     * when the sequence is impossible.
     */
    private void normalisedBackwardSweep(double[] b, double[] a, int n, int chunk, double[][] betaAtChunkEnd) {
        double[] beta = new double[s];
        Arrays.fill(beta, 1.0 / s);
        double[] next = new double[s];
        double[] tmp = new double[s];
        betaAtChunkEnd[betaAtChunkEnd.length - 1] = beta.clone();
        for (int t = n - 1; t >= 1; t--) {
            if (!normalizedBackwardStep(a, (t - 1) * s * s, b, t * s, beta, next, tmp)) {
                return;
            }
            double[] swap = beta;
            beta = next;
            next = swap;
            if (t % chunk == 0) {
                betaAtChunkEnd[(t - 1) / chunk] = beta.clone();
            }
        }
    }

    private double logJoint(CovariateSequences data, int from, int[] path) {
        int n = path.length;
        double[] b = new double[n * s];
        emission.logDensityRows(data.observations().rawValues(), from, from + n, b);
        double[] a = matrices(data.rawCovariates(), from, from + n);
        double lp = Math.log(start[path[0]]) + b[path[0]];
        for (int t = 1; t < n; t++) {
            lp += Math.log(a[(t - 1) * s * s + path[t - 1] * s + path[t]]) + b[t * s + path[t]];
        }
        return lp;
    }

    private int[] viterbi(CovariateSequences data, int from, int to) {
        int n = to - from;
        double[] b = new double[n * s];
        emission.logDensityRows(data.observations().rawValues(), from, to, b);
        double[] logA = matrices(data.rawCovariates(), from, to);
        for (int i = 0; i < logA.length; i++) {
            logA[i] = Math.log(logA[i]);
        }
        double[] logStart = new double[s];
        for (int j = 0; j < s; j++) {
            logStart[j] = Math.log(start[j]);
        }
        return HiddenMarkovModel.viterbiPath(logStart, logA, s * s, b, n);
    }

    // ---------------------------------------------------------------------------------------------- sampling

    /**
     * Draws sequences along given covariates: the first state of each sequence from π, the state of step t from
     * the transition row of step t − 1's state at the covariates of step t, each observation from its state's
     * emissions. Each sequence draws from its own stream split from the seed.
     *
     * @param covariates row-major, P values per step, the sequences one after another
     * @param lengths    the steps of each sequence (each ≥ 1), summing to the covariates' rows
     * @param seed       decides the draw
     * @return the observations (and covariates' names on the transitions) and the hidden states
     * @throws EmkitException if the shapes disagree
     */
    public HiddenMarkovModel.Sample sample(double[] covariates, int[] lengths, long seed) {
        int p = transitions.covariateCount();
        long total = 0;
        for (int len : lengths) {
            if (len < 1) {
                throw new EmkitException("every sequence to draw needs at least one step, got " + len);
            }
            total += len;
        }
        if (lengths.length == 0 || total * p != covariates.length) {
            throw new EmkitException(lengths.length + " sequences of " + total + " steps need " + (total * p)
                    + " covariate values, got " + covariates.length);
        }
        int d = dimension();
        int n = (int) total;
        double[] all = new double[Math.multiplyExact(n, d)];
        int[][] states = new int[lengths.length][];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[] a = new double[s * s];
        double[] row = new double[s];
        int from = 0;
        for (int q = 0; q < lengths.length; q++) {
            java.util.SplittableRandom r = random.split();
            int[] path = new int[lengths[q]];
            path[0] = HiddenMarkovModel.draw(start, r);
            for (int t = 1; t < path.length; t++) {
                transitions.matrix(covariates, (from + t) * p, a, 0);
                System.arraycopy(a, path[t - 1] * s, row, 0, s);
                path[t] = HiddenMarkovModel.draw(row, r);
            }
            double[] values = new double[path.length * d];
            emission.sampleStates(path, r, values);
            System.arraycopy(values, 0, all, from * d, values.length);
            states[q] = path;
            from += path.length;
        }
        return new HiddenMarkovModel.Sample(io.emkit.data.Sequences.of(
                io.emkit.data.Dataset.wrap(all, n, d, featureNames()), lengths), states);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CovariateHmmModel m && Arrays.equals(m.start, start) && m.transitions.equals(transitions)
                && m.emission.equals(emission);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(start), transitions, emission);
    }

    @Override
    public String toString() {
        return "CovariateHmmModel[" + s + " states, " + transitions.covariateCount() + " covariates, " + emission + "]";
    }
}
