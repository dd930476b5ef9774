package io.emkit.kernels;

/**
 * One thread's scratch space for the Gaussian kernels: a block of at most {@link #ROWS} rows held
 * <em>column-major</em> (feature after feature), so that the kernels' inner loops run over rows,
 * contiguously and with a long trip count, which the JIT compiles to SIMD instructions.
 *
 * <p>Not thread-safe: each thread (each engine block) makes its own.
 */
public final class BlockWorkspace {
    /** Rows per block: a multiple of {@link BlockKernels#PAD}. */
    public static final int ROWS = 256;

    /** The kernels every workspace of this JVM uses. */
    public static final BlockKernels KERNELS = BlockKernels.best();

    final int d;
    /** The block's rows, transposed: {@code xt[l * ROWS + i]} is feature l of row i. */
    final double[] xt;
    /** Scratch for kernels that keep the rows centred on one component's mean, same layout. */
    final double[] zt;
    /** The rows after {@link #transformRows}, same layout; allocated on first use. */
    private double[] yt;
    /** Four partial results per row (four output columns of a triangular product at a time). */
    final double[] a0 = new double[ROWS];
    final double[] a1 = new double[ROWS];
    final double[] a2 = new double[ROWS];
    final double[] a3 = new double[ROWS];
    /** Squared Mahalanobis distance per row. */
    public final double[] ss = new double[ROWS];
    /** One component's responsibilities, contiguous. */
    public final double[] r = new double[ROWS];
    /** Responsibility-weighted centred feature, per row (the scalar kernels); √r per row (the SIMD kernels). */
    final double[] wz = new double[ROWS];
    /** Log joint densities, then responsibilities, component after component: {@code jt[c * ROWS + i]}. */
    public double[] jt = new double[0];
    /** Scratch for kernels that carry partial sums from one pass to the next; allocated on first use. */
    double[] partial;
    /** Lanes of vectors that the SIMD kernels sum in a fixed order. */
    final double[] lanes = new double[32];
    /**
     * The loaded rows as they were read, row-major with {@code d} columns from {@link #sourceOffset}: the data's own
     * array, or {@link #staging}; {@code null} once {@link #clearIncompleteRows} has changed the rows in {@link #xt}
     * (the source still holds their missing values).
     */
    double[] source;
    /** Where the loaded rows start in {@link #source}. */
    int sourceOffset;
    /**
     * The loaded rows less the block's first row ({@link #shift}), row-major with {@link #rowStride} columns (the columns
     * past {@code d} stay zero), made from {@link #source} on first use for each block ({@link #shiftedRows()}).
     */
    private double[] shiftedRows;
    /** The block's {@link #columnAnchor}s (its first row), zero past {@code d}: what {@link #shiftedRows} are relative to. */
    final double[] shift;
    /** The {@link #generation} whose rows {@link #shiftedRows} holds (−1: none). */
    private int shiftedGeneration = -1;
    /** Columns per row of {@link #shiftedRows}: {@code d} rounded up to a multiple of 8. */
    final int rowStride;
    /** A component's mean less {@link #shift}, padded with zeros to {@link #rowStride}. */
    final double[] delta;
    /** Per column of {@link #shiftedRows}, a component's first moments {@code Σ r·(x − μ)}. */
    final double[] columnSums;
    /** A tile of second moments, eight rows of at most sixteen columns, then its columns' first moments. */
    final double[] momentTile = new double[9 * 16];
    /** The rows' weights, when the data carry them ({@link #weighted}). */
    final double[] w = new double[ROWS];
    /** Whether the rows loaded last carry weights. */
    public boolean weighted;
    /** How many rows are loaded. */
    public int rows;
    /** The loaded rows that have a missing value, ascending, as found by {@link #findIncompleteRows()}. */
    public final int[] incomplete = new int[ROWS];

