package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.Initializer;
import io.emkit.em.IterationListener;
import io.emkit.em.SearchSpace;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.mixture.RecordingSteps;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fits a hidden Markov model by Baum–Welch (EM) on {@link ExpectationMaximization}: the configuration
 * of a fit, immutable; each setter returns a changed copy. Produces {@link HiddenMarkovModel}s.
 *
 * <pre>{@code
 * EmResult<HiddenMarkovModel> fit = HiddenMarkov.gaussian(3, CovarianceType.FULL)
 *         .initializations(5).seed(42).fit(sequences);
 * }</pre>
 *
 * <p><b>Initialisation.</b> Each start draws from its own random stream (split from the seed):
 * Gaussian emissions from a k-means++ seeding (with a few Lloyd rounds) of all steps pooled;
 * categorical emissions from the symbol frequencies, randomly perturbed per state; Poisson rates from a
 * random step per state blended with the column means. The start distribution is uniform and the
 * transition matrix uniform with a small random perturbation, unless given: a given start distribution
 * or transition matrix is used as is, and its zeros are structural.
 *
 * <p><b>Order of the sequences.</b> The fit first puts the sequences in a {@linkplain Sequences#canonicalOrder()
 * canonical order} (by length, then by content), so the initialisation and the E-step's sums over sequences see
 * the same order whatever order the sequences came in: the same sequences in any order give the same model, bit
 * for bit. (One long sequence and the same steps cut into pieces are different data: the cuts drop transitions
 * and add sequence starts, so those fits differ.)
 *
 * <p><b>Threads.</b> The sequences are the units of the parallel E-step; they are cut into blocks of
 * {@code ceil(n / 64)} sequences (a function of the data only), so the result is the same bit for bit for
 * any thread count. A sequence of 32768 steps or more is also cut, into chunks of 16384 steps (a constant):
 * the emission densities and the posteriors and expected counts run in parallel over chunks, the forward
 * sweep and a backward sweep over the whole sequence run side by side, and the chunks' counts are merged in
 * order, so one long sequence uses several threads with the same result for any thread count.
 */
public final class HiddenMarkov {
    /** How many blocks the sequences are cut into, at most, for the parallel E-step. */
    static final int TARGET_BLOCKS = 64;

    private final int states;
    private final EmissionKind kind;
    private final CovarianceType covarianceType;
    private final int symbols;
    private final int mix;
    private final double regCovar;
    private final double[] start;
    private final double[][] transitions;
    private final boolean fixStart;
    /** Which transitions keep their starting values; null when none do. */
    private final boolean[][] fixedTransitions;
    private final double transitionPrior;
    private final HiddenMarkovModel initialModel;
    private final EmOptions options;
    /** The emission parts Baum–Welch keeps at their starting values. */
    private final java.util.Set<HmmParameter> heldEmission;
    /** The allowed moves and start states; null for no constraint (set only by {@link #carry}). */
    private Topology topology;
    /** The Dirichlet concentration on the start distribution; 1 for none (set only by {@link #carry}). */
    private double startPrior = 1.0;
    /** The prior on Gaussian emissions' means and covariances; null for none (set only by {@link #carry}). */
    private GaussianEmissionPrior emissionPrior;

    private HiddenMarkov(int states, EmissionKind kind, CovarianceType covarianceType, int symbols, int mix,
                         double regCovar,
                         double[] start, double[][] transitions, boolean fixStart, boolean[][] fixedTransitions,
                         double transitionPrior, HiddenMarkovModel initialModel, EmOptions options,
                         java.util.Set<HmmParameter> heldEmission) {
        this.states = states;
        this.kind = kind;
        this.covarianceType = covarianceType;
        this.symbols = symbols;
        this.mix = mix;
        this.regCovar = regCovar;
        this.start = start;
        this.transitions = transitions;
        this.fixStart = fixStart;
        this.fixedTransitions = fixedTransitions;
        this.transitionPrior = transitionPrior;
        this.initialModel = initialModel;
        this.options = options;
        this.heldEmission = heldEmission;
    }

    private static HiddenMarkov create(int states, EmissionKind kind, CovarianceType type, int mix) {
        if (states < 1) {
            throw new EmkitException("the number of states must be at least 1, got " + states);
        }
        if (mix < 1) {
            throw new EmkitException("the number of Gaussians per state must be at least 1, got " + mix);
        }
        return new HiddenMarkov(states, kind, type, 0, mix, GaussianMixture.DEFAULT_REG_COVAR, null, null, false, null,
                1.0, null, EmOptions.defaults(), java.util.Set.of());
    }

