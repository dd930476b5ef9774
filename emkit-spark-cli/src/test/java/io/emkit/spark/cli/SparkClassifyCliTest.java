package io.emkit.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.emkit.spark.cli.SparkCliRuns.emkit;
import static io.emkit.spark.cli.SparkCliRuns.onSpark;
import static io.emkit.spark.cli.SparkCliRuns.startSession;
import static io.emkit.spark.cli.SparkEngineCliTest.assertSameShapeAndClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code classify --engine spark} (EDDA and MclustDA, with {@code --cv} too) against the same command on the local
 * engine.
 */
class SparkClassifyCliTest {
    @TempDir
    static Path dir;
    static Path iris;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        spark = startSession("emkit-classify-test");
        iris = dir.resolve("iris.csv");
        try (InputStream in = SparkEngineCliTest.class.getResourceAsStream("iris.csv")) {
            Files.copy(in, iris);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void eddaOnSparkIsTheLocalClassifierAndItsModelFile() throws IOException {
        String[] args = {"classify", iris.toString(), "--labels-column", "species", "--components", "1",
                "--covariance", "EII,EEE,VEV,VVV", "--class-priors", "0.2,0.3,0.5", "--json"};
        SparkCliRuns.Run local = emkit(args);
        SparkCliRuns.Run remote = onSpark(args);
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(remote.status()).as(remote.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(local.out());
        JsonNode b = mapper.readTree(remote.out());
        assertSameShapeAndClose(a, b, "$");
        // Every structure fitted, each row counted once in the confusion matrix, the given priors in use.
        assertThat(b.get("results")).hasSize(4);
        int counted = 0;
        for (JsonNode row : b.get("confusion")) {
            for (JsonNode cell : row) {
                counted += cell.asInt();
            }
        }
        assertThat(counted).isEqualTo(150);
        assertThat(b.get("class_priors").get(2).asDouble()).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-12));

        // The model file written on Spark is the local one, so predict gives the local classes.
        Path model = dir.resolve("edda-spark.json");
        assertThat(onSpark(withModelOut(args, model)).status()).isZero();
        Path localModel = dir.resolve("edda-local.json");
        assertThat(emkit(withModelOut(args, localModel)).status()).isZero();
        com.fasterxml.jackson.databind.node.ObjectNode written =
                (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(model.toFile());
        com.fasterxml.jackson.databind.node.ObjectNode writtenLocally =
                (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(localModel.toFile());
        // How each was made (the command line) differs; the model does not.
        assertThat(written.remove("provenance")).isNotNull();
        writtenLocally.remove("provenance");
        assertSameShapeAndClose(writtenLocally, written, "$");
        SparkCliRuns.Run predicted = emkit("predict", iris.toString(), "--model", model.toString());
        SparkCliRuns.Run expected = emkit("predict", iris.toString(), "--model", localModel.toString());
        assertThat(predicted.status()).as(predicted.err()).isZero();
        assertThat(predicted.out()).isEqualTo(expected.out());
    }

    private static String[] withModelOut(String[] args, Path modelOut) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 2);
        out[args.length] = "--model-out";
        out[args.length + 1] = modelOut.toString();
        return out;
    }

    /**
     * Runs {@code args} with {@code --json} on both engines and compares the JSON to 1e-9 and the summaries
     * character for character; returns Spark's JSON.
     */
    private static JsonNode sameOnBothEngines(String... args) throws IOException {
        String[] json = java.util.Arrays.copyOf(args, args.length + 1);
        json[args.length] = "--json";
        SparkCliRuns.Run local = emkit(json);
        SparkCliRuns.Run remote = onSpark(json);
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(remote.status()).as(remote.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode b = mapper.readTree(remote.out());
        assertSameShapeAndClose(mapper.readTree(local.out()), b, "$");
        SparkCliRuns.Run localSummary = emkit(args);
        assertThat(onSpark(args).out()).isEqualTo(localSummary.out());
        return b;
    }

    @Test
    void eddaCrossValidatedOnSparkIsTheLocalCrossValidation() throws IOException {
        JsonNode b = sameOnBothEngines("classify", iris.toString(), "--labels-column", "species", "--components", "1",
                "--covariance", "EII,VEV,VVV", "--cv", "5", "--seed", "3");
        assertThat(b.get("cv_folds").asInt()).isEqualTo(5);
        // Iris is nearly separable: a few rows wrong out of 150, and a small Brier score.
        assertThat(b.get("error").asDouble()).isBetween(0.0, 0.1);
        assertThat(b.get("brier").asDouble()).isBetween(1e-4, 0.1);
    }

    @Test
    void mclustDACrossValidatedOnSparkIsTheLocalCrossValidation() throws IOException {
        JsonNode b = sameOnBothEngines("classify", iris.toString(), "--labels-column", "species", "--components",
                "1-2", "--covariance", "VVV,EEE", "--class-priors", "0.2,0.3,0.5", "--cv", "5", "--seed", "11");
        assertThat(b.get("method").asText()).isEqualTo("MclustDA");
        assertThat(b.get("error").asDouble()).isBetween(0.0, 0.15);
        assertThat(b.get("brier").asDouble()).isBetween(1e-4, 0.15);
    }

    @Test
    void whatSparkCannotDoIsAOneLineErrorWithStatus2() {
        SparkCliRuns.Run weighted = onSpark("classify", iris.toString(), "--labels-column", "species",
                "--weights-column", "sepal_length");
        assertThat(weighted.status()).isEqualTo(2);
        assertThat(weighted.err().strip()).contains("--weights-column").doesNotContain("\n");
    }

    @Test
    void mclustDAOnSparkIsTheLocalClassifier() throws IOException {
        String[] args = {"classify", iris.toString(), "--labels-column", "species", "--components", "1-2",
                "--covariance", "VVV,EEE", "--json"};
        SparkCliRuns.Run local = emkit(args);
        SparkCliRuns.Run remote = onSpark(args);
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(remote.status()).as(remote.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode b = mapper.readTree(remote.out());
        assertSameShapeAndClose(mapper.readTree(local.out()), b, "$");
        assertThat(b.get("method").asText()).isEqualTo("MclustDA");
        // The summary too, character for character (its figures are rounded to 4 decimals).
        String[] summary = java.util.Arrays.copyOf(args, args.length - 1);
        SparkCliRuns.Run localSummary = emkit(summary);
        assertThat(onSpark(summary).out()).isEqualTo(localSummary.out()).contains("MclustDA");
        // Per class all four (K, structure) candidates, K ascending then the structures in order.
        for (JsonNode c : b.get("class_models")) {
            assertThat(c.get("results")).hasSize(4);
            assertThat(c.get("results").get(3).get("components").asInt()).isEqualTo(2);
        }
    }
}
