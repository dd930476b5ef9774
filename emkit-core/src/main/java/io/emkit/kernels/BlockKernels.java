package io.emkit.kernels;

/**
 * The arithmetic of the Gaussian E- and M-steps on one {@link BlockWorkspace}: the only code whose speed
 * decides a fit's. Two implementations compute the same quantities: {@link ScalarKernels}, plain Java
 * that runs everywhere, and {@code VectorKernels}, register-blocked SIMD code on the JDK's incubating
 * Vector API, used when the JVM was started with {@code --add-modules jdk.incubator.vector} (the
 * {@code emkit} command does so) on hardware with 256-bit vectors.
 *
 * <p>Both are deterministic: each block's result depends only on the block, never on the thread or the
 * JIT's state (no floating-point reduction whose order the JVM may choose), so fits stay bit-identical for
 * any thread count. The two differ from each other in rounding only.
 *
 * <p>Row lanes at and beyond {@code ws.rows} (up to the next multiple of 8) may be computed on stale but
 * finite values: callers ignore the E-step's results there and the M-step sees zero responsibilities there.
 */
public interface BlockKernels {
    /**
     * Rows per SIMD step that a Gaussian block's padding must cover: two vectors of up to eight doubles (512 bits).
     * Every implementation zeroes the padding lanes' responsibilities this far, so any kernel may read them.
     */
    int PAD = 16;

    /**
     * What a factor block's rows and {@code stride} are a multiple of: eight, as when the widest vectors held
     * four doubles, so that the factor fits' blocks (and the order of their sums) stay what they were; the SIMD
     * kernels handle a multiple of eight at any width.
     */
    int FACTOR_PAD = 8;

    /**
     * A short name for messages and benchmarks: {@code "vector-512"}, {@code "vector-256"} or {@code "scalar"}.
     *
     * @return the name
     */
    String name();

    /**
     * {@code ws.ss[i] = ‖z_i U‖²} for the loaded rows centred on {@code centre[centreOffset ..]},
     * {@code z_i = x_i − centre}, and an upper-triangular row-major D×D U. May use {@code ws.zt} as scratch
     * space.
     *
     * @param ws the workspace holding the loaded rows; {@code ws.ss} receives the result
     * @param centre the array holding the centre
     * @param centreOffset where the centre starts in {@code centre}
     * @param u the D×D upper-triangular factor, row-major
     */
    void triangularSquaredNorms(BlockWorkspace ws, double[] centre, int centreOffset, double[] u);

    /**
     * {@link #triangularSquaredNorms} in single precision: each row's offset {@code z_i = x_i − centre} is rounded to
     * float (the portable kernels centre in double; the SIMD ones centre in float the rows the workspace split once
     * per block into two floats each, which keeps z_i to about two float roundings), and {@code ‖z_i U‖²} is
     * computed in float arithmetic (twice the SIMD lanes of double) with a float copy of U, then widened into
     * {@code ws.ss}. Relative error of order D·2⁻²⁴ of the distance. A value
     * beyond float's range comes out infinite or NaN; {@link BlockWorkspace#triangularSquaredNormsSingle} then
     * recomputes the block in double. May use the workspace's float scratch space.
     *
     * @param ws           the workspace holding the loaded rows; {@code ws.ss} receives the result
     * @param centre       the array holding the centre
     * @param centreOffset where the centre starts in {@code centre}
     * @param u            the D×D upper-triangular factor, row-major, rounded to float
     */
    void triangularSquaredNormsSingle(BlockWorkspace ws, double[] centre, int centreOffset, float[] u);

    /**
     * {@code Σ r[offset + i]} over the block's rows (zero beyond them), in an order fixed by the implementation.
     *
     * @param ws the workspace (its row count)
     * @param r the values
     * @param offset where the block's values start in {@code r}
     * @return the sum
     */
    double sum(BlockWorkspace ws, double[] r, int offset);

    /**
     * Adds the responsibility-weighted moments of the loaded rows centred on {@code centre[centreOffset ..]},
     * {@code z_i = x_i − centre}: {@code Σ r_i z_ia} to
     * {@code first[firstOffset + a]}, and {@code Σ r_i z_ia z_ib} to {@code second[secondOffset + a·D + b]}
     * for {@code a ≤ b} when {@code fullSecond}, else only {@code Σ r_i z_ia²} to {@code second[secondOffset + a]}.
     * {@code r[rOffset ..]} holds {@link BlockWorkspace#ROWS} values, zero beyond {@code ws.rows}. May use
     * {@code ws.zt} as scratch space.
     *
     * @param ws the workspace holding the loaded rows
     * @param centre the array holding the centre
     * @param centreOffset where the centre starts
     * @param r the responsibilities
     * @param rOffset where the block's responsibilities start
     * @param first receives the first moments
     * @param firstOffset where they start
     * @param second receives the second moments
     * @param secondOffset where they start
     * @param fullSecond whether to add the full upper triangle or only the diagonal
     */
    void addMoments(BlockWorkspace ws, double[] centre, int centreOffset, double[] r, int rOffset, double[] first,
                    int firstOffset, double[] second, int secondOffset, boolean fullSecond);

