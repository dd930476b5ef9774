package io.emkit.kernels;

import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianStatistics;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each kernel implementation against straightforward loops written here, on random blocks of every
 * awkward shape (dimensions not a multiple of the tile, partial blocks, rows whose densities are all
 * zero). The test JVM has the Vector API (see the pom), so both implementations are checked where the hardware
 * has 256-bit vectors; elsewhere (aarch64, x86 without AVX2) the vector tests say why they do not apply.
 */
class BlockKernelsTest {
    private static final int R = BlockWorkspace.ROWS;

    static Stream<BlockKernels> kernels() {
        List<BlockKernels> all = new ArrayList<>();
        all.add(new ScalarKernels());
        BlockKernels best = BlockKernels.best();
        if (!(best instanceof ScalarKernels)) {
            all.add(best);
        }
        return all.stream();
    }

    /**
     * Bits of the JVM's preferred double vector ({@code DoubleVector.SPECIES_PREFERRED}), read by reflection
     * because the tests compile without the incubating module; 0 when the JVM does not have the module.
     */
    static int preferredDoubleVectorBits() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 0;
        }
        try {
            Object species = Class.forName("jdk.incubator.vector.DoubleVector").getField("SPECIES_PREFERRED").get(null);
            return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize")
                    .invoke(species);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the Vector API module is present but DoubleVector.SPECIES_PREFERRED is not", e);
        }
    }

    /** Whether this JVM can run the 256-bit kernels and the portable ones were not asked for. */
    /**
     * The width the SIMD kernels must run at, worked out here from the hardware and the property: 512 bits where
     * the JVM prefers 512, 256 elsewhere or under {@code -Demkit.vector.bits=256} (the pom's {@code vector-256}
     * execution).
     */
    static int expectedVectorBits() {
        return preferredDoubleVectorBits() >= 512 && !"256".equals(System.getProperty("emkit.vector.bits")) ? 512
                : 256;
    }

    static boolean vectorKernelsApply() {
        return preferredDoubleVectorBits() >= 256 && !"scalar".equals(System.getProperty("emkit.kernels"));
    }

    private static final String NO_VECTORS = "does not apply: the SIMD kernels need 256-bit double vectors and this JVM"
            + " prefers " + preferredDoubleVectorBits() + " bits (0: no jdk.incubator.vector; aarch64 and x86 without"
            + " AVX2 have 128) or runs with -Demkit.kernels=scalar; the portable kernels are checked instead";

    @Test
    void theTestJvmRunsTheVectorKernelsWhereTheHardwareHasThem() {
        // The pom adds jdk.incubator.vector to the test JVM; where the hardware has 256-bit vectors, the SIMD
        // code must be what runs, or it would go untested. Elsewhere the portable kernels are the right choice.
        if (!vectorKernelsApply()) {
            assertEquals("scalar", BlockKernels.best().name(), "without 256-bit vectors the portable kernels run");
            assumeTrue(false, "theTestJvmRunsTheVectorKernels " + NO_VECTORS);
        }
        assertEquals("vector-" + expectedVectorBits(), BlockKernels.best().name());
    }

    @Test
    void theScalarPropertyForcesThePortableKernels() {
        String before = System.getProperty("emkit.kernels");
        try {
            System.setProperty("emkit.kernels", "scalar");
            assertEquals("scalar", BlockKernels.best().name(), "-Demkit.kernels=scalar");
        } finally {
            if (before == null) {
                System.clearProperty("emkit.kernels");
            } else {
                System.setProperty("emkit.kernels", before);
            }
        }
    }

    private static BlockWorkspace randomBlock(int d, int rows, SplittableRandom rnd) {
        BlockWorkspace ws = new BlockWorkspace(d);
        // Fill the padding lanes with other finite values first, as a previous block would leave them.
        double[] stale = new double[R * d];
        for (int i = 0; i < stale.length; i++) {
            stale[i] = 100 * rnd.nextGaussian();
        }
        ws.load(stale, 0, R);
        ws.centre(new double[d], 0);
        double[] x = new double[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian() * (1 + i % 3) + 5;
        }
        ws.load(x, 0, rows);
        return ws;
    }

    /** The centre the kernels are given, at offset {@link #AT} of the array. */
    private static double[] centre(int d) {
        double[] c = new double[AT + d];
        for (int j = 0; j < d; j++) {
            c[AT + j] = 5 + 0.1 * j;
        }
        return c;
    }

    private static final int AT = 3;

    /** Row i's feature l centred on {@link #centre}, from the loaded values. */
    private static double z(BlockWorkspace ws, double[] centre, int i, int l) {
        return ws.xt[l * R + i] - centre[AT + l];
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void triangularSquaredNormsEqualDirectProducts(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 40}) {
            for (int rows : new int[] {1, 5, 8, 100, R}) {
                BlockWorkspace ws = randomBlock(d, rows, rnd);
                double[] centre = centre(d);
                double[] u = new double[d * d];
                for (int a = 0; a < d; a++) {
                    for (int b = a; b < d; b++) {
                        u[a * d + b] = rnd.nextGaussian();
                    }
                }
                kernels.triangularSquaredNorms(ws, centre, AT, u);
                for (int i = 0; i < rows; i++) {
                    double expected = 0;
                    for (int j = 0; j < d; j++) {
                        double y = 0;
                        for (int l = 0; l <= j; l++) {
                            y += z(ws, centre, i, l) * u[l * d + j];
                        }
                        expected += y * y;
                    }
                    assertEquals(expected, ws.ss[i], 1e-12 * expected, kernels.name() + " d=" + d + " row " + i);
                }
            }
        }
    }

    /**
     * A tied covariance's shortcut: the rows transformed once, {@code y = Uᵀ (x − a)}, then each component's
     * distance {@code ‖y − Uᵀ (μ − a)‖²}, equals {@code ‖Uᵀ (x − μ)‖²} written out, also for rows far from the
     * origin (10⁴ away, spread 1) where a difference of transformed raw values would lose digits.
     */
    @Test
    void transformedRowsGiveTheTriangularDistances() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int d : new int[] {1, 2, 3, 5, 8, 17}) {
            for (int rows : new int[] {1, 7, R}) {
                BlockWorkspace ws = new BlockWorkspace(d, new ScalarKernels());
                double[] x = new double[rows * d];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 1e4 + rnd.nextGaussian();
                }
                ws.load(x, 0, rows);
                double[] u = new double[d * d];
                for (int a = 0; a < d; a++) {
                    u[a * d + a] = 0.5 + rnd.nextDouble();
                    for (int b = a + 1; b < d; b++) {
                        u[a * d + b] = 0.3 * rnd.nextGaussian();
                    }
                }
                double[] anchor = new double[d];
                double[] mean = new double[d];
                for (int j = 0; j < d; j++) {
                    anchor[j] = 1e4 + 0.5 * rnd.nextGaussian();
                    mean[j] = 1e4 + rnd.nextGaussian();
                }
                double[] transformedMean = new double[d];
                for (int j = 0; j < d; j++) {
                    for (int l = 0; l <= j; l++) {
                        transformedMean[j] += u[l * d + j] * (mean[l] - anchor[l]);
                    }
                }
                ws.transformRows(anchor, u);
                ws.transformedSquaredDistances(transformedMean, 0);
                for (int i = 0; i < rows; i++) {
                    double expected = 0;
                    for (int j = 0; j < d; j++) {
                        double y = 0;
                        for (int l = 0; l <= j; l++) {
                            y += (x[i * d + l] - mean[l]) * u[l * d + j];
                        }
                        expected += y * y;
                    }
                    assertEquals(expected, ws.ss[i], 1e-10 * Math.max(expected, 1.0), "d=" + d + " row " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void momentsEqualDirectSums(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(12);
        // The vector kernels take the second moments of a block in one pass up to d = 64 and in chunks above
        // (at d = 100: 160 rows, then a partial 96; at d = 96: 168 rows with four lanes, 160 with eight); their
        // E-step centres first above d = 32.
        for (int d : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 19, 24, 32, 33, 64, 96, 100}) {
            for (int rows : new int[] {1, 2, 3, 8, 77, R}) {
                for (boolean full : new boolean[] {true, false}) {
                    BlockWorkspace ws = randomBlock(d, rows, rnd);
                    double[] centre = centre(d);
                    double[] r = new double[R];
                    for (int i = 0; i < rows; i++) {
                        r[i] = rnd.nextDouble();
                    }
                    double[] first = new double[d + 3];
                    double[] second = new double[(full ? d * d : d) + 5];
                    first[1] = 0.5; // what was there before is added to
                    // as the other kernels leave their scratch
                    java.util.Arrays.fill(ws.lanes, 1e6);
                    java.util.Arrays.fill(ws.wz, 1e6);
                    kernels.addMoments(ws, centre, AT, r, 0, first, 2, second, 4, full);
                    assertEquals(0.5, first[1]);
                    for (int a = 0; a < d; a++) {
                        double f = 0;
                        for (int i = 0; i < rows; i++) {
                            f += r[i] * z(ws, centre, i, a);
                        }
                        assertEquals(f, first[2 + a], 1e-12 * (1 + Math.abs(f)), kernels.name() + " first " + a);
                        for (int b = a; b < (full ? d : a + 1); b++) {
                            double s = 0;
                            for (int i = 0; i < rows; i++) {
                                s += r[i] * z(ws, centre, i, a) * z(ws, centre, i, b);
                            }
                            int o = 4 + (full ? a * d + b : a);
                            assertEquals(s, second[o], 1e-12 * (1 + Math.abs(s)), kernels.name() + " d=" + d + " (" + a
                                    + "," + b + ")");
                        }
                        if (full) {
                            for (int b = 0; b < a; b++) {
                                assertEquals(0.0, second[4 + a * d + b], "lower triangle untouched");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows far from the origin (1e9) in two clusters far apart (1e4), the block's first row in one, a tight component
     * (spread 0.01) on the other: each term {@code x − μ} is exact there (Sterbenz), so the direct sums are exact but
     * for their own rounding, and a kernel's moments must match them to 1e-9. Products of the raw values would carry
     * errors of 1e9·2⁻⁵² against moments of 1e-4 per row, 1e-5 of them; products of values shifted by the block's
     * first row 1e4·2⁻⁵².
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void momentsKeepTheirDigitsFarFromTheOriginAndFromTheBlocksFirstRow(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int d : new int[] {5, 8, 11, 16, 19}) {
            int rows = R - 3;
            double[] x = new double[rows * d];
            double[] r = new double[R];
            double[] centre = new double[AT + d];
            for (int a = 0; a < d; a++) {
                centre[AT + a] = 1e9 + 1e4 + a;
            }
            for (int i = 0; i < rows; i++) {
                boolean far = i % 3 != 0;   // row 0, the block's first, is in the other cluster
                for (int a = 0; a < d; a++) {
                    x[i * d + a] = far ? centre[AT + a] + 0.01 * rnd.nextGaussian() : 1e9 + a + rnd.nextGaussian();
                }
                r[i] = far ? 0.5 + 0.5 * rnd.nextDouble() : 1e-30;
            }
            BlockWorkspace ws = new BlockWorkspace(d);
            ws.load(x, 0, rows);
            double[] first = new double[d];
            double[] second = new double[d * d];
            kernels.addMoments(ws, centre, AT, r, 0, first, 0, second, 0, true);
            for (int a = 0; a < d; a++) {
                double f = 0;
                double scale = 0;
                for (int i = 0; i < rows; i++) {
                    f += r[i] * z(ws, centre, i, a);
                    scale += r[i] * Math.abs(z(ws, centre, i, a));
                }
                assertEquals(f, first[a], 1e-12 * scale, kernels.name() + " d=" + d + " first " + a);
                for (int b = a; b < d; b++) {
                    double s = 0;
                    double size = 0;
                    for (int i = 0; i < rows; i++) {
                        double term = r[i] * z(ws, centre, i, a) * z(ws, centre, i, b);
                        s += term;
                        size += Math.abs(term);
                    }
                    assertEquals(s, second[a * d + b], 1e-9 * size, kernels.name() + " d=" + d + " (" + a + "," + b
                            + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void tLogarithmsEqualLog1pOfTheScaledDistances(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int k : new int[] {1, 3, 16}) {
            for (int rows : new int[] {1, 7, 130, R}) {
                BlockWorkspace ws = new BlockWorkspace(2);
                ws.rows = rows;
                ws.ensureComponents(k);
                double[] nu = new double[k];
                for (int c = 0; c < k; c++) {
                    nu[c] = 0.5 + 50 * rnd.nextDouble();
                }
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < rows; i++) {
                        // Distances from tiny to huge, a rounding-negative one, and a row with a missing value.
                        ws.jt[c * R + i] = switch (i % 6) {
                            case 0 -> 1e-12 * rnd.nextDouble();
                            case 1 -> -1e-14;
                            case 5 -> Double.NaN;
                            default -> Math.exp(12 * rnd.nextGaussian());
                        };
                    }
                }
                double[] out = new double[k * R];
                kernels.log1pOfScaledDistances(ws, k, nu, out);
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < rows; i++) {
                        double delta = ws.jt[c * R + i];
                        double expected = Math.log1p(Math.max(0.0, delta) / nu[c]);
                        if (Double.isNaN(delta)) {
                            assertTrue(Double.isNaN(out[c * R + i]), kernels.name() + " NaN row " + i);
                        } else {
                            assertEquals(expected, out[c * R + i], 4e-16 * Math.abs(expected) + Double.MIN_NORMAL,
                                    kernels.name() + " component " + c + " row " + i);
                        }
                    }
                }
            }
        }
    }

    /**
     * A row's log-density is its largest log-joint density plus the logarithm of its sum of exponentials; with
     * {@code c} components at 0 and the rest at −∞ that sum is exactly {@code c}, so the log-density is
     * {@code log c} itself, and the logarithm is seen on its own, to the ulp (c = 1 … 300: every binary exponent
     * to 2⁸ and mantissas on both sides of √2). A NaN log-joint density makes the row's log-density NaN.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void aRowsLogDensityTakesTheLogarithmToAnUlp(BlockKernels kernels) {
        int k = 300;
        for (int first = 1; first <= k; first += R) {
            BlockWorkspace ws = new BlockWorkspace(2);
            ws.rows = R;
            ws.ensureComponents(k);
            int[] ones = new int[R];
            for (int i = 0; i < R; i++) {
                ones[i] = Math.min(k, first + i);
                for (int c = 0; c < k; c++) {
                    ws.jt[c * R + i] = c < ones[i] ? 0.0 : Double.NEGATIVE_INFINITY;
                }
            }
            ws.jt[3 * R + 7] = Double.NaN;
            double[] dens = new double[R];
            kernels.normalizeColumns(ws, k, dens);
            for (int i = 0; i < R; i++) {
                if (i == 7) {
                    assertTrue(Double.isNaN(dens[i]), kernels.name() + ": a NaN density makes the row's NaN");
                    continue;
                }
                double expected = StrictMath.log(ones[i]);
                assertEquals(expected, dens[i], Math.ulp(expected), kernels.name() + ": log " + ones[i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void normalizationEqualsLogSumExpWrittenOut(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int k : new int[] {1, 2, 3, 5, 16}) {
            for (int rows : new int[] {1, 6, 8, 130, R}) {
                BlockWorkspace ws = new BlockWorkspace(2);
                ws.rows = rows;
                ws.ensureComponents(k);
                java.util.Arrays.fill(ws.jt, 7.0); // stale padding lanes
                double[][] lj = new double[rows][k];
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < k; c++) {
                        // Spread over the whole range: tiny, huge negative, and exactly -inf.
                        double v = switch ((i + c) % 5) {
                            case 0 -> -800 * rnd.nextDouble();
                            case 1 -> Double.NEGATIVE_INFINITY;
                            default -> 30 * rnd.nextGaussian() - 1000;
                        };
                        if (i % 9 == 4) {
                            v = Double.NEGATIVE_INFINITY; // a row no component can explain
                        }
                        lj[i][c] = v;
                        ws.jt[c * R + i] = v;
                    }
                }
                double[] dens = new double[R];
                kernels.normalizeColumns(ws, k, dens);
                for (int i = 0; i < rows; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : lj[i]) {
                        max = Math.max(max, v);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        assertEquals(Double.NEGATIVE_INFINITY, dens[i]);
                        for (int c = 0; c < k; c++) {
                            assertEquals(1.0 / k, ws.jt[c * R + i], 1e-15);
                        }
                        continue;
                    }
                    double sum = 0;
                    for (double v : lj[i]) {
                        sum += Math.exp(v - max);
                    }
                    assertEquals(max + Math.log(sum), dens[i], 1e-13 * Math.abs(dens[i]), kernels.name() + " row " + i);
                    double total = 0;
                    for (int c = 0; c < k; c++) {
                        double expected = Math.exp(lj[i][c] - max) / sum;
                        double got = ws.jt[c * R + i];
                        assertEquals(expected, got, 1e-14 * Math.max(expected, 1e-300) + 1e-300, kernels.name());
                        total += got;
                    }
                    assertEquals(1.0, total, 1e-14);
                }
                for (int c = 0; c < k; c++) {
                    for (int i = rows; i < BlockWorkspace.padded(rows); i++) {
                        assertEquals(0.0, ws.jt[c * R + i], "padding lanes carry no responsibility");
                    }
                }
            }
        }
    }

    @Test
    void bothKernelsGiveTheSameFitToRounding() {
        assumeTrue(vectorKernelsApply(), "bothKernelsGiveTheSameFitToRounding " + NO_VECTORS);
        SplittableRandom rnd = new SplittableRandom(14);
        int n = 3000;
        int d = 6;
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = rnd.nextGaussian() + (i % 3) * 4 + j;
            }
        }
        io.emkit.data.Dataset data = io.emkit.data.Dataset.of(rows);
        for (CovarianceType type : CovarianceType.values()) {
            // One start and one iteration: any proper model will do as the point both kernels evaluate.
            GaussianMixtureModel start = GaussianMixture.withComponents(3).covarianceType(type).seed(3)
                    .initializations(1).maxIterations(1).fit(data).params();
            GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 1e-6);
            double[] ll = new double[2];
            double[][] weights = new double[2][];
            int idx = 0;
            for (BlockKernels kernels : kernels().toList()) {
                GaussianStatistics s = steps.emptyStatistics(start);
                ll[idx] = accumulateWith(kernels, start, data, s);
                weights[idx] = s.componentWeights();
                idx++;
            }
            assertEquals(2, idx, "both kernels ran");
            assertEquals(ll[0], ll[1], 1e-12 * Math.abs(ll[0]), type.name());
            for (int c = 0; c < 3; c++) {
                assertEquals(weights[0][c], weights[1][c], 1e-10 * n, type.name());
            }
            assertTrue(Double.isFinite(ll[0]));
        }
    }

    /** The E-step of {@link GaussianMixtureSteps#accumulate} with the given kernels for the normalisation. */
    private static double accumulateWith(BlockKernels kernels, GaussianMixtureModel m, io.emkit.data.Dataset data,
                                         GaussianStatistics s) {
        BlockWorkspace ws = new BlockWorkspace(m.dimension());
        double[] dens = new double[R];
        double ll = 0;
        for (int lo = 0; lo < data.rows(); lo += R) {
            int hi = Math.min(data.rows(), lo + R);
            ws.load(data, lo, hi);
            m.logJointColumns(ws);
            kernels.normalizeColumns(ws, m.components(), dens);
            for (int i = 0; i < hi - lo; i++) {
                ll += dens[i];
            }
            s.addFromColumns(ws);
        }
        return ll;
    }
    /**
     * The t logarithms do not depend on whether the JIT has compiled the kernel yet: the same block, evaluated
     * 20,000 times (interpreted first, compiled later), gives the first call's bits every time. The Vector API's own
     * {@code LOG1P} failed this (its fallback and its compiled form differ in the last bit), which made t fits end a
     * bit apart from run to run.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void tLogarithmsAreTheSameBitsBeforeAndAfterCompilation(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(23);
        int k = 3;
        BlockWorkspace ws = new BlockWorkspace(2);
        ws.rows = R;
        ws.ensureComponents(k);
        double[] nu = {0.7, 4.5, 60};
        for (int at = 0; at < k * R; at++) {
            ws.jt[at] = Math.exp(10 * rnd.nextGaussian());
        }
        double[] first = new double[k * R];
        kernels.log1pOfScaledDistances(ws, k, nu, first);
        double[] out = new double[k * R];
        for (int call = 0; call < 20_000; call++) {
            kernels.log1pOfScaledDistances(ws, k, nu, out);
            for (int at = 0; at < k * R; at++) {
                if (Double.doubleToLongBits(out[at]) != Double.doubleToLongBits(first[at])) {
                    throw new AssertionError(kernels.name() + ": call " + call + " lane " + at + " gave " + out[at]
                            + ", the first call " + first[at]);
                }
            }
        }
    }

    /**
     * The factor analysers' projections against the plain loop over one row at a time, to the bit: every factor
     * count from 1 to 12 (passes of five and their repeated last factor), dimensions around the eight-feature
     * tile, partial blocks; a row with a missing value gives NaN where it shows, and nowhere else.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void factorProjectionsAreThePlainLoopsBits(BlockKernels kernels) {
        SplittableRandom random = new SplittableRandom(31);
        for (int d : new int[] {2, 7, 8, 9, 16, 23, 61}) {
            for (int q = 1; q < Math.min(d, 13); q++) {
                for (int rows : new int[] {1, 8, 13, 40}) {
                    int stride = (rows + 7) / 8 * 8;
                    double[] x = gaussians(random, rows * d, 3);
                    if (rows > 5) {
                        x[4 * d + d / 2] = Double.NaN;
                    }
                    double[] xt = new double[d * stride];
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < d; j++) {
                            xt[j * stride + r] = x[r * d + j];
                        }
                    }
                    double[] mean = gaussians(random, d + 3, 1);
                    double[] inverse = new double[d];
                    for (int j = 0; j < d; j++) {
                        inverse[j] = 0.2 + random.nextDouble();
                    }
                    double[] loadings = gaussians(random, d * q, 1);
                    double[] distance = new double[stride];
                    double[] projection = new double[q * stride];
                    kernels.factorProjections(x, 0, xt, stride, rows, d, mean, 3, inverse, loadings, q, distance,
                            projection);
                    for (int r = 0; r < rows; r++) {
                        double dist = 0;
                        double[] f = new double[q];
                        for (int j = 0; j < d; j++) {
                            double e = x[r * d + j] - mean[3 + j];
                            double w = e * inverse[j];
                            dist += e * w;
                            for (int a = 0; a < q; a++) {
                                f[a] += loadings[j * q + a] * w;
                            }
                        }
                        String at = kernels.name() + " d=" + d + " q=" + q + " rows=" + rows + " row " + r;
                        assertEquals(Double.doubleToLongBits(dist), Double.doubleToLongBits(distance[r]), at);
                        assertEquals(r == 4 && rows > 5, Double.isNaN(distance[r]), at);
                        for (int a = 0; a < q; a++) {
                            assertEquals(Double.doubleToLongBits(f[a]),
                                    Double.doubleToLongBits(projection[a * stride + r]), at + " factor " + a);
                        }
                    }
                }
            }
        }
    }

    /**
     * The factor analysers' sums against adding one row at a time, to the bit, starting from sums that already hold
     * values: zero-weight rows left out (also when their values are infinite), rows from the middle of the block.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void factorMomentsAreTheRowAtATimeSumsBits(BlockKernels kernels) {
        SplittableRandom random = new SplittableRandom(37);
        for (int d : new int[] {2, 7, 8, 9, 16, 23, 61}) {
            int counts = Math.min(d, 13) - 1;
            for (int pass = 0; pass < 2 * counts; pass++) {
                int q = 1 + pass % counts;
                int rows = 29;
                double[] x = gaussians(random, rows * d, 3);
                double[] r = new double[rows];
                // Most rows with weight, then (the second round of factor counts) only three: both ways a kernel
                // may take.
                boolean sparse = pass >= counts;
                for (int i = 0; i < rows; i++) {
                    r[i] = sparse ? (i == 4 || i == 9 || i == 20 ? random.nextDouble() : 0)
                            : i % 5 == 2 ? 0 : random.nextDouble();
                }
                x[7 * d] = Double.POSITIVE_INFINITY;
                double[] z = gaussians(random, rows * q, 1);
                double[] mean = gaussians(random, d + 2, 1);
                double[] first = gaussians(random, d, 1);
                double[] second = gaussians(random, d, 1);
                double[] cross = gaussians(random, d * q, 1);
                double[] expectFirst = first.clone();
                double[] expectSecond = second.clone();
                double[] expectCross = cross.clone();
                int from = 3;
                int to = 26;
                for (int i = from; i < to; i++) {
                    if (r[i] == 0) {
                        continue;
                    }
                    for (int j = 0; j < d; j++) {
                        double v = x[i * d + j] - mean[2 + j];
                        double rv = r[i] * v;
                        expectFirst[j] += rv;
                        expectSecond[j] += rv * v;
                        for (int a = 0; a < q; a++) {
                            expectCross[j * q + a] += rv * z[i * q + a];
                        }
                    }
                }
                kernels.addFactorMoments(x, from, to, d, mean, 2, r, z, q, first, second, cross);
                String at = kernels.name() + " d=" + d + " q=" + q + (sparse ? " sparse" : "");
                assertBits(expectFirst, first, at + " first");
                assertBits(expectSecond, second, at + " second");
                assertBits(expectCross, cross, at + " cross");
            }
        }
    }

    private static double[] gaussians(SplittableRandom random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (random.nextDouble() - 0.5) * 2;
        }
        return v;
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]), what + " [" + i + "]");
        }
    }
}
