package io.emkit.kernels;

import java.util.Arrays;

/**
 * The portable {@link BlockKernels}: loops over the rows of a column-major block, which the JIT compiles
 * to SIMD instructions where it can (element-wise updates), with several independent sums where it
 * cannot (dot products).
 */
final class ScalarKernels implements BlockKernels {
    private static final int R = BlockWorkspace.ROWS;

    @Override
    public String name() {
        return "scalar";
    }

    /** Four output columns of the triangular product at a time, so each load of a centred feature feeds four. */
    @Override
    public void triangularSquaredNorms(BlockWorkspace ws, double[] centre, int centreOffset, double[] u) {
        ws.centre(centre, centreOffset);
        int b = ws.rows;
        int d = ws.d;
        double[] zt = ws.zt;
        double[] ss = ws.ss;
        double[] a0 = ws.a0;
        double[] a1 = ws.a1;
        double[] a2 = ws.a2;
        double[] a3 = ws.a3;
        Arrays.fill(ss, 0, b, 0.0);
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
                int lo = l * R;
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
                int lo = l * R;
                for (int i = 0; i < b; i++) {
                    a0[i] += ul * zt[lo + i];
                }
            }
            for (int i = 0; i < b; i++) {
                ss[i] += a0[i] * a0[i];
            }
        }
    }

    /**
     * As {@link #triangularSquaredNorms}, in float: the same four-column loops on float copies. A second copy of the
     * loops, deliberately: Java has no code generic over {@code float} and {@code double} short of boxing, which
     * these inner loops cannot afford.
     */
    @Override
    public void triangularSquaredNormsSingle(BlockWorkspace ws, double[] centre, int centreOffset, float[] u) {
        ws.ensureSingle();
        int b = ws.rows;
        int d = ws.d;
        double[] xt = ws.xt;
        float[] zf = ws.zf;
        for (int l = 0; l < d; l++) {
            double m = centre[centreOffset + l];
            int lo = l * R;
            for (int i = 0; i < b; i++) {
                zf[lo + i] = (float) (xt[lo + i] - m);
            }
        }
        float[] a = ws.af;
        float[] ss = ws.ssf;
        Arrays.fill(ss, 0, b, 0f);
        int j = 0;
        for (; j + 3 < d; j += 4) {
            float u0 = u[j];
            float u1 = u[j + 1];
            float u2 = u[j + 2];
            float u3 = u[j + 3];
            for (int i = 0; i < b; i++) {
                float z = zf[i];
                a[i] = u0 * z;
                a[R + i] = u1 * z;
                a[2 * R + i] = u2 * z;
                a[3 * R + i] = u3 * z;
            }
            for (int l = 1; l <= j + 3; l++) {
                int ro = l * d + j;
                float v0 = u[ro];
                float v1 = u[ro + 1];
                float v2 = u[ro + 2];
                float v3 = u[ro + 3];
                int lo = l * R;
                for (int i = 0; i < b; i++) {
                    float z = zf[lo + i];
                    a[i] += v0 * z;
                    a[R + i] += v1 * z;
                    a[2 * R + i] += v2 * z;
                    a[3 * R + i] += v3 * z;
                }
            }
            for (int i = 0; i < b; i++) {
                ss[i] += (a[i] * a[i] + a[R + i] * a[R + i]) + (a[2 * R + i] * a[2 * R + i] + a[3 * R + i] * a[3 * R + i]);
            }
        }
        for (; j < d; j++) {
            float u0 = u[j];
            for (int i = 0; i < b; i++) {
                a[i] = u0 * zf[i];
            }
            for (int l = 1; l <= j; l++) {
                float ul = u[l * d + j];
                int lo = l * R;
                for (int i = 0; i < b; i++) {
                    a[i] += ul * zf[lo + i];
                }
            }
            for (int i = 0; i < b; i++) {
                ss[i] += a[i] * a[i];
            }
        }
        double[] out = ws.ss;
        for (int i = 0; i < b; i++) {
            out[i] = ss[i];
        }
    }

    @Override
    public double sum(BlockWorkspace ws, double[] r, int offset) {
        double s = 0;
        for (int i = 0; i < ws.rows; i++) {
            s += r[offset + i];
        }
        return s;
    }

    /**
     * Each sum is the plain one, {@code Σ_i (r_i·z_a,i)·z_b,i} row after row (and {@code Σ_i r_i·z_a,i} for the
     * first moments), bit for bit; what changes is how many sums share a pass over the rows. One sum a pass
     * waits on each addition in turn (the diagonal structures' second moments were such, a third of a small fit's
     * time); here a pass takes two rows of the upper triangle by four columns, each load of a weighted feature
     * feeding four sums and each load of a feature two.
     */
    @Override
    public void addMoments(BlockWorkspace ws, double[] centre, int centreOffset, double[] responsibilities, int rOffset,
                           double[] first, int firstOffset, double[] second, int secondOffset, boolean fullSecond) {
        ws.centre(centre, centreOffset);
        double[] r = responsibilities;
        if (rOffset != 0) {
            r = ws.r;
            System.arraycopy(responsibilities, rOffset, r, 0, R);
        }
        if (fullSecond) {
            addFullMoments(ws, r, first, firstOffset, second, secondOffset);
        } else {
            addDiagonalMoments(ws, r, first, firstOffset, second, secondOffset);
        }
    }

    /** The first moments and the diagonal second moments, four features a pass. */
    private static void addDiagonalMoments(BlockWorkspace ws, double[] r, double[] first, int firstOffset,
                                           double[] second, int secondOffset) {
        int b = ws.rows;
        int d = ws.d;
        double[] zt = ws.zt;
        int a = 0;
        for (; a + 3 < d; a += 4) {
            int o0 = a * R;
            int o1 = o0 + R;
            int o2 = o1 + R;
            int o3 = o2 + R;
            double f0 = 0;
            double f1 = 0;
            double f2 = 0;
            double f3 = 0;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int i = 0; i < b; i++) {
                double ri = r[i];
                double z0 = zt[o0 + i];
                double z1 = zt[o1 + i];
                double z2 = zt[o2 + i];
                double z3 = zt[o3 + i];
                double w0 = ri * z0;
                double w1 = ri * z1;
                double w2 = ri * z2;
                double w3 = ri * z3;
                f0 += w0;
                f1 += w1;
                f2 += w2;
                f3 += w3;
                s0 += w0 * z0;
                s1 += w1 * z1;
                s2 += w2 * z2;
                s3 += w3 * z3;
            }
            first[firstOffset + a] += f0;
            first[firstOffset + a + 1] += f1;
            first[firstOffset + a + 2] += f2;
            first[firstOffset + a + 3] += f3;
            second[secondOffset + a] += s0;
            second[secondOffset + a + 1] += s1;
            second[secondOffset + a + 2] += s2;
            second[secondOffset + a + 3] += s3;
        }
        for (; a < d; a++) {
            int o = a * R;
            double f = 0;
            double s = 0;
            for (int i = 0; i < b; i++) {
                double z = zt[o + i];
                double w = r[i] * z;
                f += w;
                s += w * z;
            }
            first[firstOffset + a] += f;
            second[secondOffset + a] += s;
        }
    }

    /**
     * The first moments and the upper triangle of the second, rows {@code a, a + 1} of it at a time: first their
     * weighted features {@code r·z} (kept for the pass after) with the two first moments and the three entries of
     * the diagonal block, then four columns a pass (two, then one, for the last).
     */
    private static void addFullMoments(BlockWorkspace ws, double[] r, double[] first, int firstOffset,
                                       double[] second, int secondOffset) {
        int b = ws.rows;
        int d = ws.d;
        double[] zt = ws.zt;
        double[] wa = ws.wz;
        double[] wb = ws.a0;
        int a = 0;
        for (; a + 1 < d; a += 2) {
            int oa = a * R;
            int ob = oa + R;
            double fa = 0;
            double fb = 0;
            double saa = 0;
            double sab = 0;
            double sbb = 0;
            for (int i = 0; i < b; i++) {
                double za = zt[oa + i];
                double zb = zt[ob + i];
                double ua = r[i] * za;
                double ub = r[i] * zb;
                wa[i] = ua;
                wb[i] = ub;
                fa += ua;
                fb += ub;
                saa += ua * za;
                sab += ua * zb;
                sbb += ub * zb;
            }
            first[firstOffset + a] += fa;
            first[firstOffset + a + 1] += fb;
            int ra = secondOffset + a * d;
            int rb = ra + d;
            second[ra + a] += saa;
            second[ra + a + 1] += sab;
            second[rb + a + 1] += sbb;
            int c = a + 2;
            for (; c + 3 < d; c += 4) {
                int o0 = c * R;
                int o1 = o0 + R;
                int o2 = o1 + R;
                int o3 = o2 + R;
                double a0 = 0;
                double a1 = 0;
                double a2 = 0;
                double a3 = 0;
                double b0 = 0;
                double b1 = 0;
                double b2 = 0;
                double b3 = 0;
                for (int i = 0; i < b; i++) {
                    double ua = wa[i];
                    double ub = wb[i];
                    double z0 = zt[o0 + i];
                    double z1 = zt[o1 + i];
                    double z2 = zt[o2 + i];
                    double z3 = zt[o3 + i];
                    a0 += ua * z0;
                    a1 += ua * z1;
                    a2 += ua * z2;
                    a3 += ua * z3;
                    b0 += ub * z0;
                    b1 += ub * z1;
                    b2 += ub * z2;
                    b3 += ub * z3;
                }
                second[ra + c] += a0;
                second[ra + c + 1] += a1;
                second[ra + c + 2] += a2;
                second[ra + c + 3] += a3;
                second[rb + c] += b0;
                second[rb + c + 1] += b1;
                second[rb + c + 2] += b2;
                second[rb + c + 3] += b3;
            }
            if (c + 1 < d) {
                int o0 = c * R;
                int o1 = o0 + R;
                double a0 = 0;
                double a1 = 0;
                double b0 = 0;
                double b1 = 0;
                for (int i = 0; i < b; i++) {
                    double ua = wa[i];
                    double ub = wb[i];
                    double z0 = zt[o0 + i];
                    double z1 = zt[o1 + i];
                    a0 += ua * z0;
                    a1 += ua * z1;
                    b0 += ub * z0;
                    b1 += ub * z1;
                }
                second[ra + c] += a0;
                second[ra + c + 1] += a1;
                second[rb + c] += b0;
                second[rb + c + 1] += b1;
                c += 2;
            }
            if (c < d) {
                int o = c * R;
                double sa = 0;
                double sb = 0;
                for (int i = 0; i < b; i++) {
                    double z = zt[o + i];
                    sa += wa[i] * z;
                    sb += wb[i] * z;
                }
                second[ra + c] += sa;
                second[rb + c] += sb;
            }
        }
        if (a < d) {
            // The last row of an odd D: its first moment and its diagonal entry.
            int o = a * R;
            double f = 0;
            double s = 0;
            for (int i = 0; i < b; i++) {
                double z = zt[o + i];
                double w = r[i] * z;
                f += w;
                s += w * z;
            }
            first[firstOffset + a] += f;
            second[secondOffset + a * d + a] += s;
        }
    }

    /** Rows per float partial sum of {@link #addMomentsSingle}: its error bound's row count. */
    private static final int FLOAT_CHUNK = 64;

    /**
     * {@link BlockKernels#addMomentsSingle} in plain Java: each row centred in double and rounded to float, the
     * products in float, each sum taken in float over a chunk of {@value #FLOAT_CHUNK} consecutive rows and the
     * chunks' sums added in double. The SIMD kernels sum the same products in another order (rows LF apart, then
     * folded), within the same bound.
     */
    @Override
    public void addMomentsSingle(BlockWorkspace ws, double[] centre, int centreOffset, double[] r, int rOffset,
                                 double[] first, int firstOffset, double[] second, int secondOffset) {
        int b = ws.rows;
        int d = ws.d;
        double max = 0;
        for (int i = 0; i < b; i++) {
            max = Math.max(max, r[rOffset + i]);
        }
        if (!(max > 0 && max < Double.POSITIVE_INFINITY)) {
            addMoments(ws, centre, centreOffset, r, rOffset, first, firstOffset, second, secondOffset, true);
            return;
        }
        ws.ensureSingleMoments();
        float[] rf = ws.rf;
        float[] root = ws.rootf;
        float[] y = ws.zf;
        double[] sums = ws.momentSums;
        double inverse = 1.0 / max;
        for (int i = 0; i < b; i++) {
            rf[i] = (float) (r[rOffset + i] * inverse);
            root[i] = (float) Math.sqrt(rf[i]);
        }
        double[] xt = ws.xt;
        for (int a = 0; a < d; a++) {
            double m = centre[centreOffset + a];
            int ao = a * R;
            double total = 0;
            for (int lo = 0; lo < b; lo += FLOAT_CHUNK) {
                int hi = Math.min(b, lo + FLOAT_CHUNK);
                float s = 0f;
                for (int i = lo; i < hi; i++) {
                    float z = (float) (xt[ao + i] - m);
                    s += rf[i] * z;
                    y[ao + i] = root[i] * z;
                }
                total += s;
            }
            sums[a] = total;
        }
        for (int a = 0; a < d; a++) {
            int ao = a * R;
            for (int c = a; c < d; c++) {
                int co = c * R;
                double total = 0;
                for (int lo = 0; lo < b; lo += FLOAT_CHUNK) {
                    int hi = Math.min(b, lo + FLOAT_CHUNK);
                    float s = 0f;
                    for (int i = lo; i < hi; i++) {
                        s += y[ao + i] * y[co + i];
                    }
                    total += s;
                }
                sums[d + a * d + c] = total;
            }
        }
        if (!addSingleSums(sums, d, max, first, firstOffset, second, secondOffset)) {
            addMoments(ws, centre, centreOffset, r, rOffset, first, firstOffset, second, secondOffset, true);
        }
    }

    /**
     * The last step of both kernel sets' {@link BlockKernels#addMomentsSingle}: adds a block's float moments, widened
     * into {@code sums} ({@code D} first moments, then the upper triangle at {@code D + a·D + b}), times {@code max}
     * to the statistics — unless one is not finite or a diagonal may have lost its digits to subnormal floats
     * ({@link #SUBNORMAL_RISK}); then nothing is added, and the caller computes the block again in double.
     *
     * @return whether the sums were added
     */
    static boolean addSingleSums(double[] sums, int d, double max, double[] first, int firstOffset, double[] second,
                                 int secondOffset) {
        boolean fine = true;
        for (int a = 0; a < d; a++) {
            fine &= Double.isFinite(sums[a]);
            for (int c = a; c < d; c++) {
                fine &= Double.isFinite(sums[d + a * d + c]);
            }
            double diagonal = sums[d + a * d + a];
            fine &= !(diagonal < SUBNORMAL_RISK && (diagonal != 0 || sums[a] != 0));
        }
        if (!fine) {
            return false;
        }
        for (int a = 0; a < d; a++) {
            first[firstOffset + a] += sums[a] * max;
            for (int c = a; c < d; c++) {
                second[secondOffset + a * d + c] += sums[d + a * d + c] * max;
            }
        }
        return true;
    }

    /**
     * Below this, a diagonal second moment in float (of the weights over their block maximum) may have lost digits to
     * subnormal or underflowed products: 2⁻¹⁰⁰, where a block's 256 products lose at most 256·2⁻¹⁴⁹, a relative
     * 2⁻⁴¹. A diagonal below it is taken as such unless it and its feature's first moment are both exactly zero (a
     * feature at the centre in every weighted row, which float gets exactly). Both kernel sets use it.
     */
    static final double SUBNORMAL_RISK = 0x1p-100;

    @Override
    public void normalizeColumns(BlockWorkspace ws, int k, double[] logDensity) {
        int b = ws.rows;
        double[] jt = ws.jt;
        double[] max = ws.a0;
        double[] sum = ws.a1;
        Arrays.fill(max, 0, b, Double.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0, b, 0.0);
        for (int c = 0; c < k; c++) {
            int co = c * R;
            for (int i = 0; i < b; i++) {
                max[i] = Math.max(max[i], jt[co + i]);
            }
        }
        for (int c = 0; c < k; c++) {
            int co = c * R;
            for (int i = 0; i < b; i++) {
                double e = max[i] == Double.NEGATIVE_INFINITY ? 1.0 : Math.exp(jt[co + i] - max[i]);
                jt[co + i] = e;
                sum[i] += e;
            }
        }
        for (int i = 0; i < b; i++) {
            logDensity[i] = max[i] + Math.log(sum[i]);
            sum[i] = 1.0 / sum[i];
        }
        for (int c = 0; c < k; c++) {
            int co = c * R;
            for (int i = 0; i < b; i++) {
                jt[co + i] *= sum[i];
            }
            Arrays.fill(jt, co + b, co + BlockWorkspace.padded(b), 0.0);
        }
    }

    @Override
    public void log1pOfScaledDistances(BlockWorkspace ws, int k, double[] nu, double[] out) {
        int n = BlockWorkspace.padded(ws.rows);
        double[] jt = ws.jt;
        for (int c = 0; c < k; c++) {
            int co = c * R;
            for (int i = 0; i < n; i++) {
                out[co + i] = Math.log1p(Math.max(0.0, jt[co + i]) / nu[c]);
            }
        }
    }
    @Override
    public void factorProjections(double[] x, int xOffset, double[] xt, int stride, int rows, int d, double[] mean,
                                  int meanOffset, double[] inverseUniquenesses, double[] loadings, int q,
                                  double[] distance, double[] projection) {
        // Row by row on the row-major rows, four factors per pass over the row with their sums in locals (an
        // array's entries would be stored back at every feature); the first pass also sums the distance.
        for (int i = 0, xo = xOffset; i < rows; i++, xo += d) {
            double dist = 0;
            int a = 0;
            for (; a + 4 <= q; a += 4) {
                double f0 = 0;
                double f1 = 0;
                double f2 = 0;
                double f3 = 0;
                for (int j = 0, l = a; j < d; j++, l += q) {
                    double e = x[xo + j] - mean[meanOffset + j];
                    double we = e * inverseUniquenesses[j];
                    if (a == 0) {
                        dist += e * we;
                    }
                    f0 += loadings[l] * we;
                    f1 += loadings[l + 1] * we;
                    f2 += loadings[l + 2] * we;
                    f3 += loadings[l + 3] * we;
                }
                projection[a * stride + i] = f0;
                projection[(a + 1) * stride + i] = f1;
                projection[(a + 2) * stride + i] = f2;
                projection[(a + 3) * stride + i] = f3;
            }
            for (; a < q; a++) {
                double f = 0;
                for (int j = 0, l = a; j < d; j++, l += q) {
                    double e = x[xo + j] - mean[meanOffset + j];
                    double we = e * inverseUniquenesses[j];
                    if (a == 0) {
                        dist += e * we;
                    }
                    f += loadings[l] * we;
                }
                projection[a * stride + i] = f;
            }
            distance[i] = dist;
        }
    }

    @Override
    public void addFactorMoments(double[] x, int from, int to, int d, double[] mean, int meanOffset, double[] r,
                                 double[] z, int q, double[] first, double[] second, double[] cross) {
        for (int i = from; i < to; i++) {
            if (r[i] != 0) {
                addFactorRow(x, i, d, mean, meanOffset, r[i], z, q, first, second, cross);
            }
        }
    }

    /** {@link #addFactorMoments} of row i alone, of weight {@code ri}: for the SIMD kernels' sparse blocks too. */
    static void addFactorRow(double[] x, int i, int d, double[] mean, int meanOffset, double ri, double[] z, int q,
                             double[] first, double[] second, double[] cross) {
        int zo = i * q;
        // The first four factors in locals (the sums' array may alias them as far as the compiler knows).
        int first4 = Math.min(q, 4);
        double z0 = z[zo];
        double z1 = first4 > 1 ? z[zo + 1] : 0;
        double z2 = first4 > 2 ? z[zo + 2] : 0;
        double z3 = first4 > 3 ? z[zo + 3] : 0;
        for (int j = 0, xo = i * d, row = 0; j < d; j++, row += q) {
            double v = x[xo + j] - mean[meanOffset + j];
            double rv = ri * v;
            first[j] += rv;
            second[j] += rv * v;
            if (first4 == 4) {
                cross[row] += rv * z0;
                cross[row + 1] += rv * z1;
                cross[row + 2] += rv * z2;
                cross[row + 3] += rv * z3;
                for (int a = 4; a < q; a++) {
                    cross[row + a] += rv * z[zo + a];
                }
            } else {
                for (int a = 0; a < q; a++) {
                    cross[row + a] += rv * z[zo + a];
                }
            }
        }
    }
}
