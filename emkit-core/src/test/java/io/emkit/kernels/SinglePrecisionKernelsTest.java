package io.emkit.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single-precision triangular distances of both kernel implementations against the same sums written out in
 * double, within the bound that float's rounding gives, on every awkward shape; and the workspace's fall-back to
 * double where float's range ends.
 */
class SinglePrecisionKernelsTest {
    private static final int R = BlockWorkspace.ROWS;
    /** Float's unit roundoff, 2⁻²⁴. */
    private static final double EPS = Math.ulp(1.0f) / 2;

    static Stream<BlockKernels> kernels() {
        return BlockKernelsTest.kernels();
    }

    /** Rows spread 1–3 around 5, after stale finite values in every lane, as {@link BlockKernelsTest} loads them. */
    private static BlockWorkspace block(int d, int rows, double offset, BlockKernels kernels, SplittableRandom rnd) {
        BlockWorkspace ws = new BlockWorkspace(d, kernels, true);
        double[] stale = new double[R * d];
        for (int i = 0; i < stale.length; i++) {
            stale[i] = 100 * rnd.nextGaussian();
        }
        ws.load(stale, 0, R);
        double[] x = new double[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = offset + rnd.nextGaussian() * (1 + i % 3) + 5;
        }
        ws.load(x, 0, rows);
        return ws;
    }