    /**
     * @param states the number of hidden states S ≥ 1
     * @param type   the covariance structure of the states' Gaussians
     * @return a configuration with Gaussian emissions
     */
    public static HiddenMarkov gaussian(int states, CovarianceType type) {
        return create(states, EmissionKind.GAUSSIAN, type, 1);
    }

    /**
     * @param states the number of hidden states S ≥ 1
     * @param mix    the number of Gaussians per state M ≥ 1
     * @param type   the covariance structure of the Gaussians
     * @return a configuration with a Gaussian mixture per state
     */
    public static HiddenMarkov gaussianMixture(int states, int mix, CovarianceType type) {
        return create(states, EmissionKind.GAUSSIAN_MIXTURE, type, mix);
    }

    /**
     * @param states the number of hidden states S ≥ 1
     * @return a configuration with categorical emissions over one column of symbols {@code 0..M-1}
     */
    public static HiddenMarkov categorical(int states) {
        return create(states, EmissionKind.CATEGORICAL, null, 1);
    }

    /**
     * @param states the number of hidden states S ≥ 1
     * @return a configuration with multinomial emissions over count vectors (one column per category)
     */
    public static HiddenMarkov multinomial(int states) {
        return create(states, EmissionKind.MULTINOMIAL, null, 1);
    }

    /**
     * @param states the number of hidden states S ≥ 1
     * @return a configuration with independent Poisson emissions per column
     */
    public static HiddenMarkov poisson(int states) {
        return create(states, EmissionKind.POISSON, null, 1);
    }

    private HiddenMarkov with(int symbols, double regCovar, double[] start, double[][] transitions, boolean fixStart,
                              boolean[][] fixedTransitions, double transitionPrior, HiddenMarkovModel initialModel,
                              EmOptions options) {
        return new HiddenMarkov(states, kind, covarianceType, symbols, mix, regCovar, start, transitions, fixStart,
                fixedTransitions, transitionPrior, initialModel, options, heldEmission).carry(this.topology,
                this.startPrior, this.emissionPrior);
    }

    /** This new copy with the settings the long constructor does not take; returns {@code this}. */
    private HiddenMarkov carry(Topology topology, double startPrior, GaussianEmissionPrior emissionPrior) {
        this.topology = topology;
        this.startPrior = startPrior;
        this.emissionPrior = emissionPrior;
        return this;
    }

    private HiddenMarkov copy() {
        return with(symbols, regCovar, start, transitions, fixStart, fixedTransitions, transitionPrior, initialModel,
                options);
    }

    /**
     * Constrains the chain: forbidden transitions and start states are 0 in every initialisation (and in a
     * starting model, whose other entries are scaled to fill the row) and stay 0 through every M-step.
     *
     * @param topology the allowed moves, for this configuration's number of states; {@code null} for none
     * @return a changed copy
     * @throws EmkitException if the topology is for another number of states
     */
    public HiddenMarkov topology(Topology topology) {
        if (topology != null && topology.states() != states) {
            throw new EmkitException("the topology is for " + topology.states() + " states, the model has " + states);
        }
        return copy().carry(topology, startPrior, emissionPrior);
    }

    /**
     * A symmetric Dirichlet prior on the start distribution (hmmlearn's {@code startprob_prior}): with
     * concentration α each allowed start state gets α − 1 pseudo-counts. 1 (the default) is maximum likelihood.
     *
     * @param alpha the concentration, ≥ 1
     * @return a changed copy
     */
    public HiddenMarkov startPrior(double alpha) {
        if (!(alpha >= 1) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("the start prior's concentration must be a finite number >= 1, got "
                    + alpha);
        }
        return copy().carry(topology, alpha, emissionPrior);
    }

    /**
     * A prior on Gaussian emissions' means and covariances (hmmlearn's {@code means_prior}, {@code means_weight},
     * {@code covars_prior}, {@code covars_weight}); only for {@link #gaussian} emissions with full, diag, spherical
     * or tied covariances.
     *
     * @param prior the prior; {@code null} for none
     * @return a changed copy
     * @throws EmkitException for other emissions or covariance structures
     */
    public HiddenMarkov emissionPrior(GaussianEmissionPrior prior) {
        if (prior != null) {
            GaussianEmissionPrior.checkApplies(kind, covarianceType);
        }
        return copy().carry(topology, startPrior, prior);
    }

