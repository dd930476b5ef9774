package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.SearchSpace;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.mixture.Assignment;
import io.emkit.mixture.DataChecks;

import java.util.List;
import java.util.Objects;

/**
 * Configures and runs the fit of a Gaussian mixture with a uniform noise component ({@link NoiseMixtureModel})
 * by EM ({@link NoiseMixtureSteps}). Immutable; each setter returns a changed copy.
 *
 * <p>As mclust's {@code Mclust(x, initialization = list(noise = ...))}: a first guess of the noise rows (given,
 * or from nearest-neighbour distances, {@link NearestNeighbourNoise}), the Gaussian components started from the
 * other rows, then EM on all rows with the noise component's density {@code 1/V} fixed by the data's region
 * ({@link NoiseRegion#of}, mclust's {@code hypvol}). The Gaussian starts are the ones a Gaussian fit of the same
 * configuration would search from ({@link GaussianMixture#searchSpace}) on the rows not guessed noise, each with
 * the noise weight at the guessed share; the search ranks them by the likelihood with noise. Seeds, threads,
 * tolerance, iterations and the search level come from the Gaussian configuration's options; the same seed gives
 * the same fit bit for bit whatever the number of threads.
 *
 * <p>Rows may have missing values ({@code NaN}, assumed missing at random): each row is fitted on its observed
 * coordinates ({@link NoiseMixtureSteps}), the region is then the bounding box of each column's observed values
 * ({@link NoiseRegion#of}), and the nearest-neighbour guess measures distances over the coordinates two rows both
 * observe ({@link NearestNeighbourNoise}). Complete data are fitted as they always were.
 *
 * <p>With a prior on the Gaussian configuration ({@link GaussianMixture#prior}), the fit is MAP-EM: the Gaussian
 * components' M-step is the Gaussian posterior mode ({@link io.emkit.gaussian.GaussianPrior}, its unset values
 * taken from all the rows), the noise weight stays {@code n₀ / n} (mclust's priors, too, leave the noise's
 * proportion to maximum likelihood), and the log posterior never decreases.
 *
 * <p>Other engines (Spark) run it through {@link #distributed()}. Not yet: hard assignment, mini-batch EM.
 */
public final class NoiseMixture {
    /** The noise weight a fit starts from when the guess finds (almost) no noise. */
    static final double MIN_START_WEIGHT = 0.01;

    private final GaussianMixture gaussian;
    private final boolean[] initialNoise;
    private final int neighbours;
    private final NoiseMixtureModel initialModel;

    private NoiseMixture(GaussianMixture gaussian, boolean[] initialNoise, int neighbours,
                         NoiseMixtureModel initialModel) {
        this.gaussian = Objects.requireNonNull(gaussian, "gaussian");
        this.initialNoise = initialNoise;
        this.neighbours = neighbours;
        this.initialModel = initialModel;
    }

    /**
     * A noise mixture configured like a Gaussian one, its noise guessed from {@value
     * NearestNeighbourNoise#DEFAULT_NEIGHBOURS}-th nearest-neighbour distances.
     *
     * @param gaussian components, structure, {@code regCovar}, prior and EM options; soft assignment, no
     *                 mini-batches
     * @return the configuration
     * @throws EmkitException if the Gaussian configuration asks for what noise mixtures do not do yet
     */
    public static NoiseMixture like(GaussianMixture gaussian) {
        if (gaussian.assignment() != Assignment.SOFT) {
            throw new EmkitException("a noise component is fitted by ordinary (soft) EM; hard assignment is not"
                    + " supported");
        }
        if (gaussian.miniBatch() != null) {
            throw new EmkitException("a noise component is fitted by full EM; mini-batch EM is not supported");
        }
        return new NoiseMixture(gaussian, null, NearestNeighbourNoise.DEFAULT_NEIGHBOURS, null);
    }

    /**
     * @param noise one flag per row of the data {@link #fit} will get, true for the rows to start as noise;
     *              {@code null} to guess them from nearest-neighbour distances
     * @return a changed copy
     */
    public NoiseMixture initialNoise(boolean[] noise) {
        return new NoiseMixture(gaussian, noise == null ? null : noise.clone(), neighbours, initialModel);
    }

