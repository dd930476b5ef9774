package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.CovarianceType;
import io.emkit.mixture.GaussianMixture;
import io.emkit.mixture.GaussianMixtureModel;
import io.emkit.mixture.GaussianMixtureSteps;
import io.emkit.mixture.GaussianStatistics;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Fits a {@link GaussianMixture} on a Spark {@code Dataset<Row>} with emkit's own E- and M-steps: each
 * E-step broadcasts the parameters (as their model file, which round-trips exactly), every partition
 * accumulates {@link GaussianStatistics} over its rows with {@link GaussianMixtureSteps#accumulate},
 * and the partitions' statistics are summed with {@code treeReduce}; the M-step, restarts and the
 * convergence test are the single-machine loop's ({@link io.emkit.em.ExpectationMaximization}).
 *
 * <p><b>Initialisation</b> looks at a sample drawn with {@code takeSample(false, sampleRows, seed)}
 * (without replacement, uniformly, {@value #DEFAULT_SAMPLE_ROWS} rows by default), never at the whole
 * data on the driver. The rows are converted to {@code double[]} once and persisted
 * ({@code MEMORY_AND_DISK}) for the iterations, and unpersisted at the end.
 *
 * <p>Given the same starting parameters, the result agrees with the single-machine fit to rounding
 * (the sums are grouped by partition instead of by block).
 */
public final class SparkGaussianMixture {
    /** Rows drawn to the driver for the initialisation. */
    public static final int DEFAULT_SAMPLE_ROWS = 100_000;

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
        if (columns.isEmpty()) {
            throw new EmkitException("choose at least one column to fit");
        }
        Column[] cols = columns.stream().map(c -> functions.col(c).cast("double")).toArray(Column[]::new);
        int d = columns.size();
        JavaRDD<double[]> rows = data.select(cols).javaRDD().map(r -> toArray(r, d)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long n = rows.count();
            if (n < 1) {
                throw new EmkitException("the data have no rows to fit");
            }
            List<double[]> drawn = rows.takeSample(false, (int) Math.min(n, DEFAULT_SAMPLE_ROWS), config.options().seed());
            Dataset sample = Dataset.of(drawn.toArray(new double[0][]), columns);
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
            String type = config.covarianceType().label();
            List<String> names = new ArrayList<>(columns);
            double reg = config.regCovar();
            ExpectationRunner<GaussianMixtureModel, GaussianStatistics> runner = params -> {
                Broadcast<String> model = sc.broadcast(ModelFiles.toJson(params));
                try {
                    Partial total = rows.mapPartitions(it -> List.of(accumulate(model.value(), type, reg, d, names, it))
                            .iterator()).treeReduce(Partial::merge);
                    return new Expectation<>(total.statistics(), total.logLikelihood());
                } finally {
                    model.destroy();
                }
            };
            return config.fit(runner, n, sample);
        } finally {
            rows.unpersist(false);
        }
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

    private static double[] toArray(Row r, int d) {
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            if (r.isNullAt(j)) {
                throw new EmkitException("column '" + r.schema().fieldNames()[j] + "': missing (null) value;"
                        + " fitting needs a value in every cell");
            }
            out[j] = r.getDouble(j);
        }
        return out;
    }

    /** One partition's E-step: its rows gathered into a block and run through the single-machine steps. */
    private static Partial accumulate(String modelJson, String type, double reg, int d, List<String> names,
                                      Iterator<double[]> it) {
        GaussianMixtureModel model = (GaussianMixtureModel) ModelFiles.fromJson(modelJson, "broadcast model");
        GaussianMixtureSteps steps = new GaussianMixtureSteps(CovarianceType.parse(type), reg);
        List<double[]> buffer = new ArrayList<>();
        while (it.hasNext()) {
            buffer.add(it.next());
        }
        double[] values = new double[buffer.size() * d];
        for (int i = 0; i < buffer.size(); i++) {
            System.arraycopy(buffer.get(i), 0, values, i * d, d);
        }
        Dataset block = Dataset.wrap(values, buffer.size(), d, names);
        GaussianStatistics stats = steps.emptyStatistics(model);
        double ll = steps.accumulate(model, block, 0, block.rows(), stats);
        return new Partial(stats, ll);
    }

    /** A partition's statistics and log-likelihood, merged pairwise up Spark's reduction tree. */
    private record Partial(GaussianStatistics statistics, double logLikelihood) implements Serializable {
        Partial merge(Partial other) {
            statistics.merge(other.statistics);
            return new Partial(statistics, logLikelihood + other.logLikelihood);
        }
    }
}
