package io.emkit.spark;

import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * Fits a {@link GaussianMixture} on a Spark {@code Dataset<Row>} with emkit's own E- and M-steps: each
 * E-step broadcasts the parameters (as their model file, which round-trips exactly), every partition
 * accumulates {@link io.emkit.gaussian.GaussianStatistics} over its rows with the single-machine kernel
 * ({@link GaussianMixture#distributed()}), and the partitions' statistics are merged along a tree whose
 * shape depends only on the number of partitions; the M-step, restarts and the convergence test are the
 * single-machine loop's ({@link io.emkit.em.ExpectationMaximization}).
 *
 * <p><b>Initialisation</b> looks at {@value #DEFAULT_SAMPLE_ROWS} rows drawn with
 * {@code takeSample(false, }{@value #DEFAULT_SAMPLE_ROWS}{@code , seed)} (without replacement, uniformly), never
 * at the whole data on the driver; data of at most that many rows are all looked at, in order, so the fit
 * starts where the single-machine fit of the same rows starts. The rows are converted to {@code double[]} once and persisted
 * ({@code MEMORY_AND_DISK}) for the iterations, and unpersisted at the end.
 *
 * <p>Given the same starting parameters, the result agrees with the single-machine fit to rounding
 * (the sums are grouped by partition instead of by block).
 *
 * <p><b>Missing values.</b> A null or {@code NaN} cell is missing: the partitions' kernel is the single-machine
 * E-step, which evaluates such a row on its observed coordinates and adds its expected statistics given them
 * (missing at random), and the initialisation fills the sample's missing cells with their column's observed mean,
 * as the single-machine fit does. A row with every value missing adds nothing.
 */
public final class SparkGaussianMixture {
    /** Rows drawn to the driver for the initialisation. */
    public static final int DEFAULT_SAMPLE_ROWS = SparkFit.SAMPLE_ROWS;

    private SparkGaussianMixture() {
    }

    /**
     * Fits the configured mixture to the chosen numeric columns of {@code data}.
     *
     * @param config  the fit's configuration (components, covariance, initialisation, EM options)
     * @param data    the rows
     * @param columns the numeric columns to fit, in order; a null (or NaN) cell is missing, and the fit uses each
     *                row's observed values, exactly as {@link GaussianMixture#fit} does with {@code NaN}
     * @return the fit, as {@link GaussianMixture#fit} would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static EmResult<GaussianMixtureModel> fit(GaussianMixture config, org.apache.spark.sql.Dataset<Row> data,
                                                     List<String> columns) {
        return SparkFit.fit(config.distributed(), SparkFit.selectNumeric(data, columns), SparkFit::numericRowWithMissing,
                columns, config.options().seed());
    }

    /**
     * Fits any mixture of numeric columns whose configuration offers a {@code distributed()} plan (a Student-t,
     * noise or factor-analyser mixture, a labelled or variational fit): the plan's E-step runs on every partition
     * and its driver loop on the driver, over the chosen columns with null or {@code NaN} cells missing, as
     * {@link #fit(GaussianMixture, org.apache.spark.sql.Dataset, List)} does for the Gaussian mixture.
     *
     * @param plan    the configured fit's distributed plan
     * @param seed    the seed of the initialisation's sample
     * @param data    the rows
     * @param columns the numeric columns to fit, in order
     * @param <P>     the fitted model
     * @return the fit, as the single-machine fit would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static <P extends io.emkit.mixture.ClusteringModel> EmResult<P> fit(
            io.emkit.em.DistributedFit<P, ?> plan, long seed, org.apache.spark.sql.Dataset<Row> data,
            List<String> columns) {
        return SparkFit.fitCaptured(plan, SparkFit.selectNumeric(data, columns), SparkFit::numericRowWithMissing,
                columns, seed);
    }

    /**
     * Applies a fitted model to the rows of {@code data} as a Spark transformation: adds a {@code label}
     * column (the most probable component, from 0) and a {@code probability} column (the
     * responsibilities, an array of K doubles). The model travels as its model file.
     * {@link SparkModels#transform} does the same for every kind of model and adds each row's log density too.
     *
     * @param model   a fitted model (from any engine, or read from a model file)
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @return {@code data} with the two columns added
     */
    public static org.apache.spark.sql.Dataset<Row> predict(GaussianMixtureModel model,
                                                            org.apache.spark.sql.Dataset<Row> data,
                                                            List<String> columns) {
        return SparkModels.transform(model, data, columns, false);
    }
}
