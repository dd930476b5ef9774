package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.EmkitException;
import io.emkit.em.EmSteps;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Baum–Welch as EM's two steps: the E-step runs the scaled forward–backward pass over each sequence
 * (a unit) and adds its expected counts; the M-step normalises them. A sequence of at least 32768 steps is
 * cut into chunks of 16384 steps whose work runs on several threads of the engine's pool (emissions and
 * posteriors in parallel over chunks, the forward and a backward sweep side by side), with the same
 * log-likelihood and expected counts up to rounding; shorter ones run in one piece.
 *
 * <p>Options: the start distribution may be kept fixed, and so may any set of entries of the transition
 * matrix (all of it, or a mask). A fixed entry keeps its value; the free entries of a row are re-estimated and
 * scaled to fill what the row's fixed entries leave, {@code A_ij = (1 − Σ_fixed A_ik) · w_ij / Σ_free w_ik},
 * which is the exact maximiser of the expected complete-data log-likelihood under the constraint. A
 * The emissions' parts (means, covariances, mixture weights, symbol probabilities, rates) may be held too:
 * fixed means make the covariances the scatter about them, fixed covariances keep their bits while the means
 * move, each the exact constrained maximiser. A
 * symmetric Dirichlet prior with concentration {@code α ≥ 1} on each transition row makes the M-step a MAP
 * estimate ({@code w_ij = n_ij + α − 1}, else {@code w_ij = n_ij}), and the objective EM watches is then the
 * log posterior (up to a constant). Transitions at exactly 0 are structural and stay 0.
 */
public final class BaumWelchSteps implements EmSteps.OfSequences<HiddenMarkovModel, HmmStatistics> {
    /**
     * Steps per chunk when one long sequence's E-step is split across threads. A constant, so that the chunks,
     * and with them the result, do not depend on the number of threads.
     */
    public static final int CHUNK_STEPS = 1 << 14;
    /**
     * Sequences at least this long are split into chunks; shorter ones run in one piece on one thread. The
     * input–output HMM's E-step follows the same rule.
     */
    public static final int CHUNKED_FROM = 2 * CHUNK_STEPS;

    private final double regCovar;
    private final boolean fixStart;
    /** S × S, flattened: which transitions keep their values; null when none do. */
    private final boolean[] fixedTransitions;
    private final double transitionPrior;
    /** The emission parts every M-step keeps as they are. */
    private final java.util.Set<HmmParameter> heldEmission;
    /** The Dirichlet concentration on the start distribution (set only by {@link #withPriors}). */
    private double startPrior = 1.0;
    /** The prior on Gaussian emissions, or null (set only by {@link #withPriors}). */
    private GaussianEmissionPrior emissionPrior;
    /** Which states each step (global row) may be in, or null for any (set only by {@link #withKnownStates}). */
    private io.emkit.mixture.ComponentRestriction known;

    /**
     * @param regCovar        added to Gaussian emission covariance diagonals (ignored by other emissions)
     * @param fixStart        keep the start distribution as it is
     * @param fixedTransitions which entries of the S × S transition matrix keep their values ({@code true}),
     *                        or {@code null} when all are re-estimated
     * @param transitionPrior the Dirichlet concentration α ≥ 1 on each transition row; 1 is maximum likelihood
     */
    public BaumWelchSteps(double regCovar, boolean fixStart, boolean[][] fixedTransitions, double transitionPrior) {
        this(regCovar, fixStart, fixedTransitions, transitionPrior, java.util.Set.of());
    }

