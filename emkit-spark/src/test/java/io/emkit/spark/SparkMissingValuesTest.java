package io.emkit.spark;

import io.emkit.data.CsvOptions;
import io.emkit.data.DataFiles;
import io.emkit.data.Dataset;
import io.emkit.data.HeaderMode;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gaussian mixtures on Spark with missing cells (null, or empty / NA / NaN in a CSV file) against the single-machine
 * fit of the same rows with {@code NaN}: the partitions run the single-machine E-step, which evaluates a row on its
 * observed values and adds its conditional expectations, so the two agree to rounding.
 */
class SparkMissingValuesTest {
    private static SparkSession spark;
    private static final List<String> NAMES = List.of("a", "b", "c");

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * Three clusters in 3-D, about 12% of the cells missing at random, in every pattern (rows missing one or two
     * cells, a few all three), and rows 7, 500 and 1999 missing every cell.
     */
    private static double[][] withHoles() {
        SplittableRandom r = new SplittableRandom(21);
        double[][] rows = new double[2000][3];
        for (int i = 0; i < rows.length; i++) {
            int c = r.nextInt(3);
            for (int j = 0; j < 3; j++) {
                rows[i][j] = 4 * c * (j + 1) * (j % 2 == 0 ? 1 : -1) + r.nextGaussian() * (1 + 0.4 * c)
                        + (j == 1 ? 0.5 * rows[i][0] : 0);
            }
            for (int j = 0; j < 3; j++) {
                if (r.nextDouble() < 0.12) {
                    rows[i][j] = Double.NaN;
                }
            }
        }
        for (int i : new int[] {7, 500, 1999}) {
            java.util.Arrays.fill(rows[i], Double.NaN);
        }
        return rows;
    }

    /** The rows as a data frame, NaN as null, in order over {@code partitions} partitions. */
    private static org.apache.spark.sql.Dataset<Row> frame(double[][] rows, int partitions) {
        StructType schema = new StructType();
        for (String n : NAMES) {
            schema = schema.add(n, DataTypes.DoubleType, true);
        }
        List<Row> list = new ArrayList<>();
        for (double[] row : rows) {
            Object[] v = new Object[row.length];
            for (int j = 0; j < row.length; j++) {
                v[j] = Double.isNaN(row[j]) ? null : row[j];
            }
            list.add(RowFactory.create(v));
        }
        // Rows in order: partitions of consecutive rows.
        return spark.createDataFrame(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(list, partitions), schema);
    }