    /** The rows centred on one component's mean and rounded to float, {@code xt}'s layout; allocated on first use. */
    float[] zf;
    /** Four float partial results per row, {@code ROWS} apart; allocated with {@link #zf}. */
    float[] af;
    /** Float squared distances per row; allocated with {@link #zf}. */
    float[] ssf;
    /**
     * The loaded rows about {@link #anchor} split in two floats, {@code x − anchor ≈ xHigh + xLow} to about 48
     * bits, {@code xt}'s layout: made once per block by {@link #narrowRows}, so that the vector kernel centres on
     * each component in float without narrowing again; allocated with {@link #zf}.
     */
    float[] xHigh;
    /** The low halves of {@link #xHigh}'s split. */
    float[] xLow;
    /** Per feature, the first finite value of the loaded rows (0 if none): what {@link #xHigh} is about. */
    double[] anchor;
    /** Whether {@link #xHigh} holds the rows loaded now: cleared wherever {@link #xt} changes. */
    private boolean narrowed;

    /**
     * The loaded rows centred in float on each component's centre by the SIMD triangular product, kept for the
     * second moments of the same block and centre (which then need not centre again): slot s, for the centre at
     * offset s·D of its array, at {@code centred[s·D·ROWS ..]}, {@link #zf}'s layout. Allocated on first use, at
     * most {@link #CENTRED_BYTES}; components beyond that are centred again.
     */
    float[] centred;
    /** Per slot, the centre its rows were centred on ({@code D} values each). */
    private double[] centredOn;
    /** Per slot, the {@link #generation} of the rows it holds (−1: none). */
    private int[] centredGeneration;
    /** Counts the changes of the loaded rows: a slot of an older generation is stale. */
    private int generation;
    /** The most the centred rows' cache may take: 1 MiB, within the level-2 cache of the machines measured. */
    static final int CENTRED_BYTES = 1 << 20;

    /**
     * The start in {@link #centred} where the triangular product is to leave the rows centred on
     * {@code centre[offset ..]}, recorded as centred there for this block; −1 when the centre has no slot (the
     * product then centres into {@link #zf}).
     */
    int centredSlot(double[] centre, int offset) {
        int slots = CENTRED_BYTES / (4 * d * ROWS);
        int s = offset / d;
        if (offset % d != 0 || s >= slots) {
            return -1;
        }
        if (centredGeneration == null || centredGeneration.length <= s) {
            int n = Math.min(slots, Math.max(s + 1, centredGeneration == null ? 4 : 2 * centredGeneration.length));
            float[] c = new float[n * d * ROWS];
            double[] on = new double[n * d];
            int[] g = new int[n];
            java.util.Arrays.fill(g, -1);
            if (centredGeneration != null) {
                System.arraycopy(centred, 0, c, 0, centred.length);
                System.arraycopy(centredOn, 0, on, 0, centredOn.length);
                System.arraycopy(centredGeneration, 0, g, 0, centredGeneration.length);
            }
            centred = c;
            centredOn = on;
            centredGeneration = g;
        }
        System.arraycopy(centre, offset, centredOn, s * d, d);
        centredGeneration[s] = generation;
        return s * d * ROWS;
    }

    /**
     * The start in {@link #centred} of this block's rows centred on {@code centre[offset ..]} (the same values), or
     * −1 if they are not there.
     */
    int centredOn(double[] centre, int offset) {
        int s = offset / d;
        if (centredGeneration == null || offset % d != 0 || s >= centredGeneration.length
                || centredGeneration[s] != generation) {
            return -1;
        }
        for (int l = 0; l < d; l++) {
            // Compared as bits: the same centre, not one equal to it (0.0 and −0.0 centre alike, but NaN never).
            if (Double.doubleToRawLongBits(centre[offset + l]) != Double.doubleToRawLongBits(centredOn[s * d + l])) {
                return -1;
            }
        }
        return s * d * ROWS;
    }

