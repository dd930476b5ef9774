package io.emkit.gaussian.covariance;

import io.emkit.TestData;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The constrained M-step of each of the ten structures without a scikit-learn name is a maximum of the
 * expected complete-data log-likelihood over its own structure. For fixed soft responsibilities the test
 * computes the scatter matrices {@code Wk} and counts {@code nk} (with EJML, not with the library's helpers),
 * takes {@link ConstrainedCovariances#estimate}'s covariances, checks they have the promised form
 * {@code Σk = λk Dk Ak Dkᵀ}, and then moves them along every perturbation that keeps the structure: volume
 * ({@code λ} scaled), shape ({@code A} with one diagonal ratio changed, determinant kept at 1), orientation
 * (a plane rotation of {@code D}, where it is not the identity), each applied to one component where the
 * part varies and to all components jointly where it is shared. Along each,
 * {@code Q(t) = −½ Σk [nk log|Σk(t)| + tr(Wk Σk(t)⁻¹)]} has derivative zero at {@code t = 0} and curves
 * downward. A covariance that is off the structure, or on it but not at its optimum (a wrong closed form, an
 * inner iteration stopped early), fails one of the two.
 */
class ConstrainedMStepStationarityTest {
    /** Step of the central first difference: truncation {@code h² Q'''} and rounding {@code ε|Q|/h} both ≪ the bound. */
    private static final double H1 = 1e-5;
    /** Step of the second difference: {@code H² Q''} of order {@code 1e-6 N}, far above rounding. */
    private static final double H2 = 1e-3;
    /**
     * Bound on {@code |Q'(0)|} per unit of total responsibility for the closed forms (EII, EEI, EVI, EEV,
     * EVV): stationary to rounding, measured at most 1e-9 here.
     */
    private static final double SLOPE_CLOSED = 1e-8;
    /**
     * The same for the iterative structures (VEI, VEE, EVE, VVE, VEV), which stop when their objective changes
     * by less than 1e-12 relative: that leaves gradients of order {@code sqrt(1e-12)}, measured at most 3e-7
     * here. A covariance that is not a maximiser has slopes of order 1e-2 to 1 per unit.
     */
    private static final double SLOPE_ITERATIVE = 1e-5;
    private static final List<String> CLOSED_FORMS = List.of("EII", "EEI", "EVI", "EEV", "EVV");

    private static final List<String> TEN = List.of("EII", "EEI", "VEI", "EVI", "VEE", "EVE", "VVE", "EEV", "VEV",
            "EVV");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String data : new String[] {"iris", "faithful", "synthetic"}) {
            for (String type : TEN) {
                for (boolean warm : new boolean[] {false, true}) {
                    out.add(Arguments.of(type, data, warm));
                }
            }
        }
        return out.stream();
    }

    /** Fixed soft responsibilities: a Gaussian kernel around K seeded rows, plus a floor, normalised. */
    private record Problem(double[][] scatter, double[] n, int d) {
    }

    private static Problem problem(String name) {
        double[][] x = switch (name) {
            case "iris" -> TestData.iris().toArray();
            case "faithful" -> TestData.faithful().toArray();
            default -> TestData.drawMixture(31, 300, new double[] {0.3, 0.3, 0.2, 0.2},
                    new double[][] {{0, 0, 0}, {3, 1, 0}, {0, 3, 1}, {2, 2, 3}},
                    new double[][][] {{{1, 0.3, 0}, {0.3, 1, 0.2}, {0, 0.2, 0.6}},
                            {{0.6, -0.2, 0.1}, {-0.2, 0.9, 0}, {0.1, 0, 0.5}},
                            {{1.2, 0.4, 0.3}, {0.4, 0.5, 0}, {0.3, 0, 0.8}},
                            {{0.4, 0, 0}, {0, 1.5, -0.5}, {0, -0.5, 1}}}).toArray();
        };
        int k = name.equals("synthetic") ? 4 : name.equals("faithful") ? 2 : 3;
        int rows = x.length;
        int d = x[0].length;
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        double[] sd = new double[d];
        double[] mu = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                mu[j] += r[j] / rows;
            }
        }
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                sd[j] += (r[j] - mu[j]) * (r[j] - mu[j]) / rows;
            }
        }
        double[][] z = new double[rows][k];
        for (int c = 0; c < k; c++) {
            double[] centre = x[rnd.nextInt(rows)];
            for (int i = 0; i < rows; i++) {
                double q = 0;
                for (int j = 0; j < d; j++) {
                    q += (x[i][j] - centre[j]) * (x[i][j] - centre[j]) / sd[j];
                }
                z[i][c] = Math.exp(-q) + 0.05 * rnd.nextDouble();
            }
        }
        for (double[] zi : z) {
            double s = Arrays.stream(zi).sum();
            for (int c = 0; c < k; c++) {
                zi[c] /= s;
            }
        }
        double[][] scatter = new double[k][];
        double[] n = new double[k];
        for (int c = 0; c < k; c++) {
            double[] mean = new double[d];
            for (int i = 0; i < rows; i++) {
                n[c] += z[i][c];
                for (int j = 0; j < d; j++) {
                    mean[j] += z[i][c] * x[i][j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n[c];
            }
            DMatrixRMaj w = new DMatrixRMaj(d, d);
            DMatrixRMaj e = new DMatrixRMaj(d, 1);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < d; j++) {
                    e.set(j, 0, x[i][j] - mean[j]);
                }
                CommonOps_DDRM.multAddTransB(z[i][c], e, e, w);
            }
            scatter[c] = w.getData();
        }
        return new Problem(scatter, n, d);
    }

    /** {@code Q = −½ Σk [nk log|Σk| + tr(Wk Σk⁻¹)]}, written out with EJML. */
    private static double q(Problem p, DMatrixRMaj[] sigma) {
        double total = 0;
        for (int c = 0; c < sigma.length; c++) {
            DMatrixRMaj inv = new DMatrixRMaj(p.d, p.d);
            assertThat(CommonOps_DDRM.invert(sigma[c], inv)).isTrue();
            DMatrixRMaj wInv = new DMatrixRMaj(p.d, p.d);
            CommonOps_DDRM.mult(DMatrixRMaj.wrap(p.d, p.d, p.scatter[c]), inv, wInv);
            total += p.n[c] * Math.log(CommonOps_DDRM.det(sigma[c])) + CommonOps_DDRM.trace(wInv);
        }
        return -0.5 * total;
    }

    @ParameterizedTest(name = "{0} on {1}, warm start {2}")
    @MethodSource("cases")
    void theMStepIsOnItsStructureAndAMaximumAlongEveryPerturbationThatKeepsIt(String name, String data,
                                                                               boolean warm) {
        CovarianceType type = CovarianceType.parse(name);
        Problem p = problem(data);
        int k = p.n.length;
        int d = p.d;
        double[][] previous = null;
        if (warm) {
            // A start in every structure (the identity), away from the optimum: the iterative ones descend from it.
            previous = new double[k][];
            for (int c = 0; c < k; c++) {
                previous[c] = CommonOps_DDRM.identity(d).getData();
            }
        }
        double[][] flat = ConstrainedCovariances.estimate(type, copy(p.scatter), p.n.clone(), previous, d);
        char volume = name.charAt(0);
        char shape = name.charAt(1);

        // The form: Σk = Bk diag(sk) Bkᵀ with Bk = I (axis-aligned), one B for all (shared) or Σk's own.
        StructuredCovariances.Factored[] f = StructuredCovariances.factor(name, flat, d);
        for (int c = 0; c < k; c++) {
            DMatrixRMaj sigma = DMatrixRMaj.wrap(d, d, flat[c].clone());
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < a; b++) {
                    assertThat(sigma.get(a, b)).as("symmetric").isEqualTo(sigma.get(b, a));
                }
            }
        }
        double lambda0 = StructuredCovariances.geometricMean(f[0].s());
        for (int c = 0; c < k; c++) {
            double lambda = StructuredCovariances.geometricMean(f[c].s());
            if (volume == 'E') {
                assertThat(Math.abs(lambda - lambda0)).as("%s: equal volumes", name).isLessThan(1e-10 * lambda0);
            }
            for (int j = 0; j < d; j++) {
                double a = f[c].s()[j] / lambda;
                double a0 = f[0].s()[j] / lambda0;
                if (shape == 'E') {
                    assertThat(Math.abs(a - a0)).as("%s: equal shapes, entry %d", name, j).isLessThan(1e-9 * a0);
                } else if (shape == 'I') {
                    assertThat(Math.abs(a - 1)).as("%s: spherical", name).isLessThan(1e-12);
                }
            }
        }

        // Every perturbation that keeps the structure: the parts that vary one component at a time, the shared
        // ones all together.
        List<StructuredCovariances.Move> moves = StructuredCovariances.moves(name, f);
        double total = Arrays.stream(p.n).sum();
        double q0 = q(p, StructuredCovariances.compose(f));
        for (StructuredCovariances.Move m : moves) {
            DoubleFunction<DMatrixRMaj[]> move = m.at();
            double slope = (q(p, move.apply(H1)) - q(p, move.apply(-H1))) / (2 * H1);
            double up = q(p, move.apply(H2));
            double down = q(p, move.apply(-H2));
            String what = name + " on " + data + ", " + m.label();
            double bound = (CLOSED_FORMS.contains(name) ? SLOPE_CLOSED : SLOPE_ITERATIVE) * total;
            assertThat(Math.abs(slope)).as("%s: |dQ/dt| at the M-step", what).isLessThan(bound);
            assertThat(up + down - 2 * q0).as("%s: second difference (Q curves downward)", what).isNegative();
            assertThat(Math.max(up, down)).as("%s: Q beside the M-step", what).isLessThan(q0);
        }
        assertThat(moves).as("perturbations of %s", name).hasSizeGreaterThanOrEqualTo(1);
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