    private static void assertClose(double[] a, double[] b, double rel, String what) {
        assertThat(b).as(what).hasSameSizeAs(a);
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1e-300, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            assertThat(Math.abs(a[i] - b[i]) / scale).as("%s[%d]: %s vs %s", what, i, a[i], b[i])
                    .isLessThanOrEqualTo(rel);
        }
    }

    private static void assertSameFit(EmResult<GaussianMixtureModel> local, EmResult<GaussianMixtureModel> onSpark,
                                      double rel) {
        assertThat(onSpark.iterations()).isEqualTo(local.iterations());
        assertClose(local.trace(), onSpark.trace(), rel, "log-likelihood trace");
        GaussianMixtureModel a = local.params();
        GaussianMixtureModel b = onSpark.params();
        assertClose(a.weights(), b.weights(), rel, "weights");
        for (int c = 0; c < a.components(); c++) {
            double[][] ca = a.covariance(c);
            double[][] cb = b.covariance(c);
            // A mean's precision is relative to the component's spread (a mean near 0 carries the rounding of
            // the values around it).
            for (int j = 0; j < ca.length; j++) {
                double scale = Math.max(Math.abs(a.mean(c)[j]), Math.sqrt(ca[j][j]));
                assertThat(Math.abs(a.mean(c)[j] - b.mean(c)[j]) / scale)
                        .as("mean %d[%d]: %s vs %s", c, j, a.mean(c)[j], b.mean(c)[j]).isLessThanOrEqualTo(rel);
            }
            for (int i = 0; i < ca.length; i++) {
                for (int j = 0; j < ca.length; j++) {
                    double scale = Math.sqrt(ca[i][i] * ca[j][j]);
                    assertThat(Math.abs(ca[i][j] - cb[i][j]) / scale)
                            .as("component %d, covariance (%d, %d): %s vs %s", c, i, j, ca[i][j], cb[i][j])
                            .isLessThanOrEqualTo(rel);
                }
            }
        }
    }

    @Test
    void theDefaultFitWithMissingCellsIsTheSingleMachineFit() {
        double[][] rows = withHoles();
        Dataset local = Dataset.of(rows, NAMES);
        assertThat(local.countMissing().emptyRows()).isGreaterThanOrEqualTo(3);
        // The whole path: the initialisation (k-means++ on the mean-filled rows, two restarts), the iterations
        // to convergence, and the choice of the best run.
        GaussianMixture config = GaussianMixture.withComponents(3).seed(5).initializations(2);
        EmResult<GaussianMixtureModel> single = config.fit(local);
        EmResult<GaussianMixtureModel> onSpark = SparkGaussianMixture.fit(config, frame(rows, 3), NAMES);
        assertThat(single.converged()).isTrue();
        assertSameFit(single, onSpark, 1e-9);
        // The missing cells count: the fit on the complete rows only is another one.
        EmResult<GaussianMixtureModel> completeOnly = config.fit(Dataset.of(java.util.Arrays.stream(rows)
                .filter(x -> java.util.Arrays.stream(x).noneMatch(Double::isNaN)).toArray(double[][]::new), NAMES));
        assertThat(Math.abs(completeOnly.params().mean(0)[0] - onSpark.params().mean(0)[0])).isGreaterThan(1e-6);
    }

    @Test
    void fromTheSameStartEveryIterationIsTheSingleMachinesForSeveralStructures() {
        double[][] rows = withHoles();
        Dataset local = Dataset.of(rows, NAMES);
        for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.DIAG, CovarianceType.TIED,
                CovarianceType.SPHERICAL, CovarianceType.VEV)) {
            GaussianMixtureModel start = GaussianMixture.withComponents(3).covarianceType(type).maxIterations(0)
                    .fit(local).params();
            // Plain EM, so that every iteration is one E-step of each engine: SQUAREM's safeguard compares two
            // log-likelihoods, and where they tie to rounding the two engines may take different branches (measured
            // once: 1e-9 apart after 12 accelerated iterations, 2e-15 after 30).
            GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(type).initialModel(start)
                    .options(io.emkit.em.EmOptions.defaults().withAcceleration(io.emkit.em.Acceleration.NONE)
                            .withTolerance(0).withMaxIterations(12));
            EmResult<GaussianMixtureModel> single = config.fit(local);
            // Five partitions, one of them empty: the empty one adds zero statistics.
            EmResult<GaussianMixtureModel> onSpark = SparkGaussianMixture.fit(config,
                    frame(rows, 4).union(frame(new double[0][], 1)), NAMES);
            assertSameFit(single, onSpark, 1e-9);
        }
    }

    @Test
    void countsAndTheTransformationTakeMissingCellsAsTheLocalModelDoes() {
        double[][] rows = withHoles();
        Dataset local = Dataset.of(rows, NAMES);
        GaussianMixtureModel model = GaussianMixture.withComponents(3).seed(2).fit(local).params();
        SparkModels.Counts counts = SparkModels.count(model, frame(rows, 3), NAMES);
        long[] expected = new long[3];
        for (int label : model.predict(local)) {
            expected[label]++;
        }
        assertThat(counts.clusterSizes()).containsExactly(expected);
        assertThat(counts.missingCells()).isEqualTo(local.countMissing().cells());
        assertThat(counts.emptyRows()).isEqualTo(local.countMissing().emptyRows()).isGreaterThanOrEqualTo(3);

        List<Row> out = SparkModels.transform(model, frame(rows, 3), NAMES).collectAsList();
        int[] labels = model.predict(local);
        double[][] p = model.predictProba(local);
        double[] logDensity = model.scoreSamples(local);
        assertThat(out).hasSize(rows.length);
        for (int i = 0; i < rows.length; i++) {
            Row r = out.get(i);
            assertThat(r.getInt(3)).as("row %d", i).isEqualTo(labels[i]);
            List<Double> pi = r.getList(4);
            for (int c = 0; c < 3; c++) {
                assertThat(pi.get(c)).isCloseTo(p[i][c], org.assertj.core.api.Assertions.within(1e-12));
            }
            assertThat(r.getDouble(5)).isCloseTo(logDensity[i], org.assertj.core.api.Assertions.within(1e-12));
        }
        // A row that observes nothing has log density 0 (it is skipped), as on one machine.
        assertThat(out.get(7).getDouble(5)).isEqualTo(0.0);
    }

    @Test
    void aCsvFileWithEmptyNaAndNanCellsIsFittedAsTheLocalEngineReadsIt(@TempDir Path dir) throws IOException {
        double[][] rows = withHoles();
        SplittableRandom r = new SplittableRandom(3);
        List<String> lines = new ArrayList<>(List.of(String.join(",", NAMES)));
        String[] spellings = {"", "NA", "NaN", "nan"};
        for (double[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < row.length; j++) {
                line.append(j == 0 ? "" : ",").append(Double.isNaN(row[j]) ? spellings[r.nextInt(4)] : Double.toString(row[j]));
            }
            lines.add(line.toString());
        }
        Path csv = dir.resolve("holes.csv");
        Files.write(csv, lines);
        Dataset local = DataFiles.read(csv, CsvOptions.defaults()).dataset();
        assertThat(local.countMissing().cells()).isEqualTo(Dataset.of(rows, NAMES).countMissing().cells());
        org.apache.spark.sql.Dataset<Row> df = SparkData.read(spark, csv.toString(), HeaderMode.AUTO);
        assertThat(SparkData.numericColumns(df)).containsExactlyElementsOf(NAMES);
        GaussianMixture config = GaussianMixture.withComponents(3).seed(9);
        assertSameFit(config.fit(local), SparkGaussianMixture.fit(config, df, NAMES), 1e-9);
    }
}
