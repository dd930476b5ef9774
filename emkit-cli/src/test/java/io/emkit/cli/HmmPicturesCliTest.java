package io.emkit.cli;

import io.emkit.cli.plot.MixturePlots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HMM pictures: {@code hmm decode --plot} (the time column on the x axis, a band per run of one decoded state
 * behind each of the first three columns, one stacked posterior area per state) and {@code hmm fit --plot} and
 * {@code --report}; SVG that parses, PNG of the size asked, and no file left behind by a run that fails.
 * The runs are counted from the states {@code hmm decode} writes, not from the picture's code.
 */
class HmmPicturesCliTest {
    private static final int STEPS = 200;
    /** The bands' fill opacity in the SVG: 60 of 255. */
    private static final String BAND_OPACITY = "fill-opacity:" + (60 / 255.0 + "").substring(0, 6);

    @TempDir
    Path dir;
    Path data;
    Path model;

    @BeforeEach
    void fitAModel() throws IOException {
        // Two states in runs of 10 to 40 steps, four columns, at times 100, 102.5, 105, ... (not the step number).
        Random r = new Random(11);
        StringBuilder b = new StringBuilder("t,x,y,z,w\n");
        int state = 0;
        int left = 25;
        for (int i = 0; i < STEPS; i++) {
            if (left-- == 0) {
                state = 1 - state;
                left = 10 + r.nextInt(30);
            }
            double m = 5 * state;
            b.append(100 + 2.5 * i).append(',').append(m + r.nextGaussian()).append(',').append(-m + r.nextGaussian())
                    .append(',').append(m + r.nextGaussian()).append(',').append(r.nextGaussian()).append('\n');
        }
        data = dir.resolve("steps.csv");
        Files.writeString(data, b);
        model = dir.resolve("m.json");
        CliTest.Run fit = emkit("hmm", "fit", data.toString(), "-k", "2", "--time-column", "t", "--model-out",
                model.toString(), "--quiet");
        assertThat(fit.status()).as(fit.err()).isZero();
    }

    /** Each state's number of runs on the decoded path, from hmm decode's CSV (in the file's order, here time order). */
    private int[] runs() {
        CliTest.Run decode = emkit("hmm", "decode", "--model", model.toString(), data.toString(), "--time-column", "t");
        assertThat(decode.status()).isZero();
        List<String> lines = decode.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("state");
        int[] runs = new int[2];
        int previous = -1;
        for (String line : lines.subList(1, lines.size())) {
            int s = Integer.parseInt(line.trim());
            if (s != previous) {
                runs[s]++;
            }
            previous = s;
        }
        assertThat(runs[0] + runs[1]).as("the data switch states").isGreaterThan(3);
        return runs;
    }

