package io.emkit.spark.cli;

import io.emkit.EmkitException;
import io.emkit.cli.ClusterEngine;
import io.emkit.data.HeaderMode;
import io.emkit.em.EmResult;
import io.emkit.mixture.GaussianMixture;
import io.emkit.mixture.GaussianMixtureModel;
import io.emkit.spark.SparkData;
import io.emkit.spark.SparkGaussianMixture;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code emkit ... --engine spark}: the data read by Spark ({@link SparkData}: CSV or Parquet, any path Spark
 * reads) and fitted by emkit-spark. The master is {@code --master}, else the one spark-submit set, else
 * {@code local[*]}: Spark embedded in the command, no cluster needed. A session already active in the JVM is
 * used as it is (its master stays).
 */
public final class SparkEngine implements ClusterEngine {
    /** Found by {@link java.util.ServiceLoader}. */
    public SparkEngine() {
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Data open(String path, HeaderMode header, List<String> columns, String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("emkit");
        String chosen = master != null ? master : new SparkConf().contains("spark.master") ? null : "local[*]";
        if (chosen != null) {
            builder.master(chosen);
        }
        if (chosen != null && chosen.startsWith("local")) {
            builder.config("spark.ui.enabled", "false");
        }
        // A session already running in this JVM (emkit embedded in a Spark application) is used and left running.
        boolean ours = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark;
        try {
            spark = builder.getOrCreate();
        } catch (RuntimeException e) {
            throw new EmkitException("--master " + chosen + ": Spark could not start: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        try {
            org.apache.spark.sql.Dataset<Row> df = SparkData.read(spark, path, header);
            List<String> numeric = SparkData.numericColumns(df);
            List<String> all = List.of(df.columns());
            List<String> chosenColumns = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            if (columns.isEmpty()) {
                chosenColumns.addAll(numeric);
                all.stream().filter(c -> !numeric.contains(c)).forEach(ignored::add);
                if (chosenColumns.isEmpty()) {
                    throw new EmkitException(path + ": no numeric columns to fit (columns: " + String.join(", ", all) + ")");
                }
            } else {
                for (String c : columns) {
                    chosenColumns.add(resolve(path, c, all));
                }
            }
            return new SparkFrame(ours ? spark : null, df, List.copyOf(chosenColumns), List.copyOf(ignored));
        } catch (RuntimeException e) {
            if (ours) {
                spark.stop();
            }
            throw e;
        }
    }

    /** A column by name, or by number from 1 when no column has that name. */
    private static String resolve(String path, String column, List<String> all) {
        if (all.contains(column)) {
            return column;
        }
        if (column.matches("[0-9]+")) {
            int number = Integer.parseInt(column);
            if (number >= 1 && number <= all.size()) {
                return all.get(number - 1);
            }
        }
        throw new EmkitException(path + ": no column '" + column + "' (columns: " + String.join(", ", all) + ")");
    }

    /** The data read; {@code session} is the session to stop at the end, null when it was not ours to start. */
    private record SparkFrame(SparkSession session, org.apache.spark.sql.Dataset<Row> rows, List<String> columnNames,
                              List<String> ignoredColumns) implements Data {
        @Override
        public EmResult<GaussianMixtureModel> fit(GaussianMixture config) {
            return SparkGaussianMixture.fit(config, rows, columnNames);
        }

        @Override
        public void close() {
            if (session != null) {
                session.stop();
            }
        }
    }
}