    /**
     * @param symbols the number of symbols M of categorical emissions; 0 (the default) takes the largest
     *                symbol in the data plus one
     * @return a changed copy
     */
    public HiddenMarkov symbols(int symbols) {
        if (symbols < 0) {
            throw new IllegalArgumentException("the number of symbols must be >= 0, got " + symbols);
        }
        return with(symbols, regCovar, start, transitions, fixStart, fixedTransitions, transitionPrior, initialModel,
                options);
    }

    /**
     * @param regCovar added to Gaussian emission covariance diagonals in every M-step (default 1e-6)
     * @return a changed copy
     */
    public HiddenMarkov regCovar(double regCovar) {
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        return with(symbols, regCovar, start, transitions, fixStart, fixedTransitions, transitionPrior, initialModel,
                options);
    }

    /**
     * The start distribution every initialisation begins from; its zeros stay zero.
     *
     * @param start S probabilities summing to 1
     * @param fixed whether Baum–Welch keeps it as it is
     * @return a changed copy
     */
    public HiddenMarkov startProbabilities(double[] start, boolean fixed) {
        double[] p = HiddenMarkovModel.checkedDistribution(Emission.checkedRow(start, states, "start probabilities"),
                "start probabilities");
        return with(symbols, regCovar, p, transitions, fixed, fixedTransitions, transitionPrior, initialModel, options);
    }

    /**
     * The transition matrix every initialisation begins from; its zeros are structural and stay zero (a
     * left-to-right topology stays left-to-right).
     *
     * @param transitions S rows of S probabilities, each summing to 1
     * @param fixed       whether Baum–Welch keeps all of it as it is; {@code false} re-estimates every entry but
     *                    those {@link #fixedTransitions} names
     * @return a changed copy
     */
    public HiddenMarkov transitions(double[][] transitions, boolean fixed) {
        if (transitions.length != states) {
            throw new EmkitException("the transition matrix has " + transitions.length + " rows, expected " + states);
        }
        double[][] t = new double[states][];
        for (int i = 0; i < states; i++) {
            t[i] = HiddenMarkovModel.checkedDistribution(
                    Emission.checkedRow(transitions[i], states, "transition row " + (i + 1)), "transition row " + (i + 1));
        }
        return with(symbols, regCovar, start, t, fixStart, fixed ? allFixed(states) : fixedTransitions, transitionPrior,
                initialModel, options);
    }

    /**
     * Keeps some transitions at their starting values: entry {@code [i][j]} of the mask fixes {@code i → j}.
     * The values come from the starting transition matrix ({@link #transitions} or {@link #initialModel}), which
     * a fit with fixed entries requires. Baum–Welch re-estimates the other entries of each row and scales them to
     * sum to 1 minus the row's fixed entries (the exact constrained M-step); zeros stay zero.
     *
     * @param fixed S rows of S flags, {@code true} for an entry to keep; {@code null} or all {@code false} for none
     * @return a changed copy
     */
    public HiddenMarkov fixedTransitions(boolean[][] fixed) {
        boolean[][] copy = null;
        if (fixed != null) {
            if (fixed.length != states) {
                throw new EmkitException("the mask of fixed transitions has " + fixed.length + " rows, expected " + states);
            }
            copy = new boolean[states][];
            boolean any = false;
            for (int i = 0; i < states; i++) {
                if (fixed[i].length != states) {
                    throw new EmkitException("row " + (i + 1) + " of the mask of fixed transitions has " + fixed[i].length
                            + " entries, expected " + states);
                }
                copy[i] = fixed[i].clone();
                for (boolean f : fixed[i]) {
                    any |= f;
                }
            }
            copy = any ? copy : null;
        }
        return with(symbols, regCovar, start, transitions, fixStart, copy, transitionPrior, initialModel, options);
    }