    /**
     * {@link #addMoments} with the full upper triangle, for a workspace in single precision: the products in float,
     * the statistics in double. With {@code r' = r/max r} over the block (so that a tiny responsibility does not
     * vanish in float) and {@code z = x − centre} rounded to float (about two float roundings, as in
     * {@link #triangularSquaredNormsSingle}), {@code y = √r'·z} and the products {@code y_a y_b} are float; each is
     * summed in float over at most 64 rows (a relative error of order 64·2⁻²⁴ of the sum of the products'
     * magnitudes, at most about 4e-6 and typically 1e-7), and these partial sums are added, times {@code max r}, in
     * double. The first moments {@code Σ r'·z} likewise. A block whose float sums are not finite, or whose diagonal
     * is so small that subnormal floats may have cost it precision, is computed by {@link #addMoments} instead, all
     * of it: the result depends on the block only. An implementation whose {@link #addMoments} is faster at some
     * dimensions (the 512-bit SIMD kernels at D = 5–8 and 11 and more) may compute them in double there.
     *
     * @param ws           the workspace holding the loaded rows
     * @param centre       the array holding the centre
     * @param centreOffset where the centre starts
     * @param r            the responsibilities
     * @param rOffset      where the block's responsibilities start
     * @param first        receives the first moments
     * @param firstOffset  where they start
     * @param second       receives the second moments, {@code a ≤ b} at {@code secondOffset + a·D + b}
     * @param secondOffset where they start
     */
    void addMomentsSingle(BlockWorkspace ws, double[] centre, int centreOffset, double[] r, int rOffset,
                          double[] first, int firstOffset, double[] second, int secondOffset);

    /**
     * Turns the log joint densities {@code ws.jt[c·ROWS + i]} of {@code k} components into responsibilities
     * in place, writes each row's log density (log-sum-exp) to {@code logDensity[i]}, and zeroes the
     * responsibilities of the padding lanes. A row whose every component has density zero gets {@code 1/k}
     * each and log density −∞.
     *
     * @param ws the workspace whose {@code jt} holds the log joint densities
     * @param k the number of components
     * @param logDensity receives each row's log density
     */
    void normalizeColumns(BlockWorkspace ws, int k, double[] logDensity);

    /**
     * The logarithm a t component's density and expected scale share: for every lane of the block (padding too) and
     * each of {@code k} components, {@code out[c·ROWS + i] = log1p(max(0, δ)/ν_c)} with δ the squared distance in
     * {@code ws.jt[c·ROWS + i]} (NaN stays NaN: a row with a missing value is evaluated apart).
     *
     * @param ws  the workspace whose {@code jt} holds the squared distances
     * @param k   the number of components
     * @param nu  each component's degrees of freedom
     * @param out receives the logarithms, in {@code jt}'s layout
     */
    void log1pOfScaledDistances(BlockWorkspace ws, int k, double[] nu, double[] out);

    /**
     * A factor analyser's projections of a block of rows, given row-major ({@code x[xOffset + i·d + j]}) and transposed
     * ({@code xt[j·stride + i]}): with {@code e = x_i − μ} ({@code μ = mean[meanOffset ..]}) and
     * {@code w_j = e_j·inverseUniquenesses[j]}, {@code distance[i] = Σ_j e_j w_j} and
     * {@code projection[a·stride + i] = Σ_j L_ja w_j} for the D×Q row-major loadings L. Every sum runs over j in
     * increasing order with one rounding per product and per addition, so both implementations give the bits of
     * the plain loop over one row (each reads the layout it is fast on). Lanes from {@code rows} up to the next
     * multiple of {@link #FACTOR_PAD} (which {@code stride} must reach) may be computed on whatever they hold.
     *
     * @param x                   the block, row-major
     * @param xOffset             where its first row starts in {@code x}
     * @param xt                  the block, transposed (only the SIMD kernels read it)
     * @param stride              the distance between two features of a row in {@code xt}, a multiple of {@link #FACTOR_PAD}
     * @param rows                the rows to compute
     * @param d                   the features
     * @param mean                the array holding the component's mean
     * @param meanOffset          where it starts
     * @param inverseUniquenesses {@code 1/ψ_j}, D values
     * @param loadings            the loadings, D×Q row-major
     * @param q                   the factors
     * @param distance            receives {@code eᵀΨ⁻¹e} per row
     * @param projection          receives {@code ΛᵀΨ⁻¹e} per row, factor after factor ({@code Q·stride} values)
     */
    void factorProjections(double[] x, int xOffset, double[] xt, int stride, int rows, int d, double[] mean, int meanOffset,
                           double[] inverseUniquenesses, double[] loadings, int q, double[] distance,
                           double[] projection);

