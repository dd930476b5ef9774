package io.emkit.mixture;

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
    /** Per column: K consecutive runs of that family's sums (component c at {@code c * width[j]}). */
    final double[][] sums;
    final int[] width;

    ProductStatistics(int k, int[] width) {
        this.weight = new double[k];
        this.width = width;
        this.sums = new double[width.length][];
        for (int j = 0; j < width.length; j++) {
            sums[j] = new double[k * width[j]];
        }
    }

    @Override
    public void merge(ProductStatistics other) {
        for (int c = 0; c < weight.length; c++) {
            weight[c] += other.weight[c];
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
