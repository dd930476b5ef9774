package io.emkit.spark;

import io.emkit.em.EmResult;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
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

    /**
     * How many rows of {@code data} are nearest to each centroid (ties to the lower index), counted on the
     * cluster.
     *
     * @param model   fitted centroids (from any engine, or read from a model file)
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @return one count per cluster
     */
    public static long[] clusterSizes(KMeansModel model, org.apache.spark.sql.Dataset<Row> data, List<String> columns) {
        if (columns.size() != model.dimension()) {
            throw new io.emkit.EmkitException("the model has " + model.dimension() + " features but " + columns.size()
                    + " columns were given");
        }
        String json = io.emkit.io.ModelFiles.toJson(model);
        List<String> names = List.copyOf(columns);
        int k = model.components();
        try {
            return SparkFit.selectNumeric(data, columns).javaRDD().map(SparkFit::numericRow).mapPartitions(it -> {
                KMeansModel m = (KMeansModel) io.emkit.io.ModelFiles.fromJson(json, "broadcast model");
                long[] sizes = new long[k];
                io.emkit.data.Dataset block = SparkFit.block(it, names.size(), names);
                if (block.rows() > 0) {
                    for (int label : m.predict(block)) {
                        sizes[label]++;
                    }
                }
                return List.of(sizes).iterator();
            }).reduce((a, b) -> {
                long[] sum = a.clone();
                for (int c = 0; c < sum.length; c++) {
                    sum[c] += b[c];
                }
                return sum;
            });
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }
}
