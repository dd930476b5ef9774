package io.emkit.hmm.covariates;

import io.emkit.EmkitException;
import io.emkit.em.EmSteps;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.Emission;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;

import java.util.Map;
import java.util.function.Consumer;

/**
 * EM for an input–output HMM: the E-step runs forward–backward with each step's transition matrix over each
 * sequence (a unit), a sequence of at least {@link BaumWelchSteps#CHUNKED_FROM} steps cut into chunks of
 * {@link BaumWelchSteps#CHUNK_STEPS} that run on several threads of the engine's pool as the HMM's do (the same
 * log-likelihood and expected counts up to rounding, the same bits for any thread count); the M-step normalises the start counts, refits the emissions (the HMM's exact M-step) and
 * moves the transition regressions by Newton steps that never lower their expected complete-data log-likelihood
 * ({@link TransitionRegression}). A generalised EM: the log-likelihood never decreases.
 *
 * <p>The statistics carry the covariates of the steps whose transitions they hold, so the M-step needs no data:
 * another engine's workers run {@link #accumulate} on the sequences they hold, and the merged statistics come
 * to the M-step here ({@link CovariateHmm#distributed}).
 */
public final class CovariateHmmSteps implements EmSteps<CovariateSequences, CovariateHmmModel, CovariateHmmStatistics> {
    private final double regCovar;
    /** Where the transitions' M-step runs its rows, or null for this thread. */
    private final java.util.concurrent.ForkJoinPool pool;
    /** Steps per chunk of a long sequence's E-step (a constant, so that the result ignores the thread count). */
    private final int chunkSteps;
    /** Sequences at least this long are cut into chunks; shorter ones run in one piece. */
    private final int chunkedFrom;

    /**
     * @param regCovar added to Gaussian emission covariance diagonals (ignored by other emissions)
     * @param data     the data the fit runs on, or {@code null} when another engine holds them (the statistics
     *                 carry the covariates the M-step reads)
     */
    public CovariateHmmSteps(double regCovar, CovariateSequences data) {
        this(regCovar, data, null);
    }

    /**
     * @param regCovar added to Gaussian emission covariance diagonals (ignored by other emissions)
     * @param data     the data the fit runs on, or {@code null} when another engine holds them (the statistics
     *                 carry the covariates the M-step reads)
     * @param pool     where the M-step fits the transition rows (one task per origin state; the result does not
     *                 depend on it), or {@code null} for the calling thread
     */
    public CovariateHmmSteps(double regCovar, CovariateSequences data, java.util.concurrent.ForkJoinPool pool) {
        this(regCovar, data, pool, BaumWelchSteps.CHUNK_STEPS, BaumWelchSteps.CHUNKED_FROM);
    }

    /** As above, with sequences of at least {@code chunkedFrom} steps cut into chunks of {@code chunkSteps}. */
    CovariateHmmSteps(double regCovar, CovariateSequences data, java.util.concurrent.ForkJoinPool pool,
                      int chunkSteps, int chunkedFrom) {
        this.pool = pool;
        this.chunkSteps = chunkSteps;
        this.chunkedFrom = chunkedFrom;
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        this.regCovar = regCovar;
    }

    @Override
    public int size(CovariateSequences d) {
        return d.observations().count();
    }

    /** The convergence test watches the mean log-likelihood per time step. */
    @Override
    public double normalizer(CovariateSequences d) {
        return d.observations().totalLength();
    }

    @Override
    public CovariateHmmStatistics emptyStatistics(CovariateHmmModel params) {
        return new CovariateHmmStatistics(params.states(), params.emission().emptyStatistics());
    }

    @Override
    public double accumulate(CovariateHmmModel params, CovariateSequences d, int from, int to,
                             CovariateHmmStatistics stats) {
        int s = params.states();
        Sequences obs = d.observations();
        double ll = 0;
        for (int q = from; q < to; q++) {
            int t0 = obs.start(q);
            int n = obs.length(q);
            if (n >= chunkedFrom) {
                double lq = params.accumulateChunked(d, t0, t0 + n, chunkSteps, stats);
                if (lq == Double.NEGATIVE_INFINITY) {
                    return Double.NEGATIVE_INFINITY;
                }
                ll += lq;
                continue;
            }
            double[] gamma = new double[n * s];
            double[] xi = new double[(n - 1) * s * s];
            double lq = params.forwardBackward(d, t0, t0 + n, gamma, xi);
            if (lq == Double.NEGATIVE_INFINITY) {
                return Double.NEGATIVE_INFINITY;
            }
            for (int j = 0; j < s; j++) {
                stats.start[j] += gamma[j];
            }
            stats.emission.addRows(obs.rawValues(), t0, t0 + n, gamma);
            if (n > 1) {
                stats.xi.put(t0, xi);
            }
            ll += lq;
        }
        int p = d.covariateCount();
        double[] cov = d.rawCovariates();
        for (int q = from; q < to; q++) {
            int t0 = obs.start(q);
            int n = obs.length(q);
            if (n > 1) {
                // The covariates of the steps moved into (1 .. n-1), beside their transitions.
                stats.covariates.put(t0, java.util.Arrays.copyOfRange(cov, (t0 + 1) * p, (t0 + n) * p));
            }
        }
        return ll;
    }

    @Override
    public CovariateHmmModel maximize(CovariateHmmStatistics stats, CovariateHmmModel previous,
                                      Consumer<String> warnings) {
        int s = stats.s;
        double[] start = BaumWelchSteps.normalized(stats.start, 0, s, previous.flatStart(), 0, 1.0);
        if (start == null) {
            throw new EmkitException("no sequence has a start state with positive probability");
        }
        TransitionRegression transitions = previous.transitions().maximize(expected(stats, previous), pool);
        Emission emission = previous.emission().maximizeStatistics(stats.emission, regCovar, warnings);
        return CovariateHmmModel.of(start, transitions, emission);
    }

    /**
     * @return the parameters as a vector for SQUAREM ({@link CovariateHmmParameterVector}): the hidden Markov
     *         model's coordinates for the start and emission, then the transition coefficients
     */
    @Override
    public io.emkit.em.ParameterVector<CovariateHmmModel> parameterVector() {
        io.emkit.em.ParameterVector<HiddenMarkovModel> markov = new BaumWelchSteps(regCovar, false, null, 1.0)
                .parameterVector();
        return markov == null ? null : new CovariateHmmParameterVector(markov);
    }

    /** The statistics' transitions with the covariates of their steps, in the order of the sequences' rows. */
    TransitionRegression.ExpectedTransitions expected(CovariateHmmStatistics stats, CovariateHmmModel params) {
        int s = stats.s;
        int p = params.transitions().covariateCount();
        int steps = 0;
        for (double[] x : stats.xi.values()) {
            steps += x.length / (s * s);
        }
        double[] xi = new double[steps * s * s];
        double[] x = new double[steps * p];
        int at = 0;
        for (Map.Entry<Integer, double[]> e : stats.xi.entrySet()) {
            double[] v = e.getValue();
            int n = v.length / (s * s);
            System.arraycopy(v, 0, xi, at * s * s, v.length);
            System.arraycopy(stats.covariates.get(e.getKey()), 0, x, at * p, n * p);
            at += n;
        }
        return new TransitionRegression.ExpectedTransitions(steps, x, xi, s);
    }

    @Override
    public int parameterCount(CovariateHmmModel params) {
        return params.parameterCount();
    }
}
