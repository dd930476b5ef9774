package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.kernels.BlockKernels;
import io.emkit.mixture.RowwiseMixtureModel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A fitted mixture of factor analysers: component {@code k} has weight {@code π_k}, mean {@code μ_k} and
 * covariance {@code Σ_k = Λ_k Λ_kᵀ + Ψ_k}, with {@code Λ_k} a {@code D × Q} matrix of factor loadings and
 * {@code Ψ_k} a diagonal matrix of uniquenesses (each row is {@code μ_k + Λ_k z + ε}, {@code z ~ N(0, I_Q)},
 * {@code ε ~ N(0, Ψ_k)}). Immutable and thread-safe.
 *
 * <p>Densities never form a {@code D × D} matrix: with {@code M_k = I_Q + Λ_kᵀ Ψ_k⁻¹ Λ_k}, the Woodbury identity
 * {@code Σ⁻¹ = Ψ⁻¹ − Ψ⁻¹ Λ M⁻¹ Λᵀ Ψ⁻¹} and the matrix-determinant lemma {@code |Σ| = |Ψ|·|M|} give a row's
 * squared Mahalanobis distance and the log determinant in {@code O(D·Q + Q²)} per row and component, after an
 * {@code O(D·Q² + Q³)} preparation per component.
 *
 * <p>Rows with missing values are not evaluated yet: they are refused with a message naming the row.
 */
public final class FactorAnalyserMixtureModel extends RowwiseMixtureModel {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int q;
    private final double[] weights;
    /** Means, component after component. */
    private final double[] means;
    /** Per component: the loadings, {@code D × Q} row-major. */
    private final double[][] loadings;
    /** Per component: the uniquenesses, D positive numbers. */
    private final double[][] uniquenesses;
    /** Per component: {@code 1/ψ_j}. */
    private final double[][] inverseUniquenesses;
    /** Per component: the lower Cholesky factor of {@code M = I + ΛᵀΨ⁻¹Λ}, {@code Q × Q}. */
    private final double[][][] innerFactor;
    /** Per component: {@code ln π_k − ½(D ln 2π + ln|Σ_k|)}, the log joint density at the mean. */
    private final double[] logPeak;
    /** Per component: {@code ½ ln|Σ_k|}. */
    private final double[] halfLogDet;

