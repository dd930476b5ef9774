package io.emkit.hmm;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A categorical distribution per state over the symbols {@code 0..M-1} of one observation column.
 * A symbol with probability 0 in a state stays at 0 through Baum–Welch.
 */
public final class CategoricalEmission extends Emission {
    private final double[][] probabilities;
    private final double[][] logProbabilities;
    private final List<String> names;

    private CategoricalEmission(double[][] probabilities, List<String> names) {
        if (probabilities.length < 1) {
            throw new EmkitException("a hidden Markov model needs at least one state");
        }
        int m = probabilities[0].length;
        if (m < 1) {
            throw new EmkitException("categorical emissions need at least one symbol");
        }
        this.probabilities = new double[probabilities.length][];
        this.logProbabilities = new double[probabilities.length][];
        for (int s = 0; s < probabilities.length; s++) {
            this.probabilities[s] = HiddenMarkovModel.checkedDistribution(
                    checkedRow(probabilities[s], m, "state " + (s + 1) + ": emission probabilities"),
                    "state " + (s + 1) + ": emission probabilities");
            this.logProbabilities[s] = new double[m];
            for (int j = 0; j < m; j++) {
                logProbabilities[s][j] = Math.log(this.probabilities[s][j]);
            }
        }
        this.names = names == null ? List.of("x1") : List.copyOf(names);
        if (this.names.size() != 1) {
            throw new EmkitException("categorical emissions take one column, got " + this.names.size() + " names");
        }
    }

    /**
     * @param probabilities S rows of M probabilities, each summing to 1: row s is state s's distribution
     *                      over the symbols {@code 0..M-1}
     * @return the emissions
     */
    public static CategoricalEmission of(double[][] probabilities) {
        return new CategoricalEmission(probabilities, null);
    }

    /** @return the number of symbols M */
    public int symbols() {
        return probabilities[0].length;
    }

    /** @return the probabilities, {@code S × M} (a copy) */
    public double[][] probabilities() {
        return copyRows(probabilities);
    }

    static double[][] copyRows(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int s = 0; s < out.length; s++) {
            out[s] = rows[s].clone();
        }
        return out;
    }

    /** The free parameters of S distributions: each row's non-zero entries less one. */
    static int freeProbabilities(double[][] rows) {
        int count = 0;
        for (double[] row : rows) {
            count += StateSequenceModel.freeParameters(row, 0, row.length);
        }
        return count;
    }

    /**
     * Each state's row of {@code S × M} expected counts, normalised; a state without counts keeps its previous
     * row, with a warning naming what it keeps.
     */
    static double[][] normalizedRows(double[] counts, double[][] previous, String kept, Consumer<String> warnings) {
        int k = previous.length;
        int m = previous[0].length;
        double[][] next = new double[k][m];
        for (int s = 0; s < k; s++) {
            double total = 0;
            for (int j = 0; j < m; j++) {
                total += counts[s * m + j];
            }
            if (!(total > 0)) {
                next[s] = previous[s].clone();
                warnings.accept(String.format(Locale.ROOT, "state %d is never visited; it keeps its last %s; fewer"
                        + " states may fit better", s + 1, kept));
                continue;
            }
            for (int j = 0; j < m; j++) {
                next[s][j] = counts[s * m + j] / total;
            }
        }
        return next;
    }

    @Override
    public EmissionKind kind() {
        return EmissionKind.CATEGORICAL;
    }

    @Override
    public int states() {
        return probabilities.length;
    }

    @Override
    public int dimension() {
        return 1;
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public int parameterCount() {
        return freeProbabilities(probabilities);
    }

    @Override
    public CategoricalEmission withFeatureNames(List<String> names) {
        return new CategoricalEmission(probabilities, names);
    }

    @Override
    void logDensities(double[] x, int from, int to, double[] out) {
        int k = states();
        int m = symbols();
        for (int t = from; t < to; t++) {
            double v = x[t];
            int symbol = v >= 0 && v < m && v == Math.rint(v) ? (int) v : -1;
            for (int s = 0; s < k; s++) {
                out[(t - from) * k + s] = symbol < 0 ? Double.NEGATIVE_INFINITY : logProbabilities[s][symbol];
            }
        }
    }

    @Override
    Statistics newStatistics() {
        return new Counts(states(), symbols());
    }

    @Override
    Emission maximize(Statistics statistics, double regCovar, Consumer<String> warnings) {
        return new CategoricalEmission(normalizedRows(((Counts) statistics).counts, probabilities,
                "emission probabilities", warnings), names);
    }

    @Override
    void sample(int[] states, SplittableRandom random, double[] out) {
        for (int t = 0; t < states.length; t++) {
            out[t] = HiddenMarkovModel.draw(probabilities[states[t]], random);
        }
    }

    /** Expected counts per state and symbol; {@link MultinomialEmission} adds count vectors to the same table. */
    static class Counts extends Statistics {
        private static final long serialVersionUID = 1L;
        final int k;
        final int m;
        final double[] counts;

        Counts(int k, int m) {
            this.k = k;
            this.m = m;
            this.counts = new double[k * m];
        }

        @Override
        void add(double[] x, int from, int to, double[] gamma) {
            for (int t = from; t < to; t++) {
                int symbol = (int) x[t];
                for (int s = 0; s < k; s++) {
                    counts[s * m + symbol] += gamma[(t - from) * k + s];
                }
            }
        }

        @Override
        void merge(Statistics other) {
            double[] o = ((Counts) other).counts;
            for (int i = 0; i < counts.length; i++) {
                counts[i] += o[i];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalEmission c && Arrays.deepEquals(c.probabilities, probabilities)
                && c.names.equals(names);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(probabilities);
    }

    @Override
    public String toString() {
        return "CategoricalEmission[" + states() + " states, " + symbols() + " symbols]";
    }
}