    /**
     * Adds rows {@code [from, to)} of a row-major block ({@code x[i·d + j]}) to a factor analyser component's sums,
     * row after row, skipping the rows whose weight {@code r[i]} is 0: with {@code v = x_ij − μ_j} and
     * {@code rv = r_i·v}, {@code first[j] += rv}, {@code second[j] += rv·v} and {@code cross[j·Q + a] += rv·ẑ_ia},
     * {@code ẑ_ia = z[i·Q + a]}. Each sum takes the rows in increasing order with one rounding per product and per
     * addition, so both implementations give the bits of the plain loop that adds one row at a time.
     *
     * @param x          the block's rows, row-major
     * @param from       the first row to add
     * @param to         the row after the last
     * @param d          the features
     * @param mean       the array holding the component's mean
     * @param meanOffset where it starts
     * @param r          each row's weight in the component's sums
     * @param z          each row's factors, Q per row
     * @param q          the factors
     * @param first      receives {@code Σ r·e}, D values
     * @param second     receives {@code Σ r·e²}, D values
     * @param cross      receives {@code Σ r·e ẑᵀ}, D×Q row-major
     */
    void addFactorMoments(double[] x, int from, int to, int d, double[] mean, int meanOffset, double[] r, double[] z,
                          int q, double[] first, double[] second, double[] cross);

    /**
     * Below this many (row, component) pairs per E-step, a fit runs the portable kernels even where the SIMD
     * ones are available. The Vector API is fast only once the JIT's optimising compiler has compiled it;
     * until then (the first thousands of calls) it runs a generic path many times slower than plain Java.
     * A fit of a few thousand rows never makes enough calls for the compilation to pay: measured on this
     * project's 2-core machine, 272 rows × 3 components ran 10× faster on the portable kernels, 3000 × 8
     * about alike, 20,000 × 12 five times faster on the SIMD ones.
     */
    long SIMD_MIN_ROW_COMPONENTS = 32_768;

    /**
     * The kernels for a fit of {@code rows} rows and {@code components} components: the portable ones below
     * {@link #SIMD_MIN_ROW_COMPONENTS} pairs, else the fastest this JVM can run ({@link BlockWorkspace#KERNELS}).
     * A function of the sizes only, so a fit's result does not depend on what ran before it in the JVM.
     * {@code -Demkit.kernels=vector} takes the fastest whatever the size.
     *
     * @param rows       the rows an E-step visits
     * @param components the components (or states) per row
     * @return the kernels
     */
    static BlockKernels forSize(long rows, int components) {
        if ((double) rows * components >= SIMD_MIN_ROW_COMPONENTS
                || "vector".equals(System.getProperty("emkit.kernels"))) {
            return BlockWorkspace.KERNELS;
        }
        return PORTABLE;
    }

    /** The portable kernels, shared (they hold no state). */
    BlockKernels PORTABLE = new ScalarKernels();

    /**
     * The fastest implementation this JVM can run; {@code -Demkit.kernels=scalar} forces the portable one.
     *
     * @return the kernels
     */
    static BlockKernels best() {
        // Told once per JVM (this runs once): a library user learns which kernels run and how to get the fast
        // ones. INFO only when the fast ones could be had and are not; the emkit command always has them. The
        // logger is looked up only then: a command that prints nothing through it need not set up the JDK's logging.
        if ("scalar".equals(System.getProperty("emkit.kernels"))) {
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            note("emkit: portable kernels; start the JVM with --add-modules jdk.incubator.vector for the faster SIMD"
                    + " ones (or -Demkit.kernels=scalar to choose the portable ones without this note)");
            return new ScalarKernels();
        }
        try {
            // Loaded by name: this class must load on JVMs without the incubating module.
            return (BlockKernels) Class.forName("io.emkit.kernels.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            // Vectors narrower than 256 bits, or no usable Vector API: the portable kernels.
            note("emkit: portable kernels; this machine's vectors are too narrow for the SIMD ones (" + e + ")");
            return new ScalarKernels();
        }
    }

    /** Tells a library user, once, through the JDK's logging, why the portable kernels run. */
    private static void note(String message) {
        System.getLogger("io.emkit.kernels").log(System.Logger.Level.INFO, message);
    }
}