    /**
     * @param k the neighbour whose distance the noise guess uses (at least 1)
     * @return a changed copy
     * @throws EmkitException if {@code k} is below 1
     */
    public NoiseMixture neighbours(int k) {
        if (k < 1) {
            throw new EmkitException("the noise guess's neighbour count must be at least 1, got " + k);
        }
        return new NoiseMixture(gaussian, initialNoise, k, initialModel);
    }

    /**
     * @param model start EM from these parameters (one run) instead of the guess and the search; {@code null}
     *              for the guess
     * @return a changed copy
     */
    public NoiseMixture initialModel(NoiseMixtureModel model) {
        return new NoiseMixture(gaussian, initialNoise, neighbours, model);
    }

    /** @return the Gaussian configuration the fit takes its settings and starts from */
    public GaussianMixture gaussian() {
        return gaussian;
    }

    /**
     * @return the E- and M-step of this configuration by maximum likelihood
     * @throws EmkitException if the configuration has a prior, which takes values from the data: use
     *                        {@link #steps(Dataset)}
     */
    public NoiseMixtureSteps steps() {
        if (gaussian.prior() != null) {
            throw new EmkitException("a prior takes values from the data: ask for the steps with the data");
        }
        return new NoiseMixtureSteps(gaussian.covarianceType(), gaussian.regCovar());
    }

    /**
     * @param data the rows the fit gets, from which a prior takes its unset values
     *             ({@link GaussianMixture#resolvedPrior})
     * @return the E- and M-step of this configuration: MAP-EM under the Gaussian configuration's prior, if any
     */
    public NoiseMixtureSteps steps(Dataset data) {
        return new NoiseMixtureSteps(new GaussianMixtureSteps(gaussian.covarianceType(), gaussian.regCovar(),
                Assignment.SOFT, gaussian.resolvedPrior(data)));
    }

    /**
     * The rows the fit starts as noise: the given flags, or the nearest-neighbour guess.
     *
     * @param data the rows the fit gets
     * @return one flag per row
     * @throws EmkitException if the given flags do not match the rows
     */
    public boolean[] startingNoise(Dataset data) {
        if (initialNoise != null) {
            if (initialNoise.length != data.rows()) {
                throw new EmkitException("the initial noise has " + initialNoise.length + " flags; the data have "
                        + data.rows() + " rows");
            }
            return initialNoise.clone();
        }
        return NearestNeighbourNoise.guess(data, Math.min(neighbours, data.rows() - 1));
    }

    /**
     * Fits the Gaussian components and the noise to the rows of {@code data}.
     *
     * @param data rows, weighted or not; missing values ({@code NaN}) allowed
     * @return the model (named after the data's columns) and how the fit went
     * @throws EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<NoiseMixtureModel> fit(Dataset data) {
        check(data);
        return ExpectationMaximization.fit(steps(data), data, searchSpace(data, data.rows()),
                runOptions(initialModel));
    }

    /**
     * This fit with its E-steps run by another engine — Spark, for instance — through the same loop as
     * {@link #fit(Dataset)}. The noise region ({@link NoiseRegion#of}), the nearest-neighbour guess of the
     * starting noise and the Gaussian starts come from the sample the engine passes: when the engine passes all
     * the rows, in order (Spark does up to {@code 100,000} rows), the fit is this machine's. Beyond, the region
     * is the sample's box, which may miss the most extreme rows; the density {@code 1/V} is then a little larger
     * than all the rows' box would give, and every E-step still visits all the rows. Starting noise flags
     * ({@link #initialNoise}) number the rows, so they need every row in the sample.
     *
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<NoiseMixtureModel, NoiseStatistics> distributed() {
        // The E-step does not use the prior: the kernel shipped to the partitions is the same whatever the data.
        NoiseMixtureSteps kernel = new NoiseMixtureSteps(gaussian.covarianceType(), gaussian.regCovar());
        return new DistributedFit<>(kernel, (runner, rows, sample) -> {
            check(sample);
            if (initialNoise != null && initialModel == null && rows != sample.rows()) {
                throw new EmkitException("starting noise flags number the rows: they need every row in the sample ("
                        + rows + " rows, a sample of " + sample.rows() + ")");
            }
            return ExpectationMaximization.fit(steps(sample), runner, DistributedFit.units(rows, sample),
                    searchSpace(sample, rows),
                    runOptions(initialModel));
        });
    }

    /** Refuses rows the fit cannot take. */
    private void check(Dataset data) {
        int k = gaussian.components();
        DataChecks.requireFittable(data, k, "component", true);
        if (data.rows() < k + 1) {
            throw new EmkitException("a noise component beside " + k + " component" + (k == 1 ? "" : "s")
                    + " needs at least " + (k + 1) + " rows; the data have " + data.rows());
        }
    }

