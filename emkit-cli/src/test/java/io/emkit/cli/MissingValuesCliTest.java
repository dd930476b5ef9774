package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.emkit.cli.CliTest.assertUserError;
import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Data with missing cells through the command line: fit, predict, score and impute. */
class MissingValuesCliTest {
    @TempDir
    Path dir;
    Path gaps;
    /** The cells of {@link #gaps} as written, {@code null} where missing. */
    final List<String[]> cells = new ArrayList<>();
    long missingCells;
    int emptyRows;

    /** 200 rows of two clusters in 3-D, about 15% of cells empty or NA, and row 7 (at least) missing entirely. */
    @BeforeEach
    void writeData() throws IOException {
        SplittableRandom random = new SplittableRandom(12);
        StringBuilder csv = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 200; i++) {
            double shift = i % 2 == 0 ? 0 : 5;
            String[] row = new String[3];
            for (int j = 0; j < 3; j++) {
                boolean gone = i == 7 || random.nextDouble() < 0.15;
                row[j] = gone ? null : String.format(Locale.ROOT, "%.4f", shift + random.nextGaussian());
                missingCells += gone ? 1 : 0;
                csv.append(j == 0 ? "" : ",").append(gone ? (j == 1 ? "NA" : "") : row[j]);
            }
            cells.add(row);
            emptyRows += row[0] == null && row[1] == null && row[2] == null ? 1 : 0;
            csv.append('\n');
        }
        gaps = Files.writeString(dir.resolve("gaps.csv"), csv);
    }

    private Path fitModel() {
        Path model = dir.resolve("model.json");
        CliTest.Run r = emkit("fit", gaps.toString(), "-k", "2", "--model-out", model.toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        return model;
    }

    @Test
    void fitReportsMissingCellsAndSkippedRows() throws IOException {
        CliTest.Run r = emkit("fit", gaps.toString(), "-k", "2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("missing      " + missingCells + " cells (")
                .contains(emptyRows + " rows with every value missing skipped");
        CliTest.Run json = emkit("fit", gaps.toString(), "-k", "2", "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("missing_cells").asLong()).isEqualTo(missingCells);
        assertThat(j.get("skipped_rows").asInt()).isEqualTo(emptyRows);
        // Two well separated clusters: the means are found despite the gaps.
        JsonNode means = j.get("model").get("means");
        double low = Math.min(means.get(0).get(0).asDouble(), means.get(1).get(0).asDouble());
        double high = Math.max(means.get(0).get(0).asDouble(), means.get(1).get(0).asDouble());
        assertThat(low).isBetween(-0.5, 0.5);
        assertThat(high).isBetween(4.5, 5.5);
    }

    @Test
    void selectChoosesTheNumberOfClustersDespiteTheGaps() throws IOException {
        CliTest.Run r = emkit("select", gaps.toString(), "--components", "1-4", "--covariance", "VVV,EII", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("best").get("components").asInt()).isEqualTo(2);
        assertThat(j.get("missing_cells").asLong()).isEqualTo(missingCells);
        CliTest.Run table = emkit("select", gaps.toString(), "--components", "1-2", "--covariance", "EII");
        assertThat(table.out()).contains("missing      " + missingCells + " cells");
    }

    @Test
    void tMixturesFitAndSelectDespiteTheGaps() throws IOException {
        Path model = dir.resolve("t.json");
        CliTest.Run json = emkit("fit", gaps.toString(), "-k", "2", "--distribution", "t", "--json", "--model-out",
                model.toString());
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("missing_cells").asLong()).isEqualTo(missingCells);
        JsonNode means = j.get("model").get("means");
        double low = Math.min(means.get(0).get(0).asDouble(), means.get(1).get(0).asDouble());
        double high = Math.max(means.get(0).get(0).asDouble(), means.get(1).get(0).asDouble());
        assertThat(low).isBetween(-0.5, 0.5);
        assertThat(high).isBetween(4.5, 5.5);
        CliTest.Run table = emkit("fit", gaps.toString(), "-k", "2", "--distribution", "t");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("missing      " + missingCells + " cells (");
        // The model scores rows with gaps on their observed values.
        CliTest.Run score = emkit("score", gaps.toString(), "-m", model.toString());
        assertThat(score.status()).as(score.err()).isZero();
        CliTest.Run select = emkit("select", gaps.toString(), "--components", "1-3", "--covariance", "VVV",
                "--distribution", "t", "--json");
        assertThat(select.status()).as(select.err()).isZero();
        assertThat(new ObjectMapper().readTree(select.out()).get("best").get("components").asInt()).isEqualTo(2);
    }

    @Test
    void factorAnalysersFitAndSelectDespiteTheGaps() throws IOException {
        Path model = dir.resolve("mfa.json");
        CliTest.Run json = emkit("fit", gaps.toString(), "-k", "2", "--covariance", "mfa:1", "--json", "--model-out",
                model.toString());
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("missing_cells").asLong()).isEqualTo(missingCells);
        JsonNode means = j.get("model").get("means");
        double low = Math.min(means.get(0).get(0).asDouble(), means.get(1).get(0).asDouble());
        double high = Math.max(means.get(0).get(0).asDouble(), means.get(1).get(0).asDouble());
        assertThat(low).isBetween(-0.5, 0.5);
        assertThat(high).isBetween(4.5, 5.5);
        CliTest.Run table = emkit("fit", gaps.toString(), "-k", "2", "--covariance", "mfa:1");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("missing      " + missingCells + " cells (");
        CliTest.Run score = emkit("score", gaps.toString(), "-m", model.toString());
        assertThat(score.status()).as(score.err()).isZero();
        CliTest.Run select = emkit("select", gaps.toString(), "--components", "1-3", "--covariance", "mfa:1-2",
                "--json");
        assertThat(select.status()).as(select.err()).isZero();
        assertThat(new ObjectMapper().readTree(select.out()).get("best").get("components").asInt()).isEqualTo(2);
    }

    @Test
    void noiseFitsPredictsAndSelectsDespiteTheGaps() throws IOException {
        Path model = dir.resolve("noise.json");
        CliTest.Run json = emkit("fit", gaps.toString(), "-k", "2", "--noise", "--json", "--model-out",
                model.toString());
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("missing_cells").asLong()).isEqualTo(missingCells);
        // Data with gaps: the box along the columns, whose marginal over observed columns is uniform.
        assertThat(j.get("noise_region").asText()).isEqualTo("bounding");
        CliTest.Run table = emkit("fit", gaps.toString(), "-k", "2", "--noise");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("missing      " + missingCells + " cells (");
        Path perSample = dir.resolve("noise-ll.csv");
        CliTest.Run score = emkit("score", "-m", model.toString(), gaps.toString(), "--per-sample",
                perSample.toString());
        assertThat(score.status()).as(score.err()).isZero();
        List<String> ll = Files.readAllLines(perSample);
        assertThat(Double.parseDouble(ll.get(1 + 7))).as("nothing observed: log density 0").isEqualTo(0.0);
        CliTest.Run p = emkit("predict", "-m", model.toString(), gaps.toString(), "--proba");
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(p.out().lines().count()).isEqualTo(201);
        assertThat(p.out().lines().findFirst().orElseThrow()).endsWith(",p_noise");
        CliTest.Run select = emkit("select", gaps.toString(), "--components", "1-3", "--covariance", "VVV,EII",
                "--noise", "--json");
        assertThat(select.status()).as(select.err()).isZero();
        assertThat(new ObjectMapper().readTree(select.out()).get("best").get("components").asInt()).isEqualTo(2);
        // A model fitted on complete rows whose box lies along the principal axes refuses rows with gaps in one line.
        StringBuilder complete = new StringBuilder("a,b,c\n");
        for (String[] row : cells) {
            if (row[0] != null && row[1] != null && row[2] != null) {
                complete.append(String.join(",", row)).append('\n');
            }
        }
        Path full = Files.writeString(dir.resolve("complete.csv"), complete);
        Path principal = dir.resolve("principal.json");
        CliTest.Run fit = emkit("fit", full.toString(), "-k", "2", "--noise", "--json", "--model-out",
                principal.toString());
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(new ObjectMapper().readTree(fit.out()).get("noise_region").asText()).isEqualTo("principal");
        int first = 0;
        while (cells.get(first)[0] != null && cells.get(first)[1] != null && cells.get(first)[2] != null) {
            first++;
        }
        assertUserError(emkit("predict", "-m", principal.toString(), gaps.toString()), "row " + (first + 1) + ": missing",
                "principal axes");
    }

    @Test
    void completeDataReportNoMissingCells() throws IOException {
        Path full = Files.writeString(dir.resolve("full.csv"), "a,b\n1,2\n2,3\n3,5\n4,4\n");
        CliTest.Run r = emkit("fit", full.toString(), "-k", "1", "--json");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("missing_cells").asLong()).isZero();
        assertThat(emkit("fit", full.toString(), "-k", "1").out()).doesNotContain("missing");
    }

    @Test
    void imputeFillsExactlyTheMissingCells() throws IOException {
        Path model = fitModel();
        Path out = dir.resolve("filled.csv");
        CliTest.Run r = emkit("impute", "--model", model.toString(), gaps.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("filled " + missingCells + " missing cells");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("a,b,c");
        assertThat(lines).hasSize(201);
        for (int i = 0; i < 200; i++) {
            String[] got = lines.get(i + 1).split(",", -1);
            assertThat(got).hasSize(3);
            for (int j = 0; j < 3; j++) {
                double v = Double.parseDouble(got[j]);
                assertThat(v).as("line %d column %d", i + 2, j + 1).isFinite();
                if (cells.get(i)[j] != null) {
                    assertThat(v).isEqualTo(Double.parseDouble(cells.get(i)[j]));
                }
            }
        }
    }

    @Test
    void imputeDrawsStackCopiesAfterADrawColumn() throws IOException {
        Path model = fitModel();
        Path out = dir.resolve("draws.csv");
        CliTest.Run r = emkit("impute", "-m", model.toString(), gaps.toString(), "--out", out.toString(),
                "--draws", "3", "--seed", "5");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("draw,a,b,c");
        assertThat(lines).hasSize(1 + 3 * 200);
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 200; i++) {
                String[] got = lines.get(1 + t * 200 + i).split(",", -1);
                assertThat(got[0]).isEqualTo(Integer.toString(t + 1));
                for (int j = 0; j < 3; j++) {
                    if (cells.get(i)[j] != null) {
                        assertThat(Double.parseDouble(got[j + 1])).isEqualTo(Double.parseDouble(cells.get(i)[j]));
                    }
                }
            }
        }
        assertThat(lines.get(1 + 7)).as("draws differ between copies").isNotEqualTo(lines.get(1 + 200 + 7));
        Path again = dir.resolve("again.csv");
        emkit("impute", "-m", model.toString(), gaps.toString(), "--out", again.toString(), "--draws", "3", "--seed", "5");
        assertThat(Files.readAllLines(again)).as("same seed, same draws").isEqualTo(lines);
    }

    @Test
    void predictAndScoreUseTheObservedValues() throws IOException {
        Path model = fitModel();
        Path perSample = dir.resolve("ll.csv");
        CliTest.Run s = emkit("score", "-m", model.toString(), gaps.toString(), "--per-sample", perSample.toString());
        assertThat(s.status()).as(s.err()).isZero();
        List<String> ll = Files.readAllLines(perSample);
        assertThat(ll).hasSize(201);
        assertThat(Double.parseDouble(ll.get(1 + 7))).as("nothing observed: log density 0").isEqualTo(0.0);
        for (String v : ll.subList(1, 201)) {
            assertThat(Double.parseDouble(v)).isFinite();
        }
        CliTest.Run p = emkit("predict", "-m", model.toString(), gaps.toString(), "--proba");
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(p.out().lines().count()).isEqualTo(201);
    }

    @Test
    void badInputStillStopsWithExitStatusTwo() throws IOException {
        Path model = fitModel();
        Path text = Files.writeString(dir.resolve("text.csv"), "a,b,c\n1,,3\n4,oops,6\n7,8,\n");
        assertUserError(emkit("fit", text.toString(), "-k", "1", "--columns", "a,b,c"), "text.csv", "line 3", "column 2",
                "oops");
        assertUserError(emkit("impute", "-m", model.toString(), text.toString(), "--columns", "a,b,c"), "text.csv",
                "line 3", "oops");
        assertUserError(emkit("impute", "-m", model.toString(), text.toString()), "text.csv", "choose them with --columns");
        assertUserError(emkit("impute", "-m", model.toString(), gaps.toString(), "--draws", "0"), "--draws");
        Path empty = Files.writeString(dir.resolve("emptycol.csv"), "a,b\n1,\n2,NA\n3,\n");
        assertUserError(emkit("fit", empty.toString(), "-k", "1", "--columns", "a,b"), "'b'", "every value is missing");
    }

    @Test
    void imputeNeedsAGaussianMixture() throws IOException {
        Path product = dir.resolve("product.json");
        CliTest.Run fit = emkit("fit", gaps.toString(), "-k", "2", "--family", "gaussian", "--model-out",
                product.toString(), "--json", "--quiet");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(new ObjectMapper().readTree(fit.out()).get("missing_cells").asLong()).isEqualTo(missingCells);
        assertUserError(emkit("impute", "-m", product.toString(), gaps.toString()), "impute", "Gaussian mixture",
                "independent columns");
        CliTest.Run score = emkit("score", "-m", product.toString(), gaps.toString(), "--json");
        assertThat(score.status()).as(score.err()).isZero();
        assertThat(new ObjectMapper().readTree(score.out()).get("log_likelihood").asDouble())
                .as("the fit's log-likelihood, from the observed cells").isCloseTo(
                        new ObjectMapper().readTree(fit.out()).get("log_likelihood").asDouble(), within(1e-6));
        CliTest.Run predict = emkit("predict", "-m", product.toString(), gaps.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines().count()).isEqualTo(201);
    }

    /**
     * Weights, hard assignment and missing cells together: a weighted file gives the fit of the file with
     * each row repeated as many times as its weight (from the same start), and the summary and JSON carry
     * both sides' lines and keys.
     */
    @Test
    void weightedHardFitWithGapsIsTheFitOfTheRepeatedRows() throws IOException {
        Path start = fitModel();
        List<String> lines = Files.readAllLines(gaps);
        StringBuilder weighted = new StringBuilder(lines.get(0)).append(",w\n");
        StringBuilder repeated = new StringBuilder(lines.get(0)).append('\n');
        double total = 0;
        for (int i = 1; i < lines.size(); i++) {
            int w = i % 3; // 0, 1 and 2 copies
            total += w;
            weighted.append(lines.get(i)).append(',').append(w).append('\n');
            for (int c = 0; c < w; c++) {
                repeated.append(lines.get(i)).append('\n');
            }
        }
        Path wFile = Files.writeString(dir.resolve("weighted.csv"), weighted);
        Path rFile = Files.writeString(dir.resolve("repeated.csv"), repeated);
        String[] common = {"-k", "2", "--hard", "--init-model", start.toString(), "--tol", "0", "--max-iter", "8",
                "--json"};
        CliTest.Run a = emkit(CliTest.concat(new String[] {"fit", wFile.toString(), "--weights-column", "w"}, common));
        CliTest.Run b = emkit(CliTest.concat(new String[] {"fit", rFile.toString(), "--columns", "a,b,c"}, common));
        assertThat(a.status()).as(a.err()).isZero();
        assertThat(b.status()).as(b.err()).isZero();
        JsonNode ja = new ObjectMapper().readTree(a.out());
        JsonNode jb = new ObjectMapper().readTree(b.out());
        assertThat(ja.get("assignment").asText()).isEqualTo("hard");
        assertThat(ja.get("total_weight").asDouble()).isEqualTo(total);
        assertThat(ja.get("missing_cells").asLong()).isEqualTo(missingCells);
        for (String key : List.of("classification_log_likelihood", "log_likelihood")) {
            double expected = jb.get(key).asDouble();
            assertThat(ja.get(key).asDouble()).as(key).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
        }
        CliTest.Run summary = emkit("fit", wFile.toString(), "--weights-column", "w", "-k", "2", "--hard");
        assertThat(summary.status()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("weighted (total weight ").contains("missing      " + missingCells + " cells");
        CliTest.Run select = emkit("select", wFile.toString(), "--weights-column", "w", "--components", "1-2",
                "--covariance", "full", "--json");
        assertThat(select.status()).as(select.err()).isZero();
        JsonNode js = new ObjectMapper().readTree(select.out());
        assertThat(js.get("total_weight").asDouble()).isEqualTo(total);
        assertThat(js.get("missing_cells").asLong()).isEqualTo(missingCells);
    }
}
