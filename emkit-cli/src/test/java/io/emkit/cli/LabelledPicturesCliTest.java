package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pictures of a model that knows its components' classes (issue #17): every legend names a component's class
 * beside its number ("component 1 (setosa)", "state 1 (calm)"), as the report's tables do, in {@code plot}, {@code
 * fit --labels-column --plot}, {@code report} and the hidden Markov model's pictures; a model without classes keeps
 * "component 1". Each picture is read as SVG with an XML parser.
 */
class LabelledPicturesCliTest {
    private static final String COLUMNS = "sepal_length,sepal_width,petal_length,petal_width";

    @TempDir
    Path dir;
    Path iris;
    /** Iris with the species of the first five rows of each species, the others blank. */
    Path labelled;

    @BeforeEach
    void firstFivePerSpeciesLabelled() throws IOException {
        iris = CliTest.copyExample(dir, "iris.csv");
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

    /** The texts of an SVG picture that begin with {@code word} and a space (its legend entries), in order. */
    static List<String> entries(String svg, String word) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        NodeList texts = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))
                .getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            String text = ((Element) texts.item(i)).getTextContent().trim();
            if (text.startsWith(word + " ")) {
                out.add(text);
            }
        }
        return out;
    }

    /** The inline SVG pictures of a report, by the id of the figure that holds each. */
    static Map<String, String> reportPictures(Path html) throws IOException {
        Matcher m = Pattern.compile("<figure id=\"([^\"]+)\">\\s*(<svg.*?</svg>)", Pattern.DOTALL)
                .matcher(Files.readString(html));
        Map<String, String> out = new LinkedHashMap<>();
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static List<String> named(String what, List<String> classes, String suffix) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            out.add(what + " " + (c + 1) + (classes.get(c) == null ? "" : " (" + classes.get(c) + ")") + suffix);
        }
        return out;
    }

    private static List<String> classesOf(Path model) throws IOException {
        List<String> out = new ArrayList<>();
        new ObjectMapper().readTree(model.toFile()).get("component_classes").forEach(c -> out.add(c.asText()));
        return out;
    }

    @Test
    void everyPictureOfALabelledGaussianMixtureNamesEachComponentsClass() throws Exception {
        Path model = dir.resolve("ssc.json");
        Path fitPlot = dir.resolve("fit.svg");
        CliTest.Run fit = emkit("fit", labelled.toString(), "--labels-column", "species", "--model-out",
                model.toString(), "--plot", fitPlot.toString(), "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        List<String> classes = classesOf(model);
        assertThat(classes).containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
        // The legend's order is the components': the component named setosa is the one with the shortest petals
        // (setosa's petals are 1 to 1.9 cm, the others' 3 cm and more).
        JsonNode means = new ObjectMapper().readTree(model.toFile()).get("means");
        int shortest = 0;
        for (int c = 1; c < means.size(); c++) {
            shortest = means.get(c).get(2).asDouble() < means.get(shortest).get(2).asDouble() ? c : shortest;
        }
        assertThat(classes.get(shortest)).isEqualTo("setosa");
        List<String> expected = named("component", classes, "");

        assertThat(entries(Files.readString(fitPlot), "component")).as("fit --plot").isEqualTo(expected);
        String[][] plots = {
            {"classification matrix", "--what", "classification"},
            {"two columns", "--dims", "petal_length,petal_width"},
            {"one column", "--dims", "petal_length"},
            {"density over one column", "--what", "density", "--dims", "petal_width"},
        };
        for (String[] p : plots) {
            Path svg = dir.resolve("plot.svg");
            List<String> args = new ArrayList<>(List.of("plot", "--model", model.toString(), iris.toString(), "-o",
                    svg.toString()));
            args.addAll(List.of(p).subList(1, p.length));
            CliTest.Run r = emkit(args.toArray(new String[0]));
            assertThat(r.status()).as(p[0] + ": " + r.err()).isZero();
            assertThat(entries(Files.readString(svg), "component")).as(p[0]).isEqualTo(expected);
        }
        Path uncertainty = dir.resolve("u.svg");
        CliTest.Run u = emkit("plot", "--model", model.toString(), iris.toString(), "-o", uncertainty.toString(),
                "--what", "uncertainty");
        assertThat(u.status()).as(u.err()).isZero();
        assertThat(entries(Files.readString(uncertainty), "component")).isEqualTo(named("component", classes,
                " (1σ ellipse)"));

        Path html = dir.resolve("r.html");
        CliTest.Run report = emkit("report", "--model", model.toString(), iris.toString(), "--out", html.toString());
        assertThat(report.status()).as(report.err()).isZero();
        Map<String, String> pictures = reportPictures(html);
        assertThat(entries(pictures.get("plot-data"), "component")).isEqualTo(expected);
        assertThat(entries(pictures.get("plot-uncertainty"), "component"))
                .isEqualTo(named("component", classes, " (1σ ellipse)"));
    }

    @Test
    void aModelWithoutClassesKeepsItsNumberedComponents() throws Exception {
        Path model = dir.resolve("m.json");
        Path plot = dir.resolve("p.svg");
        Path html = dir.resolve("r.html");
        CliTest.Run fit = emkit("fit", iris.toString(), "--columns", COLUMNS, "-k", "3", "--model-out",
                model.toString(), "--plot", plot.toString(), "--report", html.toString(), "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        List<String> plain = named("component", java.util.Arrays.asList(null, null, null), "");
        assertThat(entries(Files.readString(plot), "component")).isEqualTo(plain);
        Map<String, String> pictures = reportPictures(html);
        assertThat(entries(pictures.get("plot-data"), "component")).isEqualTo(plain);
        assertThat(entries(pictures.get("plot-uncertainty"), "component")).isEqualTo(
                named("component", java.util.Arrays.asList(null, null, null), " (1σ ellipse)"));
    }

    @Test
    void aLabelledMixtureOfCategoricalColumnsAndALabelledHmmNameTheirClasses() throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        List<String> rows = new ArrayList<>(List.of("colour,size,kind"));
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 200; i++) {
            boolean a = random.nextDouble() < 0.4;
            double v = random.nextDouble();
            String colour = colours[a ? (v < 0.7 ? 0 : v < 0.9 ? 1 : 2) : (v < 0.1 ? 0 : v < 0.4 ? 1 : 2)];
            String size = random.nextDouble() < (a ? 0.8 : 0.3) ? "S" : "L";
            rows.add(colour + "," + size + "," + (i < 20 ? (a ? "a" : "b") : ""));
        }
        Path categorical = Files.write(dir.resolve("categorical.csv"), rows);
        Path model = dir.resolve("cat.json");
        Path fitPlot = dir.resolve("cat-fit.svg");
        CliTest.Run fit = emkit("fit", categorical.toString(), "--family", "categorical", "--labels-column", "kind",
                "--model-out", model.toString(), "--plot", fitPlot.toString(), "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        List<String> classes = classesOf(model);
        assertThat(classes).containsExactlyInAnyOrder("a", "b");
        assertThat(entries(Files.readString(fitPlot), "component")).isEqualTo(named("component", classes, ""));
        Path plot = dir.resolve("cat.svg");
        CliTest.Run p = emkit("plot", "--model", model.toString(), categorical.toString(), "-o", plot.toString());
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(entries(Files.readString(plot), "component")).isEqualTo(named("component", classes, ""));

        List<String> steps = new ArrayList<>(List.of("seq,x,regime"));
        for (int q = 0; q < 2; q++) {
            int s = 0;
            for (int t = 0; t < 60; t++) {
                if (t > 0 && random.nextDouble() < 0.1) {
                    s = 1 - s;
                }
                String regime = s == 0 ? "calm" : "rough";
                steps.add("s" + q + "," + ((s == 0 ? -1.0 : 1.5) + random.nextGaussian()) + ","
                        + (t % 10 == 0 ? regime : ""));
            }
        }
        Path sequences = Files.write(dir.resolve("sequences.csv"), steps);
        Path hmm = dir.resolve("hmm.json");
        Path hmmPlot = dir.resolve("hmm.svg");
        Path hmmReport = dir.resolve("hmm.html");
        CliTest.Run h = emkit("hmm", "fit", sequences.toString(), "--sequence-column", "seq", "--labels-column",
                "regime", "-k", "2", "--model-out", hmm.toString(), "--plot", hmmPlot.toString(), "--report",
                hmmReport.toString(), "-q");
        assertThat(h.status()).as(h.err()).isZero();
        List<String> states = new ArrayList<>();
        new ObjectMapper().readTree(hmm.toFile()).get("component_classes").forEach(c -> states.add(c.asText()));
        assertThat(states).containsExactlyInAnyOrder("calm", "rough");
        // One panel of the series and one of the posteriors, each with its legend of the states.
        List<String> twice = new ArrayList<>(named("state", states, ""));
        twice.addAll(named("state", states, ""));
        assertThat(entries(Files.readString(hmmPlot), "state")).isEqualTo(twice);
        String decoding = reportPictures(hmmReport).values().stream().filter(svg -> svg.contains("Viterbi states"))
                .findFirst().orElseThrow();
        assertThat(entries(decoding, "state")).isEqualTo(twice);
        Path decodePlot = dir.resolve("decode.svg");
        CliTest.Run d = emkit("hmm", "decode", "--model", hmm.toString(), sequences.toString(), "--sequence-column",
                "seq", "--plot", decodePlot.toString());
        assertThat(d.status()).as(d.err()).isZero();
        assertThat(entries(Files.readString(decodePlot), "state")).isEqualTo(twice);
    }
}
