package io.emkit.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CentroidKernels} on the JDK's incubating Vector API: vectors of L centroids, L = 8 at 512 bits, 4 at
 * 256 (the Gaussian kernels' width). A lane
 * computes one distance with the portable loop's operations in its order (a subtraction, then a multiply and
 * an add, never fused), so the distances are the portable ones bit for bit. The nearest centroid is kept per
 * lane (a lane sees its centroids in increasing index and replaces its best only on a strictly smaller
 * distance), then the lanes are compared by scalar code: least distance, ties to the lower index. Two rows
 * share each pass over the centroids, so each centroid vector loaded serves both.
 *
 * <p>Compiled separately with {@code --add-modules jdk.incubator.vector} and loaded by name from
 * {@link CentroidTable}.
 */
final class VectorCentroidKernels implements CentroidKernels {
    /**
     * The Gaussian kernels' species, whatever width they chose, never another: a JVM that has run double vectors
     * of two shapes no longer compiles the first shape's operations into vector instructions (JDK 17, measured
     * 2026-12-03 on an AVX-512 host: with this class at 512 bits and the Gaussian kernels at 256, a default
     * Gaussian fit of 100,000 × 16 with K = 16, whose k-means start ran first, took 33 s instead of 7, the
     * Gaussian kernels five times slower and the JIT reporting "missing constant" for their vector intrinsics).
     * One species for every double kernel.
     */
    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    /** The float species of the same width (see {@link VectorKernels#F}) and its lanes. */
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int LF = F.length();
    /** The float lane indices 0, 1, …, LF − 1. */
    private static final FloatVector FLOAT_IOTA = FloatVector.fromArray(F,
            new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 0);
    /** The lane indices 0, 1, …, L − 1. */
    private static final DoubleVector IOTA = DoubleVector.fromArray(S, new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);

    /** Refuses to be made where vectors are narrower than 256 bits (the API would emulate them slowly). */
    VectorCentroidKernels() {
        if (DoubleVector.SPECIES_PREFERRED.vectorBitSize() < 256 || S.length() != L
                || CentroidTable.PAD % (2 * L) != 0) {
            throw new UnsupportedOperationException("vectors narrower than 256 bits");
        }
    }

    @Override
    public void squaredDistances(double[] x, int xo, double[] ct, int d, int kp, double[] out) {
        int cb = 0;
        for (; cb + 4 * L <= kp; cb += 4 * L) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            for (int j = 0, o = cb; j < d; j++, o += kp) {
                DoubleVector b = DoubleVector.broadcast(S, x[xo + j]);
                DoubleVector t0 = DoubleVector.fromArray(S, ct, o).sub(b);
                DoubleVector t1 = DoubleVector.fromArray(S, ct, o + L).sub(b);
                DoubleVector t2 = DoubleVector.fromArray(S, ct, o + 2 * L).sub(b);
                DoubleVector t3 = DoubleVector.fromArray(S, ct, o + 3 * L).sub(b);
                a0 = a0.add(t0.mul(t0));
                a1 = a1.add(t1.mul(t1));
                a2 = a2.add(t2.mul(t2));
                a3 = a3.add(t3.mul(t3));
            }
            a0.intoArray(out, cb);
            a1.intoArray(out, cb + L);
            a2.intoArray(out, cb + 2 * L);
            a3.intoArray(out, cb + 3 * L);
        }
        for (; cb < kp; cb += 2 * L) {
            pairOfDistances(x, xo, ct, d, kp, cb, out);
        }
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void addRow(double[] sum, int so, double weight, double[] x, int xo, int d) {
        int j = 0;
        if (weight == 1) {
            for (; j + L <= d; j += L) {
                DoubleVector.fromArray(S, sum, so + j).add(DoubleVector.fromArray(S, x, xo + j))
                        .intoArray(sum, so + j);
            }
            for (; j < d; j++) {
                sum[so + j] += x[xo + j];
            }
            return;
        }
        for (; j + L <= d; j += L) {
            DoubleVector.fromArray(S, sum, so + j).add(DoubleVector.fromArray(S, x, xo + j).mul(weight))
                    .intoArray(sum, so + j);
        }
        for (; j < d; j++) {
            sum[so + j] += weight * x[xo + j];
        }
    }