    /** One component's responsibilities over their block maximum, in float, for the float second moments. */
    float[] rf;
    /** Their square roots. */
    float[] rootf;
    /** The float moments' partial sums, four per entry sixteen apart: first moments, then the D×D second moments. */
    float[] foldf;
    /** The float moments widened to double, {@code D + D·D} values, before they are added. */
    double[] momentSums;

    /**
     * Whether the models compute their triangular distances on these rows in float, and the statistics their full
     * second moments' products ({@link BlockKernels#addMomentsSingle}).
     */
    public final boolean singlePrecision;

    /** The kernels this workspace's rows are computed with. */
    public final BlockKernels kernels;

    /**
     * A workspace for rows of {@code d} features, computed with the fastest kernels of this JVM.
     *
     * @param d the number of features
     */
    public BlockWorkspace(int d) {
        this(d, KERNELS);
    }

    /**
     * A workspace for rows of {@code d} features, computed with the given kernels.
     *
     * @param d       the number of features
     * @param kernels the kernels, e.g. {@link BlockKernels#forSize}
     */
    public BlockWorkspace(int d, BlockKernels kernels) {
        this(d, kernels, false);
    }

    /**
     * A workspace for rows of {@code d} features, computed with the given kernels, its full-covariance distances in
     * single precision if {@code singlePrecision}.
     *
     * @param d               the number of features
     * @param kernels         the kernels, e.g. {@link BlockKernels#forSize}
     * @param singlePrecision whether the models' triangular distances run in float
     *                        ({@link #triangularSquaredNormsSingle})
     */
    public BlockWorkspace(int d, BlockKernels kernels, boolean singlePrecision) {
        this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
        this.singlePrecision = singlePrecision;
        this.d = d;
        this.xt = new double[d * ROWS];
        this.zt = new double[d * ROWS];
        this.rowStride = (d + 7) / 8 * 8;
        this.shift = new double[rowStride];
        this.delta = new double[rowStride];
        this.columnSums = new double[rowStride];
    }

    /**
     * The most features of a workspace {@link #reusable} keeps on its thread (0.15–0.4 MB of arrays, by their
     * sizes): where a block's E-step is cheap enough for making its workspace to count. On Old Faithful a new
     * workspace per E-step was 45–65 KB of arrays to allocate and zero each time, and {@code select} made some 16 GB
     * of them (4,105 young collections of about 4 MB each; 1,361 since).
     */
    static final int REUSABLE_MAX_FEATURES = 32;

    /** Each thread's last {@link #reusable} workspace. */
    private static final ThreadLocal<BlockWorkspace> LAST_ON_THREAD = new ThreadLocal<>();

    /**
     * A workspace for this thread, the one it was given last when that has the same features, kernels and
     * precision (and at most {@link #REUSABLE_MAX_FEATURES} features), else a new one kept for next time. Nothing of
     * one use reaches the next: every kernel reads only what {@link #load} and the kernels before it in the same
     * block wrote (as it already must from one block to the next), and the caches of centred rows are tied to the
     * loads by {@link #generation}. The caller {@link #release}s it when done; until then a second call on the same
     * thread (an E-step within an E-step) gets a new workspace.
     *
     * @param d               the number of features
     * @param kernels         the kernels
     * @param singlePrecision as for {@link #BlockWorkspace(int, BlockKernels, boolean)}
     * @return a workspace, perhaps used before on this thread
     */
    static BlockWorkspace reusable(int d, BlockKernels kernels, boolean singlePrecision) {
        if (d > REUSABLE_MAX_FEATURES) {
            return new BlockWorkspace(d, kernels, singlePrecision);
        }
        BlockWorkspace last = LAST_ON_THREAD.get();
        if (last != null && !last.lent && last.d == d && last.kernels == kernels
                && last.singlePrecision == singlePrecision) {
            last.lent = true;
            return last;
        }
        BlockWorkspace fresh = new BlockWorkspace(d, kernels, singlePrecision);
        fresh.lent = true;
        LAST_ON_THREAD.set(fresh);
        return fresh;
    }