    /**
     * Keeps whole parts of the model at their starting values (hmmlearn's {@code params} leaves them out):
     * {@link HmmParameter#START} as {@link #startProbabilities}{@code (π, true)}, {@link HmmParameter#TRANSITIONS}
     * every transition, and the emission parts (means, covariances, mixture weights, symbol probabilities or
     * rates). Each M-step is then the exact maximiser under the constraint, so the likelihood still never
     * decreases, and the fixed parts keep their values bit for bit. The values come from {@link #initialModel},
     * which a fit with fixed parts requires.
     *
     * @param parts the parts to keep; each must be a part of this configuration's emission family
     * @return a changed copy
     * @throws EmkitException if a part is not one of this model's
     */
    public HiddenMarkov fixedParameters(java.util.Set<HmmParameter> parts) {
        java.util.EnumSet<HmmParameter> emissionParts = java.util.EnumSet.noneOf(HmmParameter.class);
        for (HmmParameter p : parts) {
            if (!p.appliesTo(kind)) {
                throw new EmkitException("a hidden Markov model with " + kind + " emissions has no " + p.label()
                        + " to fix; its parts are " + String.join(", ", HmmParameter.of(kind).stream()
                        .map(HmmParameter::label).toList()));
            }
            if (p != HmmParameter.START && p != HmmParameter.TRANSITIONS) {
                emissionParts.add(p);
            }
        }
        return new HiddenMarkov(states, kind, covarianceType, symbols, mix, regCovar, start, transitions,
                fixStart || parts.contains(HmmParameter.START),
                parts.contains(HmmParameter.TRANSITIONS) ? allFixed(states) : fixedTransitions, transitionPrior,
                initialModel, options, emissionParts.isEmpty() ? java.util.Set.of() : emissionParts)
                .carry(topology, startPrior, emissionPrior);
    }

    private static boolean[][] allFixed(int states) {
        boolean[][] all = new boolean[states][states];
        for (boolean[] row : all) {
            Arrays.fill(row, true);
        }
        return all;
    }

    /**
     * A symmetric Dirichlet prior on each transition row (MAP estimation): with concentration α, each
     * allowed transition gets α − 1 pseudo-counts. 1 (the default) is maximum likelihood.
     *
     * @param alpha the concentration, ≥ 1
     * @return a changed copy
     */
    public HiddenMarkov transitionPrior(double alpha) {
        if (!(alpha >= 1) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("the transition prior's concentration must be a finite number >= 1,"
                    + " got " + alpha);
        }
        return with(symbols, regCovar, start, transitions, fixStart, fixedTransitions, alpha, initialModel, options);
    }

    /**
     * Starts from a given model instead of initialising (a warm start; one initialisation).
     *
     * @param model a model with this configuration's number of states and emission family
     * @return a changed copy
     */
    public HiddenMarkov initialModel(HiddenMarkovModel model) {
        if (model.states() != states || model.emission().kind() != kind
                || model.emission() instanceof GaussianMixtureEmission g && g.mixtureComponents() != mix) {
            throw new EmkitException("the initial model has " + model.states() + " states and " + model.emission().kind()
                    + " emissions; expected " + states + " and " + kind);
        }
        return with(symbols, regCovar, start, transitions, fixStart, fixedTransitions, transitionPrior, model, options);
    }

    /**
     * @param options how EM runs (tolerance, iterations, initialisations, seed, threads, listener)
     * @return a changed copy
     */
    public HiddenMarkov options(EmOptions options) {
        return with(symbols, regCovar, start, transitions, fixStart, fixedTransitions, transitionPrior, initialModel,
                options);
    }

    /**
     * @param tolerance converge when the mean log-likelihood per time step changes by less than this
     * @return a changed copy
     */
    public HiddenMarkov tolerance(double tolerance) {
        return options(options.withTolerance(tolerance));
    }

    /**
     * @param maxIterations the most Baum–Welch iterations per initialisation
     * @return a changed copy
     */
    public HiddenMarkov maxIterations(int maxIterations) {
        return options(options.withMaxIterations(maxIterations));
    }

    /**
     * @param initializations how many initialisations; the best final objective wins
     * @return a changed copy
     */
    public HiddenMarkov initializations(int initializations) {
        return options(options.withInitializations(initializations));
    }

    /**
     * @param seed decides every random choice
     * @return a changed copy
     */
    public HiddenMarkov seed(long seed) {
        return options(options.withSeed(seed));
    }

    /**
     * @param threads threads for the E-step; the result does not depend on it
     * @return a changed copy
     */
    public HiddenMarkov threads(int threads) {
        return options(options.withThreads(threads));
    }

    /**
     * @param listener told of every iteration
     * @return a changed copy
     */
    public HiddenMarkov listener(IterationListener listener) {
        return options(options.withListener(listener));
    }

    /** @return the number of states */
    public int states() {
        return states;
    }

    /** @return what is added to Gaussian emission covariance diagonals (ignored by other families) */
    public double regCovarValue() {
        return regCovar;
    }

