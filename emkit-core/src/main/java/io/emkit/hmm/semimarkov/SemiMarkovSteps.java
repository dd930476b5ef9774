package io.emkit.hmm.semimarkov;


import io.emkit.EmkitException;
import io.emkit.em.EmSteps;
import io.emkit.em.ParameterVector;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.Emission;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.Sequences;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * EM for a hidden semi-Markov model: the E-step runs the segment forward–backward pass over each sequence (a unit)
 * and adds its expected counts; the M-step normalises the start and transition counts (the diagonal stays 0), fits
 * the durations to their expected counts ({@link Durations}) and the emissions to their posterior-weighted
 * statistics (the HMM's own M-step). Every part is an exact maximiser (the negative binomial's a generalised one),
 * so the log-likelihood never decreases.
 */
public final class SemiMarkovSteps implements EmSteps<Sequences, SemiMarkovModel, SemiMarkovStatistics> {
    private final double regCovar;

    /**
     * @param regCovar added to Gaussian emission covariance diagonals (ignored by other emissions)
     */
    public SemiMarkovSteps(double regCovar) {
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        this.regCovar = regCovar;
    }

    @Override
    public int size(Sequences data) {
        return data.count();
    }

    /** The convergence test watches the mean log-likelihood per time step. */
    @Override
    public double normalizer(Sequences data) {
        return data.totalLength();
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
            double lq = params.forwardBackward(x, t0, t0 + n, gamma, stats);
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
        double[] start = BaumWelchSteps.normalized(stats.start, 0, s, previous.flatStart(), 0, 1.0);
        if (start == null) {
            throw new EmkitException("no sequence has a start state with positive probability");
        }
        double[] prev = previous.flatTransitions();
        double[] trans = new double[s * s];
        for (int i = 0; i < s; i++) {
            double[] row = BaumWelchSteps.normalized(stats.transitions, i * s, s, prev, i * s, 1.0);
            if (row == null) {
                row = java.util.Arrays.copyOfRange(prev, i * s, (i + 1) * s);
                if (s > 1) {
                    warnings.accept(String.format(Locale.ROOT, "state %d is never left (no expected transitions"
                            + " out of it); its transition row keeps its last values", i + 1));
                }
            }
            System.arraycopy(row, 0, trans, i * s, s);
        }
        Durations durations = previous.durations().maximize(stats.durationCounts(), warnings);
        Emission emission = previous.emission().maximizeStatistics(stats.emission, regCovar, warnings);
        return SemiMarkovModel.ofFlat(start, trans, durations, emission);
    }

    /**
     * @return the parameters as a vector for SQUAREM ({@link SemiMarkovParameterVector}): the hidden Markov model's
     *         coordinates for the start, transitions and emission, then the durations'
     */
    @Override
    public ParameterVector<SemiMarkovModel> parameterVector() {
        ParameterVector<HiddenMarkovModel> markov = new BaumWelchSteps(regCovar, false, null, 1.0).parameterVector();
        return markov == null ? null : new SemiMarkovParameterVector(markov);
    }

    @Override
    public int parameterCount(SemiMarkovModel params) {
        return params.parameterCount();
    }
}
