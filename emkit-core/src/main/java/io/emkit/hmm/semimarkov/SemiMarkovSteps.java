package io.emkit.hmm.semimarkov;

import io.emkit.em.EmSteps;
import io.emkit.em.ParameterVector;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.HmmStatistics;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;

import java.util.function.Consumer;

/**
 * EM for a hidden semi-Markov model: the E-step runs the segment forward–backward pass over each sequence (a unit)
 * and adds its expected counts; the M-step fits the durations to their expected counts ({@link Durations}) and
 * hands the start, transition and emission counts to the hidden Markov model's M-step ({@link BaumWelchSteps}), so
 * everything that M-step does it does here too, the same way: a fixed start distribution, fixed transitions and
 * held emission parts keep their bits, zeros (the diagonal, and what a topology forbids) stay zero, and the
 * Dirichlet priors on the start and transition rows and the prior on Gaussian emissions make it a MAP step (the
 * objective is then the log posterior, {@link #logPrior}). The durations may be held too. Every part is an exact
 * maximiser (the negative binomial's a generalised one), so the objective never decreases.
 */
public final class SemiMarkovSteps implements EmSteps.OfSequences<SemiMarkovModel, SemiMarkovStatistics> {
    private final BaumWelchSteps markov;
    private final boolean fixDurations;
    /**
     * Steps per chunk when a long sequence's emission densities and statistics are computed in parallel (a
     * constant, so that the result ignores the thread count); the segment recursions stay on one thread.
     */
    private final int chunkSteps;
    /** Sequences at least this long have their emission work cut into chunks, as the HMM's E-step does. */
    private final int chunkedFrom;

    /**
     * @param regCovar added to Gaussian emission covariance diagonals (ignored by other emissions)
     */
    public SemiMarkovSteps(double regCovar) {
        this(new BaumWelchSteps(regCovar, false, null, 1.0), false);
    }

    /**
     * @param markov       the hidden Markov model's steps whose M-step (with its fixed parts and priors) serves the
     *                     start, transitions and emissions
     * @param fixDurations keep the durations as they are
     */
    public SemiMarkovSteps(BaumWelchSteps markov, boolean fixDurations) {
        this(markov, fixDurations, BaumWelchSteps.CHUNK_STEPS, BaumWelchSteps.CHUNKED_FROM);
    }

    /**
     * As above, with the emission work of sequences of at least {@code chunkedFrom} steps cut into chunks of
     * {@code chunkSteps}.
     */
    SemiMarkovSteps(BaumWelchSteps markov, boolean fixDurations, int chunkSteps, int chunkedFrom) {
        this.markov = java.util.Objects.requireNonNull(markov, "markov");
        this.fixDurations = fixDurations;
        this.chunkSteps = chunkSteps;
        this.chunkedFrom = chunkedFrom;
    }

    @Override
    public SemiMarkovStatistics emptyStatistics(SemiMarkovModel params) {
        return new SemiMarkovStatistics(params.states(), params.durations().maxDuration(),
                params.emission().emptyStatistics());
    }

    @Override
    public double accumulate(SemiMarkovModel params, Sequences data, int from, int to, SemiMarkovStatistics stats) {
        double ll = 0;
        double[] x = data.rawValues();
        for (int q = from; q < to; q++) {
            int t0 = data.start(q);
            int n = data.length(q);
            double[] gamma = new double[n * params.states()];
            int chunk = n >= chunkedFrom ? chunkSteps : n;
            double lq = params.forwardBackward(x, t0, t0 + n, gamma, stats, chunk);
            if (lq == Double.NEGATIVE_INFINITY) {
                return Double.NEGATIVE_INFINITY;
            }
            ll += lq;
        }
        return ll;
    }

    @Override
    public SemiMarkovModel maximize(SemiMarkovStatistics stats, SemiMarkovModel previous, Consumer<String> warnings) {
        int s = stats.s;
        double[] transitions = stats.transitions;
        if (s == 1) {
            // One state: A = [[1]], never "taken"; one count keeps the row as it is under any prior.
            transitions = new double[] {1.0};
        }
        HiddenMarkovModel h = markov.maximize(HmmStatistics.ofCounts(stats.start, transitions, stats.emission),
                asHiddenMarkov(previous), warnings);
        double[][] a = h.transitionMatrix();
        double[] flat = new double[s * s];
        for (int i = 0; i < s; i++) {
            System.arraycopy(a[i], 0, flat, i * s, s);
        }
        Durations durations = fixDurations ? previous.durations()
                : previous.durations().maximize(stats.durationCounts(), warnings);
        return SemiMarkovModel.ofFlat(h.startProbabilities(), flat, durations, h.emission());
    }

    /** The same start, transitions and emission as a hidden Markov model (the arrays' values unchanged). */
    static HiddenMarkovModel asHiddenMarkov(SemiMarkovModel m) {
        return HiddenMarkovModel.of(m.startProbabilities(), m.transitionMatrix(), m.emission());
    }

    /** The priors' log density ({@link BaumWelchSteps#logPrior}); the durations have none. */
    @Override
    public double logPrior(SemiMarkovModel params) {
        return markov.logPrior(asHiddenMarkov(params));
    }

    /**
     * @return the parameters as a vector for SQUAREM ({@link SemiMarkovParameterVector}): the hidden Markov model's
     *         coordinates for the start, transitions and emission, then the durations'; {@code null} (plain EM) when
     *         a part is held fixed, as an extrapolated point would move it
     */
    @Override
    public ParameterVector<SemiMarkovModel> parameterVector() {
        if (fixDurations) {
            return null;
        }
        ParameterVector<HiddenMarkovModel> vector = markov.parameterVector();
        return vector == null ? null : new SemiMarkovParameterVector(vector);
    }

    @Override
    public int parameterCount(SemiMarkovModel params) {
        return markov.parameterCount(asHiddenMarkov(params)) + (fixDurations ? 0 : params.durations().parameterCount());
    }
}
