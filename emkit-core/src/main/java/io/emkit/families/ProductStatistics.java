package io.emkit.families;

import io.emkit.em.SufficientStatistics;

/**
 * What the E-step of a {@link ProductMixtureModel} accumulates: per component its total responsibility and,
 * per column, the responsibility-weighted sums its {@link ColumnFamily} needs. Every family's sums are plain
 * sums, so one layout and one merge serve them all.
 */
final class ProductStatistics implements SufficientStatistics<ProductStatistics> {
    private static final long serialVersionUID = 1L;
    /** Σ_i r_ic, per component. */
    final double[] weight;
    /** Per column, Σ_i r_ic over the rows where that column is observed: the column's M-step count. */
    final double[][] columnWeight;
    /** Per column: K consecutive runs of that family's sums (component c at {@code c * width[j]}). */
    final double[][] sums;
    final int[] width;

    ProductStatistics(int k, int[] width) {
        this.weight = new double[k];
        this.width = width;
        this.sums = new double[width.length][];
        this.columnWeight = new double[width.length][k];
        for (int j = 0; j < width.length; j++) {
            sums[j] = new double[k * width[j]];
        }
    }

    /**
     * Adds one row, {@code x[offset .. offset + columns)}, with responsibilities {@code r}: a missing
     * ({@code NaN}) cell adds nothing to its column (the columns are independent given the component, so
     * skipping it is the exact expected statistic).
     */
    void addRow(ColumnFamily[] families, double[][][] params, double[] x, int offset, double[] r) {
        int k = weight.length;
        for (int c = 0; c < k; c++) {
            weight[c] += r[c];
        }
        for (int j = 0; j < families.length; j++) {
            double v = x[offset + j];
            if (Double.isNaN(v)) {
                continue;
            }
            double[] cw = columnWeight[j];
            for (int c = 0; c < k; c++) {
                cw[c] += r[c];
            }
            families[j].accumulateAll(v, r, params[j], sums[j], width[j], k);
        }
    }

    @Override
    public void merge(ProductStatistics other) {
        for (int c = 0; c < weight.length; c++) {
            weight[c] += other.weight[c];
        }
        for (int j = 0; j < sums.length; j++) {
            for (int c = 0; c < weight.length; c++) {
                columnWeight[j][c] += other.columnWeight[j][c];
            }
        }
        for (int j = 0; j < sums.length; j++) {
            double[] a = sums[j];
            double[] b = other.sums[j];
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }
    }
}
