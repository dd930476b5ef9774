package io.emkit.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.covariates.CovariateHmm;
import io.emkit.hmm.covariates.CovariateHmmModel;
import io.emkit.hmm.covariates.CovariateSequences;
import io.emkit.hmm.semimarkov.Durations;
import io.emkit.hmm.semimarkov.SemiMarkov;
import io.emkit.hmm.semimarkov.SemiMarkovModel;
import io.emkit.data.Sequences;
import io.emkit.io.ModelFiles;
import io.emkit.labels.ClassLabels;
import io.emkit.labels.SemiSupervisedHmm;
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
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sequence models beside the plain HMM on Spark — hidden semi-Markov models, input–output HMMs and HMMs with
 * known (labelled) steps — each through its distributed plan, against the single-machine fit of the same sequences:
 * the same iterations, the log-likelihood at every iteration and every parameter to 1e-9, on 1 and 3 partitions.
 */
class SparkSequenceModelsTest {
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
     * One step: its sequence, its observation, its covariate and its class (or null): a two-state Gaussian HMM whose
     * chance of leaving a state grows with the covariate; about a third of the steps carry their state's class.
     */
    private record Step(int sequence, double u, double x, String label) {
    }

    private static List<List<Step>> sequences() {
        SplittableRandom r = new SplittableRandom(29);
        List<List<Step>> out = new ArrayList<>();
        for (int q = 0; q < 14; q++) {
            int n = 25 + r.nextInt(40);
            List<Step> s = new ArrayList<>();
            int state = r.nextInt(2);
            for (int t = 0; t < n; t++) {
                double x = r.nextDouble() * 2 - 1;
                double leave = 1 / (1 + Math.exp(2.0 - 1.5 * x));
                if (t > 0 && r.nextDouble() < leave) {
                    state = 1 - state;
                }
                double u = state == 0 ? r.nextGaussian() : 3 + 0.7 * r.nextGaussian();
                String label = r.nextDouble() < 0.3 ? (state == 0 ? "calm" : "storm") : null;
                s.add(new Step(q, u, x, label));
            }
            out.add(s);
        }
        return out;
    }

