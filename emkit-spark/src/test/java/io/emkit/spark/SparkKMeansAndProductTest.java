package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.HeaderMode;
import io.emkit.em.EmResult;
import io.emkit.families.ColumnFamily;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * k-means and mixtures of independent columns on Spark (local[2]) against the single-machine fits, and the
 * data read from CSV and Parquet paths. Frames keep the rows' order (partition p holds a consecutive slice), so
 * a row's index among all rows is the same on Spark and on one machine.
 */
class SparkKMeansAndProductTest {
    private static SparkSession spark;
    private static final String[] COLOURS = {"red", "green", "blue"};

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Rows in order, split into {@code partitions} consecutive slices; text cells stay text. */
    private static org.apache.spark.sql.Dataset<Row> frame(List<Object[]> rows, StructType schema, int partitions) {
        List<Row> list = rows.stream().map(RowFactory::create).toList();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(list, partitions), schema);
    }

    private static org.apache.spark.sql.Dataset<Row> numbers(double[][] rows, List<String> names, int partitions) {
        StructType schema = new StructType();
        for (String n : names) {
            schema = schema.add(n, DataTypes.DoubleType, false);
        }
        List<Object[]> list = new ArrayList<>();
        for (double[] row : rows) {
            Object[] v = new Object[row.length];
            for (int j = 0; j < row.length; j++) {
                v[j] = row[j];
            }
            list.add(v);
        }
        return frame(list, schema, partitions);
    }

    /** Three well-separated spherical clusters around known centres. */
    private static final double[][] CENTRES = {{0, 0, 0}, {10, -10, 10}, {-10, 10, 20}};

    private static double[][] clusters(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] rows = new double[n][3];
        for (double[] row : rows) {
            int c = r.nextInt(3);
            for (int j = 0; j < 3; j++) {
                row[j] = CENTRES[c][j] + r.nextGaussian() * (1 + c * 0.5);
            }
        }
        return rows;
    }

    private static void assertClose(double[] a, double[] b, double rel, String what) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1e-300, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            assertThat(Math.abs(a[i] - b[i]) / scale).as("%s, entry %d: %s vs %s", what, i, a[i], b[i])
                    .isLessThanOrEqualTo(rel);
        }
    }

    private static void assertCentroidsClose(KMeansModel a, KMeansModel b, double rel) {
        for (int c = 0; c < a.components(); c++) {
            assertClose(a.centroid(c), b.centroid(c), rel, "centroid " + c);
        }
    }

    @Test
    void kMeansFromTheSameStartIsTheSingleMachineFitAtEveryIteration() {
        double[][] rows = clusters(6000, 3);
        List<String> names = List.of("a", "b", "c");
        Dataset local = Dataset.of(rows, names);
        // A start on the first three rows (wherever they fall), so that Lloyd's iterations have work to do.
        KMeansModel start = KMeansModel.of(new double[][] {rows[0], rows[1], rows[2]});
        for (int iterations : new int[] {1, 20}) {
            KMeans config = KMeans.withClusters(3).initialModel(start).tolerance(0).maxIterations(iterations);
            EmResult<KMeansModel> single = config.fit(local);
            EmResult<KMeansModel> onSpark = SparkKMeans.fit(config, numbers(rows, names, 3), names);
            assertThat(onSpark.iterations()).isEqualTo(iterations);
            assertClose(onSpark.trace(), single.trace(), 1e-9, "inertia trace");
            assertCentroidsClose(onSpark.params(), single.params(), 1e-9);
        }
    }

    @Test
    void kMeansReseedsAnEmptyClusterOnTheSameRowAsOneMachineWhenDistancesTie() {
        // Rows -10 (row 1) and +10 (row 200) are equally far from the centroid at 0; the second centroid, far
        // away, receives no row and is re-seeded on the farther row with the lower index among ALL rows: -10.
        // With 3 partitions +10 is its partition's row 0, so ranking by index within a partition would pick it.
        int n = 300;
        double[][] rows = new double[n][1];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            rows[i][0] = r.nextDouble() - 0.5;
        }
        rows[1][0] = -10;
        rows[200][0] = 10;
        List<String> names = List.of("x");
        KMeansModel start = KMeansModel.of(new double[][] {{0.0}, {1000.0}});
        KMeans config = KMeans.withClusters(2).initialModel(start).tolerance(0).maxIterations(1);
        EmResult<KMeansModel> single = config.fit(Dataset.of(rows, names));
        assertThat(single.params().centroid(1)[0]).isEqualTo(-10.0);
        for (int partitions : new int[] {1, 3, 10}) {
            EmResult<KMeansModel> onSpark = SparkKMeans.fit(config, numbers(rows, names, partitions), names);
            assertThat(onSpark.params().centroid(1)[0]).as("%d partitions", partitions).isEqualTo(-10.0);
            assertThat(onSpark.warnings()).anyMatch(w -> w.contains("re-seeded"));
        }
    }

    @Test
    void kMeansRestartsFindTheGeneratingCentresAndReportTheirInertia() {
        double[][] rows = clusters(3000, 11);
        List<String> names = List.of("a", "b", "c");
        EmResult<KMeansModel> fit = SparkKMeans.fit(KMeans.withClusters(3).initializations(4).seed(7),
                numbers(rows, names, 4), names);
        assertThat(fit.initializationObjectives()).hasSize(4);
        // Each generating centre has a fitted centroid within 0.2 (about 1000 rows per cluster, sd <= 2).
        for (double[] centre : CENTRES) {
            double best = Double.MAX_VALUE;
            for (double[] c : fit.params().centroids()) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    s += (c[j] - centre[j]) * (c[j] - centre[j]);
                }
                best = Math.min(best, Math.sqrt(s));
            }
            assertThat(best).isLessThan(0.2);
        }
        // The reported objective is minus the inertia of the returned centroids, computed here directly.
        double inertia = 0;
        for (double[] row : rows) {
            double nearest = Double.MAX_VALUE;
            for (double[] c : fit.params().centroids()) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    s += (row[j] - c[j]) * (row[j] - c[j]);
                }
                nearest = Math.min(nearest, s);
            }
            inertia += nearest;
        }
        assertThat(-fit.logLikelihood()).isCloseTo(inertia, org.assertj.core.api.Assertions.within(inertia * 1e-9));
    }

    @Test
    void kMeansPartitionCountsDoNotChangeTheAnswer() {
        double[][] rows = clusters(2000, 4);
        List<String> names = List.of("a", "b", "c");
        KMeans config = KMeans.withClusters(3).initialModel(KMeansModel.of(new double[][] {rows[0], rows[1], rows[2]}))
                .tolerance(0).maxIterations(10);
        EmResult<KMeansModel> one = SparkKMeans.fit(config, numbers(rows, names, 1), names);
        for (int partitions : new int[] {3, 17}) {
            EmResult<KMeansModel> other = SparkKMeans.fit(config, numbers(rows, names, partitions), names);
            assertClose(other.trace(), one.trace(), 1e-12, partitions + " partitions, trace");
            assertCentroidsClose(other.params(), one.params(), 1e-12);
        }
    }

    /** colour (text, categorical), count (Poisson), weight (Gaussian), from two known components. */
    private static final StructType MIXED = new StructType().add("colour", DataTypes.StringType, false)
            .add("count", DataTypes.IntegerType, false).add("weight", DataTypes.DoubleType, false);
    private static final List<ColumnFamily> MIXED_FAMILIES =
            List.of(ColumnFamily.CATEGORICAL, ColumnFamily.POISSON, ColumnFamily.GAUSSIAN);

    private static List<Object[]> mixedRows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean first = r.nextDouble() < 0.4;
            double u = r.nextDouble();
            String colour = first ? (u < 0.7 ? "green" : u < 0.9 ? "red" : "blue") : (u < 0.1 ? "green" : u < 0.5 ? "red" : "blue");
            rows.add(new Object[] {colour, poisson(first ? 3 : 12, r), (first ? 1.2 : 0.9) + 0.1 * r.nextGaussian()});
        }
        return rows;
    }

    private static int poisson(double rate, SplittableRandom r) {
        double limit = Math.exp(-rate);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }

    /** The same rows for the single-machine API: colours as codes of their sorted names. */
    private static Dataset mixedLocal(List<Object[]> rows) {
        List<String> sorted = List.of("blue", "green", "red");
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            Object[] row = rows.get(i);
            x[i] = new double[] {sorted.indexOf((String) row[0]), (Integer) row[1], (Double) row[2]};
        }
        return Dataset.of(x, List.of("colour", "count", "weight"));
    }

    private static void assertModelsClose(ProductMixtureModel a, ProductMixtureModel b, double rel) {
        assertClose(a.weights(), b.weights(), rel, "weights");
        for (int j = 0; j < a.dimension(); j++) {
            assertThat(a.categories(j)).isEqualTo(b.categories(j));
            for (int c = 0; c < a.components(); c++) {
                assertClose(a.parameters(j)[c], b.parameters(j)[c], rel, "column " + j + ", component " + c);
            }
        }
    }

    @Test
    void productMixtureWithTextCategoriesFromTheSameStartIsTheSingleMachineFitAtEveryIteration() {
        List<Object[]> rows = mixedRows(3000, 21);
        List<String> names = List.of("colour", "count", "weight");
        Dataset local = mixedLocal(rows);
        ProductMixture base = ProductMixture.withComponents(2).families(MIXED_FAMILIES)
                .categoryNames(java.util.Arrays.asList(List.of("blue", "green", "red"), null, null));
        ProductMixtureModel start = base.maxIterations(0).fit(local).params();
        for (int iterations : new int[] {1, 20}) {
            ProductMixture config = base.initialModel(start).tolerance(0).maxIterations(iterations);
            EmResult<ProductMixtureModel> single = config.fit(local);
            EmResult<ProductMixtureModel> onSpark = SparkProductMixture.fit(config, frame(rows, MIXED, 3), names);
            assertThat(onSpark.iterations()).isEqualTo(iterations);
            assertClose(onSpark.trace(), single.trace(), 1e-9, "log-likelihood trace");
            assertModelsClose(onSpark.params(), single.params(), 1e-9);
        }
    }

    @Test
    void productMixturePartitionCountsDoNotChangeTheAnswerAndRestartsRecoverTheComponents() {
        List<Object[]> rows = mixedRows(2000, 8);
        List<String> names = List.of("colour", "count", "weight");
        ProductMixture config = ProductMixture.withComponents(2).families(MIXED_FAMILIES).initializations(2).seed(2)
                .tolerance(0).maxIterations(12);
        EmResult<ProductMixtureModel> one = SparkProductMixture.fit(config, frame(rows, MIXED, 1), names);
        for (int partitions : new int[] {3, 17}) {
            EmResult<ProductMixtureModel> other = SparkProductMixture.fit(config, frame(rows, MIXED, partitions), names);
            assertClose(other.trace(), one.trace(), 1e-12, partitions + " partitions, trace");
            assertModelsClose(other.params(), one.params(), 1e-12);
        }
        // The generating rates were 3 and 12 with weights 0.4 and 0.6.
        ProductMixtureModel m = one.params();
        int small = m.parameters(1)[0][0] < m.parameters(1)[1][0] ? 0 : 1;
        assertThat(m.parameters(1)[small][0]).isCloseTo(3, org.assertj.core.api.Assertions.within(0.3));
        assertThat(m.parameters(1)[1 - small][0]).isCloseTo(12, org.assertj.core.api.Assertions.within(0.5));
        assertThat(m.weights()[small]).isCloseTo(0.4, org.assertj.core.api.Assertions.within(0.05));
        assertThat(m.categories(0)).containsExactly("blue", "green", "red");
        for (int i = 1; i < one.trace().length; i++) {
            assertThat(one.trace()[i]).isGreaterThanOrEqualTo(one.trace()[i - 1] - 1e-9 * Math.abs(one.trace()[i - 1]));
        }
    }

    @Test
    void aValueOutsideItsFamilysSupportStopsTheFitNamingTheColumn() {
        List<Object[]> rows = mixedRows(100, 1);
        rows.get(57)[1] = -2;
        assertThatThrownBy(() -> SparkProductMixture.fit(ProductMixture.withComponents(2).families(MIXED_FAMILIES),
                frame(rows, MIXED, 2), List.of("colour", "count", "weight")))
                .isInstanceOf(EmkitException.class).hasMessageContaining("column 'count'").hasMessageContaining("-2");
    }

    private static Path faithfulCsv(Path dir) throws IOException {
        Path csv = dir.resolve("faithful.csv");
        try (InputStream in = SparkKMeansAndProductTest.class.getResourceAsStream("faithful.csv")) {
            Files.copy(in, csv);
        }
        return csv;
    }

    @Test
    void csvAndParquetPathsGiveTheFitOfTheSameRowsInMemory(@TempDir Path dir) throws IOException {
        Path csv = faithfulCsv(dir);
        List<String> names = List.of("eruptions", "waiting");
        org.apache.spark.sql.Dataset<Row> fromCsv = SparkData.read(spark, csv.toString(), HeaderMode.AUTO);
        assertThat(SparkData.numericColumns(fromCsv)).isEqualTo(names);
        List<double[]> values = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            values.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
        }
        Dataset local = Dataset.of(values.toArray(new double[0][]), names);
        GaussianMixtureModel start = GaussianMixture.withComponents(2).maxIterations(0).fit(local).params();
        GaussianMixture config = GaussianMixture.withComponents(2).initialModel(start).tolerance(0).maxIterations(5);
        EmResult<GaussianMixtureModel> single = config.fit(local);

        String parquet = dir.resolve("faithful.parquet").toString();
        fromCsv.repartition(3).write().parquet(parquet);
        org.apache.spark.sql.Dataset<Row> fromParquet = SparkData.read(spark, parquet, HeaderMode.AUTO);
        assertThat(fromParquet.count()).isEqualTo(272);
        for (org.apache.spark.sql.Dataset<Row> df : List.of(fromCsv, fromParquet)) {
            EmResult<GaussianMixtureModel> fit = SparkGaussianMixture.fit(config, df, names);
            assertClose(fit.trace(), single.trace(), 1e-9, "trace");
            assertClose(fit.params().weights(), single.params().weights(), 1e-9, "weights");
            assertClose(fit.params().mean(0), single.params().mean(0), 1e-9, "mean 0");
        }
    }

    @Test
    void aCsvWithoutHeaderHasColumnsX1X2AndAMissingPathIsAOneLineError(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("plain.csv");
        Files.writeString(csv, "1.5,2\n2.5,3\n3.5,7\n");
        org.apache.spark.sql.Dataset<Row> df = SparkData.read(spark, csv.toString(), HeaderMode.AUTO);
        assertThat(df.columns()).containsExactly("x1", "x2");
        assertThat(df.count()).isEqualTo(3);
        assertThatThrownBy(() -> SparkData.read(spark, dir.resolve("nothing.csv").toString(), HeaderMode.AUTO))
                .isInstanceOf(EmkitException.class).hasMessageContaining("nothing.csv").hasMessageNotContaining("\n");
    }

    @Test
    void aFitOnManyPartitionsIsReproducibleBitForBit() {
        double[][] rows = clusters(3000, 9);
        List<String> names = List.of("a", "b", "c");
        GaussianMixture config = GaussianMixture.withComponents(3).seed(4).tolerance(0).maxIterations(2);
        // 40 partitions: merged over two levels of the tree (16 per node).
        EmResult<GaussianMixtureModel> a = SparkGaussianMixture.fit(config, numbers(rows, names, 40), names);
        EmResult<GaussianMixtureModel> b = SparkGaussianMixture.fit(config, numbers(rows, names, 40), names);
        assertThat(b.trace()).isEqualTo(a.trace());
        assertThat(b.params().mean(1)).isEqualTo(a.params().mean(1));
    }
}