    /**
     * @param weights      K weights, finite, &ge; 0, summing to 1
     * @param means        K means of D values
     * @param loadings     K matrices of {@code D × Q} finite loadings, {@code 1 ≤ Q < D}
     * @param uniquenesses K vectors of D finite uniquenesses &gt; 0
     * @param featureNames D names, or {@code null} for {@code x1..xD}
     * @throws EmkitException if a shape does not match, a value is not finite, a weight is negative, the weights
     *                        do not sum to 1, a uniqueness is not positive or Q is not between 1 and D − 1
     */
    public FactorAnalyserMixtureModel(double[] weights, double[][] means, double[][][] loadings, double[][] uniquenesses,
                                      List<String> featureNames) {
        super(weights.length, dimensionOf(means), featureNamesOrDefault(featureNames, dimensionOf(means)));
        if (k < 1) {
            throw new EmkitException("a mixture of factor analysers needs at least one component");
        }
        requireCount("means", means.length);
        requireCount("loadings", loadings.length);
        requireCount("uniquenesses", uniquenesses.length);
        this.q = loadings[0].length == 0 ? 0 : loadings[0][0].length;
        if (q < 1 || q >= d) {
            throw new EmkitException("a factor analyser of " + d + " features needs between 1 and " + (d - 1)
                    + " factors, got " + q);
        }
        this.weights = weights.clone();
        requireWeights(weights);
        this.means = new double[k * d];
        this.loadings = new double[k][d * q];
        this.uniquenesses = new double[k][];
        this.inverseUniquenesses = new double[k][d];
        this.innerFactor = new double[k][][];
        this.logPeak = new double[k];
        this.halfLogDet = new double[k];
        for (int c = 0; c < k; c++) {
            String component = "component " + (c + 1) + ": ";
            requireFinite(means[c], d, component + "mean");
            System.arraycopy(means[c], 0, this.means, c * d, d);
            if (loadings[c].length != d) {
                throw new EmkitException(component + "loadings have " + loadings[c].length + " rows, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                requireFinite(loadings[c][j], q, component + "loadings row " + (j + 1));
                System.arraycopy(loadings[c][j], 0, this.loadings[c], j * q, q);
            }
            requireFinite(uniquenesses[c], d, component + "uniquenesses");
            this.uniquenesses[c] = uniquenesses[c].clone();
            double logDetPsi = 0;
            for (int j = 0; j < d; j++) {
                double psi = uniquenesses[c][j];
                if (!(psi > 0)) {
                    throw new EmkitException(component + "uniqueness " + (j + 1) + " must be > 0, got " + psi);
                }
                inverseUniquenesses[c][j] = 1 / psi;
                logDetPsi += Math.log(psi);
            }
            double[][] lower = innerFactor(c);
            if (lower == null) {
                throw new EmkitException(component + "I + ΛᵀΨ⁻¹Λ is not positive definite (loadings too large)");
            }
            innerFactor[c] = lower;
            double logDetM = 0;
            for (int a = 0; a < q; a++) {
                logDetM += 2 * Math.log(lower[a][a]);
            }
            halfLogDet[c] = 0.5 * (logDetPsi + logDetM);
            logPeak[c] = Math.log(weights[c]) - 0.5 * (d * LOG_2PI + logDetPsi + logDetM);
        }
    }

    private static int dimensionOf(double[][] means) {
        if (means.length == 0 || means[0].length == 0) {
            throw new EmkitException("a mixture of factor analysers needs at least one component and one feature");
        }
        return means[0].length;
    }

    private void requireCount(String what, int count) {
        if (count != k) {
            throw new EmkitException("expected " + k + " " + what + " (one per component), got " + count);
        }
    }

    private static void requireFinite(double[] v, int length, String what) {
        if (v.length != length) {
            throw new EmkitException(what + " has " + v.length + " values, expected " + length);
        }
        for (int j = 0; j < length; j++) {
            if (!Double.isFinite(v[j])) {
                throw new EmkitException(what + ": value " + (j + 1) + " is not finite (" + v[j] + ")");
            }
        }
    }

    /**
     * The lower Cholesky factor of {@code M = I + ΛᵀΨ⁻¹Λ} of component c, {@code Q × Q}, as the transposed R of a
     * Householder QR of the stacked {@code [I; Ψ^(−1/2)Λ]} ({@code (Q + D) × Q}), whose {@code RᵀR} is M: forming
     * M and factoring it loses M's identity part to rounding when some uniquenesses are tiny and the loadings
     * nearly dependent (a component collapsing), the QR never does; {@code null} if a pivot is not finite.
     */
    private double[][] innerFactor(int c) {
        double[] l = loadings[c];
        double[] inv = inverseUniquenesses[c];
        int rows = q + d;
        double[][] a = new double[q][rows];
        for (int b = 0; b < q; b++) {
            a[b][b] = 1;
            for (int j = 0; j < d; j++) {
                a[b][q + j] = l[j * q + b] * Math.sqrt(inv[j]);
            }
        }
        // a[b] is column b; Householder reflections zero each column below its diagonal, in order.
        for (int b = 0; b < q; b++) {
            double[] col = a[b];
            double norm = 0;
            for (int i = b; i < rows; i++) {
                norm += col[i] * col[i];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                return null;
            }
            double alpha = col[b] > 0 ? -norm : norm;
            double[] v = new double[rows];
            v[b] = col[b] - alpha;
            for (int i = b + 1; i < rows; i++) {
                v[i] = col[i];
            }
            double vv = 0;
            for (int i = b; i < rows; i++) {
                vv += v[i] * v[i];
            }
            for (int e = b; e < q; e++) {
                double[] target = a[e];
                double dot = 0;
                for (int i = b; i < rows; i++) {
                    dot += v[i] * target[i];
                }
                double f = vv > 0 ? 2 * dot / vv : 0;
                for (int i = b; i < rows; i++) {
                    target[i] -= f * v[i];
                }
            }
        }
        double[][] lower = new double[q][q];
        for (int b = 0; b < q; b++) {
            double sign = a[b][b] < 0 ? -1 : 1;
            for (int e = b; e < q; e++) {
                // R[b][e] = a[e][b]; rows of R flipped so that its diagonal is positive; L = Rᵀ.
                lower[e][b] = sign * a[e][b];
            }
        }
        return lower;
    }

    /** @return the number of factors Q of every component */
    public int factors() {
        return q;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * @param c a component, from 0
     * @return its mean, D values (a copy)
     */
    public double[] mean(int c) {
        return Arrays.copyOfRange(means, c * d, (c + 1) * d);
    }

    /** @return the means, {@code K × D} (a copy) */
    public double[][] means() {
        return rows(means, k, d);
    }

    /**
     * @param c a component, from 0
     * @return its loadings {@code Λ_c}, {@code D × Q} (a copy)
     */
    public double[][] loadings(int c) {
        double[][] out = new double[d][];
        for (int j = 0; j < d; j++) {
            out[j] = Arrays.copyOfRange(loadings[c], j * q, (j + 1) * q);
        }
        return out;
    }

    /**
     * @param c a component, from 0
     * @return its uniquenesses, the diagonal of {@code Ψ_c} (a copy)
     */
    public double[] uniquenesses(int c) {
        return uniquenesses[c].clone();
    }

    /**
     * The covariance matrix of a component, formed in full: for reports and checks on small {@code D}; the
     * model itself never needs it.
     *
     * @param c a component, from 0
     * @return {@code Λ_c Λ_cᵀ + Ψ_c}, {@code D × D}
     */
    public double[][] covariance(int c) {
        double[] l = loadings[c];
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int a = 0; a < q; a++) {
                    s += l[i * q + a] * l[j * q + a];
                }
                out[i][j] = s;
                out[j][i] = s;
            }
            out[i][i] += uniquenesses[c][i];
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code K − 1} weights, {@code K·D} means and per component {@code D·Q − Q(Q − 1)/2} loadings (the
     * loadings are determined only up to a rotation of the factors) and D uniquenesses: McLachlan and Peel
     * (2000, §8.5).
     */
    @Override
    public int parameterCount() {
        return parameterCount(k, d, q);
    }

