package io.emkit.mixture;

/**
 * Which components each row may come from: what semi-supervised EM knows about a row whose class is given (it
 * comes from one of its class's components, never from another's). An E-step that honours it gives such a row
 * responsibilities over its allowed components only, in proportion to their weighted densities, and counts
 * the log of their sum in the log-likelihood: EM for the likelihood of the rows together with the known classes.
 *
 * <p>Rows are numbered as the data an E-step visits number them, from 0. Implementations are immutable and
 * travel with the E-step (hence serializable).
 */
public interface ComponentRestriction extends java.io.Serializable {
    /**
     * The components a row may come from.
     *
     * @param row a row of the data, from 0
     * @return per component whether the row may come from it (shared, not to be modified), or {@code null} when
     *         it may come from any
     */
    boolean[] allowed(int row);

    /**
     * Restrictions made from a column the rows carry with them (on another engine, each row's class travels as one
     * more number), for the partition the column belongs to; serializable, as it travels with the E-step.
     */
    interface FromColumn extends java.io.Serializable {
        /**
         * @param column one number per row of a partition, in order
         * @return the restriction of those rows, numbered from 0
         */
        ComponentRestriction of(double[] column);
    }
}
