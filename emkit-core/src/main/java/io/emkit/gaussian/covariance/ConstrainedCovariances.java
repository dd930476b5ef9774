package io.emkit.gaussian.covariance;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.function.IntToDoubleFunction;

/**
 * The covariance part of the M-step for the structures of the eigen-decomposition family
 * {@code Σk = λk Dk Ak Dkᵀ} that have no scikit-learn name (Celeux and Govaert 1995, <i>Gaussian
 * parsimonious clustering models</i>).
 *
 * <p>Every structure minimises the same objective over its constrained set:
 * {@code F = Σk [nk log|Σk| + tr(Wk Σk⁻¹)]}, where {@code Wk} is component k's scatter matrix around its
 * new mean and {@code nk} its total responsibility (this is minus twice the covariance part of the expected
 * complete-data log-likelihood). EII, EEI, EVI, EEV and EVV have closed forms. VEI, VEE, VEV, EVE and VVE
 * are solved by block-coordinate descent in which each block update is an exact minimiser or, for a shared
 * orientation {@code D}, a majorise–minimise step (the quadratic {@code tr(W D M Dᵀ)} is bounded above
 * by its tangent plus {@code L/2·‖D − D0‖²}, which on orthogonal matrices is linear in {@code D}: an
 * orthogonal Procrustes problem, solved by one SVD). The descent starts from the previous parameters when
 * they have the same structure (EVE and VVE without them from the pooled scatter's eigenvectors), so
 * {@code F} is never above its value at the previous covariances: the M-step never lowers the expected
 * complete-data log-likelihood, and EM stays monotone.
 */
public final class ConstrainedCovariances {
    private static final int MAX_INNER = 500;
    /**
     * Sweeps of plane rotations one EVE or VVE M-step may make. Where the fit drifts towards a degenerate one the
     * descent crawls (R's swiss data, VVE with 4 components: F falling by 1e-4 a sweep for hundreds of sweeps; with
     * 9 components 91% of a search's descents ran to a cap of 500 sweeps); the next M-step goes on from where this
     * one stopped, and any decrease keeps EM monotone.
     */
    private static final int MAX_ROTATION_SWEEPS = 100;
    /**
     * Sweeps between fresh turns of the scatters ({@code Dᵀ·W·D} made from W, O(D³) a component); in between they
     * are turned with each plane rotation, whose rounding grows with their number.
     */
    private static final int SWEEPS_PER_FRESH_TURN = 10;
    private static final double INNER_TOLERANCE = 1e-12;
    private static final double TINY = 1e-300;

    private ConstrainedCovariances() {
    }

