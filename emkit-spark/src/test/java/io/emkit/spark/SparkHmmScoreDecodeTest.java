package io.emkit.spark;

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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A fitted hidden Markov model applied on Spark ({@link SparkHiddenMarkov#logLikelihood}, {@link
 * SparkHiddenMarkov#decode}) and sequences ordered by a time column, against the single-machine model on the same
 * sequences.
 */
class SparkHmmScoreDecodeTest {
    private static SparkSession spark;
    private static final List<String> NAMES = List.of("u", "v");
    /** 300 sequences of 5 to 44 steps from a two-state Gaussian HMM in 2-D. */
    private static List<double[][]> seqs;
    /** A model fitted on one machine to the sequences (a few iterations: any model serves). */
    private static HiddenMarkovModel model;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
        SplittableRandom r = new SplittableRandom(23);
        seqs = new ArrayList<>();
        for (int q = 0; q < 300; q++) {
            double[][] s = new double[5 + r.nextInt(40)][];
            int state = r.nextInt(2);
            for (int t = 0; t < s.length; t++) {
                double z = r.nextGaussian();
                s[t] = state == 0 ? new double[] {z, 0.5 * z + r.nextGaussian()}
                        : new double[] {1.5 + 0.6 * z, -0.5 + 0.8 * r.nextGaussian()};
                state = r.nextDouble() < (state == 0 ? 0.8 : 0.7) ? state : 1 - state;
            }
            seqs.add(s);
        }
        model = HiddenMarkov.gaussian(2, CovarianceType.FULL).seed(2).maxIterations(10)
                .fit(Sequences.of(seqs, NAMES)).params();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** One row per step: (id, t, u, v); row {@code i} is step {@code at[i][1]} of sequence {@code at[i][0]}. */
    private static org.apache.spark.sql.Dataset<Row> frame(List<int[]> at, double[][] times, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int[] a : at) {
            double[] x = seqs.get(a[0])[a[1]];
            rows.add(RowFactory.create("s" + a[0], times[a[0]][a[1]], x[0], x[1]));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType, false).add("t", DataTypes.DoubleType, true)
                .add("u", DataTypes.DoubleType, true).add("v", DataTypes.DoubleType, true);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows,
                partitions), schema);
    }

    /** The steps interleaved: step 0 of every sequence, then step 1, ... (each sequence spread over partitions). */
    private static List<int[]> interleaved() {
        List<int[]> at = new ArrayList<>();
        for (int t = 0; t < 44; t++) {
            for (int q = 0; q < seqs.size(); q++) {
                if (t < seqs.get(q).length) {
                    at.add(new int[] {q, t});
                }
            }
        }
        return at;
    }

    /** Times 0.5, 1.5, ... with random gaps: increasing along each sequence. */
    private static double[][] times() {
        SplittableRandom r = new SplittableRandom(4);
        double[][] t = new double[seqs.size()][];
        for (int q = 0; q < seqs.size(); q++) {
            t[q] = new double[seqs.get(q).length];
            double now = r.nextDouble() * 100;
            for (int i = 0; i < t[q].length; i++) {
                now += 0.25 + r.nextDouble();
                t[q][i] = now;
            }
        }
        return t;
    }

    @Test
    void theTotalLogLikelihoodIsTheSingleMachineSum() {
        double local = 0;
        for (double v : model.sequenceLogLikelihoods(Sequences.of(seqs, NAMES))) {
            local += v;
        }
        for (int partitions : new int[] {1, 3}) {
            SparkHiddenMarkov.LogLikelihood ll = SparkHiddenMarkov.logLikelihood(model,
                    frame(interleaved(), times(), partitions), "id", null, NAMES);
            assertThat(ll.sequences()).isEqualTo(300);
            assertThat(ll.steps()).isEqualTo(seqs.stream().mapToInt(s -> s.length).sum());
            assertThat(Math.abs(ll.logLikelihood() - local) / Math.abs(local)).isLessThanOrEqualTo(1e-9);
        }
        // One long sequence of the same rows is another number: the sequences are the units.
        SparkHiddenMarkov.LogLikelihood one = SparkHiddenMarkov.logLikelihood(model, frame(interleaved(), times(), 2),
                null, null, NAMES);
        assertThat(one.sequences()).isEqualTo(1);
        assertThat(Math.abs(one.logLikelihood() - local)).isGreaterThan(1e-3);
    }

    @Test
    void everyRowGetsTheSingleMachineViterbiAndMapState() {
        List<int[]> at = interleaved();
        Sequences local = Sequences.of(seqs, NAMES);
        for (boolean map : new boolean[] {false, true}) {
            int[][] paths = map ? model.mapStates(local) : model.viterbi(local);
            List<Row> rows = SparkHiddenMarkov.decode(model, frame(at, times(), 3), "id", null, NAMES, map)
                    .collectAsList();
            assertThat(rows).hasSize(at.size());
            int changes = 0;
            for (int i = 0; i < at.size(); i++) {
                int[] a = at.get(i);
                assertThat(rows.get(i).getString(0)).isEqualTo("s" + a[0]);
                assertThat(rows.get(i).getInt(1)).as("row %d (%s)", i, map ? "map" : "viterbi")
                        .isEqualTo(paths[a[0]][a[1]]);
                changes += a[1] > 0 && paths[a[0]][a[1]] != paths[a[0]][a[1] - 1] ? 1 : 0;
            }
            // Both states occur and switch within sequences: the comparison is not of constants.
            assertThat(changes).isGreaterThan(100);
        }
    }

    @Test
    void shuffledRowsWithATimeColumnGiveTheFitAndDecodingOfTheSortedSequences() {
        double[][] times = times();
        List<int[]> at = interleaved();
        Collections.shuffle(at, new Random(8));
        org.apache.spark.sql.Dataset<Row> shuffled = frame(at, times, 3);
        // The single-machine sequences: each in time order, the sequences in the order of their first row.
        Map<Integer, Integer> order = new LinkedHashMap<>();
        for (int[] a : at) {
            order.putIfAbsent(a[0], order.size());
        }
        List<double[][]> sorted = new ArrayList<>();
        order.keySet().forEach(q -> sorted.add(seqs.get(q)));
        HiddenMarkov config = HiddenMarkov.gaussian(2, CovarianceType.DIAG).seed(5).initializations(1)
                .maxIterations(6);
        EmResult<HiddenMarkovModel> local = config.fit(Sequences.of(sorted, NAMES));
        EmResult<HiddenMarkovModel> onSpark = SparkHiddenMarkov.fit(config, shuffled, "id", "t", NAMES);
        assertThat(onSpark.iterations()).isEqualTo(local.iterations());
        assertThat(Math.abs(onSpark.logLikelihood() - local.logLikelihood()) / Math.abs(local.logLikelihood()))
                .isLessThanOrEqualTo(1e-9);
        List<Double> want = numbers(ModelFiles.toTree(local.params()), new ArrayList<>());
        List<Double> got = numbers(ModelFiles.toTree(onSpark.params()), new ArrayList<>());
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            assertThat(Math.abs(got.get(i) - want.get(i))).as("number %d of the model", i)
                    .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(want.get(i))));
        }
        // Without the time column the shuffled rows are other sequences: another log-likelihood.
        double ordered = SparkHiddenMarkov.logLikelihood(model, shuffled, "id", "t", NAMES).logLikelihood();
        double unordered = SparkHiddenMarkov.logLikelihood(model, shuffled, "id", null, NAMES).logLikelihood();
        assertThat(Math.abs(unordered - ordered)).isGreaterThan(1);

        int[][] paths = model.viterbi(Sequences.of(seqs, NAMES));
        List<Row> rows = SparkHiddenMarkov.decode(model, shuffled, "id", "t", NAMES, false).collectAsList();
        assertThat(rows).hasSize(at.size());
        for (int i = 0; i < at.size(); i++) {
            int[] s = at.get(i);
            assertThat(rows.get(i).getString(0)).isEqualTo("s" + s[0]);
            assertThat(rows.get(i).getDouble(1)).isEqualTo(times[s[0]][s[1]]);
            assertThat(rows.get(i).getInt(2)).as("row %d", i).isEqualTo(paths[s[0]][s[1]]);
        }
    }

    /** Every number of a model file, in document order. */
    private static List<Double> numbers(com.fasterxml.jackson.databind.JsonNode n, List<Double> out) {
        if (n.isNumber()) {
            out.add(n.asDouble());
        }
        n.elements().forEachRemaining(e -> numbers(e, out));
        return out;
    }

    @Test
    void badTimesAreOneLineErrorsNamingTheColumn() {
        double[][] times = times();
        times[7][3] = times[7][2];
        org.apache.spark.sql.Dataset<Row> twice = frame(interleaved(), times, 2);
        assertThatThrownBy(() -> SparkHiddenMarkov.logLikelihood(model, twice, "id", "t", NAMES))
                .isInstanceOf(EmkitException.class).hasMessageContaining("column 't'")
                .hasMessageContaining("appears twice in sequence 's7'").hasMessageNotContaining("\n");
        // Without a sequence column the rows are one sequence, which the local engine calls '1'.
        assertThatThrownBy(() -> SparkHiddenMarkov.logLikelihood(model, twice, null, "t", NAMES))
                .isInstanceOf(EmkitException.class).hasMessageContaining("twice in sequence '1'");
        org.apache.spark.sql.Dataset<Row> text = frame(interleaved(), times(), 2)
                .withColumn("t", org.apache.spark.sql.functions.col("t").cast("string"));
        assertThatThrownBy(() -> SparkHiddenMarkov.decode(model, text, "id", "t", NAMES, false))
                .isInstanceOf(EmkitException.class).hasMessageContaining("'t' is not a numeric column");
        assertThatThrownBy(() -> SparkHiddenMarkov.logLikelihood(model, frame(interleaved(), times(), 2), "id", null,
                List.of("u"))).isInstanceOf(EmkitException.class).hasMessageContaining("2 features");
    }
}
