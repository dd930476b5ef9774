package io.emkit.hmm.semimarkov;

import io.emkit.EmkitException;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.IterationListener;
import io.emkit.em.SearchSpace;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.Sequences;

import java.util.SplittableRandom;

/**
 * Fits a hidden semi-Markov model by EM on {@link ExpectationMaximization}: the emissions and the EM options of a
 * {@link HiddenMarkov} configuration, plus a duration family and the longest duration Dmax. Immutable.
 *
 * <pre>{@code
 * EmResult<SemiMarkovModel> fit = SemiMarkov.of(HiddenMarkov.gaussian(3, CovarianceType.DIAG).seed(42),
 *         Durations.Family.POISSON, 50).fit(sequences);
 * }</pre>
 *
 * <p><b>Initialisation.</b> Each start runs a short Baum–Welch fit of the HMM configuration (one start, a few
 * iterations, from the start's own random stream); its emissions, start distribution and moves between states
 * ({@code a_ij / (1 − a_ii)}) become the semi-Markov model's, and each state's mean duration {@code 1 / (1 − a_ii)}
 * (at most Dmax) sets its duration distribution ({@link Durations#fromMeans}).
 *
 * <p><b>Threads and order.</b> As for the HMM: the sequences are put in {@linkplain Sequences#canonicalOrder()
 * canonical order} and cut into {@code ceil(n / 64)}-sequence blocks, so the result is the same bit for bit for
 * any thread count. Each sequence runs on one thread (long sequences are not cut into chunks, unlike the HMM's).
 *
 * <p>Not supported (yet) by the semi-Markov EM: topologies, fixed parameters, priors and a starting model. Set on
 * the HMM configuration, they act only on the short HMM fit each start begins with; the semi-Markov EM then
 * keeps only the zeros of the start distribution and of the transitions it got from it.
 */
public final class SemiMarkov {
    /** Baum–Welch iterations of the HMM fit that starts each semi-Markov start. */
    static final int START_ITERATIONS = 10;

    private final HiddenMarkov hmm;
    private final Durations.Family family;
    private final int maxDuration;

    private SemiMarkov(HiddenMarkov hmm, Durations.Family family, int maxDuration) {
        this.hmm = hmm;
        this.family = family;
        this.maxDuration = maxDuration;
    }

    /**
     * @param hmm         the emissions and EM options (seed, threads, tolerance, initialisations or search)
     * @param family      the duration family
     * @param maxDuration the longest duration Dmax ≥ 1; at most the longest sequence's length
     * @return the configuration
     */
    public static SemiMarkov of(HiddenMarkov hmm, Durations.Family family, int maxDuration) {
        if (maxDuration < 1) {
            throw new EmkitException("the longest duration Dmax must be at least 1, got " + maxDuration);
        }
        return new SemiMarkov(hmm, family, maxDuration);
    }

    /**
     * @param options how EM runs
     * @return a changed copy
     */
    public SemiMarkov options(EmOptions options) {
        return new SemiMarkov(hmm.options(options), family, maxDuration);
    }

    /** @return the EM options */
    public EmOptions options() {
        return hmm.options();
    }

    /** @return the duration family */
    public Durations.Family family() {
        return family;
    }

    /** @return the longest duration Dmax */
    public int maxDuration() {
        return maxDuration;
    }

    /**
     * Fits the model to the sequences.
     *
     * @param data the sequences; values must lie in the emission family's support
     * @return the best run's model and how the fit went
     * @throws EmkitException if Dmax exceeds the longest sequence or the data cannot be fitted
     */
    public EmResult<SemiMarkovModel> fit(Sequences data) {
        int longest = 0;
        for (int q = 0; q < data.count(); q++) {
            longest = Math.max(longest, data.length(q));
        }
        if (maxDuration > longest) {
            throw new EmkitException("the longest duration Dmax = " + maxDuration + " exceeds the longest sequence ("
                    + longest + " steps): use at most " + longest);
        }
        Sequences canonical = data.canonicalOrder();
        EmOptions options = hmm.options();
        EmOptions runOptions = options.withBlockSize(Math.max(1, (canonical.count() + 63) / 64));
        int d = canonical.dimension();
        int s = hmm.states();
        double cost = 10.0 * canonical.totalLength() * s * (s + maxDuration + (double) d * d);
        return ExpectationMaximization.fit(new SemiMarkovSteps(hmm.regCovarValue()), canonical,
                SearchSpace.of("short HMM fit", r -> start(canonical, r), cost), runOptions);
    }

    private SemiMarkovModel start(Sequences data, SplittableRandom random) {
        EmOptions o = hmm.options().withInitializations(1).withMaxIterations(START_ITERATIONS)
                .withListener(IterationListener.NONE).withSeed(random.nextLong()).withThreads(1);
        HiddenMarkovModel h = hmm.options(o).fit(data).params();
        int s = h.states();
        double[] means = new double[s];
        for (int j = 0; j < s; j++) {
            double stay = h.transition(j, j);
            means[j] = stay >= 1.0 ? maxDuration : 1.0 / (1.0 - stay);
        }
        return SemiMarkovModel.fromHiddenMarkov(h, Durations.fromMeans(family, means, maxDuration))
                .withFeatureNames(data.featureNames());
    }

    /** @return the emission family */
    public EmissionKind emissionKind() {
        return hmm.emissionKind();
    }

    @Override
    public String toString() {
        return "SemiMarkov[" + hmm + ", " + family.label() + " durations, Dmax " + maxDuration + "]";
    }
}