    /** @return the emission family */
    public EmissionKind emissionKind() {
        return kind;
    }

    /** @return the allowed moves and start states, or {@code null} for no constraint */
    public Topology topology() {
        return topology;
    }

    /** @return the EM options */
    public EmOptions options() {
        return options;
    }

    /** @return the E- and M-step this configuration runs */
    public BaumWelchSteps steps() {
        return new BaumWelchSteps(regCovar, fixStart, fixedTransitions, transitionPrior, heldEmission)
                .withPriors(startPrior, emissionPrior);
    }

    /**
     * Fits the model to the sequences.
     *
     * @param data the sequences; values must lie in the emission family's support
     * @return the best run's model (named after the data's columns) and how the fit went
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<HiddenMarkovModel> fit(Sequences data) {
        check(data);
        return fitCanonical(data.canonicalOrder(), null, null, 0);
    }

    /**
     * Semi-supervised Baum–Welch: the states of some time steps are known ({@link BaumWelchSteps#withKnownStates}).
     * The sequences are fitted in the order given (their rows are numbered as {@code known} numbers them), from the
     * same starts as {@link #fit}; the objective is the log-likelihood of the sequences with their known states.
     *
     * @param data  the sequences
     * @param known which states each step (global row) may be in
     * @return the best run's model and how the fit went
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<HiddenMarkovModel> fitWithKnownStates(Sequences data, io.emkit.mixture.ComponentRestriction known) {
        check(data);
        return fitCanonical(data, java.util.Objects.requireNonNull(known, "known"), null, 0);
    }

    /**
     * Fits the model with its E-steps run by another engine — Spark, for instance — through the same loop as
     * {@link #fit(Sequences)}: the engine holds the sequences, runs {@link BaumWelchSteps#expectation} on each
     * of its parts and merges the statistics; the initialisation looks only at {@code sample}. When the sample is
     * every sequence, the fit starts exactly where {@link #fit(Sequences)} of the same sequences starts (in any
     * order: both put them in {@link Sequences#canonicalOrder()}).
     *
     * @param runner     one E-step over all the sequences, the statistics merged
     * @param totalSteps how many time steps the sequences hold (the convergence test's per-step mean divides by it)
     * @param sample     sequences to initialise from and check (values in the emission's support)
     * @return the best run's model and how the fit went, as {@link #fit(Sequences)} returns them
     * @throws EmkitException if the sample cannot be fitted
     */
    public EmResult<HiddenMarkovModel> fit(io.emkit.em.ExpectationRunner<HiddenMarkovModel, HmmStatistics> runner,
                                           long totalSteps, Sequences sample) {
        check(sample);
        return fitCanonical(sample.canonicalOrder(), null, java.util.Objects.requireNonNull(runner, "runner"),
                totalSteps);
    }

    /**
     * As {@link #fit(io.emkit.em.ExpectationRunner, long, Sequences)} for E-steps with known states (the runner's):
     * the sample is taken in the order given, as {@link #fitWithKnownStates(Sequences,
     * io.emkit.mixture.ComponentRestriction)} takes its sequences, so that the starts are that fit's.
     *
     * @param runner     one E-step over all the sequences with their known states, the statistics merged
     * @param totalSteps how many time steps the sequences hold
     * @param sample     sequences to initialise from and check, in the order the single-machine fit takes them
     * @return the best run's model and how the fit went
     * @throws EmkitException if the sample cannot be fitted
     */
    public EmResult<HiddenMarkovModel> fitWithKnownStates(
            io.emkit.em.ExpectationRunner<HiddenMarkovModel, HmmStatistics> runner, long totalSteps, Sequences sample) {
        check(sample);
        return fitCanonical(sample, null, java.util.Objects.requireNonNull(runner, "runner"), totalSteps);
    }

    /**
     * This fit with its E-steps run by another engine over sequences it holds (Spark, in emkit-spark): each step
     * of the engine's sequences is its observations, and each part's E-step is {@link BaumWelchSteps#expectation};
     * the loop is {@link #fit(io.emkit.em.ExpectationRunner, long, Sequences)}'s.
     *
     * @return the plan
     */
    public io.emkit.em.DistributedFit.OverSequences<HiddenMarkovModel, HmmStatistics> distributed() {
        return new io.emkit.em.DistributedFit.OverSequences<>(new ForwardBackward(),
                (runner, extent, sample) -> fit(runner, extent.steps(), sample), options.seed());
    }