    /** The EM options of a fit: one run from a warm start ({@code warmStart} not null). */
    private EmOptions runOptions(Object warmStart) {
        return warmStart != null ? gaussian.options().withInitializations(1) : gaussian.options();
    }

    /**
     * The starts of a fit of {@code rows} rows, looking at {@code data} (the rows themselves, or a sample of them
     * another engine holds): a warm start, or the noise guess, the region and the Gaussian starts of the rows not
     * guessed noise, with an E-step's cost scaled to all the rows.
     */
    private SearchSpace<NoiseMixtureModel> searchSpace(Dataset data, long rows) {
        if (initialModel != null) {
            checkWarmStart(initialModel.components(), initialModel.dimension(), data);
            NoiseMixtureModel start = initialModel.withFeatureNames(data.columnNames());
            return SearchSpace.of("warm start", r -> start, 1);
        }
        NoiseRegion region = NoiseRegion.of(data);
        boolean[] noise = startingNoise(data);
        Dataset signal = signalRows(data, noise);
        double share = Math.max(MIN_START_WEIGHT, 1 - signal.totalWeight() / data.totalWeight());
        double scale = data.totalWeight() / signal.totalWeight();
        if (rows != data.rows()) {
            scale *= (double) rows / data.rows();
        }
        return fromGaussianStarts(gaussian.searchSpace(signal), share, region, scale);
    }

    /** Makes a start of a mixture beside the noise from a Gaussian start of the rows not guessed noise. */
    @FunctionalInterface
    interface StartBeside<N> {
        /**
         * @param gaussian the Gaussian start
         * @param share    the noise's starting weight
         * @param region   the noise's region
         * @return the start
         */
        N of(GaussianMixtureModel gaussian, double share, NoiseRegion region);
    }

    /**
     * The fit of another mixture beside this configuration's noise (t components, factor analysers): the data's
     * checks; the warm start {@code initialModel}, or this configuration's noise guess and the Gaussian starts of the
     * rows not guessed noise, each made a start by {@code startBeside} with the noise at its guessed share; then EM
     * by {@code steps}. Each start's E-step counts twice the Gaussian one's (the mixture's, then a pass for the noise).
     *
     * @param named the warm start named after the data's columns
     */
    <N extends MixtureBesideNoise<?>, S extends io.emkit.em.SufficientStatistics<S>> EmResult<N> fitBeside(
            Dataset data, N initialModel, io.emkit.em.EmSteps.OfRows<io.emkit.data.Rows, N, S> steps,
            StartBeside<N> startBeside, java.util.function.BiFunction<N, List<String>, N> named) {
        check(data);
        return ExpectationMaximization.fit(steps, data, searchSpaceBeside(data, data.rows(), initialModel, startBeside,
                named), runOptions(initialModel));
    }

    /**
     * {@link #fitBeside} with its E-steps run by another engine (Spark): the checks, the region, the noise guess and
     * the starts come from the sample the engine passes, as {@link #distributed()}'s do, so with every row in the
     * sample, in order, the fit is this machine's.
     *
     * @param steps the steps, shipped to the engine's workers
     */
    <N extends MixtureBesideNoise<?>, S extends io.emkit.em.SufficientStatistics<S>,
            T extends io.emkit.em.EmSteps.OfRows<io.emkit.data.Rows, N, S> & io.emkit.em.PartitionSteps<N, S>>
    DistributedFit<N, S> distributedBeside(N initialModel, T steps, StartBeside<N> startBeside,
                                           java.util.function.BiFunction<N, List<String>, N> named,
                                           java.util.function.Consumer<Dataset> checks) {
        return new DistributedFit<>(steps, (runner, rows, sample) -> {
            check(sample);
            checks.accept(sample);
            if (initialNoise != null && initialModel == null && rows != sample.rows()) {
                throw new EmkitException("starting noise flags number the rows: they need every row in the sample ("
                        + rows + " rows, a sample of " + sample.rows() + ")");
            }
            return ExpectationMaximization.fit(steps, runner, DistributedFit.units(rows, sample),
                    searchSpaceBeside(sample, rows, initialModel,
                    startBeside, named), runOptions(initialModel));
        });
    }

