package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.mixture.ComponentRestriction;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A hidden Markov model with {@code S} states: the start distribution π, the transition matrix A
 * ({@code A[i][j]} = P(state j at t+1 | state i at t)) and the {@link Emission} distributions.
 * Immutable; safe to share between threads.
 *
 * <p><b>Numerics.</b> The forward–backward recursions are scaled (Rabiner, 1989): each step's forward
 * vector is normalised to sum 1 and the log of the normaliser is accumulated, and each step's emission
 * densities are divided by their largest value before leaving log space. Sequences of millions of steps
 * therefore neither underflow nor lose precision; the log-likelihood is a compensated sum of per-step
 * terms. Viterbi decoding works in log space.
 *
 * <p><b>Structural zeros.</b> A start or transition probability of exactly 0 forbids that start or
 * move; Baum–Welch keeps it at 0, so, for instance, a left-to-right topology stays left-to-right. Zero
 * entries are not counted as free parameters.
 */
public final class HiddenMarkovModel extends StateSequenceModel<Sequences> {
    private static final long serialVersionUID = 1L;

    private final double[] transitions;
    private final double[] logStart;
    private final double[] logTransitions;

    private HiddenMarkovModel(double[] start, double[] transitions, Emission emission) {
        super(checkedStart(start, emission), emission);
        if (transitions.length != s * s) {
            throw new EmkitException("the transition matrix must be " + s + "×" + s);
        }
        this.transitions = transitions;
        for (int i = 0; i < s; i++) {
            checkedDistribution(Arrays.copyOfRange(transitions, i * s, (i + 1) * s), "transition row " + (i + 1));
        }
        this.logStart = logs(this.start);
        this.logTransitions = logs(transitions);
    }

    /**
     * Builds a model.
     *
     * @param start       S start probabilities summing to 1
     * @param transitions S rows of S probabilities, each row summing to 1
     * @param emission    the emission distributions of the S states
     * @return the model
     * @throws EmkitException if the shapes do not agree or a distribution is invalid
     */
    public static HiddenMarkovModel of(double[] start, double[][] transitions, Emission emission) {
        int s = start.length;
        if (transitions.length != s) {
            throw new EmkitException("the transition matrix has " + transitions.length + " rows, expected " + s);
        }
        double[] flat = new double[s * s];
        for (int i = 0; i < s; i++) {
            System.arraycopy(Emission.checkedRow(transitions[i], s, "transition row " + (i + 1)), 0, flat, i * s, s);
        }
        return new HiddenMarkovModel(start.clone(), flat, emission);
    }

    /** Builds from arrays the caller hands over. */
    static HiddenMarkovModel ofFlat(double[] start, double[] transitions, Emission emission) {
        return new HiddenMarkovModel(start, transitions, emission);
    }

    private static double[] checkedStart(double[] start, Emission emission) {
        if (start.length < 1) {
            throw new EmkitException("a hidden Markov model needs at least one state");
        }
        if (Objects.requireNonNull(emission, "emission").states() != start.length) {
            throw new EmkitException("the emissions have " + emission.states() + " states but the start distribution "
                    + start.length);
        }
        return checkedDistribution(start, "start probabilities");
    }