    /**
     * The free parameters of a mixture of factor analysers, as counted for BIC.
     *
     * @param k components
     * @param d features
     * @param q factors per component
     * @return {@code K − 1 + K·D + K·(D·Q − Q(Q − 1)/2 + D)}
     */
    public static int parameterCount(int k, int d, int q) {
        return Math.toIntExact(k - 1L + (long) k * d + (long) k * ((long) d * q - (long) q * (q - 1) / 2 + d));
    }

    /**
     * The mixture of factor analysers closest to a Gaussian mixture, as fits start ({@link FactorStarts}: each
     * covariance's probabilistic PCA with Q factors).
     *
     * @param gaussian a Gaussian mixture of any covariance structure
     * @param q        factors per component, {@code 1 ≤ Q < D}
     * @return the same weights and means, with loadings and uniquenesses from the covariances
     */
    public static FactorAnalyserMixtureModel fromGaussian(io.emkit.gaussian.GaussianMixtureModel gaussian, int q) {
        return FactorStarts.fromGaussian(gaussian, q);
    }

    /**
     * @param names the features' names, D of them
     * @return this model with its features so named
     */
    public FactorAnalyserMixtureModel withFeatureNames(List<String> names) {
        double[][][] l = new double[k][][];
        double[][] psi = new double[k][];
        for (int c = 0; c < k; c++) {
            l[c] = loadings(c);
            psi[c] = uniquenesses(c);
        }
        return new FactorAnalyserMixtureModel(weights, means(), l, psi, names);
    }

    // ---------------------------------------------------------------------------------------------- kernel

