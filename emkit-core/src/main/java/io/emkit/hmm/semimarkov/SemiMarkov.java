package io.emkit.hmm.semimarkov;

import io.emkit.EmkitException;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.IterationListener;
import io.emkit.em.SearchSpace;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import io.emkit.hmm.Topology;

import java.util.SplittableRandom;

/**
 * Fits a hidden semi-Markov model by EM on {@link ExpectationMaximization}: the emissions and the EM options of a
 * {@link HiddenMarkov} configuration, plus a duration family and the longest duration Dmax. Immutable.
 *
 * <pre>{@code
 * EmResult<SemiMarkovModel> fit = SemiMarkov.of(HiddenMarkov.gaussian(3, CovarianceType.DIAG).seed(42),
 *         Durations.Family.POISSON, 50).fit(sequences);
 * }</pre>
 *
 * <p><b>Initialisation.</b> Each start runs a short Baum–Welch fit of the HMM configuration (one start, a few
 * iterations, from the start's own random stream); its emissions, start distribution and moves between states
 * ({@code a_ij / (1 − a_ii)}) become the semi-Markov model's, and each state's mean duration {@code 1 / (1 − a_ii)}
 * (at most Dmax) sets its duration distribution ({@link Durations#fromMeans}).
 *
 * <p><b>Threads and order.</b> As for the HMM: the sequences are put in {@linkplain Sequences#canonicalOrder()
 * canonical order} and cut into {@code ceil(n / 64)}-sequence blocks, so the result is the same bit for bit for
 * any thread count. The segment recursions of a sequence run on one thread; a sequence of 32768 steps or more
 * has its emission densities and statistics computed in parallel over chunks of 16384 steps (a constant).
 *
 * <p><b>Starting model, fixed parts, priors, topology.</b> {@link #initialModel} starts the one run there (no short
 * HMM fit). What the HMM configuration holds fixed (its start distribution, transitions, emission parts) and its
 * priors (Dirichlet on the start and transition rows, the Gaussian emissions' prior) act on the semi-Markov EM as on
 * Baum–Welch ({@link SemiMarkovSteps}); {@link #fixDurations} also holds the durations. Fixed parts take their
 * values from the starting model, which they require. A topology ({@link HiddenMarkov#topology}) constrains the
 * moves between segments: {@code i → j} for {@code i ≠ j} is allowed where the topology allows it (the diagonal,
 * a state staying, is what its durations describe and is always 0 here), the start states are the topology's, and
 * forbidden entries stay 0 through every M-step. Every state must have a move to another state (a segment lasts at
 * most Dmax steps), so {@code left-right}, whose last state has none, is refused; a mask with a way out of every
 * state (a cycle, for instance) serves instead.
 */
public final class SemiMarkov {
    /** Baum–Welch iterations of the HMM fit that starts each semi-Markov start. */
    static final int START_ITERATIONS = 10;

    private final HiddenMarkov hmm;
    private final Durations.Family family;
    private final int maxDuration;
    private final SemiMarkovModel initialModel;
    private final boolean fixDurations;

    private SemiMarkov(HiddenMarkov hmm, Durations.Family family, int maxDuration, SemiMarkovModel initialModel,
                       boolean fixDurations) {
        this.hmm = hmm;
        this.family = family;
        this.maxDuration = maxDuration;
        this.initialModel = initialModel;
        this.fixDurations = fixDurations;
    }

    /**
     * @param hmm         the emissions and EM options (seed, threads, tolerance, initialisations or search)
     * @param family      the duration family
     * @param maxDuration the longest duration Dmax ≥ 1; at most the longest sequence's length
     * @return the configuration
     */
    public static SemiMarkov of(HiddenMarkov hmm, Durations.Family family, int maxDuration) {
        if (maxDuration < 1) {
            throw new EmkitException("the longest duration Dmax must be at least 1, got " + maxDuration);
        }
        checkTopology(hmm.topology());
        return new SemiMarkov(hmm, family, maxDuration, null, false);
    }

    /**
     * Starts from a given model instead of initialising (one run).
     *
     * @param model a model with this configuration's states, emission family, duration family and Dmax
     * @return a changed copy
     * @throws EmkitException if the model does not match the configuration
     */
    public SemiMarkov initialModel(SemiMarkovModel model) {
        if (model != null) {
            if (model.states() != hmm.states() || model.emission().kind() != hmm.emissionKind()) {
                throw new EmkitException("the initial model has " + model.states() + " states and "
                        + model.emission().kind() + " emissions; expected " + hmm.states() + " and "
                        + hmm.emissionKind());
            }
            if (model.durations().family() != family || model.durations().maxDuration() != maxDuration) {
                throw new EmkitException("the initial model has " + model.durations().family().label()
                        + " durations up to " + model.durations().maxDuration() + " steps; expected "
                        + family.label() + " up to " + maxDuration);
            }
        }
        return new SemiMarkov(hmm, family, maxDuration, model, fixDurations);
    }

