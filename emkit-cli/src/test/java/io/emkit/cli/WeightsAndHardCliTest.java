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
import java.util.ArrayList;
import java.util.List;

import static io.emkit.cli.CliTest.assertUserError;
import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code --weights-column} on fit, fit --family, kmeans and select, checked against the same file with each row
 * written as many times as its weight; its errors; and {@code fit --hard}, whose classification log-likelihood
 * is recomputed here from the printed model.
 */
class WeightsAndHardCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Line 5 of the weighted file (the first line holding these values). */
    private static final String LINE_5 = java.util.regex.Pattern.quote("\n2.283,62,0\n");

    @TempDir
    Path dir;
    /** Old Faithful with a third column w = row number mod 3 (0, 1 or 2). */
    Path weighted;
    /** Old Faithful with row i written (i mod 3) times. */
    Path repeated;
    List<double[]> rows = new ArrayList<>();

    @BeforeEach
    void writeFiles() throws IOException {
        String text;
        try (InputStream in = CliTest.class.getResourceAsStream("faithful.csv")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder w = new StringBuilder("eruptions,waiting,w\n");
        StringBuilder r = new StringBuilder("eruptions,waiting\n");
        List<String> lines = text.lines().skip(1).toList();
        for (int i = 0; i < lines.size(); i++) {
            w.append(lines.get(i)).append(',').append(i % 3).append('\n');
            for (int c = 0; c < i % 3; c++) {
                r.append(lines.get(i)).append('\n');
            }
            String[] f = lines.get(i).split(",");
            rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), i % 3});
        }
        weighted = Files.writeString(dir.resolve("weighted.csv"), w);
        repeated = Files.writeString(dir.resolve("repeated.csv"), r);
    }

    private static JsonNode json(CliTest.Run r) throws IOException {
        assertThat(r.status()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void weightedFitFromTheSameStartIsTheFitOfTheRepeatedRows() throws IOException {
        Path start = dir.resolve("start.json");
        assertThat(emkit("fit", repeated.toString(), "-k", "2", "--max-iter", "2", "--model-out", start.toString(),
                "--quiet").status()).isZero();
        JsonNode a = json(emkit("fit", weighted.toString(), "-k", "2", "--weights-column", "w", "--init-model",
                start.toString(), "--tol", "0", "--max-iter", "20", "--json"));
        JsonNode b = json(emkit("fit", repeated.toString(), "-k", "2", "--init-model", start.toString(), "--tol", "0",
                "--max-iter", "20", "--json"));
        for (String key : List.of("log_likelihood", "mean_log_likelihood", "bic", "aic")) {
            assertThat(a.get(key).asDouble()).as(key).isCloseTo(b.get(key).asDouble(),
                    within(1e-9 * Math.abs(b.get(key).asDouble())));
        }
        assertThat(a.get("n_samples").asInt()).isEqualTo(272);
        assertThat(a.get("total_weight").asDouble()).isEqualTo(271.0);
        assertThat(b.get("n_samples").asInt()).isEqualTo(271);
        assertThat(a.get("n_features").asInt()).as("the weights are not a model column").isEqualTo(2);
        JsonNode ma = a.get("model").get("means");
        JsonNode mb = b.get("model").get("means");
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < 2; j++) {
                assertThat(ma.get(c).get(j).asDouble()).isCloseTo(mb.get(c).get(j).asDouble(), within(1e-9));
            }
        }
        CliTest.Run summary = emkit("fit", weighted.toString(), "-k", "2", "--weights-column", "3");
        assertThat(summary.out()).contains("weighted (total weight 271)").contains("n = 271, the total weight");
    }

    @Test
    void kmeansFamilyAndSelectTakeTheWeightsColumn() throws IOException {
        JsonNode a = json(emkit("kmeans", weighted.toString(), "-k", "2", "--weights-column", "w", "--n-init", "5",
                "--json"));
        JsonNode b = json(emkit("kmeans", repeated.toString(), "-k", "2", "--n-init", "5", "--json"));
        assertThat(a.get("inertia").asDouble()).isCloseTo(b.get("inertia").asDouble(),
                within(1e-9 * b.get("inertia").asDouble()));
        double total = a.get("cluster_weights").get(0).asDouble() + a.get("cluster_weights").get(1).asDouble();
        assertThat(total).isEqualTo(271.0);

        JsonNode fa = json(emkit("fit", weighted.toString(), "-k", "2", "--family", "gaussian", "--weights-column",
                "w", "--tol", "1e-10", "--max-iter", "2000", "--n-init", "3", "--json"));
        JsonNode fb = json(emkit("fit", repeated.toString(), "-k", "2", "--family", "gaussian", "--tol", "1e-10",
                "--max-iter", "2000", "--n-init", "3", "--json"));
        assertThat(fa.get("log_likelihood").asDouble()).isCloseTo(fb.get("log_likelihood").asDouble(), within(1e-6));
        assertThat(fa.get("bic").asDouble()).isCloseTo(fb.get("bic").asDouble(), within(1e-5));
        assertThat(fa.get("n_features").asInt()).isEqualTo(2);

        // K = 1 has no initialisation to differ: its fit of the weighted rows is that of the repeated rows.
        JsonNode sa = json(emkit("select", weighted.toString(), "--weights-column", "w", "--components", "1",
                "--covariance", "VVV,EII", "--json"));
        JsonNode sb = json(emkit("select", repeated.toString(), "--components", "1", "--covariance", "VVV,EII",
                "--json"));
        assertThat(sa.get("total_weight").asDouble()).isEqualTo(271.0);
        for (int i = 0; i < 2; i++) {
            for (String key : List.of("log_likelihood", "bic", "icl", "aic")) {
                double expected = sb.get("results").get(i).get(key).asDouble();
                assertThat(sa.get("results").get(i).get(key).asDouble()).as(key)
                        .isCloseTo(expected, within(1e-9 * Math.abs(expected)));
            }
        }
    }

    @Test
    void badWeightsStopWithTheFileLineAndColumn() throws IOException {
        String good = Files.readString(weighted);
        Path negative = Files.writeString(dir.resolve("neg.csv"), good.replaceFirst(LINE_5, "\n2.283,62,-1\n"));
        Path missing = Files.writeString(dir.resolve("na.csv"), good.replaceFirst(LINE_5, "\n2.283,62,NA\n"));
        Path infinite = Files.writeString(dir.resolve("inf.csv"), good.replaceFirst(LINE_5, "\n2.283,62,inf\n"));
        Path zero = Files.writeString(dir.resolve("zero.csv"), good.replaceAll(",[0-9]\n", ",0\n"));
        assertThat(good.lines().skip(4).findFirst().orElseThrow()).isEqualTo("2.283,62,0");
        for (String command : List.of("fit", "kmeans", "select")) {
            String[] k = command.equals("select") ? new String[] {"--components", "1-2"} : new String[] {"-k", "2"};
            assertUserError(emkit(CliTest.concat(new String[] {command, negative.toString(), "--weights-column", "w"}, k)),
                    "neg.csv: line 5, column 3 ('w')", "weight -1");
            assertUserError(emkit(CliTest.concat(new String[] {command, missing.toString(), "--weights-column", "w"}, k)),
                    "na.csv: line 5, column 3 ('w')", "missing");
            assertUserError(emkit(CliTest.concat(new String[] {command, infinite.toString(), "--weights-column", "w"}, k)),
                    "inf.csv: line 5, column 3 ('w')");
            assertUserError(emkit(CliTest.concat(new String[] {command, zero.toString(), "--weights-column", "w"}, k)),
                    "zero.csv: column 3 ('w')", "every weight is 0");
            assertUserError(emkit(CliTest.concat(new String[] {command, weighted.toString(), "--weights-column", "nope"}, k)),
                    "--weights-column 'nope'");
        }
        assertUserError(emkit("fit", negative.toString(), "-k", "2", "--family", "gaussian", "--weights-column", "w"),
                "neg.csv: line 5, column 3 ('w')", "weight -1");
        assertUserError(emkit("fit", weighted.toString(), "-k", "2", "--columns", "eruptions,w", "--weights-column",
                "w"), "also in --columns");
        assertUserError(emkit("fit", weighted.toString(), "-k", "2", "--family", "gaussian", "--columns",
                "eruptions,w", "--weights-column", "w"), "column 3 ('w')", "--weights-column");
        assertUserError(emkit("fit", weighted.toString(), "-k", "2", "--out-of-core", "--weights-column", "w"));
    }

    /** log(π_c N(x | μ_c, Σ_c)) for a 2 × 2 covariance, written out. */
    private static double logJoint2(double pi, JsonNode mean, JsonNode cov, double x, double y) {
        double a = cov.get(0).get(0).asDouble();
        double b = cov.get(0).get(1).asDouble();
        double d = cov.get(1).get(1).asDouble();
        double det = a * d - b * b;
        double dx = x - mean.get(0).asDouble();
        double dy = y - mean.get(1).asDouble();
        double q = (d * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
        return Math.log(pi) - Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
    }

    @Test
    void hardFitReportsBothLikelihoodsOfItsParameters() throws IOException {
        JsonNode j = json(emkit("fit", weighted.toString(), "-k", "3", "--hard", "--weights-column", "w", "--json",
                "--tol", "1e-9"));
        assertThat(j.get("assignment").asText()).isEqualTo("hard");
        JsonNode m = j.get("model");
        double classification = 0;
        double mixture = 0;
        for (double[] row : rows) {
            double best = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                double l = logJoint2(m.get("weights").get(c).asDouble(), m.get("means").get(c),
                        m.get("covariances").get(c), row[0], row[1]);
                best = Math.max(best, l);
                sum += Math.exp(l);
            }
            classification += row[2] * best;
            mixture += row[2] * Math.log(sum);
        }
        assertThat(j.get("classification_log_likelihood").asDouble()).isCloseTo(classification,
                within(1e-8 * Math.abs(classification)));
        assertThat(j.get("log_likelihood").asDouble()).isCloseTo(mixture, within(1e-8 * Math.abs(mixture)));
        assertThat(j.get("bic").asDouble()).isCloseTo(-2 * mixture + 17 * Math.log(271), within(1e-6));
        JsonNode trace = j.get("classification_log_likelihood_trace");
        for (int i = 1; i < trace.size(); i++) {
            assertThat(trace.get(i).asDouble()).isGreaterThanOrEqualTo(trace.get(i - 1).asDouble() - 1e-9);
        }
        assertThat(j.has("log_likelihood_trace")).isFalse();
        Path report = dir.resolve("hard.html");
        CliTest.Run summary = emkit("fit", weighted.toString(), "-k", "3", "--assignment", "hard", "--weights-column", "w",
                "--tol", "1e-9", "--report", report.toString());
        assertThat(summary.out()).contains("classification EM (hard assignments)")
                .contains("classification  " + Format.fixed(classification, 4))
                .contains("log-likelihood  " + Format.fixed(mixture, 4));
        // The report's criteria, like the summary's, are the mixture's.
        assertThat(Files.readString(report)).contains("<td>--assignment</td><td>hard</td>")
                .contains(Format.num(mixture / 271));
        assertUserError(emkit("fit", weighted.toString(), "-k", "2", "--hard", "--assignment", "soft"),
                "--hard contradicts --assignment soft");
        assertUserError(emkit("fit", weighted.toString(), "-k", "2", "--assignment", "fuzzy"), "soft, hard");
        assertUserError(emkit("fit", weighted.toString(), "-k", "2", "--hard", "--family", "gaussian"),
                "--hard applies to Gaussian mixtures only");
    }
}