    /**
     * One or two vectors of candidates (2 + ⌊ln K⌋ of them: up to L for K below e^(L − 1)) keep their sums in
     * registers across the rows, each lane its candidate's in row order; more fall back to a row's distances at a
     * time, summed by the scalar loop in the same order.
     */
    @Override
    public void potentials(double[] x, int from, int to, double[] ct, int d, int kp, double[] dist, double[] w,
                           double[] potential, double[] trials) {
        if (kp == L) {
            // Four rows at a time: a row's distances wait on each of their D additions in turn, four rows'
            // overlap (and share each load of the candidates); the sums still take the rows in order.
            DoubleVector p0 = DoubleVector.zero(S);
            int i = from;
            for (int xo = from * d; i + 3 < to; i += 4, xo += 4 * d) {
                DoubleVector a0 = DoubleVector.zero(S);
                DoubleVector a1 = a0;
                DoubleVector a2 = a0;
                DoubleVector a3 = a0;
                for (int j = 0, o = 0; j < d; j++, o += kp) {
                    DoubleVector c = DoubleVector.fromArray(S, ct, o);
                    DoubleVector t0 = c.sub(x[xo + j]);
                    DoubleVector t1 = c.sub(x[xo + d + j]);
                    DoubleVector t2 = c.sub(x[xo + 2 * d + j]);
                    DoubleVector t3 = c.sub(x[xo + 3 * d + j]);
                    a0 = a0.add(t0.mul(t0));
                    a1 = a1.add(t1.mul(t1));
                    a2 = a2.add(t2.mul(t2));
                    a3 = a3.add(t3.mul(t3));
                }
                DoubleVector trial0 = a0.min(dist[i]);
                DoubleVector trial1 = a1.min(dist[i + 1]);
                DoubleVector trial2 = a2.min(dist[i + 2]);
                DoubleVector trial3 = a3.min(dist[i + 3]);
                if (trials != null) {
                    trial0.intoArray(trials, i * kp);
                    trial1.intoArray(trials, (i + 1) * kp);
                    trial2.intoArray(trials, (i + 2) * kp);
                    trial3.intoArray(trials, (i + 3) * kp);
                }
                if (w == null) {
                    p0 = p0.add(trial0).add(trial1).add(trial2).add(trial3);
                } else {
                    p0 = p0.add(trial0.mul(w[i])).add(trial1.mul(w[i + 1])).add(trial2.mul(w[i + 2]))
                            .add(trial3.mul(w[i + 3]));
                }
            }
            for (int xo = i * d; i < to; i++, xo += d) {
                DoubleVector trial = distances(x, xo, ct, d, kp, 0).min(dist[i]);
                if (trials != null) {
                    trial.intoArray(trials, i * kp);
                }
                p0 = p0.add(w == null ? trial : trial.mul(w[i]));
            }
            p0.intoArray(potential, 0);
            return;
        }
        if (kp == 2 * L) {
            DoubleVector p0 = DoubleVector.zero(S);
            DoubleVector p1 = p0;
            double[] row = new double[kp];
            for (int i = from, xo = from * d; i < to; i++, xo += d) {
                pairOfDistances(x, xo, ct, d, kp, 0, row);
                DoubleVector trial0 = DoubleVector.fromArray(S, row, 0).min(dist[i]);
                DoubleVector trial1 = DoubleVector.fromArray(S, row, L).min(dist[i]);
                if (trials != null) {
                    trial0.intoArray(trials, i * kp);
                    trial1.intoArray(trials, i * kp + L);
                }
                p0 = p0.add(w == null ? trial0 : trial0.mul(w[i]));
                p1 = p1.add(w == null ? trial1 : trial1.mul(w[i]));
            }
            p0.intoArray(potential, 0);
            p1.intoArray(potential, L);
            return;
        }
        java.util.Arrays.fill(potential, 0, kp, 0.0);
        double[] row = new double[kp];
        for (int i = from, xo = from * d; i < to; i++, xo += d) {
            for (int cb = 0; cb < kp; cb += L) {
                distances(x, xo, ct, d, kp, cb).intoArray(row, cb);
            }
            for (int c = 0; c < kp; c++) {
                double trial = Math.min(dist[i], row[c]);
                if (trials != null) {
                    trials[i * kp + c] = trial;
                }
                potential[c] += w == null ? trial : w[i] * trial;
            }
        }
    }

