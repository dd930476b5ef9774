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
     * The candidate with the lowest criterion among the fits that succeeded; of equal values the first.
     *
     * @return the chosen model, or empty if every fit failed
     */
    public Optional<Candidate> best() {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (c.succeeded() && !Double.isNaN(c.value(criterion))
                    && (best == null || c.value(criterion) < best.value(criterion))) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }
}
