package io.emkit.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.emkit.spark.cli.SparkCliRuns.emkit;
import static io.emkit.spark.cli.SparkCliRuns.onSpark;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emkit hmm fit --engine spark} of the sequence models beside the plain HMM — a hidden semi-Markov model
 * ({@code --duration}), an input–output HMM ({@code --transition-covariates}) and a labelled HMM
 * ({@code --labels-column}) — against the same command on the local engine: the same JSON (numbers within 1e-9),
 * the same summary and, for the labelled HMM, the same state classes in the model file; and {@code hmm score} and
 * {@code hmm decode --engine spark} of each kind's model file against the local commands: the same score line, the
 * same log-likelihood within 1e-9, every decoded line (state, or a labelled model's class) the same, and with
 * {@code --posterior} each state's posterior within 1e-9.
 */
class SparkSequenceModelsCliTest {
    @TempDir
    static Path dir;

    /**
     * 30 sequences (trip, u, x, label) of a two-state Gaussian HMM whose chance of leaving a state grows with x; about
     * a third of the steps carry their state's class.
     */
    private static Path data() throws IOException {
        Path file = dir.resolve("trips.csv");
        if (Files.exists(file)) {
            return file;
        }
        SplittableRandom r = new SplittableRandom(41);
        List<String> lines = new ArrayList<>(List.of("trip,u,x,label"));
        for (int q = 0; q < 30; q++) {
            int state = r.nextInt(2);
            for (int t = 0, n = 20 + r.nextInt(30); t < n; t++) {
                double x = r.nextDouble() * 2 - 1;
                if (t > 0 && r.nextDouble() < 1 / (1 + Math.exp(2.0 - 1.5 * x))) {
                    state = 1 - state;
                }
                double u = state == 0 ? r.nextGaussian() : 3 + 0.7 * r.nextGaussian();
                String label = r.nextDouble() < 0.3 ? (state == 0 ? "calm" : "storm") : "";
                lines.add("trip-" + q + "," + u + "," + x + "," + label);
            }
        }
        Files.write(file, lines);
        return file;
    }

    /** The command locally and on Spark: the same summary, and the same JSON within 1e-9; returns the JSON. */
    private static JsonNode sameOnSpark(String... args) throws IOException {
        JsonNode a = SparkCliRuns.sameLocallyAndOnSpark("30 sequences", args).local();
        assertThat(a.get("n_sequences").asInt()).isEqualTo(30);
        return a;
    }

    @Test
    void aSemiMarkovFitOnSparkIsTheLocalOne() throws IOException {
        JsonNode fit = sameOnSpark("hmm", "fit", data().toString(), "-k", "2", "--sequence-column", "trip",
                "--columns", "u", "--duration", "poisson:10", "--covariance", "diag", "--n-init", "1", "--max-iter",
                "15", "--seed", "3");
        assertThat(fit.get("model").get("kind").asText()).contains("semi");
        assertThat(fit.get("durations")).hasSize(2);
    }

    @Test
    void anInputOutputHmmOnSparkIsTheLocalOne() throws IOException {
        JsonNode fit = sameOnSpark("hmm", "fit", data().toString(), "-k", "2", "--sequence-column", "trip",
                "--transition-covariates", "x", "--covariance", "diag", "--n-init", "1", "--max-iter", "15",
                "--seed", "3");
        // The covariate is not an observation column: u alone is observed.
        assertThat(fit.get("n_features").asInt()).isEqualTo(1);
        JsonNode slope = fit.get("transition_coefficients_by_state").get(0).get("to").get(0).get("slopes").get("x");
        assertThat(slope.asDouble()).isNotZero();
    }

    @Test
    void aLabelledHmmOnSparkIsTheLocalOneAndItsModelFileKeepsTheClasses() throws IOException {
        Path localModel = dir.resolve("labelled-local.json");
        Path sparkModel = dir.resolve("labelled-spark.json");
        String[] args = {"hmm", "fit", data().toString(), "-k", "2", "--sequence-column", "trip", "--columns", "u",
                "--labels-column", "label", "--covariance", "diag", "--n-init", "1", "--max-iter", "15", "--seed", "3"};
        JsonNode fit = sameOnSpark(args);
        assertThat(fit.get("state_classes").toString()).isEqualTo("[\"calm\",\"storm\"]");
        assertThat(fit.get("labelled_steps").asInt()).isBetween(150, 400);
        SparkCliRuns.Run local = emkit(Stream.concat(Stream.of(args), Stream.of("--model-out", localModel.toString(),
                "--quiet")).toArray(String[]::new));
        SparkCliRuns.Run spark = onSpark(Stream.concat(Stream.of(args), Stream.of("--model-out",
                sparkModel.toString(), "--quiet")).toArray(String[]::new));
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(spark.status()).as(spark.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(localModel.toFile());
        JsonNode b = mapper.readTree(sparkModel.toFile());
        assertThat(b.get("component_classes")).isEqualTo(a.get("component_classes"));
        assertThat(b.get("component_classes").toString()).isEqualTo("[\"calm\",\"storm\"]");
        SparkEngineCliTest.assertSameShapeAndClose(((com.fasterxml.jackson.databind.node.ObjectNode) a.deepCopy())
                .without("provenance"), ((com.fasterxml.jackson.databind.node.ObjectNode) b.deepCopy())
                .without("provenance"), "$");
    }

    /** Each kind's fit, saved by the local engine: the models score and decode apply. */
    private static Path savedModel(String name, String... options) throws IOException {
        Path file = dir.resolve(name + ".json");
        if (!Files.exists(file)) {
            String[] args = Stream.concat(Stream.of("hmm", "fit", data().toString(), "-k", "2", "--sequence-column",
                    "trip", "--covariance", "diag", "--n-init", "1", "--max-iter", "15", "--seed", "3", "--quiet",
                    "--model-out", file.toString()), Stream.of(options)).toArray(String[]::new);
            SparkCliRuns.Run fit = emkit(args);
            assertThat(fit.status()).as(fit.err()).isZero();
        }
        return file;
    }

    /**
     * {@code hmm score} of the model on Spark and locally: the same line, the same JSON counts, the log-likelihood
     * within 1e-9; and {@code hmm decode} by Viterbi and by MAP: every line Spark writes is the local line.
     *
     * @return the local Viterbi decoding's lines, header first
     */
    private static List<String> scoresAndDecodesAsLocally(Path model, String column) throws IOException {
        String file = data().toString();
        String[] score = {"hmm", "score", "-m", model.toString(), file, "--sequence-column", "trip"};
        SparkCliRuns.Run local = emkit(score);
        SparkCliRuns.Run spark = onSpark(score);
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(spark.status()).as(spark.err()).isZero();
        assertThat(spark.out()).isEqualTo(local.out()).contains("30 sequences");
        String[] json = Stream.concat(Stream.of(score), Stream.of("--json")).toArray(String[]::new);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(emkit(json).out());
        JsonNode b = mapper.readTree(onSpark(json).out());
        assertThat(b.get("n_sequences").asLong()).isEqualTo(a.get("n_sequences").asLong()).isEqualTo(30);
        assertThat(b.get("n_steps").asLong()).isEqualTo(a.get("n_steps").asLong())
                .isEqualTo(Files.readAllLines(data()).size() - 1);
        double ll = a.get("log_likelihood").asDouble();
        assertThat(Double.isFinite(ll)).isTrue();
        assertThat(Math.abs(b.get("log_likelihood").asDouble() - ll)).isLessThanOrEqualTo(1e-9 * Math.abs(ll));
        assertThat(Math.abs(b.get("mean_log_likelihood").asDouble() - a.get("mean_log_likelihood").asDouble()))
                .isLessThanOrEqualTo(1e-9 * Math.abs(a.get("mean_log_likelihood").asDouble()));
        List<String> viterbi = null;
        for (String algorithm : List.of("viterbi", "map")) {
            String[] decode = {"hmm", "decode", "-m", model.toString(), file, "--sequence-column", "trip",
                    "--algorithm", algorithm};
            SparkCliRuns.Run here = emkit(decode);
            assertThat(here.status()).as(here.err()).isZero();
            List<String> want = here.out().lines().toList();
            assertThat(want.get(0)).isEqualTo("sequence," + column);
            Path out = dir.resolve(model.getFileName() + "-" + algorithm);
            SparkCliRuns.Run there = onSpark(Stream.concat(Stream.of(decode), Stream.of("-o", out.toString()))
                    .toArray(String[]::new));
            assertThat(there.status()).as(there.err()).isZero();
            List<String> got = SparkCliRuns.partLines(out, "sequence," + column);
            assertThat(got).as(algorithm).isEqualTo(want.subList(1, want.size()));
            // Both states are decoded somewhere: the comparison is not of two constant columns.
            assertThat(got.stream().map(l -> l.substring(l.indexOf(',') + 1)).distinct().count()).isEqualTo(2);
            if (viterbi == null) {
                viterbi = want;
            }
        }
        // With --posterior: the same states or classes, and each state's posterior within 1e-9.
        String[] decode = {"hmm", "decode", "-m", model.toString(), file, "--sequence-column", "trip", "--posterior"};
        SparkCliRuns.Run here = emkit(decode);
        assertThat(here.status()).as(here.err()).isZero();
        List<String> want = here.out().lines().toList();
        assertThat(want.get(0)).isEqualTo("sequence," + column + ",p0,p1");
        Path out = dir.resolve(model.getFileName() + "-posterior");
        SparkCliRuns.Run there = onSpark(Stream.concat(Stream.of(decode), Stream.of("-o", out.toString()))
                .toArray(String[]::new));
        assertThat(there.status()).as(there.err()).isZero();
        List<String> got = SparkCliRuns.partLines(out, "sequence," + column + ",p0,p1");
        assertThat(got).hasSize(want.size() - 1);
        for (int i = 0; i < got.size(); i++) {
            String[] mine = want.get(i + 1).split(",");
            String[] theirs = got.get(i).split(",");
            assertThat(theirs[0] + "," + theirs[1]).as("line %d", i).isEqualTo(mine[0] + "," + mine[1]);
            assertThat(theirs).hasSize(4);
            double sum = 0;
            for (int j = 2; j < 4; j++) {
                assertThat(Math.abs(Double.parseDouble(theirs[j]) - Double.parseDouble(mine[j]))).as("line %d", i)
                        .isLessThanOrEqualTo(1e-9);
                sum += Double.parseDouble(theirs[j]);
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
        return viterbi;
    }

    @Test
    void aSemiMarkovModelScoresAndDecodesOnSparkAsLocally() throws IOException {
        scoresAndDecodesAsLocally(savedModel("hsmm", "--columns", "u", "--duration", "poisson:10"), "state");
    }

    @Test
    void anInputOutputHmmScoresAndDecodesOnSparkAsLocally() throws IOException {
        Path model = savedModel("iohmm", "--transition-covariates", "x");
        scoresAndDecodesAsLocally(model, "state");
        // Without the covariate column: one line, status 2, on Spark as locally.
        List<String> lines = Files.readAllLines(data()).stream().map(l -> l.substring(0, l.lastIndexOf(',',
                l.lastIndexOf(',') - 1))).toList();
        Path noCovariate = dir.resolve("no-x.csv");
        Files.write(noCovariate, lines);
        SparkCliRuns.Run missing = onSpark("hmm", "score", "-m", model.toString(), noCovariate.toString(),
                "--sequence-column", "trip");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("transition covariate 'x'").doesNotContain("\tat ");
        assertThat(missing.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void aLabelledHmmDecodesClassesOnSparkAsLocally() throws IOException {
        List<String> decoded = scoresAndDecodesAsLocally(savedModel("labelled", "--columns", "u", "--labels-column",
                "label"), "class");
        // The decoded class is the class of nearly every labelled step (the states are well apart).
        List<String> rows = Files.readAllLines(data());
        int labelled = 0;
        int agree = 0;
        for (int i = 1; i < rows.size(); i++) {
            String label = rows.get(i).substring(rows.get(i).lastIndexOf(',') + 1);
            if (!label.isEmpty()) {
                labelled++;
                agree += decoded.get(i).endsWith("," + label) ? 1 : 0;
            }
        }
        assertThat(labelled).isGreaterThan(100);
        assertThat(agree).isGreaterThan(labelled * 9 / 10);
    }

    @Test
    void badInputIsOneLineWithStatus2() throws IOException {
        String file = data().toString();
        SparkCliRuns.Run dmax = onSpark("hmm", "fit", file, "-k", "2", "--sequence-column", "trip", "--columns", "u",
                "--duration", "poisson:500");
        assertThat(dmax.status()).isEqualTo(2);
        assertThat(dmax.err()).contains("the longest duration 500 is longer than every sequence").contains("use at most")
                .doesNotContain("\tat ");
        assertThat(dmax.err().strip().lines().count()).isEqualTo(1);
        SparkCliRuns.Run covariate = onSpark("hmm", "fit", file, "-k", "2", "--sequence-column", "trip",
                "--transition-covariates", "when");
        assertThat(covariate.status()).isEqualTo(2);
        assertThat(covariate.err()).contains("when").doesNotContain("\tat ");
        assertThat(covariate.err().strip().lines().count()).isEqualTo(1);
        SparkCliRuns.Run states = onSpark("hmm", "fit", file, "-k", "3", "--sequence-column", "trip", "--columns", "u",
                "--labels-column", "label");
        assertThat(states.status()).isEqualTo(2);
        assertThat(states.err()).contains("3 states for 2 classes").doesNotContain("\tat ");
        assertThat(states.err().strip().lines().count()).isEqualTo(1);
    }
}
