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
 * {@code classify --engine spark} (EDDA and MclustDA, with {@code --cv} and weighted rows too) against the same command
 * on the local engine.
 */
class SparkClassifyCliTest {
    @TempDir
    static Path dir;
    static Path iris;
    static Path weighted;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        spark = startSession("emkit-classify-test");
        iris = dir.resolve("iris.csv");
        try (InputStream in = SparkEngineCliTest.class.getResourceAsStream("iris.csv")) {
            Files.copy(in, iris);
        }
        // Iris with a weights column w: 0.5, 1, 1.5, 2 in turn, and 0 for row 10.
        java.util.List<String> lines = Files.readAllLines(iris);
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(lines.get(0) + ",w"));
        for (int i = 1; i < lines.size(); i++) {
            out.add(lines.get(i) + "," + (i == 10 ? "0" : Double.toString(0.5 + (i % 4) * 0.5)));
        }
        weighted = dir.resolve("iris-weighted.csv");
        Files.write(weighted, out);
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
        java.util.List<String> jobs = new java.util.ArrayList<>();
        SparkCliRuns.Run remote = onSparkListingJobs(args, jobs);
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(remote.status()).as(remote.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(local.out());
        JsonNode b = mapper.readTree(remote.out());
        assertSameShapeAndClose(a, b, "$");
        // Every structure fitted, each row counted once in the confusion matrix, the given priors in use.
        assertThat(b.get("results")).hasSize(4);
        // The rows converted, counted and brought back once for the four structures' fits, each fit converged on the
        // driver and evaluated by one job.
        assertThat(jobs.stream().filter(j -> j.contains("SparkFit"))).hasSize(1 + 4);
        // Each structure's fit scored over those rows, on the driver that holds them: no Spark SQL pass each.
        assertThat(jobs).noneMatch(j -> j.contains("SparkModels"));
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

    /** The weighted fit's log-likelihood is not the unweighted one's: the weights were not ignored. */
    private static void assertWeighted(JsonNode weightedFit, String... unweightedArgs) throws IOException {
        SparkCliRuns.Run plain = emkit(unweightedArgs);
        assertThat(plain.status()).as(plain.err()).isZero();
        double unweighted = new ObjectMapper().readTree(plain.out()).get("log_likelihood").asDouble();
        assertThat(Math.abs(weightedFit.get("log_likelihood").asDouble() - unweighted)).isGreaterThan(1.0);
    }

    @Test
    void eddaWithWeightedRowsCrossValidatedOnSparkIsTheLocalClassifier() throws IOException {
        JsonNode b = sameOnBothEngines("classify", weighted.toString(), "--labels-column", "species",
                "--weights-column", "w", "--components", "1", "--covariance", "EII,VEV,VVV", "--cv", "5");
        // The weights column is not a model column; every row is still a row of the confusion matrix.
        assertThat(b.get("model").toString()).doesNotContain("\"w\"");
        assertThat(b.get("n_samples").asInt()).isEqualTo(150);
        assertWeighted(b, "classify", weighted.toString(), "--labels-column", "species", "--columns",
                "sepal_length,sepal_width,petal_length,petal_width", "--components", "1", "--covariance",
                "EII,VEV,VVV", "--json");
    }

    @Test
    void mclustDAWithWeightedRowsAndClassPriorsCrossValidatedOnSparkIsTheLocalClassifier() throws IOException {
        JsonNode b = sameOnBothEngines("classify", weighted.toString(), "--labels-column", "species",
                "--weights-column", "w", "--components", "1-2", "--covariance", "VVV,EEE", "--class-priors",
                "0.2,0.3,0.5", "--cv", "5", "--seed", "4");
        assertThat(b.get("method").asText()).isEqualTo("MclustDA");
        assertThat(b.get("error").asDouble()).isBetween(0.0, 0.15);
        assertThat(b.get("brier").asDouble()).isBetween(1e-4, 0.15);
        assertWeighted(b, "classify", weighted.toString(), "--labels-column", "species", "--columns",
                "sepal_length,sepal_width,petal_length,petal_width", "--components", "1-2", "--covariance",
                "VVV,EEE", "--json");
    }

    @Test
    void whatSparkCannotDoIsAOneLineErrorWithStatus2() {
        SparkCliRuns.Run threads = onSpark("classify", iris.toString(), "--labels-column", "species",
                "--threads", "2");
        assertThat(threads.status()).isEqualTo(2);
        assertThat(threads.err().strip()).contains("--threads").doesNotContain("\n");
    }

    @Test
    void aNegativeWeightIsAOneLineErrorNamingTheColumn() throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(weighted));
        lines.set(7, lines.get(7).substring(0, lines.get(7).lastIndexOf(',')) + ",-1");
        Path bad = dir.resolve("iris-negative-weight.csv");
        Files.write(bad, lines);
        SparkCliRuns.Run negative = onSpark("classify", bad.toString(), "--labels-column", "species",
                "--weights-column", "w", "--components", "1", "--covariance", "EII");
        assertThat(negative.status()).isEqualTo(2);
        assertThat(negative.err().strip()).contains("--weights-column 'w'").contains("-1.0").doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void mclustDAOnSparkIsTheLocalClassifier() throws IOException {
        String[] args = {"classify", iris.toString(), "--labels-column", "species", "--components", "1-2",
                "--covariance", "VVV,EEE", "--json"};
        SparkCliRuns.Run local = emkit(args);
        java.util.List<String> jobs = new java.util.ArrayList<>();
        SparkCliRuns.Run remote = onSparkListingJobs(args, jobs);
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(remote.status()).as(remote.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode b = mapper.readTree(remote.out());
        assertSameShapeAndClose(mapper.readTree(local.out()), b, "$");
        assertThat(b.get("method").asText()).isEqualTo("MclustDA");
        // Twelve fits (three classes, four candidates each) on rows the driver holds: each class's rows converted,
        // counted and brought back once, each fit converged on the driver and evaluated by one job; and one more, the
        // selection's start from a neighbouring cell (setosa's VVV with two components, whose own search ended on a
        // spurious fit, run again from its best neighbour), as in this JVM.
        assertThat(jobs.stream().filter(j -> j.contains("SparkFit"))).hasSize(3 + 12 + 1);
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

    /**
     * {@code args} run on Spark, the first stage's name of each job it ran added to {@code jobs} ("collect at
     * SparkFit.java:94"). The listener hears of jobs on a bus of its own, in the order they start: a last job of this
     * test's own, in a group of its own, marks the end of the run's.
     */
    private static SparkCliRuns.Run onSparkListingJobs(String[] args, java.util.List<String> jobs) {
        java.util.List<String[]> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
                heard.add(new String[] {String.valueOf(group), start.stageInfos().head().name()});
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            SparkCliRuns.Run run = onSpark(args);
            spark.sparkContext().setJobGroup("marker", "after the run", false);
            spark.range(1).count();
            spark.sparkContext().clearJobGroup();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (heard.stream().noneMatch(j -> j[0].equals("marker")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(heard.stream().anyMatch(j -> j[0].equals("marker"))).as("the marker job heard of").isTrue();
            heard.stream().filter(j -> !j[0].equals("marker")).forEach(j -> jobs.add(j[1]));
            return run;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }
}
