package io.emkit.select;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a model selection: every candidate, in order (K ascending, then the structures in the
 * order asked for), and the best by the criterion.
 *
 * @param candidates every combination tried
 * @param criterion  the criterion that ranked them (lower is better)
 * @param rows       the number of rows fitted
 * @param n          the n of BIC's {@code p·ln n}: the number of rows, or their total weight when they carry weights
 */
public record SelectionResult(List<Candidate> candidates, Criterion criterion, int rows, double n) {
    /**
     * The candidate with the lowest criterion among the fits that succeeded; of values equal to within rounding
     * ({@link #TIE}) the first. Some candidates are one model under two names — with one component, every
     * structure of a common shape and orientation (EEE, VVV, VEV, …) is a single full covariance — and their
     * values differ only in the last bits, which an engine's order of summation sets: the choice must not.
     *
     * @return the chosen model, or empty if every fit failed
     */
    public Optional<Candidate> best() {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (c.succeeded() && !Double.isNaN(c.value(criterion))
                    && (best == null || c.value(criterion) < best.value(criterion)
                    - TIE * Math.abs(best.value(criterion)))) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Relative difference of two criterion values below which they are a tie: far above the rounding of a
     * log-likelihood summed in another order (a few units in the last place: on iris, MclustDA's class of 50 rows
     * with one component, the local engine's VVV and EEE BICs printed alike to 15 digits while the Spark engine's
     * ranked them the other way), far below any difference a criterion means.
     */
    private static final double TIE = 1e-10;
}
