package io.emkit.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A dense table of numbers: {@code rows × columns} doubles stored row-major in one array, with a name
 * per column. {@code NaN} marks a missing value.
 *
 * <p>A dataset is immutable once built: the factory methods copy what they are given, except
 * {@link #wrap}, whose caller promises not to modify the array afterwards.
 *
 * <p>A dataset may carry a weight per row ({@link #withWeights}); see {@link Rows} for what a weight means.
 * {@link #slice}, {@link #selectColumns} and {@link #sample} keep the weights of the rows they keep.
 */
public final class Dataset implements Rows {
    private final double[] values;
    private final int rows;
    private final int columns;
    private final List<String> columnNames;
    /** One weight per row, or {@code null} when every row weighs 1. */
    private final double[] weights;
    private final double totalWeight;
    /** {@link #recordingSteps()}, made at the first call. */
    private volatile double[] recordingSteps;

    private Dataset(double[] values, int rows, int columns, List<String> columnNames) {
        this(values, rows, columns, columnNames, null, rows);
    }

    private Dataset(double[] values, int rows, int columns, List<String> columnNames, double[] weights,
                    double totalWeight) {
        if (rows < 0 || columns < 0) {
            throw new IllegalArgumentException("rows and columns must be >= 0, got " + rows + " x " + columns);
        }
        if ((long) rows * columns != values.length) {
            throw new IllegalArgumentException("expected " + ((long) rows * columns) + " values for "
                    + rows + " x " + columns + ", got " + values.length);
        }
        if (columnNames.size() != columns) {
            throw new IllegalArgumentException("expected " + columns + " column names, got " + columnNames.size());
        }
        this.values = values;
        this.rows = rows;
        this.columns = columns;
        this.columnNames = List.copyOf(columnNames);
        this.weights = weights;
        this.totalWeight = totalWeight;
    }

    /**
     * The same rows, each with a weight: how many times it counts in a fit (see {@link Rows}).
     *
     * @param weights one per row, each finite and ≥ 0, not all 0; copied
     * @return a dataset sharing this one's values, with these weights
     * @throws io.emkit.EmkitException naming the first row (from 1) whose weight is not a finite number ≥ 0,
     *                                 or if every weight is 0
     */
    public Dataset withWeights(double... weights) {
        if (weights.length != rows) {
            throw new IllegalArgumentException(weights.length + " weights for " + rows + " rows");
        }
        double total = 0;
        for (int i = 0; i < rows; i++) {
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new io.emkit.EmkitException("row " + (i + 1) + ": weight " + w
                        + " is not a finite number >= 0");
            }
            total += w;
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            throw new io.emkit.EmkitException(total > 0 ? "the weights sum to infinity; scale them down"
                    : "every weight is 0: there is nothing to fit");
        }
        return new Dataset(values, rows, columns, columnNames, weights.clone(), total);
    }

    /** @return the same rows without weights (each weighs 1) */
    public Dataset withoutWeights() {
        return weights == null ? this : new Dataset(values, rows, columns, columnNames);
    }

    @Override
    public boolean isWeighted() {
        return weights != null;
    }

    @Override
    public void copyWeights(int from, int to, double[] dest) {
        if (weights == null) {
            Rows.super.copyWeights(from, to, dest);
            return;
        }
        Objects.checkFromToIndex(from, to, rows);
        System.arraycopy(weights, from, dest, 0, to - from);
    }

    @Override
    public double totalWeight() {
        return totalWeight;
    }

    /**
     * The backing weights, not copied, for kernels that stream over the rows. They must not be modified.
     *
     * @return one weight per row, or {@code null} when the rows carry no weights
     */
    public double[] rawWeights() {
        return weights;
    }

    /**
     * @param row row index, from 0
     * @return the row's weight: 1 when the rows carry no weights
     */
    public double weight(int row) {
        Objects.checkIndex(row, rows);
        return weights == null ? 1.0 : weights[row];
    }

    /**
     * A dataset from rows of equal length, with columns named {@code x1, x2, ...}.
     *
     * @param rows the rows; copied
     * @return the dataset
     */
    public static Dataset of(double[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        return of(rows, defaultNames(d));
    }

    /**
     * A dataset from rows of equal length and the columns' names.
     *
     * @param rows        the rows; copied
     * @param columnNames one name per column
     * @return the dataset
     */
    public static Dataset of(double[][] rows, List<String> columnNames) {
        int d = columnNames.size();
        double[] values = new double[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length
                        + " values, expected " + d);
            }
            System.arraycopy(rows[i], 0, values, i * d, d);
        }
        return new Dataset(values, rows.length, d, columnNames);
    }

    /**
     * A one-column dataset.
     *
     * @param values the column; copied
     * @return the dataset, its column named {@code x1}
     */
    public static Dataset ofColumn(double... values) {
        return new Dataset(values.clone(), values.length, 1, defaultNames(1));
    }

    /**
     * A dataset over a row-major array, without copying it.
     *
     * @param values      {@code rows * columns} values, row after row; the caller must not modify it afterwards
     * @param rows        number of rows
     * @param columns     number of columns
     * @param columnNames one name per column
     * @return the dataset
     */
    public static Dataset wrap(double[] values, int rows, int columns, List<String> columnNames) {
        return new Dataset(Objects.requireNonNull(values, "values"), rows, columns, columnNames);
    }

    /**
     * Default column names {@code x1 .. xd}, numbered from 1 like the columns of a file.
     *
     * @param columns number of columns
     * @return the names
     */
    public static List<String> defaultNames(int columns) {
        List<String> names = new ArrayList<>(columns);
        for (int j = 0; j < columns; j++) {
            names.add("x" + (j + 1));
        }
        return names;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public List<String> columnNames() {
        return columnNames;
    }

    /**
     * @param row    row index, from 0
     * @param column column index, from 0
     * @return the value, {@code NaN} if missing
     */
    public double get(int row, int column) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(column, columns);
        return values[row * columns + column];
    }

    /**
     * @param row row index, from 0
     * @return a copy of the row
     */
    public double[] row(int row) {
        Objects.checkIndex(row, rows);
        return Arrays.copyOfRange(values, row * columns, (row + 1) * columns);
    }

    /** @return a copy of all rows as a 2-D array */
    public double[][] toArray() {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = row(i);
        }
        return out;
    }

    @Override
    public void copyRows(int from, int to, double[] dest) {
        Objects.checkFromToIndex(from, to, rows);
        System.arraycopy(values, from * columns, dest, 0, (to - from) * columns);
    }

    /**
     * The backing row-major array, not copied, for kernels that stream over the rows. It must not be modified.
     *
     * @return the values, row after row
     */
    public double[] rawValues() {
        return values;
    }

    /**
     * The rows {@code [from, to)} as a dataset of their own (copied).
     *
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @return the slice
     */
    public Dataset slice(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        double[] part = Arrays.copyOfRange(values, from * columns, to * columns);
        if (weights == null) {
            return new Dataset(part, to - from, columns, columnNames);
        }
        // Not withWeights: a slice may hold only rows of weight 0.
        double[] w = Arrays.copyOfRange(weights, from, to);
        double total = 0;
        for (double v : w) {
            total += v;
        }
        return new Dataset(part, to - from, columns, columnNames, w, total);
    }

    /**
     * A uniformly random subset of {@code m} rows, each subset equally likely, kept in their order (selection
     * sampling: one pass, Knuth's Algorithm S), copied with their weights. Unlike an evenly spaced sample it
     * cannot fall into step with a period in the rows' order.
     *
     * @param m    how many rows; all of them (a copy) when {@code m >= rows()}
     * @param seed the draw's seed
     * @return the subset
     */
    public Dataset randomRows(int m, long seed) {
        int take = Math.min(Math.max(m, 0), rows);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[] part = new double[Math.multiplyExact(take, columns)];
        double[] w = weights == null ? null : new double[take];
        double total = 0;
        int chosen = 0;
        for (int i = 0; i < rows && chosen < take; i++) {
            // Row i is taken with probability (still needed) / (rows left).
            if (random.nextInt(rows - i) < take - chosen) {
                System.arraycopy(values, i * columns, part, chosen * columns, columns);
                if (w != null) {
                    w[chosen] = weights[i];
                    total += weights[i];
                }
                chosen++;
            }
        }
        return w == null ? new Dataset(part, take, columns, columnNames)
                : new Dataset(part, take, columns, columnNames, w, total);
    }

    /**
     * Some of the columns, in the given order, as a dataset of their own (copied).
     *
     * @param columnIndices indices from 0; repeats allowed
     * @return the projection
     */
    public Dataset selectColumns(int... columnIndices) {
        int d = columnIndices.length;
        List<String> names = new ArrayList<>(d);
        for (int c : columnIndices) {
            Objects.checkIndex(c, columns);
            names.add(columnNames.get(c));
        }
        double[] out = new double[Math.multiplyExact(rows, d)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = values[i * columns + columnIndices[j]];
            }
        }
        return weights == null ? new Dataset(out, rows, d, names)
                : new Dataset(out, rows, d, names, weights, totalWeight);
    }

    /**
     * The first missing ({@code NaN}) cell, scanning row by row.
     *
     * @return {@code {row, column}}, or {@code null} when no value is missing
     */
    public int[] firstMissing() {
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                return new int[] {i / columns, i % columns};
            }
        }
        return null;
    }

    /**
     * Per column, the step its values were recorded to as far as the rows show it: the smallest positive difference
     * between two of its values (missing ones skipped), or 0 where the column holds fewer than two distinct values.
     * Values rounded to a step (whole minutes, a tenth of a centimetre) tie, and a model may fit the ties instead of
     * the data: a Gaussian component whose spread in a column is smaller than rounding to the step gives sits on one
     * recorded value. Made once, by sorting a copy of each column (rows of weight 0 included), then kept.
     *
     * @return one step per column (a copy)
     */
    public double[] recordingSteps() {
        double[] steps = recordingSteps;
        if (steps == null) {
            steps = new double[columns];
            double[] column = new double[rows];
            for (int j = 0; j < columns; j++) {
                int n = 0;
                for (int i = 0; i < rows; i++) {
                    double v = values[i * columns + j];
                    if (!Double.isNaN(v)) {
                        column[n++] = v;
                    }
                }
                Arrays.sort(column, 0, n);
                double step = Double.POSITIVE_INFINITY;
                for (int i = 1; i < n; i++) {
                    double gap = column[i] - column[i - 1];
                    if (gap > 0 && gap < step) {
                        step = gap;
                    }
                }
                steps[j] = step == Double.POSITIVE_INFINITY ? 0 : step;
            }
            recordingSteps = steps;
        }
        return steps.clone();
    }

    /**
     * Counts distinct rows, stopping early once {@code atLeast} have been seen. Rows of weight 0 do not count.
     *
     * @param atLeast stop counting at this many
     * @return {@code min(distinct rows, atLeast)}
     */
    public int countDistinctRows(int atLeast) {
        Set<RowKey> seen = new HashSet<>();
        for (int i = 0; i < rows && seen.size() < atLeast; i++) {
            if (weights != null && weights[i] == 0) {
                continue;
            }
            double[] r = row(i);
            for (int j = 0; j < r.length; j++) {
                r[j] += 0.0; // -0.0 + 0.0 is 0.0: rows equal as numbers are one row
            }
            seen.add(new RowKey(r));
        }
        return seen.size();
    }

    private record RowKey(double[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + rows + " x " + columns + " " + columnNames + (weights == null ? "" : ", weighted") + "]";
    }
}
