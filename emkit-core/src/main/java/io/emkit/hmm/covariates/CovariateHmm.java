package io.emkit.hmm.covariates;

import io.emkit.EmkitException;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.IterationListener;
import io.emkit.em.SearchSpace;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;

import java.util.SplittableRandom;

/**
 * Fits an input–output HMM (transitions that depend on covariates) by generalised EM on
 * {@link ExpectationMaximization}: the emissions and the EM options of a {@link HiddenMarkov} configuration.
 * Immutable.
 *
 * <pre>{@code
 * EmResult<CovariateHmmModel> fit = CovariateHmm.of(HiddenMarkov.gaussian(2, CovarianceType.DIAG).seed(42))
 *         .fit(CovariateSequences.of(sequences, covariates, List.of("temperature")));
 * }</pre>
 *
 * <p><b>Initialisation.</b> Each start runs a short Baum–Welch fit of the HMM configuration on the observations
 * (one start, a few iterations, from the start's own random stream); its start distribution and emissions become
 * the model's, its transition matrix the intercepts ({@link TransitionRegression#constant}), the slopes start at 0.
 * Or the fit starts from a given model ({@link #fit(CovariateSequences, CovariateHmmModel)}).
 *
 * <p><b>Threads and order.</b> As for the HMM: the sequences are put in canonical order (by length, then by the
 * observations and covariates) and cut into {@code ceil(n / 64)}-sequence blocks, so the result is the same bit for
 * bit for any thread count; the transitions' M-step reads the sequences in row order whatever the blocks, and fits
 * the origin states' rows (independent of one another) on the same number of threads. As for the
 * HMM, a sequence of 32768 steps or more is cut into chunks of 16384 steps (a constant) whose densities,
 * transition matrices, posteriors and expected counts run in parallel, the forward and a backward sweep side by
 * side; shorter sequences run on one thread each. The M-step keeps every
 * step's expected transitions: {@code 8·S²} bytes per step.
 *
 * <p>Not supported: topologies, fixed parameters and priors (set on the HMM configuration, they act only on the
 * short HMM fit each start begins with).
 */
public final class CovariateHmm {
    /** Baum–Welch iterations of the HMM fit that starts each start. */
    static final int START_ITERATIONS = 10;

    private final HiddenMarkov hmm;

    private CovariateHmm(HiddenMarkov hmm) {
        this.hmm = hmm;
    }

    /**
     * @param hmm the emissions and EM options (seed, threads, tolerance, initialisations or search)
     * @return the configuration
     */
    public static CovariateHmm of(HiddenMarkov hmm) {
        return new CovariateHmm(hmm);
    }

    /**
     * @param options how EM runs
     * @return a changed copy
     */
    public CovariateHmm options(EmOptions options) {
        return new CovariateHmm(hmm.options(options));
    }

    /** @return the EM options */
    public EmOptions options() {
        return hmm.options();
    }

    /** @return the emission family */
    public EmissionKind emissionKind() {
        return hmm.emissionKind();
    }

    /**
     * Fits the model from the configuration's starts.
     *
     * @param data the sequences with their covariates
     * @return the best run's model and how the fit went
     * @throws EmkitException if the data cannot be fitted
     */
    public EmResult<CovariateHmmModel> fit(CovariateSequences data) {
        return run(data, null);
    }

    /**
     * Fits the model from a given start (one run).
     *
     * @param data  the sequences with their covariates
     * @param start the starting model, for the data's columns and covariates
     * @return the model and how the fit went
     * @throws EmkitException if the data cannot be fitted or the start does not fit the data
     */
    public EmResult<CovariateHmmModel> fit(CovariateSequences data, CovariateHmmModel start) {
        return run(data, java.util.Objects.requireNonNull(start, "start"));
    }

    /**
     * This fit with its E-steps run by another engine over sequences it holds (Spark, in emkit-spark): each step of
     * the engine's sequences is its observations followed by its {@code covariateNames.size()} covariates, and each
     * part's E-step is this fit's ({@link CovariateHmmSteps#accumulate}), its statistics keeping the part's
     * expected transitions with their covariates under the steps' global rows; the loop is
     * {@link #fit(CovariateSequences)}'s, its starts looking at the sample only. Given every sequence as the sample,
     * the fit is {@link #fit(CovariateSequences)}'s up to rounding. The driver holds every step's expected
     * transitions and covariates in the M-step, as one machine does.
     *
     * @param covariateNames the covariates' names, in their columns' order
     * @return the plan
     */
    public io.emkit.em.DistributedFit.OverSequences<CovariateHmmModel, CovariateHmmStatistics> distributed(
            java.util.List<String> covariateNames) {
        java.util.List<String> names = java.util.List.copyOf(covariateNames);
        return new io.emkit.em.DistributedFit.OverSequences<>(new Kernel(names), (runner, extent, sample) -> {
            if (extent.steps() > Integer.MAX_VALUE) {
                throw new EmkitException("an input-output HMM keeps every step's expected transitions: at most "
                        + Integer.MAX_VALUE + " steps, the data have " + extent.steps());
            }
            return run(split(sample, names), null, runner, extent.steps());
        }, hmm.options().seed());
    }

