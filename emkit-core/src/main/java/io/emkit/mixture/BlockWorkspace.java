package io.emkit.mixture;

/**
 * One thread's scratch space for the Gaussian kernels: a block of at most {@link #ROWS} rows held
 * <em>column-major</em> (feature after feature), so that the kernels' inner loops run over rows,
 * contiguously and with a long trip count, which the JIT compiles to SIMD instructions.
 *
 * <p>Not thread-safe: each thread (each engine block) makes its own.
 */
final class BlockWorkspace {
    /** Rows per block. */
    static final int ROWS = 256;

    final int d;
    /** The block's rows, transposed: {@code xt[l * ROWS + i]} is feature l of row i. */
    final double[] xt;
    /** The rows centred on one component's mean, same layout. */
    final double[] zt;
    /** Four partial results per row (four output columns of a triangular product at a time). */
    final double[] a0 = new double[ROWS];
    final double[] a1 = new double[ROWS];
    final double[] a2 = new double[ROWS];
    final double[] a3 = new double[ROWS];
    /** Squared Mahalanobis distance per row. */
    final double[] ss = new double[ROWS];
    /** One component's responsibilities, contiguous. */
    final double[] r = new double[ROWS];
    /** Responsibility-weighted centred feature, per row. */
    final double[] wz = new double[ROWS];
    int rows;
    /** The loaded rows that have a missing value, ascending, as found by {@link #findIncompleteRows()}. */
    final int[] incomplete = new int[ROWS];

    BlockWorkspace(int d) {
        this.d = d;
        this.xt = new double[d * ROWS];
        this.zt = new double[d * ROWS];
    }

    /** Row-major staging for rows that are not in a heap array; allocated on first use. */
    private double[] staging;

    /** Loads rows {@code [from, to)} (at most {@link #ROWS}), transposed. */
    void load(io.emkit.data.Rows data, int from, int to) {
        if (data instanceof io.emkit.data.Dataset ds) {
            load(ds.rawValues(), from, to);
            return;
        }
        if (staging == null) {
            staging = new double[ROWS * d];
        }
        data.copyRows(from, to, staging);
        rows = to - from;
        for (int i = 0; i < rows; i++) {
            int xo = i * d;
            for (int l = 0; l < d; l++) {
                xt[l * ROWS + i] = staging[xo + l];
            }
        }
    }

    /** Loads rows {@code [from, to)} (at most {@link #ROWS}) of a row-major array, transposed. */
    void load(double[] x, int from, int to) {
        rows = to - from;
        for (int i = 0; i < rows; i++) {
            int xo = (from + i) * d;
            for (int l = 0; l < d; l++) {
                xt[l * ROWS + i] = x[xo + l];
            }
        }
    }

    /** {@code zt = xt − mean}, the mean read at {@code means[offset .. offset + d)}. */
    void centre(double[] means, int offset) {
        int b = rows;
        for (int l = 0; l < d; l++) {
            double m = means[offset + l];
            int lo = l * ROWS;
            for (int i = 0; i < b; i++) {
                zt[lo + i] = xt[lo + i] - m;
            }
        }
    }

    /**
     * {@code ss[i] = ‖z_i U‖²} for upper-triangular U (row-major D×D): four output columns at a time, so
     * each load of a centred feature feeds four fused multiply-adds.
     */
    void triangularSquaredNorms(double[] u) {
        int b = rows;
        java.util.Arrays.fill(ss, 0, b, 0.0);
        int j = 0;
        for (; j + 3 < d; j += 4) {
            // Columns j..j+3 of U have non-zeros in rows 0..j+3 only.
            double u0 = u[j];
            double u1 = u[j + 1];
            double u2 = u[j + 2];
            double u3 = u[j + 3];
            for (int i = 0; i < b; i++) {
                double z = zt[i];
                a0[i] = u0 * z;
                a1[i] = u1 * z;
                a2[i] = u2 * z;
                a3[i] = u3 * z;
            }
            for (int l = 1; l <= j + 3; l++) {
                int ro = l * d + j;
                double v0 = u[ro];
                double v1 = u[ro + 1];
                double v2 = u[ro + 2];
                double v3 = u[ro + 3];
                int lo = l * ROWS;
                for (int i = 0; i < b; i++) {
                    double z = zt[lo + i];
                    a0[i] += v0 * z;
                    a1[i] += v1 * z;
                    a2[i] += v2 * z;
                    a3[i] += v3 * z;
                }
            }
            for (int i = 0; i < b; i++) {
                ss[i] += (a0[i] * a0[i] + a1[i] * a1[i]) + (a2[i] * a2[i] + a3[i] * a3[i]);
            }
        }
        for (; j < d; j++) {
            double u0 = u[j];
            for (int i = 0; i < b; i++) {
                a0[i] = u0 * zt[i];
            }
            for (int l = 1; l <= j; l++) {
                double ul = u[l * d + j];
                int lo = l * ROWS;
                for (int i = 0; i < b; i++) {
                    a0[i] += ul * zt[lo + i];
                }
            }
            for (int i = 0; i < b; i++) {
                ss[i] += a0[i] * a0[i];
            }
        }
    }