    static double[] checkedDistribution(double[] p, String what) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0) || !Double.isFinite(p[i])) {
                throw new EmkitException(what + ": entry " + (i + 1) + " must be a finite number >= 0, got " + p[i]);
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new EmkitException(what + " must sum to 1, they sum to " + sum);
        }
        return p;
    }

    /**
     * Draws an index from a discrete distribution, by inversion of one uniform draw (so a seed gives the same
     * index for the same probabilities in every model that samples with it).
     *
     * @param p      the probabilities, summing to 1
     * @param random the random stream
     * @return an index with {@code p[i] > 0}
     */
    public static int draw(double[] p, SplittableRandom random) {
        double u = random.nextDouble();
        double acc = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                acc += p[i];
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        return last;
    }

    // ---------------------------------------------------------------------------------------------- accessors

    /** @return the transition matrix, {@code S × S} (a copy) */
    public double[][] transitionMatrix() {
        return rows(transitions, s);
    }

    /**
     * @param from the state at t
     * @param to   the state at t + 1
     * @return the transition probability
     */
    public double transition(int from, int to) {
        Objects.checkIndex(from, s);
        Objects.checkIndex(to, s);
        return transitions[from * s + to];
    }

    /**
     * The expected number of consecutive steps spent in each state once entered, {@code 1 / (1 − A_ii)}: state
     * durations are geometric in a hidden Markov model.
     *
     * @return S durations in steps; {@code +Infinity} for a state that is never left ({@code A_ii = 1})
     */
    public double[] expectedDurations() {
        double[] out = new double[s];
        for (int i = 0; i < s; i++) {
            double stay = transitions[i * s + i];
            out[i] = stay >= 1.0 ? Double.POSITIVE_INFINITY : 1.0 / (1.0 - stay);
        }
        return out;
    }

    /**
     * The stationary distribution of the hidden chain: the π with {@code π A = π} and {@code Σ π = 1}, the
     * long-run share of steps spent in each state. It is unique when the chain has one closed class of states
     * (for instance when every transition is possible, or in a left-to-right chain, whose last state absorbs);
     * it is solved for directly, by Gaussian elimination with partial pivoting on {@code (Aᵀ − I) π = 0} with one
     * equation replaced by {@code Σ π = 1}.
     *
     * @return S probabilities summing to 1, or {@code null} when the chain has several closed classes and so no
     *         unique stationary distribution
     */
    public double[] stationaryDistribution() {
        double[][] m = new double[s][s + 1];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                m[i][j] = transitions[j * s + i] - (i == j ? 1.0 : 0.0);
            }
        }
        Arrays.fill(m[s - 1], 1.0);
        for (int col = 0; col < s; col++) {
            int pivot = col;
            for (int r = col + 1; r < s; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            // The matrix's entries are at most 1 in size: a pivot this small means a singular system.
            if (Math.abs(m[pivot][col]) < 1e-12) {
                return null;
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            for (int r = col + 1; r < s; r++) {
                double f = m[r][col] / m[col][col];
                if (f != 0.0) {
                    for (int c = col; c <= s; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        double[] pi = new double[s];
        for (int r = s - 1; r >= 0; r--) {
            double v = m[r][s];
            for (int c = r + 1; c < s; c++) {
                v -= m[r][c] * pi[c];
            }
            pi[r] = v / m[r][r];
        }
        double sum = 0;
        for (int i = 0; i < s; i++) {
            // Rounding can leave -1e-17 where the answer is 0.
            pi[i] = Math.max(0.0, pi[i]);
            sum += pi[i];
        }
        for (int i = 0; i < s; i++) {
            pi[i] /= sum;
        }
        return pi;
    }

    /**
     * The number of free parameters, for BIC and AIC: (non-zero start entries − 1) + Σ over rows of
     * (non-zero entries − 1) + the emissions' parameters.
     *
     * @return the count
     */
    public int parameterCount() {
        return freeParameters(start, 0, s) + rowParameters(transitions, s) + emission.parameterCount();
    }

    /**
     * @param names the observation columns' names
     * @return the same model with renamed columns
     */
    public HiddenMarkovModel withFeatureNames(List<String> names) {
        return new HiddenMarkovModel(start, transitions, emission.withFeatureNames(names));
    }

    double[] flatStart() {
        return start;
    }

    double[] flatTransitions() {
        return transitions;
    }

    // ---------------------------------------------------------------------------------------------- inference

    @Override
    protected Sequences observations(Sequences data) {
        return data;
    }

    @Override
    protected double sequenceLogLikelihood(Sequences data, int q, double[] gamma) {
        return forwardBackward(data.rawValues(), data.start(q), data.start(q) + data.length(q), gamma, null, null);
    }

    @Override
    protected int[] mostProbablePath(Sequences data, int q) {
        return viterbi(data.rawValues(), data.start(q), data.start(q) + data.length(q));
    }

    @Override
    protected double pathLogJoint(Sequences data, int q, int[] path) {
        return logJoint(data.rawValues(), data.start(q), path);
    }

    /** Sets the log emission density of each step's disallowed states to −∞ ({@code b}: n steps from global row {@code from}). */
    private void restrict(double[] b, int from, int n, ComponentRestriction known) {
        if (known == null) {
            return;
        }
        for (int t = 0; t < n; t++) {
            boolean[] allowed = known.allowed(from + t);
            if (allowed != null) {
                for (int j = 0; j < s; j++) {
                    if (!allowed[j]) {
                        b[t * s + j] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
        }
    }

    /**
     * The forward–backward pass over global rows {@code [from, to)} of {@code x}, scaled.
     *
     * @param gamma   if not null, receives the posteriors {@code (t - from) * S + s}
     * @param xi      if not null, the expected transition counts are added to it ({@code S × S})
     * @param start   if not null, the posteriors of the first step are added to it
     * @return the sequence's log-likelihood, {@code -Infinity} if it is impossible (nothing added then)
     */
    double forwardBackward(double[] x, int from, int to, double[] gamma, double[] xi, double[] startCounts) {
        return forwardBackward(x, from, to, gamma, xi, startCounts, null);
    }

    /** As above, with the states of some steps known: {@code known} (global rows) allows only those states there. */
    double forwardBackward(double[] x, int from, int to, double[] gamma, double[] xi, double[] startCounts,
                           ComponentRestriction known) {
        int n = to - from;
        double[] b = new double[n * s];
        emission.logDensities(x, from, to, b);
        restrict(b, from, n, known);
        double[] maxLog = new double[n];
        if (!scaleSteps(b, 0, n, maxLog)) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] alpha = gamma != null ? gamma : new double[n * s];
        double[] scale = new double[n];
        double ll = forwardSweep(alpha, b, maxLog, scale, n);
        if (ll == Double.NEGATIVE_INFINITY || (gamma == null && xi == null && startCounts == null)) {
            return ll;
        }
        // Backward: beta_t(i) = Σ_j A_ij b_{t+1}(j) beta_{t+1}(j) / c_{t+1}; gamma_t = alpha_t · beta_t.
        double[] beta = new double[s];
        Arrays.fill(beta, 1.0);
        double[] next = new double[s];
        double[] tmp = new double[s];
        for (int t = n - 2; t >= 0; t--) {
            backwardStep(alpha, t * s, b, (t + 1) * s, scale[t + 1], beta, next, tmp, xi);
            // gamma_{t+1} = alpha_{t+1} · beta_{t+1}, normalised against rounding.
            normalizeProduct(alpha, (t + 1) * s, beta, alpha, (t + 1) * s);
            double[] swap = beta;
            beta = next;
            next = swap;
        }
        normalizeProduct(alpha, 0, beta, alpha, 0);
        if (startCounts != null) {
            for (int j = 0; j < s; j++) {
                startCounts[j] += alpha[j];
            }
        }
        return ll;
    }

    /**
     * One step of the scaled forward recursion: {@code alpha[o..]} from {@code alpha[o − S..]} (or π at the
     * first step, {@code o == 0}) and the scaled densities {@code b[o..]}, normalised to sum 1.
     *
     * @return the normaliser c_t; not positive when the step is impossible
     */
    private double forwardStep(double[] alpha, double[] b, int o) {
        if (o == 0) {
            for (int j = 0; j < s; j++) {
                alpha[j] = start[j] * b[j];
            }
        } else {
            int p = o - s;
            Arrays.fill(alpha, o, o + s, 0.0);
            addTimesMatrix(alpha, p, transitions, 0, alpha, o);
            for (int j = 0; j < s; j++) {
                alpha[o + j] *= b[o + j];
            }
        }
        double c = 0;
        for (int j = 0; j < s; j++) {
            c += alpha[o + j];
        }
        if (!(c > 0)) {
            return c;
        }
        double inv = 1.0 / c;
        for (int j = 0; j < s; j++) {
            alpha[o + j] *= inv;
        }
        return c;
    }

    /**
     * One step of the backward recursion, {@code next_i = Σ_j A_ij b_{t+1}(j) beta_j / c_{t+1}}, adding the
     * expected transitions {@code alpha_t(i) A_ij b_{t+1}(j) beta_j / c_{t+1}} to {@code xi} when it is not null.
     *
     * @param ao   where alpha_t starts in {@code alpha}
     * @param bo   where b_{t+1} starts in {@code b}
     * @param c    c_{t+1}, the forward normaliser of step t + 1
     * @param beta beta_{t+1}
     * @param next receives beta_t
     * @param tmp  S doubles of scratch
     */
    private void backwardStep(double[] alpha, int ao, double[] b, int bo, double c, double[] beta, double[] next,
                              double[] tmp, double[] xi) {
        double inv = 1.0 / c;
        for (int j = 0; j < s; j++) {
            tmp[j] = b[bo + j] * beta[j] * inv;
        }
        matrixTimesWithCounts(transitions, tmp, alpha, ao, next, xi);
    }

    /**
     * The Baum–Welch E-step of one sequence, rows {@code [from, to)} of {@code x}, cut into chunks of
     * {@code chunk} steps so that one long sequence uses several threads: the same log-likelihood and expected
     * counts as {@link #forwardBackward} up to rounding, added into {@code stats}.
     *
     * <p>Three passes. (1) In parallel over chunks: the emission densities. (2) Two sweeps at once, each
     * sequential over the whole sequence: the forward recursion (every alpha_t, the normalisers c_t and the
     * log-likelihood, computed exactly as the one-pass version does) and a backward recursion normalised to
     * sum 1 at each step, which keeps beta only at each chunk's last step. (3) In parallel over chunks: the
     * backward recursion again inside the chunk, started from the kept beta rescaled so that the last step's
     * posteriors sum to 1 (which makes it the one-pass version's beta), with the posteriors, the expected
     * transitions (the pair of steps that straddles a chunk's start belongs to the chunk) and the emission
     * statistics; the chunks' statistics are then merged in chunk order. Tasks run in the current fork/join
     * pool; the chunks depend only on the sequence's length, so the result is the same bit for bit for any
     * number of threads.
     *
     * @param chunk steps per chunk, at least 1
     * @return the sequence's log-likelihood; {@code -Infinity} if it is impossible (nothing added then)
     */
    double accumulateChunked(double[] x, int from, int to, int chunk, HmmStatistics stats) {
        return accumulateChunked(x, from, to, chunk, stats, null);
    }

    /** As above, with the states of some steps known ({@code known}, global rows; or null). */
    double accumulateChunked(double[] x, int from, int to, int chunk, HmmStatistics stats, ComponentRestriction known) {
        int n = to - from;
        int chunks = (n + chunk - 1) / chunk;
        double[] b = new double[n * s];
        double[] maxLog = new double[n];
        boolean possible = scaledDensitiesByChunk(n, chunk, b, maxLog, (c0, c1, part) -> {
            emission.logDensities(x, from + c0, from + c1, part);
            restrict(part, from + c0, c1 - c0, known);
        });
        if (!possible) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] alpha = new double[n * s];
        double[] scale = new double[n];
        double[][] betaAtChunkEnd = new double[chunks][];
        double logLikelihood = forwardBesideBackward(() -> forwardSweep(alpha, b, maxLog, scale, n),
                () -> backwardSweep(b, n, chunk, betaAtChunkEnd), betaAtChunkEnd);
        if (logLikelihood == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        HmmStatistics[] parts = new HmmStatistics[chunks];
        runAll(chunks, k -> {
            int c0 = k * chunk;
            int c1 = Math.min(n, c0 + chunk);
            HmmStatistics part = new HmmStatistics(s, emission.newStatistics());
            double[] beta = chunkStartBeta(alpha, betaAtChunkEnd[k], c1 - 1);
            double[] next = new double[s];
            double[] tmp = new double[s];
            double[] gamma = new double[(c1 - c0) * s];
            for (int t = c1 - 1; t >= c0; t--) {
                normalizeProduct(alpha, t * s, beta, gamma, (t - c0) * s);
                if (t == 0) {
                    break;
                }
                backwardStep(alpha, (t - 1) * s, b, t * s, scale[t], beta, next, tmp, part.transitions);
                double[] swap = beta;
                beta = next;
                next = swap;
            }
            if (c0 == 0) {
                System.arraycopy(gamma, 0, part.start, 0, s);
            }
            part.emission.add(x, from + c0, from + c1, gamma);
            parts[k] = part;
        });
        for (HmmStatistics part : parts) {
            stats.merge(part);
        }
        return logLikelihood;
    }

    /**
     * The forward recursion over a whole sequence of scaled densities; its log-likelihood, or -Infinity. Shared by
     * the one-piece forward–backward pass and the chunked one, so that both give the same log-likelihood.
     */
    private double forwardSweep(double[] alpha, double[] b, double[] maxLog, double[] scale, int n) {
        CompensatedSum ll = new CompensatedSum();
        for (int t = 0; t < n; t++) {
            double c = forwardStep(alpha, b, t * s);
            if (!(c > 0)) {
                return Double.NEGATIVE_INFINITY;
            }
            scale[t] = c;
            // Neumaier's compensated sum of log c_t + max_t.
            ll.add(Math.log(c) + maxLog[t]);
        }
        return ll.value();
    }

    /**
     * The backward recursion over a whole sequence, each beta_t scaled to sum 1 (its own scale: it needs no
     * forward normaliser, so it can run beside the forward sweep); keeps beta at each chunk's last step, and
     * leaves a chunk's entry null when the sequence is impossible.
     */
    private void backwardSweep(double[] b, int n, int chunk, double[][] betaAtChunkEnd) {
        double[] beta = new double[s];
        Arrays.fill(beta, 1.0 / s);
        double[] next = new double[s];
        double[] tmp = new double[s];
        betaAtChunkEnd[betaAtChunkEnd.length - 1] = beta.clone();
        for (int t = n - 2; t >= 0; t--) {
            if (!normalizedBackwardStep(transitions, 0, b, (t + 1) * s, beta, next, tmp)) {
                return;
            }
            double[] swap = beta;
            beta = next;
            next = swap;
            if ((t + 1) % chunk == 0) {
                betaAtChunkEnd[t / chunk] = beta.clone();
            }
        }
    }

    /** {@code out[oo..] = alpha[o..] · beta}, normalised to sum 1 ({@code out} may be {@code alpha}). */
    private void normalizeProduct(double[] alpha, int o, double[] beta, double[] out, int oo) {
        double sum = 0;
        for (int j = 0; j < s; j++) {
            out[oo + j] = alpha[o + j] * beta[j];
            sum += out[oo + j];
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < s; j++) {
            out[oo + j] *= inv;
        }
    }

    /** log p(path, x) for the steps starting at global row {@code from}. */
    double logJoint(double[] x, int from, int[] path) {
        int n = path.length;
        double[] b = new double[n * s];
        emission.logDensities(x, from, from + n, b);
        double lp = logStart[path[0]] + b[path[0]];
        for (int t = 1; t < n; t++) {
            lp += logTransitions[path[t - 1] * s + path[t]] + b[t * s + path[t]];
        }
        return lp;
    }

    private int[] viterbi(double[] x, int from, int to) {
        int n = to - from;
        double[] b = new double[n * s];
        emission.logDensities(x, from, to, b);
        return viterbiPath(logStart, logTransitions, 0, b, n);
    }

    /**
     * The most probable state path (Viterbi) of one sequence, for a chain whose transitions may change from step to
     * step: shared by the hidden Markov model and its relatives (transitions that depend on covariates).
     *
     * @param logStart       log π, one per state
     * @param logTransitions log transition matrices, row-major; the move into step t (t ≥ 1) uses the one at
     *                       {@code (t − 1) · stride}
     * @param stride         0 for one matrix for every step, {@code S²} for a matrix per step
     * @param logDensities   {@code steps × S} log emission densities
     * @param steps          the sequence's length
     * @return the path, one state per step, or {@code null} if no path has positive probability
     */
    public static int[] viterbiPath(double[] logStart, double[] logTransitions, int stride, double[] logDensities,
                                    int steps) {
        int s = logStart.length;
        int n = steps;
        double[] b = logDensities;
        int[] back = new int[n * s];
        double[] delta = new double[s];
        double[] next = new double[s];
        for (int j = 0; j < s; j++) {
            delta[j] = logStart[j] + b[j];
        }
        for (int t = 1; t < n; t++) {
            int o = t * s;
            int ao = (t - 1) * stride;
            for (int j = 0; j < s; j++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int i = 0; i < s; i++) {
                    double v = delta[i] + logTransitions[ao + i * s + j];
                    if (v > best) {
                        best = v;
                        arg = i;
                    }
                }
                next[j] = best + b[o + j];
                back[o + j] = arg;
            }
            double[] swap = delta;
            delta = next;
            next = swap;
        }
        int last = 0;
        for (int j = 1; j < s; j++) {
            if (delta[j] > delta[last]) {
                last = j;
            }
        }
        if (delta[last] == Double.NEGATIVE_INFINITY || Double.isNaN(delta[last])) {
            return null;
        }
        int[] path = new int[n];
        path[n - 1] = last;
        for (int t = n - 1; t > 0; t--) {
            path[t - 1] = back[t * s + path[t]];
        }
        return path;
    }

    // ---------------------------------------------------------------------------------------------- sampling

    /**
     * Draws sequences from the model.
     *
     * @param sequences how many sequences (≥ 1)
     * @param length    steps per sequence (≥ 1)
     * @param seed      decides the draw
     * @return the observations and the hidden states
     * @throws EmkitException if there would be no step
     */
    public Sample sample(int sequences, int length, long seed) {
        return drawSequences(start, sequences, length, seed, this::drawPath);
    }

    /**
     * Draws sequences that all begin in a given state, as if continuing from it (hmmlearn's {@code currstate}):
     * the first step is in {@code startState} (even where π gives it probability 0), the rest follow the model.
     * The same draw as {@link #sample(int, int, long)} from this model with π put all on {@code startState}.
     *
     * @param sequences  how many sequences (≥ 1)
     * @param length     steps per sequence (≥ 1)
     * @param seed       decides the draw
     * @param startState the state of every sequence's first step, from 0
     * @return the observations and the hidden states
     * @throws EmkitException if the state is not one of the model's, or there would be no step
     */
    public Sample sample(int sequences, int length, long seed, int startState) {
        return drawSequences(startingIn(startState), sequences, length, seed, this::drawPath);
    }

    /** A Markov chain's path: the first state from π, each next one from the row of the state before. */
    private void drawPath(double[] pi, SplittableRandom random, int[] path) {
        path[0] = draw(pi, random);
        double[] row = new double[s];
        for (int t = 1; t < path.length; t++) {
            System.arraycopy(transitions, path[t - 1] * s, row, 0, s);
            path[t] = draw(row, random);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HiddenMarkovModel m && Arrays.equals(m.start, start)
                && Arrays.equals(m.transitions, transitions) && m.emission.equals(emission);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(start), Arrays.hashCode(transitions), emission);
    }

    @Override
    public String toString() {
        return "HiddenMarkovModel[" + s + " states, " + emission + "]";
    }
}