    private static double[] upperTriangular(int d, SplittableRandom rnd) {
        double[] u = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                u[a * d + b] = rnd.nextGaussian();
            }
        }
        return u;
    }

    private static float[] toFloat(double[] u) {
        float[] f = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            f[i] = (float) u[i];
        }
        return f;
    }

    /**
     * {@code ‖zU‖²} against the double sums. Each y_j = Σ_l z_l u_lj is made of D + 2 roundings at most (z and u to
     * float, then j + 1 products and sums), so |ŷ_j − y_j| ≤ (D + 2)ε·S_j with S_j = Σ_l |z_l u_lj| (to first order);
     * squaring doubles the relative error and adds one rounding, and the sum of squares adds D more: the distance's
     * error is at most (3D + 5)ε·Σ_j S_j², taken here with a factor 2 for the second-order terms.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void floatDistancesAreTheDoubleSumsWithinFloatsRounding(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(23);
        double totalBound = 0;
        double total = 0;
        for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33}) {
            for (int rows : new int[] {1, 5, 8, 15, 17, 100, R}) {
                // Rows 1000 from the origin too: centred (or split in two floats) before rounding, they keep
                // float's digits.
                double offset = rows % 2 == 0 ? 1000 : 0;
                BlockWorkspace ws = block(d, rows, offset, kernels, rnd);
                double[] centre = new double[3 + d];
                for (int j = 0; j < d; j++) {
                    centre[3 + j] = offset + 5 + 0.1 * j;
                }
                double[] u = upperTriangular(d, rnd);
                kernels.triangularSquaredNormsSingle(ws, centre, 3, toFloat(u));
                double[] sums = assertWithinFloatsRounding(ws, rows, centre, 3, u, kernels.name() + " d=" + d);
                total += sums[0];
                totalBound += sums[1];
            }
        }
        // The bound is float's, not a loose one that double's own rounding would also pass or fail alike.
        assertTrue(totalBound < 1e-4 * total && totalBound > 1e-9 * total, "bound " + totalBound + " of " + total);
    }

    /**
     * Asserts each of the first {@code rows} distances in {@code ws.ss} against the double sums within the bound
     * described at {@link #floatDistancesAreTheDoubleSumsWithinFloatsRounding}; returns the sums of the expected
     * distances and of their bounds.
     */
    private static double[] assertWithinFloatsRounding(BlockWorkspace ws, int rows, double[] centre, int offset,
                                                       double[] u, String what) {
        int d = ws.d;
        double total = 0;
        double totalBound = 0;
        for (int i = 0; i < rows; i++) {
            double expected = 0;
            double bound = 0;
            for (int j = 0; j < d; j++) {
                double y = 0;
                double s = 0;
                for (int l = 0; l <= j; l++) {
                    double zu = (ws.xt[l * R + i] - centre[offset + l]) * u[l * d + j];
                    y += zu;
                    s += Math.abs(zu);
                }
                expected += y * y;
                bound += s * s;
            }
            bound *= 2 * (3 * d + 5) * EPS;
            assertEquals(expected, ws.ss[i], bound, what + " rows=" + rows + " row " + i);
            totalBound += bound;
            total += expected;
        }
        return new double[] {total, totalBound};
    }

    /**
     * A block whose rows come from two clusters 10⁵ apart (spread 1), as when a block holds rows of components far
     * from each other: the distances to either cluster's centre keep float's digits, however far the rows are from
     * the point the vector kernel narrows them about (were the rows rounded to float about a point of the other
     * cluster, their offsets would lose 10⁵ · 2⁻²⁴ ≈ 0.006, a thousand times the bound).
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void rowsOfTwoFarClustersKeepFloatsDigitsToEitherCentre(BlockKernels kernels) {
        int d = 16;
        int rows = R;
        SplittableRandom rnd = new SplittableRandom(31);
        double[] x = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            double offset = i % 3 == 0 ? 0 : 1e5;
            for (int l = 0; l < d; l++) {
                x[i * d + l] = offset + rnd.nextGaussian();
            }
        }
        BlockWorkspace ws = new BlockWorkspace(d, kernels, true);
        ws.load(x, 0, rows);
        double[] u = upperTriangular(d, rnd);
        for (double offset : new double[] {0, 1e5}) {
            double[] centre = new double[d];
            java.util.Arrays.fill(centre, offset + 0.25);
            kernels.triangularSquaredNormsSingle(ws, centre, 0, toFloat(u));
            assertWithinFloatsRounding(ws, rows, centre, 0, u, kernels.name() + " centre " + offset);
        }
    }

    /** The same block twice, the second time after the first has compiled the kernel: the same bits. */
    @ParameterizedTest
    @MethodSource("kernels")
    void floatDistancesAreTheSameBitsEveryTime(BlockKernels kernels) {
        int d = 16;
        SplittableRandom rnd = new SplittableRandom(5);
        BlockWorkspace ws = block(d, 200, 0, kernels, rnd);
        double[] centre = new double[d];
        float[] u = toFloat(upperTriangular(d, rnd));
        kernels.triangularSquaredNormsSingle(ws, centre, 0, u);
        double[] first = ws.ss.clone();
        for (int rep = 0; rep < 3000; rep++) {
            kernels.triangularSquaredNormsSingle(ws, centre, 0, u);
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(Double.doubleToRawLongBits(first[i]), Double.doubleToRawLongBits(ws.ss[i]), "row " + i);
        }
    }

    /**
     * A row 10²⁰ from the centre (spread 1): its float distance overflows (10⁴⁰ is beyond float), and the workspace
     * computes the whole block again in double, to the bits of the double kernel; an ordinary block keeps the float
     * result.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void aDistanceBeyondFloatsRangeIsComputedInDouble(BlockKernels kernels) {
        int d = 4;
        SplittableRandom rnd = new SplittableRandom(9);
        BlockWorkspace ws = block(d, 40, 0, kernels, rnd);
        double[] centre = new double[d];
        double[] u = upperTriangular(d, rnd);
        float[] uf = toFloat(u);
        ws.triangularSquaredNormsSingle(centre, 0, uf, u);
        double[] single = ws.ss.clone();
        kernels.triangularSquaredNorms(ws, centre, 0, u);
        double[] dbl = ws.ss.clone();
        boolean differs = false;
        for (int i = 0; i < 40; i++) {
            differs |= single[i] != dbl[i];
        }
        assertTrue(differs, "an ordinary block keeps the float distances");

        double[] x = new double[40 * d];
        for (int i = 0; i < 40; i++) {
            for (int l = 0; l < d; l++) {
                x[i * d + l] = ws.xt[l * R + i];
            }
        }
        x[17 * d + 2] = 1e20;
        ws.load(x, 0, 40);
        kernels.triangularSquaredNorms(ws, centre, 0, u);
        double[] expected = ws.ss.clone();
        assertTrue(Double.isFinite(expected[17]) && expected[17] > 1e38, "the double distance is finite");
        ws.triangularSquaredNormsSingle(centre, 0, uf, u);
        for (int i = 0; i < 40; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(ws.ss[i]), "row " + i);
        }
    }

    /**
     * The float second moments against the double ones on the same block, entry by entry, within float's bound: each
     * product {@code y_a y_b = r' z_a z_b} carries about eight roundings (z from the split, about two each; r' and
     * its root; y; the product) and each partial sum at most 64 more (the portable kernels' chunk; the SIMD ones'
     * 16 rows per lane and two folds), so an entry is off by at most 72ε·Σ r|z_a z_b| plus the double sums' own
     * rounding, taken here with a factor 2. Rows spread 1–3, at offsets 0, 1000 and 10⁵ from the origin (a component
     * far from it, which the split into two floats keeps exact), responsibilities spread over [0, 1] with zeros and
     * some of 1e-300 (which the scaling by the block's largest keeps from vanishing, or all of a block's that tiny).
     * Moments with a misplaced entry, an unscaled weight or a lost low half would miss by far more.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void floatMomentsAreTheDoubleMomentsWithinFloatsRounding(BlockKernels kernels) {
        SplittableRandom rnd = new SplittableRandom(41);
        double total = 0;
        double totalBound = 0;
        int cases = 0;
        for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33}) {
            for (int rows : new int[] {1, 5, 17, 100, R}) {
                for (double offset : new double[] {0, 1000, 1e5}) {
                    for (boolean afterProduct : new boolean[] {false, true}) {
                        BlockWorkspace ws = block(d, rows, offset, kernels, rnd);
                        double[] centre = new double[2 * d];
                        for (int j = 0; j < d; j++) {
                            centre[d + j] = offset + 5 + 0.1 * j;
                        }
                        double scale = cases % 7 == 3 ? 1e-300 : 1.0;
                        double[] r = responsibilities(rows, scale, rnd);
                        if (afterProduct) {
                            // The SIMD kernels then take the rows the product centred on the same centre.
                            kernels.triangularSquaredNormsSingle(ws, centre, d, toFloat(upperTriangular(d, rnd)));
                        }
                        double[] sums = assertMomentsWithinFloatsRounding(kernels, ws, centre, d, r,
                                kernels.name() + " d=" + d + " rows=" + rows + " offset=" + offset);
                        total += sums[0];
                        totalBound += sums[1];
                        cases++;
                    }
                }
            }
        }
        assertTrue(totalBound < 1e-3 * total && totalBound > 1e-9 * total, "bound " + totalBound + " of " + total);
    }

    /** Responsibilities in [0, 1] times {@code scale}, a quarter of them zero and some 1e-300 (zero past the rows). */
    private static double[] responsibilities(int rows, double scale, SplittableRandom rnd) {
        double[] r = new double[R + 7];
        for (int i = 0; i < rows; i++) {
            double u = rnd.nextDouble();
            r[7 + i] = scale * (u < 0.25 ? 0.0 : u < 0.35 ? 1e-300 : u);
        }
        return r;
    }

    /**
     * Asserts the float moments of the loaded rows ({@code r} from index 7) against the double kernel's and returns
     * the sums of the entries' magnitudes and of their bounds.
     */
    private static double[] assertMomentsWithinFloatsRounding(BlockKernels kernels, BlockWorkspace ws, double[] centre,
                                                              int offset, double[] r, String what) {
        int d = ws.d;
        double[] first = new double[1 + d];
        double[] second = new double[2 + d * d];
        double[] firstDouble = new double[1 + d];
        double[] secondDouble = new double[2 + d * d];
        // Statistics that already hold something: the float sums are added to them.
        first[0] = firstDouble[0] = 0.5;
        second[1] = secondDouble[1] = 0.25;
        kernels.addMomentsSingle(ws, centre, offset, r, 7, first, 1, second, 2);
        kernels.addMoments(ws, centre, offset, r, 7, firstDouble, 1, secondDouble, 2, true);
        assertEquals(0.5, first[0]);
        assertEquals(0.25, second[1]);
        double total = 0;
        double totalBound = 0;
        for (int a = 0; a < d; a++) {
            double magnitude = 0;
            for (int i = 0; i < ws.rows; i++) {
                magnitude += r[7 + i] * Math.abs(ws.xt[a * R + i] - centre[offset + a]);
            }
            double bound = 2 * 72 * EPS * magnitude;
            assertEquals(firstDouble[1 + a], first[1 + a], bound, what + " first moment " + a);
            for (int b = 0; b < d; b++) {
                double m = 0;
                for (int i = 0; i < ws.rows; i++) {
                    m += r[7 + i] * Math.abs((ws.xt[a * R + i] - centre[offset + a])
                            * (ws.xt[b * R + i] - centre[offset + b]));
                }
                double expected = secondDouble[2 + a * d + b];
                if (b < a) {
                    assertEquals(0.0, second[2 + a * d + b], what + " lower triangle " + a + "," + b);
                    continue;
                }
                bound = 2 * 72 * EPS * m;
                assertEquals(expected, second[2 + a * d + b], bound, what + " second moment " + a + "," + b);
                total += m;
                totalBound += bound;
            }
        }
        return new double[] {total, totalBound};
    }

    /**
     * Blocks the float moments cannot represent are computed by the double kernel, to its bits: a value 10²⁰ from
     * the centre (its square is beyond float's range), and rows spread 10⁻²⁵ (their squares below float's normal
     * range, where they would lose digits).
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void momentsBeyondFloatsRangeAreComputedInDouble(BlockKernels kernels) {
        int d = 5;
        int rows = 40;
        for (double spread : new double[] {1e-25, 1.0}) {
            SplittableRandom rnd = new SplittableRandom(13);
            double[] x = new double[rows * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = spread * rnd.nextGaussian();
            }
            if (spread == 1.0) {
                x[17 * d + 2] = 1e20;
            }
            BlockWorkspace ws = new BlockWorkspace(d, kernels, true);
            ws.load(x, 0, rows);
            double[] centre = new double[d];
            double[] r = responsibilities(rows, 1.0, rnd);
            r[7 + 17] = 0.5;
            double[] first = new double[d];
            double[] second = new double[d * d];
            double[] firstDouble = new double[d];
            double[] secondDouble = new double[d * d];
            kernels.addMomentsSingle(ws, centre, 0, r, 7, first, 0, second, 0);
            kernels.addMoments(ws, centre, 0, r, 7, firstDouble, 0, secondDouble, 0, true);
            for (int e = 0; e < d; e++) {
                assertEquals(Double.doubleToRawLongBits(firstDouble[e]), Double.doubleToRawLongBits(first[e]),
                        "spread " + spread + " first " + e);
            }
            for (int e = 0; e < d * d; e++) {
                assertEquals(Double.doubleToRawLongBits(secondDouble[e]), Double.doubleToRawLongBits(second[e]),
                        "spread " + spread + " second " + e);
            }
        }
    }

    /** The same block and responsibilities twice, the second time after compilation: the same bits. */
    @ParameterizedTest
    @MethodSource("kernels")
    void floatMomentsAreTheSameBitsEveryTime(BlockKernels kernels) {
        int d = 16;
        SplittableRandom rnd = new SplittableRandom(6);
        BlockWorkspace ws = block(d, 200, 1000, kernels, rnd);
        double[] centre = new double[d];
        java.util.Arrays.fill(centre, 1005);
        double[] r = responsibilities(200, 1.0, rnd);
        double[] once = new double[d * d];
        kernels.addMomentsSingle(ws, centre, 0, r, 7, new double[d], 0, once, 0);
        for (int rep = 0; rep < 3000; rep++) {
            double[] again = new double[d * d];
            kernels.addMomentsSingle(ws, centre, 0, r, 7, new double[d], 0, again, 0);
            if (rep % 500 == 0 || rep == 2999) {
                for (int e = 0; e < d * d; e++) {
                    assertEquals(Double.doubleToRawLongBits(once[e]), Double.doubleToRawLongBits(again[e]),
                            "rep " + rep + " entry " + e);
                }
            }
        }
    }
}
