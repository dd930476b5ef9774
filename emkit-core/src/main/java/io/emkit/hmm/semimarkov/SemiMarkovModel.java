package io.emkit.hmm.semimarkov;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.hmm.Emission;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.StateSequenceModel;
import io.emkit.data.Sequences;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A fitted hidden semi-Markov model (an explicit-duration HMM; Yu 2010, Guédon 2003): a start distribution π over
 * the first segment's state, a transition matrix A between segments with a zero diagonal (a state is left only for
 * another; with one state, A = [[1]]), a duration distribution per state on {@code 1..Dmax} ({@link Durations}) and
 * the same {@link Emission}s as the HMM, one observation per step drawn independently from the segment's state.
 * Immutable.
 *
 * <p><b>The end of a sequence</b> cuts its last segment: the last segment's probability is the state's survivor
 * function {@code P(d ≥ u)} rather than {@code P(d = u)} (right censoring, Guédon 2003), as an HMM's last state
 * may go on after the data end. With geometric durations (nonparametric probabilities {@code (1 − a) a^{u−1}} and
 * a Dmax where {@code a^Dmax} is negligible) and {@code A_ij = a_ij / (1 − a_ii)}, the likelihood is the HMM's.
 *
 * <p><b>Cost.</b> The segment forward–backward pass is {@code O(T·S·Dmax + T·S²)} per sequence, with the
 * emissions' densities computed once per step (as for the HMM); scaled per step, as the HMM's, so that long
 * sequences neither underflow nor need logarithms inside the loops over durations.
 */
public final class SemiMarkovModel extends StateSequenceModel<Sequences> {
    private static final long serialVersionUID = 1L;

    private final double[] transitions;
    private final double[] logStart;
    private final double[] logTransitions;
    private final Durations durations;

    private SemiMarkovModel(double[] start, double[] transitions, Durations durations, Emission emission) {
        super(start, emission);
        this.transitions = transitions;
        this.durations = durations;
        this.logStart = logs(start);
        this.logTransitions = logs(transitions);
    }

    /**
     * @param start       π, S probabilities summing to 1
     * @param transitions A, S × S rows summing to 1 with a zero diagonal (with one state, [[1]])
     * @param durations   the states' duration distributions
     * @param emission    the states' emission distributions
     * @return the model
     * @throws EmkitException if the parts disagree in their number of states or a distribution is invalid
     */
    public static SemiMarkovModel of(double[] start, double[][] transitions, Durations durations, Emission emission) {
        int s = start.length;
        if (s < 1 || transitions.length != s || durations.states() != s || emission.states() != s) {
            throw new EmkitException("a semi-Markov model's parts must agree on the number of states: start " + s
                    + ", transitions " + transitions.length + ", durations " + durations.states() + ", emissions "
                    + emission.states());
        }
        double[] a = new double[s * s];
        for (int i = 0; i < s; i++) {
            if (transitions[i].length != s) {
                throw new EmkitException("transition row " + (i + 1) + " has " + transitions[i].length
                        + " entries, expected " + s);
            }
            System.arraycopy(checked(transitions[i], "transition row " + (i + 1)), 0, a, i * s, s);
            if (s > 1 && a[i * s + i] != 0) {
                throw new EmkitException("transition row " + (i + 1) + ": a semi-Markov state cannot move to itself"
                        + " (the diagonal must be 0; its durations say how long it lasts), got " + a[i * s + i]);
            }
        }
        return new SemiMarkovModel(checked(start, "the start distribution"), a, durations, emission);
    }

    static SemiMarkovModel ofFlat(double[] start, double[] transitions, Durations durations, Emission emission) {
        return new SemiMarkovModel(start, transitions, durations, emission);
    }

    /**
     * The semi-Markov model with a hidden Markov model's start, emissions and moves between states and given
     * durations: {@code A_ij = a_ij / (1 − a_ii)} for {@code i ≠ j} (uniform over the others when a state never
     * leaves).
     *
     * @param hmm       a hidden Markov model
     * @param durations the durations to use, for the same number of states
     * @return the semi-Markov model
     */
    public static SemiMarkovModel fromHiddenMarkov(HiddenMarkovModel hmm, Durations durations) {
        int s = hmm.states();
        double[][] a = hmm.transitionMatrix();
        double[][] out = new double[s][s];
        for (int i = 0; i < s; i++) {
            if (s == 1) {
                out[0][0] = 1.0;
                break;
            }
            double off = 0;
            for (int j = 0; j < s; j++) {
                if (j != i) {
                    off += a[i][j];
                }
            }
            for (int j = 0; j < s; j++) {
                out[i][j] = j == i ? 0.0 : off > 0 ? a[i][j] / off : 1.0 / (s - 1);
            }
        }
        return of(hmm.startProbabilities(), out, durations, hmm.emission());
    }

