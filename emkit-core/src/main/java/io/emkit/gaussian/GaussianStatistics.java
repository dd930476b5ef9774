package io.emkit.gaussian;

import io.emkit.kernels.BlockWorkspace;
import io.emkit.em.SufficientStatistics;

/**
 * The sufficient statistics of a Gaussian mixture's M-step, accumulated over rows with their
 * responsibilities {@code r_ic}: per component the total responsibility {@code N_c}, and the first and
 * second moments of the rows <em>centred on a shift</em> {@code s_c}: {@code Σ r (x − s_c)} and
 * {@code Σ r (x − s_c)(x − s_c)ᵀ}.
 *
 * <p>The shift is the component's mean under the parameters of the E-step, so the moments stay small
 * and the covariance {@code M2/N − (M1/N)(M1/N)ᵀ} loses no precision to cancellation even when the data
 * sit far from the origin. Only the upper triangle of each second moment is accumulated (full and tied),
 * or only its diagonal (diag and spherical).
 */
public final class GaussianStatistics implements SufficientStatistics<GaussianStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    final boolean fullSecondMoments;
    /** Replaced (never written into) by {@link #recentre}: it may be a model's own means array. */
    double[] shift;
    final double[] weight;
    final double[] first;
    final double[] second;

    GaussianStatistics(int k, int d, boolean fullSecondMoments, double[] shift) {
        this.k = k;
        this.d = d;
        this.fullSecondMoments = fullSecondMoments;
        this.shift = shift;
        this.weight = new double[k];
        this.first = new double[k * d];
        this.second = new double[fullSecondMoments ? k * d * d : k * d];
    }

    /** @return total responsibility of each component (a copy) */
    public double[] componentWeights() {
        return weight.clone();
    }

    /** @return the total weight of all rows accumulated */
    public double totalWeight() {
        double s = 0;
        for (double w : weight) {
            s += w;
        }
        return s;
    }

    /**
     * Adds rows {@code [from, to)} of a row-major array of {@code D} columns, each with a weight per
     * component {@code weights[(i - from) * K + c]} (responsibilities, or an HMM's state posteriors).
     *
     * @param x       row-major values
     * @param from    first row, inclusive
     * @param to      last row, exclusive
     * @param weights {@code (to - from) * K} non-negative weights
     */
    public void addWeighted(double[] x, int from, int to, double[] weights) {
        BlockWorkspace ws = new BlockWorkspace(d);
        for (int lo = from; lo < to; lo += BlockWorkspace.ROWS) {
            int hi = Math.min(to, lo + BlockWorkspace.ROWS);
            ws.load(x, lo, hi);
            add(ws, weights, (lo - from) * k);
        }
    }

    /**
     * Adds the rows loaded in {@code ws} with their responsibilities {@code resp[i * K + c]}.
     */
    void add(BlockWorkspace ws, double[] resp) {
        add(ws, resp, 0);
    }

    private void add(BlockWorkspace ws, double[] resp, int respOffset) {
        int b = ws.rows;
        double[] r = ws.r;
        java.util.Arrays.fill(r, b, BlockWorkspace.ROWS, 0.0);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < b; i++) {
                r[i] = resp[respOffset + i * k + c];
            }
            addComponent(ws, c, r, 0);
        }
    }

    /**
     * Adds the rows loaded in {@code ws} with the responsibilities the E-step left in {@code ws.jt},
     * component after component, zero in the padding lanes.
     *
     * @param ws the workspace holding the rows and their responsibilities
     */
    public void addFromColumns(BlockWorkspace ws) {
        for (int c = 0; c < k; c++) {
            addComponent(ws, c, ws.jt, c * BlockWorkspace.ROWS);
        }
    }

    /**
     * Component c's weighted mean, {@code shift + first/weight}.
     *
     * @param c the component, from 0, with a positive weight
     * @return D values
     */
    public double[] mean(int c) {
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            m[j] = shift[c * d + j] + first[c * d + j] / weight[c];
        }
        return m;
    }

    /**
     * Component c's weighted scatter matrix around its weighted mean, {@code Σ w (x − m)(x − m)ᵀ}, from the
     * moments about the shift (so not a difference of large numbers); only its diagonal, the rest zero, when
     * the statistics keep diagonal second moments.
     *
     * @param c the component, from 0, with a positive weight
     * @return the {@code D×D} matrix, row-major
     */
    public double[] scatter(int c) {
        double wc = weight[c];
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            m[j] = first[c * d + j] / wc;
        }
        double[] w = new double[d * d];
        for (int a = 0; a < d; a++) {
            if (fullSecondMoments) {
                int row = c * d * d + a * d;
                for (int b = a; b < d; b++) {
                    w[a * d + b] = second[row + b] - wc * m[a] * m[b];
                    w[b * d + a] = w[a * d + b];
                }
            } else {
                w[a * d + a] = second[c * d + a] - wc * m[a] * m[a];
            }
        }
        return w;
    }

    private void addComponent(BlockWorkspace ws, int c, double[] r, int rOffset) {
        double wc = ws.kernels.sum(ws, r, rOffset);
        if (wc == 0.0) {
            // Far from every row of the block: nothing to add (and no work, which is common with many components).
            return;
        }
        weight[c] += wc;
        int so = c * d;
        if (ws.singlePrecision && fullSecondMoments) {
            // The second moments' products in float, summed in double (BlockKernels#addMomentsSingle).
            ws.kernels.addMomentsSingle(ws, shift, so, r, rOffset, first, so, second, c * d * d);
        } else {
            ws.kernels.addMoments(ws, shift, so, r, rOffset, first, so, second,
                    fullSecondMoments ? c * d * d : so, fullSecondMoments);
        }
    }

    /**
     * The statistics a model implies for one row's worth of data: per component, weight {@code π_c}, first
     * moment 0 about the shift {@code μ_c}, and second moment {@code π_c (Σ_c − regCovar·I)}, so that the
     * M-step gives the model back (up to the M-step's own rounding and the jitter of a singular matrix).
     * Stepwise EM starts its running statistics here, as if the starting parameters had been estimated
     * from data.
     */
    static GaussianStatistics impliedBy(GaussianMixtureModel model, boolean fullSecondMoments, double regCovar) {
        int k = model.components();
        int d = model.dimension();
        GaussianStatistics s = new GaussianStatistics(k, d, fullSecondMoments, model.flatMeans().clone());
        double[] w = model.weights();
        for (int c = 0; c < k; c++) {
            s.weight[c] = w[c];
            double[][] cov = model.covariance(c);
            for (int a = 0; a < d; a++) {
                double diagonal = w[c] * Math.max(0.0, cov[a][a] - regCovar);
                if (fullSecondMoments) {
                    s.second[c * d * d + a * d + a] = diagonal;
                    for (int b = a + 1; b < d; b++) {
                        s.second[c * d * d + a * d + b] = w[c] * cov[a][b];
                    }
                } else {
                    s.second[c * d + a] = diagonal;
                }
            }
        }
        return s;
    }

    /**
     * Moves the moments to a new shift, exactly: with the component's weighted mean offset
     * {@code m = M1/N} about the old shift {@code a}, the scatter {@code C = M2 − N m mᵀ} does not depend
     * on the shift, and about {@code b} the moments are {@code M1' = N (m − δ)} and
     * {@code M2' = C + N (m − δ)(m − δ)ᵀ} with {@code δ = b − a}. Going through the scatter about the mean,
     * rather than expanding {@code Σ r (x − a − δ)(x − a − δ)ᵀ}, adds no cancellation beyond the one the
     * M-step makes anyway.
     *
     * @param newShift one point per component, {@code K·D} values; not kept (copied)
     */
    void recentre(double[] newShift) {
        double[] m = new double[d];
        double[] moved = new double[d];
        for (int c = 0; c < k; c++) {
            double n = weight[c];
            int so = c * d;
            for (int j = 0; j < d; j++) {
                m[j] = n > 0 ? first[so + j] / n : 0.0;
                moved[j] = m[j] - (newShift[so + j] - shift[so + j]);
                first[so + j] = n * moved[j];
            }
            for (int a = 0; a < d; a++) {
                if (fullSecondMoments) {
                    int ro = c * d * d + a * d;
                    for (int b = a; b < d; b++) {
                        double scatter = second[ro + b] - n * m[a] * m[b];
                        second[ro + b] = scatter + n * moved[a] * moved[b];
                    }
                } else {
                    double scatter = second[so + a] - n * m[a] * m[a];
                    second[so + a] = scatter + n * moved[a] * moved[a];
                }
            }
        }
        shift = newShift.clone();
    }

    /**
     * One step of a running average toward a batch's statistics: recentred on the batch's shift
     * ({@link #recentre}), then {@code s ← (1 − η) s + η other}. Stepwise EM's update, and stochastic variational
     * inference's (whose natural parameters are linear in these statistics).
     *
     * @param other statistics of the newest batch, normalised to one row's worth
     * @param eta   the step size, in (0, 1]
     */
    public void stepToward(GaussianStatistics other, double eta) {
        recentre(other.shift);
        interpolate(other, eta);
    }

    /**
     * Stepwise EM's update {@code s ← (1 − η) s + η other}, componentwise; both must have the same shift
     * (see {@link #recentre}).
     *
     * @param other statistics of the newest batch, normalised to one row's worth
     * @param eta   the step size, in (0, 1]
     */
    void interpolate(GaussianStatistics other, double eta) {
        requireSameShape(other);
        if (!java.util.Arrays.equals(shift, other.shift)) {
            throw new IllegalArgumentException("statistics about different shifts: recentre first");
        }
        double keep = 1.0 - eta;
        for (int i = 0; i < k; i++) {
            weight[i] = keep * weight[i] + eta * other.weight[i];
        }
        for (int i = 0; i < first.length; i++) {
            first[i] = keep * first[i] + eta * other.first[i];
        }
        for (int i = 0; i < second.length; i++) {
            second[i] = keep * second[i] + eta * other.second[i];
        }
    }

    /**
     * @param factor a positive number
     * @return a copy with every weight and moment multiplied by {@code factor} (the shift is unchanged)
     */
    public GaussianStatistics scaled(double factor) {
        GaussianStatistics s = new GaussianStatistics(k, d, fullSecondMoments, shift);
        for (int i = 0; i < k; i++) {
            s.weight[i] = factor * weight[i];
        }
        for (int i = 0; i < first.length; i++) {
            s.first[i] = factor * first[i];
        }
        for (int i = 0; i < second.length; i++) {
            s.second[i] = factor * second[i];
        }
        return s;
    }

    /**
     * @param copies how many components the copy has
     * @return statistics of {@code copies} components, each this one-component statistics' weight, moments and
     *         shift (what adding the same rows with weight 1 on every component gives, bit for bit: components are
     *         accumulated one after another, each alike)
     */
    GaussianStatistics replicated(int copies) {
        if (k != 1) {
            throw new IllegalArgumentException("only one component's statistics are replicated");
        }
        double[] shifts = new double[copies * d];
        GaussianStatistics s = new GaussianStatistics(copies, d, fullSecondMoments, shifts);
        for (int c = 0; c < copies; c++) {
            System.arraycopy(shift, 0, shifts, c * d, d);
            s.weight[c] = weight[0];
            System.arraycopy(first, 0, s.first, c * d, d);
            System.arraycopy(second, 0, s.second, c * second.length, second.length);
        }
        return s;
    }

    private void requireSameShape(GaussianStatistics other) {
        if (other.k != k || other.d != d || other.fullSecondMoments != fullSecondMoments) {
            throw new IllegalArgumentException("cannot combine statistics of different shapes");
        }
    }

    /**
     * Adds one row whose missing coordinates were filled with their conditional expectation, with
     * responsibility {@code r} for component {@code c}: the row's expected contribution is
     * {@code r·(x̂ − s_c)} to the first moment and {@code r·((x̂ − s_c)(x̂ − s_c)ᵀ + C)} to the second, where
     * {@code C} is the conditional covariance of the missing coordinates (zero elsewhere).
     *
     * @param completed   the row, missing coordinates replaced by their conditional mean under component c;
     *                    used as scratch space (overwritten with the row centred on the shift)
     * @param missing     the missing coordinates, ascending
     * @param conditional the conditional covariance of the missing coordinates, {@code m×m} row-major
     */
    void addCompleted(int c, double r, double[] completed, int[] missing, double[] conditional) {
        weight[c] += r;
        int so = c * d;
        double[] z = completed;
        for (int j = 0; j < d; j++) {
            z[j] = completed[j] - shift[so + j];
            first[so + j] += r * z[j];
        }
        int m = missing.length;
        if (fullSecondMoments) {
            int base = c * d * d;
            for (int a = 0; a < d; a++) {
                double ra = r * z[a];
                for (int b = a; b < d; b++) {
                    second[base + a * d + b] += ra * z[b];
                }
            }
            for (int p = 0; p < m; p++) {
                for (int q = p; q < m; q++) {
                    second[base + missing[p] * d + missing[q]] += r * conditional[p * m + q];
                }
            }
        } else {
            for (int a = 0; a < d; a++) {
                second[so + a] += r * z[a] * z[a];
            }
            for (int p = 0; p < m; p++) {
                second[so + missing[p]] += r * conditional[p * m + p];
            }
        }
    }

    /**
     * Makes the M-step keep every component's mean at the shift, the mean under which the statistics were
     * accumulated, and estimate the covariances around it: the exact M-step when the means are known (held
     * fixed). The first moments about the shift are set to zero, so the M-step's mean, shift + first / N, is the
     * shift bit for bit, and its covariance, second / N − (first / N)(first / N)ᵀ, is the scatter about the shift.
     */
    public void keepMeansAtShift() {
        java.util.Arrays.fill(first, 0.0);
    }

    @Override
    public void merge(GaussianStatistics other) {
        requireSameShape(other);
        for (int i = 0; i < k; i++) {
            weight[i] += other.weight[i];
        }
        for (int i = 0; i < first.length; i++) {
            first[i] += other.first[i];
        }
        for (int i = 0; i < second.length; i++) {
            second[i] += other.second[i];
        }
    }
}
