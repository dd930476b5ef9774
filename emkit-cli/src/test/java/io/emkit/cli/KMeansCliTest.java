package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit kmeans} end to end, and k-means model files in predict, score and sample. */
class KMeansCliTest {
    @TempDir
    Path dir;
    Path faithful;
    Path iris;

    @BeforeEach
    void copyExamples() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
        iris = CliTest.copyExample(dir, "iris.csv");
    }

    /**
     * k-means leaves out the shared options that do not apply to it (its map cannot be extrapolated, its centroids
     * move by their own counts), while fit keeps them: neither in its help nor accepted.
     */
    @Test
    void leavesOutAccelerateAndStepExponent() {
        String kmeansHelp = emkit("kmeans", "--help").out();
        assertThat(kmeansHelp).contains("--mini-batch=B", "--max-iter=N")
                .doesNotContain("--accelerate").doesNotContain("--step-exponent");
        assertThat(emkit("fit", "--help").out()).contains("--accelerate=METHOD", "--step-exponent=A");
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "3", "--accelerate", "none"),
                "unknown option '--accelerate'");
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "3", "--mini-batch", "10",
                "--step-exponent", "0.9"), "unknown option '--step-exponent'");
    }

    @Test
    void printsAReadableSummary() {
        CliTest.Run r = emkit("kmeans", iris.toString(), "--clusters", "3", "--n-init", "10");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("k-means, 3 clusters").contains("converged after")
                .contains("best of 10 initialisations").contains("inertia      78.8514")
                .contains("cluster").contains("size").contains("petal_width");
        // The three cluster sizes of iris's optimum, in some order.
        assertThat(r.out().lines().filter(l -> l.matches("[123] +(38|50|62) .*")).count()).isEqualTo(3);
        assertThat(r.out()).doesNotContain("BIC").doesNotContain("log-likelihood");
        assertThat(r.err()).contains("species").doesNotContain("warning");
    }

    @Test
    void jsonHasTheDocumentedKeysAndAConsistentModel() throws IOException {
        CliTest.Run r = emkit("kmeans", faithful.toString(), "-k", "2", "--json", "--seed", "4");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("inertia", "n_iter", "converged", "centroids", "cluster_sizes", "model",
                "n_samples", "n_features", "inertia_trace", "warnings")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.has("bic")).isFalse();
        assertThat(j.get("converged").asBoolean()).isTrue();
        assertThat(j.get("cluster_sizes").get(0).asInt() + j.get("cluster_sizes").get(1).asInt()).isEqualTo(272);
        JsonNode model = j.get("model");
        assertThat(model.get("kind").asText()).isEqualTo("kmeans");
        assertThat(model.get("centroids")).isEqualTo(j.get("centroids"));
        // Inertia recomputed here from the printed centroids and the data file.
        double[][] c = new double[2][2];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                c[a][b] = j.get("centroids").get(a).get(b).asDouble();
            }
        }
        double inertia = 0;
        for (String line : Files.readAllLines(faithful).subList(1, 273)) {
            String[] f = line.split(",");
            double x = Double.parseDouble(f[0]);
            double y = Double.parseDouble(f[1]);
            double d0 = (x - c[0][0]) * (x - c[0][0]) + (y - c[0][1]) * (y - c[0][1]);
            double d1 = (x - c[1][0]) * (x - c[1][0]) + (y - c[1][1]) * (y - c[1][1]);
            inertia += Math.min(d0, d1);
        }
        assertThat(j.get("inertia").asDouble()).isCloseTo(inertia, within(1e-9 * inertia));
        JsonNode trace = j.get("inertia_trace");
        assertThat(trace.get(trace.size() - 1).asDouble()).isEqualTo(j.get("inertia").asDouble());
    }

    @Test
    void saveThenPredictAndRefuseScoreSampleAndProba() throws IOException {
        Path model = dir.resolve("km.json");
        CliTest.Run fit = emkit("kmeans", iris.toString(), "-k", "3", "--model-out", model.toString(), "--json", "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(fit.err()).isEmpty();
        JsonNode j = new ObjectMapper().readTree(fit.out());
        // The file is the JSON's model, and how it was made (the provenance, ignored on load).
        com.fasterxml.jackson.databind.node.ObjectNode saved =
                (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(model.toFile());
        assertThat(saved.remove("provenance")).isNotNull();
        assertThat(saved).isEqualTo(j.get("model"));

        CliTest.Run predict = emkit("predict", "--model", model.toString(), iris.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        List<String> lines = predict.out().lines().toList();
        assertThat(lines).hasSize(151);
        assertThat(lines.get(0)).isEqualTo("label");
        int[] counts = new int[3];
        for (String l : lines.subList(1, lines.size())) {
            counts[Integer.parseInt(l)]++;
        }
        for (int c = 0; c < 3; c++) {
            assertThat(counts[c]).isEqualTo(j.get("cluster_sizes").get(c).asInt());
        }

        CliTest.assertUserError(emkit("predict", "--model", model.toString(), iris.toString(), "--proba"),
                "km.json", "k-means", "--proba");
        CliTest.assertUserError(emkit("score", "--model", model.toString(), iris.toString()), "km.json",
                "k-means models have no density");
        CliTest.assertUserError(emkit("sample", "--model", model.toString(), "--n", "5"), "km.json",
                "k-means models have no density");
        CliTest.assertUserError(emkit("fit", iris.toString(), "-k", "3", "--init-model", model.toString()),
                "not a Gaussian mixture");
    }

    @Test
    void sameResultForAnyThreadCount() {
        CliTest.Run one = emkit("kmeans", iris.toString(), "-k", "4", "--json", "--threads", "1", "--seed", "9", "-q");
        CliTest.Run three = emkit("kmeans", iris.toString(), "-k", "4", "--json", "--threads", "3", "--seed", "9", "-q");
        assertThat(one.status()).isZero();
        assertThat(three.out()).isEqualTo(one.out());
    }

    @Test
    void everyAlgorithmPrintsTheSameFitAndVerboseCountsTheDistances() {
        CliTest.Run lloyd = emkit("kmeans", iris.toString(), "-k", "8", "--json", "--seed", "5", "-q", "--algorithm",
                "lloyd");
        assertThat(lloyd.status()).as(lloyd.err()).isZero();
        for (String algorithm : List.of("hamerly", "elkan", "yinyang", "auto", "ELKAN")) {
            CliTest.Run r = emkit("kmeans", iris.toString(), "-k", "8", "--json", "--seed", "5", "-q", "--algorithm",
                    algorithm, "--threads", "3");
            assertThat(r.out()).as(algorithm).isEqualTo(lloyd.out());
        }
        CliTest.Run verbose = emkit("kmeans", iris.toString(), "-k", "8", "--n-init", "1", "--verbose", "--algorithm",
                "hamerly");
        assertThat(verbose.err()).containsPattern("k-means: hamerly, [0-9]+ distances computed");
        CliTest.Run yinyang = emkit("kmeans", iris.toString(), "-k", "25", "--n-init", "1", "--verbose", "--algorithm",
                "yinyang", "--json", "--seed", "5");
        assertThat(yinyang.err()).containsPattern("k-means: yinyang, [0-9]+ distances computed");
        CliTest.Run lloyd25 = emkit("kmeans", iris.toString(), "-k", "25", "--n-init", "1", "--algorithm", "lloyd",
                "--json", "--seed", "5", "-q");
        assertThat(yinyang.out()).isEqualTo(lloyd25.out());
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "2", "--algorithm", "exponion"), "--algorithm",
                "exponion", "lloyd, hamerly, elkan, yinyang");
    }

    @Test
    void miniBatchFitsAndItsOptionsAreChecked() throws IOException {
        CliTest.Run r = emkit("kmeans", iris.toString(), "-k", "3", "--json", "-q", "--mini-batch", "20", "--passes", "2",
                "--shuffle", "--seed", "1");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("n_iter").asInt()).isEqualTo(2 * 8);
        assertThat(j.get("inertia").asDouble()).isLessThan(1.2 * 78.8514);
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "3", "--passes", "2"), "--mini-batch");
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "3", "--mini-batch", "0"), "--mini-batch");
    }

    @Test
    void badInput() throws IOException {
        Path dups = Files.writeString(dir.resolve("dups.csv"), "a,b\n1,2\n1,2\n3,4\n", StandardCharsets.UTF_8);
        CliTest.assertUserError(emkit("kmeans", dups.toString(), "-k", "3"), "3 clusters", "2 distinct rows");
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "0"), "--components", "at least 1");
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "2", "--tol", "-1"), "--tol");
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "2", "--n-init", "0"), "--n-init");
        CliTest.assertUserError(emkit("kmeans", iris.toString()), "--components");
        CliTest.assertUserError(emkit("kmeans", iris.toString(), "-k", "2", "--model-out", iris.toString()), "input");
    }

    @Test
    void toleranceZeroRunsExactlyMaxIter() throws IOException {
        CliTest.Run r = emkit("kmeans", iris.toString(), "-k", "3", "--tol", "0", "--max-iter", "7", "--json", "-q");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("n_iter").asInt()).isEqualTo(7);
        assertThat(j.get("converged").asBoolean()).isFalse();
        assertThat(j.get("inertia_trace").size()).isEqualTo(8);
        assertThat(emkit("kmeans", iris.toString(), "-k", "3", "--tol", "0", "--max-iter", "7").out())
                .contains("ran 7 iterations (tolerance 0)");
    }

    @Test
    void verbosePrintsALinePerIteration() {
        CliTest.Run r = emkit("kmeans", iris.toString(), "-k", "3", "--tol", "0", "--max-iter", "4", "--verbose");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err().lines().filter(l -> l.startsWith("init 1/1  iteration ")).count()).isEqualTo(5);
        assertThat(r.err()).contains("inertia ");
    }

    @Test
    void helpAndCommandList() {
        CliTest.Run r = emkit("kmeans", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: emkit kmeans").contains("--clusters").contains("--n-init");
        assertThat(emkit("--help").out()).contains("kmeans");
    }
}