    /**
     * {@code body} run with this thread's {@link #reusable} workspace, released after: how an E-step over a part of
     * the rows gets its workspace.
     *
     * @param d               the number of features
     * @param kernels         the kernels
     * @param singlePrecision as for {@link #BlockWorkspace(int, BlockKernels, boolean)}
     * @param body            what to compute with the workspace (e.g. the part's log-likelihood)
     * @return what {@code body} returned
     */
    public static double withReusable(int d, BlockKernels kernels, boolean singlePrecision,
                                      java.util.function.ToDoubleFunction<BlockWorkspace> body) {
        BlockWorkspace ws = reusable(d, kernels, singlePrecision);
        try {
            return body.applyAsDouble(ws);
        } finally {
            ws.release();
        }
    }

    /** Whether {@link #reusable} has handed this workspace out and it has not been {@link #release}d since. */
    private boolean lent;

    /**
     * Lets go of the rows loaded last (the data's own array, perhaps), so that a kept workspace holds no data, and
     * lets {@link #reusable} hand it out again.
     */
    void release() {
        source = null;
        rows = 0;
        lent = false;
    }

    /**
     * The loaded rows less the first of them, row-major with {@link #rowStride} columns, zero past {@code d}; made
     * once per block. Shifted so that products of raw values do not lose the digits a large offset of the data
     * would take (the rows of a block lie near one another compared with their distance from the origin).
     *
     * @return the shifted rows, or {@code null} where the block's rows in {@link #xt} are not those of
     *         {@link #source} (rows with missing values, cleared)
     */
    double[] shiftedRows() {
        if (source == null) {
            return null;
        }
        if (shiftedGeneration != generation) {
            if (shiftedRows == null) {
                shiftedRows = new double[ROWS * rowStride];
            }
            for (int l = 0; l < d; l++) {
                shift[l] = columnAnchor(l);
            }
            for (int i = 0; i < rows; i++) {
                int xo = sourceOffset + i * d;
                int yo = i * rowStride;
                for (int l = 0; l < d; l++) {
                    shiftedRows[yo + l] = source[xo + l] - shift[l];
                }
            }
            shiftedGeneration = generation;
        }
        return shiftedRows;
    }

    /** {@code rows} rounded up to the kernels' SIMD step. */
    static int padded(int rows) {
        return (rows + BlockKernels.PAD - 1) / BlockKernels.PAD * BlockKernels.PAD;
    }

    /**
     * Makes {@link #jt} hold {@code k} components.
     *
     * @param k the number of components
     */
    public void ensureComponents(int k) {
        if (jt.length < k * ROWS) {
            jt = new double[k * ROWS];
        }
    }

    /** Row-major staging for rows that are not in a heap array; allocated on first use. */
    private double[] staging;

    /**
     * Loads rows {@code [from, to)} (at most {@link #ROWS}), transposed.
     *
     * @param data the rows
     * @param from the first row
     * @param to one past the last row
     */
    public void load(io.emkit.data.Rows data, int from, int to) {
        weighted = data.isWeighted();
        if (weighted) {
            data.copyWeights(from, to, w);
        }
        if (data instanceof io.emkit.data.Dataset ds) {
            load(ds.rawValues(), from, to);
            return;
        }
        if (staging == null) {
            staging = new double[ROWS * d];
        }
        data.copyRows(from, to, staging);
        source = staging;
        sourceOffset = 0;
        rows = to - from;
        narrowed = false;
        generation++;
        for (int i = 0; i < rows; i++) {
            int xo = i * d;
            for (int l = 0; l < d; l++) {
                xt[l * ROWS + i] = staging[xo + l];
            }
        }
        zeroPadding();
    }

