package io.emkit.em;

import io.emkit.data.Dataset;
import io.emkit.data.Rows;

import java.io.Serializable;

/**
 * The E-step of a row model as another engine runs it, one partition of the rows at a time: what a Spark
 * executor does with its partition. It is the single-machine E-step kernel itself, serializable so it can
 * be shipped to the workers; the partitions' statistics are then merged with
 * {@link SufficientStatistics#merge} and handed to {@link DistributedFit#fit}.
 *
 * @param <P> the parameters
 * @param <S> the statistics
 */
public interface PartitionSteps<P, S extends SufficientStatistics<S>> extends Serializable {
    /**
     * Empty statistics, ready to accumulate a partition under {@code params}.
     *
     * @param params the parameters of the current E-step
     * @return zero statistics
     */
    S emptyStatistics(P params);

    /**
     * The E-step over every row of one partition: adds their statistics under {@code params} into
     * {@code statistics}.
     *
     * @param params     the current parameters
     * @param rows       the partition's rows
     * @param firstRow   the index of the partition's first row among all the rows (partitions in order),
     *                   for statistics that break ties by row, such as k-means' farthest rows
     * @param statistics where to add
     * @return the log-likelihood of the rows, summed (for k-means, minus their inertia)
     */
    double accumulatePartition(P params, Dataset rows, long firstRow, S statistics);

    /**
     * The steps of a model of the rows of a {@link Dataset}, run on this machine's cores and, partition by
     * partition, by another engine: its units are the rows, and the count that turns a total log-likelihood
     * into a mean is their total weight (their number when unweighted).
     *
     * @param <P> the parameters
     * @param <S> the statistics
     */
    interface OfDataset<P, S extends SufficientStatistics<S>> extends EmSteps.OfRows<Dataset, P, S>,
            PartitionSteps<P, S> {
    }

    /**
     * The steps of a model of any {@link Rows} whose E-step over a partition is its E-step over the partition's rows,
     * wherever they stand among all the rows (no statistic breaks ties by row).
     *
     * @param <P> the parameters
     * @param <S> the statistics
     */
    interface OfRows<P, S extends SufficientStatistics<S>> extends EmSteps.OfRows<Rows, P, S>, PartitionSteps<P, S> {
        /** The E-step over every row of the partition, as over any range of rows. */
        @Override
        default double accumulatePartition(P params, Dataset rows, long firstRow, S statistics) {
            return accumulate(params, rows, 0, rows.rows(), statistics);
        }
    }
}
