package io.emkit.student;

import io.emkit.EmkitException;
import io.emkit.data.Rows;
import io.emkit.em.PartitionSteps;
import io.emkit.em.ParameterVector;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianPrior;
import io.emkit.gaussian.ObservedMarginals;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.BlockKernels;
import io.emkit.kernels.BlockWorkspace;
import io.emkit.mixture.EmptyComponents;
import io.emkit.mixture.RowwiseMixtureModel;

import java.util.function.Consumer;

/**
 * EM's two steps for a mixture of multivariate t distributions, as the ECM algorithm of McLachlan and Peel
 * (2000, §7.5): each row is a Gaussian row whose covariance is divided by a latent scale {@code W ~ Gamma(ν/2,
 * ν/2)}, so the E-step gives each row and component, besides its responsibility {@code r_ik}, the expected
 * scale {@code u_ik = E[W | x_i, k] = (ν_k + d)/(ν_k + δ_ik)}, small for rows far from the component.
 *
 * <p>The M-step is two conditional maximisations of the expected complete-data log-likelihood. First the
 * weights {@code π_k = n_k/n} ({@code n_k = Σ_i r_ik}), the locations {@code μ_k = Σ r u x / Σ r u} and the
 * scale matrices from the scatter {@code W_k = Σ_i r_ik u_ik (x_i − μ_k)(x_i − μ_k)ᵀ} and the counts
 * {@code n_k}: the objective has then the Gaussian M-step's form, so {@link GaussianMixtureSteps#covariancesOfScatter}
 * gives the scale matrices of every one of the 14 structures (exact for the closed forms, never worse for the
 * iterative ones), with {@code n_k·regCovar} added to each scatter's diagonal. Then the degrees of freedom
 * ({@link DegreesOfFreedom}). Each step maximises (or does not lower) the objective, so the log-likelihood
 * never decreases.
 *
 * <p>Rows may carry weights (a row of weight w counts as w copies). A row with missing values ({@code NaN}) is
 * evaluated exactly on its observed coordinates (the marginal of a t over them is a t with the same degrees of
 * freedom) and adds its expected statistics given them (see {@code accumulateIncomplete}); values are assumed
 * missing at random.
 *
 * <p><b>Acceleration.</b> The degrees of freedom's ECM update moves slowly where the likelihood is flat in
 * {@code ν} (it cannot rise by more than d per iteration): on data with Gaussian tails plain EM stops on its
 * tolerance long before {@code ν} is large. The parameters therefore map to a vector for SQUAREM
 * ({@link #parameterVector()}): the Gaussian mixture's coordinates of the weights, locations and scale matrices,
 * then {@code ln ν} of each fitted degree of freedom; the engine's safeguard keeps the log-likelihood monotone.
 */
public final class StudentMixtureSteps implements PartitionSteps.OfRows<StudentMixtureModel, StudentStatistics> {
    private static final long serialVersionUID = 1L;
    /** A degree of freedom above this says the component's tails are a Gaussian's, and a review says so. */
    public static final double GAUSSIAN_LIKE = 100;

    private final CovarianceType type;
    private final double regCovar;
    private final DegreesOfFreedom degreesOfFreedom;
    private final GaussianMixtureSteps gaussian;
    private final GaussianPrior prior;

    /**
     * @param type             the structure of the scale matrices
     * @param regCovar         added to the scale matrices' diagonals in every M-step (≥ 0)
     * @param degreesOfFreedom how {@code ν} is fitted
     * @throws IllegalArgumentException if {@code regCovar} is negative or not finite
     */
    public StudentMixtureSteps(CovarianceType type, double regCovar, DegreesOfFreedom degreesOfFreedom) {
        this(type, regCovar, degreesOfFreedom, null);
    }

    /**
     * Steps of MAP-EM under a conjugate prior on the weights, locations and scale matrices (mclust's, as
     * {@link GaussianPrior}; none on {@code ν}), or of maximum likelihood without one. Given the E-step's
     * responsibilities and scales, the complete-data log-likelihood is a Gaussian one whose rows weigh {@code r·u}
     * in the locations and scatter and {@code r} in the counts, so the prior is conjugate as it is for Gaussian
     * components: weights {@code (n_k + α − 1)/(n + K(α − 1))}, locations {@code (Σ r u x + κ μ0)/(Σ r u + κ)},
     * and the scale matrices from the scatter {@code W_k + (κ s_k/(s_k + κ)) (x̄_k − μ0)(x̄_k − μ0)ᵀ + Λ}
     * ({@code s_k = Σ r u}, {@code x̄_k} the r·u-weighted mean) and the count {@code n_k} plus the prior's
     * pseudo-count. {@code regCovar} is not used with a prior (as for Gaussian components).
     *
     * @param type             the structure of the scale matrices
     * @param regCovar         added to the scale matrices' diagonals in every M-step without a prior (≥ 0)
     * @param degreesOfFreedom how {@code ν} is fitted
     * @param prior            a {@linkplain GaussianPrior#isResolved() resolved} prior, or {@code null}
     * @throws IllegalArgumentException if {@code regCovar} is negative or not finite, or the prior is not resolved
     */
    public StudentMixtureSteps(CovarianceType type, double regCovar, DegreesOfFreedom degreesOfFreedom,
                               GaussianPrior prior) {
        this.gaussian = new GaussianMixtureSteps(type, regCovar);
        this.type = type;
        this.regCovar = regCovar;
        this.degreesOfFreedom = java.util.Objects.requireNonNull(degreesOfFreedom, "degreesOfFreedom");
        if (prior != null && !prior.isResolved()) {
            throw new IllegalArgumentException("the prior must be resolved on the data first (GaussianPrior.resolve)");
        }
        this.prior = prior;
    }

