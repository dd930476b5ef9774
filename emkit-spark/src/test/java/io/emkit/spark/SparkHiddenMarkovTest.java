package io.emkit.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import io.emkit.io.ModelFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Hidden Markov models on Spark, sequences as the units, against the single-machine Baum–Welch fit of the same
 * sequences.
 */
class SparkHiddenMarkovTest {
    private static SparkSession spark;
    private static final List<String> NAMES = List.of("u", "v");

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** 30 sequences of 40 to 119 steps from a two-state Gaussian HMM in 2-D. */
    private static List<double[][]> sequences() {
        SplittableRandom r = new SplittableRandom(17);
        double[][] a = {{0.9, 0.1}, {0.25, 0.75}};
        List<double[][]> out = new ArrayList<>();
        for (int q = 0; q < 30; q++) {
            double[][] s = new double[40 + r.nextInt(80)][];
            int state = r.nextDouble() < 0.6 ? 0 : 1;
            for (int t = 0; t < s.length; t++) {
                double z1 = r.nextGaussian();
                double z2 = r.nextGaussian();
                s[t] = state == 0 ? new double[] {z1, 0.5 * z1 + z2} : new double[] {3 + 0.6 * z1, -1 + 0.4 * z2};
                state = r.nextDouble() < a[state][0] ? 0 : 1;
            }
            out.add(s);
        }
        return out;
    }

