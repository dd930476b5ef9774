package io.emkit.data;

import java.util.List;

/**
 * Rows of numbers that a model can stream over, block by block: a {@link Dataset} in memory, or a
 * {@link MappedRows} file larger than the heap. Implementations are safe for concurrent reads.
 *
 * <p><b>Weights.</b> Rows may carry a weight each ({@link Dataset#withWeights}): a finite number ≥ 0 that
 * says how many times the row counts. A fit treats a row of integer weight {@code w} exactly as {@code w}
 * copies of it, and a row of weight 0 as absent. Rows without weights each weigh 1.
 */
public interface Rows {
    /** @return number of rows */
    int rows();

    /** @return number of columns */
    int columns();

    /** @return the columns' names, in order */
    List<String> columnNames();

    /** @return whether the rows carry weights; without, every row weighs 1 */
    default boolean isWeighted() {
        return false;
    }

    /**
     * Copies the weights of rows {@code [from, to)} into {@code dest}, from index 0 (all 1 without weights).
     *
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @param dest at least {@code to - from} doubles
     */
    default void copyWeights(int from, int to, double[] dest) {
        java.util.Objects.checkFromToIndex(from, to, rows());
        java.util.Arrays.fill(dest, 0, to - from, 1.0);
    }

    /** @return the sum of the rows' weights: the number of rows without weights */
    default double totalWeight() {
        return rows();
    }

    /**
     * Copies rows {@code [from, to)} into {@code dest}, row after row, from index 0.
     *
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @param dest at least {@code (to - from) * columns()} doubles
     */
    void copyRows(int from, int to, double[] dest);

    /**
     * About {@code maxRows} rows spread evenly over the whole data (every ⌈n / maxRows⌉-th row, from a
     * random offset), copied into memory: what an initialisation looks at when the data are too large.
     *
     * @param maxRows how many rows at most
     * @param seed    decides the offset
     * @return the sample (all rows, copied, if there are no more than {@code maxRows}), with the rows'
     *         weights if they have some
     */
    default Dataset sample(int maxRows, long seed) {
        int n = rows();
        int d = columns();
        int stride = (int) Math.max(1, (n + (long) maxRows - 1) / maxRows);
        int offset = stride == 1 ? 0 : new java.util.SplittableRandom(seed).nextInt(stride);
        int m = (n - offset + stride - 1) / stride;
        double[] out = new double[Math.multiplyExact(m, d)];
        double[] row = new double[d];
        double[] weights = isWeighted() ? new double[m] : null;
        double[] one = new double[1];
        for (int i = 0; i < m; i++) {
            int r = offset + i * stride;
            copyRows(r, r + 1, row);
            System.arraycopy(row, 0, out, i * d, d);
            if (weights != null) {
                copyWeights(r, r + 1, one);
                weights[i] = one[0];
            }
        }
        Dataset sample = Dataset.wrap(out, m, d, columnNames());
        return weights == null ? sample : sample.withWeights(weights);
    }

    /**
     * The first missing or infinite value, scanning the rows in order.
     *
     * @return {@code {row, column}} (from 0), or {@code null} when every value is finite
     */
    default int[] firstNonFinite() {
        return firstMatching(v -> !Double.isFinite(v));
    }

    /**
     * The first infinite value, scanning the rows in order (missing values, {@code NaN}, are passed over).
     *
     * @return {@code {row, column}} (from 0), or {@code null} when no value is infinite
     */
    default int[] firstInfinite() {
        return firstMatching(Double::isInfinite);
    }

    /**
     * Counts the missing ({@code NaN}) cells and the rows with every cell missing.
     *
     * @return the counts
     */
    default MissingCounts countMissing() {
        int w = columns();
        long[] cells = new long[1];
        int[] emptyRows = new int[1];
        forEachBlock((from, to, buf) -> {
            for (int i = 0; i < to - from; i++) {
                int missing = 0;
                for (int j = 0; j < w; j++) {
                    missing += Double.isNaN(buf[i * w + j]) ? 1 : 0;
                }
                cells[0] += missing;
                emptyRows[0] += missing == w ? 1 : 0;
            }
            return false;
        });
        return new MissingCounts(cells[0], emptyRows[0]);
    }

    /**
     * How much of the data is missing.
     *
     * @param cells     the missing ({@code NaN}) cells
     * @param emptyRows the rows with every cell missing (fits skip them)
     */
    record MissingCounts(long cells, int emptyRows) {
    }

    private int[] firstMatching(java.util.function.DoublePredicate test) {
        int w = columns();
        int[][] found = new int[1][];
        forEachBlock((from, to, buf) -> {
            for (int i = 0; i < (to - from) * w; i++) {
                if (test.test(buf[i])) {
                    found[0] = new int[] {from + i / w, i % w};
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Reads the rows block by block, in order, until the visitor says stop. */
    private void forEachBlock(RowBlockVisitor visitor) {
        int block = 4096;
        double[] buf = new double[block * columns()];
        for (int from = 0; from < rows(); from += block) {
            int to = Math.min(rows(), from + block);
            copyRows(from, to, buf);
            if (visitor.visit(from, to, buf)) {
                return;
            }
        }
    }
}