    private static Document svg(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> elements(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static String fill(int state) {
        Color c = MixturePlots.color(state);
        return "fill:rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ");";
    }

    /** The bands, series and posterior areas of a decoding picture, against the decoded runs. */
    private static void assertDecoding(Path file, int[] runs, boolean timeAxis) throws Exception {
        Document doc = svg(file);
        List<Element> paths = elements(doc, "path");
        for (int s = 0; s < 2; s++) {
            String fill = fill(s);
            long bands = paths.stream().filter(p -> p.getAttribute("style").startsWith(fill + BAND_OPACITY)).count();
            assertThat(bands).as("state %d: a band per run in each of the 3 column panels", s + 1).isEqualTo(3L * runs[s]);
            long areas = paths.stream().filter(p -> p.getAttribute("style").equals(fill + "stroke:none;")
                    && p.getAttribute("d").split(" L").length >= STEPS / 2).count();
            assertThat(areas).as("one posterior area per state").isEqualTo(1);
        }
        long series = paths.stream().filter(p -> p.getAttribute("style").startsWith("fill:none;stroke:rgb(0,0,0);")
                && p.getAttribute("d").split(" L").length >= STEPS / 2).count();
        assertThat(series).as("the first three of four columns, a line each").isEqualTo(3);
        List<String> texts = elements(doc, "text").stream().map(e -> e.getTextContent().trim()).toList();
        assertThat(texts).contains("x", "y", "z", "posterior probability").doesNotContain("w");
        assertThat(texts).contains(timeAxis ? "t" : "step");
        double largestTick = texts.stream().filter(t -> t.matches("-?\\d+(\\.\\d+)?")).mapToDouble(Double::parseDouble)
                .max().orElseThrow();
        // The times run from 100 to 597.5; the step numbers to 200.
        if (timeAxis) {
            assertThat(largestTick).isGreaterThan(500);
        } else {
            assertThat(largestTick).isLessThanOrEqualTo(STEPS);
        }
    }

    @Test
    void decodePlotDrawsABandPerDecodedRunOnTheTimeAxisAndThePosteriors() throws Exception {
        int[] runs = runs();
        Path svg = dir.resolve("decoding.svg");
        CliTest.Run r = emkit("hmm", "decode", "--model", model.toString(), data.toString(), "--time-column", "t",
                "--plot", svg.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst()).contains("state");          // the CSV without posteriors, as before
        assertThat(r.out()).doesNotContain("p0");
        assertDecoding(svg, runs, true);
        // Without a time column the steps are numbered; the file's order is its time order here, so the same runs.
        Path steps = dir.resolve("steps.svg");
        assertThat(emkit("hmm", "decode", "--model", model.toString(), data.toString(), "--columns", "x,y,z,w",
                "--plot", steps.toString()).status()).isZero();
        assertDecoding(steps, runs, false);
    }

    @Test
    void decodePlotAsPngHasTheSizeAsked() throws IOException {
        Path png = dir.resolve("decoding.png");
        CliTest.Run r = emkit("hmm", "decode", "--model", model.toString(), data.toString(), "--time-column", "t",
                "--plot", png.toString(), "--width", "640", "--height", "480");
        assertThat(r.status()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(480);
    }

    @Test
    void fitPlotAndReportDrawTheFittedModelsDecoding() throws Exception {
        int[] runs = runs();
        Path svg = dir.resolve("fit.svg");
        Path report = dir.resolve("fit.html");
        Path again = dir.resolve("again.json");
        // The same fit as the model's (same data, options and seed), now with the pictures.
        CliTest.Run r = emkit("hmm", "fit", data.toString(), "-k", "2", "--time-column", "t", "--plot", svg.toString(),
                "--report", report.toString(), "--model-out", again.toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(again).replaceAll("\"date\" *: *\"[^\"]*\"", "")
                .replaceAll("\"options\" *: *\\{[^}]*\\}", ""))
                .isEqualTo(Files.readString(model).replaceAll("\"date\" *: *\"[^\"]*\"", "")
                        .replaceAll("\"options\" *: *\\{[^}]*\\}", ""));
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());  // standard output is the JSON alone
        assertDecoding(svg, runs, true);
        String html = Files.readString(report);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("id=\"plot-convergence\"", "id=\"plot-decoding\"",
                "<td>--components</td><td>2</td>", "log-likelihood");
        double logLikelihood = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out())
                .get("log_likelihood").asDouble();
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.6g", logLikelihood));
        // The decoding inside the report is the picture's SVG.
        String inline = html.substring(html.indexOf("<svg", html.indexOf("id=\"plot-decoding\"")),
                html.indexOf("</svg>", html.indexOf("id=\"plot-decoding\"")) + 6);
        Path inner = dir.resolve("inner.svg");
        Files.writeString(inner, inline);
        assertDecoding(inner, runs, true);
    }

    @Test
    void aRunThatFailsLeavesNoPictureBehind() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, Files.readString(data).replaceFirst("\n102.5,[^,]*,", "\n102.5,,"));
        List<String> before = listing();
        CliTest.Run decode = emkit("hmm", "decode", "--model", model.toString(), bad.toString(), "--time-column", "t",
                "--plot", dir.resolve("d.svg").toString());
        assertThat(decode.status()).isEqualTo(2);
        assertThat(decode.err().lines().count()).isEqualTo(1);
        CliTest.Run fit = emkit("hmm", "fit", bad.toString(), "-k", "2", "--time-column", "t", "--plot",
                dir.resolve("f.png").toString(), "--report", dir.resolve("r.html").toString());
        assertThat(fit.status()).isEqualTo(2);
        CliTest.Run gif = emkit("hmm", "fit", data.toString(), "-k", "2", "--plot", dir.resolve("f.gif").toString());
        assertThat(gif.status()).isEqualTo(2);
        assertThat(gif.err()).contains(".png, .svg or .pdf");
        CliTest.Run semiMarkov = emkit("hmm", "fit", data.toString(), "-k", "2", "--duration", "poisson",
                "--report", dir.resolve("r.html").toString());
        assertThat(semiMarkov.status()).isEqualTo(2);
        assertThat(listing()).isEqualTo(before);
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