    /**
     * The constrained covariances.
     *
     * @param type     one of the structures without a scikit-learn name
     * @param scatter  per component its scatter matrix {@code Wk} ({@code d×d}, row-major), regularised;
     *                 {@code null} for an empty component, which is left out of the fit
     * @param n        per component its total responsibility
     * @param previous the previous covariances ({@code d×d} per component) if they have this structure, else
     *                 {@code null}; the iterative structures start from them
     * @param d        dimension
     * @return per component its covariance ({@code null} for an empty component)
     */
    public static double[][] estimate(CovarianceType type, double[][] scatter, double[] n, double[][] previous, int d) {
        int k = scatter.length;
        double[][] out = new double[k][];
        double nTotal = 0;
        for (int c = 0; c < k; c++) {
            if (scatter[c] != null) {
                nTotal += n[c];
            }
        }
        switch (type) {
            case EII -> {
                double tr = 0;
                for (double[] w : scatter) {
                    if (w != null) {
                        tr += trace(w, d);
                    }
                }
                double lambda = tr / (nTotal * d);
                fill(out, scatter, diagonalMatrix(constant(d, lambda), d));
            }
            case EEI -> {
                double[] diag = new double[d];
                for (double[] w : scatter) {
                    if (w != null) {
                        for (int j = 0; j < d; j++) {
                            diag[j] += w[j * d + j];
                        }
                    }
                }
                for (int j = 0; j < d; j++) {
                    diag[j] /= nTotal;
                }
                fill(out, scatter, diagonalMatrix(diag, d));
            }
            case EVI -> {
                double lambda = 0;
                double[][] shape = new double[k][];
                for (int c = 0; c < k; c++) {
                    if (scatter[c] == null) {
                        continue;
                    }
                    double[] diag = diagonal(scatter[c], d);
                    double g = geometricMean(diag);
                    lambda += g;
                    shape[c] = scale(diag, 1.0 / g);
                }
                lambda /= nTotal;
                for (int c = 0; c < k; c++) {
                    if (shape[c] != null) {
                        out[c] = diagonalMatrix(scale(shape[c], lambda), d);
                    }
                }
            }
            case VEI -> vei(scatter, n, previous, d, out);
            case VEE -> vee(scatter, n, previous, d, out);
            case EEV, VEV -> eigenOrientations(type, scatter, n, previous, d, out, nTotal);
            case EVV -> {
                double lambda = 0;
                double[] g = new double[k];
                for (int c = 0; c < k; c++) {
                    if (scatter[c] != null) {
                        g[c] = geometricMean(eigen(scatter[c], d).values);
                        lambda += g[c];
                    }
                }
                lambda /= nTotal;
                for (int c = 0; c < k; c++) {
                    if (scatter[c] != null) {
                        out[c] = symmetric(scaleMatrix(scatter[c], lambda / g[c]), d);
                    }
                }
            }
            case EVE, VVE -> sharedOrientation(type, scatter, n, previous, d, out, nTotal);
            default -> throw new AssertionError(type);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ VEI: λk B, B diagonal

    private static void vei(double[][] scatter, double[] n, double[][] previous, int d, double[][] out) {
        int k = scatter.length;
        double[] lambda = new double[k];
        double[][] wd = new double[k][];
        for (int c = 0; c < k; c++) {
            if (scatter[c] != null) {
                wd[c] = diagonal(scatter[c], d);
                lambda[c] = previous != null ? geometricMean(diagonal(previous[c], d)) : sum(wd[c]) / (d * n[c]);
            }
        }
        double[] b = new double[d];
        double last = Double.POSITIVE_INFINITY;
        for (int it = 0; it < MAX_INNER; it++) {
            // B given λ: the diagonal of Σ Wk/λk, scaled to determinant 1; then λk given B.
            diagonalShape(wd, lambda, b);
            double f = volumes(wd, n, d, lambda, c -> diagonalTrace(wd[c], b));
            if (converged(last, f)) {
                break;
            }
            last = f;
        }
        for (int c = 0; c < k; c++) {
            if (wd[c] != null) {
                out[c] = diagonalMatrix(scale(b, lambda[c]), d);
            }
        }
    }

    // ------------------------------------------------------------------------------------ VEE: λk C, C full

    private static void vee(double[][] scatter, double[] n, double[][] previous, int d, double[][] out) {
        int k = scatter.length;
        double[] lambda = new double[k];
        for (int c = 0; c < k; c++) {
            if (scatter[c] != null) {
                lambda[c] = previous != null ? geometricMean(eigen(previous[c], d).values)
                        : trace(scatter[c], d) / (d * n[c]);
            }
        }
        double[] shape = null;
        double last = Double.POSITIVE_INFINITY;
        for (int it = 0; it < MAX_INNER; it++) {
            // C given λ: Σ Wk/λk scaled to determinant 1.
            double[] m = new double[d * d];
            for (int c = 0; c < k; c++) {
                if (scatter[c] != null) {
                    for (int i = 0; i < d * d; i++) {
                        m[i] += scatter[c][i] / lambda[c];
                    }
                }
            }
            Eigen e = eigen(m, d);
            double g = geometricMean(e.values);
            shape = scaleMatrix(m, 1.0 / g);
            // C⁻¹ from the eigen-decomposition of M: V diag(g/μ) Vᵀ.
            double[] inv = new double[d];
            for (int j = 0; j < d; j++) {
                inv[j] = g / Math.max(e.values[j], TINY);
            }
            double[] cInv = compose(e.vectors, inv, d);
            double f = volumes(scatter, n, d, lambda, c -> traceProduct(scatter[c], cInv, d));
            if (converged(last, f)) {
                break;
            }
            last = f;
        }
        for (int c = 0; c < k; c++) {
            if (scatter[c] != null) {
                out[c] = symmetric(scaleMatrix(shape, lambda[c]), d);
            }
        }
    }

    // ------------------------------------------------------------------------- EEV, VEV: Dk from Wk, A shared

    private static void eigenOrientations(CovarianceType type, double[][] scatter, double[] n, double[][] previous,
                                          int d, double[][] out, double nTotal) {
        int k = scatter.length;
        Eigen[] e = new Eigen[k];
        for (int c = 0; c < k; c++) {
            if (scatter[c] != null) {
                e[c] = eigen(scatter[c], d);
            }
        }
        double[] a = new double[d];
        double[] lambda = new double[k];
        if (type == CovarianceType.EEV) {
            // Closed form: A ∝ Σ Ωk (eigenvalues sorted decreasingly), λ = |Σ Ωk|^(1/d) / n.
            for (int c = 0; c < k; c++) {
                if (e[c] != null) {
                    for (int j = 0; j < d; j++) {
                        a[j] += e[c].values[j];
                    }
                }
            }
            double g = geometricMean(a);
            for (int j = 0; j < d; j++) {
                a[j] /= g;
            }
            java.util.Arrays.fill(lambda, g / nTotal);
        } else {
            for (int c = 0; c < k; c++) {
                if (e[c] != null) {
                    lambda[c] = previous != null ? geometricMean(eigen(previous[c], d).values)
                            : sum(e[c].values) / (d * n[c]);
                }
            }
            double[][] omega = new double[k][];
            for (int c = 0; c < k; c++) {
                omega[c] = e[c] == null ? null : e[c].values;
            }
            double last = Double.POSITIVE_INFINITY;
            for (int it = 0; it < MAX_INNER; it++) {
                // A (and the Dk) given λ: A ∝ Σ Ωk/λk; the eigenvectors of Wk, largest eigenvalue first, pair
                // with A's largest entry first, which is the optimal orientation for any decreasing A.
                diagonalShape(omega, lambda, a);
                double f = volumes(omega, n, d, lambda, c -> diagonalTrace(omega[c], a));
                if (converged(last, f)) {
                    break;
                }
                last = f;
            }
        }
        for (int c = 0; c < k; c++) {
            if (e[c] != null) {
                out[c] = compose(e[c].vectors, scale(a, lambda[c]), d);
            }
        }
    }

    // ------------------------------------------------------------------------- EVE, VVE: one orientation D

    private static void sharedOrientation(CovarianceType type, double[][] scatter, double[] n, double[][] previous,
                                          int d, double[][] out, double nTotal) {
        int k = scatter.length;
        // One start: the previous orientation where there is one, so the result is never worse than the previous
        // parameters; else the eigenvectors of the pooled scatter. Starting from both at every M-step and keeping
        // the better end point cost twice as much (R's wine data, VVE with 9 components: a search 41 s, with one
        // start 19 s and the same fit).
        double[] m = new double[d * d];
        if (previous != null) {
            // The previous covariances share one orientation: the eigenvectors of a generic positive
            // combination of them recover it (distinct weights separate tied eigenvalues).
            for (int c = 0; c < k; c++) {
                double w = Math.sqrt(c + 2.0);
                for (int i = 0; i < d * d; i++) {
                    m[i] += w * previous[c][i];
                }
            }
        } else {
            for (double[] s : scatter) {
                if (s != null) {
                    for (int i = 0; i < d * d; i++) {
                        m[i] += s[i];
                    }
                }
            }
        }
        Orientation best = descend(type, scatter, n, eigen(m, d).vectors, d, nTotal);
        for (int c = 0; c < k; c++) {
            if (scatter[c] != null) {
                out[c] = compose(best.d, best.delta[c], d);
            }
        }
    }

    /** An orientation and the optimal diagonal variances given it. */
    private record Orientation(double[] d, double[][] delta) {
    }

    /**
     * Block-coordinate descent from orientation {@code dm}: the variances given D in closed form, then a
     * sweep of plane rotations of D (Jacobi-style, as in Flury's algorithm for common principal
     * components), each at its exactly optimal angle for the current variances; never increases F.
     */
    private static Orientation descend(CovarianceType type, double[][] scatter, double[] n, double[] start, int d,
                                       double nTotal) {
        int k = scatter.length;
        double[] dm = start.clone();
        double[][] delta = new double[k][];
        // Each component's scatter in the current orientation, Dᵀ·W·D, turned with D by each plane rotation (O(D) a
        // component, where making it afresh costs O(D³)); made afresh every few sweeps, so that the rotations'
        // rounding cannot pile up. The variances given D are its diagonal.
        double[][] rotated = new double[k][];
        turn(scatter, dm, d, rotated);
        double f = diagonalsGivenOrientation(type, rotated, n, d, delta, nTotal);
        for (int sweep = 0; sweep < MAX_ROTATION_SWEEPS && d > 1; sweep++) {
            double[] saved = dm.clone();
            if (sweep > 0 && sweep % SWEEPS_PER_FRESH_TURN == 0) {
                turn(scatter, dm, d, rotated);
            }
            for (int i = 0; i < d - 1; i++) {
                for (int j = i + 1; j < d; j++) {
                    // F restricted to rotating columns i and j by θ is const + B cos 2θ + C sin 2θ.
                    double bb = 0;
                    double cc = 0;
                    for (int c = 0; c < k; c++) {
                        if (scatter[c] == null) {
                            continue;
                        }
                        double[] m = rotated[c];
                        double dm2 = 1.0 / delta[c][i] - 1.0 / delta[c][j];
                        bb += 0.5 * dm2 * (m[i * d + i] - m[j * d + j]);
                        cc += dm2 * m[i * d + j];
                    }
                    if (bb == 0 && cc == 0) {
                        continue;
                    }
                    double theta = 0.5 * Math.atan2(-cc, -bb);
                    double cos = Math.cos(theta);
                    double sin = Math.sin(theta);
                    rotateColumns(dm, i, j, cos, sin, d);
                    for (int c = 0; c < k; c++) {
                        if (rotated[c] != null) {
                            rotate(rotated[c], i, j, cos, sin, d);
                        }
                    }
                }
            }
            double[][] nextDelta = new double[k][];
            double next = diagonalsGivenOrientation(type, rotated, n, d, nextDelta, nTotal);
            if (!(next <= f)) {
                dm = saved; // rounding: keep the last point, whose objective is known
                break;
            }
            boolean done = converged(f, next);
            f = next;
            delta = nextDelta;
            if (done) {
                break;
            }
        }
        return new Orientation(dm, delta);
    }

    /** Each present component's {@code Dᵀ·W·D} into {@code rotated}. */
    private static void turn(double[][] scatter, double[] dm, int d, double[][] rotated) {
        for (int c = 0; c < scatter.length; c++) {
            rotated[c] = scatter[c] == null ? null : inOrientation(scatter[c], dm, d);
        }
    }

    /** {@code Dᵀ·W·D}, row-major, for a symmetric {@code W}: one triangle computed, the other mirrored. */
    private static double[] inOrientation(double[] w, double[] dm, int d) {
        double[] wd = multiply(w, dm, d);
        double[] out = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double t = 0;
                for (int m = 0; m < d; m++) {
                    t += dm[m * d + a] * wd[m * d + b];
                }
                out[a * d + b] = t;
                out[b * d + a] = t;
            }
        }
        return out;
    }