    /**
     * The starts of a fit beside the noise of {@code rows} rows, looking at {@code data} (the rows themselves, or a
     * sample of them another engine holds), with an E-step's cost scaled to all the rows.
     */
    private <N extends MixtureBesideNoise<?>> SearchSpace<N> searchSpaceBeside(
            Dataset data, long rows, N initialModel, StartBeside<N> startBeside,
            java.util.function.BiFunction<N, List<String>, N> named) {
        if (initialModel != null) {
            checkWarmStart(initialModel.components(), initialModel.dimension(), data);
            N start = named.apply(initialModel, data.columnNames());
            return SearchSpace.of("warm start", r -> start, 1);
        }
        NoiseRegion region = NoiseRegion.of(data);
        boolean[] flags = startingNoise(data);
        Dataset signal = signalRows(data, flags);
        double share = Math.max(MIN_START_WEIGHT, 1 - signal.totalWeight() / data.totalWeight());
        SearchSpace<GaussianMixtureModel> starts = gaussian.searchSpace(signal);
        double cost = 2 * starts.stepCost() * data.totalWeight() / signal.totalWeight()
                * (rows != data.rows() ? (double) rows / data.rows() : 1);
        return SearchSpace.startsOf(starts, g -> startBeside.of(g, share, region), cost);
    }

    /** Refuses a warm start of another number of components or features than the fit's and the data's. */
    private void checkWarmStart(int components, int dimension, Dataset data) {
        int k = gaussian.components();
        if (components != k || dimension != data.columns()) {
            throw new EmkitException("the initial model has " + components + " components and " + dimension
                    + " features; the fit asks for " + k + " and the data have " + data.columns());
        }
    }

    /** The rows not guessed noise, which the Gaussian starts look at: at least one per component. */
    private Dataset signalRows(Dataset data, boolean[] noise) {
        int k = gaussian.components();
        Dataset signal = rowsWithout(data, noise);
        if (signal.rows() < k) {
            throw new EmkitException("only " + signal.rows() + " rows are not guessed to be noise; " + k
                    + " components need at least " + k + " (give fewer components or fewer neighbours)");
        }
        return signal;
    }

    /** The rows not flagged, with their weights. */
    static Dataset rowsWithout(Dataset data, boolean[] flagged) {
        int d = data.columns();
        int kept = 0;
        for (boolean f : flagged) {
            kept += f ? 0 : 1;
        }
        double[] x = data.rawValues();
        double[] values = new double[kept * d];
        double[] weights = data.isWeighted() ? new double[kept] : null;
        int at = 0;
        for (int i = 0; i < data.rows(); i++) {
            if (!flagged[i]) {
                System.arraycopy(x, i * d, values, at * d, d);
                if (weights != null) {
                    weights[at] = data.weight(i);
                }
                at++;
            }
        }
        Dataset out = Dataset.wrap(values, kept, d, data.columnNames());
        return weights == null ? out : out.withWeights(weights);
    }

    /**
     * The Gaussian starts and moves on the signal rows, each with the noise at its starting share. The cost of
     * an E-step is the Gaussian one scaled to all rows.
     */
    private static SearchSpace<NoiseMixtureModel> fromGaussianStarts(SearchSpace<GaussianMixtureModel> starts,
                                                                     double share, NoiseRegion region, double scale) {
        return SearchSpace.startsAndMovesOf(starts, g -> new NoiseMixtureModel(g, share, region),
                starts.stepCost() * scale, NoiseMixtureModel::gaussian,
                (fitted, g) -> new NoiseMixtureModel(g, fitted.noiseWeight(), fitted.region()));
    }

    @Override
    public String toString() {
        return "NoiseMixture[" + gaussian + ", neighbours " + neighbours + "]";
    }
}
