package io.emkit.hmm.covariates;

import io.emkit.em.SufficientStatistics;
import io.emkit.hmm.Emission;

import java.util.Map;
import java.util.TreeMap;

/**
 * The E-step's results for an input–output HMM: the expected start counts and the emissions' posterior-weighted
 * statistics (additive), and, since the transitions' M-step is a regression on the covariates of every step, the
 * expected transitions {@code ξ_t(i, j)} of every step of every sequence, kept per sequence with the covariates of
 * those steps (so that the M-step needs nothing else). Merging adds the
 * former and unites the latter; the M-step reads the sequences in the order of their first rows, so the result
 * does not depend on how the sequences were split into blocks or in which order the blocks were merged.
 */
public final class CovariateHmmStatistics implements SufficientStatistics<CovariateHmmStatistics> {
    private static final long serialVersionUID = 1L;

    final int s;
    final double[] start;
    final Emission.Statistics emission;
    /** Per sequence, by its first global row: {@code ξ} of its steps 1..n−1 at {@code (t − 1) · S² + i · S + j}. */
    final TreeMap<Integer, double[]> xi = new TreeMap<>();
    /** Per sequence, by its first global row: the covariates of its steps 1..n−1, P per step, beside {@link #xi}. */
    final TreeMap<Integer, double[]> covariates = new TreeMap<>();

    CovariateHmmStatistics(int s, Emission.Statistics emission) {
        this.s = s;
        this.start = new double[s];
        this.emission = emission;
    }

    /** @return the expected number of sequences starting in each state (a copy) */
    public double[] startCounts() {
        return start.clone();
    }

    /** @return the expected number of transitions {@code i → j} summed over all steps, {@code S × S} */
    public double[][] transitionCounts() {
        double[][] out = new double[s][s];
        for (double[] x : xi.values()) {
            for (int k = 0; k < x.length; k++) {
                out[(k / s) % s][k % s] += x[k];
            }
        }
        return out;
    }

    @Override
    public void merge(CovariateHmmStatistics other) {
        if (other.s != s) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes");
        }
        for (int i = 0; i < s; i++) {
            start[i] += other.start[i];
        }
        for (Map.Entry<Integer, double[]> e : other.xi.entrySet()) {
            if (xi.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("the sequence at row " + e.getKey() + " was counted twice");
            }
        }
        covariates.putAll(other.covariates);
        emission.mergeFrom(other.emission);
    }
}