    /** {@code ss[i] = Σ_l (z_il · p_l)²}, with one scale per feature, or one for all when {@code p.length == 1}. */
    void scaledSquaredNorms(double[] p) {
        int b = rows;
        java.util.Arrays.fill(ss, 0, b, 0.0);
        for (int l = 0; l < d; l++) {
            double s = p[p.length == 1 ? 0 : l];
            int lo = l * ROWS;
            for (int i = 0; i < b; i++) {
                double y = zt[lo + i] * s;
                ss[i] += y * y;
            }
        }
    }

    /**
     * Adds {@code Σ_i w[i] · zt[column][i]} to {@code out[outOffset + column − from]} for every column in
     * {@code [from, to)}; four columns share each load of {@code w} and keep four independent sums.
     */
    void addDots(double[] w, int from, int to, double[] out, int outOffset) {
        int b = rows;
        int c = from;
        for (; c + 3 < to; c += 4) {
            int o0 = c * ROWS;
            int o1 = o0 + ROWS;
            int o2 = o1 + ROWS;
            int o3 = o2 + ROWS;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int i = 0; i < b; i++) {
                double wi = w[i];
                s0 += wi * zt[o0 + i];
                s1 += wi * zt[o1 + i];
                s2 += wi * zt[o2 + i];
                s3 += wi * zt[o3 + i];
            }
            int o = outOffset + c - from;
            out[o] += s0;
            out[o + 1] += s1;
            out[o + 2] += s2;
            out[o + 3] += s3;
        }
        for (; c < to; c++) {
            int co = c * ROWS;
            double s = 0;
            for (int i = 0; i < b; i++) {
                s += w[i] * zt[co + i];
            }
            out[outOffset + c - from] += s;
        }
    }

    /**
     * Finds the loaded rows with a missing ({@code NaN}) value and lists them in {@link #incomplete}.
     *
     * @return how many there are
     */
    int findIncompleteRows() {
        int b = rows;
        int count = 0;
        for (int i = 0; i < b; i++) {
            for (int l = 0; l < d; l++) {
                if (Double.isNaN(xt[l * ROWS + i])) {
                    incomplete[count++] = i;
                    break;
                }
            }
        }
        return count;
    }

    /** Copies loaded row {@code i} into {@code dest[0 .. d)}, row-major. */
    void copyRow(int i, double[] dest) {
        for (int l = 0; l < d; l++) {
            dest[l] = xt[l * ROWS + i];
        }
    }

    /**
     * Removes the first {@code count} rows listed in {@link #incomplete} from the block, and the same rows
     * of {@code perRow} ({@code width} values a row), keeping the other rows in order: what is left is
     * complete and goes through the block kernels.
     */
    void dropIncompleteRows(int count, double[] perRow, int width) {
        int kept = 0;
        int next = 0;
        for (int i = 0; i < rows; i++) {
            if (next < count && incomplete[next] == i) {
                next++;
                continue;
            }
            if (kept != i) {
                for (int l = 0; l < d; l++) {
                    xt[l * ROWS + kept] = xt[l * ROWS + i];
                }
                System.arraycopy(perRow, i * width, perRow, kept * width, width);
            }
            kept++;
        }
        rows = kept;
    }
}
