package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.data.Rows;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.SearchSpace;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import io.emkit.mixture.Assignment;
import io.emkit.mixture.DataChecks;

import java.util.Objects;

/**
 * Configures and runs the fit of a mixture of factor analysers ({@link FactorAnalyserMixtureModel}) by EM
 * ({@link FactorAnalyserSteps}). Immutable; each setter returns a changed copy.
 *
 * <p>A fit is described by a {@link GaussianMixture} configuration — components, initialisation,
 * {@code regCovar}, EM options (seed, threads, tolerance, iterations, search) — and the number of factors Q. It
 * searches from the starts a full-covariance Gaussian fit of that configuration would take
 * ({@link GaussianMixture#searchSpace}: k-means++, random rows, random responsibilities, hierarchical
 * clustering), each turned into loadings and uniquenesses ({@link FactorStarts}: the top Q eigenvectors of each
 * component's covariance, the diagonal residual as uniquenesses), and ranks them by the factor analysers'
 * likelihood. On data of more than {@value WideStarts#WIDE_COLUMNS} columns, where those starts' {@code D × D}
 * covariances would cost more than the fit, the starts are partitions of the rows instead (k-means++ and k-means,
 * random rows, random responsibilities), each component the probabilistic PCA of its rows found by subspace
 * iteration ({@link WideStarts}): no {@code D × D} matrix at any point. A warm start ({@link #initialModel}) makes one run instead. The same seed gives the same result bit
 * for bit whatever the number of threads.
 *
 * <p>Missing values ({@code NaN}, in memory) are fitted exactly on each row's observed coordinates (assumed
 * missing at random). Not yet: common factor loadings (MCFA), hard
 * assignment, priors, mini-batch EM. Other engines (Spark) run it through {@link #distributed()}.
 */
public final class FactorAnalyserMixture {
    private final GaussianMixture gaussian;
    private final int factors;
    private final FactorAnalyserMixtureModel initialModel;

    private FactorAnalyserMixture(GaussianMixture gaussian, int factors, FactorAnalyserMixtureModel initialModel) {
        this.gaussian = Objects.requireNonNull(gaussian, "gaussian");
        this.factors = factors;
        this.initialModel = initialModel;
    }

    /**
     * A mixture of factor analysers configured like a Gaussian one (whose covariance structure it ignores).
     *
     * @param gaussian components, initialisation, {@code regCovar} and EM options; soft assignment, no prior, no
     *                 mini-batches
     * @param factors  factors per component, at least 1 (and fewer than the data's columns)
     * @return the configuration
     * @throws EmkitException if {@code factors} is below 1 or the Gaussian configuration asks for what mixtures of
     *                        factor analysers do not do yet
     */
    public static FactorAnalyserMixture like(GaussianMixture gaussian, int factors) {
        if (factors < 1) {
            throw new EmkitException("a mixture of factor analysers needs at least 1 factor, got " + factors);
        }
        if (gaussian.assignment() != Assignment.SOFT) {
            throw new EmkitException("mixtures of factor analysers are fitted by ordinary (soft) EM; hard assignment"
                    + " is not supported");
        }
        if (gaussian.prior() != null) {
            throw new EmkitException("mixtures of factor analysers are fitted by maximum likelihood; a prior is not"
                    + " supported");
        }
        if (gaussian.miniBatch() != null) {
            throw new EmkitException("mixtures of factor analysers are fitted by full EM; mini-batch EM is not"
                    + " supported");
        }
        return new FactorAnalyserMixture(gaussian.covarianceType(CovarianceType.FULL), factors, null);
    }

    /**
     * @param model start EM from these parameters (one run) instead of the search; {@code null} for the search
     * @return a changed copy
     */
    public FactorAnalyserMixture initialModel(FactorAnalyserMixtureModel model) {
        return new FactorAnalyserMixture(gaussian, factors, model);
    }

    /** @return the Gaussian configuration the fit takes its settings and starts from (full covariance) */
    public GaussianMixture gaussian() {
        return gaussian;
    }

    /** @return the factors per component */
    public int factors() {
        return factors;
    }

    /** @return the E- and M-step of this configuration */
    public FactorAnalyserSteps steps() {
        return new FactorAnalyserSteps(gaussian.regCovar());
    }

