package io.emkit.data;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The data of a hidden Markov model: one or more sequences of observations, each a run of time steps
 * with {@link #dimension()} values per step. Immutable.
 *
 * <p>The steps of all sequences are stored one after the other, row-major, in one array; sequence
 * {@code i} holds global rows {@code [start(i), start(i) + length(i))}. Every sequence has at least one
 * step and every value is finite.
 */
public final class Sequences {
    private final double[] values;
    private final int[] offsets;
    private final int d;
    private final List<String> names;

    private Sequences(double[] values, int[] offsets, int d, List<String> names) {
        if (d < 1) {
            throw new EmkitException("sequences need at least one column");
        }
        this.values = values;
        this.offsets = offsets;
        this.d = d;
        this.names = names == null ? Dataset.defaultNames(d) : List.copyOf(names);
        if (this.names.size() != d) {
            throw new EmkitException("expected " + d + " column names, got " + this.names.size());
        }
        for (int i = 0; i + 1 < offsets.length; i++) {
            if (offsets[i + 1] <= offsets[i]) {
                throw new EmkitException("sequence " + (i + 1) + " is empty; every sequence needs at least one step");
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                int row = i / d;
                int seq = sequenceOf(row);
                throw new EmkitException("sequence " + (seq + 1) + ", step " + (row - offsets[seq] + 1) + ", column "
                        + (i % d + 1) + " ('" + this.names.get(i % d) + "'): " + values[i] + " is not a finite number");
            }
        }
    }

    /**
     * Sequences from arrays: each sequence is {@code steps × D}.
     *
     * @param sequences the sequences, each with at least one step
     * @return the data, columns named {@code x1..xD}
     */
    public static Sequences of(List<double[][]> sequences) {
        return of(sequences, null);
    }

    /**
     * Sequences from arrays, with column names.
     *
     * @param sequences the sequences, each {@code steps × D} with at least one step
     * @param names     D column names, or {@code null} for {@code x1..xD}
     * @return the data
     */
    public static Sequences of(List<double[][]> sequences, List<String> names) {
        if (sequences.isEmpty()) {
            throw new EmkitException("no sequences");
        }
        int d = -1;
        int total = 0;
        for (int i = 0; i < sequences.size(); i++) {
            double[][] s = sequences.get(i);
            if (s.length == 0) {
                throw new EmkitException("sequence " + (i + 1) + " is empty; every sequence needs at least one step");
            }
            if (d < 0) {
                d = s[0].length;
            }
            total = Math.addExact(total, s.length);
        }
        double[] values = new double[Math.multiplyExact(total, d)];
        int[] offsets = new int[sequences.size() + 1];
        int row = 0;
        for (int i = 0; i < sequences.size(); i++) {
            offsets[i] = row;
            for (double[] step : sequences.get(i)) {
                if (step.length != d) {
                    throw new EmkitException("sequence " + (i + 1) + ": a step has " + step.length + " values, expected " + d);
                }
                System.arraycopy(step, 0, values, row * d, d);
                row++;
            }
        }
        offsets[sequences.size()] = row;
        return new Sequences(values, offsets, d, names);
    }

    /**
     * Sequences of symbols (one column), for categorical emissions.
     *
     * @param sequences each a non-empty array of symbols
     * @return the data, one column named {@code x1}
     */
    public static Sequences ofSymbols(int[]... sequences) {
        double[][][] out = new double[sequences.length][][];
        for (int i = 0; i < sequences.length; i++) {
            out[i] = new double[sequences[i].length][];
            for (int t = 0; t < sequences[i].length; t++) {
                out[i][t] = new double[] {sequences[i][t]};
            }
        }
        return of(Arrays.asList(out));
    }

    /**
     * Cuts the rows of a dataset into consecutive sequences.
     *
     * @param data    rows in time order, sequence after sequence
     * @param lengths the number of rows of each sequence, summing to {@code data.rows()}
     * @return the data, columns named as in {@code data}
     */
    public static Sequences of(Dataset data, int[] lengths) {
        int[] offsets = new int[lengths.length + 1];
        long sum = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1) {
                throw new EmkitException("sequence " + (i + 1) + " is empty; every sequence needs at least one step");
            }
            offsets[i] = (int) sum;
            sum += lengths[i];
        }
        if (sum != data.rows()) {
            throw new EmkitException("the sequence lengths sum to " + sum + " but the data have " + data.rows() + " rows");
        }
        if (lengths.length == 0) {
            throw new EmkitException("no sequences");
        }
        offsets[lengths.length] = (int) sum;
        return new Sequences(data.rawValues().clone(), offsets, data.columns(), data.columnNames());
    }

    /**
     * @param data rows in time order
     * @return one sequence holding every row
     */
    public static Sequences single(Dataset data) {
        return of(data, new int[] {data.rows()});
    }

    /** @return the number of sequences */
    public int count() {
        return offsets.length - 1;
    }

    /**
     * @param i sequence, from 0
     * @return its number of steps
     */
    public int length(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /**
     * @param i sequence, from 0
     * @return the global row of its first step
     */
    public int start(int i) {
        return offsets[i];
    }

    /** @return the number of steps of all sequences together */
    public int totalLength() {
        return offsets[offsets.length - 1];
    }

    /** @return the number of values per step */
    public int dimension() {
        return d;
    }

    /** @return the columns' names */
    public List<String> featureNames() {
        return names;
    }

    /**
     * @param i sequence, from 0
     * @return its steps, {@code length(i) × D} (a copy)
     */
    public double[][] sequence(int i) {
        double[][] out = new double[length(i)][];
        for (int t = 0; t < out.length; t++) {
            out[t] = Arrays.copyOfRange(values, (offsets[i] + t) * d, (offsets[i] + t + 1) * d);
        }
        return out;
    }

    /**
     * The backing array: all steps, row-major. Not a copy; do not modify.
     *
     * @return the values
     */
    public double[] rawValues() {
        return values;
    }

    /** @return every step of every sequence as rows of one dataset (a copy) */
    public Dataset pooled() {
        return Dataset.wrap(values.clone(), totalLength(), d, names);
    }

    /**
     * The same sequences with only some of their columns: what a model reads of steps that carry more (an
     * engine's sequences with covariates or classes beside the observations).
     *
     * @param from the first column kept, from 0
     * @param to   one past the last column kept
     * @return new sequences holding a copy of those columns, named as here
     */
    public Sequences columns(int from, int to) {
        if (from < 0 || to > d || from >= to) {
            throw new IllegalArgumentException("columns " + from + " to " + to + " of " + d);
        }
        int w = to - from;
        int n = totalLength();
        double[] out = new double[n * w];
        for (int t = 0; t < n; t++) {
            System.arraycopy(values, t * d + from, out, t * w, w);
        }
        return new Sequences(out, offsets, w, List.copyOf(names.subList(from, to)));
    }

    /**
     * The same sequences with renamed columns.
     *
     * @param names D names
     * @return new sequences sharing the values
     */
    public Sequences withFeatureNames(List<String> names) {
        return new Sequences(values, offsets, d, names);
    }

    /**
     * The same sequences in a canonical order that depends on their contents only: shorter sequences first,
     * equal lengths by their values compared step by step, column by column ({@link Double#compare}). Sequences
     * that compare equal are identical, so any two orderings of the same sequences give the same result, bit for
     * bit; a fit on it does not depend on the order the sequences came in.
     *
     * @return this, if it is already in that order, else new sequences holding a reordered copy of the values
     */
    public Sequences canonicalOrder() {
        int n = count();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, this::compareSequences);
        boolean sorted = true;
        for (int i = 0; i < n && sorted; i++) {
            sorted = order[i] == i;
        }
        if (sorted) {
            return this;
        }
        double[] reordered = new double[values.length];
        int[] newOffsets = new int[n + 1];
        int row = 0;
        for (int i = 0; i < n; i++) {
            int q = order[i];
            newOffsets[i] = row;
            System.arraycopy(values, offsets[q] * d, reordered, row * d, length(q) * d);
            row += length(q);
        }
        newOffsets[n] = row;
        return new Sequences(reordered, newOffsets, d, names);
    }

    private int compareSequences(int a, int b) {
        int byLength = Integer.compare(length(a), length(b));
        if (byLength != 0) {
            return byLength;
        }
        int from = offsets[a] * d;
        int to = offsets[b] * d;
        int size = length(a) * d;
        for (int k = 0; k < size; k++) {
            int c = Double.compare(values[from + k], values[to + k]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * The first value outside the support of a model's distributions.
     *
     * @param violation what is wrong with a value, {@code null} if nothing (as an emission family's
     *                  {@code violation})
     * @return {@code {global row, column}} (from 0) of the first bad value, or {@code null} if all are valid
     */
    public int[] firstViolation(DoubleFunction<String> violation) {
        for (int i = 0; i < values.length; i++) {
            if (violation.apply(values[i]) != null) {
                return new int[] {i / d, i % d};
            }
        }
        return null;
    }

    /**
     * @param row a global row
     * @return the sequence holding it, from 0
     */
    public int sequenceOf(int row) {
        int i = Arrays.binarySearch(offsets, row);
        if (i >= 0) {
            while (i + 1 < offsets.length - 1 && offsets[i + 1] == row) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }

    @Override
    public String toString() {
        return "Sequences[" + count() + " sequences, " + totalLength() + " steps, " + d + " columns]";
    }
}