    /** {@code M ← M·G}: columns i and j of a row-major {@code d × d} matrix turned by (cos, sin). */
    private static void rotateColumns(double[] m, int i, int j, double cos, double sin, int d) {
        for (int a = 0; a < d; a++) {
            double u = m[a * d + i];
            double v = m[a * d + j];
            m[a * d + i] = cos * u + sin * v;
            m[a * d + j] = -sin * u + cos * v;
        }
    }

    /**
     * {@code M ← Gᵀ·M·G} for a symmetric {@code M} and the rotation G of columns i and j by (cos, sin), as the
     * orientation's columns turn: rows i and j turned and mirrored into columns i and j, their 2 × 2 block in closed
     * form.
     */
    private static void rotate(double[] m, int i, int j, double cos, double sin, int d) {
        double a = m[i * d + i];
        double b = m[j * d + j];
        double x = m[i * d + j];
        for (int t = 0; t < d; t++) {
            double u = m[i * d + t];
            double v = m[j * d + t];
            double ui = cos * u + sin * v;
            double vj = -sin * u + cos * v;
            m[i * d + t] = ui;
            m[j * d + t] = vj;
            m[t * d + i] = ui;
            m[t * d + j] = vj;
        }
        double cs = cos * sin;
        double both = 2 * cs * x;
        double off = cs * (b - a) + (cos * cos - sin * sin) * x;
        m[i * d + i] = cos * cos * a + both + sin * sin * b;
        m[j * d + j] = sin * sin * a - both + cos * cos * b;
        m[i * d + j] = off;
        m[j * d + i] = off;
    }

