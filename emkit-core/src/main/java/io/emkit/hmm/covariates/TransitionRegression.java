package io.emkit.hmm.covariates;

import io.emkit.EmkitException;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The transitions of an input–output HMM: for each origin state i a multinomial logistic regression of the
 * covariates {@code x_t} (P values) of the step the chain moves into,
 * {@code P(s_t = j | s_{t−1} = i, x_t) = exp(β_ij · z_t) / Σ_l exp(β_il · z_t)} with {@code z_t = (1, x_t)} (an
 * intercept and P slopes). The reference destination of row i is i itself: {@code β_ii = 0}, so {@code β_ij} are
 * the log-odds of moving to j rather than staying in i. Immutable.
 *
 * <p>The M-step ({@link #maximize}) maximises each row's expected complete-data log-likelihood
 * {@code Q_i(β) = Σ_t Σ_j ξ_t(i, j) log P(j | i, x_t)} by Newton's method (iteratively reweighted least squares)
 * from the current coefficients, halving a step until {@code Q_i} does not decrease; a direction in which the
 * Hessian is singular (a covariate that is constant, or zero, where state i is left) is left out of the step,
 * so such a coefficient keeps its value. {@code Q_i} never decreases, so EM never lowers the likelihood (a
 * generalised EM).
 */
public final class TransitionRegression implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Newton iterations per row and M-step, at most. */
    static final int NEWTON_ITERATIONS = 25;
    /** Step halvings per Newton iteration, at most. */
    static final int HALVINGS = 30;

    private final int s;
    private final int p;
    /** {@code beta[(i · S + j) · (P + 1) + k]}: k = 0 the intercept, k ≥ 1 covariate k's slope. */
    private final double[] beta;
    private final List<String> names;

    private TransitionRegression(int s, int p, double[] beta, List<String> names) {
        this.s = s;
        this.p = p;
        this.beta = beta;
        this.names = List.copyOf(names);
    }

    /**
     * @param coefficients {@code [i][j][k]}: origin i, destination j, k = 0 the intercept and k = 1..P the slopes;
     *                     {@code [i][i]} must be all zero (state i is row i's reference)
     * @param names        the P covariates' names
     * @return the transitions
     * @throws EmkitException if the shapes disagree, a coefficient is not finite or a reference is not zero
     */
    public static TransitionRegression of(double[][][] coefficients, List<String> names) {
        int s = coefficients.length;
        int p = names.size();
        if (s < 1) {
            throw new EmkitException("transition coefficients for no states");
        }
        double[] b = new double[s * s * (p + 1)];
        for (int i = 0; i < s; i++) {
            if (coefficients[i].length != s) {
                throw new EmkitException("transition coefficients of state " + (i + 1) + ": " + coefficients[i].length
                        + " destinations, expected " + s);
            }
            for (int j = 0; j < s; j++) {
                if (coefficients[i][j].length != p + 1) {
                    throw new EmkitException("transition coefficients " + (i + 1) + " -> " + (j + 1) + ": "
                            + coefficients[i][j].length + " values, expected " + (p + 1) + " (the intercept and " + p
                            + " slopes)");
                }
                for (int k = 0; k <= p; k++) {
                    double v = coefficients[i][j][k];
                    if (!Double.isFinite(v)) {
                        throw new EmkitException("transition coefficient " + (i + 1) + " -> " + (j + 1) + ", term "
                                + (k + 1) + " is " + v + ", expected a finite number");
                    }
                    if (i == j && v != 0) {
                        throw new EmkitException("transition coefficients " + (i + 1) + " -> " + (i + 1)
                                + " must be 0: each state is its own row's reference");
                    }
                    b[(i * s + j) * (p + 1) + k] = v;
                }
            }
        }
        return new TransitionRegression(s, p, b, names);
    }

    /**
     * Transitions that do not depend on the covariates: the intercepts {@code log(a_ij / a_ii)} of a transition
     * matrix (entries below 1e-300 taken as 1e-300), the slopes 0.
     *
     * @param transitions S rows of probabilities
     * @param names       the P covariates' names
     * @return the transitions
     */
    public static TransitionRegression constant(double[][] transitions, List<String> names) {
        int s = transitions.length;
        int p = names.size();
        double[] b = new double[s * s * (p + 1)];
        for (int i = 0; i < s; i++) {
            double stay = Math.log(Math.max(transitions[i][i], 1e-300));
            for (int j = 0; j < s; j++) {
                if (j != i) {
                    b[(i * s + j) * (p + 1)] = Math.log(Math.max(transitions[i][j], 1e-300)) - stay;
                }
            }
        }
        return new TransitionRegression(s, p, b, names);
    }

    /** @return the number of states S */
    public int states() {
        return s;
    }

    /** @return the number of covariates P */
    public int covariateCount() {
        return p;
    }

    /** @return the covariates' names */
    public List<String> covariateNames() {
        return names;
    }

    /**
     * @param from origin state i
     * @param to   destination state j
     * @return {@code β_ij}: the intercept then the P slopes (a copy; all 0 for {@code j = i})
     */
    public double[] coefficients(int from, int to) {
        int o = (from * s + to) * (p + 1);
        return Arrays.copyOfRange(beta, o, o + p + 1);
    }

    /** @return {@code [i][j][k]} as {@link #of} takes them (a copy) */
    public double[][][] coefficients() {
        double[][][] out = new double[s][s][];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                out[i][j] = coefficients(i, j);
            }
        }
        return out;
    }

    /** @return the number of free coefficients, {@code S (S − 1) (P + 1)} */
    public int parameterCount() {
        return s * (s - 1) * (p + 1);
    }

    /**
     * The transition matrix at covariates {@code x}.
     *
     * @param x P covariate values
     * @return S rows of S probabilities
     */
    public double[][] matrix(double[] x) {
        if (x.length != p) {
            throw new EmkitException("the transitions take " + p + " covariates, got " + x.length);
        }
        double[] out = new double[s * s];
        matrix(x, 0, out, 0);
        double[][] m = new double[s][];
        for (int i = 0; i < s; i++) {
            m[i] = Arrays.copyOfRange(out, i * s, (i + 1) * s);
        }
        return m;
    }

    /** Writes the S × S transition matrix at covariates {@code x[xo..xo+P)} to {@code out[oo..]}. */
    void matrix(double[] x, int xo, double[] out, int oo) {
        for (int i = 0; i < s; i++) {
            row(beta, i, x, xo, out, oo + i * s);
        }
    }

    /** Row i's probabilities under coefficients {@code b} at covariates {@code x[xo..]}, into {@code out[oo..]}. */
    private void row(double[] b, int i, double[] x, int xo, double[] out, int oo) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
            int c = (i * s + j) * (p + 1);
            double eta = b[c];
            for (int k = 0; k < p; k++) {
                eta += b[c + 1 + k] * x[xo + k];
            }
            out[oo + j] = eta;
            max = Math.max(max, eta);
        }
        double sum = 0;
        for (int j = 0; j < s; j++) {
            out[oo + j] = Math.exp(out[oo + j] - max);
            sum += out[oo + j];
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < s; j++) {
            out[oo + j] *= inv;
        }
    }

    /**
     * Row i's expected complete-data log-likelihood {@code Σ_t Σ_j ξ_t(i, j) log P(j | i, x_t)} under coefficients
     * {@code b}.
     */
    private double objective(double[] b, int i, ExpectedTransitions e) {
        return objective(b, i, e, new double[s], null);
    }

    /**
     * As above; {@code lp} is scratch of S, and {@code probs}, if not null, receives row i's probabilities at every
     * step where state i is left ({@code probs[t · S + j]}), from the same exponentials.
     */
    private double objective(double[] b, int i, ExpectedTransitions e, double[] lp, double[] probs) {
        double q = 0;
        for (int t = 0; t < e.steps; t++) {
            if (e.leaving[t * s + i] == 0.0) {
                continue;
            }
            int xo = t * s * s + i * s;
            int xc = t * p;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s; j++) {
                int c = (i * s + j) * (p + 1);
                double eta = b[c];
                for (int k = 0; k < p; k++) {
                    eta += b[c + 1 + k] * e.x[xc + k];
                }
                lp[j] = eta;
                max = Math.max(max, eta);
            }
            double sum = 0;
            for (int j = 0; j < s; j++) {
                double v = Math.exp(lp[j] - max);
                if (probs != null) {
                    probs[t * s + j] = v;
                }
                sum += v;
            }
            double lse = max + Math.log(sum);
            if (probs != null) {
                double inv = 1.0 / sum;
                for (int j = 0; j < s; j++) {
                    probs[t * s + j] *= inv;
                }
            }
            for (int j = 0; j < s; j++) {
                double w = e.xi[xo + j];
                if (w != 0.0) {
                    q += w * (lp[j] - lse);
                }
            }
        }
        return q;
    }

    /**
     * The expected complete-data log-likelihood of the transitions, summed over rows.
     *
     * @param e the expected transitions
     * @return {@code Σ_i Q_i}
     */
    double objective(ExpectedTransitions e) {
        double q = 0;
        for (int i = 0; i < s; i++) {
            q += objective(beta, i, e);
        }
        return q;
    }

    /**
     * The M-step: each row's coefficients moved by Newton steps (with step halving) towards the maximiser of its
     * expected complete-data log-likelihood.
     *
     * @param e the expected transitions {@code ξ_t(i, j)} and the covariates of each transition's step
     * @return the new transitions; a row never left (no expected transitions out of it) keeps its coefficients
     */
    TransitionRegression maximize(ExpectedTransitions e) {
        return maximize(e, null);
    }

    /**
     * {@link #maximize(ExpectedTransitions)} with the rows (each independent of the others) run as tasks of
     * {@code pool}; the result does not depend on the pool.
     *
     * @param e    the expected transitions
     * @param pool where the rows run, or {@code null} for one after the other on this thread
     * @return the new transitions
     */
    TransitionRegression maximize(ExpectedTransitions e, java.util.concurrent.ForkJoinPool pool) {
        double[] b = beta.clone();
        if (s == 1) {
            return new TransitionRegression(s, p, b, names);
        }
        int width = s * (p + 1);
        java.util.List<java.util.concurrent.Callable<Void>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < s; i++) {
            int row = i;
            rows.add(() -> {
                // Each row works on its own copy (only its own coefficients are read or changed).
                double[] own = beta.clone();
                newton(own, row, e);
                System.arraycopy(own, row * width, b, row * width, width);
                return null;
            });
        }
        if (pool == null) {
            for (java.util.concurrent.Callable<Void> r : rows) {
                try {
                    r.call();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        } else {
            for (java.util.concurrent.Future<Void> f : pool.invokeAll(rows)) {
                try {
                    f.get();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ex);
                } catch (java.util.concurrent.ExecutionException ex) {
                    throw ex.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ex.getCause());
                }
            }
        }
        return new TransitionRegression(s, p, b, names);
    }

    /** Newton's method with step halving on row i's coefficients in {@code b} (changed in place). */
    private void newton(double[] b, int i, ExpectedTransitions e) {
        Row here = new Row(i, e);
        Row there = new Row(i, e);
        double current = here.evaluate(b);
        double[] trial = new double[b.length];
        for (int iter = 0; iter < NEWTON_ITERATIONS; iter++) {
            double[] step = solve(here.hessian(), here.grad, here.m);
            double decrement = 0;
            for (int u = 0; u < here.m; u++) {
                decrement += step[u] * here.grad[u];
            }
            // The decrement is about twice what the step can still gain: stop once that is below what rounding in a
            // sum of this size could hide (the last Newton steps would mostly be halved in vain).
            if (!(decrement > 1e-11 * (1.0 + Math.abs(current)))) {
                return;
            }
            double scale = 1.0;
            boolean moved = false;
            boolean gained = false;
            for (int h = 0; h < HALVINGS && !moved; h++) {
                System.arraycopy(b, 0, trial, 0, b.length);
                for (int u = 0; u < here.m; u++) {
                    trial[here.at[u]] += scale * step[u];
                }
                // One pass gives the objective and, for the next step, the gradient and Hessian at the trial.
                double value = there.evaluate(trial);
                if (value >= current) {
                    System.arraycopy(trial, 0, b, 0, b.length);
                    gained = value > current;
                    current = value;
                    moved = true;
                    Row swap = here;
                    here = there;
                    there = swap;
                }
                scale *= 0.5;
            }
            if (!gained) {
                return;
            }
        }
    }

    /**
     * Row i's objective {@code Q_i}, its gradient and its negative Hessian at given coefficients, from one pass
     * over the steps. The free coefficients are {@code β_ij}, j ≠ i, each the intercept then the P slopes.
     */
    private final class Row {
        final int i;
        final ExpectedTransitions e;
        final int q;
        final int m;
        /** The free coefficients' positions in the coefficient array. */
        final int[] at;
        /** The destinations j ≠ i, in order. */
        final int[] dest;
        final int nzz;
        final double[] grad;
        /** Per block (a, c ≥ a) of destinations, the upper triangle of {@code Σ_t w_t z_t z_tᵀ}. */
        final double[] pairs;
        private final double[] lp;
        private final double[] prob;
        private final double[] z;
        private final double[] zz;

        Row(int i, ExpectedTransitions e) {
            this.i = i;
            this.e = e;
            this.q = p + 1;
            this.m = (s - 1) * q;
            this.at = new int[m];
            this.dest = new int[s - 1];
            for (int j = 0, a = 0; j < s; j++) {
                if (j != i) {
                    dest[a] = j;
                    for (int k = 0; k < q; k++) {
                        at[a * q + k] = (i * s + j) * q + k;
                    }
                    a++;
                }
            }
            this.nzz = q * (q + 1) / 2;
            this.grad = new double[m];
            this.pairs = new double[(s - 1) * (s - 1) * nzz];
            this.lp = new double[s];
            this.prob = new double[s];
            this.z = new double[q];
            this.zz = new double[nzz];
        }

        /** {@code Q_i(b)}; leaves the gradient and the Hessian's blocks at {@code b} in this row. */
        double evaluate(double[] b) {
            Arrays.fill(grad, 0.0);
            Arrays.fill(pairs, 0.0);
            double objective = 0;
            z[0] = 1.0;
            for (int t = 0; t < e.steps; t++) {
                double g = e.leaving[t * s + i];
                if (g == 0.0) {
                    continue;
                }
                int xc = t * p;
                System.arraycopy(e.x, xc, z, 1, p);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    int c = (i * s + j) * q;
                    double eta = b[c];
                    for (int k = 0; k < p; k++) {
                        eta += b[c + 1 + k] * z[1 + k];
                    }
                    lp[j] = eta;
                    max = Math.max(max, eta);
                }
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    prob[j] = Math.exp(lp[j] - max);
                    sum += prob[j];
                }
                double lse = max + Math.log(sum);
                double inv = 1.0 / sum;
                int xo = t * s * s + i * s;
                for (int j = 0; j < s; j++) {
                    prob[j] *= inv;
                    double w = e.xi[xo + j];
                    if (w != 0.0) {
                        objective += w * (lp[j] - lse);
                    }
                }
                for (int k = 0, u = 0; k < q; k++) {
                    for (int kk = k; kk < q; kk++) {
                        zz[u++] = z[k] * z[kk];
                    }
                }
                for (int a = 0; a < s - 1; a++) {
                    int j = dest[a];
                    double r = e.xi[xo + j] - g * prob[j];
                    for (int k = 0; k < q; k++) {
                        grad[a * q + k] += r * z[k];
                    }
                    // The blocks (a, c ≥ a) of the negative Hessian: g p_j (δ_jl − p_l) z zᵀ.
                    double gp = g * prob[j];
                    for (int c = a; c < s - 1; c++) {
                        double w = gp * ((c == a ? 1.0 : 0.0) - prob[dest[c]]);
                        int o = (a * (s - 1) + c) * nzz;
                        for (int u = 0; u < nzz; u++) {
                            pairs[o + u] += w * zz[u];
                        }
                    }
                }
            }
            return objective;
        }

        /** The negative Hessian at the last evaluated coefficients, {@code m × m}. */
        double[] hessian() {
            double[] hess = new double[m * m];
            for (int a = 0; a < s - 1; a++) {
                for (int c = a; c < s - 1; c++) {
                    int o = (a * (s - 1) + c) * nzz;
                    for (int k = 0, u = 0; k < q; k++) {
                        for (int kk = k; kk < q; kk++, u++) {
                            double v = pairs[o + u];
                            hess[(a * q + k) * m + c * q + kk] = v;
                            hess[(c * q + kk) * m + a * q + k] = v;
                            hess[(a * q + kk) * m + c * q + k] = v;
                            hess[(c * q + k) * m + a * q + kk] = v;
                        }
                    }
                }
            }
            return hess;
        }
    }

    /**
     * Solves {@code H x = g} for a symmetric positive semi-definite H by a Cholesky factorisation that leaves out
     * the directions whose pivot is (relative to H's largest diagonal entry) below 1e-11: their entries of x are 0.
     */
    static double[] solve(double[] h, double[] g, int m) {
        double maxDiag = 0;
        for (int u = 0; u < m; u++) {
            maxDiag = Math.max(maxDiag, h[u * m + u]);
        }
        double[] x = new double[m];
        if (!(maxDiag > 0)) {
            return x;
        }
        double tol = 1e-11 * maxDiag;
        double[] l = new double[m * m];
        boolean[] dropped = new boolean[m];
        for (int k = 0; k < m; k++) {
            double d = h[k * m + k];
            for (int c = 0; c < k; c++) {
                d -= l[k * m + c] * l[k * m + c];
            }
            if (!(d > tol)) {
                dropped[k] = true;
                continue;
            }
            double lkk = Math.sqrt(d);
            l[k * m + k] = lkk;
            for (int r = k + 1; r < m; r++) {
                double v = h[r * m + k];
                for (int c = 0; c < k; c++) {
                    v -= l[r * m + c] * l[k * m + c];
                }
                l[r * m + k] = v / lkk;
            }
        }
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
            if (dropped[k]) {
                continue;
            }
            double v = g[k];
            for (int c = 0; c < k; c++) {
                v -= l[k * m + c] * y[c];
            }
            y[k] = v / l[k * m + k];
        }
        for (int k = m - 1; k >= 0; k--) {
            if (dropped[k]) {
                continue;
            }
            double v = y[k];
            for (int r = k + 1; r < m; r++) {
                v -= l[r * m + k] * x[r];
            }
            x[k] = v / l[k * m + k];
        }
        return x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransitionRegression r && r.s == s && r.p == p && Arrays.equals(r.beta, beta)
                && r.names.equals(names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(beta) * 31 + names.hashCode();
    }

    /**
     * The expected transitions an M-step works on: for each transition step t (the step a transition moves into),
     * its covariates and {@code ξ_t(i, j)}, and {@code leaving[t · S + i] = Σ_j ξ_t(i, j)}.
     */
    static final class ExpectedTransitions {
        final int steps;
        final double[] x;
        final double[] xi;
        final double[] leaving;

        ExpectedTransitions(int steps, double[] x, double[] xi, int s) {
            this.steps = steps;
            this.x = x;
            this.xi = xi;
            this.leaving = new double[steps * s];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < s; i++) {
                    double sum = 0;
                    for (int j = 0; j < s; j++) {
                        sum += xi[t * s * s + i * s + j];
                    }
                    leaving[t * s + i] = sum;
                }
            }
        }
    }
}
