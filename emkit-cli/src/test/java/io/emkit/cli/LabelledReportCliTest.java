package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.cli.plot.MixturePlots;
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

/**
 * {@code emkit fit --labels-column COL --report FILE --plot-trace FILE} (issue #17): semi-supervised EM's report names
 * each component's class and calls the objective what it is, the semi-supervised log-likelihood (not the
 * log-likelihood); the convergence picture draws the fit's own trace, which never goes down, under that name.
 */
class LabelledReportCliTest {
    private static final String OBJECTIVE = "semi-supervised log-likelihood";

    @TempDir
    Path dir;
    /** Iris with the species of the first five rows of each species, the others blank. */
    Path labelled;

    @BeforeEach
    void firstFivePerSpeciesLabelled() throws IOException {
        Path iris = CliTest.copyExample(dir, "iris.csv");
        List<String> lines = Files.readAllLines(iris);
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        Map<String, Integer> seen = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            int cut = line.lastIndexOf(',') + 1;
            int n = seen.merge(line.substring(cut), 1, Integer::sum);
            out.add(n <= 5 ? line : line.substring(0, cut));
        }
        labelled = Files.write(dir.resolve("iris-5.csv"), out);
    }

    @Test
    void theReportNamesTheClassesAndTheSemiSupervisedObjective() throws Exception {
        Path report = dir.resolve("ssc.html");
        Path model = dir.resolve("ssc.json");
        CliTest.Run fit = emkit("fit", labelled.toString(), "--labels-column", "species", "--report", report.toString(),
                "--model-out", model.toString());
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(fit.err()).contains("report saved to " + report);
        String html = Files.readString(report);
        List<String> classes = new ArrayList<>();
        new ObjectMapper().readTree(model.toFile()).get("component_classes").forEach(c -> classes.add(c.asText()));
        assertThat(classes).containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
        for (int c = 0; c < classes.size(); c++) {
            assertThat(html).contains((c + 1) + " (" + classes.get(c) + ")");
        }
        // The criteria table's first row is the objective, by its name, with the value the fit printed.
        JsonNode j = new ObjectMapper().readTree(emkit("fit", labelled.toString(), "--labels-column", "species",
                "--json").out());
        assertThat(j.get("objective").asText()).isEqualTo("semi_supervised_log_likelihood");
        assertThat(html).contains("<tr><td>" + OBJECTIVE + "</td>").doesNotContain("<tr><td>log-likelihood</td>")
                .contains("logL the " + OBJECTIVE).contains("Semi-supervised EM, converged after "
                        + j.get("n_iter").asInt() + " iteration");
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("<tr><td>" + OBJECTIVE
                + "</td><td[^>]*>([-0-9.eE]+)</td>").matcher(html);
        assertThat(shown.find()).as("the objective's row").isTrue();
        // The report shows 6 significant digits.
        assertThat(Double.parseDouble(shown.group(1))).isCloseTo(j.get("log_likelihood").asDouble(),
                org.assertj.core.api.Assertions.within(1e-5 * Math.abs(j.get("log_likelihood").asDouble())));
        // The convergence picture inside the report and the legends of the classification picture.
        Map<String, String> pictures = LabelledPicturesCliTest.reportPictures(report);
        assertThat(pictures.get("plot-convergence")).contains(OBJECTIVE);
        List<String> legend = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            legend.add("component " + (c + 1) + " (" + classes.get(c) + ")");
        }
        assertThat(LabelledPicturesCliTest.entries(pictures.get("plot-data"), "component")).isEqualTo(legend);
    }

    @Test
    void theTracePictureIsTheFitsTraceUnderTheObjectivesName() throws Exception {
        Path trace = dir.resolve("trace.svg");
        CliTest.Run fit = emkit("fit", labelled.toString(), "--labels-column", "species", "--plot-trace",
                trace.toString(), "--json");
        assertThat(fit.status()).as(fit.err()).isZero();
        JsonNode values = new ObjectMapper().readTree(fit.out()).get("log_likelihood_trace");
        double[] t = new double[values.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = values.get(i).asDouble();
        }
        assertThat(t.length).isGreaterThan(2);
        for (int i = 1; i < t.length; i++) {
            assertThat(t[i]).as("iteration %d", i).isGreaterThanOrEqualTo(t[i - 1] - 1e-9 * Math.abs(t[i - 1]));
        }
        // The picture is the one drawn from the trace the fit reported, with the objective's name on its axis.
        Path expected = dir.resolve("expected.svg");
        MixturePlots.trace(List.of(t), 0, OBJECTIVE, io.emkit.cli.pictures.PictureSize.WIDTH,
                io.emkit.cli.pictures.PictureSize.HEIGHT).write(expected);
        String svg = Files.readString(trace);
        assertThat(svg).contains(OBJECTIVE).isEqualTo(Files.readString(expected));
    }

    @Test
    void theFamiliesFitWithLabelsWritesItsReportToo() throws IOException {
        Path report = dir.resolve("family.html");
        CliTest.Run fit = emkit("fit", labelled.toString(), "--labels-column", "species", "--family",
                "gaussian", "--report", report.toString(), "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(Files.readString(report)).contains("<tr><td>" + OBJECTIVE + "</td>").contains("(setosa)");
    }
}
