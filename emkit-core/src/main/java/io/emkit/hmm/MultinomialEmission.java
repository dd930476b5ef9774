package io.emkit.hmm;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A multinomial distribution per state over count vectors (hmmlearn's {@code MultinomialHMM}): each observation
 * is M whole numbers {@code x_1..x_M ≥ 0}, the outcomes of {@code n = Σ x_k} trials that each fall in category k
 * with the state's probability {@code p_k}; {@code log P(x) = log n! − Σ log x_k! + Σ x_k log p_k}. The number
 * of trials may differ from step to step (it is the row's total, so it carries no information on the state).
 * The M-step is {@code p_k ∝ Σ_t γ_t x_tk}; a category with probability 0 stays at 0.
 *
 * <p>The number of trials of sampled observations is {@link #trials()}: the fitted rows' common total, or 0 when
 * their totals differ, and such a model cannot be sampled from.
 */
public final class MultinomialEmission extends Emission {
    private final double[][] probabilities;
    private final double[][] logProbabilities;
    private final int trials;
    private final List<String> names;

    private MultinomialEmission(double[][] probabilities, int trials, List<String> names) {
        if (probabilities.length < 1) {
            throw new EmkitException("a hidden Markov model needs at least one state");
        }
        int m = probabilities[0].length;
        if (m < 1) {
            throw new EmkitException("multinomial emissions need at least one category");
        }
        if (trials < 0) {
            throw new EmkitException("the number of trials must be >= 0 (0: it varies), got " + trials);
        }
        this.probabilities = new double[probabilities.length][];
        this.logProbabilities = new double[probabilities.length][];
        for (int s = 0; s < probabilities.length; s++) {
            String what = "state " + (s + 1) + ": category probabilities";
            this.probabilities[s] = HiddenMarkovModel.checkedDistribution(checkedRow(probabilities[s], m, what), what);
            this.logProbabilities[s] = new double[m];
            for (int j = 0; j < m; j++) {
                logProbabilities[s][j] = Math.log(this.probabilities[s][j]);
            }
        }
        this.trials = trials;
        if (names == null) {
            String[] n = new String[m];
            for (int j = 0; j < m; j++) {
                n[j] = "x" + (j + 1);
            }
            this.names = List.of(n);
        } else {
            this.names = List.copyOf(names);
        }
        if (this.names.size() != m) {
            throw new EmkitException("multinomial emissions over " + m + " categories take " + m + " columns, got "
                    + this.names.size() + " names");
        }
    }

    /**
     * @param probabilities S rows of M probabilities, each summing to 1: row s is state s's distribution over the
     *                      categories
     * @param trials        the trials per observation when sampling; 0 when the observations' totals vary
     * @return the emissions
     * @throws EmkitException if a row is not a distribution
     */
    public static MultinomialEmission of(double[][] probabilities, int trials) {
        return new MultinomialEmission(probabilities, trials, null);
    }

    /** @return the number of categories M (the columns) */
    public int categories() {
        return probabilities[0].length;
    }

    /** @return the trials per observation used for sampling; 0 when they vary */
    public int trials() {
        return trials;
    }

    /**
     * @param trials the trials per observation for sampling; 0 when they vary
     * @return the same emissions with that number of trials
     */
    public MultinomialEmission withTrials(int trials) {
        return new MultinomialEmission(probabilities, trials, names);
    }

    /** @return the probabilities, {@code S × M} (a copy) */
    public double[][] probabilities() {
        return CategoricalEmission.copyRows(probabilities);
    }

    @Override
    public EmissionKind kind() {
        return EmissionKind.MULTINOMIAL;
    }

    @Override
    public int states() {
        return probabilities.length;
    }

    @Override
    public int dimension() {
        return categories();
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public int parameterCount() {
        return CategoricalEmission.freeProbabilities(probabilities);
    }

    @Override
    public MultinomialEmission withFeatureNames(List<String> names) {
        return new MultinomialEmission(probabilities, trials, names);
    }

    @Override
    void logDensities(double[] x, int from, int to, double[] out) {
        int k = states();
        int m = categories();
        for (int t = from; t < to; t++) {
            double n = 0;
            double base = 0;
            boolean valid = true;
            for (int j = 0; j < m; j++) {
                double v = x[t * m + j];
                valid &= v >= 0 && v == Math.rint(v);
                n += v;
                base -= valid ? PoissonEmission.logFactorial(v) : 0.0;
            }
            base += valid ? PoissonEmission.logFactorial(n) : 0.0;
            for (int s = 0; s < k; s++) {
                double lp = valid ? base : Double.NEGATIVE_INFINITY;
                for (int j = 0; j < m && valid; j++) {
                    double v = x[t * m + j];
                    // 0 · log 0 = 0: a category never observed costs nothing even where it is impossible.
                    if (v > 0) {
                        lp += v * logProbabilities[s][j];
                    }
                }
                out[(t - from) * k + s] = lp;
            }
        }
    }

    @Override
    Statistics newStatistics() {
        return new Counts(states(), categories());
    }

    @Override
    Emission maximize(Statistics statistics, double regCovar, Consumer<String> warnings) {
        // A category at probability 0 gets no counts (a step that has it is impossible in the state, so its
        // posterior there is 0), so it stays at 0.
        return new MultinomialEmission(CategoricalEmission.normalizedRows(((Counts) statistics).counts,
                probabilities, "category probabilities", warnings), trials, names);
    }

    @Override
    void sample(int[] states, SplittableRandom random, double[] out) {
        if (trials < 1) {
            throw new EmkitException("the model's count vectors had varying totals, so it has no number of trials"
                    + " to sample with; give the model a number of trials (\"n_trials\" in the model file)");
        }
        int m = categories();
        for (int t = 0; t < states.length; t++) {
            Arrays.fill(out, t * m, (t + 1) * m, 0.0);
            for (int r = 0; r < trials; r++) {
                out[t * m + HiddenMarkovModel.draw(probabilities[states[t]], random)]++;
            }
        }
    }

    /**
     * @param x   row-major counts of {@code M} columns
     * @param n   the rows
     * @param m   the columns
     * @return the rows' common total, or 0 if the totals differ
     */
    static int commonTotal(double[] x, int n, int m) {
        double first = -1;
        for (int t = 0; t < n; t++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += x[t * m + j];
            }
            if (first < 0) {
                first = sum;
            } else if (sum != first) {
                return 0;
            }
        }
        return first > 0 && first <= Integer.MAX_VALUE ? (int) first : 0;
    }

    /** The expected count of each category in each state, {@code Σ_t γ_ts x_tk}. */
    private static final class Counts extends CategoricalEmission.Counts {
        private static final long serialVersionUID = 1L;

        Counts(int k, int m) {
            super(k, m);
        }

        @Override
        void add(double[] x, int from, int to, double[] gamma) {
            for (int t = from; t < to; t++) {
                for (int s = 0; s < k; s++) {
                    double g = gamma[(t - from) * k + s];
                    for (int j = 0; j < m; j++) {
                        counts[s * m + j] += g * x[t * m + j];
                    }
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultinomialEmission c && Arrays.deepEquals(c.probabilities, probabilities)
                && c.trials == trials && c.names.equals(names);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(probabilities) * 31 + trials;
    }

    @Override
    public String toString() {
        return "MultinomialEmission[" + states() + " states, " + categories() + " categories, "
                + (trials > 0 ? trials + " trials" : "varying trials") + "]";
    }
}