    /**
     * @param regCovar         added to Gaussian emission covariance diagonals (ignored by other emissions)
     * @param fixStart         keep the start distribution as it is
     * @param fixedTransitions which entries of the S × S transition matrix keep their values ({@code true}),
     *                         or {@code null} when all are re-estimated
     * @param transitionPrior  the Dirichlet concentration α ≥ 1 on each transition row; 1 is maximum likelihood
     * @param heldEmission     the emission parts to keep as they are ({@link HmmParameter#MEANS},
     *                         {@link HmmParameter#COVARIANCES}, ...); {@code START} and {@code TRANSITIONS} are
     *                         not emission parts and are refused here
     * @throws IllegalArgumentException if an argument is out of range
     */
    public BaumWelchSteps(double regCovar, boolean fixStart, boolean[][] fixedTransitions, double transitionPrior,
                          java.util.Set<HmmParameter> heldEmission) {
        if (heldEmission.contains(HmmParameter.START) || heldEmission.contains(HmmParameter.TRANSITIONS)) {
            throw new IllegalArgumentException("start and transitions are not emission parts: hold them with fixStart"
                    + " and fixedTransitions");
        }
        this.heldEmission = heldEmission.isEmpty() ? java.util.Set.of() : java.util.EnumSet.copyOf(heldEmission);
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        if (!(transitionPrior >= 1) || Double.isInfinite(transitionPrior)) {
            throw new IllegalArgumentException("the transition prior's concentration must be a finite number >= 1, got "
                    + transitionPrior);
        }
        this.regCovar = regCovar;
        this.fixStart = fixStart;
        this.fixedTransitions = flatMask(fixedTransitions);
        this.transitionPrior = transitionPrior;
    }