    /**
     * A row's log joint density under component c, {@code ln π_c + ln N(x; μ_c, Σ_c)}, by the Woodbury
     * identity. Leaves in {@code factor[0, Q)} the posterior mean of the factors {@code E[z | x, c] = M⁻¹ΛᵀΨ⁻¹(x − μ)}.
     *
     * @param x      the rows
     * @param offset where the row starts in {@code x}
     * @param c      the component
     * @param factor Q doubles to receive the factors' posterior mean
     * @return the log joint density
     */
    double logJoint(double[] x, int offset, int c, double[] factor) {
        return logPeak[c] - 0.5 * squaredDistance(x, offset, c, factor);
    }

    /**
     * A complete row's squared Mahalanobis distance to component c, {@code (x − μ_c)ᵀ Σ_c⁻¹ (x − μ_c)}, by the
     * Woodbury identity; leaves in {@code factor[0, Q)} the factors' posterior mean, as {@link #logJoint} does.
     *
     * @param x      the rows
     * @param offset where the row starts in {@code x}
     * @param c      the component
     * @param factor Q doubles to receive the factors' posterior mean
     * @return the distance, &ge; 0 (NaN if the row has a missing value)
     */
    double squaredDistance(double[] x, int offset, int c, double[] factor) {
        // The portable kernels' loop over one row (a block of one, its projections one apart).
        double[] dist = new double[1];
        BlockKernels.PORTABLE.factorProjections(x, offset, null, 1, 1, d, means, c * d, inverseUniquenesses[c],
                loadings[c], q, dist, factor);
        return removeFactors(c, dist[0], factor);
    }

    /**
     * A complete row's squared distance to component c from its parts: {@code eᵀΨ⁻¹e} and {@code b = ΛᵀΨ⁻¹e}
     * in {@code factor[0, Q)}, which it replaces by the factors' posterior mean {@code M⁻¹b}.
     *
     * @param c      the component
     * @param dist   {@code eᵀΨ⁻¹e}
     * @param factor {@code b} in, {@code M⁻¹b} out
     * @return {@code max(0, eᵀΨ⁻¹e − bᵀM⁻¹b)}
     */
    double removeFactors(int c, double dist, double[] factor) {
        // With M = L Lᵀ and y = L⁻¹b, δ = eᵀΨ⁻¹e − |y|², and E[z | x] = L⁻ᵀ y.
        double[][] lower = innerFactor[c];
        for (int a = 0; a < q; a++) {
            double v = factor[a];
            for (int b = 0; b < a; b++) {
                v -= lower[a][b] * factor[b];
            }
            v /= lower[a][a];
            factor[a] = v;
            dist -= v * v;
        }
        for (int a = q - 1; a >= 0; a--) {
            double v = factor[a];
            for (int b = a + 1; b < q; b++) {
                v -= lower[b][a] * factor[b];
            }
            factor[a] = v / lower[a][a];
        }
        return Math.max(0.0, dist);
    }

    /**
     * @param c a component, from 0
     * @return {@code ½ ln|Σ_c| = ½(ln|Ψ_c| + ln|M_c|)}
     */
    double halfLogDeterminant(int c) {
        return halfLogDet[c];
    }

    /**
     * A row's log joint density under component c over its observed coordinates o (those not {@code NaN}):
     * {@code ln π_c + ln N(x_o; μ_o, Λ_oΛ_oᵀ + Ψ_o)}, by the Woodbury identity with {@code M_o = I + Λ_oᵀΨ_o⁻¹Λ_o}.
     * Leaves the factors' posterior given the observed coordinates: mean {@code M_o⁻¹Λ_oᵀΨ_o⁻¹(x_o − μ_o)} in
     * {@code factor[0, Q)} and covariance {@code M_o⁻¹} in {@code covariance[0, Q²)} (row-major). A row that
     * observes nothing gets {@code ln π_c}, the prior mean 0 and covariance I.
     *
     * @param x          the rows
     * @param offset     where the row starts in {@code x}
     * @param c          the component
     * @param factor     Q doubles to receive the factors' posterior mean
     * @param covariance Q² doubles to receive their posterior covariance
     * @return the log joint density over the observed coordinates
     */
    double logJointObserved(double[] x, int offset, int c, double[] factor, double[] covariance) {
        double[] terms = new double[3];
        int observed = observedTerms(x, offset, c, factor, covariance, terms);
        return Math.log(weights[c]) - 0.5 * (observed * LOG_2PI + terms[1] + terms[2] + Math.max(0.0, terms[0]));
    }

