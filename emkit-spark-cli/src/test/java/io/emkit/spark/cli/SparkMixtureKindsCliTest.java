package io.emkit.spark.cli;

import io.emkit.spark.cli.SparkCliRuns.Run;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.emkit.spark.cli.SparkCliRuns.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emkit fit --distribution t}, {@code --noise} and {@code --covariance mfa:Q} with {@code --engine spark}
 * (a local master) against the same commands on the local engine: the same summary, the same JSON numbers to
 * 1e-9, and {@code emkit predict --engine spark} with each kind of model file writes the local labels and
 * probabilities (a noise row labelled -1), {@code emkit score --engine spark} prints the local line.
 */
class SparkMixtureKindsCliTest {
    @TempDir
    static Path dir;
    static Path holes;
    static Path withNoise;
    static SparkSession spark;

    @BeforeAll
    static void startSparkAndWriteData() throws IOException {
        spark = startSession("emkit-cli-kinds-test");
        List<String> faithful;
        try (InputStream in = SparkMixtureKindsCliTest.class.getResourceAsStream("faithful.csv")) {
            faithful = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        // Old Faithful with holes: an empty eruptions cell every 7th row, waiting "NA" every 11th, row 50 empty.
        List<String> out = new ArrayList<>(List.of(faithful.get(0)));
        for (int i = 1; i < faithful.size(); i++) {
            String[] cells = faithful.get(i).split(",");
            out.add((i % 7 == 0 || i == 50 ? "" : cells[0]) + "," + (i % 11 == 0 ? "NA" : i == 50 ? "" : cells[1]));
        }
        holes = dir.resolve("faithful-holes.csv");
        Files.write(holes, out);
        // Old Faithful and 30 rows uniform over a box around it.
        List<String> noisy = new ArrayList<>(faithful);
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 30; i++) {
            noisy.add(String.format(Locale.ROOT, "%.3f,%.1f", 1 + 5 * r.nextDouble(), 40 + 60 * r.nextDouble()));
        }
        withNoise = dir.resolve("faithful-noise.csv");
        Files.write(withNoise, noisy);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static String[] onSpark(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--engine", "spark", "--master", "local[2]"));
        return a.toArray(new String[0]);
    }

    private static String[] with(String[] args, String... more) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /**
     * Runs the fit on both engines: the same summary, the same JSON to 1e-9; then predict with the local fit's model
     * file on both engines. Returns the JSON.
     */
    private static JsonNode sameFitAndPredictions(String name, String... fit) throws IOException {
        Run local = emkit(fit);
        Run spark = emkit(onSpark(fit));
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(spark.status()).as(spark.err()).isZero();
        assertThat(spark.out()).isEqualTo(local.out());

        Path model = dir.resolve(name + ".json");
        Run localJson = emkit(with(fit, "--json", "--model-out", model.toString()));
        Run sparkJson = emkit(onSpark(with(fit, "--json")));
        assertThat(sparkJson.status()).as(sparkJson.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(localJson.out());
        assertSameShapeAndClose(a, new ObjectMapper().readTree(sparkJson.out()), "$");

        Run predicted = emkit("predict", "-m", model.toString(), fit[1], "--proba");
        assertThat(predicted.status()).as(predicted.err()).isZero();
        List<String> expected = predicted.out().lines().toList();
        Path out = dir.resolve(name + "-labels");
        Run onSpark = emkit(onSpark("predict", "-m", model.toString(), fit[1], "--proba", "-o", out.toString()));
        assertThat(onSpark.status()).as(onSpark.err()).isZero();
        assertSameCells(expected.subList(1, expected.size()), partLines(out, expected.get(0)));

        Run score = emkit("score", "-m", model.toString(), fit[1]);
        Run scoreOnSpark = emkit(onSpark("score", "-m", model.toString(), fit[1]));
        assertThat(scoreOnSpark.status()).as(scoreOnSpark.err()).isZero();
        assertThat(scoreOnSpark.out()).isEqualTo(score.out()).contains("log-likelihood");
        return a;
    }

    @Test
    void aTMixtureWithMissingCellsIsTheLocalEnginesFitAndPredictions() throws IOException {
        JsonNode json = sameFitAndPredictions("t", "fit", holes.toString(), "-k", "2", "--distribution", "t",
                "--n-init", "1", "--seed", "3", "--max-iter", "25");
        assertThat(json.get("distribution").asText()).isEqualTo("t");
        assertThat(json.get("degrees_of_freedom")).hasSize(2);
        assertThat(json.get("missing_cells").asInt()).isGreaterThan(50);
        // Every row is labelled, row 50 (no value) too, as on one machine.
        assertThat(json.get("cluster_sizes").get(0).asLong() + json.get("cluster_sizes").get(1).asLong())
                .isEqualTo(272);
    }

    @Test
    void aNoiseComponentIsTheLocalEnginesFitAndPredictionsWithNoiseRowsLabelledMinusOne() throws IOException {
        JsonNode json = sameFitAndPredictions("noise", "fit", withNoise.toString(), "-k", "2", "--noise",
                "--n-init", "1", "--seed", "5");
        long noiseRows = json.get("noise_rows").asLong();
        assertThat(noiseRows).isBetween(5L, 60L);
        assertThat(json.get("cluster_sizes").get(0).asLong() + json.get("cluster_sizes").get(1).asLong() + noiseRows)
                .isEqualTo(302);
        Run predicted = emkit("predict", "-m", dir.resolve("noise.json").toString(), withNoise.toString(), "--proba");
        assertThat(predicted.out().lines().findFirst().orElseThrow()).isEqualTo("label,p0,p1,p_noise");
        assertThat(predicted.out().lines().filter(l -> l.startsWith("-1,")).count()).isEqualTo(noiseRows);
    }

    @Test
    void aTMixtureWithANoiseComponentIsTheLocalEnginesFitAndPredictionsWithNoiseRowsLabelledMinusOne()
            throws IOException {
        JsonNode json = sameFitAndPredictions("noise-t", "fit", withNoise.toString(), "-k", "2", "--noise",
                "--distribution", "t", "--n-init", "1", "--seed", "5", "--max-iter", "40");
        assertThat(json.get("distribution").asText()).isEqualTo("t");
        assertThat(json.get("degrees_of_freedom")).hasSize(2);
        assertNoiseRowsLabelledMinusOne(json, "noise-t");
    }

    @Test
    void aMixtureOfFactorAnalysersWithANoiseComponentIsTheLocalEnginesFitAndPredictionsWithNoiseRowsLabelledMinusOne()
            throws IOException {
        JsonNode json = sameFitAndPredictions("noise-mfa", "fit", withNoise.toString(), "-k", "2", "--noise",
                "--covariance", "mfa:1", "--n-init", "1", "--seed", "7");
        assertThat(json.get("factors").asInt()).isEqualTo(1);
        assertNoiseRowsLabelledMinusOne(json, "noise-mfa");
    }

    /** The noise rows the fit counted are the rows predict on Spark labels -1, with a p_noise column. */
    private static void assertNoiseRowsLabelledMinusOne(JsonNode json, String name) throws IOException {
        long noiseRows = json.get("noise_rows").asLong();
        assertThat(noiseRows).isBetween(5L, 60L);
        assertThat(json.get("cluster_sizes").get(0).asLong() + json.get("cluster_sizes").get(1).asLong() + noiseRows)
                .isEqualTo(302);
        List<String> written = partLines(dir.resolve(name + "-labels"), "label,p0,p1,p_noise");
        assertThat(written.stream().filter(l -> l.startsWith("-1,")).count()).isEqualTo(noiseRows);
    }

    @Test
    void aMixtureOfFactorAnalysersWithMissingCellsIsTheLocalEnginesFitAndPredictions() throws IOException {
        JsonNode json = sameFitAndPredictions("mfa", "fit", holes.toString(), "-k", "2", "--covariance", "mfa:1",
                "--n-init", "1", "--seed", "7");
        assertThat(json.get("factors").asInt()).isEqualTo(1);
        // Rows 50, 77, 154 and 231 have no value.
        assertThat(json.get("skipped_rows").asInt()).isEqualTo(4);
    }

    @Test
    void aMixtureOfTFactorAnalysersWithMissingCellsIsTheLocalEnginesFitAndPredictions() throws IOException {
        JsonNode json = sameFitAndPredictions("tmfa", "fit", holes.toString(), "-k", "2", "--distribution", "t",
                "--covariance", "mfa:1", "--n-init", "1", "--seed", "7", "--max-iter", "25");
        assertThat(json.get("distribution").asText()).isEqualTo("t");
        assertThat(json.get("factors").asInt()).isEqualTo(1);
        assertThat(json.get("degrees_of_freedom")).hasSize(2);
        assertThat(json.get("skipped_rows").asInt()).isEqualTo(4);
    }

    @Test
    void optionsThatNeedTheRowsHereAreStillRefused() {
        Run weights = emkit(onSpark("fit", holes.toString(), "-k", "2", "--labels-column", "waiting",
                "--weights-column", "eruptions"));
        assertThat(weights.status()).isEqualTo(2);
        assertThat(weights.err()).contains("--weights-column cannot be combined with --engine spark");
        Run tooMany = emkit(onSpark("fit", holes.toString(), "-k", "2", "--covariance", "mfa:2"));
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).contains("needs fewer factors than the data's 2 columns").doesNotContain("\tat ");
    }

    private static void assertSameShapeAndClose(JsonNode a, JsonNode b, String at) {
        assertThat(b.getNodeType()).as(at).isEqualTo(a.getNodeType());
        if (a.isObject()) {
            List<String> ka = new ArrayList<>();
            a.fieldNames().forEachRemaining(ka::add);
            List<String> kb = new ArrayList<>();
            b.fieldNames().forEachRemaining(kb::add);
            assertThat(kb).as(at).isEqualTo(ka);
            for (String k : ka) {
                assertSameShapeAndClose(a.get(k), b.get(k), at + "." + k);
            }
        } else if (a.isArray()) {
            assertThat(b.size()).as(at).isEqualTo(a.size());
            Iterator<JsonNode> ib = b.elements();
            int i = 0;
            for (JsonNode x : a) {
                assertSameShapeAndClose(x, ib.next(), at + "[" + i++ + "]");
            }
        } else if (a.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            assertThat(Math.abs(x - y)).as(at + ": " + x + " vs " + y)
                    .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(x)));
        } else {
            assertThat(b).as(at).isEqualTo(a);
        }
    }
}
