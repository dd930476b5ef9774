package io.emkit.hmm;

import io.emkit.em.SufficientStatistics;

/**
 * The expected counts of Baum–Welch, accumulated over sequences: how often each state starts a
 * sequence, how often each transition is taken, and the emissions' posterior-weighted statistics.
 * Additive over sequences.
 */
public final class HmmStatistics implements SufficientStatistics<HmmStatistics> {
    private static final long serialVersionUID = 1L;

    final int s;
    final double[] start;
    final double[] transitions;
    final Emission.Statistics emission;

    /**
     * Empty statistics for an E-step under {@code params}, as {@link BaumWelchSteps#emptyStatistics} makes them.
     *
     * @param params the parameters of the E-step
     * @return zero counts
     */
    public static HmmStatistics of(HiddenMarkovModel params) {
        return new HmmStatistics(params.states(), params.emission().newStatistics());
    }

    /**
     * Statistics from expected counts gathered by another model's E-step (the semi-Markov model's, whose start,
     * transition and emission counts feed the same M-step, {@link BaumWelchSteps#maximize}).
     *
     * @param start       the expected start counts, S (copied)
     * @param transitions the expected transition counts, S × S row-major (copied)
     * @param emission    the emissions' posterior-weighted statistics (not copied)
     * @return the statistics
     */
    public static HmmStatistics ofCounts(double[] start, double[] transitions, Emission.Statistics emission) {
        int s = start.length;
        if (transitions.length != s * s) {
            throw new IllegalArgumentException("expected " + s * s + " transition counts, got " + transitions.length);
        }
        HmmStatistics out = new HmmStatistics(s, emission);
        System.arraycopy(start, 0, out.start, 0, s);
        System.arraycopy(transitions, 0, out.transitions, 0, s * s);
        return out;
    }

    HmmStatistics(int s, Emission.Statistics emission) {
        this.s = s;
        this.start = new double[s];
        this.transitions = new double[s * s];
        this.emission = emission;
    }

    /** @return the expected number of sequences starting in each state (a copy) */
    public double[] startCounts() {
        return start.clone();
    }

    /** @return the expected number of transitions {@code i → j}, {@code S × S} (a copy) */
    public double[][] transitionCounts() {
        double[][] out = new double[s][];
        for (int i = 0; i < s; i++) {
            out[i] = java.util.Arrays.copyOfRange(transitions, i * s, (i + 1) * s);
        }
        return out;
    }

    @Override
    public void merge(HmmStatistics other) {
        if (other.s != s) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes");
        }
        for (int i = 0; i < s; i++) {
            start[i] += other.start[i];
        }
        for (int i = 0; i < transitions.length; i++) {
            transitions[i] += other.transitions[i];
        }
        emission.merge(other.emission);
    }
}
