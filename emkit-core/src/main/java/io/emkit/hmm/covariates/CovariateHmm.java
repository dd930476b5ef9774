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

    private EmResult<CovariateHmmModel> run(CovariateSequences data, CovariateHmmModel first) {
        if (data.observations().dimension() < 1) {
            throw new EmkitException("no observation columns");
        }
        CovariateSequences canonical = data.canonicalOrder();
        EmOptions runOptions = hmm.options().withBlockSize(Math.max(1, (canonical.observations().count() + 63) / 64));
        int d = canonical.observations().dimension();
        int s = hmm.states();
        int p = canonical.covariateCount();
        double cost = 10.0 * canonical.observations().totalLength() * s * (s * (p + 1) + (double) d * d);
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
            return ExpectationMaximization.fit(new CovariateHmmSteps(hmm.regCovarValue(), canonical, pool), canonical,
                    space, runOptions);
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
