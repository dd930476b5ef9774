package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.em.EmSteps;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Baum–Welch as EM's two steps: the E-step runs the scaled forward–backward pass over each sequence
 * (a unit) and adds its expected counts; the M-step normalises them.
 *
 * <p>Options: the start distribution and/or the transition matrix may be kept fixed; a symmetric
 * Dirichlet prior with concentration {@code α ≥ 1} on each transition row makes the M-step a MAP
 * estimate ({@code A_ij ∝ n_ij + α − 1} over the row's allowed entries), and the objective EM watches is
 * then the log posterior (up to a constant). Transitions at exactly 0 are structural and stay 0.
 */
public final class BaumWelchSteps implements EmSteps<Sequences, HiddenMarkovModel, HmmStatistics> {
    private final double regCovar;
    private final boolean fixStart;
    private final boolean fixTransitions;
    private final double transitionPrior;

    /**
     * @param regCovar        added to Gaussian emission covariance diagonals (ignored by other emissions)
     * @param fixStart        keep the start distribution as it is
     * @param fixTransitions  keep the transition matrix as it is
     * @param transitionPrior the Dirichlet concentration α ≥ 1 on each transition row; 1 is maximum likelihood
     */
    public BaumWelchSteps(double regCovar, boolean fixStart, boolean fixTransitions, double transitionPrior) {
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        if (!(transitionPrior >= 1) || Double.isInfinite(transitionPrior)) {
            throw new IllegalArgumentException("the transition prior's concentration must be a finite number >= 1, got "
                    + transitionPrior);
        }
        this.regCovar = regCovar;
        this.fixStart = fixStart;
        this.fixTransitions = fixTransitions;
        this.transitionPrior = transitionPrior;
    }

    @Override
    public int size(Sequences data) {
        return data.count();
    }

    /** The convergence test watches the mean log-likelihood per time step. */
    @Override
    public double normalizer(Sequences data) {
        return data.totalLength();
    }

    @Override
    public HmmStatistics emptyStatistics(HiddenMarkovModel params) {
        return new HmmStatistics(params.states(), params.emission().newStatistics());
    }

    @Override
    public double accumulate(HiddenMarkovModel params, Sequences data, int from, int to, HmmStatistics stats) {
        double ll = 0;
        double[] x = data.rawValues();
        for (int q = from; q < to; q++) {
            int t0 = data.start(q);
            int t1 = t0 + data.length(q);
            double[] gamma = new double[(t1 - t0) * params.states()];
            double lq = params.forwardBackward(x, t0, t1, gamma, stats.transitions, stats.start);
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
            start = normalized(stats.start, 0, s, start, 0, 1.0);
            if (start == null) {
                throw new EmkitException("no sequence has a start state with positive probability");
            }
        }
        double[] prev = previous.flatTransitions();
        double[] trans = prev;
        if (!fixTransitions) {
            trans = new double[s * s];
            for (int i = 0; i < s; i++) {
                double[] row = normalized(stats.transitions, i * s, s, prev, i * s, transitionPrior);
                if (row == null) {
                    row = java.util.Arrays.copyOfRange(prev, i * s, (i + 1) * s);
                    if (transitionPrior == 1.0) {
                        warnings.accept(String.format(Locale.ROOT, "state %d is never left (no expected transitions"
                                + " out of it); its transition row keeps its last values", i + 1));
                    }
                }
                System.arraycopy(row, 0, trans, i * s, s);
            }
        }
        Emission emission = previous.emission().maximize(stats.emission, regCovar, warnings);
        return HiddenMarkovModel.ofFlat(start, trans, emission);
    }

    /**
     * {@code (counts + α − 1) / total} over the entries whose previous value is non-zero; {@code null} if
     * the total is not positive.
     */
    private static double[] normalized(double[] counts, int co, int s, double[] prev, int po, double alpha) {
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

    /** The log density of the transition rows under the Dirichlet prior, without its normalising constant. */
    @Override
    public double logPrior(HiddenMarkovModel params) {
        if (transitionPrior == 1.0) {
            return 0.0;
        }
        double lp = 0;
        for (double a : params.flatTransitions()) {
            if (a > 0) {
                lp += (transitionPrior - 1.0) * Math.log(a);
            }
        }
        return lp;
    }

    @Override
    public int parameterCount(HiddenMarkovModel params) {
        int count = params.parameterCount();
        int s = params.states();
        if (fixStart) {
            count -= Math.max(0, HiddenMarkovModel.nonZero(params.flatStart()) - 1);
        }
        if (fixTransitions) {
            for (int i = 0; i < s; i++) {
                count -= Math.max(0, HiddenMarkovModel.nonZero(
                        java.util.Arrays.copyOfRange(params.flatTransitions(), i * s, (i + 1) * s)) - 1);
            }
        }
        return count;
    }
}