    /**
     * Given the orientation D, through the scatters turned to it ({@code Dᵀ·Wk·D}, {@code null} for an absent
     * component), the optimal diagonal variances {@code Δk = λk Ak} for EVE or VVE, written to {@code delta};
     * returns the objective {@code F}.
     */
    private static double diagonalsGivenOrientation(CovarianceType type, double[][] rotated, double[] n, int d,
                                                    double[][] delta, double nTotal) {
        int k = rotated.length;
        double[][] w = new double[k][];
        for (int c = 0; c < k; c++) {
            if (rotated[c] != null) {
                w[c] = new double[d];
                for (int j = 0; j < d; j++) {
                    w[c][j] = Math.max(rotated[c][j * d + j], TINY);
                }
            }
        }
        double f = 0;
        if (type == CovarianceType.VVE) {
            for (int c = 0; c < k; c++) {
                if (w[c] != null) {
                    delta[c] = scale(w[c], 1.0 / n[c]);
                    f += objective(w[c], delta[c], n[c]);
                }
            }
        } else {
            double lambda = 0;
            double[] g = new double[k];
            for (int c = 0; c < k; c++) {
                if (w[c] != null) {
                    g[c] = geometricMean(w[c]);
                    lambda += g[c];
                }
            }
            lambda /= nTotal;
            for (int c = 0; c < k; c++) {
                if (w[c] != null) {
                    delta[c] = scale(w[c], lambda / g[c]);
                    f += objective(w[c], delta[c], n[c]);
                }
            }
        }
        return f;
    }