    /** The E-step of a part of the sequences: forward–backward on each, as on this machine. */
    private static final class ForwardBackward
            implements io.emkit.em.DistributedFit.OverSequences.Kernel<HiddenMarkovModel, HmmStatistics> {
        private static final long serialVersionUID = 1L;

        @Override
        public HmmStatistics emptyStatistics(HiddenMarkovModel params) {
            return HmmStatistics.of(params);
        }

        @Override
        public double accumulate(HiddenMarkovModel params, Sequences sequences, long firstStep, HmmStatistics stats) {
            return BaumWelchSteps.expectation(params, sequences, 0, sequences.count(), stats);
        }
    }

    private void check(Sequences data) {
        int[] bad = data.firstViolation(kind::violation);
        if (bad != null) {
            int q = data.sequenceOf(bad[0]);
            throw new EmkitException("sequence " + (q + 1) + ", step " + (bad[0] - data.start(q) + 1) + ", column "
                    + (bad[1] + 1) + " ('" + data.featureNames().get(bad[1]) + "'): "
                    + kind.violation(data.rawValues()[bad[0] * data.dimension() + bad[1]]) + " for " + kind
                    + " emissions");
        }
        if (kind == EmissionKind.CATEGORICAL && data.dimension() != 1) {
            throw new EmkitException("categorical emissions take one column of symbols, the data have "
                    + data.dimension());
        }
        if (!heldEmission.isEmpty() && initialModel == null) {
            throw new EmkitException("fixed emission parts keep their starting values: give a starting model");
        }
        if (fixedTransitions != null && transitions == null && initialModel == null) {
            throw new EmkitException("fixed transitions keep their starting values: give the transition matrix or a"
                    + " starting model");
        }
    }

    /**
     * Fits sequences already in {@link Sequences#canonicalOrder()}, so nothing depends on the order given (or, with
     * known states, in the order given); with a {@code runner}, {@code data} is the sample the starts look at and
     * the runner's E-steps cover {@code totalSteps} steps.
     */
    private EmResult<HiddenMarkovModel> fitCanonical(Sequences data, io.emkit.mixture.ComponentRestriction known,
                                                     io.emkit.em.ExpectationRunner<HiddenMarkovModel, HmmStatistics> runner,
                                                     long totalSteps) {
        Initializer<Sequences, HiddenMarkovModel> init;
        EmOptions runOptions = options.withBlockSize(Math.max(1, (data.count() + TARGET_BLOCKS - 1) / TARGET_BLOCKS));
        if (initialModel != null) {
            if (initialModel.dimension() != data.dimension()) {
                throw new EmkitException("the initial model has " + initialModel.dimension() + " features, the data "
                        + data.dimension());
            }
            HiddenMarkovModel named = initialModel.withFeatureNames(data.featureNames());
            HiddenMarkovModel first = topology == null ? named : topology.applyTo(named);
            init = (d, r) -> first;
            runOptions = runOptions.withInitializations(1);
        } else {
            init = this::initialModel;
        }
        // One forward-backward step costs about T·S² for the recursions and T·S·D² for the emissions.
        int d = data.dimension();
        // (times 10: exponentials, logarithms and the recursions cost far more per operation than a mixture's E-step).
        double cost = 10.0 * data.totalLength() * states * (states + (double) d * d * Math.max(mix, 1));
        Initializer<Sequences, HiddenMarkovModel> first = init;
        // A state's Gaussian can collapse onto steps recorded alike (Old Faithful's waiting times, whole minutes, as
        // one sequence: with 3 states one sat on the 77s, variance 1e-6, 54 nats above the proper fit, and the
        // search took it): such fits rank last, as a mixture's do, and the answer says so when it is one.
        RecordingSteps recordingSteps = RecordingSteps.of(Dataset.wrap(data.rawValues(),
                data.totalLength(), data.dimension(), data.featureNames()));
        java.util.function.Function<HiddenMarkovModel, String> collapsed = m -> emissionPrior != null
                || !(kind == EmissionKind.GAUSSIAN || kind == EmissionKind.GAUSSIAN_MIXTURE) ? null
                : recordingSteps.reason(s -> collapsedEmission(m, s));
        SearchSpace<HiddenMarkovModel> space = SearchSpace.of(initialModel != null ? "warm start" : "seeded",
                r -> first.initialize(data, r), runner == null ? cost : cost * ((double) totalSteps / data.totalLength()),
                false, m -> collapsed.apply(m) != null);
        EmResult<HiddenMarkovModel> result = runner == null
                ? ExpectationMaximization.fit(steps().withKnownStates(known), data, space, runOptions)
                : ExpectationMaximization.fit(steps(), runner, (double) totalSteps, space, runOptions);
        String reason = collapsed.apply(result.params());
        return reason == null ? result : result.withWarning(reason);
    }