    /** @return the log prior density of the weights, locations and scale matrices (0 without a prior) */
    @Override
    public double logPrior(StudentMixtureModel params) {
        return prior == null ? 0.0 : prior.logDensity(params.scales());
    }

    @Override
    public StudentStatistics emptyStatistics(StudentMixtureModel params) {
        return new StudentStatistics(params.components(), gaussian.emptyStatistics(params.scales()));
    }

    /**
     * The E-step over rows {@code [from, to)}, a block of {@link BlockWorkspace#ROWS} at a time: the block
     * kernels give each row's squared distance to each component ({@link GaussianMixtureModel#squaredDistanceColumns});
     * from them the t log densities, responsibilities and expected scales; then the kernels add the rows'
     * moments weighted by {@code r·u} (and the row weights) into the Gaussian statistics. It does not use the
     * prior, so the steps another engine (Spark) ships to its workers may be made without one.
     */
    @Override
    public double accumulate(StudentMixtureModel params, Rows data, int from, int to, StudentStatistics stats) {
        return BlockWorkspace.withReusable(params.dimension(), BlockKernels.forSize(data.rows(), params.components()),
                false, ws -> accumulate(params, data, from, to, stats, ws));
    }

    private double accumulate(StudentMixtureModel params, Rows data, int from, int to, StudentStatistics stats,
                              BlockWorkspace ws) {
        int k = params.components();
        int d = params.dimension();
        GaussianMixtureModel scales = params.scales();
        double[] weights = new double[BlockWorkspace.ROWS];
        double[] joint = new double[k];
        double[] nu = params.degreesOfFreedom();
        double[] peak = new double[k];
        for (int c = 0; c < k; c++) {
            peak[c] = params.logPeak(c);
        }
        double[] jt;
        double ll = 0;
        ObservedMarginals marginals = null;
        double[] row = null;
        double[] delta = null;
        double[] halfLogDet = null;
        double[] logWeights = null;
        boolean[] incompleteRow = new boolean[BlockWorkspace.ROWS];
        double[] density = new double[BlockWorkspace.ROWS];
        double[] scale = new double[k * BlockWorkspace.ROWS];
        double[] logScale = new double[k * BlockWorkspace.ROWS];
        double[] log1p = new double[k * BlockWorkspace.ROWS];
        double[] logScaleAtMean = new double[k];
        for (int c = 0; c < k; c++) {
            logScaleAtMean[c] = Math.log((nu[c] + d) / nu[c]);
        }
        for (int lo = from; lo < to; lo += BlockWorkspace.ROWS) {
            int hi = Math.min(to, lo + BlockWorkspace.ROWS);
            ws.load(data, lo, hi);
            data.copyWeights(lo, hi, weights);
            scales.squaredDistanceColumns(ws);
            jt = ws.jt;
            // A missing value makes its row's distance NaN under every component: when the first component's
            // column has none, no row of the block is incomplete.
            int incomplete = ws.anyNaN(jt, 0) ? ws.findIncompleteRows() : 0;
            if (incomplete > 0 && marginals == null) {
                marginals = new ObservedMarginals(scales);
                row = new double[d];
                delta = new double[k];
                halfLogDet = new double[k];
                logWeights = new double[k];
                double[] w = params.weights();
                for (int c = 0; c < k; c++) {
                    logWeights[c] = Math.log(w[c]);
                }
            }
            for (int t = 0; t < incomplete; t++) {
                incompleteRow[ws.incomplete[t]] = true;
            }
            int rows = hi - lo;
            // Per (row, component) one logarithm, L = log1p(δ/ν), serves the log density, peak − ½(ν + D)·L, and
            // the log of the expected scale u = (ν + D)/(ν + δ), log((ν + D)/ν) − L; the exponentials of the
            // normalisation are the block kernels' (as for Gaussian components). Rows with a missing value are
            // done apart below; their columns hold 0 meanwhile.
            ws.kernels.log1pOfScaledDistances(ws, k, nu, log1p);
            // Element-wise over the rows without a branch (which the JIT turns into vector code); the incomplete
            // rows' NaNs are then replaced.
            for (int c = 0; c < k; c++) {
                int co = c * BlockWorkspace.ROWS;
                double a = nu[c] + d;
                double nuC = nu[c];
                double peakC = peak[c];
                double atMean = logScaleAtMean[c];
                for (int i = 0; i < rows; i++) {
                    int at = co + i;
                    double l = log1p[at];
                    scale[at] = a / (nuC + Math.max(0.0, jt[at]));
                    logScale[at] = atMean - l;
                    jt[at] = peakC - 0.5 * a * l;
                }
            }
            for (int t = 0; t < incomplete; t++) {
                for (int c = 0; c < k; c++) {
                    jt[c * BlockWorkspace.ROWS + ws.incomplete[t]] = 0.0;
                }
            }
            ws.kernels.normalizeColumns(ws, k, density);
            if (incomplete == 0) {
                // Component after component, its sums in locals; each still takes the rows in order.
                for (int i = 0; i < rows; i++) {
                    ll += weights[i] * density[i];
                }
                for (int c = 0; c < k; c++) {
                    int co = c * BlockWorkspace.ROWS;
                    double responsibility = stats.responsibility[c];
                    double logScaleSum = stats.logScale[c];
                    for (int i = 0; i < rows; i++) {
                        int at = co + i;
                        double u = scale[at];
                        double wr = weights[i] * jt[at];
                        responsibility += wr;
                        logScaleSum += wr * (logScale[at] - (u - 1));
                        jt[at] = wr * u;
                    }
                    stats.responsibility[c] = responsibility;
                    stats.logScale[c] = logScaleSum;
                }
                stats.scaled.addFromColumns(ws);
                continue;
            }
            for (int i = 0; i < rows; i++) {
                if (incompleteRow[i]) {
                    incompleteRow[i] = false;
                    ws.copyRow(i, row);
                    ll += weights[i] * accumulateIncomplete(row, weights[i], nu, logWeights, marginals, delta,
                            halfLogDet, joint, stats);
                    continue;
                }
                double w = weights[i];
                ll += w * density[i];
                for (int c = 0; c < k; c++) {
                    int at = c * BlockWorkspace.ROWS + i;
                    double u = scale[at];
                    double wr = w * jt[at];
                    stats.responsibility[c] += wr;
                    stats.logScale[c] += wr * (logScale[at] - (u - 1));
                    jt[at] = wr * u;
                }
            }
            if (incomplete > 0) {
                // Their expected statistics are in; the kernels see them as rows of responsibility zero.
                ws.clearIncompleteRows(incomplete, k);
            }
            // The kernels read r·u·w as each row's responsibility: the Gaussian moments of the scaled rows.
            stats.scaled.addFromColumns(ws);
        }
        return ll;
    }

