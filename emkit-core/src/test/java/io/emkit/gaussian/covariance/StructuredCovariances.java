package io.emkit.gaussian.covariance;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helper, independent of the library: covariances of a structure {@code Σk = λk Dk Ak Dkᵀ} factored with
 * EJML as {@code Bk diag(sk) Bkᵀ}, and every one-parameter move that keeps the structure — volume ({@code λ}
 * scaled), shape (one diagonal ratio of {@code A} changed, determinant kept), orientation (a plane rotation of
 * {@code D}, where it is not the identity) — applied to one component where the part varies and to all
 * components jointly where it is shared.
 */
public final class StructuredCovariances {
    private StructuredCovariances() {
    }

    /**
     * A covariance as {@code B diag(s) Bᵀ}: its orthogonal basis and its variances along it.
     *
     * @param basis orthogonal matrix, one direction per column
     * @param s     variances along the columns of {@code basis}
     */
    public record Factored(DMatrixRMaj basis, double[] s) {
        /** @return {@code B diag(s) Bᵀ} */
        public DMatrixRMaj compose() {
            DMatrixRMaj diag = CommonOps_DDRM.diag(s);
            DMatrixRMaj tmp = new DMatrixRMaj(s.length, s.length);
            CommonOps_DDRM.mult(basis, diag, tmp);
            DMatrixRMaj out = new DMatrixRMaj(s.length, s.length);
            CommonOps_DDRM.multTransB(tmp, basis, out);
            return out;
        }
    }

    /**
     * A labelled move: the covariances at parameter {@code t} along it ({@code t = 0}: unmoved).
     *
     * @param label what it moves
     * @param at    {@code t ↦} the moved covariances
     */
    public record Move(String label, DoubleFunction<DMatrixRMaj[]> at) {
    }

    /**
     * Factors covariances of a structure, asserting that each is diagonal in the basis its orientation letter
     * promises (the identity for I, the first covariance's eigenvectors for E, its own for V).
     *
     * @param name mclust name of the structure
     * @param flat the covariances, row-major {@code d × d} each
     * @param d    dimension
     * @return one factorisation per component
     */
    public static Factored[] factor(String name, double[][] flat, int d) {
        char orientation = name.charAt(2);
        Factored[] f = new Factored[flat.length];
        DMatrixRMaj shared = sortedEigenvectors(DMatrixRMaj.wrap(d, d, flat[0].clone()));
        for (int c = 0; c < flat.length; c++) {
            DMatrixRMaj sigma = DMatrixRMaj.wrap(d, d, flat[c].clone());
            DMatrixRMaj basis = switch (orientation) {
                case 'I' -> CommonOps_DDRM.identity(d);
                case 'E' -> shared;
                default -> sortedEigenvectors(sigma);
            };
            f[c] = new Factored(basis, variancesAlong(basis, sigma, name + " component " + c));
        }
        return f;
    }

    /**
     * @param f factored covariances
     * @return the covariances they compose
     */
    public static DMatrixRMaj[] compose(Factored[] f) {
        return perturbed(f, new int[0], null, null);
    }

    /**
     * Every single-parameter move that keeps the structure {@code name}.
     *
     * @param name mclust name of the structure
     * @param f    the covariances, factored by {@link #factor}
     * @return the moves, each labelled
     */
    public static List<Move> moves(String name, Factored[] f) {
        char volume = name.charAt(0);
        char shape = name.charAt(1);
        char orientation = name.charAt(2);
        int k = f.length;
        int d = f[0].s().length;
        List<Move> moves = new ArrayList<>();
        for (int[] group : groups(volume, k)) {
            moves.add(new Move("volume of " + Arrays.toString(group), t -> perturbed(f, group, s -> {
                for (int j = 0; j < d; j++) {
                    s[j] *= Math.exp(t);
                }
            }, null)));
        }
        if (shape != 'I') {
            for (int[] group : groups(shape, k)) {
                for (int i = 0; i < d; i++) {
                    for (int j = i + 1; j < d; j++) {
                        int a = i;
                        int b = j;
                        moves.add(new Move("shape " + a + "/" + b + " of " + Arrays.toString(group),
                                t -> perturbed(f, group, s -> {
                                    s[a] *= Math.exp(t);
                                    s[b] *= Math.exp(-t);
                                }, null)));
                    }
                }
            }
        }
        if (orientation != 'I') {
            for (int[] group : groups(orientation, k)) {
                for (int i = 0; i < d; i++) {
                    for (int j = i + 1; j < d; j++) {
                        int a = i;
                        int b = j;
                        moves.add(new Move("rotation in plane " + a + "," + b + " of " + Arrays.toString(group),
                                t -> perturbed(f, group, null, givens(d, a, b, t))));
                    }
                }
            }
        }
        return moves;
    }

