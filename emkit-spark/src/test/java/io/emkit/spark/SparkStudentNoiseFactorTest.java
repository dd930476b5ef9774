package io.emkit.spark;

import io.emkit.data.Dataset;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmResult;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.mixture.ClusteringModel;
import io.emkit.noise.NoiseMixture;
import io.emkit.noise.NoiseMixtureModel;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Student-t mixtures, Gaussian mixtures with a noise component and mixtures of factor analysers on Spark (their
 * {@code distributed()} plans through {@link SparkGaussianMixture#fit(DistributedFit, long,
 * org.apache.spark.sql.Dataset, List)}) against the single-machine fit of the same rows, on one partition and on
 * three: under {@value SparkFit#SAMPLE_ROWS} rows the driver starts from every row, in order, and every E-step is
 * the single-machine kernel on a partition, so the two fits agree to rounding.
 */
class SparkStudentNoiseFactorTest {
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

    /**
     * Three clusters in {@code d} dimensions, their columns correlated by one common factor, with t-distributed
     * (3 degrees of freedom) deviations if {@code heavy} (else Gaussian ones), and a share {@code missing} of the
     * cells missing at random; row 5 misses every cell when any are.
     */
    private static double[][] clusters(int n, int d, double missing, boolean heavy, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            // A t(3) draw's scale: a Gaussian over the square root of a chi-squared(3) / 3.
            double chi = 0;
            for (int t = 0; t < 3; t++) {
                double g = r.nextGaussian();
                chi += g * g;
            }
            double scale = heavy ? 1 / Math.sqrt(chi / 3) : 1;
            double common = r.nextGaussian();
            for (int j = 0; j < d; j++) {
                rows[i][j] = 5 * c * (j % 2 == 0 ? 1 : -1) + scale * (r.nextGaussian() + (j + 1) * 0.4 * common);
            }
            for (int j = 0; j < d; j++) {
                if (r.nextDouble() < missing) {
                    rows[i][j] = Double.NaN;
                }
            }
        }
        if (missing > 0) {
            java.util.Arrays.fill(rows[5], Double.NaN);
        }
        return rows;
    }

    private static List<String> names(int d) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        return names;
    }

    /** The rows as a data frame, NaN as null, in order over {@code partitions} partitions. */
    private static org.apache.spark.sql.Dataset<Row> frame(double[][] rows, int partitions) {
        StructType schema = new StructType();
        for (String n : names(rows[0].length)) {
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
        return spark.createDataFrame(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(list, partitions), schema);
    }

    private static <P extends ClusteringModel> EmResult<P> onSpark(DistributedFit<P, ?> plan, long seed,
                                                                   double[][] rows, int partitions) {
        return SparkGaussianMixture.fit(plan, seed, frame(rows, partitions), names(rows[0].length));
    }

    private static void assertClose(double[] a, double[] b, double scale, String what) {
        assertThat(b).as(what).hasSameSizeAs(a);
        for (int i = 0; i < a.length; i++) {
            double s = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            assertThat(Math.abs(a[i] - b[i]) / s).as("%s[%d]: %s vs %s", what, i, a[i], b[i])
                    .isLessThanOrEqualTo(REL);
        }
    }

    /** The runs, the log-likelihood's trace and the weights and means (relative to the data's spread, 1 here). */
    private static void assertSameRun(EmResult<?> local, EmResult<?> spark) {
        assertThat(spark.iterations()).as("iterations").isEqualTo(local.iterations());
        assertThat(spark.converged()).isEqualTo(local.converged());
        assertThat(spark.sampleCount()).isEqualTo(local.sampleCount());
        assertClose(local.trace(), spark.trace(), 1e-300, "log-likelihood trace");
        assertClose(new double[] {local.logLikelihood()}, new double[] {spark.logLikelihood()}, 1e-300,
                "log-likelihood");
    }

    private static void assertSameGaussians(GaussianMixtureModel a, GaussianMixtureModel b) {
        assertClose(a.weights(), b.weights(), 1e-300, "weights");
        for (int c = 0; c < a.components(); c++) {
            assertClose(a.mean(c), b.mean(c), 1, "mean " + c);
            for (int j = 0; j < a.dimension(); j++) {
                assertClose(a.covariance(c)[j], b.covariance(c)[j], 1, "covariance " + c + " row " + j);
            }
        }
    }

    @Test
    void aStudentMixtureWithMissingCellsIsTheSingleMachineFitOnOneAndThreePartitions() {
        double[][] rows = clusters(600, 3, 0.08, true, 11);
        Dataset local = Dataset.of(rows, names(3));
        assertThat(local.countMissing().cells()).isGreaterThan(100);
        StudentMixture config = StudentMixture.like(GaussianMixture.withComponents(3).seed(4).initializations(2));
        EmResult<StudentMixtureModel> single = config.fit(local);
        assertThat(single.converged()).isTrue();
        // Heavy tails found: the data's deviations are t(3), and some ν stays far below the Gaussian-like range.
        assertThat(java.util.Arrays.stream(single.params().degreesOfFreedom()).min().orElseThrow()).isLessThan(20);
        for (int partitions : new int[] {1, 3}) {
            EmResult<StudentMixtureModel> spark = onSpark(config.distributed(), 4, rows, partitions);
            assertSameRun(single, spark);
            assertSameGaussians(single.params().scales(), spark.params().scales());
            assertClose(single.params().degreesOfFreedom(), spark.params().degreesOfFreedom(), 1e-300,
                    "degrees of freedom");
        }
    }

    @Test
    void aNoiseComponentIsTheSingleMachineFitOnOneAndThreePartitions() {
        // Two clusters in 2-D and 40 rows uniform over a box around them.
        double[][] clustered = clusters(340, 2, 0, false, 3);
        SplittableRandom r = new SplittableRandom(8);
        double[][] rows = new double[340][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i % 17 == 0 || i >= 320 ? new double[] {-15 + 40 * r.nextDouble(), -25 + 40 * r.nextDouble()}
                    : clustered[i];
        }
        Dataset local = Dataset.of(rows, names(2));
        NoiseMixture config = NoiseMixture.like(GaussianMixture.withComponents(3).seed(6).initializations(1));
        EmResult<NoiseMixtureModel> single = config.fit(local);
        assertThat(single.converged()).isTrue();
        assertThat(single.params().noiseWeight()).isBetween(0.03, 0.3);
        for (int partitions : new int[] {1, 3}) {
            EmResult<NoiseMixtureModel> spark = onSpark(config.distributed(), 6, rows, partitions);
            assertSameRun(single, spark);
            // The region is the one all the rows give (the driver's sample is every row).
            assertThat(spark.params().region()).isEqualTo(single.params().region());
            assertClose(new double[] {single.params().noiseWeight()}, new double[] {spark.params().noiseWeight()},
                    1e-300, "noise weight");
            assertSameGaussians(single.params().gaussian(), spark.params().gaussian());
            assertThat(spark.params().predict(local)).containsExactly(single.params().predict(local));
        }
    }

    @Test
    void aNoiseComponentWithMissingCellsTakesTheColumnsBoundingBoxAsLocally() {
        double[][] rows = clusters(300, 3, 0.05, false, 17);
        Dataset local = Dataset.of(rows, names(3));
        NoiseMixture config = NoiseMixture.like(GaussianMixture.withComponents(3).seed(1).initializations(1));
        EmResult<NoiseMixtureModel> single = config.fit(local);
        assertThat(single.params().region().principal()).isFalse();
        EmResult<NoiseMixtureModel> spark = onSpark(config.distributed(), 1, rows, 3);
        assertSameRun(single, spark);
        assertThat(spark.params().region()).isEqualTo(single.params().region());
        assertSameGaussians(single.params().gaussian(), spark.params().gaussian());
    }

    @Test
    void aMixtureOfFactorAnalysersWithMissingCellsIsTheSingleMachineFitOnOneAndThreePartitions() {
        double[][] rows = clusters(400, 4, 0.06, false, 29);
        Dataset local = Dataset.of(rows, names(4));
        // One run: two runs reach the same optimum with the components in two orders, and which one wins is a
        // tie to rounding (measured: the same log-likelihood to 1e-15, the winner differing between the engines).
        FactorAnalyserMixture config = FactorAnalyserMixture.like(GaussianMixture.withComponents(3).seed(2)
                .initializations(1), 1);
        EmResult<FactorAnalyserMixtureModel> single = config.fit(local);
        assertThat(single.converged()).isTrue();
        assertThat(single.iterations()).isGreaterThan(5);
        for (int partitions : new int[] {1, 3}) {
            EmResult<FactorAnalyserMixtureModel> spark = onSpark(config.distributed(), 2, rows, partitions);
            assertSameRun(single, spark);
            FactorAnalyserMixtureModel a = single.params();
            FactorAnalyserMixtureModel b = spark.params();
            assertClose(a.weights(), b.weights(), 1e-300, "weights");
            for (int c = 0; c < a.components(); c++) {
                assertClose(a.mean(c), b.mean(c), 1, "mean " + c);
                assertClose(a.uniquenesses(c), b.uniquenesses(c), 1e-300, "uniquenesses " + c);
                for (int j = 0; j < a.dimension(); j++) {
                    assertClose(a.loadings(c)[j], b.loadings(c)[j], 1, "loadings " + c + " row " + j);
                }
            }
        }
    }

    @Test
    void aMixtureOfTFactorAnalysersWithMissingCellsIsTheSingleMachineFitOnOneAndThreePartitions() {
        double[][] rows = clusters(400, 4, 0.06, true, 31);
        Dataset local = Dataset.of(rows, names(4));
        io.emkit.factor.StudentFactorAnalyserMixture config = io.emkit.factor.StudentFactorAnalyserMixture.like(
                GaussianMixture.withComponents(3).seed(2).initializations(1), 1);
        EmResult<io.emkit.factor.StudentFactorAnalyserMixtureModel> single = config.fit(local);
        assertThat(single.iterations()).isGreaterThan(5);
        for (int partitions : new int[] {1, 3}) {
            EmResult<io.emkit.factor.StudentFactorAnalyserMixtureModel> spark = onSpark(config.distributed(), 2, rows,
                    partitions);
            assertSameRun(single, spark);
            io.emkit.factor.StudentFactorAnalyserMixtureModel a = single.params();
            io.emkit.factor.StudentFactorAnalyserMixtureModel b = spark.params();
            assertClose(a.weights(), b.weights(), 1e-300, "weights");
            assertClose(a.degreesOfFreedom(), b.degreesOfFreedom(), 1, "degrees of freedom");
            for (int c = 0; c < a.components(); c++) {
                assertClose(a.scales().mean(c), b.scales().mean(c), 1, "mean " + c);
                assertClose(a.scales().uniquenesses(c), b.scales().uniquenesses(c), 1e-300, "uniquenesses " + c);
            }
        }
    }
    /** {@code clusters}' rows with every 17th and the last 20 replaced by rows uniform over a box around them. */
    private static double[][] withUniformNoise(double[][] clustered, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = clustered[0].length;
        double[][] rows = new double[clustered.length][];
        for (int i = 0; i < rows.length; i++) {
            if (i % 17 == 0 || i >= rows.length - 20) {
                rows[i] = new double[d];
                for (int j = 0; j < d; j++) {
                    rows[i][j] = -20 + 40 * r.nextDouble();
                }
            } else {
                rows[i] = clustered[i];
            }
        }
        return rows;
    }

    /** The same labels from both models, noise rows (-1) among them. */
    private static void assertSameLabelsWithNoise(io.emkit.mixture.MixtureModel single, io.emkit.mixture.MixtureModel
            spark, Dataset local) {
        int[] labels = single.predict(local);
        assertThat(java.util.Arrays.stream(labels).filter(l -> l == NoiseMixtureModel.NOISE).count())
                .isGreaterThan(5);
        assertThat(spark.predict(local)).containsExactly(labels);
    }

    @Test
    void aTMixtureWithANoiseComponentIsTheSingleMachineFitOnOneAndThreePartitions() {
        double[][] rows = withUniformNoise(clusters(360, 2, 0, true, 41), 9);
        Dataset local = Dataset.of(rows, names(2));
        io.emkit.noise.NoiseStudentMixture config = io.emkit.noise.NoiseStudentMixture.like(
                GaussianMixture.withComponents(3).seed(5).initializations(2));
        EmResult<io.emkit.noise.NoiseStudentMixtureModel> single = config.fit(local);
        assertThat(single.iterations()).isGreaterThan(5);
        assertThat(single.params().noiseWeight()).isBetween(0.02, 0.3);
        for (int partitions : new int[] {1, 3}) {
            EmResult<io.emkit.noise.NoiseStudentMixtureModel> spark = onSpark(config.distributed(), 5, rows,
                    partitions);
            assertSameRun(single, spark);
            io.emkit.noise.NoiseStudentMixtureModel a = single.params();
            io.emkit.noise.NoiseStudentMixtureModel b = spark.params();
            assertThat(b.region()).isEqualTo(a.region());
            // The components' shares of all rows and the noise's: together, every weight.
            assertClose(a.weights(), b.weights(), 1e-300, "weights");
            assertClose(new double[] {a.noiseWeight()}, new double[] {b.noiseWeight()}, 1e-300, "noise weight");
            assertSameGaussians(a.student().scales(), b.student().scales());
            assertClose(a.student().degreesOfFreedom(), b.student().degreesOfFreedom(), 1e-300,
                    "degrees of freedom");
            assertSameLabelsWithNoise(a, b, local);
        }
    }

    @Test
    void aMixtureOfFactorAnalysersWithANoiseComponentAndMissingCellsIsTheSingleMachineFitOnOneAndThreePartitions() {
        double[][] rows = withUniformNoise(clusters(400, 4, 0.05, false, 43), 10);
        Dataset local = Dataset.of(rows, names(4));
        assertThat(local.countMissing().cells()).isGreaterThan(40);
        io.emkit.noise.NoiseFactorAnalyserMixture config = io.emkit.noise.NoiseFactorAnalyserMixture.like(
                GaussianMixture.withComponents(3).seed(2).initializations(1), 1);
        EmResult<io.emkit.noise.NoiseFactorAnalyserMixtureModel> single = config.fit(local);
        assertThat(single.iterations()).isGreaterThan(5);
        assertThat(single.params().noiseWeight()).isBetween(0.02, 0.3);
        for (int partitions : new int[] {1, 3}) {
            EmResult<io.emkit.noise.NoiseFactorAnalyserMixtureModel> spark = onSpark(config.distributed(), 2, rows,
                    partitions);
            assertSameRun(single, spark);
            io.emkit.noise.NoiseFactorAnalyserMixtureModel a = single.params();
            io.emkit.noise.NoiseFactorAnalyserMixtureModel b = spark.params();
            assertThat(b.region()).isEqualTo(a.region());
            assertClose(a.weights(), b.weights(), 1e-300, "weights");
            assertClose(new double[] {a.noiseWeight()}, new double[] {b.noiseWeight()}, 1e-300, "noise weight");
            FactorAnalyserMixtureModel fa = a.factorAnalysers();
            FactorAnalyserMixtureModel fb = b.factorAnalysers();
            for (int c = 0; c < fa.components(); c++) {
                assertClose(fa.mean(c), fb.mean(c), 1, "mean " + c);
                assertClose(fa.uniquenesses(c), fb.uniquenesses(c), 1e-300, "uniquenesses " + c);
                for (int j = 0; j < fa.dimension(); j++) {
                    assertClose(fa.loadings(c)[j], fb.loadings(c)[j], 1, "loadings " + c + " row " + j);
                }
            }
            assertSameLabelsWithNoise(a, b, local);
        }
    }
}
