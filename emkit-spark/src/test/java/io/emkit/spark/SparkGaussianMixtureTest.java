package io.emkit.spark;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** emkit on Spark (local[2]) against the single-machine fit of the same data from the same start. */
class SparkGaussianMixtureTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static double[][] faithful() throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SparkGaussianMixtureTest.class.getResourceAsStream("faithful.csv"), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",");
                rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
            }
        }
        return rows.toArray(new double[0][]);
    }

    private static double[][] synthetic() {
        SplittableRandom r = new SplittableRandom(8);
        double[][] rows = new double[6000][3];
        for (double[] row : rows) {
            int c = r.nextInt(3);
            for (int j = 0; j < 3; j++) {
                row[j] = 3 * c * (j + 1) * (j % 2 == 0 ? 1 : -1) + r.nextGaussian() * (1 + c * 0.5);
            }
        }
        return rows;
    }

    private static org.apache.spark.sql.Dataset<Row> frame(double[][] rows, List<String> names, int partitions) {
        return spark.createDataFrame(rowsOf(rows), schemaOf(names)).repartition(partitions);
    }

    /** The rows in their order, split into {@code partitions} runs of consecutive rows. */
    private static org.apache.spark.sql.Dataset<Row> frameInOrder(double[][] rows, List<String> names,
                                                                  int partitions) {
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rowsOf(rows), partitions), schemaOf(names));
    }

    private static StructType schemaOf(List<String> names) {
        StructType schema = new StructType();
        for (String n : names) {
            schema = schema.add(n, DataTypes.DoubleType, false);
        }
        return schema;
    }

    private static List<Row> rowsOf(double[][] rows) {
        List<Row> list = new ArrayList<>();
        for (double[] row : rows) {
            Object[] v = new Object[row.length];
            for (int j = 0; j < row.length; j++) {
                v[j] = row[j];
            }
            list.add(RowFactory.create(v));
        }
        return list;
    }

    private static void assertClose(GaussianMixtureModel a, GaussianMixtureModel b, double rel) {
        assertArraysClose(a.weights(), b.weights(), rel);
        for (int c = 0; c < a.components(); c++) {
            assertArraysClose(a.mean(c), b.mean(c), rel);
            double[][] ca = a.covariance(c);
            double[][] cb = b.covariance(c);
            // A covariance entry's precision is relative to the matrix's scale there, sqrt(c_ii c_jj): an
            // off-diagonal entry near zero carries the rounding of the variances around it.
            for (int i = 0; i < ca.length; i++) {
                for (int j = 0; j < ca.length; j++) {
                    double scale = Math.sqrt(ca[i][i] * ca[j][j]);
                    assertThat(Math.abs(ca[i][j] - cb[i][j]) / scale)
                            .as("component %d, covariance entry (%d, %d): %s vs %s", c, i, j, ca[i][j], cb[i][j])
                            .isLessThanOrEqualTo(rel);
                }
            }
        }
    }

    private static void assertArraysClose(double[] a, double[] b, double rel) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1e-300, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            assertThat(Math.abs(a[i] - b[i]) / scale).as("entry %d: %s vs %s", i, a[i], b[i]).isLessThanOrEqualTo(rel);
        }
    }

    /**
     * Data of at most 100,000 rows start where the single-machine fit starts (the initialisation sees every row, in
     * order), whether they come back to the driver with the partitions' count (each partition within its share of
     * the sample: three of 1,013 rows) or in a job of their own (40 partitions, so a share of 2,500 rows, the first
     * holding 3,000).
     */
    @Test
    void smallDataStartWhereTheSingleMachineFitStartsHowEverTheirPartitionsAreFilled() {
        SplittableRandom r = new SplittableRandom(21);
        double[][] rows = new double[3_039][2];
        for (double[] row : rows) {
            int c = r.nextInt(3);
            row[0] = 5 * c + r.nextGaussian();
            row[1] = -3 * c + r.nextGaussian() * (1 + c);
        }
        List<String> names = List.of("a", "b");
        GaussianMixture config = GaussianMixture.withComponents(3).initializations(1).tolerance(0).maxIterations(2);
        EmResult<GaussianMixtureModel> single = config.fit(Dataset.of(rows, names));
        int[] even = {0, 1_013, 2_026, 3_039};
        int[] uneven = new int[41];
        uneven[1] = 3_000;
        for (int p = 2; p <= 40; p++) {
            uneven[p] = uneven[p - 1] + 1;
        }
        StructType schema = schemaOf(names);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (int[] cuts : new int[][] {even, uneven}) {
            // One list of rows per partition, in order: parallelize puts the i-th list in the i-th partition.
            List<List<Row>> parts = new ArrayList<>();
            for (int p = 0; p + 1 < cuts.length; p++) {
                List<Row> part = new ArrayList<>();
                for (int i = cuts[p]; i < cuts[p + 1]; i++) {
                    part.add(RowFactory.create(rows[i][0], rows[i][1]));
                }
                parts.add(part);
            }
            org.apache.spark.sql.Dataset<Row> data = spark.createDataFrame(
                    sc.parallelize(parts, parts.size()).flatMap(List::iterator), schema);
            assertThat(data.javaRDD().getNumPartitions()).isEqualTo(cuts.length - 1);
            EmResult<GaussianMixtureModel> onSpark = SparkGaussianMixture.fit(config, data, names);
            assertArraysClose(onSpark.trace(), single.trace(), 1e-9);
            assertClose(onSpark.params(), single.params(), 1e-9);
        }
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void sameStartGivesTheSingleMachineFitAtEveryIteration(CovarianceType type) {
        double[][] rows = synthetic();
        List<String> names = List.of("a", "b", "c");
        Dataset local = Dataset.of(rows, names);
        GaussianMixtureModel start = GaussianMixture.withComponents(2).covarianceType(type).maxIterations(0)
                .fit(local).params();
        for (int iterations : new int[] {1, 20}) {
            GaussianMixture config = GaussianMixture.withComponents(2).covarianceType(type).initialModel(start)
                    .tolerance(0).maxIterations(iterations);
            EmResult<GaussianMixtureModel> single = config.fit(local);
            EmResult<GaussianMixtureModel> onSpark = SparkGaussianMixture.fit(config, frame(rows, names, 3), names);
            assertThat(onSpark.iterations()).isEqualTo(iterations);
            // EVE and VVE re-estimate their shared orientation by an inner iteration that stops at a
            // tolerance; where the two runs' rounding makes it stop one step apart, their parameters part
            // by up to ~1e-9 after 20 iterations (measured 7e-10 and 5e-12). Every other structure agrees
            // to rounding (measured below 2e-15).
            double rel = type == CovarianceType.EVE || type == CovarianceType.VVE ? 1e-7 : 1e-9;
            assertArraysClose(onSpark.trace(), single.trace(), 1e-9);
            assertClose(onSpark.params(), single.params(), rel);
        }
    }

    @Test
    void faithfulReachesMclustsLogLikelihoodSearchedOnTheDriverAndEvaluatedOnSpark() throws IOException {
        List<String> names = List.of("eruptions", "waiting");
        EmResult<GaussianMixtureModel> alone = GaussianMixture.withComponents(2).fit(Dataset.of(faithful(), names));
        org.apache.spark.sql.Dataset<Row> rows = frame(faithful(), names, 4);
        int[] jobs = new int[1];
        EmResult<GaussianMixtureModel> fit = LocalSpark.countingJobs(spark,
                () -> SparkGaussianMixture.fit(GaussianMixture.withComponents(2), rows, names), jobs);
        assertThat(fit.logLikelihood()).isCloseTo(-1130.264, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(fit.params().featureNames()).containsExactly("eruptions", "waiting");
        // The single-machine fit's starts and optimum (its E-steps' sums grouped as the rows' blocks, not as the
        // driver's parts and the partitions').
        assertThat(fit.search().startsByKind()).isEqualTo(alone.search().startsByKind());
        assertThat(fit.logLikelihood()).isCloseTo(alone.logLikelihood(),
                org.assertj.core.api.Assertions.within(1e-9 * Math.abs(alone.logLikelihood())));
        // Spark counted the rows, bringing them back, and evaluated the answer (and, for rows repartitioned, ran the
        // shuffle when they became an RDD): three jobs, not one for each of the search's hundreds of E-steps.
        assertThat(jobs[0]).isLessThanOrEqualTo(3);
    }

    @Test
    void heldRowsServeSeveralPlainFitsEachConvergedOnTheDriverAndEvaluatedByOneJob() throws IOException {
        List<String> names = List.of("eruptions", "waiting");
        double[][] faithful = faithful();
        Dataset local = Dataset.of(faithful, names);
        // MclustDA's per-class fits are plain runs like these, dozens of them on the same rows.
        List<GaussianMixture> configs = List.of(GaussianMixture.withComponents(2).initializations(2).seed(1),
                GaussianMixture.withComponents(3).covarianceType(CovarianceType.DIAG).initializations(1).seed(2));
        // The rows in order, in three partitions: the same plain starts as the local fit's.
        org.apache.spark.sql.Dataset<Row> rows = frameInOrder(faithful, names, 3);
        int[] jobs = new int[1];
        List<EmResult<GaussianMixtureModel>> fits = LocalSpark.countingJobs(spark, () -> {
            try (SparkGaussianMixture.HeldRows held = SparkGaussianMixture.hold(rows, names, null)) {
                List<EmResult<GaussianMixtureModel>> out = new ArrayList<>();
                for (GaussianMixture config : configs) {
                    out.add(held.fit(config.distributed(), config.options().seed()));
                }
                return out;
            }
        }, jobs);
        for (int i = 0; i < configs.size(); i++) {
            EmResult<GaussianMixtureModel> alone = configs.get(i).fit(local);
            assertThat(fits.get(i).search()).isNull();
            assertThat(fits.get(i).logLikelihood()).isCloseTo(alone.logLikelihood(),
                    org.assertj.core.api.Assertions.within(1e-9 * Math.abs(alone.logLikelihood())));
            assertThat(fits.get(i).initializationObjectives()).hasSameSizeAs(alone.initializationObjectives());
        }
        // The rows counted and brought back once, then one evaluation per fit: not a job per E-step, nor the rows'
        // count again for the second fit.
        assertThat(jobs[0]).isEqualTo(1 + configs.size());
    }

    /**
     * EDDA scores each structure's fit over the labelled rows its fits hold: Old Faithful, every row with a class
     * and a weight after its two values, held on the driver, gives the single-machine sum {@code Σ w log p(x)} bit for
     * bit and runs no job.
     */
    @Test
    void heldLabelledRowsScoreAMixtureOfTheirColumnsAsTheSingleMachineSumWithoutAJob() throws IOException {
        List<String> names = List.of("eruptions", "waiting");
        double[][] faithful = faithful();
        double[] weights = new double[faithful.length];
        List<Row> labelled = new ArrayList<>();
        for (int i = 0; i < faithful.length; i++) {
            weights[i] = 0.5 + (i % 4);
            labelled.add(RowFactory.create(faithful[i][0], faithful[i][1], faithful[i][0] < 3 ? "short" : "long",
                    weights[i]));
        }
        StructType schema = schemaOf(names).add("class", DataTypes.StringType, false)
                .add("w", DataTypes.DoubleType, false);
        org.apache.spark.sql.Dataset<Row> rows = spark.createDataFrame(JavaSparkContext.fromSparkContext(
                spark.sparkContext()).parallelize(labelled, 3), schema);
        Dataset local = Dataset.of(faithful, names).withWeights(weights);
        GaussianMixtureModel model = GaussianMixture.withComponents(2).seed(3).fit(local).params();
        double[] logDensity = model.scoreSamples(local);
        double expected = 0;
        for (int i = 0; i < faithful.length; i++) {
            expected += weights[i] * logDensity[i];
        }
        int[] jobs = new int[1];
        try (SparkGaussianMixture.HeldRows held = SparkGaussianMixture.holdLabelled(rows, names, "class",
                List.of("long", "short"), "w")) {
            SparkModels.LogLikelihood scored = LocalSpark.countingJobs(spark, () -> held.logLikelihood(model), jobs);
            assertThat(scored.total()).isEqualTo(expected);
            assertThat(scored.rows()).isEqualTo(faithful.length);
            assertThat(jobs[0]).isZero();
        }
    }

    /** Rows beyond the driver's share, made on the executors (four partitions, in order), and the same on the driver. */
    private static org.apache.spark.sql.Dataset<Row> beyondTheDriversShare(double[][] values) {
        // Exact arithmetic on each row's index, so that the driver makes the same values: two offset blocks of
        // scattered points.
        org.apache.spark.sql.Column id = org.apache.spark.sql.functions.col("id");
        for (long i = 0; i < values.length; i++) {
            values[(int) i] = new double[] {(i * 7919 % 1000) / 100.0 + (i % 2) * 4.0,
                    (i * 104729 % 997) / 50.0 - (i % 2) * 2.0};
        }
        return spark.range(0, values.length, 1, 4).select(
                id.multiply(7919).mod(1000).divide(100.0).plus(id.mod(2).multiply(4.0)).as("x"),
                id.multiply(104729).mod(997).divide(50.0).minus(id.mod(2).multiply(2.0)).as("y"));
    }

    /**
     * Beyond the rows the driver holds: a model's log-likelihood is one job over the held rows, the single-machine
     * model's sum to the rounding of adding the partitions' sums; and the initialisation's sample is drawn once per
     * seed (EDDA fits every structure, MclustDA every candidate of a class, from the same seed), the same fit from it.
     */
    @Test
    void heldRowsBeyondTheDriversShareAreScoredByOneJobAndSampledOncePerSeed() {
        List<String> names = List.of("x", "y");
        double[][] values = new double[SparkFit.SAMPLE_ROWS + 2_000][];
        org.apache.spark.sql.Dataset<Row> rows = beyondTheDriversShare(values);
        GaussianMixtureModel model = GaussianMixture.withComponents(2).seed(1)
                .fit(Dataset.of(values, names).slice(0, 5_000)).params();
        double expected = model.logLikelihood(Dataset.of(values, names));
        // Two iterations on Spark from the sample's start: a job each, whatever the search would do.
        GaussianMixture short2 = GaussianMixture.withComponents(2).initializations(1).tolerance(0).maxIterations(2);
        int[] jobs = new int[1];
        try (SparkGaussianMixture.HeldRows held = SparkGaussianMixture.hold(rows, names, null)) {
            SparkModels.LogLikelihood scored = LocalSpark.countingJobs(spark, () -> held.logLikelihood(model), jobs);
            assertThat(scored.rows()).isEqualTo(values.length);
            assertThat(scored.total()).isCloseTo(expected, org.assertj.core.api.Assertions.within(
                    1e-12 * Math.abs(expected)));
            assertThat(jobs[0]).isEqualTo(1);

            List<List<String>> jobNames = new ArrayList<>();
            List<EmResult<GaussianMixtureModel>> fits = new ArrayList<>();
            for (long seed : new long[] {3, 3, 4}) {
                List<String> named = new ArrayList<>();
                fits.add(LocalSpark.countingJobs(spark, () -> held.fit(short2.seed(seed).distributed(), seed), jobs,
                        named));
                jobNames.add(named);
            }
            assertThat(jobNames.get(0)).anyMatch(n -> n.startsWith("takeSample"));
            assertThat(jobNames.get(1)).noneMatch(n -> n.startsWith("takeSample"))
                    .hasSize(jobNames.get(0).size() - (int) jobNames.get(0).stream()
                            .filter(n -> n.startsWith("takeSample")).count());
            assertThat(fits.get(1).params()).isEqualTo(fits.get(0).params());
            assertThat(jobNames.get(2)).anyMatch(n -> n.startsWith("takeSample"));
            assertThat(fits.get(2).params()).isNotEqualTo(fits.get(0).params());
        }
    }

    @Test
    void predictAsATransformationMatchesTheLocalModel() throws IOException {
        double[][] rows = faithful();
        List<String> names = List.of("eruptions", "waiting");
        Dataset local = Dataset.of(rows, names);
        GaussianMixtureModel model = GaussianMixture.withComponents(2).fit(local).params();
        List<Row> out = SparkGaussianMixture.predict(model, frame(rows, names, 5).coalesce(1), names).collectAsList();
        assertThat(out).hasSize(rows.length);
        for (Row r : out) {
            Dataset one = Dataset.of(new double[][] {{r.getDouble(0), r.getDouble(1)}}, names);
            assertThat(r.getInt(2)).isEqualTo(model.predict(one)[0]);
            List<Double> p = r.getList(3);
            assertThat(p).containsExactly(model.predictProba(one)[0][0], model.predictProba(one)[0][1]);
        }
    }

    @Test
    void aSmallModelFileTravelsInTheTasksAndALargeOneAsABroadcastBothWhole() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String small = "s".repeat(SparkFit.ModelText.INLINE_CHARS);
        String large = "l".repeat(SparkFit.ModelText.INLINE_CHARS + 1);
        SparkFit.ModelText inTasks = SparkFit.ModelText.of(sc, small);
        SparkFit.ModelText broadcast = SparkFit.ModelText.of(sc, large);
        try {
            assertThat(inTasks.isBroadcast()).isFalse();
            assertThat(broadcast.isBroadcast()).isTrue();
            List<Integer> lengths = sc.parallelize(List.of(1, 2, 3), 3)
                    .map(i -> inTasks.value().length() * 10 + broadcast.value().length()).collect();
            assertThat(lengths).containsOnly(small.length() * 10 + large.length());
        } finally {
            inTasks.destroy();
            broadcast.destroy();
        }
    }

    /** A model file over the tasks' limit (16 components of 16 features: about 100 K characters), broadcast. */
    @Test
    void aModelBroadcastForItsSizeGivesTheSingleMachineFit() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] rows = new double[2000][16];
        for (double[] row : rows) {
            int c = r.nextInt(16);
            for (int j = 0; j < 16; j++) {
                row[j] = (j == c ? 6 : 0) + (j == (c * 7) % 16 ? 4 : 0) + r.nextGaussian();
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 16; j++) {
            names.add("x" + j);
        }
        Dataset local = Dataset.of(rows, names);
        GaussianMixtureModel start = GaussianMixture.withComponents(16).maxIterations(0).fit(local).params();
        assertThat(io.emkit.io.ModelFiles.toJson(start).length()).isGreaterThan(SparkFit.ModelText.INLINE_CHARS);
        GaussianMixture config = GaussianMixture.withComponents(16).initialModel(start).tolerance(0).maxIterations(3);
        EmResult<GaussianMixtureModel> single = config.fit(local);
        EmResult<GaussianMixtureModel> onSpark = SparkGaussianMixture.fit(config, frame(rows, names, 3), names);
        assertArraysClose(onSpark.trace(), single.trace(), 1e-9);
        assertClose(onSpark.params(), single.params(), 1e-9);
    }

    @Test
    void partitionCountsAndEmptyPartitionsDoNotChangeTheAnswer() throws IOException {
        // 100 of Old Faithful's rows: over 120 partitions at least 20 are empty (fewer rows, fewer Spark tasks).
        double[][] rows = java.util.Arrays.copyOf(faithful(), 100);
        List<String> names = List.of("eruptions", "waiting");
        GaussianMixtureModel start = GaussianMixture.withComponents(2).maxIterations(0)
                .fit(Dataset.of(rows, names)).params();
        GaussianMixture config = GaussianMixture.withComponents(2).initialModel(start).tolerance(0).maxIterations(5);
        EmResult<GaussianMixtureModel> one = SparkGaussianMixture.fit(config, frame(rows, names, 1), names);
        for (int partitions : new int[] {3, 17, 120}) {
            EmResult<GaussianMixtureModel> other = SparkGaussianMixture.fit(config, frame(rows, names, partitions), names);
            assertArraysClose(other.trace(), one.trace(), 1e-12);
            assertClose(other.params(), one.params(), 1e-12);
        }
    }
}