    /** The squared distances from row {@code x[xo ..]} to the L centroids from {@code cb} on. */
    private static DoubleVector distances(double[] x, int xo, double[] ct, int d, int kp, int cb) {
        DoubleVector a0 = DoubleVector.zero(S);
        for (int j = 0, o = cb; j < d; j++, o += kp) {
            DoubleVector t0 = DoubleVector.fromArray(S, ct, o).sub(x[xo + j]);
            a0 = a0.add(t0.mul(t0));
        }
        return a0;
    }

    /**
     * {@code out[cb .. cb + 2L)}: the squared distances from row {@code x[xo ..]} to the 2L centroids from
     * {@code cb} on, two vectors in one pass over the features (a vector alone took 10% longer at K = 64).
     */
    private static void pairOfDistances(double[] x, int xo, double[] ct, int d, int kp, int cb, double[] out) {
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        for (int j = 0, o = cb; j < d; j++, o += kp) {
            DoubleVector b = DoubleVector.broadcast(S, x[xo + j]);
            DoubleVector t0 = DoubleVector.fromArray(S, ct, o).sub(b);
            DoubleVector t1 = DoubleVector.fromArray(S, ct, o + L).sub(b);
            a0 = a0.add(t0.mul(t0));
            a1 = a1.add(t1.mul(t1));
        }
        a0.intoArray(out, cb);
        a1.intoArray(out, cb + L);
    }

    /**
     * The distances as {@link #squaredDistances} computes them, each lane keeping the least and second least of
     * its centroids as they come, then across the lanes: the least of all, the least of the rest (the lanes'
     * second leasts and every lane's least but one lane at the least of all, so a tie makes the two equal), and
     * the first centroid at the least, by a search of the stored distances that stops there.
     */
    @Override
    public int nearestTwo(double[] x, int xo, double[] ct, int d, int kp, double[] out, double[] two) {
        DoubleVector least = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector next = least;
        for (int cb = 0; cb < kp; cb += 2 * L) {
            pairOfDistances(x, xo, ct, d, kp, cb, out);
            DoubleVector a0 = DoubleVector.fromArray(S, out, cb);
            DoubleVector a1 = DoubleVector.fromArray(S, out, cb + L);
            next = next.min(least.max(a0));
            least = least.min(a0);
            next = next.min(least.max(a1));
            least = least.min(a1);
        }
        double best = least.reduceLanes(VectorOperators.MIN);
        VectorMask<Double> atBest = least.compare(VectorOperators.EQ, best);
        VectorMask<Double> one = IOTA.compare(VectorOperators.EQ, atBest.firstTrue());
        double others = least.blend(Double.POSITIVE_INFINITY, one).reduceLanes(VectorOperators.MIN);
        two[0] = best;
        two[1] = Math.min(next.reduceLanes(VectorOperators.MIN), others);
        for (int cb = 0; ; cb += L) {
            VectorMask<Double> at = DoubleVector.fromArray(S, out, cb).compare(VectorOperators.EQ, best);
            if (at.anyTrue()) {
                return cb + at.firstTrue();
            }
        }
    }

