package io.emkit.cli;

import io.emkit.cli.plot.PlotKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pictures end to end: a small report whose words are text, the uncertainty and density pictures from both
 * {@code emkit plot --what} and {@code fit --plot-what}, and data with missing values drawn and counted.
 */
class PicturesCliTest {
    private static final String COLUMNS = "sepal_length,sepal_width,petal_length,petal_width";

    @TempDir
    Path dir;
    Path iris;
    Path gaps;

    @BeforeEach
    void copyExamples() throws IOException {
        iris = CliTest.copyExample(dir, "iris.csv");
        gaps = CliTest.copyExample(dir, "iris-gaps.csv");
    }

    @Test
    void theIrisReportIsSmallAndItsWordsAreText() throws IOException {
        Path report = dir.resolve("r.html");
        CliTest.Run r = emkit("fit", iris.toString(), "--columns", COLUMNS, "-k", "3", "--covariance", "VEV",
                "--report", report.toString(), "-q");
        assertThat(r.status()).as(r.err()).isZero();
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(Files.size(report)).isLessThan(300_000);
        assertThat(html).contains("id=\"plot-data\"", "id=\"plot-uncertainty\"", "id=\"plot-density\"");
        // The pictures' words are searchable: titles, axis names, legends and ticks as <text>.
        // (A long title is wrapped over consecutive text elements.)
        assertThat(html.replaceAll("</text>\\s*<text[^>]*>", " ")).contains("Gaussian mixture VEV, 3 components</text>");
        assertThat(html).containsPattern("<text[^>]*>petal_width</text>")
                .containsPattern("<text[^>]*>uncertainty &lt; 0.1</text>")
                .containsPattern("<text[^>]*>encloses 90% of rows</text>")
                .containsPattern("<text[^>]*>log-likelihood</text>");
        // No glyph outlines (curves) among the paths, and no clip paths at all.
        Matcher paths = Pattern.compile("<path d=\"([^\"]*)\"").matcher(html);
        int count = 0;
        while (paths.find()) {
            count++;
            assertThat(paths.group(1)).doesNotContain("C", "Q");
        }
        assertThat(count).isPositive();
        assertThat(html).doesNotContain("<clipPath");
        PlotCliTest.assertSelfContained(html);
    }

    /**
     * The labels along the bottom of an SVG picture (the texts that are numbers, lowest on the page), read with an
     * XML parser.
     */
    private static java.util.List<String> bottomTicks(String svg) throws Exception {
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        org.w3c.dom.NodeList texts = f.newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))
                .getElementsByTagName("text");
        java.util.Map<String, Double> numbers = new java.util.LinkedHashMap<>();
        java.util.List<String> ticks = new java.util.ArrayList<>();
        double bottom = Double.NEGATIVE_INFINITY;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < texts.getLength(); i++) {
                org.w3c.dom.Element e = (org.w3c.dom.Element) texts.item(i);
                String word = e.getTextContent().trim();
                if (!word.matches("-?[0-9.]+")) {
                    continue;
                }
                double y = Double.parseDouble(e.getAttribute("y"));
                if (pass == 0) {
                    bottom = Math.max(bottom, y);
                } else if (y > bottom - 1) {
                    ticks.add(word);
                }
            }
        }
        return ticks;
    }

    @Test
    void aTwoIterationFitsTracesAreMarkedInWholeIterations() throws Exception {
        Path trace = dir.resolve("trace.svg");
        CliTest.Run fit = emkit("fit", iris.toString(), "--columns", COLUMNS, "-k", "3", "--max-iter", "2", "--tol",
                "0", "--plot-trace", trace.toString(), "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(bottomTicks(Files.readString(trace))).containsExactly("0", "1", "2");

        // The hidden Markov model's report draws the same trace inside its page.
        Path report = dir.resolve("hmm.html");
        CliTest.Run hmm = emkit("hmm", "fit", iris.toString(), "--columns", "petal_length", "-k", "2", "--max-iter",
                "2", "--tol", "0", "--n-init", "1", "--report", report.toString(), "-q");
        assertThat(hmm.status()).as(hmm.err()).isZero();
        Matcher svgs = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(Files.readString(report));
        String convergence = null;
        while (svgs.find()) {
            if (svgs.group().contains(">Convergence</text>")) {
                convergence = svgs.group();
            }
        }
        assertThat(convergence).as("the report's convergence picture").isNotNull();
        assertThat(bottomTicks(convergence)).containsExactly("0", "1", "2");
    }

    @Test
    void plotDrawsEveryPictureFitPlotDraws() throws IOException {
        Path model = dir.resolve("m.json");
        for (PlotKind kind : PlotKind.values()) {
            Path fromFit = dir.resolve("fit-" + kind.label() + ".svg");
            CliTest.Run fit = emkit("fit", gaps.toString(), "--columns", COLUMNS, "-k", "3", "--model-out", model.toString(),
                    "--plot", fromFit.toString(), "--plot-what", kind.label(), "-q");
            assertThat(fit.status()).as(kind + ": " + fit.err()).isZero();
            Path fromPlot = dir.resolve("plot-" + kind.label() + ".svg");
            // The same data, missing cells and all.
            CliTest.Run plot = emkit("plot", "--model", model.toString(), gaps.toString(), "--columns", COLUMNS,
                    "--what", kind.label(), "-o", fromPlot.toString());
            assertThat(plot.status()).as(kind + ": " + plot.err()).isZero();
            assertThat(plot.err()).contains("complete rows of 150");
            assertThat(Files.readString(fromPlot)).isEqualTo(Files.readString(fromFit));
        }
        CliTest.Run bad = emkit("plot", "--model", model.toString(), iris.toString(), "--columns", COLUMNS,
                "--what", "contour", "-o", dir.resolve("x.svg").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown picture 'contour'", "classification, uncertainty, density");
    }

    @Test
    void aReportOfDataWithGapsCountsEveryRow() throws IOException {
        Path model = dir.resolve("m.json");
        Path fromFit = dir.resolve("fit.html");
        CliTest.Run fit = emkit("fit", gaps.toString(), "--columns", COLUMNS, "-k", "3", "--model-out", model.toString(),
                "--report", fromFit.toString(), "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        Path fromReport = dir.resolve("report.html");
        CliTest.Run report = emkit("report", "--model", model.toString(), gaps.toString(), "--columns", COLUMNS,
                "-o", fromReport.toString());
        assertThat(report.status()).as(report.err()).isZero();
        for (Path p : new Path[] {fromFit, fromReport}) {
            String html = Files.readString(p, StandardCharsets.UTF_8);
            String table = html.substring(html.indexOf("id=\"cluster-sizes\""), html.indexOf("</table>", html.indexOf("id=\"cluster-sizes\"")));
            Matcher rows = Pattern.compile("</span>[0-9]+</td><td>([0-9]+)</td>").matcher(table);
            long sum = 0;
            int clusters = 0;
            while (rows.find()) {
                sum += Long.parseLong(rows.group(1));
                clusters++;
            }
            assertThat(clusters).isEqualTo(3);
            assertThat(sum).as(p.toString()).isEqualTo(150);
            long complete = Files.readAllLines(gaps).stream().skip(1).filter(l -> !l.matches("(.*,,.*)|(^,.*)")).count();
            assertThat(complete).isLessThan(150);
            assertThat(html).contains("Drawn from the " + complete + " complete rows of 150.");
        }
    }
}