    /**
     * Fits the mixture of factor analysers to the rows of {@code data}.
     *
     * @param data rows to fit: no infinite values, more columns than factors, at least K distinct rows, weighted
     *             or not, in memory or streamed from a file ({@link io.emkit.data.EmkFile#map}, each E-step then
     *             reads it block by block and the starts look at rows spread over it); missing values
     *             ({@code NaN}) are allowed as long as every column has an observed one
     * @return the model (named after the data's columns) and how the fit went
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<FactorAnalyserMixtureModel> fit(Rows data) {
        checkData(data);
        return ExpectationMaximization.fit(steps(), data, searchSpace(data, data.rows()), runOptions());
    }

    /**
     * The checks of a fit's rows: no infinite value (missing ones allowed), at least K distinct rows in memory,
     * more columns than factors.
     */
    void checkData(Rows data) {
        if (data instanceof io.emkit.data.Dataset inMemory) {
            DataChecks.requireFittable(inMemory, gaussian.components(), "component", true);
        } else {
            // Streamed from disk: missing values are taken as in memory (the E-step reads each block's rows);
            // the starts check the rows they look at, as a streamed Gaussian fit's do.
            int[] bad = data.firstInfinite();
            if (bad != null) {
                throw new EmkitException("row " + (bad[0] + 1) + ", column " + (bad[1] + 1) + " ('"
                        + data.columnNames().get(bad[1]) + "'): infinite value; fitting needs finite or missing values");
            }
        }
        checkFactors(data.columns());
    }

    /**
     * This fit with its E-steps run by another engine — Spark, for instance — through the same loop as
     * {@link #fit(Rows)}: the starts come from the sample the engine passes, a sample of the rows in memory (all
     * of them, in order, when there are few enough: then the fit is this machine's); every E-step visits all the
     * rows, missing values included.
     *
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<FactorAnalyserMixtureModel, FactorAnalyserStatistics> distributed() {
        return new DistributedFit<>(steps(), (runner, rows, sample) -> {
            DataChecks.requireFittable(sample, gaussian.components(), "component", true);
            checkFactors(sample.columns());
            return ExpectationMaximization.fit(steps(), runner, DistributedFit.units(rows, sample),
                    searchSpace(sample, rows), runOptions());
        });
    }

    private void checkFactors(int columns) {
        if (factors >= columns) {
            throw new EmkitException(factors + " factors need more than " + factors + " columns; the data have "
                    + columns + " (use at most " + (columns - 1) + " factors)");
        }
    }

    /** The EM options of a fit: one run from a warm start or from the (deterministic) hierarchical start. */
    EmOptions runOptions() {
        EmOptions options = gaussian.options();
        boolean single = initialModel != null
                || gaussian.initialization() == Initialization.HIERARCHICAL && options.search() == null;
        return single ? options.withInitializations(1) : options;
    }

    /**
     * The starts of a fit of {@code rows} rows, looking at {@code data} (the rows themselves, or a sample of them
     * another engine holds): a warm start, or the Gaussian starts as factor analysers.
     */
    SearchSpace<FactorAnalyserMixtureModel> searchSpace(Rows data, long rows) {
        int k = gaussian.components();
        if (initialModel != null) {
            if (initialModel.components() != k || initialModel.dimension() != data.columns()
                    || initialModel.factors() != factors) {
                throw new EmkitException("the initial model has " + initialModel.components() + " components, "
                        + initialModel.dimension() + " features and " + initialModel.factors() + " factors; the fit"
                        + " asks for " + k + " components and " + factors + " factors, and the data have "
                        + data.columns() + " columns");
            }
            FactorAnalyserMixtureModel start = initialModel.withFeatureNames(data.columnNames());
            return SearchSpace.of("warm start", r -> start, 1);
        }
        // An E-step costs about n·K·(D·Q + Q²) and the per-pair bookkeeping: what the search sizes its budget from.
        double cost = rows * (double) k * (2.0 * data.columns() * factors + (double) factors * factors + 60);
        if (data.columns() > WideStarts.WIDE_COLUMNS) {
            EmOptions options = gaussian.options();
            return new WideStarts(gaussian.startRows(data), k, factors, gaussian.regCovar(), options.threads(),
                    options.blockSize(), cost);
        }
        return fromGaussianStarts(gaussian.searchSpace(data), cost);
    }

    /** The full-covariance Gaussian starts as factor analysers ({@link FactorStarts}). */
    private SearchSpace<FactorAnalyserMixtureModel> fromGaussianStarts(SearchSpace<GaussianMixtureModel> starts,
                                                                       double cost) {
        return SearchSpace.startsOf(starts, g -> FactorStarts.fromGaussian(g, factors), cost);
    }

    @Override
    public String toString() {
        return "FactorAnalyserMixture[" + gaussian + ", " + factors + " factors]";
    }
}
