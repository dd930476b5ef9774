package io.emkit.cli;

import io.emkit.cli.pictures.PictureSize;
import io.emkit.cli.plot.MixturePlots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/** emkit plot, emkit report and fit --plot/--plot-trace/--report end to end. */
class PlotCliTest {
    @TempDir
    Path dir;
    Path faithful;
    Path iris;

    @BeforeEach
    void copyExamples() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
        iris = CliTest.copyExample(dir, "iris.csv");
    }

    static int coloured(BufferedImage image, int component) {
        return io.emkit.cli.plot.MixturePlotsTestAccess.pixelsOf(image, MixturePlots.color(component));
    }

    @Test
    void fitWritesPlotTraceAndReport() throws IOException {
        Path model = dir.resolve("m.json");
        Path plot = dir.resolve("fit.png");
        Path trace = dir.resolve("trace.svg");
        Path report = dir.resolve("report.html");
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--n-init", "3", "--model-out", model.toString(),
                "--plot", plot.toString(), "--plot-trace", trace.toString(), "--report", report.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("plot saved to " + plot, "convergence plot saved to " + trace, "report saved to " + report);
        BufferedImage image = ImageIO.read(plot.toFile());
        assertThat(image.getWidth()).isEqualTo(PictureSize.WIDTH);
        assertThat(image.getHeight()).isEqualTo(PictureSize.HEIGHT);
        assertThat(coloured(image, 0)).isGreaterThan(20);
        assertThat(coloured(image, 1)).isGreaterThan(20);
        String svg = Files.readString(trace);
        assertThat(svg).contains("<svg", "rgb(31,119,180)", "rgb(44,160,44)"); // the lines of initialisations 1 and 3
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("id=\"parameter-table\"", "id=\"plot-data\"", "id=\"plot-convergence\"",
                "id=\"cluster-sizes\"", "id=\"options\"", "--n-init", "-1130.2", "BIC", "AIC", "eruptions", "waiting");
        assertSelfContained(html);
    }

    static void assertSelfContained(String html) {
        assertThat(html).doesNotContain("src=\"http", "href=\"http", "url(http", "url(\"http", "url('http", "@import", "<link", "<script");
    }

    @Test
    void plotCommandDrawsEveryKindAtTheAskedSize() throws IOException {
        Path model = dir.resolve("iris.json");
        assertThat(emkit("fit", iris.toString(), "-k", "3", "--model-out", model.toString(), "-q").status()).isZero();
        for (String[] args : new String[][] {{}, {"--dims", "petal_length,petal_width"}, {"--dims", "3"}}) {
            Path png = dir.resolve("iris" + args.length + (args.length > 0 ? args[1].length() : 0) + ".png");
            String[] cmd = new String[] {"plot", "--model", model.toString(), iris.toString(), "--out", png.toString(),
                    "--width", "640", "--height", "480"};
            String[] all = java.util.Arrays.copyOf(cmd, cmd.length + args.length);
            System.arraycopy(args, 0, all, cmd.length, args.length);
            CliTest.Run r = emkit(all);
            assertThat(r.status()).as(r.err()).isZero();
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(480);
            for (int c = 0; c < 3; c++) {
                assertThat(coloured(image, c)).as("component %d in %s", c + 1, png).isGreaterThan(20);
            }
        }
        Path svg = dir.resolve("iris.svg");
        assertThat(emkit("plot", "--model", model.toString(), iris.toString(), "--out", svg.toString()).status()).isZero();
        assertThat(Files.readString(svg)).contains("<svg");
        Path pdf = dir.resolve("iris.pdf");
        assertThat(emkit("plot", "--model", model.toString(), iris.toString(), "--out", pdf.toString()).status()).isZero();
        assertThat(Files.readString(pdf, StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
    }

    @Test
    void reportCommandWritesTheParametersWithoutAFit() throws IOException {
        Path model = dir.resolve("m.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "--model-out", model.toString(), "-q").status()).isZero();
        Path report = dir.resolve("r.html");
        CliTest.Run r = emkit("report", "--model", model.toString(), faithful.toString(), "--out", report.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String html = Files.readString(report);
        assertThat(html).contains("id=\"parameter-table\"", "id=\"plot-data\"", "-1130.2", "272 rows")
                .doesNotContain("id=\"plot-convergence\"");
        assertSelfContained(html);
    }

    @Test
    void hmmDecodeDrawsTheStates() throws IOException {
        Path hmm = CliTest.copyExample(dir, "hmm-two-regimes.json");
        Path walk = dir.resolve("walk.csv");
        assertThat(emkit("hmm", "sample", "--model", hmm.toString(), "--length", "200", "--sequences", "2", "--seed", "1",
                "--out", walk.toString()).status()).isZero();
        Path png = dir.resolve("states.png");
        CliTest.Run r = emkit("hmm", "decode", "--model", hmm.toString(), walk.toString(), "--sequence-column", "sequence",
                "--plot", png.toString(), "--out", dir.resolve("states.csv").toString());
        assertThat(r.status()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(PictureSize.WIDTH);
        assertThat(coloured(image, 0)).isGreaterThan(20);
        assertThat(coloured(image, 1)).isGreaterThan(20);
        CliTest.Run bad = emkit("hmm", "decode", "--model", hmm.toString(), walk.toString(), "--plot", dir.resolve("s.bmp").toString());
        assertThat(bad.status()).isEqualTo(2);
    }

    @Test
    void badRequestsStopWithAUsageErrorAndWriteNothing() throws IOException {
        Path model = dir.resolve("m.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "--model-out", model.toString(), "-q").status()).isZero();
        CliTest.Run gif = emkit("plot", "--model", model.toString(), faithful.toString(), "--out", dir.resolve("x.gif").toString());
        assertThat(gif.status()).isEqualTo(2);
        assertThat(gif.err()).contains("x.gif", ".png, .svg or .pdf");
        CliTest.Run dims = emkit("plot", "--model", model.toString(), faithful.toString(), "--out",
                dir.resolve("x.png").toString(), "--dims", "nope");
        assertThat(dims.status()).isEqualTo(2);
        assertThat(dims.err()).contains("no column 'nope'", "eruptions, waiting");
        assertThat(dir.resolve("x.png")).doesNotExist();
        CliTest.Run over = emkit("fit", faithful.toString(), "-k", "2", "--plot", faithful.toString().replace(".csv", ".png"),
                "--report", faithful.toString());
        assertThat(over.status()).isEqualTo(2);
        assertThat(over.err()).contains("--report", "is also an input");
        CliTest.Run badExt = emkit("fit", faithful.toString(), "-k", "2", "--plot-trace", dir.resolve("t.jpg").toString());
        assertThat(badExt.status()).isEqualTo(2);
        CliTest.Run tiny = emkit("plot", "--model", model.toString(), faithful.toString(), "--out",
                dir.resolve("x.png").toString(), "--width", "99");
        assertThat(tiny.status()).isEqualTo(2);
        assertThat(tiny.err()).contains("--width and --height", "99x650");
        CliTest.Run hugeFit = emkit("fit", faithful.toString(), "-k", "2", "--plot", dir.resolve("f.png").toString(),
                "--height", "20001");
        assertThat(hugeFit.status()).isEqualTo(2);
        assertThat(hugeFit.err()).contains("--width and --height");
        CliTest.Run selectGif = emkit("select", faithful.toString(), "--components", "1-2", "--plot",
                dir.resolve("s.gif").toString());
        assertThat(selectGif.status()).as("refused before any fit").isEqualTo(2);
        assertThat(selectGif.err()).contains("s.gif");
        assertThat(dir.resolve("x.png")).doesNotExist();
        assertThat(dir.resolve("f.png")).doesNotExist();
    }

    static void assertPicture(Path png, int width, int height, int components) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).as("width of " + png).isEqualTo(width);
        assertThat(image.getHeight()).as("height of " + png).isEqualTo(height);
        for (int c = 0; c < components; c++) {
            assertThat(coloured(image, c)).as("component %d in %s", c + 1, png).isGreaterThan(20);
        }
    }

    @Test
    void kmeansDrawsItsClustersEverywhereAPictureIsMade() throws IOException {
        Path model = dir.resolve("k.json");
        Path plot = dir.resolve("k.png");
        Path trace = dir.resolve("k-trace.png");
        Path report = dir.resolve("k.html");
        CliTest.Run r = emkit("kmeans", iris.toString(), "--clusters", "3", "--n-init", "3", "--model-out", model.toString(),
                "--plot", plot.toString(), "--plot-trace", trace.toString(), "--report", report.toString(),
                "--width", "720", "--height", "540");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("plot saved to " + plot, "convergence plot saved to " + trace, "report saved to " + report);
        assertPicture(plot, 720, 540, 3);
        assertPicture(trace, 720, 540, 3);
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("<h1>k-means", "id=\"parameter-table\"", "centroid petal_width", "id=\"plot-data\"",
                "id=\"plot-convergence\"", "inertia", "id=\"cluster-sizes\"", "--components")
                .doesNotContain("BIC");
        assertSelfContained(html);
        for (String[] dims : new String[][] {{}, {"--dims", "petal_length,petal_width"}, {"--dims", "3"}}) {
            Path png = dir.resolve("kp" + dims.length + ".png");
            List<String> cmd = new ArrayList<>(List.of("plot", "--model", model.toString(), iris.toString(), "--out",
                    png.toString(), "--width", "640", "--height", "480"));
            cmd.addAll(List.of(dims));
            CliTest.Run p = emkit(cmd.toArray(new String[0]));
            assertThat(p.status()).as(p.err()).isZero();
            assertPicture(png, 640, 480, 3);
        }
        Path page = dir.resolve("kr.html");
        CliTest.Run rep = emkit("report", "--model", model.toString(), iris.toString(), "--out", page.toString());
        assertThat(rep.status()).as(rep.err()).isZero();
        assertThat(Files.readString(page)).contains("inertia", "centroid sepal_length").doesNotContain("id=\"plot-convergence\"");
    }

    @Test
    void mixturesOfIndependentColumnsDrawAPanelPerColumn() throws IOException {
        Path beans = CliTest.copyExample(dir, "jelly-beans.csv");
        Path model = dir.resolve("beans.json");
        Path plot = dir.resolve("beans.svg");
        Path report = dir.resolve("beans.html");
        CliTest.Run r = emkit("fit", beans.toString(), "-k", "2", "--family", "auto", "--family", "sugar_crystals=poisson",
                "--n-init", "3", "--model-out", model.toString(), "--plot", plot.toString(), "--report", report.toString(),
                "--width", "800", "--height", "600");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(plot)).contains("<svg", "rgb(31,119,180)", "rgb(214,39,40)");
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("<h1>Mixture of independent columns", "colour P(green)", "sugar_crystals rate (mean count)",
                "categorical, 3 categories", "BIC", "id=\"plot-convergence\"", "--family");
        assertSelfContained(html);
        Path png = dir.resolve("beans.png");
        CliTest.Run p = emkit("plot", "--model", model.toString(), beans.toString(), "--out", png.toString(),
                "--width", "700", "--height", "500");
        assertThat(p.status()).as(p.err()).isZero();
        assertPicture(png, 700, 500, 2);
        Path one = dir.resolve("colour.png");
        CliTest.Run c = emkit("plot", "--model", model.toString(), beans.toString(), "--out", one.toString(), "--dims", "colour");
        assertThat(c.status()).as(c.err()).isZero();
        assertPicture(one, PictureSize.WIDTH, PictureSize.HEIGHT, 2);
    }

    @Test
    void everyPictureOptionTakesTheSize() throws IOException {
        Path trace = dir.resolve("t.png");
        Path plot = dir.resolve("p.png");
        CliTest.Run fit = emkit("fit", faithful.toString(), "-k", "2", "--n-init", "2", "--plot", plot.toString(),
                "--plot-trace", trace.toString(), "--width", "500", "--height", "300", "-q");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertPicture(plot, 500, 300, 2);
        assertPicture(trace, 500, 300, 2);
        Path select = dir.resolve("s.png");
        CliTest.Run sel = emkit("select", faithful.toString(), "--components", "1-3", "--covariance", "VVV,EEE",
                "--plot", select.toString(), "--width", "640", "--height", "360");
        assertThat(sel.status()).as(sel.err()).isZero();
        BufferedImage bic = ImageIO.read(select.toFile());
        assertThat(bic.getWidth()).isEqualTo(640);
        assertThat(bic.getHeight()).isEqualTo(360);
        // Each structure in its own colour, by its place in mclust's order.
        for (String t : new String[] {"VVV", "EEE"}) {
            int at = io.emkit.gaussian.covariance.CovarianceType.all().indexOf(io.emkit.gaussian.covariance.CovarianceType.parse(t));
            assertThat(coloured(bic, at)).as(t).isGreaterThan(20);
        }
        Path hmm = CliTest.copyExample(dir, "hmm-two-regimes.json");
        Path walk = dir.resolve("walk.csv");
        assertThat(emkit("hmm", "sample", "--model", hmm.toString(), "--length", "200", "--seed", "1",
                "--out", walk.toString()).status()).isZero();
        Path states = dir.resolve("states.png");
        CliTest.Run dec = emkit("hmm", "decode", "--model", hmm.toString(), walk.toString(), "--plot", states.toString(),
                "--width", "1000", "--height", "400", "--out", dir.resolve("states.csv").toString());
        assertThat(dec.status()).as(dec.err()).isZero();
        assertPicture(states, 1000, 400, 2);
    }
}
