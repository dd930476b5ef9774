package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.families.ColumnFamily;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link SparkModels#transform} (and {@link SparkGaussianMixture#predict}) against the single-machine models'
 * {@code predict}, {@code predictProba} and {@code scoreSamples} on the same rows, for Gaussian mixtures,
 * k-means and product mixtures, with 1 and 3 partitions and with an empty partition. Every data frame has an
 * extra column first and the model's columns in another order than the data's, so the columns are found by
 * name.
 */
class SparkPredictTest {
    private static SparkSession spark;
    private static final double TOL = 1e-12;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The layouts every test runs: 1 partition, 3 partitions, and 3 partitions the middle one empty. */
    private static List<org.apache.spark.sql.Dataset<Row>> layouts(List<Object[]> rows, StructType schema) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Row> list = rows.stream().map(RowFactory::create).toList();
        int half = list.size() / 2;
        JavaRDD<Row> withEmpty = sc.parallelize(list.subList(0, half), 1)
                .union(sc.parallelize(new ArrayList<Row>(), 1))
                .union(sc.parallelize(list.subList(half, list.size()), 1));
        assertThat(withEmpty.getNumPartitions()).isEqualTo(3);
        assertThat(withEmpty.glom().collect().get(1)).isEmpty();
        return List.of(spark.createDataFrame(sc.parallelize(list, 1), schema),
                spark.createDataFrame(sc.parallelize(list, 3), schema),
                spark.createDataFrame(withEmpty, schema));
    }

    private static void assertClose(double actual, double expected, String what) {
        double scale = Math.max(1e-300, Math.max(Math.abs(actual), Math.abs(expected)));
        assertThat(Math.abs(actual - expected) / scale).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(TOL);
    }

    /** Checks the input columns came back unchanged, in order. */
    private static void assertInputKept(List<Row> out, List<Object[]> rows) {
        assertThat(out).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            for (int f = 0; f < rows.get(i).length; f++) {
                assertThat(out.get(i).get(f)).isEqualTo(rows.get(i)[f]);
            }
        }
    }

    /** Checks label, probability and log density against the single-machine model on {@code local}. */
    private static void assertMixtureColumns(List<Row> out, io.emkit.mixture.MixtureModel model, Dataset local,
                                             int first) {
        int[] labels = model.predict(local);
        double[][] p = model.predictProba(local);
        double[] logDensity = model.scoreSamples(local);
        assertThat(out.get(0).schema().fieldNames()).endsWith("label", "probability", "log_density");
        for (int i = 0; i < out.size(); i++) {
            Row r = out.get(i);
            assertThat(r.getInt(first)).as("row %d label", i).isEqualTo(labels[i]);
            List<Double> pr = r.getList(first + 1);
            assertThat(pr).hasSize(model.components());
            for (int c = 0; c < pr.size(); c++) {
                assertClose(pr.get(c), p[i][c], "row " + i + " p" + c);
            }
            assertClose(r.getDouble(first + 2), logDensity[i], "row " + i + " log density");
        }
    }

    /** The EmkitException in a failed action's causes. */
    private static EmkitException emkitCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EmkitException e) {
                return e;
            }
        }
        throw new AssertionError("no EmkitException among the causes of " + t, t);
    }

    // ---- Gaussian mixtures --------------------------------------------------------------------------------

    private static final StructType GAUSS = new StructType().add("id", DataTypes.LongType, false)
            .add("y", DataTypes.DoubleType, true).add("x", DataTypes.IntegerType, true);

    /** id, y (double), x (int): two groups. */
    private static List<Object[]> gaussRows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean a = r.nextDouble() < 0.3;
            int x = (a ? 2 : 9) + r.nextInt(4);
            rows.add(new Object[] {(long) i, (a ? -1.0 : 3.0) + 0.3 * x + r.nextGaussian(), x});
        }
        return rows;
    }

    private static Dataset gaussLocal(List<Object[]> rows) {
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new double[] {(Integer) rows.get(i)[2], (Double) rows.get(i)[1]};
        }
        return Dataset.of(v, List.of("x", "y"));
    }

    @Test
    void gaussianMixtureColumnsAreTheSingleMachineModels() {
        List<Object[]> rows = gaussRows(300, 5);
        Dataset local = gaussLocal(rows);
        GaussianMixtureModel model = GaussianMixture.withComponents(3).seed(4).fit(local).params();
        for (org.apache.spark.sql.Dataset<Row> df : layouts(rows, GAUSS)) {
            List<Row> out = SparkModels.transform(model, df, List.of("x", "y")).collectAsList();
            assertInputKept(out, rows);
            assertMixtureColumns(out, model, local, 3);
            // predict, the older entry point: the same label and probabilities, no log density
            List<Row> predicted = SparkGaussianMixture.predict(model, df, List.of("x", "y")).collectAsList();
            assertThat(predicted.get(0).schema().fieldNames()).containsExactly("id", "y", "x", "label", "probability");
            int[] labels = model.predict(local);
            double[][] p = model.predictProba(local);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(predicted.get(i).getInt(3)).isEqualTo(labels[i]);
                List<Double> pr = predicted.get(i).getList(4);
                for (int c = 0; c < 3; c++) {
                    assertClose(pr.get(c), p[i][c], "predict, row " + i);
                }
            }
        }
    }

    @Test
    void aModelReadFromItsFileGivesTheSameColumns() {
        List<Object[]> rows = gaussRows(120, 6);
        Dataset local = gaussLocal(rows);
        GaussianMixtureModel model = GaussianMixture.withComponents(2).seed(1).fit(local).params();
        ClusteringModel read = ModelFiles.fromJson(ModelFiles.toJson(model), "test");
        List<Row> out = SparkModels.transform(read, layouts(rows, GAUSS).get(1), List.of("x", "y")).collectAsList();
        assertMixtureColumns(out, model, local, 3);
    }

    @Test
    void aNullCellIsAMissingValueUnderAGaussianMixture() {
        List<Object[]> rows = gaussRows(50, 2);
        rows.get(31)[1] = null;
        GaussianMixtureModel model = GaussianMixture.withComponents(2).seed(1).fit(gaussLocal(gaussRows(50, 3)))
                .params();
        List<Row> out = SparkModels.transform(model, layouts(rows, GAUSS).get(1), List.of("x", "y")).collectAsList();
        // Row 31 is evaluated on its observed x alone, as the local model evaluates NaN.
        Dataset one = Dataset.of(new double[][] {{(Integer) rows.get(31)[2], Double.NaN}}, List.of("x", "y"));
        Row r = out.get(31);
        assertThat(r.getInt(3)).isEqualTo(model.predict(one)[0]);
        List<Double> p = r.getList(4);
        assertClose(p.get(0), model.predictProba(one)[0][0], "row 31 p0");
        assertClose(r.getDouble(5), model.scoreSamples(one)[0], "row 31 log density");
        assertThat(r.getDouble(5)).isFinite();
    }

    @Test
    void badColumnsAreRefusedBeforeAnyJob() {
        List<Object[]> rows = gaussRows(50, 2);
        org.apache.spark.sql.Dataset<Row> df = layouts(rows, GAUSS).get(0);
        GaussianMixtureModel model = GaussianMixture.withComponents(2).seed(1).fit(gaussLocal(rows)).params();
        assertThatThrownBy(() -> SparkModels.transform(model, df, List.of("x")))
                .isInstanceOf(EmkitException.class).hasMessageContaining("2 features");
        assertThatThrownBy(() -> SparkModels.transform(model, df, List.of("x", "z")))
                .isInstanceOf(EmkitException.class).hasMessageContaining("no column 'z'");
        org.apache.spark.sql.Dataset<Row> labelled = df.withColumnRenamed("id", "label");
        assertThatThrownBy(() -> SparkModels.transform(model, labelled, List.of("x", "y")))
                .isInstanceOf(EmkitException.class).hasMessageContaining("already have a column 'label'");
    }

    // ---- k-means ------------------------------------------------------------------------------------------

    @Test
    void kMeansColumnsAreTheSingleMachineModels() {
        List<Object[]> rows = gaussRows(300, 9);
        Dataset local = gaussLocal(rows);
        KMeansModel model = KMeans.withClusters(3).seed(2).fit(local).params();
        int[] labels = model.predict(local);
        double[][] centroids = model.centroids();
        double[] x = local.rawValues();
        for (org.apache.spark.sql.Dataset<Row> df : layouts(rows, GAUSS)) {
            List<Row> out = SparkModels.transform(model, df, List.of("x", "y")).collectAsList();
            assertInputKept(out, rows);
            assertThat(out.get(0).schema().fieldNames()).containsExactly("id", "y", "x", "label", "distance");
            double sum = 0;
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.get(i).getInt(3)).as("row %d label", i).isEqualTo(labels[i]);
                double nearest = Double.POSITIVE_INFINITY;
                for (double[] c : centroids) {
                    double dx = x[2 * i] - c[0];
                    double dy = x[2 * i + 1] - c[1];
                    nearest = Math.min(nearest, dx * dx + dy * dy);
                }
                assertClose(out.get(i).getDouble(4), nearest, "row " + i + " distance");
                sum += out.get(i).getDouble(4);
            }
            assertClose(sum, model.inertia(local), "inertia");
        }
    }

    @Test
    void kMeansNullCellNamesTheColumn() {
        List<Object[]> rows = gaussRows(40, 2);
        rows.get(0)[2] = null;
        KMeansModel model = KMeansModel.of(new double[][] {{2, 0}, {9, 3}});
        EmkitException e = emkitCause(catchThrowable(
                SparkModels.transform(model, layouts(rows, GAUSS).get(2), List.of("x", "y"))::collectAsList));
        assertThat(e).hasMessageContaining("column 'x'");
    }

    // ---- product mixtures ---------------------------------------------------------------------------------

    /** id, weight (Gaussian), colour (text categorical), size (int categorical), count (Poisson). */
    private static final StructType MIXED = new StructType().add("id", DataTypes.LongType, false)
            .add("weight", DataTypes.DoubleType, false).add("colour", DataTypes.StringType, true)
            .add("size", DataTypes.IntegerType, false).add("count", DataTypes.IntegerType, false);
    private static final List<String> COLOURS = List.of("blue", "green", "red");
    private static final List<String> SIZES = List.of("1", "2", "5");
    private static final List<String> MIXED_COLUMNS = List.of("colour", "size", "count", "weight");

    private static List<Object[]> mixedRows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean a = r.nextDouble() < 0.4;
            int count = 0;
            for (double p = r.nextDouble(), limit = Math.exp(a ? -3 : -10); p > limit; p *= r.nextDouble()) {
                count++;
            }
            rows.add(new Object[] {(long) i, (a ? 1.2 : 0.8) + 0.1 * r.nextGaussian(),
                    COLOURS.get(r.nextInt(a ? 2 : 3)), Integer.parseInt(SIZES.get(r.nextInt(3))), count});
        }
        return rows;
    }

    /** The rows for the single-machine model, categories as their codes (written out here, independently). */
    private static Dataset mixedLocal(List<Object[]> rows) {
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            Object[] row = rows.get(i);
            // A missing colour (null, or "NA" as text) is NaN, as the local reader reads it.
            double colour = row[2] == null || row[2].equals("NA") ? Double.NaN : COLOURS.indexOf((String) row[2]);
            v[i] = new double[] {colour, SIZES.indexOf(String.valueOf(row[3])),
                    (Integer) row[4], (Double) row[1]};
        }
        return Dataset.of(v, MIXED_COLUMNS);
    }

    private static ProductMixtureModel productModel() {
        return ProductMixture.withComponents(2).seed(3)
                .families(List.of(ColumnFamily.CATEGORICAL, ColumnFamily.CATEGORICAL, ColumnFamily.POISSON,
                        ColumnFamily.GAUSSIAN))
                .categoryNames(Arrays.asList(COLOURS, SIZES, null, null))
                .fit(mixedLocal(mixedRows(400, 1))).params();
    }

    @Test
    void productMixtureColumnsAreTheSingleMachineModels() {
        ProductMixtureModel model = productModel();
        List<Object[]> rows = mixedRows(250, 7);
        Dataset local = mixedLocal(rows);
        for (org.apache.spark.sql.Dataset<Row> df : layouts(rows, MIXED)) {
            List<Row> out = SparkModels.transform(model, df, MIXED_COLUMNS).collectAsList();
            assertInputKept(out, rows);
            assertMixtureColumns(out, model, local, 5);
        }
    }

    @Test
    void productMixtureMissingCellsAreMissingAndAnUnknownCategoryNamesTheColumn() {
        ProductMixtureModel model = productModel();
        List<Object[]> rows = mixedRows(60, 2);
        rows.get(44)[2] = null;
        rows.get(45)[2] = "NA";
        // Rows 44 and 45 are evaluated on their other columns, as the local model evaluates NaN.
        List<Row> out = SparkModels.transform(model, layouts(rows, MIXED).get(1), MIXED_COLUMNS).collectAsList();
        assertMixtureColumns(out, model, mixedLocal(rows), 5);

        List<Object[]> purple = mixedRows(60, 2);
        purple.get(10)[2] = "purple";
        EmkitException e = emkitCause(catchThrowable(
                SparkModels.transform(model, layouts(purple, MIXED).get(2), MIXED_COLUMNS)::collectAsList));
        assertThat(e).hasMessageContaining("column 'colour'").hasMessageContaining("'purple'");

        List<Object[]> negative = mixedRows(60, 2);
        negative.get(3)[4] = -1;
        e = emkitCause(catchThrowable(
                SparkModels.transform(model, layouts(negative, MIXED).get(0), MIXED_COLUMNS)::collectAsList));
        assertThat(e).hasMessageContaining("column 'count'");
    }

    @Test
    void aProductMixtureWithMissingCellsIsFittedAsOnOneMachine() {
        List<Object[]> rows = mixedRows(400, 13);
        for (int i = 0; i < rows.size(); i += 9) {
            rows.get(i)[2] = i % 2 == 0 ? null : "NA";
        }
        ProductMixture config = ProductMixture.withComponents(2).seed(5).initializations(2)
                .families(List.of(ColumnFamily.CATEGORICAL, ColumnFamily.CATEGORICAL, ColumnFamily.POISSON,
                        ColumnFamily.GAUSSIAN));
        io.emkit.em.EmResult<ProductMixtureModel> local = config.categoryNames(Arrays.asList(COLOURS, SIZES, null, null))
                .fit(mixedLocal(rows));
        io.emkit.em.EmResult<ProductMixtureModel> onSpark = SparkProductMixture.fit(config, layouts(rows, MIXED).get(1),
                MIXED_COLUMNS);
        assertThat(onSpark.params().categories(0)).isEqualTo(COLOURS);
        assertThat(onSpark.iterations()).isEqualTo(local.iterations());
        for (int i = 0; i < local.trace().length; i++) {
            assertThat(Math.abs(onSpark.trace()[i] - local.trace()[i])).as("iteration %d", i)
                    .isLessThanOrEqualTo(1e-9 * Math.abs(local.trace()[i]));
        }
        assertNumbersClose(io.emkit.io.ModelFiles.toTree(local.params()), io.emkit.io.ModelFiles.toTree(onSpark.params()),
                "$");
        // Leaving the missing cells out is not dropping their rows: the fit without those rows is another one.
        List<Object[]> complete = rows.stream().filter(r -> r[2] != null && !r[2].equals("NA")).toList();
        double without = config.categoryNames(Arrays.asList(COLOURS, SIZES, null, null)).fit(mixedLocal(complete))
                .params().weights()[0];
        assertThat(Math.abs(without - onSpark.params().weights()[0])).isGreaterThan(1e-6);
    }

    /** Same keys; numbers within 1e-9 (relative, absolute below 1). */
    private static void assertNumbersClose(com.fasterxml.jackson.databind.JsonNode a,
                                           com.fasterxml.jackson.databind.JsonNode b, String at) {
        assertThat(b.getNodeType()).as(at).isEqualTo(a.getNodeType());
        if (a.isObject()) {
            a.fieldNames().forEachRemaining(n -> assertNumbersClose(a.get(n), b.get(n), at + "." + n));
        } else if (a.isArray()) {
            assertThat(b.size()).as(at).isEqualTo(a.size());
            for (int i = 0; i < a.size(); i++) {
                assertNumbersClose(a.get(i), b.get(i), at + "[" + i + "]");
            }
        } else if (a.isNumber()) {
            assertThat(Math.abs(a.asDouble() - b.asDouble())).as(at + ": " + a + " vs " + b)
                    .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(a.asDouble())));
        } else {
            assertThat(b).as(at).isEqualTo(a);
        }
    }

    @Test
    void aProductMixtureFittedOnSparkAppliesToTheSameFrame() {
        List<Object[]> rows = mixedRows(300, 11);
        org.apache.spark.sql.Dataset<Row> df = layouts(rows, MIXED).get(1);
        // One start: what is checked here is the transform of the frame, not the fit.
        ProductMixtureModel model = SparkProductMixture.fit(ProductMixture.withComponents(2).seed(5).initializations(1)
                        .families(List.of(ColumnFamily.CATEGORICAL, ColumnFamily.CATEGORICAL, ColumnFamily.POISSON,
                                ColumnFamily.GAUSSIAN)), df, MIXED_COLUMNS).params();
        assertThat(model.categories(0)).isEqualTo(COLOURS);
        assertThat(model.categories(1)).isEqualTo(SIZES);
        List<Row> out = SparkModels.transform(model, df, MIXED_COLUMNS).collectAsList();
        assertMixtureColumns(out, model, mixedLocal(rows), 5);
    }
}
