package io.emkit.mixture;

import io.emkit.em.SufficientStatistics;

/**
 * The sufficient statistics of a Gaussian mixture's M-step, accumulated over rows with their
 * responsibilities {@code r_ic}: per component the total responsibility {@code N_c}, and the first and
 * second moments of the rows <em>centred on a shift</em> {@code s_c}: {@code Σ r (x − s_c)} and
 * {@code Σ r (x − s_c)(x − s_c)ᵀ}.
 *
 * <p>The shift is the component's mean under the parameters of the E-step, so the moments stay small
 * and the covariance {@code M2/N − (M1/N)(M1/N)ᵀ} loses no precision to cancellation even when the data
 * sit far from the origin. Only the upper triangle of each second moment is accumulated (full and tied),
 * or only its diagonal (diag and spherical).
 */
public final class GaussianStatistics implements SufficientStatistics<GaussianStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    final boolean fullSecondMoments;
    final double[] shift;
    final double[] weight;
    final double[] first;
    final double[] second;

    GaussianStatistics(int k, int d, boolean fullSecondMoments, double[] shift) {
        this.k = k;
        this.d = d;
        this.fullSecondMoments = fullSecondMoments;
        this.shift = shift;
        this.weight = new double[k];
        this.first = new double[k * d];
        this.second = new double[fullSecondMoments ? k * d * d : k * d];
    }

    /** @return total responsibility of each component (a copy) */
    public double[] componentWeights() {
        return weight.clone();
    }

    /** @return the total weight of all rows accumulated */
    public double totalWeight() {
        double s = 0;
        for (double w : weight) {
            s += w;
        }
        return s;
    }

    /**
     * Adds rows {@code [from, to)} of a row-major array of {@code D} columns, each with a weight per
     * component {@code weights[(i - from) * K + c]} (responsibilities, or an HMM's state posteriors).
     *
     * @param x       row-major values
     * @param from    first row, inclusive
     * @param to      last row, exclusive
     * @param weights {@code (to - from) * K} non-negative weights
     */
    public void addWeighted(double[] x, int from, int to, double[] weights) {
        BlockWorkspace ws = new BlockWorkspace(d);
        for (int lo = from; lo < to; lo += BlockWorkspace.ROWS) {
            int hi = Math.min(to, lo + BlockWorkspace.ROWS);
            ws.load(x, lo, hi);
            add(ws, weights, (lo - from) * k);
        }
    }

    /**
     * Adds the rows loaded in {@code ws} with their responsibilities {@code resp[i * K + c]}.
     */
    void add(BlockWorkspace ws, double[] resp) {
        add(ws, resp, 0);
    }

    private void add(BlockWorkspace ws, double[] resp, int respOffset) {
        int b = ws.rows;
        double[] r = ws.r;
        java.util.Arrays.fill(r, b, BlockWorkspace.ROWS, 0.0);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < b; i++) {
                r[i] = resp[respOffset + i * k + c];
            }
            addComponent(ws, c, r, 0);
        }
    }

    /**
     * Adds the rows loaded in {@code ws} with the responsibilities the E-step left in {@code ws.jt},
     * component after component, zero in the padding lanes.
     */
    void addFromColumns(BlockWorkspace ws) {
        for (int c = 0; c < k; c++) {
            addComponent(ws, c, ws.jt, c * BlockWorkspace.ROWS);
        }
    }

    private void addComponent(BlockWorkspace ws, int c, double[] r, int rOffset) {
        double wc = BlockWorkspace.KERNELS.sum(ws, r, rOffset);
        if (wc == 0.0) {
            // Far from every row of the block: nothing to add (and no work, which is common with many components).
            return;
        }
        weight[c] += wc;
        int so = c * d;
        ws.centre(shift, so);
        BlockWorkspace.KERNELS.addMoments(ws, r, rOffset, first, so, second, fullSecondMoments ? c * d * d : so,
                fullSecondMoments);
    }

    @Override
    public void merge(GaussianStatistics other) {
        if (other.k != k || other.d != d || other.fullSecondMoments != fullSecondMoments) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes");
        }
        for (int i = 0; i < k; i++) {
            weight[i] += other.weight[i];
        }
        for (int i = 0; i < first.length; i++) {
            first[i] += other.first[i];
        }
        for (int i = 0; i < second.length; i++) {
            second[i] += other.second[i];
        }
    }
}