    /**
     * The parts of {@link #logJointObserved}: leaves the factors' posterior mean and covariance given the row's
     * observed coordinates o as it does, and in {@code terms} the squared Mahalanobis distance
     * {@code (x_o − μ_o)ᵀ Σ_oo⁻¹ (x_o − μ_o)}, {@code ln|Ψ_o|} and {@code ln|M_o|} (so {@code ln|Σ_oo|} is their
     * sum, by the matrix-determinant lemma).
     *
     * @param x          the rows
     * @param offset     where the row starts in {@code x}
     * @param c          the component
     * @param factor     Q doubles to receive the factors' posterior mean
     * @param covariance Q² doubles to receive their posterior covariance
     * @param terms      3 doubles to receive the distance, {@code ln|Ψ_o|} and {@code ln|M_o|}
     * @return the number of observed coordinates
     */
    int observedTerms(double[] x, int offset, int c, double[] factor, double[] covariance, double[] terms) {
        double[] l = loadings[c];
        double[] inv = inverseUniquenesses[c];
        double[] psi = uniquenesses[c];
        int mo = c * d;
        Arrays.fill(factor, 0, q, 0.0);
        double[][] m = new double[q][q];
        for (int a = 0; a < q; a++) {
            m[a][a] = 1;
        }
        double dist = 0;
        double logDetPsi = 0;
        int observed = 0;
        for (int j = 0; j < d; j++) {
            double xj = x[offset + j];
            if (Double.isNaN(xj)) {
                continue;
            }
            observed++;
            logDetPsi += Math.log(psi[j]);
            double e = xj - means[mo + j];
            double we = e * inv[j];
            dist += e * we;
            int row = j * q;
            for (int a = 0; a < q; a++) {
                factor[a] += l[row + a] * we;
                double la = l[row + a] * inv[j];
                for (int b = 0; b <= a; b++) {
                    m[a][b] += la * l[row + b];
                }
            }
        }
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < a; b++) {
                m[b][a] = m[a][b];
            }
        }
        double[][] lower = io.emkit.kernels.Linalg.choleskyLower(m);
        if (lower == null) {
            throw new EmkitException("component " + (c + 1) + ": the factors' posterior precision over a row's"
                    + " observed values is not positive definite");
        }
        double logDetM = 0;
        for (int a = 0; a < q; a++) {
            logDetM += 2 * Math.log(lower[a][a]);
        }
        double[] y = choleskySolve(lower, factor);
        for (int a = 0; a < q; a++) {
            dist -= factor[a] * y[a];
        }
        System.arraycopy(y, 0, factor, 0, q);
        for (int e = 0; e < q; e++) {
            double[] unit = new double[q];
            unit[e] = 1;
            System.arraycopy(choleskySolve(lower, unit), 0, covariance, e * q, q);
        }
        terms[0] = dist;
        terms[1] = logDetPsi;
        terms[2] = logDetM;
        return observed;
    }

    /** Component c's uniqueness of feature j, not copied: for the steps. */
    double uniquenessAt(int c, int j) {
        return uniquenesses[c][j];
    }

    /** @return {@code true}: a row with missing values is evaluated on its observed coordinates */
    @Override
    protected boolean evaluatesMissingValues() {
        return true;
    }

    /** @return the posterior covariance of component c's factors, {@code M⁻¹}, {@code Q × Q} */
    double[][] factorCovariance(int c) {
        double[][] inv = new double[q][];
        for (int e = 0; e < q; e++) {
            double[] unit = new double[q];
            unit[e] = 1;
            inv[e] = choleskySolve(innerFactor[c], unit); // M⁻¹ is symmetric: its columns are its rows
        }
        return inv;
    }

    /**
     * Solves {@code L Lᵀ y = b}.
     *
     * @param lower a lower Cholesky factor L
     * @param b     the right-hand side
     * @return y
     */
    static double[] choleskySolve(double[][] lower, double[] b) {
        int m = b.length;
        double[] y = Arrays.copyOf(b, m);
        for (int i = 0; i < m; i++) {
            double v = y[i];
            for (int j = 0; j < i; j++) {
                v -= lower[i][j] * y[j];
            }
            y[i] = v / lower[i][i];
        }
        for (int i = m - 1; i >= 0; i--) {
            double v = y[i];
            for (int j = i + 1; j < m; j++) {
                v -= lower[j][i] * y[j];
            }
            y[i] = v / lower[i][i];
        }
        return y;
    }

    @Override
    protected RowEvaluator rowEvaluator() {
        double[] factor = new double[q];
        double[] covariance = new double[q * q];
        return (x, offset, joint) -> {
            boolean missing = false;
            for (int j = 0; j < d && !missing; j++) {
                missing = Double.isNaN(x[offset + j]);
            }
            for (int c = 0; c < k; c++) {
                joint[c] = missing ? logJointObserved(x, offset, c, factor, covariance) : logJoint(x, offset, c, factor);
            }
        };
    }

    /** Component c's loadings, {@code D × Q} row-major, not copied: for the steps, which only read them. */
    double[] loadingsFlat(int c) {
        return loadings[c];
    }

    /** {@code ln π_c} plus the log of the normalising constant of component c's density. */
    double logPeak(int c) {
        return logPeak[c];
    }

    /** Every component's mean, component after component ({@code c·D + j}), not copied: for the steps. */
    double[] meansFlat() {
        return means;
    }

    /** Component c's {@code 1/ψ_j}, not copied: for the steps. */
    double[] inverseUniquenessesFlat(int c) {
        return inverseUniquenesses[c];
    }

    /** Component c's mean, not copied: for the steps, which only read it. */
    double meanAt(int c, int j) {
        return means[c * d + j];
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each row is drawn as the model says: a component by its weight, then {@code μ + Λz + ε} with
     * {@code z ~ N(0, I_Q)} and {@code ε_j ~ N(0, ψ_j)}, all from one stream.
     *
     * @throws EmkitException if {@code n} is negative
     */
    @Override
    public Sample sample(int n, long seed) {
        if (n < 0) {
            throw new EmkitException("the number of samples must be >= 0, got " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[Math.multiplyExact(n, d)];
        int[] labels = new int[n];
        double[] z = new double[q];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int c = 0;
            double acc = weights[0];
            while (c < k - 1 && u >= acc) {
                c++;
                acc += weights[c];
            }
            labels[i] = c;
            for (int a = 0; a < q; a++) {
                z[a] = random.nextGaussian();
            }
            double[] l = loadings[c];
            for (int j = 0; j < d; j++) {
                double v = means[c * d + j] + Math.sqrt(uniquenesses[c][j]) * random.nextGaussian();
                for (int a = 0; a < q; a++) {
                    v += l[j * q + a] * z[a];
                }
                values[i * d + j] = v;
            }
        }
        return new Sample(Dataset.wrap(values, n, d, featureNames()), labels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FactorAnalyserMixtureModel m && m.q == q && m.d == d && m.featureNames.equals(featureNames)
                && Arrays.equals(m.weights, weights) && Arrays.equals(m.means, means)
                && Arrays.deepEquals(m.loadings, loadings) && Arrays.deepEquals(m.uniquenesses, uniquenesses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(q, d, Arrays.hashCode(weights), Arrays.hashCode(means), Arrays.deepHashCode(loadings));
    }

    @Override
    public String toString() {
        return "FactorAnalyserMixtureModel[" + k + " components, " + d + " features, " + q + " factors]";
    }
}