    /**
     * Why a Gaussian emission has collapsed ({@link GaussianMixtureModel#spuriousReason(double, double[])}: a variance
     * held up by regCovar alone, below what rounding to a column's recording step adds, or along some direction below
     * an eighth of what rounding adds there), naming the state (and for mixture emissions the state's component), or
     * null.
     */
    private String collapsedEmission(HiddenMarkovModel m, double[] recordingSteps) {
        GaussianMixtureModel gaussians = m.emission() instanceof GaussianEmission g ? g.gaussians()
                : ((GaussianMixtureEmission) m.emission()).gaussians();
        String reason = gaussians.spuriousReason(regCovar, recordingSteps);
        if (reason == null) {
            return null;
        }
        java.util.regex.Matcher part = java.util.regex.Pattern.compile("component (\\d+) \\(weight [^)]*\\)")
                .matcher(reason);
        if (!part.find()) {
            return reason;
        }
        int c = Integer.parseInt(part.group(1)) - 1;
        String which = kind == EmissionKind.GAUSSIAN ? "state " + (c + 1)
                : "state " + (c / mix + 1) + "'s Gaussian " + (c % mix + 1);
        return reason.substring(0, part.start()) + which + reason.substring(part.end());
    }

    private HiddenMarkovModel initialModel(Sequences data, SplittableRandom random) {
        double[] pi;
        if (start != null) {
            pi = start.clone();
        } else {
            pi = new double[states];
            Arrays.fill(pi, 1.0);
        }
        if (topology != null) {
            pi = Topology.restricted(pi, topology.startMask(), "the start distribution");
        } else if (start == null) {
            Arrays.fill(pi, 1.0 / states);
        }
        double[] a = new double[states * states];
        if (transitions != null) {
            for (int i = 0; i < states; i++) {
                System.arraycopy(transitions[i], 0, a, i * states, states);
            }
        } else {
            for (int i = 0; i < states; i++) {
                double sum = 0;
                for (int j = 0; j < states; j++) {
                    // Drawn for every entry, allowed or not, so a topology changes only which entries are kept.
                    double w = 1.0 + 0.2 * random.nextDouble();
                    a[i * states + j] = topology == null || topology.allows(i, j) ? w : 0.0;
                    sum += a[i * states + j];
                }
                for (int j = 0; j < states; j++) {
                    a[i * states + j] /= sum;
                }
            }
        }
        if (topology != null && transitions != null) {
            for (int i = 0; i < states; i++) {
                System.arraycopy(Topology.restricted(transitions[i], topology.row(i), "transition row " + (i + 1)), 0,
                        a, i * states, states);
            }
        }
        Emission emission = switch (kind) {
            case GAUSSIAN -> initialGaussian(data, random);
            case GAUSSIAN_MIXTURE -> initialGaussianMixture(data, random);
            case CATEGORICAL -> initialCategorical(data, random);
            case POISSON -> initialPoisson(data, random);
            case MULTINOMIAL -> initialMultinomial(data, random);
        };
        return HiddenMarkovModel.ofFlat(pi, a, emission);
    }

    private Emission initialGaussian(Sequences data, SplittableRandom random) {
        Dataset pooled = Dataset.wrap(data.rawValues(), data.totalLength(), data.dimension(), data.featureNames());
        GaussianMixtureModel seeded = GaussianMixture.withComponents(states).covarianceType(covarianceType)
                .regCovar(regCovar).initializations(1).maxIterations(0).threads(1).seed(random.nextLong()).fit(pooled)
                .params();
        return GaussianEmission.of(seeded);
    }

