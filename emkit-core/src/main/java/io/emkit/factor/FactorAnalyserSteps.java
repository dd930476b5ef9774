package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.data.Rows;
import io.emkit.em.PartitionSteps;
import io.emkit.em.ParameterVector;
import io.emkit.kernels.Linalg;
import io.emkit.mixture.EmptyComponents;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * EM's two steps for a mixture of factor analysers, as the single-cycle EM of Ghahramani and Hinton (1996)
 * with a diagonal {@code Ψ_k} per component: the missing data are each row's component and its factors, and
 * one E-step gives per row and component the responsibility {@code r_ik} and the factors' posterior
 * {@code z | x, k ~ N(M_k⁻¹Λ_kᵀΨ_k⁻¹(x − μ_k), M_k⁻¹)} ({@link FactorAnalyserMixtureModel#logJoint}).
 *
 * <p>The M-step maximises the expected complete-data log-likelihood jointly: the weights are
 * {@code π_k = n_k/n}; for each component, the mean and loadings are the weighted least-squares regression of the
 * rows on the augmented factors {@code (z, 1)}: with {@code e = x − μ_k} (the E-step's mean),
 * <pre>
 *   [Λ_new, μ_new − μ_k] = B A⁻¹,   B = [Σ r e zᵀ, Σ r e],   A = [[n_k M⁻¹ + Σ r z zᵀ, Σ r z], [Σ r zᵀ, n_k]],
 *   ψ_new,j = (Σ r e_j² − Σ_a [Λ_new, μ_new − μ_k]_ja B_ja) / n_k   (+ regCovar).
 * </pre>
 * Both are exact maximisers of the expected complete-data log-likelihood (the loadings' rows do not depend on
 * the diagonal {@code Ψ}), so without {@code regCovar} each iteration is an EM iteration and the log-likelihood
 * never decreases. The statistics are {@code O(K·D·Q)} ({@link FactorAnalyserStatistics}); so is the work per
 * row and component, and the M-step costs {@code O(K·(D·Q² + Q³))}. McLachlan and Peel's AECM (2000, §8.4)
 * reaches the same fixed points with two E-steps per iteration; this single-cycle form needs one, which is what
 * the engine's seam (one E-step, one M-step) runs.
 *
 * <p>Rows may carry weights (a row of weight w counts as w copies). A row with missing values ({@code NaN}) is
 * evaluated on its observed coordinates o, whose marginal is {@code N(μ_o, Λ_oΛ_oᵀ + Ψ_o)}, and adds its expected
 * statistics given them ({@link FactorAnalyserStatistics}); the M-step is the same exact maximiser, with each such
 * row's own posterior covariance of the factors in place of {@code M⁻¹}.
 * EM for factor analysers converges slowly (the loadings' rotation and the uniquenesses trade off along flat
 * directions), so the parameters map to a vector for SQUAREM ({@link #parameterVector()}).
 */
public final class FactorAnalyserSteps implements PartitionSteps.OfRows<FactorAnalyserMixtureModel, FactorAnalyserStatistics> {
    private static final long serialVersionUID = 1L;
    /** The smallest uniqueness an M-step gives, as a fraction of the feature's variance in the component. */
    static final double MIN_UNIQUENESS = 1e-10;

    private final double regCovar;

    /**
     * @param regCovar added to every uniqueness in every M-step (&ge; 0), which keeps them away from 0
     * @throws EmkitException if {@code regCovar} is negative or not finite
     */
    public FactorAnalyserSteps(double regCovar) {
        if (!(regCovar >= 0) || !Double.isFinite(regCovar)) {
            throw new EmkitException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        this.regCovar = regCovar;
    }

    @Override
    public FactorAnalyserStatistics emptyStatistics(FactorAnalyserMixtureModel params) {
        return new FactorAnalyserStatistics(params.components(), params.dimension(), params.factors());
    }

    /**
     * The E-step over rows {@code [from, to)}: each row's log joint density and factors' posterior mean under
     * every component by the Woodbury identity, then its responsibilities, added with its offsets and factors
     * into the statistics; {@code O(D·Q + Q²)} per row and component.
     */
    @Override
    public double accumulate(FactorAnalyserMixtureModel params, Rows data, int from, int to,
                             FactorAnalyserStatistics stats) {
        FactorBlock block = FactorBlock.over(data, params);
        return block.accumulate(data, from, to, params, stats, new FactorBlock.RowTerms() {
            @Override
            public double logJoint(int c, double delta) {
                return params.logPeak(c) - 0.5 * delta;
            }

            @Override
            public double weightInSums(int c, double r, double delta) {
                return r;
            }

            @Override
            public double logJointObserved(double[] x, int offset, int c, double[] factor, double[] covariance) {
                return params.logJointObserved(x, offset, c, factor, covariance);
            }

            @Override
            public double scaleObserved(int c, double r, int observed) {
                return 1.0;
            }
        });
    }

    /**
     * Adds one row with missing values, of responsibility r (times weight), to component c's sums: its
     * expectations given its observed coordinates (see {@link FactorAnalyserStatistics}), the factors' posterior
     * mean {@code ẑ} at {@code factors[fo, fo + Q)} and covariance {@code V} at {@code covariances[vo, vo + Q²)}.
     * A t component's row (t factor analysers) also has its expected scale u: the scaled count, offsets and factors
     * get {@code r·u} and {@code E[u zzᵀ] = u ẑẑᵀ + V}; the incomplete rows' count and {@code Σ r V} get r. A Gaussian
     * row has u = 1 (then {@code r·u} is r to the bit).
     */
    static void addIncompleteRow(FactorAnalyserStatistics s, int c, double r, double u, double[] x, int offset,
                                 FactorAnalyserMixtureModel params, double[] factors, int fo, double[] covariances,
                                 int vo) {
        int d = s.d;
        int q = s.q;
        double ru = r * u;
        s.responsibility[c] += ru;
        s.incompleteResponsibility[c] += r;
        double[] ezz = new double[q * q];
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                ezz[a * q + b] = u * factors[fo + a] * factors[fo + b] + covariances[vo + a * q + b];
            }
        }
        double[] l = params.loadingsFlat(c);
        double[] sumE = s.offset[c];
        double[] sumE2 = s.squaredOffset[c];
        double[] sumEz = s.offsetFactor[c];
        for (int j = 0; j < d; j++) {
            double xj = x[offset + j];
            int row = j * q;
            if (!Double.isNaN(xj)) {
                double v = xj - params.meanAt(c, j);
                double rv = ru * v;
                sumE[j] += rv;
                sumE2[j] += rv * v;
                for (int a = 0; a < q; a++) {
                    sumEz[row + a] += rv * factors[fo + a];
                }
                continue;
            }
            double mean = 0;
            double square = params.uniquenessAt(c, j);
            for (int a = 0; a < q; a++) {
                mean += l[row + a] * factors[fo + a];
                double ez = 0;
                for (int b = 0; b < q; b++) {
                    ez += l[row + b] * ezz[b * q + a];
                }
                sumEz[row + a] += r * ez;
                square += ez * l[row + a];
            }
            sumE[j] += ru * mean;
            sumE2[j] += r * square;
        }
        double[] sumZ = s.factor[c];
        double[] sumZz = s.factorSquares[c];
        double[] sumV = s.incompleteFactorCovariance[c];
        for (int a = 0; a < q; a++) {
            double rz = ru * factors[fo + a];
            sumZ[a] += rz;
            for (int b = 0; b < q; b++) {
                sumZz[a * q + b] += rz * factors[fo + b];
                sumV[a * q + b] += r * covariances[vo + a * q + b];
            }
        }
    }

    @Override
    public FactorAnalyserMixtureModel maximize(FactorAnalyserStatistics s, FactorAnalyserMixtureModel previous,
                                               Consumer<String> warnings) {
        return maximizeFactorAnalysers(s, s.responsibility, previous, "mean", regCovar, new boolean[s.k], warnings);
    }

    /**
     * The M-step's weights, means, loadings and uniquenesses from the factor analysers' sums: shared by the
     * Gaussian factor analysers and the t factor analysers ({@link StudentFactorAnalyserSteps}), whose M-steps
     * differ only in the rows' weights in the sums (r, or r·u) and in the counts the weights come from, both given
     * here. An empty component, or one whose factors' second moments are singular, keeps its last parameters.
     *
     * @param s        the sums (a t component's weighted by r·u)
     * @param counts   per component its count of rows Σ r, whose share of the total is its weight
     * @param previous the parameters the sums were made under
     * @param location what the warnings call a component's mean ("mean"; a t component's "location")
     * @param regCovar added to every uniqueness
     * @param fitted   receives per component whether it was fitted
     * @param warnings receives a message per empty, singular or floored component
     * @return the factor analysers
     * @throws EmkitException if the counts are all 0
     */
    static FactorAnalyserMixtureModel maximizeFactorAnalysers(FactorAnalyserStatistics s, double[] counts,
                                                              FactorAnalyserMixtureModel previous, String location,
                                                              double regCovar, boolean[] fitted,
                                                              Consumer<String> warnings) {
        int k = s.k;
        double total = Linalg.sum(counts);
        if (!(total > 0)) {
            throw new EmkitException("no weight to fit: every row has zero probability under the model");
        }
        double[] weights = new double[k];
        double[][] means = new double[k][];
        double[][][] loadings = new double[k][][];
        double[][] uniquenesses = new double[k][];
        for (int c = 0; c < k; c++) {
            double n = counts[c];
            weights[c] = n / total;
            means[c] = previous.mean(c);
            loadings[c] = previous.loadings(c);
            uniquenesses[c] = previous.uniquenesses(c);
            if (EmptyComponents.isEmpty(n, total) || !(s.responsibility[c] > 0)) {
                warnings.accept(EmptyComponents.warning(c, "it keeps its last " + location
                        + ", loadings and uniquenesses with weight ~0"));
                continue;
            }
            double[][] augmented = regression(s, c, n, previous.factorCovariance(c));
            if (augmented == null) {
                warnings.accept("component " + (c + 1) + ": its factors' second moments are singular; it keeps its"
                        + " last loadings and uniquenesses");
                continue;
            }
            fitted[c] = true;
            // The uniquenesses divide by the rows' count n = Σ r, not by a t component's scaled count Σ r·u.
            warnIfFloored(warnings, c, maximizeComponent(s, c, n, augmented, means[c], loadings[c], uniquenesses[c],
                    regCovar));
        }
        return new FactorAnalyserMixtureModel(weights, means, loadings, uniquenesses, previous.featureNames());
    }

    /**
     * Component c's regression of the offsets on the augmented factors: {@code B A⁻¹}, one row of {@code Q + 1}
     * coefficients per feature (loadings, then the mean's shift), or {@code null} if {@code A} is singular.
     * {@code rows} is the component's count of rows, Σ r: the posterior covariance M⁻¹ counts each row once, also
     * for t components, whose other sums are weighted by r·u (then {@code s.responsibility} is Σ r·u).
     */
    static double[][] regression(FactorAnalyserStatistics s, int c, double rows, double[][] factorCovariance) {
        int d = s.d;
        int q = s.q;
        double[][] a = new double[q + 1][q + 1];
        double incomplete = s.incompleteResponsibility[c];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < q; j++) {
                // Complete rows share the posterior covariance M⁻¹; rows with missing values have their own.
                a[i][j] = incomplete == 0 ? rows * factorCovariance[i][j] + s.factorSquares[c][i * q + j]
                        : (rows - incomplete) * factorCovariance[i][j] + s.incompleteFactorCovariance[c][i * q + j]
                                + s.factorSquares[c][i * q + j];
            }
            a[i][q] = s.factor[c][i];
            a[q][i] = s.factor[c][i];
        }
        a[q][q] = s.responsibility[c];
        double[][] lower = Linalg.choleskyLower(a);
        if (lower == null) {
            return null;
        }
        double[][] out = new double[d][];
        double[] b = new double[q + 1];
        for (int j = 0; j < d; j++) {
            System.arraycopy(s.offsetFactor[c], j * q, b, 0, q);
            b[q] = s.offset[c][j];
            out[j] = FactorAnalyserMixtureModel.choleskySolve(lower, b);
        }
        return out;
    }

    /**
     * Component c's M-step from its regression: the loadings and the mean's shift are the coefficients, each
     * uniqueness the residual over {@code rows} (Σ r) plus {@code regCovar}. The residual variance is ≥ 0 in exact
     * arithmetic; a feature the factors explain (almost) entirely, as on a component collapsing onto D rows or
     * fewer, keeps a floor relative to its variance rather than a zero uniqueness (the likelihood's singularity).
     *
     * @return how many uniquenesses were held at the floor
     */
    static int maximizeComponent(FactorAnalyserStatistics s, int c, double rows, double[][] augmented, double[] mean,
                                 double[][] loadings, double[] uniquenesses, double regCovar) {
        int q = s.q;
        int floored = 0;
        for (int j = 0; j < s.d; j++) {
            double[] row = augmented[j];
            System.arraycopy(row, 0, loadings[j], 0, q);
            mean[j] += row[q];
            double explained = row[q] * s.offset[c][j];
            for (int a = 0; a < q; a++) {
                explained += row[a] * s.offsetFactor[c][j * q + a];
            }
            double psi = (s.squaredOffset[c][j] - explained) / rows;
            double floor = MIN_UNIQUENESS * Math.max(s.squaredOffset[c][j] / rows, Double.MIN_NORMAL);
            if (!(psi >= floor)) {
                psi = floor;
                floored++;
            }
            uniquenesses[j] = psi + regCovar;
        }
        return floored;
    }

    /** Says when {@link #maximizeComponent} held uniquenesses at their floor. */
    static void warnIfFloored(Consumer<String> warnings, int c, int floored) {
        if (floored > 0) {
            warnings.accept(String.format(Locale.ROOT, "component %d: the factors explain %d feature(s) entirely;"
                    + " their uniquenesses are held at %.0e of their variance (the component may rest on too few"
                    + " rows: fewer components or factors may fit better)", c + 1, floored, MIN_UNIQUENESS));
        }
    }

    /**
     * The parameters for SQUAREM: {@code ln π_k}, then per component its mean, its loadings (row-major) and
     * {@code ln ψ_j}. The loadings are determined only up to a rotation, but EM moves them smoothly, and the
     * engine accepts an extrapolated point only if its log-likelihood is at least the plain EM step's.
     */
    @Override
    public ParameterVector<FactorAnalyserMixtureModel> parameterVector() {
        return new ParameterVector<>() {
            @Override
            public double[] toVector(FactorAnalyserMixtureModel params) {
                int k = params.components();
                int d = params.dimension();
                int q = params.factors();
                double[] out = new double[k + k * (2 * d + d * q)];
                double[] w = params.weights();
                int at = 0;
                for (int c = 0; c < k; c++) {
                    out[at++] = Math.log(w[c]);
                }
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < d; j++) {
                        out[at++] = params.meanAt(c, j);
                    }
                    double[] l = params.loadingsFlat(c);
                    System.arraycopy(l, 0, out, at, l.length);
                    at += l.length;
                    double[] psi = params.uniquenesses(c);
                    for (int j = 0; j < d; j++) {
                        out[at++] = Math.log(psi[j]);
                    }
                }
                return out;
            }

            @Override
            public FactorAnalyserMixtureModel fromVector(double[] vector, FactorAnalyserMixtureModel template) {
                int k = template.components();
                int d = template.dimension();
                int q = template.factors();
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, vector[c]);
                }
                double[] weights = new double[k];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    weights[c] = Math.exp(vector[c] - max);
                    sum += weights[c];
                }
                double[][] means = new double[k][d];
                double[][][] loadings = new double[k][d][q];
                double[][] psi = new double[k][d];
                int at = k;
                for (int c = 0; c < k; c++) {
                    weights[c] /= sum;
                    System.arraycopy(vector, at, means[c], 0, d);
                    at += d;
                    for (int j = 0; j < d; j++) {
                        System.arraycopy(vector, at, loadings[c][j], 0, q);
                        at += q;
                    }
                    for (int j = 0; j < d; j++) {
                        psi[c][j] = Math.exp(vector[at++]);
                    }
                }
                try {
                    return new FactorAnalyserMixtureModel(weights, means, loadings, psi, template.featureNames());
                } catch (EmkitException notAModel) {
                    return null; // a non-finite coordinate or a uniqueness that under- or overflowed
                }
            }
        };
    }

    @Override
    public int parameterCount(FactorAnalyserMixtureModel params) {
        return params.parameterCount();
    }
}