    /**
     * @param s positive numbers
     * @return their geometric mean
     */
    public static double geometricMean(double[] s) {
        double l = 0;
        for (double v : s) {
            l += Math.log(v);
        }
        return Math.exp(l / s.length);
    }

    /** Eigenvectors (columns) by decreasing eigenvalue, from EJML's symmetric eigen-decomposition. */
    private static DMatrixRMaj sortedEigenvectors(DMatrixRMaj a) {
        int d = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        assertThat(eig.decompose(a.copy())).isTrue();
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (u, v) -> Double.compare(eig.getEigenvalue(v).real, eig.getEigenvalue(u).real));
        DMatrixRMaj b = new DMatrixRMaj(d, d);
        for (int j = 0; j < d; j++) {
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            for (int i = 0; i < d; i++) {
                b.set(i, j, v.get(i, 0));
            }
        }
        return b;
    }

    /** {@code Bᵀ Σ B}, which must be diagonal (to 1e-9 of its diagonal) for {@code B} to be Σ's orientation. */
    private static double[] variancesAlong(DMatrixRMaj b, DMatrixRMaj sigma, String what) {
        int d = b.numRows;
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(b, sigma, tmp);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(tmp, b, m);
        double[] s = new double[d];
        for (int i = 0; i < d; i++) {
            s[i] = m.get(i, i);
            assertThat(s[i]).as("%s: variance %d", what, i).isPositive();
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (i != j) {
                    assertThat(Math.abs(m.get(i, j))).as("%s: off-diagonal (%d,%d) in the orientation", what, i, j)
                            .isLessThanOrEqualTo(1e-9 * Math.sqrt(s[i] * s[j]));
                }
            }
        }
        return s;
    }

    /** The components a perturbation moves together: all at once for a shared part, each on its own for a varying one. */
    private static List<int[]> groups(char letter, int k) {
        List<int[]> out = new ArrayList<>();
        if (letter == 'V') {
            for (int c = 0; c < k; c++) {
                out.add(new int[] {c});
            }
        } else {
            int[] all = new int[k];
            for (int c = 0; c < k; c++) {
                all[c] = c;
            }
            out.add(all);
        }
        return out;
    }

    /** The covariances with {@code change} applied to the variances of, and {@code rotation} to the basis of, the group. */
    private static DMatrixRMaj[] perturbed(Factored[] f, int[] group, Consumer<double[]> change,
                                           DMatrixRMaj rotation) {
        DMatrixRMaj[] out = new DMatrixRMaj[f.length];
        for (int c = 0; c < f.length; c++) {
            int cc = c;
            boolean moved = Arrays.stream(group).anyMatch(g -> g == cc);
            double[] s = f[c].s.clone();
            DMatrixRMaj basis = f[c].basis;
            if (moved && change != null) {
                change.accept(s);
            }
            if (moved && rotation != null) {
                DMatrixRMaj r = new DMatrixRMaj(basis.numRows, basis.numCols);
                CommonOps_DDRM.mult(rotation, basis, r);
                basis = r;
            }
            out[c] = new Factored(basis, s).compose();
        }
        return out;
    }

    /** The rotation by angle {@code t} in the plane of coordinates {@code a} and {@code b}. */
    private static DMatrixRMaj givens(int d, int a, int b, double t) {
        DMatrixRMaj g = CommonOps_DDRM.identity(d);
        g.set(a, a, Math.cos(t));
        g.set(b, b, Math.cos(t));
        g.set(a, b, -Math.sin(t));
        g.set(b, a, Math.sin(t));
        return g;
    }
}
