package io.emkit.em;

import java.io.Serializable;

/**
 * What an E-step accumulates over a block of rows: a value that is additive over rows, so that the
 * statistics of two blocks merge into the statistics of their union.
 *
 * <p>This is the seam that lets one model run on one thread, on all cores, streaming from disk or on
 * Spark: every engine cuts the data into blocks, accumulates each block into its own statistics, merges
 * them, and hands the merged statistics to the M-step. Merging must be associative and must not depend
 * on how the rows were cut (up to floating-point rounding).
 *
 * @param <S> the implementing type itself
 */
public interface SufficientStatistics<S extends SufficientStatistics<S>> extends Serializable {
    /**
     * Adds {@code other}'s statistics into this one. {@code other} is left unchanged.
     *
     * @param other statistics accumulated under the same parameters
     */
    void merge(S other);
}