    /**
     * Loads rows {@code [from, to)} (at most {@link #ROWS}) of a row-major array, transposed.
     *
     * @param x the rows, row-major with {@code d} columns
     * @param from the first row
     * @param to one past the last row
     */
    public void load(double[] x, int from, int to) {
        source = x;
        sourceOffset = from * d;
        rows = to - from;
        narrowed = false;
        generation++;
        for (int i = 0; i < rows; i++) {
            int xo = (from + i) * d;
            for (int l = 0; l < d; l++) {
                xt[l * ROWS + i] = x[xo + l];
            }
        }
        zeroPadding();
    }

    /**
     * Zeroes the rows past the loaded ones up to the kernels' step ({@link #padded}), which the kernels compute on and
     * then weigh by zero. They already give the same bits whatever those rows hold (a fit after rows of 1e300, whose
     * squares overflow, was the fresh thread's in ReusableWorkspaceTest without this); zeroed so that what a
     * {@link #reusable} workspace holds past its rows never comes from another fit's data.
     */
    private void zeroPadding() {
        int end = Math.min(ROWS, padded(rows));
        if (end > rows) {
            for (int l = 0; l < d; l++) {
                java.util.Arrays.fill(xt, l * ROWS + rows, l * ROWS + end, 0.0);
            }
        }
    }

    /**
     * Multiplies each loaded row's responsibilities {@code resp[i * K + c]} by the row's weight.
     *
     * @param resp the responsibilities, row-major with {@code k} columns
     * @param k the number of components
     */
    public void scaleByWeight(double[] resp, int k) {
        for (int i = 0; i < rows; i++) {
            double wi = w[i];
            int o = i * k;
            for (int c = 0; c < k; c++) {
                resp[o + c] *= wi;
            }
        }
    }

    /**
     * Multiplies each loaded row's responsibilities {@code jt[c * ROWS + i]} by the row's weight.
     *
     * @param k the number of components
     */
    public void scaleColumnsByWeight(int k) {
        for (int c = 0; c < k; c++) {
            int o = c * ROWS;
            for (int i = 0; i < rows; i++) {
                jt[o + i] *= w[i];
            }
        }
    }

    /**
     * {@code Σ_i w_i · perRow[i]} over the loaded rows; a row of weight 0 adds nothing, even an infinite value.
     *
     * @param perRow one value per loaded row
     * @return the weighted sum
     */
    public double weightedSum(double[] perRow) {
        double total = 0;
        for (int i = 0; i < rows; i++) {
            if (w[i] != 0) {
                total += w[i] * perRow[i];
            }
        }
        return total;
    }