    /**
     * The steps as rows (id, u, v), the sequences interleaved step by step (so a sequence's rows lie in every input
     * partition), in {@code partitions} partitions of consecutive rows.
     */
    private static org.apache.spark.sql.Dataset<Row> frame(List<double[][]> seqs, DataType idType, int partitions) {
        List<Row> rows = new ArrayList<>();
        int longest = seqs.stream().mapToInt(s -> s.length).max().orElse(0);
        for (int t = 0; t < longest; t++) {
            for (int q = 0; q < seqs.size(); q++) {
                if (t < seqs.get(q).length) {
                    Object id = idType == DataTypes.StringType ? "seq-" + q : (Object) (long) (q * 7);
                    rows.add(RowFactory.create(id, seqs.get(q)[t][0], seqs.get(q)[t][1]));
                }
            }
        }
        StructType schema = new StructType().add("id", idType, false).add("u", DataTypes.DoubleType, true)
                .add("v", DataTypes.DoubleType, true);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows,
                partitions), schema);
    }

    /** Same keys, numbers within {@code rel} of each other (relative, or absolute below 1). */
    private static void assertSameModel(JsonNode a, JsonNode b, double rel, String at) {
        assertThat(b.getNodeType()).as(at).isEqualTo(a.getNodeType());
        if (a.isObject() || a.isArray()) {
            assertThat(b.size()).as(at).isEqualTo(a.size());
            Iterator<String> names = a.fieldNames();
            if (a.isObject()) {
                while (names.hasNext()) {
                    String n = names.next();
                    assertSameModel(a.get(n), b.get(n), rel, at + "." + n);
                }
            } else {
                for (int i = 0; i < a.size(); i++) {
                    assertSameModel(a.get(i), b.get(i), rel, at + "[" + i + "]");
                }
            }
        } else if (a.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            assertThat(Math.abs(x - y)).as(at + ": " + x + " vs " + y).isLessThanOrEqualTo(rel * Math.max(1, Math.abs(x)));
        } else {
            assertThat(b).as(at).isEqualTo(a);
        }
    }

    private static void assertSameFit(EmResult<HiddenMarkovModel> local, EmResult<HiddenMarkovModel> onSpark) {
        assertThat(onSpark.iterations()).isEqualTo(local.iterations());
        assertThat(onSpark.trace()).hasSameSizeAs(local.trace());
        for (int i = 0; i < local.trace().length; i++) {
            assertThat(Math.abs(onSpark.trace()[i] - local.trace()[i]) / Math.abs(local.trace()[i]))
                    .as("log-likelihood at iteration %d", i).isLessThanOrEqualTo(1e-9);
        }
        assertSameModel(ModelFiles.toTree(local.params()), ModelFiles.toTree(onSpark.params()), 1e-9, "$");
    }

    @Test
    void theDefaultFitIsTheSingleMachineFitOfTheSameSequences() {
        List<double[][]> seqs = sequences();
        HiddenMarkov config = HiddenMarkov.gaussian(2, CovarianceType.FULL).seed(3).initializations(2);
        EmResult<HiddenMarkovModel> local = config.fit(Sequences.of(seqs, NAMES));
        assertThat(local.converged()).isTrue();
        // Sequences whose rows are spread over every input partition, ids as text; then as numbers, 4 partitions.
        assertSameFit(local, SparkHiddenMarkov.fit(config, frame(seqs, DataTypes.StringType, 3), "id", NAMES));
        assertSameFit(local, SparkHiddenMarkov.fit(config, frame(seqs, DataTypes.LongType, 4), "id", NAMES));
        // Treated as one long sequence, the same steps give another fit: the sequences are the units.
        EmResult<HiddenMarkovModel> oneLong = SparkHiddenMarkov.fit(config, frame(seqs, DataTypes.StringType, 3), null,
                NAMES);
        assertThat(Math.abs(oneLong.logLikelihood() - local.logLikelihood())).isGreaterThan(1e-3);
    }

    /**
     * Sequences of at most 100,000 steps in all start where the single-machine fit starts also when one partition
     * holds more than its share of the driver's sample (a sequence of 60,000 steps: at least two partitions, so a
     * share of at most 50,000) and they come back in a job of their own rather than with the partitions' count.
     */
    @Test
    void aPartitionBeyondItsShareOfTheSampleStillGivesTheSingleMachineStart() {
        List<double[][]> seqs = new ArrayList<>(sequences());
        SplittableRandom r = new SplittableRandom(3);
        double[][] longOne = new double[60_000][];
        for (int t = 0; t < longOne.length; t++) {
            longOne[t] = (t / 50) % 2 == 0 ? new double[] {r.nextGaussian(), r.nextGaussian()}
                    : new double[] {3 + 0.6 * r.nextGaussian(), -1 + 0.4 * r.nextGaussian()};
        }
        seqs.add(longOne);
        HiddenMarkov config = HiddenMarkov.gaussian(2, CovarianceType.FULL).seed(3).initializations(1).tolerance(0)
                .maxIterations(2);
        EmResult<HiddenMarkovModel> local = config.fit(Sequences.of(seqs, NAMES));
        org.apache.spark.sql.Dataset<Row> rows = frame(seqs, DataTypes.StringType, 3);
        assertSameFit(local, SparkHiddenMarkov.fit(config, rows, "id", NAMES));
    }

    /**
     * A partition of more rows than the grouping holds before it hands its pieces of sequences on (16,384): two
     * sequences of 20,000 steps, interleaved row by row, in two partitions of 20,000 rows, so each sequence comes in
     * four pieces, two from each partition. From the same start, the fit is the single machine's: the steps are in
     * their rows' order.
     */
    @Test
    void sequencesCutIntoSeveralPiecesPerPartitionAreGroupedInRowOrder() {
        SplittableRandom r = new SplittableRandom(5);
        List<double[][]> seqs = new ArrayList<>();
        for (int q = 0; q < 2; q++) {
            double[][] s = new double[20_000][];
            int state = 0;
            for (int t = 0; t < s.length; t++) {
                state = r.nextDouble() < 0.95 ? state : 1 - state;
                s[t] = state == 0 ? new double[] {r.nextGaussian(), r.nextGaussian()}
                        : new double[] {3 + 0.6 * r.nextGaussian(), -1 + 0.4 * r.nextGaussian()};
            }
            seqs.add(s);
        }
        List<double[][]> opening = List.<double[][]>of(java.util.Arrays.copyOf(seqs.get(0), 2_000));
        HiddenMarkovModel start = HiddenMarkov.gaussian(2, CovarianceType.FULL).seed(1).initializations(1)
                .maxIterations(2).fit(Sequences.of(opening, NAMES)).params();
        HiddenMarkov config = HiddenMarkov.gaussian(2, CovarianceType.FULL).initialModel(start).tolerance(0)
                .maxIterations(2);
        EmResult<HiddenMarkovModel> local = config.fit(Sequences.of(seqs, NAMES));
        assertSameFit(local, SparkHiddenMarkov.fit(config, frame(seqs, DataTypes.LongType, 2), "id", NAMES));
    }

    @Test
    void theDefaultSearchRunsOnTheDriverAndReachesTheSingleMachineOptimum() {
        List<double[][]> seqs = sequences();
        HiddenMarkov config = HiddenMarkov.gaussian(2, CovarianceType.FULL).seed(3);
        EmResult<HiddenMarkovModel> local = config.fit(Sequences.of(seqs, NAMES));
        int[] jobs = new int[1];
        org.apache.spark.sql.Dataset<Row> rows = frame(seqs, DataTypes.StringType, 3);
        EmResult<HiddenMarkovModel> fit = LocalSpark.countingJobs(spark,
                () -> SparkHiddenMarkov.fit(config, rows, "id", NAMES), jobs);
        assertThat(fit.search().startsByKind()).isEqualTo(local.search().startsByKind());
        assertThat(fit.logLikelihood()).isCloseTo(local.logLikelihood(), within(1e-9 * Math.abs(local.logLikelihood())));
        // The rows read into pieces and counted, the sequences grouped, sorted (a job to sample the keys' ranges,
        // one to count the sequences and bring them back) and the answer evaluated: five jobs, not one for each of
        // the search's E-steps.
        assertThat(jobs[0]).isLessThanOrEqualTo(5);
    }

    @Test
    void theSameRowsGiveTheSameBitsRunAfterRun() {
        List<double[][]> seqs = sequences();
        HiddenMarkov config = HiddenMarkov.gaussian(2, CovarianceType.DIAG).seed(1).tolerance(0).maxIterations(5);
        EmResult<HiddenMarkovModel> a = SparkHiddenMarkov.fit(config, frame(seqs, DataTypes.StringType, 5), "id", NAMES);
        EmResult<HiddenMarkovModel> b = SparkHiddenMarkov.fit(config, frame(seqs, DataTypes.StringType, 5), "id", NAMES);
        assertThat(b.trace()).isEqualTo(a.trace());
        assertThat(ModelFiles.toJson(b.params())).isEqualTo(ModelFiles.toJson(a.params()));
    }

    @Test
    void badInputIsAnEmkitExceptionNamingTheColumn() {
        List<double[][]> seqs = sequences();
        org.apache.spark.sql.Dataset<Row> df = frame(seqs, DataTypes.StringType, 2);
        HiddenMarkov config = HiddenMarkov.gaussian(2, CovarianceType.FULL);
        assertThatThrownBy(() -> SparkHiddenMarkov.fit(config, df, "session", NAMES))
                .isInstanceOf(EmkitException.class).hasMessageContaining("no column 'session'");
        org.apache.spark.sql.Dataset<Row> holes = df.withColumn("v", org.apache.spark.sql.functions.when(
                org.apache.spark.sql.functions.col("u").gt(2.5), null).otherwise(org.apache.spark.sql.functions.col("v")));
        assertThatThrownBy(() -> SparkHiddenMarkov.fit(config, holes, "id", NAMES))
                .isInstanceOf(EmkitException.class).hasMessageContaining("column 'v'").hasMessageNotContaining("\n");
    }
}