    /**
     * The E-step of a row with missing values, on its {@code p} observed coordinates: the marginal of a
     * multivariate t over them is a t with the same {@code ν}, location {@code μ_o} and scale {@code Σ_oo}, so the
     * responsibilities come from those densities and the expected scale is {@code u = (ν + p)/(ν + δ_o)}. Given
     * {@code x_o} and the scale {@code W}, the missing coordinates are Gaussian with the conditional mean
     * {@code x̂_m} (free of W) and covariance {@code C_mm / W}: the row adds {@code r·u} times the completed row
     * and {@code r·C_mm} to the scaled statistics. The degrees of freedom's statistic is
     * {@code E[ln W] − E[W] + 1 = ln u − u + 1 + ψ((ν+p)/2) − ln((ν+p)/2)}, stored relative to the complete
     * rows' {@code ψ((ν+d)/2) − ln((ν+d)/2)}, which the M-step adds back. A row that observes nothing adds nothing.
     *
     * @return the row's log density over its observed coordinates (0 if it observes none)
     */
    private double accumulateIncomplete(double[] row, double w, double[] nu, double[] logWeights,
                                        ObservedMarginals marginals, double[] delta, double[] halfLogDet,
                                        double[] joint, StudentStatistics stats) {
        int k = nu.length;
        int d = row.length;
        int p = marginals.observe(row, delta, halfLogDet);
        if (p == 0) {
            return 0.0;
        }
        for (int c = 0; c < k; c++) {
            joint[c] = logWeights[c] + DegreesOfFreedom.logConstant(nu[c], p) - halfLogDet[c]
                    - 0.5 * (nu[c] + p) * Math.log1p(Math.max(0.0, delta[c]) / nu[c]);
        }
        double logDensity = RowwiseMixtureModel.normalize(joint, k);
        for (int c = 0; c < k; c++) {
            double wr = w * joint[c];
            if (wr == 0.0) {
                continue;
            }
            double u = (nu[c] + p) / (nu[c] + Math.max(0.0, delta[c]));
            double t = u - 1;
            stats.responsibility[c] += wr;
            stats.logScale[c] += wr * (Math.log1p(t) - t + DegreesOfFreedom.logMinusDigamma(0.5 * (nu[c] + d))
                    - DegreesOfFreedom.logMinusDigamma(0.5 * (nu[c] + p)));
            marginals.addExpected(row, c, wr * u, wr, stats.scaled);
        }
        return logDensity;
    }