    /** Steps whose last {@code p} columns are covariates, as observations and covariates. */
    private static CovariateSequences split(io.emkit.data.Sequences steps, java.util.List<String> covariateNames) {
        int p = covariateNames.size();
        int d = steps.dimension() - p;
        if (d < 1) {
            throw new EmkitException("no observation columns");
        }
        io.emkit.data.Sequences covariates = steps.columns(d, d + p);
        return CovariateSequences.of(steps.columns(0, d), covariates.rawValues(), covariateNames);
    }

    /** The E-step of a part of the sequences, their last columns the covariates. */
    private static final class Kernel
            implements io.emkit.em.DistributedFit.OverSequences.Kernel<CovariateHmmModel, CovariateHmmStatistics> {
        private static final long serialVersionUID = 1L;
        private final java.util.List<String> covariateNames;

        Kernel(java.util.List<String> covariateNames) {
            this.covariateNames = covariateNames;
        }

        @Override
        public CovariateHmmStatistics emptyStatistics(CovariateHmmModel params) {
            return new CovariateHmmStatistics(params.states(), params.emission().emptyStatistics());
        }

        @Override
        public double accumulate(CovariateHmmModel params, io.emkit.data.Sequences sequences, long firstStep,
                                 CovariateHmmStatistics stats) {
            CovariateSequences part = split(sequences, covariateNames);
            CovariateHmmStatistics own = emptyStatistics(params);
            double ll = new CovariateHmmSteps(0.0, null).accumulate(params, part, 0, part.observations().count(),
                    own);
            // The part's sequences under their rows among all the steps, as the M-step orders them.
            int offset = Math.toIntExact(firstStep);
            CovariateHmmStatistics shifted = emptyStatistics(params);
            System.arraycopy(own.start, 0, shifted.start, 0, own.start.length);
            shifted.emission.mergeFrom(own.emission);
            own.xi.forEach((row, xi) -> shifted.xi.put(Math.addExact(row, offset), xi));
            own.covariates.forEach((row, x) -> shifted.covariates.put(Math.addExact(row, offset), x));
            stats.merge(shifted);
            return ll;
        }
    }

    private EmResult<CovariateHmmModel> run(CovariateSequences data, CovariateHmmModel first) {
        if (data.observations().dimension() < 1) {
            throw new EmkitException("no observation columns");
        }
        return run(data, first, null, 0);
    }

    /**
     * Fits {@code data}, or, with a runner, starts from them (a sample) while the runner's E-steps cover
     * {@code totalSteps} steps.
     */
    private EmResult<CovariateHmmModel> run(CovariateSequences data, CovariateHmmModel first,
                                            io.emkit.em.ExpectationRunner<CovariateHmmModel, CovariateHmmStatistics>
                                                    runner, long totalSteps) {
        CovariateSequences canonical = data.canonicalOrder();
        EmOptions runOptions = hmm.options().withBlockSize(Math.max(1, (canonical.observations().count() + 63) / 64));
        int d = canonical.observations().dimension();
        int s = hmm.states();
        int p = canonical.covariateCount();
        double cost = 10.0 * canonical.observations().totalLength() * s * (s * (p + 1) + (double) d * d)
                * (runner == null ? 1.0 : (double) totalSteps / canonical.observations().totalLength());
        SearchSpace<CovariateHmmModel> space;
        if (first != null) {
            if (first.dimension() != d || first.transitions().covariateCount() != p) {
                throw new EmkitException("the starting model has " + first.dimension() + " features and "
                        + first.transitions().covariateCount() + " covariates, the data " + d + " and " + p);
            }
            CovariateHmmModel named = first.withFeatureNames(canonical.observations().featureNames());
            space = SearchSpace.of("warm start", r -> named, cost);
            runOptions = runOptions.withInitializations(1);
        } else {
            space = SearchSpace.of("short HMM fit", r -> start(canonical, r), cost);
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(runOptions.threads());
        try {
            CovariateHmmSteps steps = new CovariateHmmSteps(hmm.regCovarValue(), canonical, pool);
            return runner == null ? ExpectationMaximization.fit(steps, canonical, space, runOptions)
                    : ExpectationMaximization.fit(steps, runner, (double) totalSteps, space, runOptions);
        } finally {
            pool.shutdownNow();
        }
    }

    private CovariateHmmModel start(CovariateSequences data, SplittableRandom random) {
        EmOptions o = hmm.options().withInitializations(1).withMaxIterations(START_ITERATIONS)
                .withListener(IterationListener.NONE).withSeed(random.nextLong()).withThreads(1);
        HiddenMarkovModel h = hmm.options(o).fit(data.observations()).params();
        return CovariateHmmModel.fromHiddenMarkov(h, data.covariateNames())
                .withFeatureNames(data.observations().featureNames());
    }

    @Override
    public String toString() {
        return "CovariateHmm[" + hmm + "]";
    }
}
