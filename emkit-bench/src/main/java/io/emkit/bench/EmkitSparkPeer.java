package io.emkit.bench;

import java.util.ArrayList;
import java.util.List;

import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.spark.SparkGaussianMixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * emkit-spark on the same {@code local[2]} master as {@link SparkPeer}: the data in a cached DataFrame of 2
 * partitions (materialised before timing), {@code SparkGaussianMixture.fit(initialModel(start).tolerance(0)
 * .maxIterations(m))}: m iterations, each one Spark job (parameters broadcast, emkit's E-step per partition,
 * statistics merged on the driver) and the M-step on the driver. Each fit call also converts the rows to
 * {@code double[]} once and persists them, a fixed cost that the seconds-per-iteration figure subtracts.
 */
final class EmkitSparkPeer implements Peer {

    @Override
    public String name() {
        return "emkit-spark";
    }

    @Override
    public Fit prepare(SyntheticData data, Params start) {
        BenchCase c = data.benchCase();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("emkit-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        List<String> names = io.emkit.data.Dataset.defaultNames(c.d());
        StructType schema = new StructType();
        for (String n : names) {
            schema = schema.add(n, DataTypes.DoubleType, false);
        }
        double[] x = data.flat();
        List<Row> rows = new ArrayList<>(c.n());
        for (int i = 0; i < c.n(); i++) {
            Object[] v = new Object[c.d()];
            for (int j = 0; j < c.d(); j++) {
                v[j] = x[i * c.d() + j];
            }
            rows.add(RowFactory.create(v));
        }
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2).persist(StorageLevel.MEMORY_ONLY());
        df.count();
        GaussianMixtureModel init = start.toEmkit();
        return new Fit() {
            @Override
            public Params run(int iterations) {
                return EmkitPeer.checkedParams(
                        SparkGaussianMixture.fit(EmkitPeer.configuration(c, init, iterations), df, names), iterations, c);
            }

            @Override
            public void close() {
                spark.stop();
            }
        };
    }
}