    /** {@code n log|Δ| + Σ w_j/Δ_j}. */
    private static double objective(double[] w, double[] delta, double n) {
        double f = 0;
        for (int j = 0; j < w.length; j++) {
            f += n * Math.log(delta[j]) + w[j] / delta[j];
        }
        return f;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * The diagonal shape given the volumes: {@code Σk xk/λk} over the components present ({@code xk} not
     * {@code null}), scaled to determinant 1, written to {@code out}.
     */
    private static void diagonalShape(double[][] x, double[] lambda, double[] out) {
        java.util.Arrays.fill(out, 0.0);
        for (int c = 0; c < x.length; c++) {
            if (x[c] != null) {
                for (int j = 0; j < out.length; j++) {
                    out[j] += x[c][j] / lambda[c];
                }
            }
        }
        double g = geometricMean(out);
        for (int j = 0; j < out.length; j++) {
            out[j] /= g;
        }
    }

    /** {@code Σj x[j]/shape[j]}: the trace of {@code W S⁻¹} when W's eigenvalues (or diagonal) are x and S = diag(shape). */
    private static double diagonalTrace(double[] x, double[] shape) {
        double t = 0;
        for (int j = 0; j < shape.length; j++) {
            t += x[j] / shape[j];
        }
        return t;
    }

    /**
     * The volumes given the shape, {@code λk = tr(Wk S⁻¹)/(d nk)}, for the components present
     * ({@code present[c]} not {@code null}), written to {@code lambda}; returns F at them.
     *
     * @param traceAgainstShape component → {@code tr(Wk S⁻¹)}
     */
    private static double volumes(Object[] present, double[] n, int d, double[] lambda,
                                  IntToDoubleFunction traceAgainstShape) {
        double f = 0;
        for (int c = 0; c < present.length; c++) {
            if (present[c] != null) {
                double t = traceAgainstShape.applyAsDouble(c);
                lambda[c] = Math.max(t / (d * n[c]), TINY);
                f += n[c] * d * Math.log(lambda[c]) + t / lambda[c];
            }
        }
        return f;
    }

    private static boolean converged(double last, double f) {
        return last - f <= INNER_TOLERANCE * Math.abs(f);
    }

    /** Eigenvalues (decreasing) and eigenvectors (column j of the row-major {@code vectors}) of a symmetric matrix. */
    public record Eigen(double[] values, double[] vectors) {
    }

    /**
     * The eigen-decomposition of a symmetric matrix, eigenvalues in decreasing order.
     *
     * @param a the symmetric matrix, row-major
     * @param d its order
     * @return the eigenvalues and eigenvectors
     */
    public static Eigen eigen(double[] a, int d) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(d, d, symmetric(a.clone(), d)))) {
            throw new IllegalStateException("eigen-decomposition failed");
        }
        Integer[] order = new Integer[d];
        double[] raw = new double[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
            raw[j] = eig.getEigenvalue(j).getReal();
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(raw[y], raw[x]));
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        for (int j = 0; j < d; j++) {
            values[j] = Math.max(raw[order[j]], TINY);
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += v.data[i] * v.data[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                vectors[i * d + j] = v.data[i] / norm;
            }
        }
        return new Eigen(values, vectors);
    }

    /** V diag(s) Vᵀ, symmetric. */
    static double[] compose(double[] v, double[] s, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double t = 0;
                for (int m = 0; m < d; m++) {
                    t += v[i * d + m] * s[m] * v[j * d + m];
                }
                out[i * d + j] = t;
                out[j * d + i] = t;
            }
        }
        return out;
    }

    private static double[] multiply(double[] a, double[] b, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int m = 0; m < d; m++) {
                double x = a[i * d + m];
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += x * b[m * d + j];
                }
            }
        }
        return out;
    }

    private static double traceProduct(double[] a, double[] b, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                t += a[i * d + j] * b[j * d + i];
            }
        }
        return t;
    }

    private static double[] symmetric(double[] a, int d) {
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double m = 0.5 * (a[i * d + j] + a[j * d + i]);
                a[i * d + j] = m;
                a[j * d + i] = m;
            }
        }
        return a;
    }

    private static double trace(double[] a, int d) {
        double t = 0;
        for (int j = 0; j < d; j++) {
            t += a[j * d + j];
        }
        return t;
    }

    private static double[] diagonal(double[] a, int d) {
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = Math.max(a[j * d + j], TINY);
        }
        return out;
    }

    private static double[] diagonalMatrix(double[] diag, int d) {
        double[] out = new double[d * d];
        for (int j = 0; j < d; j++) {
            out[j * d + j] = diag[j];
        }
        return out;
    }

    private static double[] constant(int d, double v) {
        double[] out = new double[d];
        java.util.Arrays.fill(out, v);
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /**
     * (Π v_j)^(1/d), in log space.
     *
     * @param v positive values
     * @return their geometric mean
     */
    public static double geometricMean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.log(Math.max(x, TINY));
        }
        return Math.exp(s / v.length);
    }

    private static double[] scale(double[] v, double f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * f;
        }
        return out;
    }

    private static double[] scaleMatrix(double[] a, double f) {
        return scale(a, f);
    }

    private static void fill(double[][] out, double[][] scatter, double[] value) {
        for (int c = 0; c < out.length; c++) {
            if (scatter[c] != null) {
                out[c] = value.clone();
            }
        }
    }
}