    private static double[] checked(double[] p, String what) {
        double sum = 0;
        for (double v : p) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new EmkitException(what + " has an entry " + v + ", expected finite probabilities >= 0");
            }
            sum += v;
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new EmkitException(what + " sums to " + sum + ", expected 1");
        }
        double[] out = p.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** @return the durations */
    public Durations durations() {
        return durations;
    }

    /** @return A, S × S (a copy) */
    public double[][] transitionMatrix() {
        return rows(transitions, s);
    }

    double[] flatStart() {
        return start;
    }

    double[] flatTransitions() {
        return transitions;
    }

    /** @return the number of free parameters: start, transitions (off the diagonal), durations and emissions */
    public int parameterCount() {
        return freeParameters(start, 0, s) + rowParameters(transitions, s) + durations.parameterCount()
                + emission.parameterCount();
    }

    /**
     * @param names new column names
     * @return the same model with renamed columns
     */
    public SemiMarkovModel withFeatureNames(List<String> names) {
        return new SemiMarkovModel(start, transitions, durations, emission.withFeatureNames(names));
    }

    // ---------------------------------------------------------------------------------------------- inference

    @Override
    protected Sequences observations(Sequences data) {
        return data;
    }

    @Override
    protected double sequenceLogLikelihood(Sequences data, int q, double[] gamma) {
        return forwardBackward(data.rawValues(), data.start(q), data.start(q) + data.length(q), gamma, null);
    }

    /** The most probable segmentation (segment Viterbi), as one state per step. */
    @Override
    protected int[] mostProbablePath(Sequences data, int q) {
        int[] path = new int[data.length(q)];
        double lp = viterbi(data.rawValues(), data.start(q), data.start(q) + path.length, path);
        return lp == Double.NEGATIVE_INFINITY || Double.isNaN(lp) ? null : path;
    }

    /**
     * Each run of one state read as one segment (so with one state, the whole sequence is one segment); the last
     * segment is censored; a run longer than Dmax or a transition of probability 0 makes it {@code -Infinity}.
     */
    @Override
    protected double pathLogJoint(Sequences data, int q, int[] path) {
        int n = path.length;
        int dm = durations.maxDuration();
        double[] lb = new double[n * s];
        emission.logDensityRows(data.rawValues(), data.start(q), data.start(q) + n, lb);
        double lp = logStart[path[0]];
        int runStart = 0;
        for (int t = 0; t < n && lp != Double.NEGATIVE_INFINITY; t++) {
            lp += lb[t * s + path[t]];
            if (t == n - 1 || path[t + 1] != path[t]) {
                int len = t - runStart + 1;
                if (len > dm) {
                    lp = Double.NEGATIVE_INFINITY;
                } else if (t == n - 1) {
                    lp += Math.log(durations.survivorRow(path[t])[len - 1]);
                } else {
                    lp += Math.log(durations.pmfRow(path[t])[len - 1])
                            + logTransitions[path[t] * s + path[t + 1]];
                }
                runStart = t + 1;
            }
        }
        return lp;
    }

    /**
     * The segment forward–backward pass over global rows {@code [from, to)} of {@code x}, scaled per step.
     *
     * <p>Forward: {@code E_t(j)} = P(x before t, a segment of j starts at t), {@code F_t(j)} = P(x up to t, a
     * segment of j ends at t) {@code = Σ_u E_{t−u+1}(j) p_j(u) Π b_j}; the step's normaliser is
     * {@code N_t = P(x_t | x before t) = Σ_j Σ_u E_{t−u+1}(j) P_j(d ≥ u) Π b_j}. Each state keeps the running
     * products of its open segments (one per possible start), multiplied by one step's density per step, so no
     * product is taken twice. Backward mirrors it with {@code B*_t(j)} = P(x from t | a segment of j starts at t).
     *
     * @param gamma if not null, receives the state posteriors at {@code (t − from) · S + j}
     * @param stats if not null, the expected start, transition and duration counts and the emissions' statistics
     *              are added to it
     * @return the log-likelihood, {@code -Infinity} if the sequence is impossible (nothing added then)
     */
    double forwardBackward(double[] x, int from, int to, double[] gamma, SemiMarkovStatistics stats) {
        return forwardBackward(x, from, to, gamma, stats, Integer.MAX_VALUE);
    }

    /**
     * As above, with the emission densities and the emissions' statistics computed in parallel over chunks of
     * {@code chunk} steps (fork/join tasks in the current pool; the statistics merged in chunk order), so that
     * a long sequence uses several threads for them. The segment recursions stay sequential. The chunks depend
     * only on the sequence's length, so the result is the same bit for bit for any number of threads.
     *
     * @param chunk steps per chunk, at least 1 (a chunk as long as the sequence, or longer: one piece)
     */
    double forwardBackward(double[] x, int from, int to, double[] gamma, SemiMarkovStatistics stats, int chunk) {
        int n = to - from;
        int dm = durations.maxDuration();
        int chunks = (int) ((n + (long) chunk - 1) / chunk);
        double[] b = new double[n * s];
        if (chunks == 1) {
            emission.logDensityRows(x, from, to, b);
        } else {
            runAll(chunks, k -> {
                int c0 = k * chunk;
                int c1 = Math.min(n, c0 + chunk);
                double[] part = new double[(c1 - c0) * s];
                emission.logDensityRows(x, from + c0, from + c1, part);
                System.arraycopy(part, 0, b, c0 * s, part.length);
            });
        }
        double[] maxLog = new double[n];
        if (!scaleSteps(b, 0, n, maxLog)) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] entry = new double[n * s];
        double[] ends = new double[n * s];
        double[] norm = new double[n];
        double[] open = new double[s * n];
        CompensatedSum ll = new CompensatedSum();
        for (int t = 0; t < n; t++) {
            int o = t * s;
            if (t == 0) {
                System.arraycopy(start, 0, entry, 0, s);
            } else {
                int p = o - s;
                addTimesMatrix(ends, p, transitions, 0, entry, o);
            }
            double carry = t == 0 ? 1.0 : 1.0 / norm[t - 1];
            int lo = Math.max(0, t - dm + 1);
            double total = 0;
            for (int j = 0; j < s; j++) {
                double[] pmf = durations.pmfRow(j);
                double[] surv = durations.survivorRow(j);
                double bj = b[o + j];
                double factor = bj * carry;
                int w = j * n;
                double f = 0;
                double r = 0;
                for (int st = lo; st < t; st++) {
                    double v = open[w + st] * factor;
                    open[w + st] = v;
                    f += v * pmf[t - st];
                    r += v * surv[t - st];
                }
                double v = entry[o + j] * bj;
                open[w + t] = v;
                f += v * pmf[0];
                r += v;
                ends[o + j] = f;
                total += r;
            }
            if (!(total > 0) || Double.isInfinite(total)) {
                return Double.NEGATIVE_INFINITY;
            }
            norm[t] = total;
            double inv = 1.0 / total;
            for (int j = 0; j < s; j++) {
                ends[o + j] *= inv;
            }
            ll.add(Math.log(total) + maxLog[t]);
        }
        if (gamma == null && stats == null) {
            return ll.value();
        }
        backward(b, entry, ends, norm, open, n, gamma, stats);
        if (stats != null && chunks == 1) {
            stats.emission.addRows(x, from, to, gamma);
        } else if (stats != null) {
            io.emkit.hmm.Emission.Statistics[] parts = new io.emkit.hmm.Emission.Statistics[chunks];
            runAll(chunks, k -> {
                int c0 = k * chunk;
                int c1 = Math.min(n, c0 + chunk);
                parts[k] = emission.emptyStatistics();
                parts[k].addRows(x, from + c0, from + c1, java.util.Arrays.copyOfRange(gamma, c0 * s, c1 * s));
            });
            for (io.emkit.hmm.Emission.Statistics part : parts) {
                stats.emission.mergeFrom(part);
            }
        }
        return ll.value();
    }

    /**
     * The backward pass: turns {@code entry} into the posteriors of segment starts and {@code ends} into those of
     * (complete) segment ends, from which {@code gamma} follows by a running sum; adds the expected counts.
     */
    private void backward(double[] b, double[] entry, double[] ends, double[] norm, double[] open, int n,
                          double[] gamma, SemiMarkovStatistics stats) {
        int dm = durations.maxDuration();
        for (int t = 0; t < n; t++) {
            double inv = 1.0 / norm[t];
            for (int j = 0; j < s; j++) {
                b[t * s + j] *= inv;
            }
        }
        // open[j·n + e] now holds Π_{v=st..e} b̃_v(j) · B̃_e(j) for the segments starting at st (B̃ = 1 at the end).
        double[] endBeta = new double[s];
        double[] startBeta = new double[s];
        double[] censored = stats != null ? new double[s * dm] : null;
        double[] eta = stats != null ? new double[s * dm] : null;
        for (int st = n - 1; st >= 0; st--) {
            int o = st * s;
            int hi = Math.min(n - 1, st + dm - 1);
            for (int j = 0; j < s; j++) {
                double[] pmf = durations.pmfRow(j);
                double[] surv = durations.survivorRow(j);
                double e = b[o + j];
                int w = j * n;
                double en = entry[o + j];
                // Extend the open segments (ending at st + 1..hi) back to st and add up the complete ones.
                double first = e * (st == n - 1 ? 1.0 : endBeta[j]);
                open[w + st] = first;
                int last = hi == n - 1 ? n - 2 : hi;
                double bs = st <= last ? pmf[0] * first : 0.0;
                if (eta != null) {
                    int eo = j * dm - st;
                    if (st <= last) {
                        eta[eo + st] += en * bs;
                    }
                    for (int end = st + 1; end <= last; end++) {
                        double o2 = open[w + end] * e;
                        open[w + end] = o2;
                        double v = pmf[end - st] * o2;
                        bs += v;
                        eta[eo + end] += en * v;
                    }
                } else {
                    for (int end = st + 1; end <= last; end++) {
                        double o2 = open[w + end] * e;
                        open[w + end] = o2;
                        bs += pmf[end - st] * o2;
                    }
                }
                if (hi == n - 1 && hi > last && hi > st) {
                    open[w + hi] *= e;
                }
                if (hi == n - 1) {
                    double v = surv[n - 1 - st] * open[w + n - 1];
                    bs += v;
                    if (censored != null) {
                        censored[j * dm + n - 1 - st] += en * v;
                    }
                }
                startBeta[j] = bs;
                entry[o + j] = en * bs;
            }
            if (stats != null && st == 0) {
                for (int j = 0; j < s; j++) {
                    stats.start[j] += entry[j];
                }
            }
            if (st > 0) {
                int p = o - s;
                matrixTimesWithCounts(transitions, startBeta, ends, p, endBeta, stats == null ? null : stats.transitions);
                for (int i = 0; i < s; i++) {
                    ends[p + i] *= endBeta[i];
                }
            }
        }
        if (gamma != null) {
            for (int j = 0; j < s; j++) {
                double g = 0;
                for (int t = 0; t < n; t++) {
                    g += entry[t * s + j];
                    if (t > 0) {
                        g -= ends[(t - 1) * s + j];
                    }
                    gamma[t * s + j] = Math.min(1.0, Math.max(0.0, g));
                }
            }
        }
        if (stats != null) {
            for (int j = 0; j < s; j++) {
                double[] pmf = durations.pmfRow(j);
                double[] surv = durations.survivorRow(j);
                double acc = 0;
                for (int u = 0; u < dm; u++) {
                    // A last segment cut after u + 1 steps lasts d ≥ u + 1 steps with probability p(d) / P(d ≥ u + 1).
                    if (censored[j * dm + u] != 0 && surv[u] > 0) {
                        acc += censored[j * dm + u] / surv[u];
                    }
                    stats.durations[j * dm + u] += eta[j * dm + u] + acc * pmf[u];
                }
            }
        }
    }

    /**
     * The log probability of each sequence's most probable segmentation: max over segmentations and their states
     * of log p(segments, observations), the last segment censored.
     *
     * @param data sequences with {@link #dimension()} columns
     * @return per sequence the Viterbi score, {@code -Infinity} if the sequence is impossible
     */
    @Override
    public double[] viterbiLogProbabilities(Sequences data) {
        checkData(data);
        double[] out = new double[data.count()];
        for (int q = 0; q < out.length; q++) {
            out[q] = viterbi(data.rawValues(), data.start(q), data.start(q) + data.length(q),
                    new int[data.length(q)]);
        }
        return out;
    }

    /** Segment Viterbi over rows {@code [from, to)}; writes the path, returns its log probability. */
    private double viterbi(double[] x, int from, int to, int[] path) {
        int n = to - from;
        int dm = durations.maxDuration();
        double[] lb = new double[n * s];
        emission.logDensityRows(x, from, to, lb);
        double[][] logPmf = new double[s][dm];
        double[][] logSurv = new double[s][dm];
        for (int j = 0; j < s; j++) {
            double[] pmf = durations.pmfRow(j);
            double[] surv = durations.survivorRow(j);
            for (int u = 0; u < dm; u++) {
                logPmf[j][u] = Math.log(pmf[u]);
                logSurv[j][u] = Math.log(surv[u]);
            }
        }
        double[] entry = new double[n * s];
        int[] from2 = new int[n * s];
        double[] ends = new double[n * s];
        int[] length = new int[n * s];
        for (int t = 0; t < n; t++) {
            int o = t * s;
            for (int j = 0; j < s; j++) {
                if (t == 0) {
                    entry[j] = logStart[j];
                    continue;
                }
                double best = Double.NEGATIVE_INFINITY;
                int arg = -1;
                for (int i = 0; i < s; i++) {
                    double v = ends[o - s + i] + logTransitions[i * s + j];
                    if (v > best) {
                        best = v;
                        arg = i;
                    }
                }
                entry[o + j] = best;
                from2[o + j] = arg;
            }
            for (int j = 0; j < s; j++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = 1;
                double acc = 0;
                int top = Math.min(dm, t + 1);
                for (int u = 1; u <= top; u++) {
                    acc += lb[(t - u + 1) * s + j];
                    double v = entry[(t - u + 1) * s + j] + logPmf[j][u - 1] + acc;
                    if (v > best) {
                        best = v;
                        arg = u;
                    }
                }
                ends[o + j] = best;
                length[o + j] = arg;
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        int state = 0;
        int len = 1;
        for (int j = 0; j < s; j++) {
            double acc = 0;
            for (int u = 1; u <= Math.min(dm, n); u++) {
                acc += lb[(n - u) * s + j];
                double v = entry[(n - u) * s + j] + logSurv[j][u - 1] + acc;
                if (v > best) {
                    best = v;
                    state = j;
                    len = u;
                }
            }
        }
        if (best == Double.NEGATIVE_INFINITY || Double.isNaN(best)) {
            return Double.NEGATIVE_INFINITY;
        }
        int endAt = n - 1;
        while (true) {
            int st = endAt - len + 1;
            Arrays.fill(path, st, endAt + 1, state);
            if (st == 0) {
                break;
            }
            int prev = from2[st * s + state];
            endAt = st - 1;
            state = prev;
            len = length[endAt * s + state];
        }
        return best;
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
    public HiddenMarkovModel.Sample sample(int sequences, int length, long seed) {
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
    public HiddenMarkovModel.Sample sample(int sequences, int length, long seed, int startState) {
        return drawSequences(startingIn(startState), sequences, length, seed, this::drawPath);
    }

    /**
     * Segments: the first state from π, each segment's length from its state's durations (cut at the sequence's
     * end), each next state from the transitions out of the state before.
     */
    private void drawPath(double[] pi, SplittableRandom random, int[] path) {
        double[] row = new double[s];
        int state = HiddenMarkovModel.draw(pi, random);
        int t = 0;
        while (true) {
            int end = Math.min(path.length, t + HiddenMarkovModel.draw(durations.pmfRow(state), random) + 1);
            Arrays.fill(path, t, end, state);
            t = end;
            if (t >= path.length) {
                break;
            }
            System.arraycopy(transitions, state * s, row, 0, s);
            state = HiddenMarkovModel.draw(row, random);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemiMarkovModel m && Arrays.equals(m.start, start)
                && Arrays.equals(m.transitions, transitions) && m.durations.equals(durations)
                && m.emission.equals(emission);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(start), Arrays.hashCode(transitions), durations, emission);
    }

    @Override
    public String toString() {
        return "SemiMarkovModel[" + s + " states, " + durations + ", " + emission + "]";
    }
}