    /**
     * Two rows share each load of the centroids (measured alone, in double lanes, the loads bound one row's pass:
     * 1.0 ns a 16-term value for one row, 0.7 for two, K = 256, 512 bits). Four vectors of centroids at a time
     * (one at the end), each lane's value a chain of fused multiply-adds in float from the centroid's norm, the
     * rows' values rounded to float as they are broadcast; per row the least and second least kept per lane,
     * with the index of the least, by compares and blends (the lanes' min and max, with Math.min's rules for NaN
     * and −0.0, moot here, took longer). The lanes' updates are written out vector by vector, as in the other
     * kernels: each changes three vectors, which a method could not hand back without allocating.
     */
    @Override
    public void nearestTwoByProductsOfPair(double[] xc, int xco, float[] products, float[] norms, int d, int kp,
                                           double[] two, int[] best) {
        FloatVector least = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector next = least;
        FloatVector at = least;
        FloatVector least2 = least;
        FloatVector next2 = least;
        FloatVector at2 = least;
        FloatVector index = FLOAT_IOTA;
        FloatVector step = FloatVector.broadcast(F, (float) LF);
        int yo = xco + d;
        int cb = 0;
        for (; cb + 4 * LF <= kp; cb += 4 * LF) {
            FloatVector a0 = FloatVector.fromArray(F, norms, cb);
            FloatVector a1 = FloatVector.fromArray(F, norms, cb + LF);
            FloatVector a2 = FloatVector.fromArray(F, norms, cb + 2 * LF);
            FloatVector a3 = FloatVector.fromArray(F, norms, cb + 3 * LF);
            FloatVector c0 = a0;
            FloatVector c1 = a1;
            FloatVector c2 = a2;
            FloatVector c3 = a3;
            for (int j = 0, o = cb; j < d; j++, o += kp) {
                FloatVector b = FloatVector.broadcast(F, (float) xc[xco + j]);
                FloatVector e = FloatVector.broadcast(F, (float) xc[yo + j]);
                FloatVector v0 = FloatVector.fromArray(F, products, o);
                FloatVector v1 = FloatVector.fromArray(F, products, o + LF);
                FloatVector v2 = FloatVector.fromArray(F, products, o + 2 * LF);
                FloatVector v3 = FloatVector.fromArray(F, products, o + 3 * LF);
                a0 = v0.fma(b, a0);
                a1 = v1.fma(b, a1);
                a2 = v2.fma(b, a2);
                a3 = v3.fma(b, a3);
                c0 = v0.fma(e, c0);
                c1 = v1.fma(e, c1);
                c2 = v2.fma(e, c2);
                c3 = v3.fma(e, c3);
            }
            VectorMask<Float> below = a0.lt(least);
            next = next.blend(a0, a0.lt(next)).blend(least, below);
            least = least.blend(a0, below);
            at = at.blend(index, below);
            below = c0.lt(least2);
            next2 = next2.blend(c0, c0.lt(next2)).blend(least2, below);
            least2 = least2.blend(c0, below);
            at2 = at2.blend(index, below);
            index = index.add(step);
            below = a1.lt(least);
            next = next.blend(a1, a1.lt(next)).blend(least, below);
            least = least.blend(a1, below);
            at = at.blend(index, below);
            below = c1.lt(least2);
            next2 = next2.blend(c1, c1.lt(next2)).blend(least2, below);
            least2 = least2.blend(c1, below);
            at2 = at2.blend(index, below);
            index = index.add(step);
            below = a2.lt(least);
            next = next.blend(a2, a2.lt(next)).blend(least, below);
            least = least.blend(a2, below);
            at = at.blend(index, below);
            below = c2.lt(least2);
            next2 = next2.blend(c2, c2.lt(next2)).blend(least2, below);
            least2 = least2.blend(c2, below);
            at2 = at2.blend(index, below);
            index = index.add(step);
            below = a3.lt(least);
            next = next.blend(a3, a3.lt(next)).blend(least, below);
            least = least.blend(a3, below);
            at = at.blend(index, below);
            below = c3.lt(least2);
            next2 = next2.blend(c3, c3.lt(next2)).blend(least2, below);
            least2 = least2.blend(c3, below);
            at2 = at2.blend(index, below);
            index = index.add(step);
        }
        for (; cb < kp; cb += LF) {
            FloatVector a0 = FloatVector.fromArray(F, norms, cb);
            FloatVector c0 = a0;
            for (int j = 0, o = cb; j < d; j++, o += kp) {
                FloatVector v0 = FloatVector.fromArray(F, products, o);
                a0 = v0.fma(FloatVector.broadcast(F, (float) xc[xco + j]), a0);
                c0 = v0.fma(FloatVector.broadcast(F, (float) xc[yo + j]), c0);
            }
            VectorMask<Float> below = a0.lt(least);
            next = next.blend(a0, a0.lt(next)).blend(least, below);
            least = least.blend(a0, below);
            at = at.blend(index, below);
            below = c0.lt(least2);
            next2 = next2.blend(c0, c0.lt(next2)).blend(least2, below);
            least2 = least2.blend(c0, below);
            at2 = at2.blend(index, below);
            index = index.add(step);
        }
        // Across each row's lanes: the least of all; the least of the rest, the least over the lanes of each
        // lane's least but, in the first lane at the least of all, its second least (so a tie between lanes makes
        // the two equal); the centroid of that first lane's least (the lowest at the least value unless another
        // lane ties it, which the caller never settles on). Written out for each row: a method for it was not
        // inlined into this large one (C2's node-count cut-off) and boxed its three vectors per call; two
        // reductions, as three, or a scalar loop over the stored lanes, took longer.
        float m = least.reduceLanes(VectorOperators.MIN);
        int lane = least.compare(VectorOperators.EQ, m).firstTrue();
        two[0] = m;
        two[1] = least.blend(next, FLOAT_IOTA.compare(VectorOperators.EQ, lane)).reduceLanes(VectorOperators.MIN);
        best[0] = (int) at.lane(lane);
        m = least2.reduceLanes(VectorOperators.MIN);
        lane = least2.compare(VectorOperators.EQ, m).firstTrue();
        two[2] = m;
        two[3] = least2.blend(next2, FLOAT_IOTA.compare(VectorOperators.EQ, lane)).reduceLanes(VectorOperators.MIN);
        best[1] = (int) at2.lane(lane);
    }

