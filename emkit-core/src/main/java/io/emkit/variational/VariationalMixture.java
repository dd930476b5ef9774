package io.emkit.variational;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.ExpectationRunner;
import io.emkit.em.MiniBatch;
import io.emkit.gaussian.GaussianKernelSteps;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianStatistics;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.SpecialFunctions;
import io.emkit.mixture.DataChecks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * Fits a variational Gaussian mixture ({@link VariationalModel}) by coordinate ascent on the evidence lower
 * bound (Bishop 2006, §10.2; Blei and Jordan 2006 for the Dirichlet process): the E-step gives each row its
 * responsibilities under the posterior's expected log weights and log densities, the M-step the posterior of
 * the weights, means and precisions from the responsibility-weighted counts, means and scatters. The bound
 * never decreases. Immutable; each setter returns a changed copy.
 *
 * <p>The updates are scikit-learn's {@code BayesianGaussianMixture}'s (including its treatment of the tied,
 * diag and spherical structures and {@code regCovar} on the scatters), and so is the bound it reports: the
 * evidence lower bound without the terms that do not change during a fit, evaluated after each M-step with the
 * responsibilities of the E-step before it. The same data and start give the same posterior as scikit-learn.
 * The E-step runs on the Gaussian mixture's block kernels, in parallel and bit-identical for any number of threads.
 *
 * <p>The start: given responsibilities, or (by default) the clusters of emkit's k-means search with the
 * configuration's seed. Convergence: the bound's change per row below the tolerance (default 1e-8), or the
 * iteration limit (default 100, as scikit-learn's).
 */
public final class VariationalMixture {
    /** Added to every component's count, as scikit-learn does, so that an empty component divides by no zero. */
    private static final double EMPTY_COUNT = 10 * Math.ulp(1.0);

    private final int k;
    private final CovarianceType type;
    private final VariationalPrior prior;
    private final double regCovar;
    private final EmOptions options;
    private final double[][] initialResponsibilities;
    private final MiniBatch miniBatch;

    private VariationalMixture(int k, CovarianceType type, VariationalPrior prior, double regCovar, EmOptions options,
                               double[][] initialResponsibilities, MiniBatch miniBatch) {
        this.k = k;
        this.type = type;
        this.prior = prior;
        this.regCovar = regCovar;
        this.options = options;
        this.initialResponsibilities = initialResponsibilities;
        this.miniBatch = miniBatch;
    }

    /**
     * A variational mixture of at most {@code components} components, full covariances, a Dirichlet-process prior
     * on the weights, regCovar 1e-6, 100 iterations at most.
     *
     * @param components K, the truncation (at least 1)
     * @return the configuration
     * @throws EmkitException if {@code components} is below 1
     */
    public static VariationalMixture withComponents(int components) {
        if (components < 1) {
            throw new EmkitException("the number of components must be at least 1, got " + components);
        }
        return new VariationalMixture(components, CovarianceType.FULL, VariationalPrior.of(WeightPrior.DIRICHLET_PROCESS),
                1e-6, EmOptions.defaults().withMaxIterations(100), null, null);
    }

    /**
     * @param covarianceType full, diag, spherical or tied
     * @return a changed copy
     * @throws EmkitException for another structure
     */
    public VariationalMixture covarianceType(CovarianceType covarianceType) {
        if (covarianceType != CovarianceType.FULL && covarianceType != CovarianceType.DIAG
                && covarianceType != CovarianceType.SPHERICAL && covarianceType != CovarianceType.TIED) {
            throw new EmkitException("variational Bayes fits the full, diag, spherical and tied structures; not "
                    + covarianceType.label());
        }
        return new VariationalMixture(k, covarianceType, prior, regCovar, options, initialResponsibilities, miniBatch);
    }

    /**
     * @param prior the prior on weights, means and precisions
     * @return a changed copy
     */
    public VariationalMixture prior(VariationalPrior prior) {
        return new VariationalMixture(k, type, Objects.requireNonNull(prior, "prior"), regCovar, options,
                initialResponsibilities, miniBatch);
    }

    /**
     * @param regCovar added to the diagonal of every component's scatter in each M-step (≥ 0)
     * @return a changed copy
     * @throws EmkitException if negative or not finite
     */
    public VariationalMixture regCovar(double regCovar) {
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new EmkitException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        return new VariationalMixture(k, type, prior, regCovar, options, initialResponsibilities, miniBatch);
    }

    /**
     * @param options tolerance (on the bound's change per row), iteration limit, seed (of the default start),
     *                threads and block size
     * @return a changed copy
     */
    public VariationalMixture options(EmOptions options) {
        return new VariationalMixture(k, type, prior, regCovar, Objects.requireNonNull(options, "options"),
                initialResponsibilities, miniBatch);
    }

    /**
     * @param responsibilities one row of K non-negative numbers per data row, summing to one; {@code null} for
     *                         the default start
     * @return a changed copy
     */
    public VariationalMixture initialResponsibilities(double[][] responsibilities) {
        return new VariationalMixture(k, type, prior, regCovar, options, responsibilities == null ? null
                : responsibilities.clone(), miniBatch);
    }

    /**
     * Stochastic variational inference (Hoffman, Blei, Wang and Paisley 2013) instead of full passes: each
     * batch's E-step under the current posterior gives statistics that, scaled to all rows, move the running
     * statistics a step {@code (t + 2)^(−κ)} toward them — a natural-gradient step on the posterior, whose natural
     * parameters are linear in these statistics — and the posterior follows. For data seen as a stream, or too
     * big to pass over many times. After the schedule's batches, one full iteration gives the reported bound.
     *
     * @param miniBatch the batches, passes and step exponent κ; {@code null} for full coordinate ascent
     * @return a changed copy
     */
    public VariationalMixture miniBatch(MiniBatch miniBatch) {
        return new VariationalMixture(k, type, prior, regCovar, options, initialResponsibilities, miniBatch);
    }

    /**
     * Fits the posterior to complete rows.
     *
     * @param data complete rows, weighted or not, at least K of them
     * @return the posterior and the bound's trace
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public VariationalResult fit(Dataset data) {
        DataChecks.requireFittable(data, k, "component", false);
        VariationalPrior.Resolved p = prior.resolve(data, type, k);
        GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 0.0).sizedFor(data.rows(), k);
        GaussianStatistics first = startingStatistics(data, steps, p);
        VariationalModel model = maximize(first, p, data.columnNames());
        double total = data.totalWeight();
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            int iterations = 0;
            int limit = options.maxIterations();
            if (miniBatch != null) {
                model = stochastic(data, steps, first.scaled(1.0 / total), model, p, pool);
                // The schedule's batches were the fit; one full iteration evaluates the bound.
                iterations = miniBatch.batchesPerPass(data.rows()) * miniBatch.passes();
                limit = iterations + 1;
            }
            return ascend(params -> ExpectationMaximization.expectation(steps, data, params, options.blockSize(),
                    pool), model, p, total, iterations, limit, data.columnNames());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * This fit with its E-steps run by another engine (Spark): the E-step is the Gaussian mixture's kernel under the
     * posterior's Gaussian stand-in, shipped to the partitions; the start (k-means clusters), the prior's defaults
     * and the coordinate ascent run on the driver. The start and the prior look at the sample the engine passes:
     * when it holds every row, in order, the fit is {@link #fit(Dataset)}'s to rounding; beyond, the start's
     * statistics are the sample's, scaled to all the rows.
     *
     * @param posterior receives the posterior and the bound's trace when the fit ends
     * @return the partition kernel and the loop around it; the loop's result is the posterior means' mixture, with
     *         the bound as its objective and trace
     * @throws EmkitException if {@link #miniBatch} is set (stochastic variational inference reads its batches
     *                        itself)
     */
    public DistributedFit<GaussianMixtureModel, GaussianStatistics> distributed(Consumer<VariationalResult> posterior) {
        if (miniBatch != null) {
            throw new EmkitException("stochastic variational inference reads its batches itself: fit it with"
                    + " fit(Dataset)");
        }
        Objects.requireNonNull(posterior, "posterior");
        return new DistributedFit<>(new CompleteRows(new GaussianMixtureSteps(type, 0.0)), (runner, rows, sample) -> {
            DataChecks.requireFittable(sample, k, "component", false);
            VariationalPrior.Resolved p = prior.resolve(sample, type, k);
            GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 0.0).sizedFor(sample.rows(), k);
            GaussianStatistics first = startingStatistics(sample, steps, p);
            // Weighted rows count by their total weight, as fit(Dataset) counts them.
            double total = DistributedFit.units(rows, sample);
            if (rows != sample.rows()) {
                first = first.scaled(total / sample.totalWeight());
            }
            VariationalModel model = maximize(first, p, sample.columnNames());
            VariationalResult result = ascend(runner, model, p, total, 0, options.maxIterations(),
                    sample.columnNames());
            posterior.accept(result);
            GaussianMixtureModel means = result.model().toGaussian();
            return EmResult.ofLoop(means, result.finalLowerBound(), result.lowerBound(), result.iterations(),
                    result.converged(), means.parameterCount(), rows);
        });
    }

    /** The statistics of the start: every row's responsibilities ({@link #startingResponsibilities}), weighted. */
    private GaussianStatistics startingStatistics(Dataset data, GaussianMixtureSteps steps, VariationalPrior.Resolved p) {
        int n = data.rows();
        double[] start = startingResponsibilities(data);
        GaussianStatistics first = steps.emptyStatistics(placeholder(p, data.columns(), data.columnNames()));
        double[] weighted = start.clone();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                weighted[i * k + c] *= data.weight(i);
            }
        }
        first.addWeighted(data.rawValues(), 0, n, weighted);
        return first;
    }

    /**
     * Coordinate ascent from {@code model}: E-steps by {@code runner} under the posterior's Gaussian stand-in, each
     * followed by the M-step and the bound, until the bound's change per unit of {@code total} weight falls below
     * the tolerance or {@code limit} iterations (counted from {@code iterations}) have run. After mini-batches, one
     * iteration, which counts as converged.
     */
    private VariationalResult ascend(ExpectationRunner<GaussianMixtureModel, GaussianStatistics> runner,
                                     VariationalModel model, VariationalPrior.Resolved p, double total,
                                     int iterations, int limit, List<String> names) {
        List<Double> trace = new ArrayList<>();
        boolean converged = miniBatch != null;
        while (iterations < limit) {
            VariationalModel.Surrogate s = model.surrogate();
            ExpectationMaximization.Expectation<GaussianStatistics> e = runner.run(s.model());
            double negativeEntropy = expectedLogJoint(model, s, e.statistics()) - (e.logLikelihood()
                    + total * s.logSum());
            model = maximize(e.statistics(), p, names);
            double bound = -negativeEntropy + boundOfPosterior(model, p);
            iterations++;
            if (!trace.isEmpty() && Math.abs(bound - trace.get(trace.size() - 1)) / total < options.tolerance()
                    || miniBatch != null) {
                converged = true;
            }
            trace.add(bound);
            if (converged) {
                break;
            }
        }
        return new VariationalResult(model, trace.stream().mapToDouble(Double::doubleValue).toArray(), iterations,
                converged);
    }

    /**
     * The E-step shipped to the partitions: the Gaussian mixture's kernel, on rows that must be complete (the
     * local fit refuses a missing cell as the data are read; the engine's rows arrive with them as {@code NaN}).
     */
    private record CompleteRows(GaussianMixtureSteps kernel)
            implements GaussianKernelSteps {
        private static final long serialVersionUID = 1L;

        @Override
        public double accumulatePartition(GaussianMixtureModel params, Dataset rows, long firstRow,
                                          GaussianStatistics statistics) {
            int[] missing = rows.firstMissing();
            if (missing != null) {
                throw new EmkitException("row " + (firstRow + missing[0] + 1) + ", column '"
                        + rows.columnNames().get(missing[1]) + "': missing value; variational Bayes needs a value in"
                        + " every cell");
            }
            return kernel.accumulatePartition(params, rows, firstRow, statistics);
        }
    }

    /** The batches of {@link #miniBatch}: each moves the running statistics (per row) toward the batch's. */
    private VariationalModel stochastic(Dataset data, GaussianMixtureSteps steps, GaussianStatistics running,
                                        VariationalModel model, VariationalPrior.Resolved p, ForkJoinPool pool) {
        MiniBatch.Batches batches = new MiniBatch.Batches(miniBatch, data);
        // The order stream is split off first, as the stepwise EM of Gaussian mixtures does.
        batches.restart(new java.util.SplittableRandom(options.seed()).split());
        double total = data.totalWeight();
        while (!batches.finished()) {
            int t = batches.taken();
            Dataset batch = batches.next();
            VariationalModel.Surrogate s = model.surrogate();
            GaussianStatistics seen = ExpectationMaximization.expectation(steps, batch, s.model(), options.blockSize(),
                    pool).statistics();
            running.stepToward(seen.scaled(1.0 / batch.totalWeight()), miniBatch.stepSize(t));
            model = maximize(running.scaled(total), p, data.columnNames());
        }
        return model;
    }

    /** The given responsibilities, checked, or one-hot on the clusters of emkit's k-means search. */
    private double[] startingResponsibilities(Dataset data) {
        int n = data.rows();
        double[] out = new double[n * k];
        if (initialResponsibilities != null) {
            if (initialResponsibilities.length != n) {
                throw new EmkitException("the initial responsibilities have " + initialResponsibilities.length
                        + " rows; the data have " + n);
            }
            for (int i = 0; i < n; i++) {
                double[] r = initialResponsibilities[i];
                if (r.length != k) {
                    throw new EmkitException("initial responsibilities row " + (i + 1) + " has " + r.length
                            + " values; expected " + k);
                }
                System.arraycopy(r, 0, out, i * k, k);
            }
            return out;
        }
        int[] labels = io.emkit.kmeans.KMeans.withClusters(k).options(options.withInitializations(1)
                .withSearch(io.emkit.em.Search.Level.DEFAULT).withTolerance(1e-4)).fit(data).params().predict(data);
        for (int i = 0; i < n; i++) {
            out[i * k + labels[i]] = 1;
        }
        return out;
    }

    /** A model whose only use is the shift of empty statistics: every mean at the prior's mean. */
    private GaussianMixtureModel placeholder(VariationalPrior.Resolved p, int d, List<String> names) {
        double[] w = new double[k];
        double[] means = new double[k * d];
        for (int c = 0; c < k; c++) {
            w[c] = 1.0 / k;
            System.arraycopy(p.mean0(), 0, means, c * d, d);
        }
        double[][] cov = new double[type == CovarianceType.TIED ? 1 : k][];
        for (int c = 0; c < cov.length; c++) {
            cov[c] = switch (type) {
                case DIAG -> filled(d, 1.0);
                case SPHERICAL -> new double[] {1.0};
                default -> {
                    double[] identity = new double[d * d];
                    for (int j = 0; j < d; j++) {
                        identity[j * d + j] = 1;
                    }
                    yield identity;
                }
            };
        }
        return GaussianMixtureModel.ofFlat(type, w, means, cov, d, names);
    }

    private static double[] filled(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    /** The M-step: the posterior given the responsibility-weighted counts, means and scatters. */
    private VariationalModel maximize(GaussianStatistics s, VariationalPrior.Resolved p, List<String> names) {
        int d = p.mean0().length;
        double[] raw = s.componentWeights();
        double[] nk = new double[k];
        double[][] xk = new double[k][];
        double[][] sk = new double[k][];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            nk[c] = raw[c] + EMPTY_COUNT;
            sum += nk[c];
            xk[c] = raw[c] > 0 ? s.mean(c) : new double[d];
            double[] scatter = raw[c] > 0 ? s.scatter(c) : new double[d * d];
            sk[c] = scatter;
        }
        // Weights.
        double[] a = new double[k];
        double[] b = null;
        if (p.weightPrior() == WeightPrior.DIRICHLET_PROCESS) {
            b = new double[k];
            double after = 0;
            for (int c = k - 1; c >= 0; c--) {
                a[c] = 1 + nk[c];
                b[c] = p.alpha() + after;
                after += nk[c];
            }
        } else {
            for (int c = 0; c < k; c++) {
                a[c] = p.alpha() + nk[c];
            }
        }
        // Means.
        double[] beta = new double[k];
        double[] means = new double[k * d];
        for (int c = 0; c < k; c++) {
            beta[c] = p.beta0() + nk[c];
            for (int j = 0; j < d; j++) {
                means[c * d + j] = (p.beta0() * p.mean0()[j] + nk[c] * xk[c][j]) / beta[c];
            }
        }
        // Precisions: the Wishart's scale, normalised by its degrees of freedom.
        double[] nu;
        double[][] cov;
        double[] psi0 = p.psi0();
        switch (type) {
            case TIED -> {
                nu = new double[] {p.nu0() + sum / k};
                double[] t = new double[d * d];
                for (int c = 0; c < k; c++) {
                    for (int q = 0; q < d * d; q++) {
                        t[q] += sk[c][q];
                    }
                }
                double[] out = new double[d * d];
                for (int x = 0; x < d; x++) {
                    for (int y = 0; y < d; y++) {
                        double scatter = t[x * d + y] / sum + (x == y ? regCovar : 0);
                        double between = 0;
                        for (int c = 0; c < k; c++) {
                            between += nk[c] / beta[c] * (xk[c][x] - p.mean0()[x]) * (xk[c][y] - p.mean0()[y]);
                        }
                        out[x * d + y] = (psi0[x * d + y] + scatter * sum / k + p.beta0() / k * between) / nu[0];
                    }
                }
                cov = new double[][] {out};
            }
            default -> {
                nu = new double[k];
                cov = new double[k][];
                for (int c = 0; c < k; c++) {
                    nu[c] = p.nu0() + nk[c];
                    double shrink = p.beta0() / beta[c];
                    double[] diff = new double[d];
                    for (int j = 0; j < d; j++) {
                        diff[j] = xk[c][j] - p.mean0()[j];
                    }
                    cov[c] = switch (type) {
                        case FULL -> {
                            double[] out = new double[d * d];
                            for (int x = 0; x < d; x++) {
                                for (int y = 0; y < d; y++) {
                                    double scatter = sk[c][x * d + y] / nk[c] + (x == y ? regCovar : 0);
                                    out[x * d + y] = (psi0[x * d + y] + nk[c] * scatter + nk[c] * shrink * diff[x] * diff[y])
                                            / nu[c];
                                }
                            }
                            yield out;
                        }
                        case DIAG -> {
                            double[] out = new double[d];
                            for (int j = 0; j < d; j++) {
                                double variance = sk[c][j * d + j] / nk[c] + regCovar;
                                out[j] = (psi0[j] + nk[c] * (variance + shrink * diff[j] * diff[j])) / nu[c];
                            }
                            yield out;
                        }
                        default -> {
                            double variance = 0;
                            double squared = 0;
                            for (int j = 0; j < d; j++) {
                                variance += sk[c][j * d + j] / nk[c] + regCovar;
                                squared += diff[j] * diff[j];
                            }
                            yield new double[] {(psi0[0] + nk[c] * (variance / d + shrink * squared / d)) / nu[c]};
                        }
                    };
                }
            }
        }
        return new VariationalModel(type, p.weightPrior(), a, b, beta, means, nu, cov, names);
    }

    /**
     * {@code Σ_i Σ_k r_ik ρ_ik} from the E-step's statistics: per component {@code N_k c_k} plus the
     * responsibility-weighted Gaussian log densities, {@code N_k (−½ D ln 2π − ½ ln |Σ_k|) − ½ tr(Σ_k⁻¹ A_k)} with
     * {@code A_k = Σ_i r_ik (x_i − m_k)(x_i − m_k)ᵀ}, the scatter about the weighted mean moved to {@code m_k}.
     */
    private double expectedLogJoint(VariationalModel model, VariationalModel.Surrogate s, GaussianStatistics e) {
        int d = model.dimension();
        double[] n = e.componentWeights();
        double[] m = model.flatMeans();
        double total = 0;
        for (int c = 0; c < k; c++) {
            if (!(n[c] > 0)) {
                continue;
            }
            double[] a = e.scatter(c);
            double[] mean = e.mean(c);
            for (int x = 0; x < d; x++) {
                for (int y = 0; y < d; y++) {
                    a[x * d + y] += n[c] * (mean[x] - m[c * d + x]) * (mean[y] - m[c * d + y]);
                }
            }
            total += n[c] * (s.offsets()[c] - d * VariationalModel.halfLog2Pi() - 0.5 * model.logDeterminant(c))
                    - 0.5 * model.traceOfInverseTimes(c, a);
        }
        return total;
    }

    /**
     * The terms of the bound that depend on the posterior alone, as scikit-learn writes them: minus the
     * Wishart normalisers ({@code K} times the shared one for tied), minus the weights' Dirichlet (or Beta)
     * normaliser, minus {@code ½ D Σ ln β_k}.
     */
    private double boundOfPosterior(VariationalModel model, VariationalPrior.Resolved p) {
        int d = model.dimension();
        double logWishart = 0;
        int wisharts = type == CovarianceType.TIED ? 1 : k;
        for (int c = 0; c < wisharts; c++) {
            double nu = model.nu(c);
            double logDetPrecisionFactor = -0.5 * model.logDeterminant(c) - 0.5 * d * Math.log(nu);
            double norm = nu * logDetPrecisionFactor + nu * d * 0.5 * Math.log(2);
            for (int j = 0; j < d; j++) {
                norm += SpecialFunctions.logGamma(0.5 * (nu - j));
            }
            logWishart -= norm;
        }
        if (type == CovarianceType.TIED) {
            logWishart *= k;
        }
        double[] a = model.weightConcentration();
        double[] b = model.stickConcentration();
        double logNormWeight;
        if (b != null) {
            logNormWeight = 0;
            for (int c = 0; c < k; c++) {
                logNormWeight -= SpecialFunctions.logGamma(a[c]) + SpecialFunctions.logGamma(b[c])
                        - SpecialFunctions.logGamma(a[c] + b[c]);
            }
        } else {
            double sum = 0;
            logNormWeight = 0;
            for (double v : a) {
                sum += v;
                logNormWeight -= SpecialFunctions.logGamma(v);
            }
            logNormWeight += SpecialFunctions.logGamma(sum);
        }
        double logBeta = 0;
        for (double v : model.meanPrecision()) {
            logBeta += Math.log(v);
        }
        return -logWishart - logNormWeight - 0.5 * d * logBeta;
    }

    @Override
    public String toString() {
        return "VariationalMixture[K=" + k + ", " + type.label() + ", " + prior + "]";
    }
}
