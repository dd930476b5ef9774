package io.emkit.cli;

import io.emkit.data.HeaderMode;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;

import java.util.List;

/**
 * An engine that fits on data it reads and holds itself, outside this JVM's memory: {@code --engine NAME}.
 * Implementations are found with {@link java.util.ServiceLoader}, so the command runs without them (the
 * Spark engine, in emkit-spark-cli, is on the class path only in the Spark build of the command).
 */
public interface ClusterEngine {
    /** @return the name {@code --engine} selects, e.g. {@code spark} */
    String name();

    /**
     * Opens a data set: starts the engine's session and reads the data's schema.
     *
     * @param path   a path or URL the engine can read
     * @param header for CSV: whether the first line names the columns
     * @param master where to run ({@code local[4]}, {@code spark://host:7077}, ...), or {@code null} for the
     *               engine's default
     * @return the open data; close it to stop the session
     */
    Data open(String path, HeaderMode header, String master);

    /** A data set held by the engine, and the fits it runs on it. */
    interface Data extends AutoCloseable {
        /** @return every column of the data, in order */
        List<String> columnNames();

        /**
         * @param column a column, from 0
         * @return whether it holds numbers (else text)
         */
        boolean isNumeric(int column);

        /**
         * @param config  the fit
         * @param columns the numeric columns to fit, in order
         * @return the result, as the single-machine fit returns it ({@link EmResult#sampleCount()} rows)
         */
        EmResult<GaussianMixtureModel> fit(GaussianMixture config, List<String> columns);

        /**
         * @param config  the fit, with one family per column
         * @param columns the columns to fit, in order; a categorical column's categories are its distinct
         *                values, sorted (numbers by value)
         * @return the result, as the single-machine fit returns it ({@link EmResult#sampleCount()} rows)
         */
        EmResult<ProductMixtureModel> fit(ProductMixture config, List<String> columns);

        /**
         * @param config  the fit
         * @param columns the numeric columns to cluster, in order
         * @return the result, as the single-machine fit returns it ({@link EmResult#sampleCount()} rows)
         */
        EmResult<KMeansModel> fit(KMeans config, List<String> columns);

        /**
         * @param model   fitted centroids
         * @param columns the model's features, in order
         * @return how many rows are nearest to each centroid
         */
        long[] clusterSizes(KMeansModel model, List<String> columns);

        /** Stops the engine's session. */
        @Override
        void close();
    }
}
