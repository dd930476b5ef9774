package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.GaussianMixture;
import io.emkit.mixture.GaussianMixtureModel;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a {@link GaussianMixture} on a Spark {@code Dataset<Row>} with emkit's own E- and M-steps: each
 * E-step broadcasts the parameters (as their model file, which round-trips exactly), every partition
 * accumulates {@link io.emkit.mixture.GaussianStatistics} over its rows with the single-machine kernel
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
     * @param columns the numeric columns to fit, in order; no nulls or NaN allowed
     * @return the fit, as {@link GaussianMixture#fit} would return it
     * @throws EmkitException if the data cannot be fitted
     */
    public static EmResult<GaussianMixtureModel> fit(GaussianMixture config, org.apache.spark.sql.Dataset<Row> data,
                                                     List<String> columns) {
        return SparkFit.fit(config.distributed(), SparkFit.selectNumeric(data, columns), SparkFit::numericRow,
                columns, config.options().seed());
    }

    /**
     * Applies a fitted model to the rows of {@code data} as a Spark transformation: adds a {@code label}
     * column (the most probable component, from 0) and a {@code probability} column (the
     * responsibilities, an array of K doubles). The model travels as its model file.
     *
     * @param model   a fitted model (from any engine, or read from a model file)
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @return {@code data} with the two columns added
     */
    public static org.apache.spark.sql.Dataset<Row> predict(GaussianMixtureModel model,
                                                            org.apache.spark.sql.Dataset<Row> data,
                                                            List<String> columns) {
        if (columns.size() != model.dimension()) {
            throw new EmkitException("the model has " + model.dimension() + " features but " + columns.size()
                    + " columns were given");
        }
        StructType schema = data.schema()
                .add("label", DataTypes.IntegerType, false)
                .add("probability", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        String json = ModelFiles.toJson(model);
        List<String> names = new ArrayList<>(columns);
        int[] idx = new int[names.size()];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = data.schema().fieldIndex(names.get(j));
        }
        return data.mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
            GaussianMixtureModel m = (GaussianMixtureModel) ModelFiles.fromJson(json, "broadcast model");
            List<Row> in = new ArrayList<>();
            it.forEachRemaining(in::add);
            int d = idx.length;
            double[] values = new double[in.size() * d];
            for (int i = 0; i < in.size(); i++) {
                for (int j = 0; j < d; j++) {
                    Object v = in.get(i).get(idx[j]);
                    if (v == null) {
                        throw new EmkitException("column '" + names.get(j) + "': missing (null) value");
                    }
                    values[i * d + j] = ((Number) v).doubleValue();
                }
            }
            Dataset block = Dataset.wrap(values, in.size(), d, names);
            double[][] p = in.isEmpty() ? new double[0][] : m.predictProba(block);
            int[] labels = in.isEmpty() ? new int[0] : m.predict(block);
            List<Row> out = new ArrayList<>(in.size());
            for (int i = 0; i < in.size(); i++) {
                Row r = in.get(i);
                Object[] fields = new Object[r.size() + 2];
                for (int f = 0; f < r.size(); f++) {
                    fields[f] = r.get(f);
                }
                fields[r.size()] = labels[i];
                fields[r.size() + 1] = p[i];
                out.add(RowFactory.create(fields));
            }
            return out.iterator();
        }, Encoders.row(schema));
    }
}
