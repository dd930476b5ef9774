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
     * Fits the configured k-means to the chosen numeric columns of {@code data}, each row weighted by a column (a
     * row of weight w counts as w copies of it), as {@link KMeans#fit} fits weighted rows: the weights travel with
     * the rows to every partition's kernel and to the seeding sample.
     *
     * @param config        the fit's configuration
     * @param data          the rows
     * @param columns       the numeric columns to cluster, in order; no nulls allowed
     * @param weightsColumn the numeric column of weights, or {@code null} for unweighted rows
     * @return the fit, as {@link KMeans#fit} would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted, or a weight is missing, negative or not finite
     */
    public static EmResult<KMeansModel> fit(KMeans config, org.apache.spark.sql.Dataset<Row> data,
                                            List<String> columns, String weightsColumn) {
        if (weightsColumn == null) {
            return fit(config, data, columns);
        }
        List<String> all = new java.util.ArrayList<>(columns);
        all.add(weightsColumn);
        int d = columns.size();
        return SparkFit.fit(config.distributed(), SparkFit.selectNumeric(data, all), r -> {
            // The weight first: a missing weight is named as one, not as a missing model cell.
            double w = SparkFit.weight(r, d, weightsColumn);
            double[] out = SparkFit.numericRow(r);
            out[d] = w;
            return out;
        }, columns, config.options().seed(), true);
    }

    /**
     * The total weight of the rows of {@code data} nearest to each centroid (ties to the lower index).
     *
     * @param model         fitted centroids
     * @param data          the rows
     * @param columns       the model's features, in the model's order
     * @param weightsColumn the numeric column of weights
     * @return one total per cluster, the partitions' sums added in partition order
     * @throws io.emkit.EmkitException for a missing cell, or a weight missing, negative or not finite
     */
    public static double[] clusterWeights(KMeansModel model, org.apache.spark.sql.Dataset<Row> data,
                                          List<String> columns, String weightsColumn) {
        if (columns.size() != model.dimension()) {
            throw new io.emkit.EmkitException("the model has " + model.dimension() + " features but " + columns.size()
                    + " columns were given");
        }
        String json = io.emkit.io.ModelFiles.toJson(model);
        List<String> names = List.copyOf(columns);
        List<String> all = new java.util.ArrayList<>(columns);
        all.add(weightsColumn);
        int d = columns.size();
        int k = model.components();
        try {
            List<double[]> parts = SparkFit.selectNumeric(data, all).javaRDD().map(r -> {
                double w = SparkFit.weight(r, d, weightsColumn);
                double[] out = SparkFit.numericRow(r);
                out[d] = w;
                return out;
            }).mapPartitions(it -> {
                KMeansModel m = (KMeansModel) io.emkit.io.ModelFiles.fromJson(json, "broadcast model");
                double[] sums = new double[k];
                // Null for a partition without weight: it adds nothing.
                io.emkit.data.Dataset block = SparkFit.block(it, d, names, true);
                if (block != null && block.rows() > 0) {
                    int[] labels = m.predict(block);
                    for (int i = 0; i < labels.length; i++) {
                        sums[labels[i]] += block.weight(i);
                    }
                }
                return List.of(sums).iterator();
            }).collect();
            double[] total = new double[k];
            for (double[] part : parts) {
                for (int c = 0; c < k; c++) {
                    total[c] += part[c];
                }
            }
            return total;
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
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
