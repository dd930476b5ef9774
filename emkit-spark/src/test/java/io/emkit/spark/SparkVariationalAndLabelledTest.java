package io.emkit.spark;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.labels.ClassLabels;
import io.emkit.labels.LabelledGaussianMixture;
import io.emkit.labels.SemiSupervisedFit;
import io.emkit.labels.SemiSupervisedGaussianMixture;
import io.emkit.variational.VariationalMixture;
import io.emkit.variational.VariationalPrior;
import io.emkit.variational.VariationalResult;
import io.emkit.variational.WeightPrior;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Variational Bayes and semi-supervised EM on Spark (local[2], the rows in order over 1 and 3 partitions) against
 * the single-machine fits of the same rows: the partitions run the single-machine E-step and the driver the
 * single-machine loop from the same start, so the two agree to rounding.
 */
class SparkVariationalAndLabelledTest {
    private static final double REL = 1e-9;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String[]> csv(String name) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SparkVariationalAndLabelledTest.class.getResourceAsStream(name), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(line.split(",", -1));
            }
        }
        return rows;
    }

    /** The cells as a data frame of doubles (the last column text when {@code labels}), rows in order. */
    private static org.apache.spark.sql.Dataset<Row> frame(List<String[]> rows, boolean labels, int partitions) {
        String[] header = rows.get(0);
        StructType schema = new StructType();
        for (int j = 0; j < header.length; j++) {
            schema = schema.add(header[j], labels && j == header.length - 1 ? DataTypes.StringType
                    : DataTypes.DoubleType, true);
        }
        List<Row> list = new ArrayList<>();
        for (String[] cells : rows.subList(1, rows.size())) {
            Object[] v = new Object[cells.length];
            for (int j = 0; j < cells.length; j++) {
                v[j] = labels && j == cells.length - 1 ? (cells[j].isEmpty() ? null : cells[j])
                        : Double.parseDouble(cells[j]);
            }
            list.add(RowFactory.create(v));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(list, partitions), schema);
    }

    private static Dataset numbers(List<String[]> rows, int columns) {
        double[][] values = new double[rows.size() - 1][columns];
        for (int i = 1; i < rows.size(); i++) {
            for (int j = 0; j < columns; j++) {
                values[i - 1][j] = Double.parseDouble(rows.get(i)[j]);
            }
        }
        return Dataset.of(values, List.of(rows.get(0)).subList(0, columns));
    }

    private static void assertClose(double[] a, double[] b, String what) {
        assertThat(b).as(what).hasSameSizeAs(a);
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1.0, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            assertThat(Math.abs(a[i] - b[i]) / scale).as("%s[%d]: %s vs %s", what, i, a[i], b[i])
                    .isLessThanOrEqualTo(REL);
        }
    }

    private static void assertClose(GaussianMixtureModel a, GaussianMixtureModel b, String what) {
        assertClose(a.weights(), b.weights(), what + " weights");
        for (int c = 0; c < a.components(); c++) {
            assertClose(a.mean(c), b.mean(c), what + " mean " + c);
        }
    }

    @Test
    void variationalBayesOnSparkIsTheLocalFit() throws IOException {
        List<String[]> faithful = csv("faithful.csv");
        Dataset local = numbers(faithful, 2);
        List<String> columns = local.columnNames();
        int compared = 0;
        for (WeightPrior weights : WeightPrior.values()) {
            for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.DIAG)) {
                VariationalMixture config = VariationalMixture.withComponents(5).covarianceType(type)
                        .prior(VariationalPrior.of(weights));
                VariationalResult expected = config.fit(local);
                // The bound moves: the fit did iterate, and the model is not the start's.
                assertThat(expected.iterations()).isGreaterThan(2);
                for (int partitions : new int[] {1, 3}) {
                    String what = weights + " " + type.label() + " on " + partitions + " partitions";
                    VariationalResult[] posterior = new VariationalResult[1];
                    EmResult<GaussianMixtureModel> em = SparkGaussianMixture.fit(
                            config.distributed(r -> posterior[0] = r), 0L, frame(faithful, false, partitions), columns);
                    VariationalResult actual = posterior[0];
                    assertThat(actual.iterations()).as(what).isEqualTo(expected.iterations());
                    assertThat(actual.converged()).as(what).isEqualTo(expected.converged());
                    assertClose(expected.lowerBound(), actual.lowerBound(), what + " lower bound trace");
                    assertClose(expected.model().weights(), actual.model().weights(), what + " weights");
                    assertClose(expected.model().toGaussian(), actual.model().toGaussian(), what);
                    assertClose(expected.model().degreesOfFreedom(), actual.model().degreesOfFreedom(), what + " nu");
                    assertThat(em.logLikelihood()).as(what).isEqualTo(actual.finalLowerBound());
                    assertThat(em.sampleCount()).isEqualTo(272);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(8);
    }

    @Test
    void variationalBayesRefusesAMissingCellOnSpark() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"a", "b"});
        for (int i = 0; i < 40; i++) {
            rows.add(new String[] {Integer.toString(i % 7), Integer.toString(i * i % 11)});
        }
        org.apache.spark.sql.Dataset<Row> data = frame(rows, false, 2)
                .withColumn("b", org.apache.spark.sql.functions.expr("case when a = 3 and b = 9 then null else b end"));
        VariationalMixture config = VariationalMixture.withComponents(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkGaussianMixture.fit(config.distributed(r -> { }),
                        0L, data, List.of("a", "b")))
                .isInstanceOf(io.emkit.EmkitException.class).hasMessageContaining("missing");
    }

    /** Iris with the first 5 rows of each species labelled, the rest not (mclust's selection, make-ssc-fixtures.R). */
    private static List<String[]> irisFiveLabelled() throws IOException {
        List<String[]> iris = csv("iris.csv");
        int[] seen = new int[3];
        List<String> species = List.of("setosa", "versicolor", "virginica");
        for (String[] row : iris.subList(1, iris.size())) {
            int g = species.indexOf(row[4]);
            if (seen[g]++ >= 5) {
                row[4] = "";
            }
        }
        return iris;
    }

    @Test
    void semiSupervisedEmOnSparkIsTheLocalFit() throws IOException {
        List<String[]> iris = irisFiveLabelled();
        Dataset local = numbers(iris, 4);
        String[] cells = new String[local.rows()];
        for (int i = 0; i < cells.length; i++) {
            String c = iris.get(i + 1)[4];
            cells[i] = c.isEmpty() ? null : c;
        }
        ClassLabels labels = ClassLabels.of(cells);
        assertThat(labels.labelledRows()).isEqualTo(15);
        int compared = 0;
        // Three of the structures (mclust's VVV, VVI and VEV), one and two components per class.
        List<CovarianceType> types = List.of(CovarianceType.FULL, CovarianceType.DIAG, CovarianceType.parse("VEV"));
        int[] perClasses = {1, 2, 1};
        for (int t = 0; t < types.size(); t++) {
            CovarianceType type = types.get(t);
            int perClass = perClasses[t];
            {
                // At most 60 iterations (the full fit takes 181 to converge): each is a Spark job.
                SemiSupervisedGaussianMixture config = SemiSupervisedGaussianMixture.withCovariance(type)
                        .componentsPerClass(perClass).options(io.emkit.em.EmOptions.defaults()
                                .withAcceleration(io.emkit.em.Acceleration.NONE).withMaxIterations(60));
                SemiSupervisedFit expected = config.fit(local, labels);
                assertThat(expected.em().iterations()).isGreaterThan(20);
                int[] expectedClasses = expected.model().predictClasses(local);
                for (int partitions : new int[] {1, 3}) {
                    String what = type.label() + ", " + perClass + " per class, on " + partitions + " partitions";
                    org.apache.spark.sql.Dataset<Row> data = frame(iris, true, partitions);
                    SparkGaussianMixture.Classes classes = SparkGaussianMixture.classes(data, "species");
                    assertThat(classes.names()).isEqualTo(labels.names());
                    assertThat(classes.counts()).containsExactly(5, 5, 5);
                    EmResult<GaussianMixtureModel> em = SparkGaussianMixture.fit(config.distributed(classes.names()),
                            0L, data, local.columnNames(), "species", classes.names());
                    assertThat(em.iterations()).as(what).isEqualTo(expected.em().iterations());
                    double scale = Math.abs(expected.em().logLikelihood());
                    assertThat(Math.abs(em.logLikelihood() - expected.em().logLikelihood()) / scale).as(what)
                            .isLessThanOrEqualTo(REL);
                    assertClose(expected.model().mixture(), em.params(), what);
                    LabelledGaussianMixture model = new LabelledGaussianMixture(em.params(),
                            config.componentClasses(classes.names()));
                    assertThat(model.componentClasses()).isEqualTo(expected.model().componentClasses());
                    assertThat(model.predictClasses(local)).as(what).containsExactly(expectedClasses);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(6);
    }
}