    /**
     * {@code zt = xt − mean}, the mean read at {@code means[offset .. offset + d)}.
     *
     * @param means the array holding the mean
     * @param offset where the mean starts
     */
    public void centre(double[] means, int offset) {
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
     * {@code ss[i] = ‖z_i U‖²} for the rows centred on {@code means[offset ..]}, upper-triangular U (row-major D×D).
     *
     * @param means the array holding the centre
     * @param offset where the centre starts
     * @param u the D×D upper-triangular factor, row-major
     */
    public void triangularSquaredNorms(double[] means, int offset, double[] u) {
        kernels.triangularSquaredNorms(this, means, offset, u);
    }

    /**
     * {@link #triangularSquaredNorms} with the product in single precision
     * ({@link BlockKernels#triangularSquaredNormsSingle}). Where a loaded row's float distance is not finite (a
     * centred or scaled value beyond float's range) and the row has no missing value (whose NaN distance the models
     * replace by the marginal one), the whole block is computed again in double with {@code u}: the result is then
     * the double one, exactly, and depends on the block only.
     *
     * @param means  the array holding the centre
     * @param offset where the centre starts
     * @param single the D×D upper-triangular factor rounded to float, row-major
     * @param u      the same factor in double
     */
    public void triangularSquaredNormsSingle(double[] means, int offset, float[] single, double[] u) {
        kernels.triangularSquaredNormsSingle(this, means, offset, single);
        for (int i = 0; i < rows; i++) {
            if (!(ss[i] < Double.POSITIVE_INFINITY) && !(Double.isNaN(ss[i]) && hasMissingValue(i))) {
                kernels.triangularSquaredNorms(this, means, offset, u);
                return;
            }
        }
    }

    /** Whether loaded row i has a missing value: its distance is NaN in either precision, and evaluated apart. */
    private boolean hasMissingValue(int i) {
        for (int l = 0; l < d; l++) {
            if (Double.isNaN(xt[l * ROWS + i])) {
                return true;
            }
        }
        return false;
    }

    /** Allocates the float scratch space of {@link BlockKernels#triangularSquaredNormsSingle} on first use. */
    void ensureSingle() {
        if (zf == null) {
            zf = new float[d * ROWS];
            af = new float[4 * ROWS];
            ssf = new float[ROWS];
            xHigh = new float[d * ROWS];
            xLow = new float[d * ROWS];
            anchor = new double[d];
        }
    }

    /** Allocates the scratch space of {@link BlockKernels#addMomentsSingle} on first use. */
    void ensureSingleMoments() {
        ensureSingle();
        if (rf == null) {
            rf = new float[ROWS];
            rootf = new float[ROWS];
            foldf = new float[16 * (d + d * d)];
            momentSums = new double[d + d * d];
        }
    }

    /**
     * Splits the first {@code n} lanes of the loaded rows (past {@link #rows}, the padding's stale values) into
     * {@link #xHigh} and {@link #xLow} about {@link #anchor}, once per block: {@code h = (float) (x − a)},
     * {@code l = (float) (x − a − h)}, where {@code x − a − h} is exact in double. A component's centre split the
     * same way, {@code (h − h_μ) + (l − l_μ)} is {@code x − μ} rounded about twice to float's precision, relative
     * to {@code |x − μ|}, as long as {@code |x − a|} is within 2²⁴ times {@code |x − μ|}: a few float roundings of
     * the rows' own offset, not of their distance to the anchor. Plain Java: the Vector API's shape conversions
     * (double to float) are left to a slow Java fallback by the JIT in some JVMs.
     *
     * @param n how many lanes to split, at most {@link #ROWS}
     */
    void narrowRows(int n) {
        if (narrowed) {
            return;
        }
        ensureSingle();
        for (int l = 0; l < d; l++) {
            int o = l * ROWS;
            double a = columnAnchor(l);
            anchor[l] = a;
            for (int i = 0; i < n; i++) {
                double x = xt[o + i] - a;
                float h = (float) x;
                xHigh[o + i] = h;
                xLow[o + i] = (float) (x - h);
            }
        }
        narrowed = true;
    }

    /**
     * The point of the block that its rows are taken relative to, column by column ({@link #narrowRows},
     * {@link #shiftedRows}): near all of them, so that differences from it keep the digits an offset of the data
     * would take.
     *
     * @param l the column
     * @return column l's first finite value among the loaded rows, or 0 if it has none
     */
    private double columnAnchor(int l) {
        int o = l * ROWS;
        for (int i = 0; i < rows; i++) {
            if (Double.isFinite(xt[o + i])) {
                return xt[o + i];
            }
        }
        return 0.0;
    }

    /**
     * {@code y_i = Uᵀ (x_i − a)} for each loaded row, kept for {@link #transformedSquaredDistances}: the
     * triangular product of {@link #triangularSquaredNorms} made once for all components that share U (a
     * tied covariance), which then costs D operations per component instead of D²/2.
     *
     * @param anchor the point a the rows are taken relative to (near the data, so that differences of
     *               transformed points lose no precision)
     * @param u      the D×D upper-triangular factor, row-major
     */
    public void transformRows(double[] anchor, double[] u) {
        centre(anchor, 0);
        if (yt == null) {
            yt = new double[d * ROWS];
        }
        int b = rows;
        for (int j = 0; j < d; j++) {
            int jo = j * ROWS;
            double u0 = u[j];
            for (int i = 0; i < b; i++) {
                yt[jo + i] = u0 * zt[i];
            }
            for (int l = 1; l <= j; l++) {
                double ul = u[l * d + j];
                int lo = l * ROWS;
                for (int i = 0; i < b; i++) {
                    yt[jo + i] += ul * zt[lo + i];
                }
            }
        }
    }

    /**
     * {@code ss[i] = ‖y_i − m‖²} for the rows transformed by {@link #transformRows}, the point m read at
     * {@code points[offset .. offset + d)} (a mean transformed the same way).
     *
     * @param points the array holding the transformed point
     * @param offset where it starts
     */
    public void transformedSquaredDistances(double[] points, int offset) {
        int b = rows;
        java.util.Arrays.fill(ss, 0, b, 0.0);
        for (int l = 0; l < d; l++) {
            double m = points[offset + l];
            int lo = l * ROWS;
            for (int i = 0; i < b; i++) {
                double y = yt[lo + i] - m;
                ss[i] += y * y;
            }
        }
    }

    /**
     * {@code ss[i] = Σ_l ((x_il − m_l) · p_l)²}, the mean read at {@code means[offset .. offset + d)}, with one
     * scale per feature, or one for all when {@code p.length == 1}: the diagonal and spherical distances, each row
     * centred as it is read (the centred rows are not kept; centring them into {@link #zt} first and reading them
     * back was a second pass over the block).
     *
     * @param means  the array holding the mean
     * @param offset where the mean starts
     * @param p      the per-feature scales
     */
    public void centredScaledSquaredNorms(double[] means, int offset, double[] p) {
        int b = rows;
        java.util.Arrays.fill(ss, 0, b, 0.0);
        for (int l = 0; l < d; l++) {
            double m = means[offset + l];
            double s = p[p.length == 1 ? 0 : l];
            int lo = l * ROWS;
            for (int i = 0; i < b; i++) {
                double y = (xt[lo + i] - m) * s;
                ss[i] += y * y;
            }
        }
    }


    /**
     * Whether {@code values[offset + i]} is NaN for any loaded row i.
     *
     * @param values the values, one per loaded row
     * @param offset where the block's values start
     * @return whether any is NaN
     */
    public boolean anyNaN(double[] values, int offset) {
        for (int i = 0; i < rows; i++) {
            if (Double.isNaN(values[offset + i])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the loaded rows with a missing ({@code NaN}) value and lists them in {@link #incomplete}.
     *
     * @return how many there are
     */
    public int findIncompleteRows() {
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

    /**
     * Copies loaded row {@code i} into {@code dest[0 .. d)}, row-major.
     *
     * @param i the row within the block
     * @param dest receives its d values
     */
    public void copyRow(int i, double[] dest) {
        for (int l = 0; l < d; l++) {
            dest[l] = xt[l * ROWS + i];
        }
    }

    /**
     * Takes the first {@code count} rows listed in {@link #incomplete} out of the block's statistics once
     * their expected statistics have been added: zero responsibilities in {@link #jt} for all {@code k}
     * components, and zeros for their values in {@link #xt} and {@link #zt}. The kernels multiply every lane
     * by its responsibility, and {@code 0 · NaN} is NaN: a missing value left in {@code xt} (or a centred
     * one left in {@code zt}, which later blocks may read as padding lanes) would spoil the sums.
     *
     * @param count how many of {@link #incomplete} to clear
     * @param k the number of components
     */
    public void clearIncompleteRows(int count, int k) {
        narrowed = false;
        generation++;
        if (count > 0) {
            source = null;
        }
        for (int t = 0; t < count; t++) {
            int i = incomplete[t];
            for (int c = 0; c < k; c++) {
                jt[c * ROWS + i] = 0.0;
            }
            for (int l = 0; l < d; l++) {
                xt[l * ROWS + i] = 0.0;
                zt[l * ROWS + i] = 0.0;
            }
        }
    }
}