    /** The steps as rows (id, u, x, label), the sequences interleaved step by step, in {@code partitions}. */
    private static org.apache.spark.sql.Dataset<Row> frame(List<List<Step>> seqs, int partitions) {
        List<Row> rows = new ArrayList<>();
        int longest = seqs.stream().mapToInt(List::size).max().orElse(0);
        for (int t = 0; t < longest; t++) {
            for (List<Step> s : seqs) {
                if (t < s.size()) {
                    Step step = s.get(t);
                    rows.add(RowFactory.create("s" + step.sequence(), step.u(), step.x(), step.label()));
                }
            }
        }
        StructType schema = new StructType().add("id", DataTypes.StringType, false)
                .add("u", DataTypes.DoubleType, false).add("x", DataTypes.DoubleType, false)
                .add("label", DataTypes.StringType, true);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows,
                partitions), schema);
    }

    /** The sequences' columns, in sequence order: each step's values by {@code values}. */
    private static Sequences local(List<List<Step>> seqs, Function<Step, double[]> values, List<String> names) {
        List<double[][]> out = new ArrayList<>();
        for (List<Step> s : seqs) {
            out.add(s.stream().map(values).toArray(double[][]::new));
        }
        return Sequences.of(out, names);
    }

    private static HiddenMarkov config() {
        return HiddenMarkov.gaussian(2, CovarianceType.DIAG).seed(5).initializations(2).maxIterations(40);
    }

    @Test
    void aSemiMarkovModelOnSparkIsTheSingleMachineFit() {
        List<List<Step>> seqs = sequences();
        SemiMarkov config = SemiMarkov.of(config(), Durations.Family.POISSON, 12);
        EmResult<SemiMarkovModel> local = config.fit(local(seqs, s -> new double[] {s.u()}, List.of("u")));
        assertThat(local.iterations()).isGreaterThan(2);
        for (int partitions : new int[] {1, 3}) {
            SparkHiddenMarkov.SequenceFit<SemiMarkovModel> onSpark = SparkHiddenMarkov.fit(config.distributed(),
                    frame(seqs, partitions), "id", null, List.of("u"), null, null);
            assertSameFit(local, onSpark.fit(), m -> ModelFiles.toTree(m));
            assertThat(onSpark.extent().sequences()).isEqualTo(seqs.size());
            assertThat(onSpark.extent().longest()).isEqualTo(seqs.stream().mapToInt(List::size).max().orElseThrow());
        }
    }

    @Test
    void anInputOutputHmmOnSparkIsTheSingleMachineFit() {
        List<List<Step>> seqs = sequences();
        // One start: two starts of these data climb to the same optimum, and which of them ends a hair higher is
        // rounding, so that the single-machine fit itself may keep either.
        CovariateHmm config = CovariateHmm.of(config().initializations(1));
        Sequences observations = local(seqs, s -> new double[] {s.u()}, List.of("u"));
        Sequences covariates = local(seqs, s -> new double[] {s.x()}, List.of("x"));
        EmResult<CovariateHmmModel> local = config.fit(CovariateSequences.of(observations, covariates.rawValues(),
                List.of("x")));
        assertThat(local.iterations()).isGreaterThan(2);
        for (int partitions : new int[] {1, 3}) {
            EmResult<CovariateHmmModel> onSpark = SparkHiddenMarkov.fit(config.distributed(List.of("x")),
                    frame(seqs, partitions), "id", null, List.of("u", "x"), null, null).fit();
            assertSameFit(local, onSpark, m -> ModelFiles.toTree(m));
        }
    }

    @Test
    void aLabelledHmmOnSparkIsTheSingleMachineFitWithItsStateClasses() {
        List<List<Step>> seqs = sequences();
        Sequences observations = local(seqs, s -> new double[] {s.u()}, List.of("u"));
        ClassLabels labels = ClassLabels.of(seqs.stream().flatMap(List::stream).map(Step::label)
                .toArray(String[]::new));
        SemiSupervisedHmm config = SemiSupervisedHmm.of(config());
        SemiSupervisedHmm.Fit local = config.fit(observations, labels, 1);
        assertThat(local.em().iterations()).isGreaterThan(2);
        assertThat(local.stateClasses()).containsExactly("calm", "storm");
        assertThat(SemiSupervisedHmm.stateClasses(labels.names(), 1)).isEqualTo(local.stateClasses());
        for (int partitions : new int[] {1, 3}) {
            EmResult<HiddenMarkovModel> onSpark = SparkHiddenMarkov.fit(config.distributed(labels.names(), 1),
                    frame(seqs, partitions), "id", null, List.of("u"), "label", labels.names()).fit();
            assertSameFit(local.em(), onSpark, m -> ModelFiles.toTree(m));
        }
        // Without the labels the same steps give another fit: the known states count.
        EmResult<HiddenMarkovModel> free = config().fit(observations);
        assertThat(Math.abs(free.logLikelihood() - local.em().logLikelihood())).isGreaterThan(1e-3);
    }

    @Test
    void theSameRowsGiveTheSameBitsRunAfterRun() {
        List<List<Step>> seqs = sequences();
        CovariateHmm config = CovariateHmm.of(config().initializations(1).tolerance(0).maxIterations(4));
        EmResult<CovariateHmmModel> a = SparkHiddenMarkov.fit(config.distributed(List.of("x")), frame(seqs, 3), "id",
                null, List.of("u", "x"), null, null).fit();
        EmResult<CovariateHmmModel> b = SparkHiddenMarkov.fit(config.distributed(List.of("x")), frame(seqs, 3), "id",
                null, List.of("u", "x"), null, null).fit();
        assertThat(b.trace()).isEqualTo(a.trace());
        assertThat(ModelFiles.toTree(b.params())).isEqualTo(ModelFiles.toTree(a.params()));
    }

    private static <P> void assertSameFit(EmResult<P> local, EmResult<P> onSpark, Function<P, JsonNode> tree) {
        assertThat(onSpark.iterations()).isEqualTo(local.iterations());
        assertThat(onSpark.trace()).hasSameSizeAs(local.trace());
        for (int i = 0; i < local.trace().length; i++) {
            assertThat(Math.abs(onSpark.trace()[i] - local.trace()[i]) / Math.abs(local.trace()[i]))
                    .as("log-likelihood at iteration %d", i).isLessThanOrEqualTo(1e-9);
        }
        assertSameModel(tree.apply(local.params()), tree.apply(onSpark.params()), 1e-9, "$");
    }

    /** Same keys, numbers within {@code rel} of each other (relative, or absolute below 1). */
    private static void assertSameModel(JsonNode a, JsonNode b, double rel, String at) {
        assertThat(b.getNodeType()).as(at).isEqualTo(a.getNodeType());
        if (a.isObject() || a.isArray()) {
            assertThat(b.size()).as(at).isEqualTo(a.size());
            if (a.isObject()) {
                Iterator<String> names = a.fieldNames();
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
            assertThat(Math.abs(x - y)).as(at + ": " + x + " vs " + y)
                    .isLessThanOrEqualTo(rel * Math.max(1, Math.abs(x)));
        } else {
            assertThat(b).as(at).isEqualTo(a);
        }
    }
}