    /**
     * @param fixed whether EM keeps the durations at the starting model's (which this requires)
     * @return a changed copy
     */
    public SemiMarkov fixDurations(boolean fixed) {
        return new SemiMarkov(hmm, family, maxDuration, initialModel, fixed);
    }

    /**
     * Refuses a topology under which a state has no move to another state: a semi-Markov state is left after at
     * most Dmax steps.
     */
    private static void checkTopology(Topology topology) {
        if (topology == null) {
            return;
        }
        int s = topology.states();
        for (int i = 0; i < s && s > 1; i++) {
            boolean out = false;
            for (int j = 0; j < s; j++) {
                out |= j != i && topology.allows(i, j);
            }
            if (!out) {
                String remedy = topology.toString().startsWith("mask")
                        ? "put a 1 off the diagonal in row " + (i + 1) + " of the mask"
                        : "use a --transition-mask with a way out of state " + (i + 1);
                throw new EmkitException("the topology " + topology + " leaves state " + (i + 1) + " with no move to"
                        + " another state; a semi-Markov state is left after at most Dmax steps (staying is its"
                        + " duration, not a transition), so every state needs one: " + remedy);
            }
        }
    }

    /** The model with the start states and moves the topology forbids set to 0, the rest of each row rescaled. */
    private SemiMarkovModel constrained(SemiMarkovModel m) {
        Topology topology = hmm.topology();
        if (topology == null || m.states() == 1) {
            return m;
        }
        int s = m.states();
        double[] pi = m.startProbabilities();
        boolean[] startMask = new boolean[s];
        for (int j = 0; j < s; j++) {
            startMask[j] = topology.allowsStart(j);
        }
        double[][] a = m.transitionMatrix();
        double[][] out = new double[s][];
        for (int i = 0; i < s; i++) {
            boolean[] row = new boolean[s];
            for (int j = 0; j < s; j++) {
                row[j] = j != i && topology.allows(i, j);
            }
            out[i] = restricted(a[i], row, "transition row " + (i + 1));
        }
        SemiMarkovModel c = SemiMarkovModel.of(restricted(pi, startMask, "the start distribution"), out,
                m.durations(), m.emission()).withFeatureNames(m.featureNames());
        return c.equals(m) ? m : c;
    }