    /**
     * These steps with MAP priors on the start distribution and on Gaussian emissions: the start gets
     * {@code α − 1} pseudo-counts per allowed state, as the transition rows do, and the emissions' M-step becomes
     * {@link GaussianEmissionPrior}'s. The objective EM watches is then the log posterior (up to a constant).
     *
     * @param startAlpha    the Dirichlet concentration α ≥ 1 on the start distribution; 1 is none
     * @param emissionPrior the prior on Gaussian emissions' means and covariances, or {@code null} for none
     * @return new steps
     * @throws IllegalArgumentException if α is out of range
     */
    public BaumWelchSteps withPriors(double startAlpha, GaussianEmissionPrior emissionPrior) {
        if (!(startAlpha >= 1) || Double.isInfinite(startAlpha)) {
            throw new IllegalArgumentException("the start prior's concentration must be a finite number >= 1, got "
                    + startAlpha);
        }
        boolean[][] mask = null;
        if (fixedTransitions != null) {
            int s = (int) Math.round(Math.sqrt(fixedTransitions.length));
            mask = new boolean[s][s];
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    mask[i][j] = fixedTransitions[i * s + j];
                }
            }
        }
        BaumWelchSteps out = new BaumWelchSteps(regCovar, fixStart, mask, transitionPrior, heldEmission);
        out.startPrior = startAlpha;
        out.emissionPrior = emissionPrior;
        out.known = known;
        return out;
    }

    /**
     * These steps with the states of some time steps known (semi-supervised Baum–Welch): at a step of known state
     * the forward–backward pass allows only the states {@code states} allows there, so the objective becomes the
     * log-likelihood of the sequences together with what is known of their states,
     * {@code log Σ over the paths through the known states of P(path, x)}, which EM never lowers.
     *
     * @param states which states each step may be in, rows numbered as the sequences' global rows
     *               ({@link Sequences#start}); {@code null} for none known
     * @return new steps
     */
    public BaumWelchSteps withKnownStates(io.emkit.mixture.ComponentRestriction states) {
        BaumWelchSteps out = withPriors(startPrior, emissionPrior);
        out.known = states;
        return out;
    }

    private static boolean[] flatMask(boolean[][] mask) {
        if (mask == null) {
            return null;
        }
        int s = mask.length;
        boolean[] flat = new boolean[s * s];
        for (int i = 0; i < s; i++) {
            if (mask[i].length != s) {
                throw new IllegalArgumentException("the mask of fixed transitions must be square, row " + (i + 1)
                        + " has " + mask[i].length + " entries for " + s + " states");
            }
            for (int j = 0; j < s; j++) {
                flat[i * s + j] = mask[i][j];
            }
        }
        return flat;
    }

    /** @return whether the start distribution, some transitions or some emission parts are held fixed */
    public boolean holdsParameters() {
        return fixStart || fixedTransitions != null || !heldEmission.isEmpty();
    }

    @Override
    public HmmStatistics emptyStatistics(HiddenMarkovModel params) {
        return HmmStatistics.of(params);
    }

    @Override
    public double accumulate(HiddenMarkovModel params, Sequences data, int from, int to, HmmStatistics stats) {
        return expectation(params, data, from, to, stats, known);
    }

    /**
     * The E-step over sequences {@code [from, to)} of {@code data}: forward–backward on each, its expected counts
     * added to {@code stats}. It depends on the parameters alone (the configuration — priors, fixed parts,
     * regularisation — enters the M-step only), so another engine's workers run it on the sequences they hold
     * with statistics from {@link HmmStatistics#of}, and the merged statistics go to this configuration's M-step
     * ({@link HiddenMarkov#fit(io.emkit.em.ExpectationRunner, long, Sequences)}).
     *
     * @param params the current parameters
     * @param data   sequences
     * @param from   the first sequence
     * @param to     one past the last sequence
     * @param stats  where to add
     * @return the sequences' log-likelihood, summed ({@code -∞} if one is impossible under {@code params})
     */
    public static double expectation(HiddenMarkovModel params, Sequences data, int from, int to, HmmStatistics stats) {
        return expectation(params, data, from, to, stats, null);
    }

    /** {@link #expectation(HiddenMarkovModel, Sequences, int, int, HmmStatistics)} with the steps' known states, if any. */
    private static double expectation(HiddenMarkovModel params, Sequences data, int from, int to, HmmStatistics stats,
                                      io.emkit.mixture.ComponentRestriction known) {
        double ll = 0;
        double[] x = data.rawValues();
        for (int q = from; q < to; q++) {
            int t0 = data.start(q);
            int t1 = t0 + data.length(q);
            if (data.length(q) >= CHUNKED_FROM) {
                double lq = params.accumulateChunked(x, t0, t1, CHUNK_STEPS, stats, known);
                if (lq == Double.NEGATIVE_INFINITY) {
                    return Double.NEGATIVE_INFINITY;
                }
                ll += lq;
                continue;
            }
            double[] gamma = new double[(t1 - t0) * params.states()];
            double lq = params.forwardBackward(x, t0, t1, gamma, stats.transitions, stats.start, known);
            if (lq == Double.NEGATIVE_INFINITY) {
                return Double.NEGATIVE_INFINITY;
            }
            stats.emission.add(x, t0, t1, gamma);
            ll += lq;
        }
        return ll;
    }

    @Override
    public HiddenMarkovModel maximize(HmmStatistics stats, HiddenMarkovModel previous, Consumer<String> warnings) {
        int s = stats.s;
        double[] start = previous.flatStart();
        if (!fixStart) {
            start = normalized(stats.start, 0, s, start, 0, startPrior);
            if (start == null) {
                throw new EmkitException("no sequence has a start state with positive probability");
            }
        }
        double[] prev = previous.flatTransitions();
        if (fixedTransitions != null && prev.length != fixedTransitions.length) {
            throw new EmkitException("the mask of fixed transitions is for " + (int) Math.sqrt(fixedTransitions.length)
                    + " states, the model has " + s);
        }
        double[] trans = new double[s * s];
        for (int i = 0; i < s; i++) {
            double[] row = constrainedRow(stats.transitions, prev, i * s, s);
            if (row == null) {
                row = java.util.Arrays.copyOfRange(prev, i * s, (i + 1) * s);
                if (transitionPrior == 1.0) {
                    warnings.accept(String.format(Locale.ROOT, "state %d is never left (no expected transitions"
                            + " out of it); its transition row keeps its last values", i + 1));
                }
            }
            System.arraycopy(row, 0, trans, i * s, s);
        }
        Emission emission = emissionPrior != null && previous.emission() instanceof GaussianEmission g
                ? g.maximizeWithPrior(stats.emission, emissionPrior, regCovar, heldEmission)
                : previous.emission().maximizeHolding(stats.emission, regCovar, heldEmission, warnings);
        return HiddenMarkovModel.ofFlat(start, trans, emission);
    }

    /**
     * One transition row's constrained M-step: fixed entries (and structural zeros) keep their previous values,
     * the free ones share {@code 1 − Σ fixed} in proportion to {@code counts + α − 1}. A row without free
     * entries is returned as it was; {@code null} if the free entries' total is not positive.
     */
    private double[] constrainedRow(double[] counts, double[] prev, int o, int s) {
        if (fixedTransitions == null) {
            return normalized(counts, o, s, prev, o, transitionPrior);
        }
        double fixedSum = 0;
        boolean anyFree = false;
        boolean[] fixedHere = new boolean[s];
        for (int j = 0; j < s; j++) {
            fixedHere[j] = fixedTransitions[o + j];
            if (fixedHere[j]) {
                fixedSum += prev[o + j];
            } else if (prev[o + j] > 0) {
                anyFree = true;
            }
        }
        double[] row = java.util.Arrays.copyOfRange(prev, o, o + s);
        if (!anyFree) {
            return row;
        }
        double[] freePrev = row.clone();
        for (int j = 0; j < s; j++) {
            if (fixedHere[j]) {
                freePrev[j] = 0;
            }
        }
        double[] free = normalized(counts, o, s, freePrev, 0, transitionPrior);
        if (free == null) {
            return null;
        }
        double room = Math.max(0.0, 1.0 - fixedSum);
        for (int j = 0; j < s; j++) {
            if (!fixedHere[j]) {
                row[j] = room * free[j];
            }
        }
        return row;
    }

    /**
     * {@code (counts + α − 1) / total} over the entries whose previous value is non-zero (a zero stays zero, as
     * topologies and masks need); {@code null} if the total is not positive. The M-step of a start distribution
     * or a transition row, for the semi-Markov model's too (with {@code α = 1}, no prior).
     *
     * @param counts the expected counts
     * @param co     where the row starts in {@code counts}
     * @param s      the row's length
     * @param prev   the previous probabilities
     * @param po     where the row starts in {@code prev}
     * @param alpha  the Dirichlet prior's concentration (1: none)
     * @return the new row, or {@code null}
     */
    public static double[] normalized(double[] counts, int co, int s, double[] prev, int po, double alpha) {
        double[] out = new double[s];
        double total = 0;
        for (int j = 0; j < s; j++) {
            if (prev[po + j] > 0) {
                out[j] = Math.max(0.0, counts[co + j]) + (alpha - 1.0);
                total += out[j];
            }
        }
        if (!(total > 0)) {
            return null;
        }
        for (int j = 0; j < s; j++) {
            out[j] /= total;
        }
        return out;
    }

    /**
     * The log density of the priors without their normalising constants: the Dirichlet ones on the start
     * distribution and the transition rows, {@code Σ (α − 1) log p} over the non-zero entries, and the Gaussian
     * emissions' ({@link GaussianEmissionPrior#logDensity}).
     */
    @Override
    public double logPrior(HiddenMarkovModel params) {
        double lp = dirichlet(params.flatTransitions(), transitionPrior) + dirichlet(params.flatStart(), startPrior);
        if (emissionPrior != null && params.emission() instanceof GaussianEmission g) {
            lp += emissionPrior.logDensity(g.gaussians());
        }
        return lp;
    }

    private static double dirichlet(double[] p, double alpha) {
        if (alpha == 1.0) {
            return 0.0;
        }
        double lp = 0;
        for (double a : p) {
            if (a > 0) {
                lp += (alpha - 1.0) * Math.log(a);
            }
        }
        return lp;
    }

    @Override
    public int parameterCount(HiddenMarkovModel params) {
        int count = params.parameterCount() - params.emission().heldParameterCount(heldEmission);
        int s = params.states();
        if (fixStart) {
            count -= StateSequenceModel.freeParameters(params.flatStart(), 0, params.states());
        }
        if (fixedTransitions != null) {
            // A row's transitions have (free non-zero entries − 1) degrees of freedom, fewer if none are free.
            double[] a = params.flatTransitions();
            for (int i = 0; i < s; i++) {
                int nonZero = 0;
                int free = 0;
                for (int j = 0; j < s; j++) {
                    if (a[i * s + j] > 0) {
                        nonZero++;
                        if (!fixedTransitions[i * s + j]) {
                            free++;
                        }
                    }
                }
                count -= Math.max(0, nonZero - 1) - Math.max(0, free - 1);
            }
        }
        return count;
    }

    /**
     * @return the parameters as a vector for SQUAREM ({@link HmmParameterVector}), or {@code null} (plain EM)
     *         when transitions, the start distribution or emission parts are held fixed: an extrapolated point would move a
     *         fixed entry off its value
     */
    @Override
    public io.emkit.em.ParameterVector<HiddenMarkovModel> parameterVector() {
        return fixedTransitions != null || fixStart || !heldEmission.isEmpty() ? null : HmmParameterVector.INSTANCE;
    }
}