    @Override
    public StudentMixtureModel maximize(StudentStatistics s, StudentMixtureModel previous, Consumer<String> warnings) {
        int k = s.k;
        int d = previous.dimension();
        double total = s.totalResponsibility();
        if (!(total > 0)) {
            throw new EmkitException("no weight to fit: every row has zero probability under the model");
        }
        GaussianMixtureModel prev = previous.scales();
        double[] weights = new double[k];
        double[] means = new double[k * d];
        double[][] scatter = new double[k][];
        double[] count = s.responsibility.clone();
        double[] scaledWeight = s.scaled.componentWeights();
        double alpha = prior == null ? 1 : prior.weightConcentration();
        double kappa = prior == null ? 0 : prior.shrinkage();
        double[] mu0 = prior == null ? null : prior.mean();
        double[][] lambda = prior == null ? null : prior.scale();
        for (int c = 0; c < k; c++) {
            double nc = s.responsibility[c];
            double su = scaledWeight[c];
            weights[c] = prior == null ? nc / total : (nc + alpha - 1) / (total + k * (alpha - 1));
            if (EmptyComponents.isEmpty(nc, total) || !(su > 0)) {
                System.arraycopy(prev.mean(c), 0, means, c * d, d);
                warnings.accept(EmptyComponents.warning(c, "it keeps its last location and scale with weight ~0"));
                continue;
            }
            double[] xbar = s.scaled.mean(c);
            double[] w = s.scaled.scatter(c);
            for (int a = 0; a < d; a++) {
                // A weighted scatter has a non-negative diagonal: a negative entry is rounding error.
                w[a * d + a] = Math.max(0.0, w[a * d + a]) + (prior == null ? nc * regCovar : 0.0);
            }
            if (prior == null) {
                System.arraycopy(xbar, 0, means, c * d, d);
            } else {
                // The posterior mode: the location shrunk towards μ0, the scatter augmented by the shrinkage's
                // term and Λ, the count by the prior's pseudo-count.
                double pull = kappa * su / (su + kappa);
                for (int a = 0; a < d; a++) {
                    means[c * d + a] = (su * xbar[a] + kappa * mu0[a]) / (su + kappa);
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        w[a * d + b] += pull * (xbar[a] - mu0[a]) * (xbar[b] - mu0[b]) + lambda[a][b];
                    }
                }
                count[c] = nc + prior.pseudoCount(d);
            }
            scatter[c] = w;
        }
        double[][] cov = gaussian.covariancesOfScatter(scatter, count, means, prev, warnings);
        GaussianMixtureModel scales = GaussianMixtureModel.ofFlat(type, weights, means, cov, d, prev.featureNames());
        boolean[] fitted = new boolean[s.k];
        for (int c = 0; c < s.k; c++) {
            fitted[c] = scatter[c] != null;
        }
        return new StudentMixtureModel(scales, degreesOfFreedom.next(previous.degreesOfFreedom(), d, s.logScale,
                s.responsibility, fitted), degreesOfFreedom.constraint());
    }

    /**
     * The parameters for SQUAREM: the Gaussian mixture's coordinates of {@link StudentMixtureModel#scales()},
     * then {@code ln ν} per component (free), once (equal) or not at all (fixed).
     */
    @Override
    public ParameterVector<StudentMixtureModel> parameterVector() {
        ParameterVector<GaussianMixtureModel> scales = gaussian.parameterVector();
        if (scales == null) {
            return null;
        }
        return DegreesOfFreedom.Coordinates.of(scales, degreesOfFreedom, StudentMixtureModel::scales,
                StudentMixtureModel::degreesOfFreedom, StudentMixtureModel::new);
    }

    @Override
    public int parameterCount(StudentMixtureModel params) {
        return params.parameterCount();
    }

    /** Says which components' degrees of freedom ran off towards infinity (above {@value #GAUSSIAN_LIKE}). */
    @Override
    public void review(StudentMixtureModel params, StudentStatistics statistics, Consumer<String> warnings) {
        degreesOfFreedom.warnGaussianLike(params.degreesOfFreedom(), GAUSSIAN_LIKE, "a Gaussian mixture",
                "their tails are a Gaussian's (the other components' are heavier; compare with --distribution gaussian"
                        + " by BIC)", warnings);
    }
}