    /** {@code p} with the entries {@code keep} forbids at 0 and the rest scaled to sum 1 (unchanged if none is). */
    private static double[] restricted(double[] p, boolean[] keep, String what) {
        double sum = 0;
        boolean changed = false;
        double[] out = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            if (keep[j]) {
                out[j] = p[j];
                sum += p[j];
            } else {
                changed |= p[j] != 0;
            }
        }
        if (!changed) {
            return p;
        }
        if (!(sum > 0)) {
            throw new EmkitException(what + " puts no probability on what the topology allows");
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= sum;
        }
        return out;
    }

    /**
     * @param options how EM runs
     * @return a changed copy
     */
    public SemiMarkov options(EmOptions options) {
        return new SemiMarkov(hmm.options(options), family, maxDuration, initialModel, fixDurations);
    }

    /** @return the EM options */
    public EmOptions options() {
        return hmm.options();
    }

    /** @return the duration family */
    public Durations.Family family() {
        return family;
    }

    /** @return the longest duration Dmax */
    public int maxDuration() {
        return maxDuration;
    }

    /**
     * Fits the model to the sequences.
     *
     * @param data the sequences; values must lie in the emission family's support
     * @return the best run's model and how the fit went
     * @throws EmkitException if Dmax exceeds the longest sequence or the data cannot be fitted
     */
    public EmResult<SemiMarkovModel> fit(Sequences data) {
        int longest = 0;
        for (int q = 0; q < data.count(); q++) {
            longest = Math.max(longest, data.length(q));
        }
        return run(data.canonicalOrder(), longest, null, 0);
    }

    /**
     * This fit with its E-steps run by another engine over sequences it holds (Spark, in emkit-spark): each step of
     * the engine's sequences is its observations, and each part's E-step is this fit's
     * ({@link SemiMarkovSteps#accumulate}); the loop is {@link #fit(Sequences)}'s, its starts looking at the sample
     * only. Given every sequence as the sample, the fit is {@link #fit(Sequences)}'s up to rounding.
     *
     * @return the plan
     */
    public io.emkit.em.DistributedFit.OverSequences<SemiMarkovModel, SemiMarkovStatistics> distributed() {
        return new io.emkit.em.DistributedFit.OverSequences<>(new Segments(),
                (runner, extent, sample) -> run(sample.canonicalOrder(), extent.longest(), runner, extent.steps()),
                hmm.options().seed());
    }

    /** The E-step of a part of the sequences: the segment forward–backward pass on each, as on this machine. */
    private static final class Segments
            implements io.emkit.em.DistributedFit.OverSequences.Kernel<SemiMarkovModel, SemiMarkovStatistics> {
        private static final long serialVersionUID = 1L;

        @Override
        public SemiMarkovStatistics emptyStatistics(SemiMarkovModel params) {
            return new SemiMarkovSteps(0.0).emptyStatistics(params);
        }

        @Override
        public double accumulate(SemiMarkovModel params, Sequences sequences, long firstStep,
                                 SemiMarkovStatistics stats) {
            return new SemiMarkovSteps(0.0).accumulate(params, sequences, 0, sequences.count(), stats);
        }
    }

    /**
     * Fits sequences in canonical order, or, with a runner, starts from them (a sample) while the runner's E-steps
     * cover {@code totalSteps} steps.
     */
    private EmResult<SemiMarkovModel> run(Sequences canonical, int longest,
                                          io.emkit.em.ExpectationRunner<SemiMarkovModel, SemiMarkovStatistics> runner,
                                          long totalSteps) {
        if (maxDuration > longest) {
            throw new EmkitException("the longest duration Dmax = " + maxDuration + " exceeds the longest sequence ("
                    + longest + " steps): use at most " + longest);
        }
        BaumWelchSteps markov = hmm.steps();
        if (initialModel == null && (markov.holdsParameters() || fixDurations)) {
            throw new EmkitException("fixed parts keep their starting values: give a starting model");
        }
        EmOptions options = hmm.options();
        EmOptions runOptions = options.withBlockSize(Math.max(1, (canonical.count() + 63) / 64));
        int d = canonical.dimension();
        int s = hmm.states();
        double cost = 10.0 * canonical.totalLength() * s * (s + maxDuration + (double) d * d);
        double scaled = runner == null ? cost : cost * ((double) totalSteps / canonical.totalLength());
        SearchSpace<SemiMarkovModel> space;
        if (initialModel != null) {
            if (initialModel.dimension() != d) {
                throw new EmkitException("the initial model has " + initialModel.dimension() + " features, the data "
                        + d);
            }
            SemiMarkovModel first = constrained(initialModel.withFeatureNames(canonical.featureNames()));
            space = SearchSpace.of("warm start", r -> first, scaled);
            runOptions = runOptions.withInitializations(1);
        } else {
            space = SearchSpace.of("short HMM fit", r -> constrained(start(canonical, r)), scaled);
        }
        SemiMarkovSteps steps = new SemiMarkovSteps(markov, fixDurations);
        return runner == null ? ExpectationMaximization.fit(steps, canonical, space, runOptions)
                : ExpectationMaximization.fit(steps, runner, (double) totalSteps, space, runOptions);
    }

    private SemiMarkovModel start(Sequences data, SplittableRandom random) {
        EmOptions o = hmm.options().withInitializations(1).withMaxIterations(START_ITERATIONS)
                .withListener(IterationListener.NONE).withSeed(random.nextLong()).withThreads(1);
        HiddenMarkovModel h = shortFitConfig().options(o).fit(data).params();
        int s = h.states();
        double[] means = new double[s];
        for (int j = 0; j < s; j++) {
            double stay = h.transition(j, j);
            means[j] = stay >= 1.0 ? maxDuration : 1.0 / (1.0 - stay);
        }
        return SemiMarkovModel.fromHiddenMarkov(h, Durations.fromMeans(family, means, maxDuration))
                .withFeatureNames(data.featureNames());
    }

    /**
     * The HMM configuration of the short fits: a topology's moves between states, with every state allowed to stay
     * (the semi-Markov model's durations stand for staying, so a mask's diagonal says nothing; an HMM whose states
     * cannot stay would start the fit far off).
     */
    private HiddenMarkov shortFitConfig() {
        Topology topology = hmm.topology();
        if (topology == null) {
            return hmm;
        }
        int s = topology.states();
        boolean[][] mask = new boolean[s][s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                mask[i][j] = i == j || topology.allows(i, j);
            }
        }
        return hmm.topology(Topology.of(mask));
    }

    /** @return the emission family */
    public EmissionKind emissionKind() {
        return hmm.emissionKind();
    }

    @Override
    public String toString() {
        return "SemiMarkov[" + hmm + ", " + family.label() + " durations, Dmax " + maxDuration + "]";
    }
}