    /**
     * Each state's Gaussian from the k-means++ seeding, split into M Gaussians with the state's
     * covariance, their means moved apart by half a standard deviation in random directions.
     */
    private Emission initialGaussianMixture(Sequences data, SplittableRandom random) {
        GaussianMixtureModel g = ((GaussianEmission) initialGaussian(data, random)).gaussians();
        int d = data.dimension();
        int k = states * mix;
        double[][] means = new double[k][];
        double[][] w = new double[states][mix];
        for (int s = 0; s < states; s++) {
            double[] mu = g.mean(s);
            double[][] cov = g.covariance(s);
            Arrays.fill(w[s], 1.0 / mix);
            for (int c = 0; c < mix; c++) {
                means[s * mix + c] = new double[d];
                for (int j = 0; j < d; j++) {
                    means[s * mix + c][j] = mu[j] + (mix == 1 ? 0.0 : 0.5 * Math.sqrt(cov[j][j]) * random.nextGaussian());
                }
            }
        }
        double[] eq = GaussianEmission.equal(k);
        Object cov = g.covarianceParameters();
        GaussianMixtureModel components = switch (covarianceType) {
            case FULL -> {
                double[][][] c = new double[k][][];
                for (int i = 0; i < k; i++) {
                    c[i] = ((double[][][]) cov)[i / mix];
                }
                yield GaussianMixtureModel.full(eq, means, c);
            }
            case DIAG -> {
                double[][] c = new double[k][];
                for (int i = 0; i < k; i++) {
                    c[i] = ((double[][]) cov)[i / mix];
                }
                yield GaussianMixtureModel.diag(eq, means, c);
            }
            case SPHERICAL -> {
                double[] c = new double[k];
                for (int i = 0; i < k; i++) {
                    c[i] = ((double[]) cov)[i / mix];
                }
                yield GaussianMixtureModel.spherical(eq, means, c);
            }
            case TIED -> GaussianMixtureModel.tied(eq, means, (double[][]) cov);
            default -> {
                double[][][] c = new double[k][][];
                for (int i = 0; i < k; i++) {
                    c[i] = ((double[][][]) cov)[i / mix];
                }
                yield GaussianMixtureModel.of(covarianceType, eq, means, c);
            }
        };
        return GaussianMixtureEmission.of(w, components.withFeatureNames(data.featureNames()));
    }

    private Emission initialCategorical(Sequences data, SplittableRandom random) {
        double[] x = data.rawValues();
        int max = 0;
        for (double v : x) {
            max = Math.max(max, (int) v);
        }
        int m = symbols > 0 ? symbols : max + 1;
        if (max >= m) {
            throw new EmkitException("the data hold symbol " + max + " but the model has " + m + " symbols (0.."
                    + (m - 1) + ")");
        }
        double[] freq = new double[m];
        for (double v : x) {
            freq[(int) v]++;
        }
        return CategoricalEmission.of(perturbedRows(freq, random)).withFeatureNames(data.featureNames());
    }

    /** Per state, {@code (counts + 1)} scaled by a random factor in [0.5, 1.5) per entry, normalised. */
    private double[][] perturbedRows(double[] counts, SplittableRandom random) {
        int m = counts.length;
        double[][] p = new double[states][m];
        for (int s = 0; s < states; s++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                p[s][j] = (counts[j] + 1.0) * (0.5 + random.nextDouble());
                sum += p[s][j];
            }
            for (int j = 0; j < m; j++) {
                p[s][j] /= sum;
            }
        }
        return p;
    }

    /** Each state's category probabilities from the pooled counts, randomly perturbed per state. */
    private Emission initialMultinomial(Sequences data, SplittableRandom random) {
        int m = data.dimension();
        int n = data.totalLength();
        double[] x = data.rawValues();
        double[] totals = new double[m];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < m; j++) {
                totals[j] += x[t * m + j];
            }
        }
        return MultinomialEmission.of(perturbedRows(totals, random), MultinomialEmission.commonTotal(x, n, m))
                .withFeatureNames(data.featureNames());
    }

    private Emission initialPoisson(Sequences data, SplittableRandom random) {
        int d = data.dimension();
        int n = data.totalLength();
        double[] x = data.rawValues();
        double[] mean = new double[d];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[t * d + j] / n;
            }
        }
        double[][] rates = new double[states][d];
        for (int s = 0; s < states; s++) {
            int t = random.nextInt(n);
            for (int j = 0; j < d; j++) {
                rates[s][j] = 0.5 * x[t * d + j] + 0.5 * mean[j] + 1e-3;
            }
        }
        return PoissonEmission.of(rates).withFeatureNames(data.featureNames());
    }

    @Override
    public String toString() {
        return "HiddenMarkov[" + states + " states, " + kind + (covarianceType == null ? "" : " " + covarianceType)
                + ", " + options + "]";
    }

}
