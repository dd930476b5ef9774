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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code emkit fit --labels-column}: semi-supervised EM end to end, on iris with the first 5 rows of each species
 * labelled (mclust 6.0.0's MclustSSC, VVV, G = 3: log-likelihood -188.48268475451388, 120 of the 135 unlabelled
 * rows right, from {@code emkit-core/src/test/resources/reference/mclust/iris-ssc-summary.csv}).
 */
class LabelsCliTest {
    @TempDir
    Path dir;
    Path iris;
    Path labelled;
    List<String> species = new ArrayList<>();

    @BeforeEach
    void firstFivePerSpeciesLabelled() throws IOException {
        iris = CliTest.copyExample(dir, "iris.csv");
        List<String> lines = Files.readAllLines(iris);
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        Map<String, Integer> seen = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String s = line.substring(line.lastIndexOf(',') + 1);
            species.add(s);
            int n = seen.merge(s, 1, Integer::sum);
            out.add(n <= 5 ? line : line.substring(0, line.lastIndexOf(',') + 1));
        }
        labelled = dir.resolve("iris-5.csv");
        Files.write(labelled, out);
    }

    @Test
    void irisWithFiveLabelledRowsPerSpeciesGivesMclustsFitAndPredictWritesTheClasses() throws IOException {
        Path model = dir.resolve("ssc.json");
        CliTest.Run r = emkit("fit", labelled.toString(), "--labels-column", "species", "--json", "--model-out",
                model.toString(), "--tol", "1e-12");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("log_likelihood").asDouble()).isCloseTo(-188.48268475451388, within(1e-4));
        assertThat(j.get("n_parameters").asInt()).isEqualTo(44);
        assertThat(j.get("labelled_rows").asInt()).isEqualTo(15);
        assertThat(j.get("component_classes").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(j.get("n_features").asInt()).isEqualTo(4);

        CliTest.Run p = emkit("predict", "--model", model.toString(), iris.toString());
        assertThat(p.status()).as(p.err()).isZero();
        List<String> lines = p.out().lines().toList();
        assertThat(lines).hasSize(151).first().isEqualTo("class");
        int right = 0;
        for (int i = 0; i < 150; i++) {
            if (i % 50 >= 5) {
                right += lines.get(i + 1).equals(species.get(i)) ? 1 : 0;
            }
        }
        assertThat(right).isEqualTo(120);

        // The report names each component's class beside its number, in the parameter and cluster-size tables.
        Path html = dir.resolve("ssc.html");
        CliTest.Run report = emkit("report", "--model", model.toString(), iris.toString(), "--out", html.toString());
        assertThat(report.status()).as(report.err()).isZero();
        String page = Files.readString(html);
        String sizes = page.substring(page.indexOf("id=\"cluster-sizes\""));
        sizes = sizes.substring(0, sizes.indexOf("</table>"));
        assertThat(sizes).contains("1 (setosa)", "2 (versicolor)", "3 (virginica)");
        assertThat(page.substring(page.indexOf("id=\"parameter-table\""))).contains("1 (setosa)");
    }

    @Test
    void theSummaryNamesTheLabelsAndAWeightsColumnWorksAsInFit() throws IOException {
        CliTest.Run r = emkit("fit", labelled.toString(), "--labels-column", "5", "--covariance", "EEE");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("labels       column 'species': 15 labelled rows in 3 classes (setosa 5,"
                + " versicolor 5, virginica 5), 135 unlabelled").contains("semi-supervised EM, converged")
                .contains("unlabelled rows by predicted class:");
        // Weight 1 everywhere is the unweighted fit.
        List<String> lines = Files.readAllLines(labelled);
        List<String> weighted = new ArrayList<>();
        weighted.add(lines.get(0) + ",w");
        lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).forEach(l -> weighted.add(l + ",1"));
        Path file = dir.resolve("weighted.csv");
        Files.write(file, weighted);
        CliTest.Run plain = emkit("fit", labelled.toString(), "--labels-column", "species", "--json");
        CliTest.Run w = emkit("fit", file.toString(), "--labels-column", "species", "--weights-column", "w", "--json");
        assertThat(w.status()).as(w.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(w.out()).get("log_likelihood").asDouble())
                .isCloseTo(mapper.readTree(plain.out()).get("log_likelihood").asDouble(), within(1e-9));
        assertThat(mapper.readTree(w.out()).get("total_weight").asDouble()).isEqualTo(150.0);
    }

    @Test
    void numericClassCodesAreNotAModelColumn() throws IOException {
        List<String> lines = Files.readAllLines(labelled);
        List<String> coded = new ArrayList<>();
        coded.add(lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            coded.add(l.replace("setosa", "1").replace("versicolor", "2").replace("virginica", "3"));
        }
        Path file = dir.resolve("coded.csv");
        Files.write(file, coded);
        CliTest.Run r = emkit("fit", file.toString(), "--labels-column", "species", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("n_features").asInt()).isEqualTo(4);
        assertThat(j.get("log_likelihood").asDouble()).isCloseTo(-188.4827, within(1e-3));
        assertThat(j.get("component_classes").toString()).isEqualTo("[\"1\",\"2\",\"3\"]");
    }

    @Test
    void badInputIsOneLineNamingTheClassOrOptionWithExitCode2() {
        String[][] cases = {
                {"-k", "2"},
                {"--columns", "sepal_length,species"},
                {"--components-per-class", "2", "-k", "5"},
        };
        String[] expected = {
                "emkit: class 'virginica' has labelled rows but no component to take it",
                "emkit: --labels-column 'species' is also in --columns; the labels are not a model column",
                "emkit: 5 components cannot be shared 2 per class",
        };
        for (int c = 0; c < 3; c++) {
            List<String> args = new ArrayList<>(List.of("fit", labelled.toString(), "--labels-column", "species"));
            args.addAll(List.of(cases[c]));
            CliTest.Run r = emkit(args.toArray(new String[0]));
            assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith(expected[c]).doesNotContain("Exception");
        }
        // Two labelled rows of one class, too few for its own VVV covariance (D + 1 = 5).
        List<String> two = new ArrayList<>();
        two.add("x1,x2,x3,x4,species");
        for (int i = 0; i < 60; i++) {
            two.add(String.format(java.util.Locale.ROOT, "%d,%d,%d,%d,%s", i % 7, i % 5, i % 11, i % 3,
                    i < 2 ? "rare" : i < 12 ? "common" : ""));
        }
        Path file = dir.resolve("two.csv");
        try {
            Files.write(file, two);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliTest.Run r = emkit("fit", file.toString(), "--labels-column", "species");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("emkit: class 'rare': 2 usable labelled rows").contains("at least 5 per class");
        CliTest.Run noK = emkit("fit", iris.toString());
        assertThat(noK.status()).isEqualTo(2);
        assertThat(noK.err()).contains("Missing required option: '--components=K'");
    }
}