    @Override
    public void nearest(double[] x, int xo, int rows, double[] ct, int d, int kp, int[] label, double[] dist) {
        double[] lanes = new double[2 * L];
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            int x0 = xo + r * d;
            int x1 = x0 + d;
            DoubleVector best0 = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
            DoubleVector best1 = best0;
            DoubleVector at0 = DoubleVector.zero(S);
            DoubleVector at1 = at0;
            for (int cb = 0; cb < kp; cb += 2 * L) {
                DoubleVector a00 = DoubleVector.zero(S);
                DoubleVector a01 = a00;
                DoubleVector a10 = a00;
                DoubleVector a11 = a00;
                for (int j = 0, o = cb; j < d; j++, o += kp) {
                    DoubleVector c0 = DoubleVector.fromArray(S, ct, o);
                    DoubleVector c1 = DoubleVector.fromArray(S, ct, o + L);
                    DoubleVector b0 = DoubleVector.broadcast(S, x[x0 + j]);
                    DoubleVector b1 = DoubleVector.broadcast(S, x[x1 + j]);
                    DoubleVector t00 = c0.sub(b0);
                    DoubleVector t01 = c1.sub(b0);
                    DoubleVector t10 = c0.sub(b1);
                    DoubleVector t11 = c1.sub(b1);
                    a00 = a00.add(t00.mul(t00));
                    a01 = a01.add(t01.mul(t01));
                    a10 = a10.add(t10.mul(t10));
                    a11 = a11.add(t11.mul(t11));
                }
                DoubleVector i0 = IOTA.add(cb);
                DoubleVector i1 = IOTA.add(cb + L);
                VectorMask<Double> m = a00.lt(best0);
                best0 = best0.blend(a00, m);
                at0 = at0.blend(i0, m);
                m = a01.lt(best0);
                best0 = best0.blend(a01, m);
                at0 = at0.blend(i1, m);
                m = a10.lt(best1);
                best1 = best1.blend(a10, m);
                at1 = at1.blend(i0, m);
                m = a11.lt(best1);
                best1 = best1.blend(a11, m);
                at1 = at1.blend(i1, m);
            }
            settle(best0, at0, lanes, label, dist, r);
            settle(best1, at1, lanes, label, dist, r + 1);
        }
        if (r < rows) {
            // The odd row alone: its distances to all centroids, then the first least of them, which is what the
            // lanes and settle() find (a strictly smaller distance wins; none finite leaves +∞ at centroid 0).
            double[] all = new double[kp];
            squaredDistances(x, xo + r * d, ct, d, kp, all);
            double bestDistance = Double.POSITIVE_INFINITY;
            int bestIndex = 0;
            for (int c = 0; c < kp; c++) {
                if (all[c] < bestDistance) {
                    bestDistance = all[c];
                    bestIndex = c;
                }
            }
            label[r] = bestIndex;
            dist[r] = bestDistance;
        }
    }

    /**
     * The lanes' bests compared in scalar code: the least distance, ties to the lower centroid index; a lane
     * that never found a finite distance holds (+∞, 0), so rows whose every distance overflowed go to centroid
     * 0, as the portable scan sends them.
     */
    private static void settle(DoubleVector best, DoubleVector at, double[] lanes, int[] label, double[] dist,
                               int r) {
        best.intoArray(lanes, 0);
        at.intoArray(lanes, L);
        double bestDistance = lanes[0];
        double bestIndex = lanes[L];
        for (int l = 1; l < L; l++) {
            double s = lanes[l];
            double i = lanes[L + l];
            if (s < bestDistance || (s == bestDistance && i < bestIndex)) {
                bestDistance = s;
                bestIndex = i;
            }
        }
        label[r] = (int) bestIndex;
        dist[r] = bestDistance;
    }
}
