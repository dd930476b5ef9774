package io.emkit.cli;

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
        faithful = copy("faithful.csv");
        iris = copy("iris.csv");
    }

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = PlotCliTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
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
        assertThat(image.getWidth()).isEqualTo(Pictures.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Pictures.HEIGHT);
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
        Path hmm = copy("hmm-two-regimes.json");
        Path walk = dir.resolve("walk.csv");
        assertThat(emkit("hmm", "sample", "--model", hmm.toString(), "--length", "200", "--sequences", "2", "--seed", "1",
                "--out", walk.toString()).status()).isZero();
        Path png = dir.resolve("states.png");
        CliTest.Run r = emkit("hmm", "decode", "--model", hmm.toString(), walk.toString(), "--sequence-column", "sequence",
                "--plot", png.toString(), "--out", dir.resolve("states.csv").toString());
        assertThat(r.status()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Pictures.WIDTH);
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
        CliTest.Run kmeans = emkit("kmeans", faithful.toString(), "--clusters", "2", "--model-out", dir.resolve("k.json").toString(), "-q");
        assertThat(kmeans.status()).isZero();
        CliTest.Run notGmm = emkit("plot", "--model", dir.resolve("k.json").toString(), faithful.toString(), "--out",
                dir.resolve("k.png").toString());
        assertThat(notGmm.status()).isEqualTo(2);
        assertThat(notGmm.err()).contains("Gaussian mixture");
    }
}
