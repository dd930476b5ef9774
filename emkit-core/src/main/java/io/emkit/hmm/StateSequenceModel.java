package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Sequences;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What the hidden-state models of sequences share — the hidden Markov model, the hidden semi-Markov model and the
 * input–output HMM: S states, a start distribution π over them, an emission distribution per state, and a
 * log-likelihood that is a sum over independent sequences. Each model adds how it moves between states.
 *
 * @param <D> the data a model scores: {@link io.emkit.data.Sequences}, or sequences with covariates
 */
public abstract class StateSequenceModel<D> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The number of states S. */
    protected final int s;
    /** π; the model's own array, never handed out ({@link #startProbabilities()} copies it). */
    protected final double[] start;
    /** The states' emission distributions. */
    protected final Emission emission;

    /**
     * @param start    π, checked by the subclass
     * @param emission the emissions of {@code start.length} states
     */
    protected StateSequenceModel(double[] start, Emission emission) {
        this.s = start.length;
        this.start = start;
        this.emission = Objects.requireNonNull(emission, "emission");
    }

    /** @return the number of states S */
    public int states() {
        return s;
    }

    /** @return the number of values per step */
    public int dimension() {
        return emission.dimension();
    }

    /** @return the observation columns' names */
    public List<String> featureNames() {
        return emission.featureNames();
    }

    /** @return the emission distributions */
    public Emission emission() {
        return emission;
    }

    /** @return the start distribution π (a copy) */
    public double[] startProbabilities() {
        return start.clone();
    }

    // ------------------------------------------------------------------------------ what each model computes

    /**
     * @param data sequences this model scores
     * @return their observations (the sequences themselves, or those beside their covariates)
     */
    protected abstract Sequences observations(D data);

    /**
     * Forward–backward over one sequence.
     *
     * @param data  sequences this model scores, already checked
     * @param q     a sequence, from 0
     * @param gamma if not null, receives the state posteriors of step t at {@code t · S + j}
     * @return the sequence's log-likelihood, {@code -Infinity} if it is impossible
     */
    protected abstract double sequenceLogLikelihood(D data, int q, double[] gamma);

    /**
     * @param data sequences this model scores, already checked
     * @param q    a sequence, from 0
     * @return its most probable state path (ties to the lower state), {@code null} if the sequence is impossible
     */
    protected abstract int[] mostProbablePath(D data, int q);

    /**
     * @param data sequences this model scores, already checked
     * @param q    a sequence, from 0
     * @param path one valid state per step of it
     * @return {@code log p(path, observations)}; {@code -Infinity} for a path the model forbids
     */
    protected abstract double pathLogJoint(D data, int q, int[] path);

    /**
     * @param data sequences this model scores
     * @throws EmkitException if they do not fit the model (by default: not the model's columns)
     */
    protected void checkData(D data) {
        checkColumns(observations(data).dimension());
    }

    // ---------------------------------------------------------------------------------------------- inference

    /**
     * @param data sequences this model scores
     * @return each sequence's log-likelihood ({@code -Infinity} for an impossible one)
     * @throws EmkitException if the data do not fit the model
     */
    public double[] sequenceLogLikelihoods(D data) {
        checkData(data);
        double[] out = new double[observations(data).count()];
        for (int q = 0; q < out.length; q++) {
            out[q] = sequenceLogLikelihood(data, q, null);
        }
        return out;
    }

    /**
     * @param data sequences this model scores
     * @return the total log-likelihood of all sequences ({@code -Infinity} if one is impossible)
     * @throws EmkitException if the data do not fit the model
     */
    public double logLikelihood(D data) {
        double total = 0;
        for (double v : sequenceLogLikelihoods(data)) {
            total += v;
        }
        return total;
    }

    /**
     * The posterior state probabilities P(state at t = s | the whole sequence) of every step.
     *
     * @param data sequences this model scores
     * @return per sequence a {@code length × S} array whose rows sum to 1
     * @throws EmkitException if the data do not fit the model or a sequence has probability 0 under it
     */
    public double[][][] posteriors(D data) {
        checkData(data);
        Sequences observed = observations(data);
        double[][][] out = new double[observed.count()][][];
        for (int q = 0; q < out.length; q++) {
            int n = observed.length(q);
            double[] gamma = new double[n * s];
            if (sequenceLogLikelihood(data, q, gamma) == Double.NEGATIVE_INFINITY) {
                throw impossible(q);
            }
            out[q] = new double[n][];
            for (int t = 0; t < n; t++) {
                out[q][t] = Arrays.copyOfRange(gamma, t * s, (t + 1) * s);
            }
        }
        return out;
    }

    /**
     * Maximum a posteriori decoding, step by step: each step's state is the one with the largest posterior
     * probability (ties go to the lower state). Each step's state is then the likeliest on its own, but the path
     * as a whole may be improbable, even impossible; {@link #viterbi} gives the likeliest path.
     *
     * @param data sequences this model scores
     * @return per sequence one state (from 0) per step
     * @throws EmkitException if the data do not fit the model or a sequence has probability 0 under it
     */
    public int[][] mapStates(D data) {
        return mostProbableStates(posteriors(data));
    }

    /**
     * Each step's most probable state (ties go to the lower state) from posterior state probabilities.
     *
     * @param post per sequence, per step, per state the posterior probability
     * @return per sequence one state (from 0) per step
     */
    public static int[][] mostProbableStates(double[][][] post) {
        int[][] out = new int[post.length][];
        for (int q = 0; q < post.length; q++) {
            out[q] = new int[post[q].length];
            for (int t = 0; t < post[q].length; t++) {
                int best = 0;
                for (int j = 1; j < post[q][t].length; j++) {
                    if (post[q][t][j] > post[q][t][best]) {
                        best = j;
                    }
                }
                out[q][t] = best;
            }
        }
        return out;
    }

    /**
     * The most probable state path of each sequence (Viterbi, in log space); ties go to the lower state.
     *
     * @param data sequences this model scores
     * @return per sequence one state (from 0) per step
     * @throws EmkitException if the data do not fit the model or a sequence has probability 0 under it
     */
    public int[][] viterbi(D data) {
        checkData(data);
        int[][] out = new int[observations(data).count()][];
        for (int q = 0; q < out.length; q++) {
            out[q] = mostProbablePath(data, q);
            if (out[q] == null) {
                throw impossible(q);
            }
        }
        return out;
    }

    /**
     * The log probability of each sequence's most probable path (the Viterbi score).
     *
     * @param data sequences this model scores
     * @return per sequence max over paths of log p(path, observations), {@code -Infinity} if it is impossible
     * @throws EmkitException if the data do not fit the model
     */
    public double[] viterbiLogProbabilities(D data) {
        checkData(data);
        double[] out = new double[observations(data).count()];
        for (int q = 0; q < out.length; q++) {
            int[] path = mostProbablePath(data, q);
            out[q] = path == null ? Double.NEGATIVE_INFINITY : pathLogJoint(data, q, path);
        }
        return out;
    }

    /**
     * The log joint probability log p(path, observations) of given state paths.
     *
     * @param data  sequences this model scores
     * @param paths per sequence one state (from 0) per step
     * @return per sequence the log probability; {@code -Infinity} for a path the model forbids
     * @throws EmkitException if the paths do not match the sequences or name a state the model lacks
     */
    public double[] pathLogProbabilities(D data, int[][] paths) {
        checkData(data);
        Sequences observed = observations(data);
        if (paths.length != observed.count()) {
            throw new EmkitException(paths.length + " paths for " + observed.count() + " sequences");
        }
        double[] out = new double[paths.length];
        for (int q = 0; q < paths.length; q++) {
            if (paths[q].length != observed.length(q)) {
                throw new EmkitException("the path of sequence " + (q + 1) + " has " + paths[q].length
                        + " steps, the sequence " + observed.length(q));
            }
            for (int state : paths[q]) {
                if (state < 0 || state >= s) {
                    throw new EmkitException("the path of sequence " + (q + 1) + " has state " + state
                            + ", outside 0.." + (s - 1));
                }
            }
            out[q] = pathLogJoint(data, q, paths[q]);
        }
        return out;
    }

    private static EmkitException impossible(int q) {
        return new EmkitException("sequence " + (q + 1) + " has probability 0 under the model");
    }

    // ---------------------------------------------------------------------------------------------- sampling

    /** Draws one sequence's hidden states. */
    @FunctionalInterface
    protected interface PathDrawer {
        /**
         * @param pi     the distribution of the first state
         * @param random the sequence's random stream (the emissions are drawn from it next)
         * @param path   receives one state per step
         */
        void draw(double[] pi, SplittableRandom random, int[] path);
    }

    /**
     * @param startState a state, from 0
     * @return π put all on it (a model's draw "as if continuing from" that state, hmmlearn's {@code currstate})
     * @throws EmkitException if the state is not one of the model's
     */
    protected final double[] startingIn(int startState) {
        if (startState < 0 || startState >= s) {
            throw new EmkitException("start state " + startState + " is not a state of the model (states 0.." + (s - 1)
                    + ")");
        }
        double[] only = new double[s];
        only[startState] = 1.0;
        return only;
    }

    /**
     * Draws sequences: each from its own split of the seed's stream, its hidden states first, then each step's
     * observation from its state's emission.
     *
     * @param pi        the distribution of the first state
     * @param sequences how many sequences (≥ 1)
     * @param length    steps per sequence (≥ 1)
     * @param seed      decides the draw
     * @param paths     draws the hidden states
     * @return the observations and the hidden states
     * @throws EmkitException if there would be no step
     */
    protected final Sample drawSequences(double[] pi, int sequences, int length, long seed, PathDrawer paths) {
        if (sequences < 1 || length < 1) {
            throw new EmkitException("sampling needs at least one sequence of at least one step, got " + sequences
                    + " of length " + length);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int d = dimension();
        double[] all = new double[Math.multiplyExact(Math.multiplyExact(sequences, length), d)];
        int[] lengths = new int[sequences];
        int[][] states = new int[sequences][];
        double[] values = new double[Math.multiplyExact(length, d)];
        for (int q = 0; q < sequences; q++) {
            SplittableRandom r = random.split();
            int[] path = new int[length];
            paths.draw(pi, r, path);
            emission.sample(path, r, values);
            System.arraycopy(values, 0, all, q * values.length, values.length);
            lengths[q] = length;
            states[q] = path;
        }
        return new Sample(Sequences.of(Dataset.wrap(all, sequences * length, d, featureNames()), lengths), states);
    }

    /**
     * Sequences drawn from a model.
     *
     * @param observations the observed sequences
     * @param states       the hidden state (from 0) of every step of every sequence
     */
    public record Sample(Sequences observations, int[][] states) {
    }

    // ------------------------------------------------------------------------------ shared by the models' code

    /**
     * The free parameters of a distribution over states: its positive entries but one (a zero is structural, held
     * at zero, and not counted).
     *
     * @param p    probabilities
     * @param from the first entry of the distribution in {@code p}
     * @param to   one past its last
     * @return the number of free parameters, 0 for none
     */
    protected static int freeParameters(double[] p, int from, int to) {
        int positive = 0;
        for (int i = from; i < to; i++) {
            if (p[i] > 0) {
                positive++;
            }
        }
        return Math.max(0, positive - 1);
    }

    /**
     * @param flat an S × S matrix by rows, each row a distribution
     * @param s    S
     * @return the free parameters of its rows together
     */
    protected static int rowParameters(double[] flat, int s) {
        int count = 0;
        for (int i = 0; i < s; i++) {
            count += freeParameters(flat, i * s, (i + 1) * s);
        }
        return count;
    }

    /**
     * @param flat an S × S matrix by rows
     * @param s    S
     * @return its rows (copies)
     */
    protected static double[][] rows(double[] flat, int s) {
        double[][] out = new double[s][];
        for (int i = 0; i < s; i++) {
            out[i] = Arrays.copyOfRange(flat, i * s, (i + 1) * s);
        }
        return out;
    }

    /**
     * @param p probabilities
     * @return their logarithms ({@code -Infinity} for a zero)
     */
    protected static double[] logs(double[] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Math.log(p[i]);
        }
        return out;
    }

    /**
     * One step of a forward recursion: {@code to[t + j] += Σ_i from[f + i] · M[m + i·S + j]}, rows of a zero weight
     * skipped (a sparse topology leaves many), i outer and j inner so that every model adds in the same order.
     *
     * @param from         the weights of the states moved from
     * @param fromOffset   where they start ({@code f})
     * @param matrix       S × S transition probabilities by rows
     * @param matrixOffset where the matrix starts ({@code m})
     * @param to           receives the sums (added to what is there)
     * @param toOffset     where they start ({@code t})
     */
    protected final void addTimesMatrix(double[] from, int fromOffset, double[] matrix, int matrixOffset, double[] to,
                                        int toOffset) {
        for (int i = 0; i < s; i++) {
            double weight = from[fromOffset + i];
            if (weight == 0.0) {
                continue;
            }
            int row = matrixOffset + i * s;
            for (int j = 0; j < s; j++) {
                to[toOffset + j] += weight * matrix[row + j];
            }
        }
    }

    /**
     * The backward product through a transition matrix, {@code out_i = Σ_j M_ij v_j}, with the expected moves
     * {@code w_i M_ij v_j} added to {@code counts} when it is not null (rows of zero weight add nothing): the
     * step every backward recursion of a hidden Markov or semi-Markov chain takes.
     *
     * @param matrix        S × S transition probabilities by rows
     * @param v             the next step's (or segment start's) backward values, S of them
     * @param weights       the forward weights of the states moved from
     * @param weightsOffset where they start
     * @param out           receives the S sums
     * @param counts        S × S expected moves to add to, or null
     */
    protected final void matrixTimesWithCounts(double[] matrix, double[] v, double[] weights, int weightsOffset,
                                               double[] out, double[] counts) {
        for (int i = 0; i < s; i++) {
            double w = weights[weightsOffset + i];
            int row = i * s;
            double acc = 0;
            for (int j = 0; j < s; j++) {
                double move = matrix[row + j] * v[j];
                acc += move;
                if (counts != null && w != 0.0) {
                    counts[row + j] += w * move;
                }
            }
            out[i] = acc;
        }
    }

    /**
     * One step of a backward recursion normalised to sum 1: {@code next_i ∝ Σ_j M[m + i·S + j] b[o + j] beta_j}.
     *
     * @param matrix       S × S transition probabilities by rows
     * @param matrixOffset where the matrix starts ({@code m})
     * @param b            scaled emission densities
     * @param bo           where the next step's densities start ({@code o})
     * @param beta         the next step's beta
     * @param next         receives this step's beta
     * @param tmp          S values of work space
     * @return false when the sum is not a positive finite number (the sequence is impossible from here)
     */
    protected final boolean normalizedBackwardStep(double[] matrix, int matrixOffset, double[] b, int bo,
                                                   double[] beta, double[] next, double[] tmp) {
        for (int j = 0; j < s; j++) {
            tmp[j] = b[bo + j] * beta[j];
        }
        double sum = 0;
        for (int i = 0; i < s; i++) {
            int row = matrixOffset + i * s;
            double acc = 0;
            for (int j = 0; j < s; j++) {
                acc += matrix[row + j] * tmp[j];
            }
            next[i] = acc;
            sum += acc;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            return false;
        }
        double inv = 1.0 / sum;
        for (int i = 0; i < s; i++) {
            next[i] *= inv;
        }
        return true;
    }

    /** Fills the log emission densities of one chunk of a sequence's steps. */
    @FunctionalInterface
    protected interface ChunkDensities {
        /**
         * @param c0   the chunk's first step, from the sequence's start
         * @param c1   one past its last
         * @param part receives S log densities per step of the chunk
         */
        void fill(int c0, int c1, double[] part);
    }

    /**
     * The first pass of a chunked E-step: in parallel over chunks of {@code chunk} steps, each step's log emission
     * densities, scaled ({@link #scaleDensities}) into {@code b}, their max into {@code maxLog}.
     *
     * @param n         the sequence's steps
     * @param chunk     steps per chunk
     * @param b         receives the scaled densities, S per step
     * @param maxLog    receives each step's max log density
     * @param densities fills a chunk's log densities
     * @return false if some step cannot be emitted by any state
     */
    protected final boolean scaledDensitiesByChunk(int n, int chunk, double[] b, double[] maxLog,
                                                   ChunkDensities densities) {
        int chunks = (n + chunk - 1) / chunk;
        boolean[] impossible = new boolean[chunks];
        runAll(chunks, k -> {
            int c0 = k * chunk;
            int c1 = Math.min(n, c0 + chunk);
            double[] part = new double[(c1 - c0) * s];
            densities.fill(c0, c1, part);
            System.arraycopy(part, 0, b, c0 * s, part.length);
            impossible[k] = !scaleSteps(b, c0, c1, maxLog);
        });
        for (boolean no : impossible) {
            if (no) {
                return false;
            }
        }
        return true;
    }

    /**
     * The second pass of a chunked E-step: the forward sweep and the backward sweep side by side (they share
     * nothing; the backward sweep scales each beta by its own sum), then the check that both got through.
     *
     * @param forward        the forward sweep; its log-likelihood, {@code -Infinity} when the sequence is impossible
     * @param backward       the backward sweep, which keeps beta at each chunk's last step in
     *                       {@code betaAtChunkEnd} and leaves an entry null when the sequence is impossible
     * @param betaAtChunkEnd one entry per chunk, filled by {@code backward}
     * @return the sequence's log-likelihood, or {@code -Infinity} when either sweep found it impossible
     */
    protected static double forwardBesideBackward(java.util.function.DoubleSupplier forward, Runnable backward,
                                                  double[][] betaAtChunkEnd) {
        double[] logLikelihood = new double[1];
        runAll(2, sweep -> {
            if (sweep == 0) {
                logLikelihood[0] = forward.getAsDouble();
            } else {
                backward.run();
            }
        });
        if (logLikelihood[0] == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        for (double[] beta : betaAtChunkEnd) {
            if (beta == null) {
                return Double.NEGATIVE_INFINITY;
            }
        }
        return logLikelihood[0];
    }

    /**
     * A chunk's starting beta for its backward recursion: the backward sweep's beta at the chunk's last step,
     * rescaled so that alpha · beta is 1 there, which makes alpha_t · beta_t the posterior at every step of the chunk.
     *
     * @param alpha    the forward sweep's scaled alphas, S per step
     * @param betaEnd  the backward sweep's beta at the chunk's last step (not changed)
     * @param lastStep the chunk's last step
     * @return the rescaled copy
     */
    protected final double[] chunkStartBeta(double[] alpha, double[] betaEnd, int lastStep) {
        double[] beta = betaEnd.clone();
        double norm = 0;
        for (int j = 0; j < s; j++) {
            norm += alpha[lastStep * s + j] * beta[j];
        }
        for (int j = 0; j < s; j++) {
            beta[j] /= norm;
        }
        return beta;
    }

    /**
     * Turns the log densities {@code b[o, o + S)} of one step into {@code exp(b − max)}: the scaled densities the
     * forward recursions work with, which cannot underflow together.
     *
     * @param b the steps' log densities, S per step
     * @param o where the step starts in {@code b}
     * @return the max, {@code -Infinity} (or NaN) when no state can emit the observation
     */
    protected final double scaleDensities(double[] b, int o) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
            max = Math.max(max, b[o + j]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        for (int j = 0; j < s; j++) {
            b[o + j] = Math.exp(b[o + j] - max);
        }
        return max;
    }

    /**
     * Scales the log densities of steps {@code [t0, t1)} ({@link #scaleDensities}) and keeps each step's max: the
     * first pass of every forward recursion (the hidden Markov, semi-Markov and covariate models', over a whole
     * sequence or one chunk), shared so that each tells an impossible step the same way.
     *
     * @param b      the steps' log densities, S per step; scaled in place
     * @param t0     the first step
     * @param t1     the step after the last
     * @param maxLog receives each step's max log density
     * @return false at the first step that no state can emit (the later steps are then left as they were)
     */
    protected final boolean scaleSteps(double[] b, int t0, int t1, double[] maxLog) {
        for (int t = t0; t < t1; t++) {
            maxLog[t] = scaleDensities(b, t * s);
            if (maxLog[t] == Double.NEGATIVE_INFINITY || Double.isNaN(maxLog[t])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code body(0) .. body(count − 1)} as fork/join tasks in the current pool (the common pool outside one)
     * and waits for all of them: how one long sequence's chunks share the engine's threads.
     *
     * @param count the number of tasks
     * @param body  what task k does
     */
    protected static void runAll(int count, java.util.function.IntConsumer body) {
        java.util.List<java.util.concurrent.ForkJoinTask<?>> tasks = new java.util.ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int task = k;
            tasks.add(java.util.concurrent.ForkJoinTask.adapt(() -> body.accept(task)));
        }
        java.util.concurrent.ForkJoinTask.invokeAll(tasks);
    }

    /**
     * A sum of many terms of mixed size (a sequence's log scale factors), with Neumaier's compensation: long
     * sequences add hundreds of thousands of them, and the convergence test compares totals to 1e-8.
     */
    protected static final class CompensatedSum {
        private double sum;
        private double compensation;

        /** An empty sum. */
        public CompensatedSum() {
        }

        /** @param term the next term */
        public void add(double term) {
            double next = sum + term;
            compensation += Math.abs(sum) >= Math.abs(term) ? (sum - next) + term : (term - next) + sum;
            sum = next;
        }

        /** @return the sum so far */
        public double value() {
            return sum + compensation;
        }
    }

    /**
     * @param columns the number of observation columns the data have
     * @throws EmkitException if it is not the model's
     */
    protected final void checkColumns(int columns) {
        if (columns != dimension()) {
            throw new EmkitException("the model has " + dimension() + " features " + featureNames()
                    + " but the data have " + columns + " columns");
        }
    }
}
