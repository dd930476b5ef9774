package io.emkit.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockKernels} on the JDK's incubating Vector API, vectors of L rows (L = 4 doubles at 256 bits, 8 at
 * 512, {@link #S}): the triangular product keeps a 2L-row × 4-column tile of the result in registers while it
 * walks the factor, the second moments keep a 4 × 2 tile (4 × 4 on the diagonal) of the cross-product of the
 * √r-scaled centred rows, each entry L lanes over rows, and
 * the responsibilities use an exponential written with fused multiply-adds. Single precision's kernels do the
 * same in float vectors of the same width (2L rows each). Lanes are summed by scalar code (or folded by fixed
 * lane shuffles) in a fixed order, never by the Vector API's reductions, whose order the JVM may choose
 * differently in interpreted and compiled code.
 *
 * <p>Compiled separately with {@code --add-modules jdk.incubator.vector} and loaded by name from
 * {@link BlockKernels#best()}.
 */
final class VectorKernels implements BlockKernels {
    /**
     * The one double species of every vector kernel (see {@link VectorCentroidKernels}'s for why one), chosen once:
     * 512 bits where the JVM prefers them (AVX-512), 256 elsewhere; {@value #BITS_PROPERTY} = 256 or 512 asks for
     * a width (tests and measurements), never wider than the JVM prefers.
     */
    static final VectorSpecies<Double> S = chosenSpecies();
    /** Lanes of {@link #S}: four or eight doubles. */
    private static final int L = S.length();
    /** Rows per step of the kernels that take two vectors of rows at a time. */
    private static final int STEP = 2 * L;
    /** The system property that asks for a vector width in bits. */
    static final String BITS_PROPERTY = "emkit.vector.bits";
    /**
     * Single precision's float species: the width of {@link #S} (sixteen floats at 512 bits, eight at 256), so that
     * float vectors hold twice the rows of double ones, and one float width per JVM (only two widths of one element
     * type upset the JIT).
     */
    static final VectorSpecies<Float> F = S.vectorBitSize() == 512 ? FloatVector.SPECIES_512
            : FloatVector.SPECIES_256;
    /** Lanes of {@link #F}: twice {@link #L}. */
    private static final int LF = F.length();
    /** Rows per step of the float kernels, two float vectors. */
    private static final int FSTEP = 2 * LF;
    private static final int R = BlockWorkspace.ROWS;

    private static final double LOG2E = 1.4426950408889634;
    /** ln 2 split so that n · LN2_HI is exact for the exponents that occur. */
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5 · 2^52: adding it rounds to an integer held in the low mantissa bits. */
    private static final double ROUNDER = 6755399441055744.0;
    /** Below this, e^x is under the smallest normal double: taken as zero. */
    private static final double EXP_UNDERFLOW = -708.0;
    /** 1/j! for j = 0..13: the Taylor polynomial of e^r, |r| ≤ ln2/2, to below one ulp. */
    private static final double[] INVERSE_FACTORIALS = inverseFactorials(13);

    private static VectorSpecies<Double> chosenSpecies() {
        int preferred = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        int bits = preferred >= 512 ? 512 : 256;
        String asked = System.getProperty(BITS_PROPERTY);
        if ("256".equals(asked) || "512".equals(asked)) {
            bits = Math.min(bits, Integer.parseInt(asked));
        }
        return bits == 512 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    }

    /** Refuses to be made where vectors are narrower than 256 bits (the API would emulate them slowly). */
    VectorKernels() {
        if (DoubleVector.SPECIES_PREFERRED.vectorBitSize() < 256) {
            throw new UnsupportedOperationException("vectors narrower than 256 bits");
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void triangularSquaredNorms(BlockWorkspace ws, double[] centre, int centreOffset, double[] u) {
        int d = ws.d;
        int co = centreOffset;
        int n = padded(ws.rows);
        // Up to D = 32 the rows are centred as loaded: the subtractions run beside the multiply-adds and no
        // centred copy is written. At D = 64 that extra load per step measured slower than one centring pass.
        if (d > WIDE) {
            centreInto(ws, centre, co, n);
            triangularWide(ws, u);
            return;
        }
        double[] xt = ws.xt;
        for (int i = 0; i < n; i += STEP) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            int j = 0;
            for (; j + 3 < d; j += 4) {
                DoubleVector a00 = DoubleVector.zero(S);
                DoubleVector a01 = a00;
                DoubleVector a02 = a00;
                DoubleVector a03 = a00;
                DoubleVector a10 = a00;
                DoubleVector a11 = a00;
                DoubleVector a12 = a00;
                DoubleVector a13 = a00;
                // Columns j..j+3 of U have non-zeros in rows 0..j+3 only: rows 0..j−1 here, four per step (a
                // body too large for the JIT to unroll further, which it did or not from one run to the next,
                // with spills when it did), then rows j..j+3, for fewer columns each.
                for (int l = 0; l < j; l += 4) {
                    int zo = l * R + i;
                    DoubleVector z0 = DoubleVector.fromArray(S, xt, zo);
                    DoubleVector z1 = DoubleVector.fromArray(S, xt, zo + L);
                    DoubleVector m = DoubleVector.broadcast(S, centre[co + l]);
                    z0 = z0.sub(m);
                    z1 = z1.sub(m);
                    int ro = l * d + j;
                    DoubleVector c0 = DoubleVector.broadcast(S, u[ro]);
                    DoubleVector c1 = DoubleVector.broadcast(S, u[ro + 1]);
                    DoubleVector c2 = DoubleVector.broadcast(S, u[ro + 2]);
                    DoubleVector c3 = DoubleVector.broadcast(S, u[ro + 3]);
                    a00 = z0.fma(c0, a00);
                    a10 = z1.fma(c0, a10);
                    a01 = z0.fma(c1, a01);
                    a11 = z1.fma(c1, a11);
                    a02 = z0.fma(c2, a02);
                    a12 = z1.fma(c2, a12);
                    a03 = z0.fma(c3, a03);
                    a13 = z1.fma(c3, a13);
                    zo = (l + 1) * R + i;
                    z0 = DoubleVector.fromArray(S, xt, zo);
                    z1 = DoubleVector.fromArray(S, xt, zo + L);
                    m = DoubleVector.broadcast(S, centre[co + (l + 1)]);
                    z0 = z0.sub(m);
                    z1 = z1.sub(m);
                    ro = (l + 1) * d + j;
                    c0 = DoubleVector.broadcast(S, u[ro]);
                    c1 = DoubleVector.broadcast(S, u[ro + 1]);
                    c2 = DoubleVector.broadcast(S, u[ro + 2]);
                    c3 = DoubleVector.broadcast(S, u[ro + 3]);
                    a00 = z0.fma(c0, a00);
                    a10 = z1.fma(c0, a10);
                    a01 = z0.fma(c1, a01);
                    a11 = z1.fma(c1, a11);
                    a02 = z0.fma(c2, a02);
                    a12 = z1.fma(c2, a12);
                    a03 = z0.fma(c3, a03);
                    a13 = z1.fma(c3, a13);
                    zo = (l + 2) * R + i;
                    z0 = DoubleVector.fromArray(S, xt, zo);
                    z1 = DoubleVector.fromArray(S, xt, zo + L);
                    m = DoubleVector.broadcast(S, centre[co + (l + 2)]);
                    z0 = z0.sub(m);
                    z1 = z1.sub(m);
                    ro = (l + 2) * d + j;
                    c0 = DoubleVector.broadcast(S, u[ro]);
                    c1 = DoubleVector.broadcast(S, u[ro + 1]);
                    c2 = DoubleVector.broadcast(S, u[ro + 2]);
                    c3 = DoubleVector.broadcast(S, u[ro + 3]);
                    a00 = z0.fma(c0, a00);
                    a10 = z1.fma(c0, a10);
                    a01 = z0.fma(c1, a01);
                    a11 = z1.fma(c1, a11);
                    a02 = z0.fma(c2, a02);
                    a12 = z1.fma(c2, a12);
                    a03 = z0.fma(c3, a03);
                    a13 = z1.fma(c3, a13);
                    zo = (l + 3) * R + i;
                    z0 = DoubleVector.fromArray(S, xt, zo);
                    z1 = DoubleVector.fromArray(S, xt, zo + L);
                    m = DoubleVector.broadcast(S, centre[co + (l + 3)]);
                    z0 = z0.sub(m);
                    z1 = z1.sub(m);
                    ro = (l + 3) * d + j;
                    c0 = DoubleVector.broadcast(S, u[ro]);
                    c1 = DoubleVector.broadcast(S, u[ro + 1]);
                    c2 = DoubleVector.broadcast(S, u[ro + 2]);
                    c3 = DoubleVector.broadcast(S, u[ro + 3]);
                    a00 = z0.fma(c0, a00);
                    a10 = z1.fma(c0, a10);
                    a01 = z0.fma(c1, a01);
                    a11 = z1.fma(c1, a11);
                    a02 = z0.fma(c2, a02);
                    a12 = z1.fma(c2, a12);
                    a03 = z0.fma(c3, a03);
                    a13 = z1.fma(c3, a13);
                }
                {
                    int zo = j * R + i;
                    DoubleVector z0 = DoubleVector.fromArray(S, xt, zo);
                    DoubleVector z1 = DoubleVector.fromArray(S, xt, zo + L);
                    DoubleVector m = DoubleVector.broadcast(S, centre[co + j]);
                    z0 = z0.sub(m);
                    z1 = z1.sub(m);
                    int ro = j * d + j;
                    DoubleVector c0 = DoubleVector.broadcast(S, u[ro]);
                    DoubleVector c1 = DoubleVector.broadcast(S, u[ro + 1]);
                    DoubleVector c2 = DoubleVector.broadcast(S, u[ro + 2]);
                    DoubleVector c3 = DoubleVector.broadcast(S, u[ro + 3]);
                    a00 = z0.fma(c0, a00);
                    a10 = z1.fma(c0, a10);
                    a01 = z0.fma(c1, a01);
                    a11 = z1.fma(c1, a11);
                    a02 = z0.fma(c2, a02);
                    a12 = z1.fma(c2, a12);
                    a03 = z0.fma(c3, a03);
                    a13 = z1.fma(c3, a13);
                }
                int l = j + 1;
                int zo = l * R + i;
                int ro = l * d + j;
                DoubleVector z0 = DoubleVector.fromArray(S, xt, zo);
                DoubleVector z1 = DoubleVector.fromArray(S, xt, zo + L);
                DoubleVector m = DoubleVector.broadcast(S, centre[co + l]);
                z0 = z0.sub(m);
                z1 = z1.sub(m);
                DoubleVector c = DoubleVector.broadcast(S, u[ro + 1]);
                a01 = z0.fma(c, a01);
                a11 = z1.fma(c, a11);
                c = DoubleVector.broadcast(S, u[ro + 2]);
                a02 = z0.fma(c, a02);
                a12 = z1.fma(c, a12);
                c = DoubleVector.broadcast(S, u[ro + 3]);
                a03 = z0.fma(c, a03);
                a13 = z1.fma(c, a13);
                l++;
                zo += R;
                ro += d;
                z0 = DoubleVector.fromArray(S, xt, zo);
                z1 = DoubleVector.fromArray(S, xt, zo + L);
                m = DoubleVector.broadcast(S, centre[co + l]);
                z0 = z0.sub(m);
                z1 = z1.sub(m);
                c = DoubleVector.broadcast(S, u[ro + 2]);
                a02 = z0.fma(c, a02);
                a12 = z1.fma(c, a12);
                c = DoubleVector.broadcast(S, u[ro + 3]);
                a03 = z0.fma(c, a03);
                a13 = z1.fma(c, a13);
                l++;
                zo += R;
                ro += d;
                z0 = DoubleVector.fromArray(S, xt, zo);
                z1 = DoubleVector.fromArray(S, xt, zo + L);
                m = DoubleVector.broadcast(S, centre[co + l]);
                z0 = z0.sub(m);
                z1 = z1.sub(m);
                c = DoubleVector.broadcast(S, u[ro + 3]);
                a03 = z0.fma(c, a03);
                a13 = z1.fma(c, a13);
                s0 = a00.fma(a00, s0);
                s1 = a10.fma(a10, s1);
                s0 = a01.fma(a01, s0);
                s1 = a11.fma(a11, s1);
                s0 = a02.fma(a02, s0);
                s1 = a12.fma(a12, s1);
                s0 = a03.fma(a03, s0);
                s1 = a13.fma(a13, s1);
            }
            for (; j < d; j++) {
                DoubleVector a0 = DoubleVector.zero(S);
                DoubleVector a1 = a0;
                for (int l = 0; l <= j; l++) {
                    int zo = l * R + i;
                    DoubleVector z0 = DoubleVector.fromArray(S, xt, zo);
                    DoubleVector z1 = DoubleVector.fromArray(S, xt, zo + L);
                    DoubleVector m = DoubleVector.broadcast(S, centre[co + l]);
                    z0 = z0.sub(m);
                    z1 = z1.sub(m);
                    DoubleVector c = DoubleVector.broadcast(S, u[l * d + j]);
                    a0 = z0.fma(c, a0);
                    a1 = z1.fma(c, a1);
                }
                s0 = a0.fma(a0, s0);
                s1 = a1.fma(a1, s1);
            }
            s0.intoArray(ws.ss, i);
            s1.intoArray(ws.ss, i + L);
        }
    }

    /**
     * A 2·LF-row × 4-column tile of (x − μ)U in eight float registers (two vectors of LF rows per column, LF = 16
     * at 512 bits): the double kernel's tile with twice the rows per instruction. The rows are narrowed once per block
     * ({@link BlockWorkspace#narrowRows}, two floats each about an anchor) and centred on each component in float
     * into the workspace's cache of centred rows ({@code ws.zf} where it has no room), which the second moments of
     * the block read again: no double-to-float conversion of the Vector API, which the JIT of some JVMs leaves to a
     * Java fallback that made the whole fit twice as slow as double.
     */
    @Override
    public void triangularSquaredNormsSingle(BlockWorkspace ws, double[] centre, int centreOffset, float[] u) {
        int d = ws.d;
        // Whole tiles of FSTEP rows: the lanes past the padded rows hold stale but finite values (or zeros).
        int n = (ws.rows + FSTEP - 1) / FSTEP * FSTEP;
        ws.narrowRows(n);
        float[] high = ws.xHigh;
        float[] low = ws.xLow;
        // Centred into the workspace's cache for this centre when it has room: the second moments of the block, on
        // the same centre, then start from these rows instead of centring again.
        int zb = ws.centredSlot(centre, centreOffset);
        float[] zt = zb >= 0 ? ws.centred : ws.zf;
        zb = Math.max(zb, 0);
        for (int l = 0; l < d; l++) {
            int lo = l * R;
            double m = centre[centreOffset + l] - ws.anchor[l];
            float mHigh = (float) m;
            FloatVector h = FloatVector.broadcast(F, mHigh);
            FloatVector g = FloatVector.broadcast(F, (float) (m - mHigh));
            for (int i = 0; i < n; i += LF) {
                FloatVector.fromArray(F, high, lo + i).sub(h)
                        .add(FloatVector.fromArray(F, low, lo + i).sub(g)).intoArray(zt, zb + lo + i);
            }
        }
        float[] ss = ws.ssf;
        for (int i = 0; i < n; i += FSTEP) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            int j = 0;
            for (; j + 3 < d; j += 4) {
                FloatVector a00 = FloatVector.zero(F);
                FloatVector a01 = a00;
                FloatVector a02 = a00;
                FloatVector a03 = a00;
                FloatVector a10 = a00;
                FloatVector a11 = a00;
                FloatVector a12 = a00;
                FloatVector a13 = a00;
                // Columns j..j+3 of U have non-zeros in rows 0..j+3 only, rows j+1..j+3 in fewer of them (as in
                // the double kernel, the zeros are skipped).
                for (int l = 0; l <= j; l++) {
                    int zo = zb + l * R + i;
                    FloatVector z0 = FloatVector.fromArray(F, zt, zo);
                    FloatVector z1 = FloatVector.fromArray(F, zt, zo + LF);
                    int ro = l * d + j;
                    FloatVector c0 = FloatVector.broadcast(F, u[ro]);
                    FloatVector c1 = FloatVector.broadcast(F, u[ro + 1]);
                    FloatVector c2 = FloatVector.broadcast(F, u[ro + 2]);
                    FloatVector c3 = FloatVector.broadcast(F, u[ro + 3]);
                    a00 = z0.fma(c0, a00);
                    a10 = z1.fma(c0, a10);
                    a01 = z0.fma(c1, a01);
                    a11 = z1.fma(c1, a11);
                    a02 = z0.fma(c2, a02);
                    a12 = z1.fma(c2, a12);
                    a03 = z0.fma(c3, a03);
                    a13 = z1.fma(c3, a13);
                }
                int zo = zb + (j + 1) * R + i;
                int ro = (j + 1) * d + j;
                FloatVector z0 = FloatVector.fromArray(F, zt, zo);
                FloatVector z1 = FloatVector.fromArray(F, zt, zo + LF);
                FloatVector c = FloatVector.broadcast(F, u[ro + 1]);
                a01 = z0.fma(c, a01);
                a11 = z1.fma(c, a11);
                c = FloatVector.broadcast(F, u[ro + 2]);
                a02 = z0.fma(c, a02);
                a12 = z1.fma(c, a12);
                c = FloatVector.broadcast(F, u[ro + 3]);
                a03 = z0.fma(c, a03);
                a13 = z1.fma(c, a13);
                zo += R;
                ro += d;
                z0 = FloatVector.fromArray(F, zt, zo);
                z1 = FloatVector.fromArray(F, zt, zo + LF);
                c = FloatVector.broadcast(F, u[ro + 2]);
                a02 = z0.fma(c, a02);
                a12 = z1.fma(c, a12);
                c = FloatVector.broadcast(F, u[ro + 3]);
                a03 = z0.fma(c, a03);
                a13 = z1.fma(c, a13);
                zo += R;
                ro += d;
                z0 = FloatVector.fromArray(F, zt, zo);
                z1 = FloatVector.fromArray(F, zt, zo + LF);
                c = FloatVector.broadcast(F, u[ro + 3]);
                a03 = z0.fma(c, a03);
                a13 = z1.fma(c, a13);
                s0 = a00.fma(a00, s0);
                s1 = a10.fma(a10, s1);
                s0 = a01.fma(a01, s0);
                s1 = a11.fma(a11, s1);
                s0 = a02.fma(a02, s0);
                s1 = a12.fma(a12, s1);
                s0 = a03.fma(a03, s0);
                s1 = a13.fma(a13, s1);
            }
            for (; j < d; j++) {
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = a0;
                for (int l = 0; l <= j; l++) {
                    int zo = zb + l * R + i;
                    FloatVector c = FloatVector.broadcast(F, u[l * d + j]);
                    a0 = FloatVector.fromArray(F, zt, zo).fma(c, a0);
                    a1 = FloatVector.fromArray(F, zt, zo + LF).fma(c, a1);
                }
                s0 = a0.fma(a0, s0);
                s1 = a1.fma(a1, s1);
            }
            s0.intoArray(ss, i);
            s1.intoArray(ss, i + LF);
        }
        double[] out = ws.ss;
        for (int i = 0; i < n; i++) {
            out[i] = ss[i];
        }
    }

    @Override
    public double sum(BlockWorkspace ws, double[] r, int offset) {
        int n = padded(ws.rows);
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        for (int i = 0; i < n; i += STEP) {
            s0 = s0.add(DoubleVector.fromArray(S, r, offset + i));
            s1 = s1.add(DoubleVector.fromArray(S, r, offset + i + L));
        }
        double[] lanes = ws.lanes;
        s0.add(s1).intoArray(lanes, 0);
        return laneSum(lanes, 0);
    }

    @Override
    public void addMoments(BlockWorkspace ws, double[] centre, int centreOffset, double[] r, int ro, double[] first,
                           int firstOffset, double[] second, int secondOffset, boolean fullSecond) {
        int d = ws.d;
        double[] xt = ws.xt;
        double[] lanes = ws.lanes;
        int n = padded(ws.rows);
        if (!fullSecond) {
            for (int a = 0; a < d; a++) {
                int ao = a * R;
                DoubleVector m = DoubleVector.broadcast(S, centre[centreOffset + a]);
                DoubleVector f = DoubleVector.zero(S);
                DoubleVector q = f;
                for (int i = 0; i < n; i += L) {
                    DoubleVector z = DoubleVector.fromArray(S, xt, ao + i).sub(m);
                    DoubleVector w = DoubleVector.fromArray(S, r, ro + i).mul(z);
                    f = f.add(w);
                    q = w.fma(z, q);
                }
                f.intoArray(lanes, 0);
                q.intoArray(lanes, L);
                first[firstOffset + a] += laneSum(lanes, 0);
                second[secondOffset + a] += laneSum(lanes, L);
            }
            return;
        }
        if (d == 2) {
            addMomentsOfPairs(ws, centre, centreOffset, r, ro, first, firstOffset, second, secondOffset);
            return;
        }
        if (addedByRowTiles(ws, centre, centreOffset, r, ro, first, firstOffset, second, secondOffset)) {
            return;
        }
        // Σ r·z·zᵀ is taken as Σ y·yᵀ with y = √r·z: one array of operands instead of two (half the cache
        // footprint and half the stores), and a diagonal 4 × 4 tile needs four loads for its ten sums.
        double[] y = ws.zt;
        double[] root = ws.wz;
        int chunk = chunkRows(d);
        // The first moments' lanes at [0, LD), the second moments' after them, entry (a, b) at
        // LD + (a·D + b)·L, carried from chunk to chunk: each lane adds its rows in row order, as one pass
        // over the block would.
        int partialLength = L * d + L * d * d;
        if (ws.partial == null) {
            ws.partial = new double[partialLength];
        }
        double[] acc = ws.partial;
        java.util.Arrays.fill(acc, 0.0);
        int stride = L * d;
        for (int lo = 0; lo < n; lo += chunk) {
            int hi = Math.min(n, lo + chunk);
            for (int i = lo; i < hi; i += L) {
                DoubleVector.fromArray(S, r, ro + i).sqrt().intoArray(root, i);
            }
            centreAndScale(xt, centre, centreOffset, r, ro, root, y, d, lo, hi, acc);
            for (int a = 0; a < d; a += 4) {
                int rows = Math.min(4, d - a);
                for (int b = a; b < d; ) {
                    int at = L * d + (a * d + b) * L;
                    int cols;
                    if (rows == 4 && b == a) {
                        diagonalTile(y, a, lo, hi, acc, at, stride);
                        cols = 4;
                    } else if (rows == 4 && b + 1 < d) {
                        tile(y, a, b, lo, hi, acc, at, stride);
                        cols = 2;
                    } else {
                        for (int q = 0; q < rows; q++) {
                            if (b >= a + q) {
                                dot(y, (a + q) * R, y, b * R, lo, hi, acc, at + q * stride);
                            }
                        }
                        cols = 1;
                    }
                    b += cols;
                }
            }
        }
        for (int a = 0; a < d; a++) {
            first[firstOffset + a] += laneSum(acc, L * a);
            for (int b = a; b < d; b++) {
                second[secondOffset + a * d + b] += laneSum(acc, L * d + (a * d + b) * L);
            }
        }
    }

    /**
     * Whether {@link #addMomentsByRowTiles} is the faster at {@code d} features (at 512 bits). Measured on one core,
     * a block of 256 rows and one component, against the row-lane tiles: d = 3 and 4 0.71 µs against 0.49–0.55
     * (their tiles hold all the features); 5–8 0.75–0.80 against 0.79–1.22; 9 and 10 1.85–1.92 against 1.45–1.68
     * (two vectors of features for one and a quarter); 11–14 1.9–2.1 against 2.2–3.6; 16 2.06 against 4.34; 24 4.4
     * against 8.8; 64 28.9 against 62.1.
     */
    private static boolean rowTilesAreFaster(int d) {
        return d >= 5 && (d <= 8 || d >= 11);
    }

    /**
     * Adds the full moments by {@link #addMomentsByRowTiles} where that is the faster way and the block's rows allow
     * it (not after rows with missing values were cleared).
     *
     * @return whether it did
     */
    private static boolean addedByRowTiles(BlockWorkspace ws, double[] centre, int co, double[] r, int ro,
                                           double[] first, int firstOffset, double[] second, int secondOffset) {
        double[] shifted = L == 8 && rowTilesAreFaster(ws.d) ? ws.shiftedRows() : null;
        if (shifted == null) {
            return false;
        }
        addMomentsByRowTiles(ws, shifted, centre, co, r, ro, first, firstOffset, second, secondOffset);
        return true;
    }

    /**
     * The moments {@code Σ r·z} and {@code Σ r·z·zᵀ}, {@code z = x − μ}, with the lanes across features instead of
     * rows. With the block's rows shifted by their first row {@code s} ({@link BlockWorkspace#shiftedRows}, made once
     * for all components) and {@code δ = μ − s}: {@code Σ r·z_a·z = Σ (x − s)_a·w − δ_a·Σ w}, {@code w = r·z}. Each tile
     * of eight features {@code a} by two vectors of features {@code b} adds, row by row, {@code (x − s)_a} (a
     * broadcast load) times the row's {@code w} into sixteen registers; the tiles of the first eight features also
     * give {@code Σ w}, the first moments. So an entry is one lane summed over the block's rows in row order: no
     * scaled rows written (stores cost most here), no lanes added up at the end. Its rounding grows with
     * {@code |x − s|/|z|} of the rows that weigh, linearly (the second term only corrects the first). Measured at
     * D = 16, one core, 512 bits: 2.1 µs a block of 256 rows and one component, against 4.3 for the row-lane tiles.
     * At 512 bits only: the tile's sixteen sums and its operands need more than AVX2's sixteen registers.
     */
    private static void addMomentsByRowTiles(BlockWorkspace ws, double[] xs, double[] centre, int co, double[] r,
                                             int ro, double[] first, int firstOffset, double[] second,
                                             int secondOffset) {
        int d = ws.d;
        int rows = ws.rows;
        int stride = ws.rowStride;
        double[] delta = ws.delta;
        for (int a = 0; a < d; a++) {
            delta[a] = centre[co + a] - ws.shift[a];
        }
        double[] sums = ws.columnSums;
        double[] tile = ws.momentTile;
        for (int a0 = 0; a0 < d; a0 += 8) {
            int b0 = a0;
            for (; b0 + 2 * L <= stride; b0 += 2 * L) {
                rowTile(xs, stride, rows, r, ro, delta, a0, b0, tile);
                addTile(tile, 2 * L, a0, b0, d, delta, sums, second, secondOffset);
            }
            if (b0 < stride) {
                rowTileOneVector(xs, stride, rows, r, ro, delta, a0, b0, tile);
                addTile(tile, L, a0, b0, d, delta, sums, second, secondOffset);
            }
        }
        for (int b = 0; b < d; b++) {
            first[firstOffset + b] += sums[b];
        }
    }

    /**
     * Adds a tile's entries on or above the diagonal (and within {@code d}) to the second moments, less
     * {@code δ_a·Σ w_b}; the tiles of the first eight features first record their columns' {@code Σ w}.
     */
    private static void addTile(double[] tile, int width, int a0, int b0, int d, double[] delta, double[] sums,
                                double[] second, int secondOffset) {
        if (a0 == 0) {
            System.arraycopy(tile, 8 * width, sums, b0, width);
        }
        for (int q = 0; q < 8 && a0 + q < d; q++) {
            int a = a0 + q;
            double da = delta[a];
            for (int c = Math.max(0, a - b0); c < width && b0 + c < d; c++) {
                second[secondOffset + a * d + b0 + c] += tile[q * width + c] - da * sums[b0 + c];
            }
        }
    }

    /**
     * Over the block's rows: {@code w = r·(x − s − δ)} on features {@code [b0, b0 + 2L)}, then {@code Σ (x − s)_a·w}
     * for the eight features {@code a0 + q} into {@code tile} (row q at {@code q·2L}) and {@code Σ w} after them.
     * The sixteen sums are written out one by one: in an array, or behind a method that returned them, they would
     * not stay in registers.
     */
    private static void rowTile(double[] xs, int stride, int rows, double[] r, int ro, double[] delta, int a0,
                                int b0, double[] tile) {
        DoubleVector d0 = DoubleVector.fromArray(S, delta, b0);
        DoubleVector d1 = DoubleVector.fromArray(S, delta, b0 + L);
        DoubleVector f0 = DoubleVector.zero(S);
        DoubleVector f1 = f0;
        DoubleVector c00 = f0;
        DoubleVector c01 = f0;
        DoubleVector c10 = f0;
        DoubleVector c11 = f0;
        DoubleVector c20 = f0;
        DoubleVector c21 = f0;
        DoubleVector c30 = f0;
        DoubleVector c31 = f0;
        DoubleVector c40 = f0;
        DoubleVector c41 = f0;
        DoubleVector c50 = f0;
        DoubleVector c51 = f0;
        DoubleVector c60 = f0;
        DoubleVector c61 = f0;
        DoubleVector c70 = f0;
        DoubleVector c71 = f0;
        for (int i = 0; i < rows; i++) {
            int o = i * stride;
            int oa = o + a0;
            DoubleVector ri = DoubleVector.broadcast(S, r[ro + i]);
            DoubleVector w0 = DoubleVector.fromArray(S, xs, o + b0).sub(d0).mul(ri);
            DoubleVector w1 = DoubleVector.fromArray(S, xs, o + b0 + L).sub(d1).mul(ri);
            f0 = f0.add(w0);
            f1 = f1.add(w1);
            DoubleVector b = DoubleVector.broadcast(S, xs[oa]);
            c00 = b.fma(w0, c00);
            c01 = b.fma(w1, c01);
            b = DoubleVector.broadcast(S, xs[oa + 1]);
            c10 = b.fma(w0, c10);
            c11 = b.fma(w1, c11);
            b = DoubleVector.broadcast(S, xs[oa + 2]);
            c20 = b.fma(w0, c20);
            c21 = b.fma(w1, c21);
            b = DoubleVector.broadcast(S, xs[oa + 3]);
            c30 = b.fma(w0, c30);
            c31 = b.fma(w1, c31);
            b = DoubleVector.broadcast(S, xs[oa + 4]);
            c40 = b.fma(w0, c40);
            c41 = b.fma(w1, c41);
            b = DoubleVector.broadcast(S, xs[oa + 5]);
            c50 = b.fma(w0, c50);
            c51 = b.fma(w1, c51);
            b = DoubleVector.broadcast(S, xs[oa + 6]);
            c60 = b.fma(w0, c60);
            c61 = b.fma(w1, c61);
            b = DoubleVector.broadcast(S, xs[oa + 7]);
            c70 = b.fma(w0, c70);
            c71 = b.fma(w1, c71);
        }
        int w = 2 * L;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, w);
        c11.intoArray(tile, w + L);
        c20.intoArray(tile, 2 * w);
        c21.intoArray(tile, 2 * w + L);
        c30.intoArray(tile, 3 * w);
        c31.intoArray(tile, 3 * w + L);
        c40.intoArray(tile, 4 * w);
        c41.intoArray(tile, 4 * w + L);
        c50.intoArray(tile, 5 * w);
        c51.intoArray(tile, 5 * w + L);
        c60.intoArray(tile, 6 * w);
        c61.intoArray(tile, 6 * w + L);
        c70.intoArray(tile, 7 * w);
        c71.intoArray(tile, 7 * w + L);
        f0.intoArray(tile, 8 * w);
        f1.intoArray(tile, 8 * w + L);
    }

    /** {@link #rowTile} on one vector of features {@code b}: row q of {@code tile} at {@code q·L}, {@code Σ w} at 8L. */
    private static void rowTileOneVector(double[] xs, int stride, int rows, double[] r, int ro, double[] delta,
                                         int a0, int b0, double[] tile) {
        DoubleVector d0 = DoubleVector.fromArray(S, delta, b0);
        DoubleVector f0 = DoubleVector.zero(S);
        DoubleVector c0 = f0;
        DoubleVector c1 = f0;
        DoubleVector c2 = f0;
        DoubleVector c3 = f0;
        DoubleVector c4 = f0;
        DoubleVector c5 = f0;
        DoubleVector c6 = f0;
        DoubleVector c7 = f0;
        for (int i = 0; i < rows; i++) {
            int o = i * stride;
            int oa = o + a0;
            DoubleVector w0 = DoubleVector.fromArray(S, xs, o + b0).sub(d0).mul(r[ro + i]);
            f0 = f0.add(w0);
            c0 = DoubleVector.broadcast(S, xs[oa]).fma(w0, c0);
            c1 = DoubleVector.broadcast(S, xs[oa + 1]).fma(w0, c1);
            c2 = DoubleVector.broadcast(S, xs[oa + 2]).fma(w0, c2);
            c3 = DoubleVector.broadcast(S, xs[oa + 3]).fma(w0, c3);
            c4 = DoubleVector.broadcast(S, xs[oa + 4]).fma(w0, c4);
            c5 = DoubleVector.broadcast(S, xs[oa + 5]).fma(w0, c5);
            c6 = DoubleVector.broadcast(S, xs[oa + 6]).fma(w0, c6);
            c7 = DoubleVector.broadcast(S, xs[oa + 7]).fma(w0, c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L);
        c5.intoArray(tile, 5 * L);
        c6.intoArray(tile, 6 * L);
        c7.intoArray(tile, 7 * L);
        f0.intoArray(tile, 8 * L);
    }

    /**
     * The second moments in float: {@code y = √r'·(x − μ)} for the block's rows in float vectors (twice the rows of
     * a double vector), the tiles' multiply-adds in float, each lane summing the block's rows LF apart (16 at 512
     * bits), then each entry's lanes folded in float to four partial sums of at most 4·R/LF rows, which are widened
     * and added in double. Here {@code r' = r / max r} keeps the float weights normal (a responsibility of 1e-300
     * would be zero in float) and the sums are scaled back in double. The rows are centred as for
     * {@link #triangularSquaredNormsSingle}, from the block's split into two floats per value.
     */
    @Override
    public void addMomentsSingle(BlockWorkspace ws, double[] centre, int centreOffset, double[] r, int ro,
                                 double[] first, int firstOffset, double[] second, int secondOffset) {
        int d = ws.d;
        // Where the double moments with the lanes across features apply they are faster than these float tiles (an
        // iteration of (100k, 16, 16) in single precision, one thread: 0.0330 s with them, 0.0356 with the tiles).
        if (addedByRowTiles(ws, centre, centreOffset, r, ro, first, firstOffset, second, secondOffset)) {
            return;
        }
        int rows = ws.rows;
        // The padding's responsibilities are zero (normalizeColumns), so the padded rows' maximum is the rows'.
        DoubleVector top = DoubleVector.zero(S);
        for (int i = 0, p = padded(rows); i < p; i += L) {
            top = top.max(DoubleVector.fromArray(S, r, ro + i));
        }
        double[] lanes = ws.lanes;
        top.intoArray(lanes, 0);
        double max = 0;
        for (int h = 0; h < L; h++) {
            max = Math.max(max, lanes[h]);
        }
        if (!(max > 0 && max < Double.POSITIVE_INFINITY)) {
            addMoments(ws, centre, centreOffset, r, ro, first, firstOffset, second, secondOffset, true);
            return;
        }
        int n = (rows + FSTEP - 1) / FSTEP * FSTEP;
        ws.narrowRows(n);
        ws.ensureSingleMoments();
        float[] rf = ws.rf;
        float[] root = ws.rootf;
        double inverse = 1.0 / max;
        // Plain Java: a double-to-float conversion of the Vector API would need a second shape (see the class).
        for (int i = 0; i < rows; i++) {
            rf[i] = (float) (r[ro + i] * inverse);
        }
        java.util.Arrays.fill(rf, rows, n, 0f);
        for (int i = 0; i < n; i += LF) {
            FloatVector.fromArray(F, rf, i).sqrt().intoArray(root, i);
        }
        float[] y = ws.zf;
        float[] folded = ws.foldf;
        int zb = ws.centredOn(centre, centreOffset);
        if (zb >= 0) {
            scaleCentredSingle(ws.centred, zb, d, rf, root, y, n, folded);
        } else {
            centreAndScaleSingle(ws, centre, centreOffset, rf, root, y, n, folded);
        }
        for (int a = 0; a < d; a += 4) {
            int rowsOfTile = Math.min(4, d - a);
            for (int b = a; b < d; ) {
                if (rowsOfTile == 4 && b == a) {
                    diagonalTileSingle(y, a, d, n, folded);
                    b += 4;
                } else if (rowsOfTile == 4 && b + 1 < d) {
                    tileSingle(y, a, b, d, n, folded);
                    b += 2;
                } else {
                    for (int q = 0; q < rowsOfTile; q++) {
                        if (b >= a + q) {
                            dotSingle(y, a + q, b, d, n, folded);
                        }
                    }
                    b++;
                }
            }
        }
        // Widened and checked before any is added: a block whose float sums left float's range (or lost their
        // precision to subnormal values) is computed again in double, and the statistics see only that.
        double[] sums = ws.momentSums;
        for (int a = 0; a < d; a++) {
            sums[a] = widen(folded, a);
            for (int e = d + a * d + a, end = d + a * d + d; e < end; e++) {
                sums[e] = widen(folded, e);
            }
        }
        if (!ScalarKernels.addSingleSums(sums, d, max, first, firstOffset, second, secondOffset)) {
            addMoments(ws, centre, centreOffset, r, ro, first, firstOffset, second, secondOffset, true);
        }
    }

    /** Entry e's four float partial sums added in double, in a fixed order. */
    private static double widen(float[] folded, int e) {
        int o = 16 * e;
        return ((double) folded[o] + folded[o + 1]) + ((double) folded[o + 2] + folded[o + 3]);
    }

    /*
     * Each float vector of sums over rows is folded, where its loop ends, into four partial sums in float: lane i
     * plus lane i + LF/2, then plus lane i + 4 at sixteen lanes (a fixed order, never the Vector API's reduction),
     * and stored whole at folded[16e ..], sixteen floats per entry e, so that no store reaches another entry's four.
     * Written out at each place rather than in a method: a vector handed to a method the JIT did not inline is boxed.
     */

    /** Lane i to lane i + LF/2 (mod LF): the first fold of the float sums. */
    private static final VectorShuffle<Float> HALF = VectorShuffle.fromOp(F, i -> (i + LF / 2) % LF);
    /** Lane i to lane i + 4 (mod LF): the second fold at sixteen lanes. */
    private static final VectorShuffle<Float> QUARTER = VectorShuffle.fromOp(F, i -> (i + 4) % LF);

    /**
     * Centres the block's split rows on the centre in float ({@code (h − h_μ) + (l − l_μ)}, as the triangular
     * product does), folds {@code Σ r'·z} per feature into {@code folded[16a ..]}, and writes {@code y = √r'·z} into
     * {@code y}. Four features at a time, four independent sums.
     */
    private static void centreAndScaleSingle(BlockWorkspace ws, double[] centre, int co, float[] rf, float[] root,
                                             float[] y, int n, float[] folded) {
        int d = ws.d;
        float[] high = ws.xHigh;
        float[] low = ws.xLow;
        double[] anchor = ws.anchor;
        int a = 0;
        for (; a + 3 < d; a += 4) {
            int o0 = a * R;
            int o1 = o0 + R;
            int o2 = o1 + R;
            int o3 = o2 + R;
            double m0 = centre[co + a] - anchor[a];
            double m1 = centre[co + a + 1] - anchor[a + 1];
            double m2 = centre[co + a + 2] - anchor[a + 2];
            double m3 = centre[co + a + 3] - anchor[a + 3];
            float h0 = (float) m0;
            float h1 = (float) m1;
            float h2 = (float) m2;
            float h3 = (float) m3;
            float g0 = (float) (m0 - h0);
            float g1 = (float) (m1 - h1);
            float g2 = (float) (m2 - h2);
            float g3 = (float) (m3 - h3);
            FloatVector f0 = FloatVector.zero(F);
            FloatVector f1 = f0;
            FloatVector f2 = f0;
            FloatVector f3 = f0;
            for (int i = 0; i < n; i += LF) {
                FloatVector w = FloatVector.fromArray(F, rf, i);
                FloatVector s = FloatVector.fromArray(F, root, i);
                FloatVector z = FloatVector.fromArray(F, high, o0 + i).sub(h0)
                        .add(FloatVector.fromArray(F, low, o0 + i).sub(g0));
                f0 = w.fma(z, f0);
                s.mul(z).intoArray(y, o0 + i);
                z = FloatVector.fromArray(F, high, o1 + i).sub(h1).add(FloatVector.fromArray(F, low, o1 + i).sub(g1));
                f1 = w.fma(z, f1);
                s.mul(z).intoArray(y, o1 + i);
                z = FloatVector.fromArray(F, high, o2 + i).sub(h2).add(FloatVector.fromArray(F, low, o2 + i).sub(g2));
                f2 = w.fma(z, f2);
                s.mul(z).intoArray(y, o2 + i);
                z = FloatVector.fromArray(F, high, o3 + i).sub(h3).add(FloatVector.fromArray(F, low, o3 + i).sub(g3));
                f3 = w.fma(z, f3);
                s.mul(z).intoArray(y, o3 + i);
            }
            f0 = f0.add(f0.rearrange(HALF));
            f0 = LF == 16 ? f0.add(f0.rearrange(QUARTER)) : f0;
            f0.intoArray(folded, 16 * (a));
            f1 = f1.add(f1.rearrange(HALF));
            f1 = LF == 16 ? f1.add(f1.rearrange(QUARTER)) : f1;
            f1.intoArray(folded, 16 * (a + 1));
            f2 = f2.add(f2.rearrange(HALF));
            f2 = LF == 16 ? f2.add(f2.rearrange(QUARTER)) : f2;
            f2.intoArray(folded, 16 * (a + 2));
            f3 = f3.add(f3.rearrange(HALF));
            f3 = LF == 16 ? f3.add(f3.rearrange(QUARTER)) : f3;
            f3.intoArray(folded, 16 * (a + 3));
        }
        for (; a < d; a++) {
            int o = a * R;
            double m = centre[co + a] - anchor[a];
            float h = (float) m;
            float g = (float) (m - h);
            FloatVector f = FloatVector.zero(F);
            for (int i = 0; i < n; i += LF) {
                FloatVector z = FloatVector.fromArray(F, high, o + i).sub(h)
                        .add(FloatVector.fromArray(F, low, o + i).sub(g));
                f = FloatVector.fromArray(F, rf, i).fma(z, f);
                FloatVector.fromArray(F, root, i).mul(z).intoArray(y, o + i);
            }
            f = f.add(f.rearrange(HALF));
            f = LF == 16 ? f.add(f.rearrange(QUARTER)) : f;
            f.intoArray(folded, 16 * (a));
        }
    }

    /**
     * {@link #centreAndScaleSingle} for rows the triangular product left centred on the same centre in
     * {@code z[zb ..]} (the same float values): only the weighting remains.
     */
    private static void scaleCentredSingle(float[] z, int zb, int d, float[] rf, float[] root, float[] y, int n,
                                           float[] folded) {
        int a = 0;
        for (; a + 3 < d; a += 4) {
            int o0 = a * R;
            int o1 = o0 + R;
            int o2 = o1 + R;
            int o3 = o2 + R;
            FloatVector f0 = FloatVector.zero(F);
            FloatVector f1 = f0;
            FloatVector f2 = f0;
            FloatVector f3 = f0;
            for (int i = 0; i < n; i += LF) {
                FloatVector w = FloatVector.fromArray(F, rf, i);
                FloatVector s = FloatVector.fromArray(F, root, i);
                FloatVector v = FloatVector.fromArray(F, z, zb + o0 + i);
                f0 = w.fma(v, f0);
                s.mul(v).intoArray(y, o0 + i);
                v = FloatVector.fromArray(F, z, zb + o1 + i);
                f1 = w.fma(v, f1);
                s.mul(v).intoArray(y, o1 + i);
                v = FloatVector.fromArray(F, z, zb + o2 + i);
                f2 = w.fma(v, f2);
                s.mul(v).intoArray(y, o2 + i);
                v = FloatVector.fromArray(F, z, zb + o3 + i);
                f3 = w.fma(v, f3);
                s.mul(v).intoArray(y, o3 + i);
            }
            f0 = f0.add(f0.rearrange(HALF));
            f0 = LF == 16 ? f0.add(f0.rearrange(QUARTER)) : f0;
            f0.intoArray(folded, 16 * a);
            f1 = f1.add(f1.rearrange(HALF));
            f1 = LF == 16 ? f1.add(f1.rearrange(QUARTER)) : f1;
            f1.intoArray(folded, 16 * (a + 1));
            f2 = f2.add(f2.rearrange(HALF));
            f2 = LF == 16 ? f2.add(f2.rearrange(QUARTER)) : f2;
            f2.intoArray(folded, 16 * (a + 2));
            f3 = f3.add(f3.rearrange(HALF));
            f3 = LF == 16 ? f3.add(f3.rearrange(QUARTER)) : f3;
            f3.intoArray(folded, 16 * (a + 3));
        }
        for (; a < d; a++) {
            int o = a * R;
            FloatVector f = FloatVector.zero(F);
            for (int i = 0; i < n; i += LF) {
                FloatVector v = FloatVector.fromArray(F, z, zb + o + i);
                f = FloatVector.fromArray(F, rf, i).fma(v, f);
                FloatVector.fromArray(F, root, i).mul(v).intoArray(y, o + i);
            }
            f = f.add(f.rearrange(HALF));
            f = LF == 16 ? f.add(f.rearrange(QUARTER)) : f;
            f.intoArray(folded, 16 * a);
        }
    }

    /** {@link #tile} in float over the block's n rows, from zero, each of the eight sums folded when done. */
    private static void tileSingle(float[] y, int a, int b, int d, int n, float[] folded) {
        FloatVector p00 = FloatVector.zero(F);
        FloatVector p01 = p00;
        FloatVector p10 = p00;
        FloatVector p11 = p00;
        FloatVector p20 = p00;
        FloatVector p21 = p00;
        FloatVector p30 = p00;
        FloatVector p31 = p00;
        int w0 = a * R;
        int w1 = w0 + R;
        int w2 = w1 + R;
        int w3 = w2 + R;
        int z0o = b * R;
        int z1o = z0o + R;
        for (int i = 0; i < n; i += FSTEP) {
            FloatVector z0 = FloatVector.fromArray(F, y, z0o + i);
            FloatVector z1 = FloatVector.fromArray(F, y, z1o + i);
            FloatVector v = FloatVector.fromArray(F, y, w0 + i);
            p00 = v.fma(z0, p00);
            p01 = v.fma(z1, p01);
            v = FloatVector.fromArray(F, y, w1 + i);
            p10 = v.fma(z0, p10);
            p11 = v.fma(z1, p11);
            v = FloatVector.fromArray(F, y, w2 + i);
            p20 = v.fma(z0, p20);
            p21 = v.fma(z1, p21);
            v = FloatVector.fromArray(F, y, w3 + i);
            p30 = v.fma(z0, p30);
            p31 = v.fma(z1, p31);
            z0 = FloatVector.fromArray(F, y, z0o + i + LF);
            z1 = FloatVector.fromArray(F, y, z1o + i + LF);
            v = FloatVector.fromArray(F, y, w0 + i + LF);
            p00 = v.fma(z0, p00);
            p01 = v.fma(z1, p01);
            v = FloatVector.fromArray(F, y, w1 + i + LF);
            p10 = v.fma(z0, p10);
            p11 = v.fma(z1, p11);
            v = FloatVector.fromArray(F, y, w2 + i + LF);
            p20 = v.fma(z0, p20);
            p21 = v.fma(z1, p21);
            v = FloatVector.fromArray(F, y, w3 + i + LF);
            p30 = v.fma(z0, p30);
            p31 = v.fma(z1, p31);
        }
        int e = d + a * d + b;
        p00 = p00.add(p00.rearrange(HALF));
        p00 = LF == 16 ? p00.add(p00.rearrange(QUARTER)) : p00;
        p00.intoArray(folded, 16 * (e));
        p01 = p01.add(p01.rearrange(HALF));
        p01 = LF == 16 ? p01.add(p01.rearrange(QUARTER)) : p01;
        p01.intoArray(folded, 16 * (e + 1));
        p10 = p10.add(p10.rearrange(HALF));
        p10 = LF == 16 ? p10.add(p10.rearrange(QUARTER)) : p10;
        p10.intoArray(folded, 16 * (e + d));
        p11 = p11.add(p11.rearrange(HALF));
        p11 = LF == 16 ? p11.add(p11.rearrange(QUARTER)) : p11;
        p11.intoArray(folded, 16 * (e + d + 1));
        p20 = p20.add(p20.rearrange(HALF));
        p20 = LF == 16 ? p20.add(p20.rearrange(QUARTER)) : p20;
        p20.intoArray(folded, 16 * (e + 2 * d));
        p21 = p21.add(p21.rearrange(HALF));
        p21 = LF == 16 ? p21.add(p21.rearrange(QUARTER)) : p21;
        p21.intoArray(folded, 16 * (e + 2 * d + 1));
        p30 = p30.add(p30.rearrange(HALF));
        p30 = LF == 16 ? p30.add(p30.rearrange(QUARTER)) : p30;
        p30.intoArray(folded, 16 * (e + 3 * d));
        p31 = p31.add(p31.rearrange(HALF));
        p31 = LF == 16 ? p31.add(p31.rearrange(QUARTER)) : p31;
        p31.intoArray(folded, 16 * (e + 3 * d + 1));
    }

    /** {@link #diagonalTile} in float over the block's n rows, from zero, each of the ten sums folded when done. */
    private static void diagonalTileSingle(float[] y, int a, int d, int n, float[] folded) {
        FloatVector p00 = FloatVector.zero(F);
        FloatVector p01 = p00;
        FloatVector p02 = p00;
        FloatVector p03 = p00;
        FloatVector p11 = p00;
        FloatVector p12 = p00;
        FloatVector p13 = p00;
        FloatVector p22 = p00;
        FloatVector p23 = p00;
        FloatVector p33 = p00;
        int o0 = a * R;
        int o1 = o0 + R;
        int o2 = o1 + R;
        int o3 = o2 + R;
        for (int i = 0; i < n; i += FSTEP) {
            FloatVector z3 = FloatVector.fromArray(F, y, o3 + i);
            p33 = z3.fma(z3, p33);
            FloatVector z2 = FloatVector.fromArray(F, y, o2 + i);
            p22 = z2.fma(z2, p22);
            p23 = z2.fma(z3, p23);
            FloatVector z1 = FloatVector.fromArray(F, y, o1 + i);
            p11 = z1.fma(z1, p11);
            p12 = z1.fma(z2, p12);
            p13 = z1.fma(z3, p13);
            FloatVector z0 = FloatVector.fromArray(F, y, o0 + i);
            p00 = z0.fma(z0, p00);
            p01 = z0.fma(z1, p01);
            p02 = z0.fma(z2, p02);
            p03 = z0.fma(z3, p03);
            z3 = FloatVector.fromArray(F, y, o3 + i + LF);
            p33 = z3.fma(z3, p33);
            z2 = FloatVector.fromArray(F, y, o2 + i + LF);
            p22 = z2.fma(z2, p22);
            p23 = z2.fma(z3, p23);
            z1 = FloatVector.fromArray(F, y, o1 + i + LF);
            p11 = z1.fma(z1, p11);
            p12 = z1.fma(z2, p12);
            p13 = z1.fma(z3, p13);
            z0 = FloatVector.fromArray(F, y, o0 + i + LF);
            p00 = z0.fma(z0, p00);
            p01 = z0.fma(z1, p01);
            p02 = z0.fma(z2, p02);
            p03 = z0.fma(z3, p03);
        }
        int e = d + a * d + a;
        p00 = p00.add(p00.rearrange(HALF));
        p00 = LF == 16 ? p00.add(p00.rearrange(QUARTER)) : p00;
        p00.intoArray(folded, 16 * (e));
        p01 = p01.add(p01.rearrange(HALF));
        p01 = LF == 16 ? p01.add(p01.rearrange(QUARTER)) : p01;
        p01.intoArray(folded, 16 * (e + 1));
        p02 = p02.add(p02.rearrange(HALF));
        p02 = LF == 16 ? p02.add(p02.rearrange(QUARTER)) : p02;
        p02.intoArray(folded, 16 * (e + 2));
        p03 = p03.add(p03.rearrange(HALF));
        p03 = LF == 16 ? p03.add(p03.rearrange(QUARTER)) : p03;
        p03.intoArray(folded, 16 * (e + 3));
        p11 = p11.add(p11.rearrange(HALF));
        p11 = LF == 16 ? p11.add(p11.rearrange(QUARTER)) : p11;
        p11.intoArray(folded, 16 * (e + d + 1));
        p12 = p12.add(p12.rearrange(HALF));
        p12 = LF == 16 ? p12.add(p12.rearrange(QUARTER)) : p12;
        p12.intoArray(folded, 16 * (e + d + 2));
        p13 = p13.add(p13.rearrange(HALF));
        p13 = LF == 16 ? p13.add(p13.rearrange(QUARTER)) : p13;
        p13.intoArray(folded, 16 * (e + d + 3));
        p22 = p22.add(p22.rearrange(HALF));
        p22 = LF == 16 ? p22.add(p22.rearrange(QUARTER)) : p22;
        p22.intoArray(folded, 16 * (e + 2 * d + 2));
        p23 = p23.add(p23.rearrange(HALF));
        p23 = LF == 16 ? p23.add(p23.rearrange(QUARTER)) : p23;
        p23.intoArray(folded, 16 * (e + 2 * d + 3));
        p33 = p33.add(p33.rearrange(HALF));
        p33 = LF == 16 ? p33.add(p33.rearrange(QUARTER)) : p33;
        p33.intoArray(folded, 16 * (e + 3 * d + 3));
    }

    /** Entry (a, b) of the second moments in float over the block's n rows, folded into {@code folded}. */
    private static void dotSingle(float[] y, int a, int b, int d, int n, float[] folded) {
        FloatVector s = FloatVector.zero(F);
        int ao = a * R;
        int bo = b * R;
        for (int i = 0; i < n; i += LF) {
            s = FloatVector.fromArray(F, y, ao + i).fma(FloatVector.fromArray(F, y, bo + i), s);
        }
        s = s.add(s.rearrange(HALF));
        s = LF == 16 ? s.add(s.rearrange(QUARTER)) : s;
        s.intoArray(folded, 16 * (d + a * d + b));
    }

    /**
     * {@link #addMoments} with the full second moments at D = 2: the products {@code (r·z_a)·z_b} directly, five sums
     * kept in registers. The square roots of the √r·z form cost nearly as much as the rest of the M-step at this
     * size (JFR of a warm fit of 400,000 rows, K = 4: 99 of 933 samples on them, 127 on the rest of the M-step).
     */
    private static void addMomentsOfPairs(BlockWorkspace ws, double[] centre, int co, double[] r, int ro,
                                          double[] first, int firstOffset, double[] second, int secondOffset) {
        double[] xt = ws.xt;
        double[] lanes = ws.lanes;
        int n = padded(ws.rows);
        DoubleVector m0 = DoubleVector.broadcast(S, centre[co]);
        DoubleVector m1 = DoubleVector.broadcast(S, centre[co + 1]);
        DoubleVector f0 = DoubleVector.zero(S);
        DoubleVector f1 = f0;
        DoubleVector q00 = f0;
        DoubleVector q01 = f0;
        DoubleVector q11 = f0;
        for (int i = 0; i < n; i += L) {
            DoubleVector w = DoubleVector.fromArray(S, r, ro + i);
            DoubleVector z0 = DoubleVector.fromArray(S, xt, i).sub(m0);
            DoubleVector z1 = DoubleVector.fromArray(S, xt, R + i).sub(m1);
            DoubleVector w0 = w.mul(z0);
            DoubleVector w1 = w.mul(z1);
            f0 = f0.add(w0);
            f1 = f1.add(w1);
            q00 = w0.fma(z0, q00);
            q01 = w0.fma(z1, q01);
            q11 = w1.fma(z1, q11);
        }
        f0.intoArray(lanes, 0);
        f1.intoArray(lanes, L);
        q00.intoArray(lanes, 2 * L);
        q01.intoArray(lanes, 3 * L);
        first[firstOffset] += laneSum(lanes, 0);
        first[firstOffset + 1] += laneSum(lanes, L);
        second[secondOffset] += laneSum(lanes, 2 * L);
        second[secondOffset + 1] += laneSum(lanes, 3 * L);
        q11.intoArray(lanes, 0);
        second[secondOffset + 3] += laneSum(lanes, 0);
    }

    /**
     * Centres rows {@code [lo, hi)}, adds them weighted by {@code r} to the first moments' lanes at
     * {@code acc[La ..]}, and writes them scaled by {@code root} = √r into {@code y}. Four features at a time:
     * four independent sums, and one load of the weights for four.
     */
    private static void centreAndScale(double[] xt, double[] centre, int co, double[] r, int ro, double[] root,
                                       double[] y, int d, int lo, int hi, double[] acc) {
        int a = 0;
        for (; a + 3 < d; a += 4) {
            int o0 = a * R;
            int o1 = o0 + R;
            int o2 = o1 + R;
            int o3 = o2 + R;
            int at = L * a;
            DoubleVector m0 = DoubleVector.broadcast(S, centre[co + a]);
            DoubleVector m1 = DoubleVector.broadcast(S, centre[co + a + 1]);
            DoubleVector m2 = DoubleVector.broadcast(S, centre[co + a + 2]);
            DoubleVector m3 = DoubleVector.broadcast(S, centre[co + a + 3]);
            DoubleVector f0 = DoubleVector.fromArray(S, acc, at);
            DoubleVector f1 = DoubleVector.fromArray(S, acc, at + L);
            DoubleVector f2 = DoubleVector.fromArray(S, acc, at + 2 * L);
            DoubleVector f3 = DoubleVector.fromArray(S, acc, at + 3 * L);
            for (int i = lo; i < hi; i += L) {
                DoubleVector w = DoubleVector.fromArray(S, r, ro + i);
                DoubleVector s = DoubleVector.fromArray(S, root, i);
                DoubleVector z = DoubleVector.fromArray(S, xt, o0 + i).sub(m0);
                f0 = w.fma(z, f0);
                s.mul(z).intoArray(y, o0 + i);
                z = DoubleVector.fromArray(S, xt, o1 + i).sub(m1);
                f1 = w.fma(z, f1);
                s.mul(z).intoArray(y, o1 + i);
                z = DoubleVector.fromArray(S, xt, o2 + i).sub(m2);
                f2 = w.fma(z, f2);
                s.mul(z).intoArray(y, o2 + i);
                z = DoubleVector.fromArray(S, xt, o3 + i).sub(m3);
                f3 = w.fma(z, f3);
                s.mul(z).intoArray(y, o3 + i);
            }
            f0.intoArray(acc, at);
            f1.intoArray(acc, at + L);
            f2.intoArray(acc, at + 2 * L);
            f3.intoArray(acc, at + 3 * L);
        }
        for (; a < d; a++) {
            int ao = a * R;
            DoubleVector m = DoubleVector.broadcast(S, centre[co + a]);
            DoubleVector f = DoubleVector.fromArray(S, acc, L * a);
            for (int i = lo; i < hi; i += L) {
                DoubleVector z = DoubleVector.fromArray(S, xt, ao + i).sub(m);
                f = DoubleVector.fromArray(S, r, ro + i).fma(z, f);
                DoubleVector.fromArray(S, root, i).mul(z).intoArray(y, ao + i);
            }
            f.intoArray(acc, L * a);
        }
    }

    /**
     * Rows per pass of the second-moment tiles: the whole block up to D = 64, which measured fastest (the
     * tiles' fixed cost per call outweighs the level-1 misses: chunks of 2048/D rows, that kept the scaled
     * rows in the level-1 cache, were 16–50% slower at D = 16..64); above that, a chunk's scaled rows stay
     * within 128 KiB, a quarter of the level-2 cache.
     */
    private static int chunkRows(int d) {
        return Math.min(R, 16384 / d / STEP * STEP);
    }

    /**
     * Adds rows {@code [lo, hi)} to the 4 × 2 tile of {@code Σ_i y_a y_b} for rows a..a+3 and columns b, b+1
     * of the second moment, whose lanes are kept in {@code acc}, entry (q, e) at {@code at + q·stride + L·e}.
     */
    private static void tile(double[] y, int a, int b, int lo, int hi, double[] acc, int at, int stride) {
        int e0 = at;
        int e1 = e0 + stride;
        int e2 = e1 + stride;
        int e3 = e2 + stride;
        DoubleVector p00 = DoubleVector.fromArray(S, acc, e0);
        DoubleVector p01 = DoubleVector.fromArray(S, acc, e0 + L);
        DoubleVector p10 = DoubleVector.fromArray(S, acc, e1);
        DoubleVector p11 = DoubleVector.fromArray(S, acc, e1 + L);
        DoubleVector p20 = DoubleVector.fromArray(S, acc, e2);
        DoubleVector p21 = DoubleVector.fromArray(S, acc, e2 + L);
        DoubleVector p30 = DoubleVector.fromArray(S, acc, e3);
        DoubleVector p31 = DoubleVector.fromArray(S, acc, e3 + L);
        int w0 = a * R;
        int w1 = w0 + R;
        int w2 = w1 + R;
        int w3 = w2 + R;
        int z0o = b * R;
        int z1o = z0o + R;
        // Two vectors of rows per step: a body the JIT does not unroll further (it sometimes did, spilling
        // accumulators).
        for (int i = lo; i < hi; i += STEP) {
            DoubleVector z0 = DoubleVector.fromArray(S, y, z0o + i);
            DoubleVector z1 = DoubleVector.fromArray(S, y, z1o + i);
            DoubleVector v = DoubleVector.fromArray(S, y, w0 + i);
            p00 = v.fma(z0, p00);
            p01 = v.fma(z1, p01);
            v = DoubleVector.fromArray(S, y, w1 + i);
            p10 = v.fma(z0, p10);
            p11 = v.fma(z1, p11);
            v = DoubleVector.fromArray(S, y, w2 + i);
            p20 = v.fma(z0, p20);
            p21 = v.fma(z1, p21);
            v = DoubleVector.fromArray(S, y, w3 + i);
            p30 = v.fma(z0, p30);
            p31 = v.fma(z1, p31);
            z0 = DoubleVector.fromArray(S, y, z0o + i + L);
            z1 = DoubleVector.fromArray(S, y, z1o + i + L);
            v = DoubleVector.fromArray(S, y, w0 + i + L);
            p00 = v.fma(z0, p00);
            p01 = v.fma(z1, p01);
            v = DoubleVector.fromArray(S, y, w1 + i + L);
            p10 = v.fma(z0, p10);
            p11 = v.fma(z1, p11);
            v = DoubleVector.fromArray(S, y, w2 + i + L);
            p20 = v.fma(z0, p20);
            p21 = v.fma(z1, p21);
            v = DoubleVector.fromArray(S, y, w3 + i + L);
            p30 = v.fma(z0, p30);
            p31 = v.fma(z1, p31);
        }
        // Vectors are handed to no other method (one the JIT did not inline would box them).
        p00.intoArray(acc, e0);
        p01.intoArray(acc, e0 + L);
        p10.intoArray(acc, e1);
        p11.intoArray(acc, e1 + L);
        p20.intoArray(acc, e2);
        p21.intoArray(acc, e2 + L);
        p30.intoArray(acc, e3);
        p31.intoArray(acc, e3 + L);
    }

    /**
     * Adds rows {@code [lo, hi)} to the upper triangle of the 4 × 4 diagonal block {@code Σ_i y_a y_b},
     * a ≤ b in a..a+3 (lanes laid out as in {@link #tile}): ten sums from four loads, where two 4 × 2 tiles
     * would compute sixteen.
     */
    private static void diagonalTile(double[] y, int a, int lo, int hi, double[] acc, int at, int stride) {
        int e0 = at;
        int e1 = e0 + stride;
        int e2 = e1 + stride;
        int e3 = e2 + stride;
        DoubleVector p00 = DoubleVector.fromArray(S, acc, e0);
        DoubleVector p01 = DoubleVector.fromArray(S, acc, e0 + L);
        DoubleVector p02 = DoubleVector.fromArray(S, acc, e0 + 2 * L);
        DoubleVector p03 = DoubleVector.fromArray(S, acc, e0 + 3 * L);
        DoubleVector p11 = DoubleVector.fromArray(S, acc, e1 + L);
        DoubleVector p12 = DoubleVector.fromArray(S, acc, e1 + 2 * L);
        DoubleVector p13 = DoubleVector.fromArray(S, acc, e1 + 3 * L);
        DoubleVector p22 = DoubleVector.fromArray(S, acc, e2 + 2 * L);
        DoubleVector p23 = DoubleVector.fromArray(S, acc, e2 + 3 * L);
        DoubleVector p33 = DoubleVector.fromArray(S, acc, e3 + 3 * L);
        int o0 = a * R;
        int o1 = o0 + R;
        int o2 = o1 + R;
        int o3 = o2 + R;
        for (int i = lo; i < hi; i += STEP) {
            DoubleVector z3 = DoubleVector.fromArray(S, y, o3 + i);
            p33 = z3.fma(z3, p33);
            DoubleVector z2 = DoubleVector.fromArray(S, y, o2 + i);
            p22 = z2.fma(z2, p22);
            p23 = z2.fma(z3, p23);
            DoubleVector z1 = DoubleVector.fromArray(S, y, o1 + i);
            p11 = z1.fma(z1, p11);
            p12 = z1.fma(z2, p12);
            p13 = z1.fma(z3, p13);
            DoubleVector z0 = DoubleVector.fromArray(S, y, o0 + i);
            p00 = z0.fma(z0, p00);
            p01 = z0.fma(z1, p01);
            p02 = z0.fma(z2, p02);
            p03 = z0.fma(z3, p03);
            z3 = DoubleVector.fromArray(S, y, o3 + i + L);
            p33 = z3.fma(z3, p33);
            z2 = DoubleVector.fromArray(S, y, o2 + i + L);
            p22 = z2.fma(z2, p22);
            p23 = z2.fma(z3, p23);
            z1 = DoubleVector.fromArray(S, y, o1 + i + L);
            p11 = z1.fma(z1, p11);
            p12 = z1.fma(z2, p12);
            p13 = z1.fma(z3, p13);
            z0 = DoubleVector.fromArray(S, y, o0 + i + L);
            p00 = z0.fma(z0, p00);
            p01 = z0.fma(z1, p01);
            p02 = z0.fma(z2, p02);
            p03 = z0.fma(z3, p03);
        }
        p00.intoArray(acc, e0);
        p01.intoArray(acc, e0 + L);
        p02.intoArray(acc, e0 + 2 * L);
        p03.intoArray(acc, e0 + 3 * L);
        p11.intoArray(acc, e1 + L);
        p12.intoArray(acc, e1 + 2 * L);
        p13.intoArray(acc, e1 + 3 * L);
        p22.intoArray(acc, e2 + 2 * L);
        p23.intoArray(acc, e2 + 3 * L);
        p33.intoArray(acc, e3 + 3 * L);
    }

    /** Adds rows {@code [lo, hi)} of {@code Σ_i x_i y_i} to the L lanes at {@code acc[at ..]}. */
    private static void dot(double[] x, int xo, double[] y, int yo, int lo, int hi, double[] acc, int at) {
        DoubleVector s = DoubleVector.fromArray(S, acc, at);
        for (int i = lo; i < hi; i += L) {
            s = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), s);
        }
        s.intoArray(acc, at);
    }

    /** Above this dimension the E-step centres the block into {@code ws.zt} first and uses the wide variant. */
    private static final int WIDE = 32;

    /** {@code ws.zt = ws.xt − centre}, feature by feature, over the padded rows. */
    private static void centreInto(BlockWorkspace ws, double[] centre, int co, int n) {
        double[] xt = ws.xt;
        double[] zt = ws.zt;
        for (int l = 0; l < ws.d; l++) {
            int lo = l * R;
            DoubleVector m = DoubleVector.broadcast(S, centre[co + l]);
            for (int i = 0; i < n; i += L) {
                DoubleVector.fromArray(S, xt, lo + i).sub(m).intoArray(zt, lo + i);
            }
        }
    }

    /** The triangular product of rows already centred in {@code ws.zt}, for D above 32 (see the caller). */
    private static void triangularWide(BlockWorkspace ws, double[] u) {
        int d = ws.d;
        double[] zt = ws.zt;
        int n = padded(ws.rows);
        for (int i = 0; i < n; i += STEP) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            int j = 0;
            for (; j + 3 < d; j += 4) {
                DoubleVector a00 = DoubleVector.zero(S);
                DoubleVector a01 = a00;
                DoubleVector a02 = a00;
                DoubleVector a03 = a00;
                DoubleVector a10 = a00;
                DoubleVector a11 = a00;
                DoubleVector a12 = a00;
                DoubleVector a13 = a00;
                // Columns j..j+3 of U have non-zeros in rows 0..j+3 only.
                for (int l = 0; l <= j + 3; l++) {
                    int zo = l * R + i;
                    DoubleVector z0 = DoubleVector.fromArray(S, zt, zo);
                    DoubleVector z1 = DoubleVector.fromArray(S, zt, zo + L);
                    int ro = l * d + j;
                    DoubleVector c0 = DoubleVector.broadcast(S, u[ro]);
                    DoubleVector c1 = DoubleVector.broadcast(S, u[ro + 1]);
                    DoubleVector c2 = DoubleVector.broadcast(S, u[ro + 2]);
                    DoubleVector c3 = DoubleVector.broadcast(S, u[ro + 3]);
                    a00 = z0.fma(c0, a00);
                    a10 = z1.fma(c0, a10);
                    a01 = z0.fma(c1, a01);
                    a11 = z1.fma(c1, a11);
                    a02 = z0.fma(c2, a02);
                    a12 = z1.fma(c2, a12);
                    a03 = z0.fma(c3, a03);
                    a13 = z1.fma(c3, a13);
                }
                s0 = a00.fma(a00, s0);
                s1 = a10.fma(a10, s1);
                s0 = a01.fma(a01, s0);
                s1 = a11.fma(a11, s1);
                s0 = a02.fma(a02, s0);
                s1 = a12.fma(a12, s1);
                s0 = a03.fma(a03, s0);
                s1 = a13.fma(a13, s1);
            }
            for (; j < d; j++) {
                DoubleVector a0 = DoubleVector.zero(S);
                DoubleVector a1 = a0;
                for (int l = 0; l <= j; l++) {
                    int zo = l * R + i;
                    DoubleVector c = DoubleVector.broadcast(S, u[l * d + j]);
                    a0 = DoubleVector.fromArray(S, zt, zo).fma(c, a0);
                    a1 = DoubleVector.fromArray(S, zt, zo + L).fma(c, a1);
                }
                s0 = a0.fma(a0, s0);
                s1 = a1.fma(a1, s1);
            }
            s0.intoArray(ws.ss, i);
            s1.intoArray(ws.ss, i + L);
        }
    }

    /**
     * The sum of the {@code L} lanes stored at {@code lanes[o..o+L)}, in a fixed order: four lanes as
     * {@code (l0 + l1) + (l2 + l3)}, eight as that plus {@code (l4 + l5) + (l6 + l7)}.
     */
    private static double laneSum(double[] lanes, int o) {
        double s = (lanes[o] + lanes[o + 1]) + (lanes[o + 2] + lanes[o + 3]);
        for (int h = o + 4; h < o + L; h += 4) {
            s += (lanes[h] + lanes[h + 1]) + (lanes[h + 2] + lanes[h + 3]);
        }
        return s;
    }

    /**
     * {@code rows} rounded up to whole steps of two vectors ({@code STEP} rows), the padding every Gaussian kernel
     * here computes: eight rows with four lanes (the same operations as before there were eight), sixteen, as
     * {@link BlockWorkspace#padded}, with eight. Never past {@link BlockKernels#PAD}, how far every
     * implementation zeroes the padding's responsibilities.
     */
    private static int padded(int rows) {
        return (rows + STEP - 1) / STEP * STEP;
    }

    @Override
    public void normalizeColumns(BlockWorkspace ws, int k, double[] logDensity) {
        int b = ws.rows;
        int n = padded(b);
        double[] jt = ws.jt;
        double[] max = ws.a0;
        double[] total = ws.a1;
        // Every constant broadcast once, before the loops: with the scalar overloads (fma(double, double) and the
        // like) the JIT broadcast them again for every vector, and the kernel took about a fifth longer.
        double[] f = INVERSE_FACTORIALS;
        DoubleVector log2e = DoubleVector.broadcast(S, LOG2E);
        DoubleVector rounder = DoubleVector.broadcast(S, ROUNDER);
        DoubleVector ln2High = DoubleVector.broadcast(S, -LN2_HI);
        DoubleVector ln2Low = DoubleVector.broadcast(S, -LN2_LO);
        DoubleVector underflow = DoubleVector.broadcast(S, EXP_UNDERFLOW);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector f0 = DoubleVector.broadcast(S, f[0]);
        DoubleVector f1 = DoubleVector.broadcast(S, f[1]);
        DoubleVector f2 = DoubleVector.broadcast(S, f[2]);
        DoubleVector f3 = DoubleVector.broadcast(S, f[3]);
        DoubleVector f4 = DoubleVector.broadcast(S, f[4]);
        DoubleVector f5 = DoubleVector.broadcast(S, f[5]);
        DoubleVector f6 = DoubleVector.broadcast(S, f[6]);
        DoubleVector f7 = DoubleVector.broadcast(S, f[7]);
        DoubleVector f8 = DoubleVector.broadcast(S, f[8]);
        DoubleVector f9 = DoubleVector.broadcast(S, f[9]);
        DoubleVector f10 = DoubleVector.broadcast(S, f[10]);
        DoubleVector f11 = DoubleVector.broadcast(S, f[11]);
        DoubleVector f12 = DoubleVector.broadcast(S, f[12]);
        DoubleVector f13 = DoubleVector.broadcast(S, f[13]);
        LongVector exponentBias = LongVector.broadcast(S.withLanes(long.class), 1023L << 52);
        for (int i = 0; i < n; i += L) {
            DoubleVector m = DoubleVector.fromArray(S, jt, i);
            for (int c = 1; c < k; c++) {
                m = m.max(DoubleVector.fromArray(S, jt, c * R + i));
            }
            // A row with every density zero gets NaN here and is mended below. (A mask kept across the
            // loop would not stay in a register: the JIT would box it on every iteration.)
            DoubleVector shift = m;
            DoubleVector s = zero;
            for (int c = 0; c < k; c++) {
                int o = c * R + i;
                DoubleVector x = DoubleVector.fromArray(S, jt, o).sub(shift);
                // e^x for x ≤ 0 (or −∞) to a few ulps, zero below EXP_UNDERFLOW; written out here because
                // the JIT declines to inline a method this size and would then box the vectors.
                VectorMask<Double> tiny = x.lt(underflow);
                DoubleVector xc = x.max(underflow);
                DoubleVector t = xc.fma(log2e, rounder);
                DoubleVector nn = t.sub(rounder);
                DoubleVector rr = nn.fma(ln2High, xc);
                rr = nn.fma(ln2Low, rr);
                // Estrin's scheme: a dependency chain four multiply-adds deep instead of Horner's thirteen.
                DoubleVector r2 = rr.mul(rr);
                DoubleVector r4 = r2.mul(r2);
                DoubleVector r8 = r4.mul(r4);
                DoubleVector t0 = rr.fma(f3, f2).fma(r2, rr.fma(f1, f0));
                DoubleVector t1 = rr.fma(f7, f6).fma(r2, rr.fma(f5, f4));
                DoubleVector t2 = rr.fma(f11, f10).fma(r2, rr.fma(f9, f8));
                DoubleVector poly = rr.fma(f13, f12).fma(r4, t2).fma(r8, t1.fma(r4, t0));
                // The rounded integer sits in the low mantissa bits of t: shift it into the exponent field.
                DoubleVector scale = ((LongVector) t.reinterpretAsLongs()).lanewise(VectorOperators.LSHL, 52)
                        .add(exponentBias).reinterpretAsDoubles();
                DoubleVector e = poly.mul(scale).blend(zero, tiny);
                e.intoArray(jt, o);
                s = s.add(e);
            }
            m.intoArray(max, i);
            s.intoArray(total, i);
            DoubleVector inv = DoubleVector.broadcast(S, 1.0).div(s);
            for (int c = 0; c < k; c++) {
                int o = c * R + i;
                DoubleVector.fromArray(S, jt, o).mul(inv).intoArray(jt, o);
            }
        }
        logInPlace(total, n);
        for (int i = 0; i < b; i++) {
            if (max[i] == Double.NEGATIVE_INFINITY) {
                // No component can explain the row: responsibilities 1/k, as the scalar kernels give.
                logDensity[i] = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    jt[c * R + i] = 1.0 / k;
                }
            } else {
                logDensity[i] = max[i] + total[i];
            }
        }
        for (int c = 0; c < k; c++) {
            java.util.Arrays.fill(jt, c * R + b, c * R + BlockWorkspace.padded(b), 0.0);
        }
    }

    /**
     * {@code a[0 .. n)} replaced by their natural logarithms ({@link #log}) for the positive normal values, +∞ and
     * NaN that a row's sum of exponentials can be (at least 1 where the row has a finite maximum). A row's
     * log-density took one scalar {@link Math#log} each; at K = 4 those were over a quarter of the normalisation's
     * time.
     */
    private static void logInPlace(double[] a, int n) {
        DoubleVector zero = DoubleVector.zero(S);
        for (int i = 0; i < n; i += L) {
            DoubleVector u = DoubleVector.fromArray(S, a, i);
            // +∞ and NaN (exponent field all ones) are their own logarithms.
            log(u, zero).blend(u, u.compare(VectorOperators.LE, Double.MAX_VALUE).not()).intoArray(a, i);
        }
    }

    private static double[] inverseFactorials(int degree) {
        double[] c = new double[degree + 1];
        double f = 1;
        for (int j = 0; j <= degree; j++) {
            if (j > 0) {
                f *= j;
            }
            c[j] = 1.0 / f;
        }
        return c;
    }

    /**
     * {@code log1p} written here with plain arithmetic and bit operations, not the Vector API's {@code LOG1P}: that
     * operator runs the JDK's vector math library once compiled and a per-lane Java fallback before, which differ in
     * the last bit, so a fit's result would depend on when the JIT compiled the kernel (seen: two runs of the same
     * t fit ending 1 ulp apart). Every operation here rounds the same way in every mode.
     */
    @Override
    public void log1pOfScaledDistances(BlockWorkspace ws, int k, double[] nu, double[] out) {
        int n = padded(ws.rows);
        double[] jt = ws.jt;
        DoubleVector zero = DoubleVector.zero(S);
        for (int c = 0; c < k; c++) {
            int co = c * R;
            for (int i = 0; i < n; i += L) {
                log1p(DoubleVector.fromArray(S, jt, co + i).max(zero).div(nu[c])).intoArray(out, co + i);
            }
        }
    }

    /** Coefficients of fdlibm's {@code log}: {@code log(1+f) = f − f²/2 + s(f²/2 + R(s²))}, {@code s = f/(2+f)}. */
    private static final double LG1 = 6.666666666666735130e-01;
    private static final double LG2 = 3.999999999940941908e-01;
    private static final double LG3 = 2.857142874366239149e-01;
    private static final double LG4 = 2.222219843214978396e-01;
    private static final double LG5 = 1.818357216161805012e-01;
    private static final double LG6 = 1.531383769920937332e-01;
    private static final double LG7 = 1.479819860511658591e-01;
    private static final double SQRT2 = 1.4142135623730951;
    /** 2^52 + 1023: a biased exponent e put in a double's low mantissa bits, minus this, is e − 1023. */
    private static final double EXPONENT_BIAS = 4503599627370496.0 + 1023.0;

    /**
     * {@code log1p(x)} lane by lane for x &ge; 0, +∞ and NaN (what the t kernels need), within about an ulp: the
     * logarithm of 1 + x with the rounding of 1 + x corrected to first order (as fdlibm does).
     */
    private static DoubleVector log1p(DoubleVector x) {
        DoubleVector u = x.add(1.0);
        // What rounding 1 + x lost, relative to u: log(u + lost) = log u + lost/u to first order.
        DoubleVector correction = x.sub(u.sub(1.0)).div(u);
        return log(u, correction).blend(x, x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
    }

    /**
     * {@code log u + correction} lane by lane for positive normal u, within about an ulp: fdlibm's {@code log},
     * u split into {@code 2^e·m} with m in [√2/2, √2) and {@code log m} by its polynomial in
     * {@code s = (m − 1)/(m + 1)}, the correction added beside the low part of {@code e·ln 2}. In plain arithmetic
     * and bit operations, so it rounds the same way in every mode (see {@link #log1pOfScaledDistances}). A u of +∞
     * or NaN gives a finite value with a finite correction: the callers blend those lanes.
     */
    private static DoubleVector log(DoubleVector u, DoubleVector correction) {
        LongVector bits = u.reinterpretAsLongs();
        DoubleVector m = bits.and(0x000fffffffffffffL).or(0x3ff0000000000000L).reinterpretAsDoubles();
        DoubleVector e = bits.lanewise(VectorOperators.LSHR, 52).or(0x4330000000000000L).reinterpretAsDoubles()
                .sub(EXPONENT_BIAS);
        VectorMask<Double> high = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), high);
        e = e.blend(e.add(1.0), high);
        DoubleVector f = m.sub(1.0);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.mul(z);
        DoubleVector odd = w.mul(w.mul(w.mul(LG6).add(LG4)).add(LG2));
        DoubleVector even = z.mul(w.mul(w.mul(w.mul(LG7).add(LG5)).add(LG3)).add(LG1));
        DoubleVector halfSquare = f.mul(f).mul(0.5);
        return e.mul(LN2_HI).sub(halfSquare.sub(s.mul(halfSquare.add(odd.add(even)))
                .add(e.mul(LN2_LO).add(correction))).sub(f));
    }

    /**
     * Two vectors of rows at a time, up to five factors per pass over the features with the distance beside
     * them: twelve sums in registers, and each loaded loading feeds 2L rows. A pass past the last factor
     * repeats the last one (same inputs, same bits) rather than reading beyond the loadings.
     */
    @Override
    public void factorProjections(double[] x, int xOffset, double[] xt, int stride, int rows, int d, double[] mean,
                                  int meanOffset, double[] inverseUniquenesses, double[] loadings, int q,
                                  double[] distance, double[] projection) {
        // The caller pads the rows to a multiple of FACTOR_PAD (8), not of two vectors: with eight lanes the last
        // step may start eight rows early and compute those rows again (same inputs, same bits). A block of fewer
        // rows than one step takes the portable kernel, which gives the same bits.
        int n = (rows + FACTOR_PAD - 1) / FACTOR_PAD * FACTOR_PAD;
        if (n < STEP) {
            PORTABLE.factorProjections(x, xOffset, xt, stride, rows, d, mean, meanOffset, inverseUniquenesses,
                    loadings, q, distance, projection);
            return;
        }
        for (int step = 0; step < n; step += STEP) {
            int i = Math.min(step, n - STEP);
            for (int a = 0; a < q; a += 5) {
                int b1 = Math.min(a + 1, q - 1);
                int b2 = Math.min(a + 2, q - 1);
                int b3 = Math.min(a + 3, q - 1);
                int b4 = Math.min(a + 4, q - 1);
                DoubleVector s0 = DoubleVector.zero(S);
                DoubleVector s1 = s0;
                DoubleVector f00 = s0;
                DoubleVector f01 = s0;
                DoubleVector f10 = s0;
                DoubleVector f11 = s0;
                DoubleVector f20 = s0;
                DoubleVector f21 = s0;
                DoubleVector f30 = s0;
                DoubleVector f31 = s0;
                DoubleVector f40 = s0;
                DoubleVector f41 = s0;
                for (int j = 0, xo = i, l = 0; j < d; j++, xo += stride, l += q) {
                    double m = mean[meanOffset + j];
                    double inverse = inverseUniquenesses[j];
                    DoubleVector e0 = DoubleVector.fromArray(S, xt, xo).sub(m);
                    DoubleVector e1 = DoubleVector.fromArray(S, xt, xo + L).sub(m);
                    DoubleVector w0 = e0.mul(inverse);
                    DoubleVector w1 = e1.mul(inverse);
                    s0 = s0.add(e0.mul(w0));
                    s1 = s1.add(e1.mul(w1));
                    double l0 = loadings[l + a];
                    f00 = f00.add(w0.mul(l0));
                    f01 = f01.add(w1.mul(l0));
                    double l1 = loadings[l + b1];
                    f10 = f10.add(w0.mul(l1));
                    f11 = f11.add(w1.mul(l1));
                    double l2 = loadings[l + b2];
                    f20 = f20.add(w0.mul(l2));
                    f21 = f21.add(w1.mul(l2));
                    double l3 = loadings[l + b3];
                    f30 = f30.add(w0.mul(l3));
                    f31 = f31.add(w1.mul(l3));
                    double l4 = loadings[l + b4];
                    f40 = f40.add(w0.mul(l4));
                    f41 = f41.add(w1.mul(l4));
                }
                s0.intoArray(distance, i);
                s1.intoArray(distance, i + L);
                // Stored last to first: a repeated factor's store lands on the same values again.
                f40.intoArray(projection, b4 * stride + i);
                f41.intoArray(projection, b4 * stride + i + L);
                f30.intoArray(projection, b3 * stride + i);
                f31.intoArray(projection, b3 * stride + i + L);
                f20.intoArray(projection, b2 * stride + i);
                f21.intoArray(projection, b2 * stride + i + L);
                f10.intoArray(projection, b1 * stride + i);
                f11.intoArray(projection, b1 * stride + i + L);
                f00.intoArray(projection, a * stride + i);
                f01.intoArray(projection, a * stride + i + L);
            }
        }
    }

    /**
     * 2L features (two vectors) at a time: the first pass over the rows keeps the first and second moments and
     * three factors' cross sums of those features in registers, later passes five factors each; each row's
     * centred values are loaded once per pass. The sums start from the statistics' values and take the rows in
     * order, so they are the plain loop's; the last features (D mod 2L) take that loop itself.
     */
    @Override
    public void addFactorMoments(double[] x, int from, int to, int d, double[] mean, int meanOffset, double[] r,
                                 double[] z, int q, double[] first, double[] second, double[] cross) {
        // The rows with weight, listed first: the loops over them then have no branch (a skipped row inside the
        // loop made the JIT box the vectors that it carries round the loop), and a block where a component has few
        // of them (components far apart) takes the row-at-a-time loop, cheaper than staging the sums of every tile.
        int[] active = new int[to - from];
        int count = 0;
        for (int i = from; i < to; i++) {
            if (r[i] != 0) {
                active[count++] = i;
            }
        }
        if (count < SPARSE_ROWS) {
            for (int t = 0; t < count; t++) {
                ScalarKernels.addFactorRow(x, active[t], d, mean, meanOffset, r[active[t]], z, q, first, second, cross);
            }
            return;
        }
        double[] staged = new double[STEP * 5];
        int[][] sweeps = new int[1 + Math.max(0, (q - 3 + 4) / 5)][];
        sweeps[0] = new int[] {0, Math.min(1, q - 1), Math.min(2, q - 1)};
        for (int a = 3, t = 1; a < q; a += 5, t++) {
            sweeps[t] = new int[] {a, Math.min(a + 1, q - 1), Math.min(a + 2, q - 1), Math.min(a + 3, q - 1),
                    Math.min(a + 4, q - 1)};
        }
        int j = 0;
        for (; j + STEP <= d; j += STEP) {
            momentsAndThreeFactors(x, active, count, d, mean, meanOffset + j, r, z, q, first, second, cross, j, staged,
                    sweeps[0]);
            for (int t = 1; t < sweeps.length; t++) {
                fiveFactors(x, active, count, d, mean, meanOffset + j, r, z, q, cross, j, staged, sweeps[t]);
            }
        }
        for (int t = 0; t < count && j < d; t++) {
            int i = active[t];
            double ri = r[i];
            for (int c = j, row = j * q; c < d; c++, row += q) {
                double v = x[i * d + c] - mean[meanOffset + c];
                double rv = ri * v;
                first[c] += rv;
                second[c] += rv * v;
                for (int a = 0; a < q; a++) {
                    cross[row + a] += rv * z[i * q + a];
                }
            }
        }
    }

    /** Below this many rows with weight in a block, a component's sums are added row by row. */
    private static final int SPARSE_ROWS = 4;

    // momentsAndThreeFactors and fiveFactors are written out apart on purpose: each keeps its own register tile
    // (ten vector sums), which a shared loop with a variable number of sums would not.
    private static void momentsAndThreeFactors(double[] x, int[] active, int count, int d, double[] mean, int mo,
                                               double[] r, double[] z, int q, double[] first, double[] second,
                                               double[] cross, int j, double[] staged, int[] factors) {
        int b1 = factors[1];
        int b2 = factors[2];
        int c0 = j * q;
        DoubleVector m0 = DoubleVector.fromArray(S, mean, mo);
        DoubleVector m1 = DoubleVector.fromArray(S, mean, mo + L);
        DoubleVector e0 = DoubleVector.fromArray(S, first, j);
        DoubleVector e1 = DoubleVector.fromArray(S, first, j + L);
        DoubleVector s0 = DoubleVector.fromArray(S, second, j);
        DoubleVector s1 = DoubleVector.fromArray(S, second, j + L);
        stage(cross, c0, q, factors, staged);
        DoubleVector f00 = DoubleVector.fromArray(S, staged, 0);
        DoubleVector f01 = DoubleVector.fromArray(S, staged, L);
        DoubleVector f10 = DoubleVector.fromArray(S, staged, 2 * L);
        DoubleVector f11 = DoubleVector.fromArray(S, staged, 3 * L);
        DoubleVector f20 = DoubleVector.fromArray(S, staged, 4 * L);
        DoubleVector f21 = DoubleVector.fromArray(S, staged, 5 * L);
        for (int t = 0; t < count; t++) {
            int i = active[t];
            double ri = r[i];
            int xo = i * d + j;
            DoubleVector v0 = DoubleVector.fromArray(S, x, xo).sub(m0);
            DoubleVector v1 = DoubleVector.fromArray(S, x, xo + L).sub(m1);
            DoubleVector rv0 = v0.mul(ri);
            DoubleVector rv1 = v1.mul(ri);
            e0 = e0.add(rv0);
            e1 = e1.add(rv1);
            s0 = s0.add(rv0.mul(v0));
            s1 = s1.add(rv1.mul(v1));
            int zo = i * q;
            double z0 = z[zo];
            f00 = f00.add(rv0.mul(z0));
            f01 = f01.add(rv1.mul(z0));
            double z1 = z[zo + b1];
            f10 = f10.add(rv0.mul(z1));
            f11 = f11.add(rv1.mul(z1));
            double z2 = z[zo + b2];
            f20 = f20.add(rv0.mul(z2));
            f21 = f21.add(rv1.mul(z2));
        }
        e0.intoArray(first, j);
        e1.intoArray(first, j + L);
        s0.intoArray(second, j);
        s1.intoArray(second, j + L);
        f20.intoArray(staged, 4 * L);
        f21.intoArray(staged, 5 * L);
        f10.intoArray(staged, 2 * L);
        f11.intoArray(staged, 3 * L);
        f00.intoArray(staged, 0);
        f01.intoArray(staged, L);
        unstage(staged, factors, cross, c0, q);
    }

    private static void fiveFactors(double[] x, int[] active, int count, int d, double[] mean, int mo, double[] r,
                                    double[] z, int q, double[] cross, int j, double[] staged,
                                    int[] factors) {
        int a = factors[0];
        int b1 = factors[1];
        int b2 = factors[2];
        int b3 = factors[3];
        int b4 = factors[4];
        int c0 = j * q;
        DoubleVector m0 = DoubleVector.fromArray(S, mean, mo);
        DoubleVector m1 = DoubleVector.fromArray(S, mean, mo + L);
        stage(cross, c0, q, factors, staged);
        DoubleVector f00 = DoubleVector.fromArray(S, staged, 0);
        DoubleVector f01 = DoubleVector.fromArray(S, staged, L);
        DoubleVector f10 = DoubleVector.fromArray(S, staged, 2 * L);
        DoubleVector f11 = DoubleVector.fromArray(S, staged, 3 * L);
        DoubleVector f20 = DoubleVector.fromArray(S, staged, 4 * L);
        DoubleVector f21 = DoubleVector.fromArray(S, staged, 5 * L);
        DoubleVector f30 = DoubleVector.fromArray(S, staged, 6 * L);
        DoubleVector f31 = DoubleVector.fromArray(S, staged, 7 * L);
        DoubleVector f40 = DoubleVector.fromArray(S, staged, 8 * L);
        DoubleVector f41 = DoubleVector.fromArray(S, staged, 9 * L);
        for (int t = 0; t < count; t++) {
            int i = active[t];
            double ri = r[i];
            int xo = i * d + j;
            DoubleVector rv0 = DoubleVector.fromArray(S, x, xo).sub(m0).mul(ri);
            DoubleVector rv1 = DoubleVector.fromArray(S, x, xo + L).sub(m1).mul(ri);
            int zo = i * q;
            double z0 = z[zo + a];
            f00 = f00.add(rv0.mul(z0));
            f01 = f01.add(rv1.mul(z0));
            double z1 = z[zo + b1];
            f10 = f10.add(rv0.mul(z1));
            f11 = f11.add(rv1.mul(z1));
            double z2 = z[zo + b2];
            f20 = f20.add(rv0.mul(z2));
            f21 = f21.add(rv1.mul(z2));
            double z3 = z[zo + b3];
            f30 = f30.add(rv0.mul(z3));
            f31 = f31.add(rv1.mul(z3));
            double z4 = z[zo + b4];
            f40 = f40.add(rv0.mul(z4));
            f41 = f41.add(rv1.mul(z4));
        }
        f40.intoArray(staged, 8 * L);
        f41.intoArray(staged, 9 * L);
        f30.intoArray(staged, 6 * L);
        f31.intoArray(staged, 7 * L);
        f20.intoArray(staged, 4 * L);
        f21.intoArray(staged, 5 * L);
        f10.intoArray(staged, 2 * L);
        f11.intoArray(staged, 3 * L);
        f00.intoArray(staged, 0);
        f01.intoArray(staged, L);
        unstage(staged, factors, cross, c0, q);
    }

    /** Copies 2L features' cross sums of the given factors into {@code staged}, 2L per factor. */
    private static void stage(double[] cross, int c0, int q, int[] factors, double[] staged) {
        for (int p = 0; p < factors.length; p++) {
            for (int t = 0, at = c0 + factors[p]; t < STEP; t++, at += q) {
                staged[p * STEP + t] = cross[at];
            }
        }
    }

    /** Copies the staged sums back (a factor staged twice holds the same value twice). */
    private static void unstage(double[] staged, int[] factors, double[] cross, int c0, int q) {
        for (int p = 0; p < factors.length; p++) {
            for (int t = 0, at = c0 + factors[p]; t < STEP; t++, at += q) {
                cross[at] = staged[p * STEP + t];
            }
        }
    }
}
