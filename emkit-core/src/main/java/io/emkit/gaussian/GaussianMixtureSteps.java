package io.emkit.gaussian;

import io.emkit.em.PartitionSteps;
import io.emkit.gaussian.covariance.ConstrainedCovariances;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.BlockKernels;
import io.emkit.kernels.BlockWorkspace;
import io.emkit.mixture.Assignment;
import io.emkit.mixture.EmptyComponents;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmSteps;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * EM's two steps for a Gaussian mixture, for any {@link CovarianceType}: a log-space E-step over
 * blocks of rows that keeps responsibilities only for the rows of the block at hand, and the
 * M-step with {@code regCovar} added to every covariance diagonal: closed form for full, diag,
 * spherical, tied, EII, EEI, EVI, EEV and EVV; an inner iteration, started from the previous parameters
 * and never increasing the objective, for VEI, VEE, EVE, VVE and VEV ({@link ConstrainedCovariances}).
 *
 * <p><b>Degenerate components.</b> A component that receives (almost) no responsibility keeps its
 * previous mean and covariance, its weight falls to (near) zero, and a warning names it. A covariance
 * that is not positive definite even after {@code regCovar} gets an escalating jitter on its diagonal,
 * with a warning; if that fails too the run fails with a message saying what to do. No NaN escapes.
 *
 * <p><b>Weighted rows.</b> When the rows carry weights, each row's responsibilities are multiplied by its
 * weight before they enter the statistics, and its log density by its weight before it enters the
 * log-likelihood; the M-step is unchanged, so a row of weight {@code w} counts exactly as {@code w} copies.
 * The per-row mean that the convergence test watches divides by the total weight.
 *
 * <p><b>Hard assignment.</b> With {@link Assignment#HARD} the E-step gives each row wholly to its most
 * probable component (classification EM), and the objective is the classification log-likelihood.
 *
 * <p><b>Missing values.</b> A row with missing values ({@code NaN}) is evaluated on its observed coordinates
 * ({@link MissingPatterns}) and adds its expected statistics given them, with the same (weighted, hard or
 * soft) responsibilities as any row; a row with every value missing adds nothing. Blocks without a missing
 * value take exactly the path they take for complete data.
 */
public final class GaussianMixtureSteps implements EmSteps.OfRows<Rows, GaussianMixtureModel, GaussianStatistics>,
        PartitionSteps<GaussianMixtureModel, GaussianStatistics> {
    private static final long serialVersionUID = 1L;
    private static final int JITTER_ATTEMPTS = 12;

    private final CovarianceType type;
    private final double regCovar;
    private final Assignment assignment;
    private final GaussianPrior prior;
    /**
     * Whether this fit's E- and M-steps run the portable block kernels rather than this JVM's fastest
     * ({@link BlockKernels#forSize}); a flag rather than the kernels, which do not travel to Spark's executors.
     */
    private final boolean portableKernels;
    /** The rows whose components are restricted (semi-supervised EM), or {@code null}: every row may come from any. */
    private final io.emkit.mixture.ComponentRestriction restriction;
    /** The precision of the E-step's triangular distances. */
    private final Precision precision;

    /**
     * Ordinary (soft) maximum-likelihood EM's steps.
     *
     * @param type     the covariance structure
     * @param regCovar added to covariance diagonals in every M-step (≥ 0)
     */
    public GaussianMixtureSteps(CovarianceType type, double regCovar) {
        this(type, regCovar, Assignment.SOFT, null);
    }

    /**
     * Steps of ordinary or classification EM, by maximum likelihood or MAP-EM under a prior. With a prior
     * the M-step is the posterior mode ({@link GaussianPrior}) and {@code regCovar} is not used: the prior's
     * scale keeps every covariance positive definite, and adding to it would make the M-step miss the mode.
     *
     * @param type       the covariance structure
     * @param regCovar   added to covariance diagonals in every M-step of a maximum-likelihood fit (≥ 0)
     * @param assignment how the E-step shares rows among components
     * @param prior      a {@linkplain GaussianPrior#isResolved() resolved} prior, or {@code null} for maximum
     *                   likelihood
     */
    public GaussianMixtureSteps(CovarianceType type, double regCovar, Assignment assignment, GaussianPrior prior) {
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        if (prior != null && !prior.isResolved()) {
            throw new IllegalArgumentException("the prior must be resolved on the data first (GaussianPrior.resolve)");
        }
        this.type = type;
        this.regCovar = regCovar;
        this.assignment = java.util.Objects.requireNonNull(assignment, "assignment");
        this.prior = prior;
        this.portableKernels = false;
        this.restriction = null;
        this.precision = Precision.DOUBLE;
    }

    private GaussianMixtureSteps(GaussianMixtureSteps steps, boolean portableKernels,
                                 io.emkit.mixture.ComponentRestriction restriction) {
        this(steps, portableKernels, restriction, steps.precision);
    }

    private GaussianMixtureSteps(GaussianMixtureSteps steps, boolean portableKernels,
                                 io.emkit.mixture.ComponentRestriction restriction, Precision precision) {
        this.precision = precision;
        this.type = steps.type;
        this.regCovar = steps.regCovar;
        this.assignment = steps.assignment;
        this.prior = steps.prior;
        this.portableKernels = portableKernels;
        this.restriction = restriction;
    }

    /**
     * These steps with each row's components restricted: the E-step of semi-supervised EM, where a row of known
     * class comes only from its class's components, and its log-likelihood term is the log of their weighted
     * densities' sum. In memory only: the rows must be numbered as the restriction numbers them.
     *
     * @param rowComponents which components each row may come from
     * @return restricted steps, otherwise the same
     */
    public GaussianMixtureSteps restrictedTo(io.emkit.mixture.ComponentRestriction rowComponents) {
        return new GaussianMixtureSteps(this, portableKernels, java.util.Objects.requireNonNull(rowComponents));
    }

    /**
     * These steps with the block kernels chosen for a fit of this size ({@link BlockKernels#forSize}).
     *
     * @param rows       the rows an E-step visits
     * @param components the number of components
     * @return steps that compute the same quantities, to rounding
     */
    public GaussianMixtureSteps sizedFor(long rows, int components) {
        return new GaussianMixtureSteps(this, BlockKernels.forSize(rows, components) == BlockKernels.PORTABLE,
                restriction);
    }

    /**
     * These steps with the E-step's Mahalanobis distances in the given precision ({@link Precision}); the
     * statistics and the log-likelihood are summed in double either way.
     *
     * @param precision the precision of the distances
     * @return steps that compute the same quantities, the distances rounded to that precision
     */
    public GaussianMixtureSteps withPrecision(Precision precision) {
        return new GaussianMixtureSteps(this, portableKernels, restriction,
                java.util.Objects.requireNonNull(precision, "precision"));
    }

    /** @return the precision of the E-step's distances */
    public Precision precision() {
        return precision;
    }

    private BlockKernels kernels() {
        return portableKernels ? BlockKernels.PORTABLE : BlockWorkspace.KERNELS;
    }

    /** @return how the E-step shares rows among components */
    public Assignment assignment() {
        return assignment;
    }

    /** @return the prior of MAP-EM, or {@code null} for maximum likelihood */
    public GaussianPrior prior() {
        return prior;
    }

    @Override
    public double logPrior(GaussianMixtureModel params) {
        return prior == null ? 0.0 : prior.logDensity(params);
    }

    @Override
    public String convergenceMeasure() {
        return assignment == Assignment.HARD ? "change of the mean classification log-likelihood"
                : EmSteps.OfRows.super.convergenceMeasure();
    }

    @Override
    public GaussianStatistics emptyStatistics(GaussianMixtureModel params) {
        return new GaussianStatistics(params.components(), params.dimension(), needsFullMoments(), params.flatMeans());
    }

    boolean needsFullMoments() {
        return type != CovarianceType.DIAG && type != CovarianceType.SPHERICAL;
    }

    @Override
    public double accumulatePartition(GaussianMixtureModel params, Dataset rows, long firstRow,
                                      GaussianStatistics statistics) {
        if (restriction != null) {
            throw new EmkitException("semi-supervised EM (rows of known class) runs in memory only, not on partitions");
        }
        return accumulate(params, rows, 0, rows.rows(), statistics);
    }

    @Override
    public double accumulate(GaussianMixtureModel params, Rows data, int from, int to, GaussianStatistics stats) {
        return BlockWorkspace.withReusable(params.dimension(), kernels(), precision == Precision.SINGLE,
                ws -> accumulate(params, data, from, to, stats, ws));
    }

    private double accumulate(GaussianMixtureModel params, Rows data, int from, int to, GaussianStatistics stats,
                              BlockWorkspace ws) {
        int k = params.components();
        double[] density = new double[BlockWorkspace.ROWS];
        MissingPatterns patterns = new MissingPatterns(params);
        double ll = 0;
        for (int lo = from; lo < to; lo += BlockWorkspace.ROWS) {
            int hi = Math.min(to, lo + BlockWorkspace.ROWS);
            ws.load(data, lo, hi);
            int incomplete = params.logJointColumns(ws, patterns);
            if (restriction != null) {
                excludeDisallowed(ws, lo, k);
            }
            if (assignment == Assignment.HARD) {
                GaussianMixtureModel.assignColumns(ws, k, density);
            } else {
                ws.kernels.normalizeColumns(ws, k, density);
            }
            if (incomplete > 0) {
                patterns.zeroEmptyRows(ws, incomplete, density);
            }
            if (ws.weighted) {
                ws.scaleColumnsByWeight(k);
                ll += ws.weightedSum(density);
            } else {
                for (int i = 0; i < hi - lo; i++) {
                    ll += density[i];
                }
            }
            if (incomplete > 0) {
                // Rows with missing values add their expected statistics (with their weighted, possibly hard,
                // responsibilities); then the block kernels see them as rows of responsibility zero.
                patterns.addExpected(ws, incomplete, stats);
                ws.clearIncompleteRows(incomplete, k);
            }
            stats.addFromColumns(ws);
        }
        return ll;
    }

    /** Sets the log joint density of each loaded row under each component it may not come from to −∞. */
    private void excludeDisallowed(BlockWorkspace ws, int firstRow, int k) {
        for (int i = 0; i < ws.rows; i++) {
            boolean[] allowed = restriction.allowed(firstRow + i);
            if (allowed != null) {
                for (int c = 0; c < k; c++) {
                    if (!allowed[c]) {
                        ws.jt[c * BlockWorkspace.ROWS + i] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
        }
    }

    /**
     * Statistics of rows whose responsibilities are given rather than computed, shifted by {@code shift}
     * (one mean per component, {@code K·D} values): the M-step input for initialisations. Weighted rows'
     * responsibilities are multiplied by their weights, as in the E-step.
     */
    GaussianStatistics statisticsOf(Dataset data, int k, double[] shift, ResponsibilitySource source) {
        int d = data.columns();
        GaussianStatistics stats = new GaussianStatistics(k, d, needsFullMoments(), shift);
        BlockWorkspace ws = new BlockWorkspace(d, kernels());
        double[] resp = new double[BlockWorkspace.ROWS * k];
        for (int lo = 0; lo < data.rows(); lo += BlockWorkspace.ROWS) {
            int hi = Math.min(data.rows(), lo + BlockWorkspace.ROWS);
            java.util.Arrays.fill(resp, 0.0);
            source.fill(lo, hi, resp);
            ws.load(data, lo, hi);
            if (ws.weighted) {
                ws.scaleByWeight(resp, k);
            }
            stats.add(ws, resp);
        }
        return stats;
    }

    /** Writes responsibilities of rows {@code [from, to)} into {@code resp[(i - from) * K + c]}. */
    interface ResponsibilitySource {
        void fill(int from, int to, double[] resp);
    }

    @Override
    public GaussianMixtureModel maximize(GaussianStatistics s, GaussianMixtureModel previous, Consumer<String> warnings) {
        if (prior != null) {
            return maximizePosterior(s, previous, warnings);
        }
        int k = s.k;
        int d = s.d;
        double total = s.totalWeight();
        if (!(total > 0)) {
            throw new EmkitException("no weight to fit: every row has zero probability under the model");
        }
        double[] weights = new double[k];
        double[] means = new double[k * d];
        double[] prevMeans = previous.flatMeans();
        double[][] prevCov = previous.flatCovariances();
        boolean[] empty = new boolean[k];
        double[] m = new double[d];
        for (int c = 0; c < k; c++) {
            double nc = s.weight[c];
            weights[c] = nc / total;
            if (EmptyComponents.isEmpty(nc, total)) {
                empty[c] = true;
                System.arraycopy(prevMeans, c * d, means, c * d, d);
                warnings.accept(EmptyComponents.warning(c, "it keeps its last mean and covariance with weight ~0"));
                continue;
            }
            for (int j = 0; j < d; j++) {
                means[c * d + j] = s.shift[c * d + j] + s.first[c * d + j] / nc;
            }
        }
        double[][] cov;
        if (!type.hasCompactStorage()) {
            cov = constrained(s, empty, means, previous, warnings);
        } else if (type == CovarianceType.TIED) {
            double[] t = new double[d * d];
            for (int c = 0; c < k; c++) {
                if (empty[c]) {
                    continue;
                }
                double nc = s.weight[c];
                centredMean(s, c, m);
                int so = c * d * d;
                for (int a = 0; a < d; a++) {
                    for (int b = a; b < d; b++) {
                        t[a * d + b] += s.second[so + a * d + b] - nc * m[a] * m[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    t[a * d + b] /= total;
                    t[b * d + a] = t[a * d + b];
                }
            }
            cov = new double[][] {regularized(t, d, magnitude(means, 0, k * d), "the shared covariance", warnings)};
        } else {
            cov = new double[k][];
            for (int c = 0; c < k; c++) {
                if (empty[c]) {
                    cov[c] = prevCov[c].clone();
                    continue;
                }
                double nc = s.weight[c];
                centredMean(s, c, m);
                cov[c] = switch (type) {
                    case FULL -> {
                        double[] v = new double[d * d];
                        int so = c * d * d;
                        for (int a = 0; a < d; a++) {
                            for (int b = a; b < d; b++) {
                                v[a * d + b] = s.second[so + a * d + b] / nc - m[a] * m[b];
                                v[b * d + a] = v[a * d + b];
                            }
                        }
                        yield regularized(v, d, magnitude(means, c * d, d), "component " + (c + 1), warnings);
                    }
                    case DIAG -> {
                        double[] v = new double[d];
                        for (int j = 0; j < d; j++) {
                            v[j] = Math.max(0.0, s.second[c * d + j] / nc - m[j] * m[j]);
                        }
                        yield regularized(v, d, magnitude(means, c * d, d), "component " + (c + 1), warnings);
                    }
                    case SPHERICAL -> {
                        double v = 0;
                        for (int j = 0; j < d; j++) {
                            v += Math.max(0.0, s.second[c * d + j] / nc - m[j] * m[j]);
                        }
                        yield regularized(new double[] {v / d}, d, magnitude(means, c * d, d), "component " + (c + 1),
                                warnings);
                    }
                    default -> throw new AssertionError(type);
                };
            }
        }
        return GaussianMixtureModel.ofFlat(type, weights, means, cov, d, previous.featureNames());
    }

    /**
     * The posterior mode ({@link GaussianPrior}): weights {@code (nk + α − 1)/(n + K(α − 1))}, means shrunk
     * towards the prior mean, {@code (nk x̄k + κ μ0)/(nk + κ)}, and each structure's covariance estimate from
     * the prior-augmented scatter and count. Every step is an exact maximiser (or, for the iterative
     * structures, never lowers the objective), so the log posterior never decreases.
     */
    private GaussianMixtureModel maximizePosterior(GaussianStatistics s, GaussianMixtureModel previous,
                                                   Consumer<String> warnings) {
        int k = s.k;
        int d = s.d;
        double total = s.totalWeight();
        double alpha = prior.weightConcentration();
        double kappa = prior.shrinkage();
        double[] mu0 = prior.flatMean();
        double[] lambda = prior.flatScale();
        double pseudo = prior.pseudoCount(d);
        double[] weights = new double[k];
        double[] means = new double[k * d];
        double[] prevMeans = previous.flatMeans();
        double[][] scatter = new double[k][];
        double[] count = new double[k];
        double[] m = new double[d];
        double[] offset = new double[d];
        for (int c = 0; c < k; c++) {
            double nc = s.weight[c];
            weights[c] = (nc + alpha - 1) / (total + k * (alpha - 1));
            if (EmptyComponents.isEmpty(nc, total)) {
                warnings.accept(EmptyComponents.warning(c, "the prior holds its mean and covariance"));
            }
            if (nc > 0) {
                centredMean(s, c, m);
            } else {
                Arrays.fill(m, 0.0);
            }
            double pull = nc + kappa > 0 ? kappa * nc / (nc + kappa) : 0.0;
            for (int j = 0; j < d; j++) {
                double xbar = s.shift[c * d + j] + m[j];
                means[c * d + j] = nc + kappa > 0 ? (nc * xbar + kappa * mu0[j]) / (nc + kappa) : prevMeans[c * d + j];
                offset[j] = xbar - mu0[j];
            }
            double[] w = new double[d * d];
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    boolean stored = s.fullSecondMoments || a == b;
                    double moment = !stored ? 0.0
                            : s.fullSecondMoments ? s.second[c * d * d + a * d + b] : s.second[c * d + a];
                    double v = (moment - nc * m[a] * m[b]) + pull * offset[a] * offset[b] + lambda[a * d + b];
                    w[a * d + b] = v;
                    w[b * d + a] = v;
                }
            }
            scatter[c] = w;
            count[c] = nc + pseudo;
        }
        double[][] cov = covariancesOfScatter(scatter, count, means, previous, warnings);
        return GaussianMixtureModel.ofFlat(type, weights, means, cov, d, previous.featureNames());
    }

    /**
     * The covariances of this structure that minimise {@code Σk [nk log|Σk| + tr(Wk Σk⁻¹)]} given each
     * component's scatter matrix {@code Wk} and count {@code nk}: {@code Wk/nk} (full), its diagonal (diag),
     * its mean eigenvalue (spherical), {@code ΣWk/Σnk} (tied), and {@link ConstrainedCovariances} for the
     * other ten. MAP-EM's M-step passes the prior-augmented scatter; other models whose M-step has this
     * form (Student-t mixtures, with each row's scatter weighted by its expected latent scale) pass theirs.
     * A covariance that is not positive definite gets an escalating jitter, with a warning. Nothing is added
     * to the scatter here: a caller wanting {@code regCovar} adds {@code nk·regCovar} to each diagonal.
     *
     * @param scatter  per component its scatter matrix around its new mean ({@code d×d}, row-major), or
     *                 {@code null} for an empty component, which keeps its previous covariance and is left out
     *                 of shared ones
     * @param count    per component its total responsibility ({@code > 0} where the scatter is given)
     * @param means    the new means, component after component, to scale the jitter
     * @param previous the parameters the statistics were accumulated under (a start for the iterative structures)
     * @param warnings receives a message for each covariance that needed jitter
     * @return per component (one for tied) the covariance in this structure's storage: {@code d×d}, {@code d}
     *         for diag, 1 for spherical
     * @throws io.emkit.EmkitException if a covariance is not positive definite even with jitter
     */
    public double[][] covariancesOfScatter(double[][] scatter, double[] count, double[] means,
                                           GaussianMixtureModel previous, Consumer<String> warnings) {
        int k = scatter.length;
        int d = previous.dimension();
        double[][] prevCov = previous.flatCovariances();
        boolean sameStructure = previous.covarianceType() == type && prevCov.length == (type == CovarianceType.TIED ? 1 : k);
        double[][] cov = switch (type) {
            case FULL -> {
                double[][] out = new double[k][];
                for (int c = 0; c < k; c++) {
                    out[c] = scatter[c] == null ? prevCov[c].clone() : scaled(scatter[c], 1 / count[c]);
                }
                yield out;
            }
            case DIAG, SPHERICAL -> {
                double[][] out = new double[k][];
                for (int c = 0; c < k; c++) {
                    if (scatter[c] == null) {
                        out[c] = prevCov[c].clone();
                        continue;
                    }
                    double[] v = new double[type == CovarianceType.DIAG ? d : 1];
                    for (int j = 0; j < d; j++) {
                        v[type == CovarianceType.DIAG ? j : 0] += scatter[c][j * d + j] / count[c];
                    }
                    if (type == CovarianceType.SPHERICAL) {
                        v[0] /= d;
                    }
                    out[c] = v;
                }
                yield out;
            }
            case TIED -> {
                double[] pooled = new double[d * d];
                double n = 0;
                for (int c = 0; c < k; c++) {
                    if (scatter[c] == null) {
                        continue;
                    }
                    n += count[c];
                    for (int i = 0; i < d * d; i++) {
                        pooled[i] += scatter[c][i];
                    }
                }
                yield new double[][] {scaled(pooled, 1 / n)};
            }
            default -> {
                double[][] out = ConstrainedCovariances.estimate(type, scatter, count, sameStructure ? prevCov : null, d);
                for (int c = 0; c < k; c++) {
                    if (out[c] == null) {
                        out[c] = sameStructure ? prevCov[c].clone() : pooledOrIdentity(scatter, count, d);
                    }
                }
                yield out;
            }
        };
        for (int c = 0; c < cov.length; c++) {
            if (GaussianMixtureModel.precisionOf(type, cov[c], d) == null) {
                cov[c] = type.hasCompactStorage()
                        ? regularized(cov[c], d, magnitude(means, c * d, d), "component " + (c + 1), warnings)
                        : jittered(cov[c], d, magnitude(means, c * d, d), "component " + (c + 1), warnings);
            }
        }
        return cov;
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    /**
     * The covariances of the ten structures without a scikit-learn name ({@link ConstrainedCovariances}):
     * each component's scatter matrix gets {@code nk·regCovar} on its diagonal before the constrained
     * estimate (so the constraint holds exactly and the unconstrained limit is {@code Wk/nk + regCovar·I});
     * an empty component keeps its previous covariance.
     */
    private double[][] constrained(GaussianStatistics s, boolean[] empty, double[] means, GaussianMixtureModel previous,
                                   Consumer<String> warnings) {
        int k = s.k;
        int d = s.d;
        double[][] prevCov = previous.flatCovariances();
        boolean sameStructure = previous.covarianceType() == type && prevCov.length == k;
        double[][] scatter = new double[k][];
        double[] n = new double[k];
        double[] m = new double[d];
        for (int c = 0; c < k; c++) {
            if (empty[c]) {
                continue;
            }
            double nc = s.weight[c];
            n[c] = nc;
            centredMean(s, c, m);
            double[] w = new double[d * d];
            int so = c * d * d;
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    w[a * d + b] = s.second[so + a * d + b] - nc * m[a] * m[b];
                    w[b * d + a] = w[a * d + b];
                }
                w[a * d + a] = Math.max(0.0, w[a * d + a]) + nc * regCovar;
            }
            scatter[c] = w;
        }
        double[][] cov = ConstrainedCovariances.estimate(type, scatter, n, sameStructure ? prevCov : null, d);
        for (int c = 0; c < k; c++) {
            if (cov[c] == null) {
                cov[c] = sameStructure ? prevCov[c].clone() : pooledOrIdentity(scatter, n, d);
            } else if (GaussianMixtureModel.precisionOf(type, cov[c], d) == null) {
                cov[c] = jittered(cov[c], d, magnitude(means, c * d, d), "component " + (c + 1), warnings);
            }
        }
        return cov;
    }

    /** The pooled covariance of the non-empty components, or the identity if there is none. */
    private static double[] pooledOrIdentity(double[][] scatter, double[] n, int d) {
        double[] p = new double[d * d];
        double total = 0;
        for (int c = 0; c < scatter.length; c++) {
            if (scatter[c] != null) {
                total += n[c];
                for (int i = 0; i < d * d; i++) {
                    p[i] += scatter[c][i];
                }
            }
        }
        for (int i = 0; i < d * d; i++) {
            p[i] = total > 0 ? p[i] / total : (i % (d + 1) == 0 ? 1.0 : 0.0);
        }
        return p;
    }

    /** A full matrix made positive definite by an escalating jitter on its diagonal, with a warning. */
    private double[] jittered(double[] c, int d, double meanMagnitude, String what, Consumer<String> warnings) {
        double scale = 0;
        for (int j = 0; j < d; j++) {
            scale = Math.max(scale, Math.abs(c[j * d + j]));
        }
        return raisedDiagonal(c, d, d + 1, d, firstJitter(scale, meanMagnitude), what, warnings);
    }

    /** The component's mean minus its shift: first moment over total responsibility. */
    private static void centredMean(GaussianStatistics s, int c, double[] out) {
        double nc = s.weight[c];
        for (int j = 0; j < s.d; j++) {
            out[j] = s.first[c * s.d + j] / nc;
        }
    }

    /**
     * Adds {@code regCovar} to the diagonal; if the result is still not positive definite, adds an
     * escalating jitter (scaled to the matrix) until it is, and says so.
     */
    private double[] regularized(double[] c, int d, double meanMagnitude, String what, Consumer<String> warnings) {
        int stride = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL ? 1 : d + 1;
        int diagonalLength = type == CovarianceType.SPHERICAL ? 1 : d;
        double scale = 0;
        for (int j = 0; j < diagonalLength; j++) {
            // A weighted covariance has a non-negative diagonal: a negative entry is rounding error.
            c[j * stride] = Math.max(0.0, c[j * stride]) + regCovar;
            scale = Math.max(scale, Math.abs(c[j * stride]));
        }
        if (GaussianMixtureModel.precisionOf(type, c, d) != null) {
            return c;
        }
        double jitter = firstJitter(scale, meanMagnitude);
        if (!(jitter > 0) || !Double.isFinite(jitter)) {
            jitter = 1e-12;
        }
        return raisedDiagonal(c, d, stride, diagonalLength, jitter, what, warnings);
    }

    /**
     * The first jitter for a covariance whose largest diagonal entry is {@code scale}: at least
     * {@code regCovar}, a relative 1e-12 of the matrix, and the variance that can be resolved around the mean.
     */
    private double firstJitter(double scale, double meanMagnitude) {
        // A variance below (1e-12·|mean|)² cannot be resolved around the mean in double precision: the
        // component's own rows, a few ulps from its mean, would get zero density.
        double resolution = 1e-12 * meanMagnitude;
        return Math.max(Math.max(regCovar, 1e-12 * Math.max(scale, Double.MIN_NORMAL)), resolution * resolution);
    }

    /**
     * Adds an escalating jitter, from {@code jitter} up by factors of 10, to the {@code diagonalLength}
     * diagonal entries ({@code stride} apart) of a copy of {@code c} until the covariance is positive
     * definite, and says so; throws if it never is.
     */
    private double[] raisedDiagonal(double[] c, int d, int stride, int diagonalLength, double jitter, String what,
                                    Consumer<String> warnings) {
        for (int attempt = 0; attempt < JITTER_ATTEMPTS; attempt++) {
            double[] t = c.clone();
            for (int j = 0; j < diagonalLength; j++) {
                t[j * stride] += jitter;
            }
            if (GaussianMixtureModel.precisionOf(type, t, d) != null) {
                warnings.accept(what + ": covariance is singular (the component may have collapsed onto too few"
                        + " distinct points); its diagonal was raised by jitter to keep it positive definite;"
                        + " consider a larger regCovar, scaling the data or fewer components");
                return t;
            }
            jitter *= 10;
        }
        throw new EmkitException(what + ": covariance is not positive definite even with jitter " + jitter
                + "; increase regCovar, scale the data or use fewer components");
    }

    /** The largest absolute value of {@code v[from, from + length)}. */
    private static double magnitude(double[] v, int from, int length) {
        double m = 0;
        for (int i = from; i < from + length; i++) {
            m = Math.max(m, Math.abs(v[i]));
        }
        return m;
    }

    /**
     * The parameters for SQUAREM ({@link GaussianParameterVector}); none for hard assignment, whose EM map
     * is piecewise constant (the parameters are means of fixed sets of rows until a row changes component),
     * so there is no rate for an extrapolation to estimate and an extrapolated start could only move the
     * run to another partition's fixed point. Classification EM reaches its fixed point in finitely many
     * steps, where the change is exactly 0.
     */
    @Override
    public io.emkit.em.ParameterVector<GaussianMixtureModel> parameterVector() {
        return assignment == Assignment.HARD ? null : GaussianParameterVector.INSTANCE;
    }

    @Override
    public int parameterCount(GaussianMixtureModel params) {
        return params.parameterCount();
    }

    @Override
    public void review(GaussianMixtureModel params, GaussianStatistics stats, Consumer<String> warnings) {
        java.util.List<String> thin = new java.util.ArrayList<>();
        for (int c = 0; c < stats.k; c++) {
            double nc = stats.weight[c];
            if (nc > EmptyComponents.FRACTION * stats.totalWeight() && nc < 2.0) {
                thin.add(Integer.toString(c + 1));
            }
        }
        if (thin.size() == 1) {
            int c = Integer.parseInt(thin.get(0)) - 1;
            warnings.accept(String.format(Locale.ROOT, "component %d rests on %.3g rows; its covariance is held"
                    + " up by regCovar alone; fewer components may fit better", c + 1, stats.weight[c]));
        } else if (thin.size() > 1) {
            // One line for all: with K far above what the rows carry, a line per component would bury the rest.
            warnings.accept(thin.size() + " of " + stats.k + " components rest on fewer than 2 rows (components "
                    + io.emkit.EmkitException.list(thin) + "): their covariances are held up by regCovar alone and BIC"
                    + " is not meaningful; fewer components may fit better");
        } else if (prior == null) {
            // No component rests on a row or two, yet one may have collapsed onto rows tied in some column (a
            // binary or coarsely rounded one), where the likelihood grows without bound: the search takes such a
            // fit only when it found no other (every one of 51 starts on a data set with a binary column), and a
            // user reading its log-likelihood should know what it is.
            String collapsed = params.spuriousReason(regCovar);
            if (collapsed != null) {
                warnings.accept(collapsed);
            }
        }
    }
}
