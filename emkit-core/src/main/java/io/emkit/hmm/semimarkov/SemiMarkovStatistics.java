package io.emkit.hmm.semimarkov;

import io.emkit.em.SufficientStatistics;
import io.emkit.hmm.Emission;

/**
 * The expected counts of a semi-Markov model's E-step, accumulated over sequences: first segments' states,
 * transitions between segments, segment durations per state (censored last segments completed by their conditional
 * distribution) and the emissions' posterior-weighted statistics. Additive over sequences.
 */
public final class SemiMarkovStatistics implements SufficientStatistics<SemiMarkovStatistics> {
    private static final long serialVersionUID = 1L;

    final int s;
    final int maxDuration;
    final double[] start;
    final double[] transitions;
    /** {@code durations[j · Dmax + u − 1]}: the expected number of segments of state j lasting u steps. */
    final double[] durations;
    final Emission.Statistics emission;

    SemiMarkovStatistics(int s, int maxDuration, Emission.Statistics emission) {
        this.s = s;
        this.maxDuration = maxDuration;
        this.start = new double[s];
        this.transitions = new double[s * s];
        this.durations = new double[s * maxDuration];
        this.emission = emission;
    }

    /** @return the expected number of sequences whose first segment is in each state (a copy) */
    public double[] startCounts() {
        return start.clone();
    }

    /** @return the expected number of segments of state j lasting u steps, at {@code [j][u − 1]} (a copy) */
    public double[][] durationCounts() {
        double[][] out = new double[s][];
        for (int j = 0; j < s; j++) {
            out[j] = java.util.Arrays.copyOfRange(durations, j * maxDuration, (j + 1) * maxDuration);
        }
        return out;
    }

    @Override
    public void merge(SemiMarkovStatistics other) {
        if (other.s != s || other.maxDuration != maxDuration) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes");
        }
        for (int i = 0; i < s; i++) {
            start[i] += other.start[i];
        }
        for (int i = 0; i < transitions.length; i++) {
            transitions[i] += other.transitions[i];
        }
        for (int i = 0; i < durations.length; i++) {
            durations[i] += other.durations[i];
        }
        emission.mergeFrom(other.emission);
    }
}
