package io.emkit.spark;

import io.emkit.em.EmResult;
import io.emkit.mixture.KMeans;
import io.emkit.mixture.KMeansModel;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * Fits {@link KMeans} (Lloyd's algorithm as hard EM) on a Spark {@code Dataset<Row>} with the single-machine
 * kernel, as {@link SparkGaussianMixture} fits Gaussian mixtures: centroids broadcast, every partition
 * accumulates its clusters' counts and sums (and its farthest rows, for re-seeding a cluster that empties,
 * ranked by their index among all the rows as on one machine), statistics merged along a fixed tree.
 * k-means++ seeding of each of the {@link KMeans#initializations} starts looks at a sample drawn with
 * {@code takeSample(false, }{@value SparkGaussianMixture#DEFAULT_SAMPLE_ROWS}{@code , seed)} (every row, in
 * order, when there are no more).
 *
 * <p>Given the same starting centroids, the result is the single-machine fit's to rounding.
 */
public final class SparkKMeans {
    private SparkKMeans() {
    }

    /**
     * Fits the configured k-means to the chosen numeric columns of {@code data}.
     *
     * @param config  the fit's configuration (clusters, starts, EM options)
     * @param data    the rows
     * @param columns the numeric columns to cluster, in order; no nulls allowed
     * @return the fit, as {@link KMeans#fit} would return it (its log-likelihood is minus the inertia)
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static EmResult<KMeansModel> fit(KMeans config, org.apache.spark.sql.Dataset<Row> data,
                                            List<String> columns) {
        return SparkFit.fit(config.distributed(), SparkFit.selectNumeric(data, columns), SparkFit::numericRow,
                columns, config.options().seed());
    }
}
