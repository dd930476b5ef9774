package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Every picture renders, for 1, 2 and 5 columns, to PNG, SVG and PDF of the asked size, with the components' colours. */
class MixturePlotsTest {
    static final int K = 3;

    /** Three well separated Gaussian components in d dimensions, with correlated covariances. */
    static GaussianMixtureModel model(int d) {
        double[][] means = new double[K][d];
        double[][][] covs = new double[K][d][d];
        for (int c = 0; c < K; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] = 6.0 * c + (j % 2 == 0 ? 0 : 2.0 * c);
                for (int l = 0; l < d; l++) {
                    covs[c][j][l] = j == l ? 1.0 + 0.3 * c : 0.4;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + (j + 1));
        }
        return GaussianMixtureModel.full(new double[] {0.5, 0.3, 0.2}, means, covs).withFeatureNames(names);
    }

    static Dataset data(GaussianMixtureModel m) {
        Dataset raw = m.sample(600, 7).data();
        return Dataset.of(raw.toArray(), m.featureNames());
    }

    static BufferedImage png(Figure f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.write(Figure.Format.PNG, out);
        return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    }

    /** How many pixels are within a small distance of a colour (anti-aliasing blurs edges, not centres). */
    static int pixelsOf(BufferedImage image, Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int dr = ((rgb >> 16) & 0xff) - color.getRed();
                int dg = ((rgb >> 8) & 0xff) - color.getGreen();
                int db = (rgb & 0xff) - color.getBlue();
                if (dr * dr + dg * dg + db * db <= 3 * 8 * 8) {
                    n++;
                }
            }
        }
        return n;
    }

    static void assertShowsComponents(BufferedImage image, int width, int height, int components) {
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        for (int c = 0; c < components; c++) {
            assertThat(pixelsOf(image, MixturePlots.color(c))).as("pixels of component %d's colour", c + 1)
                    .isGreaterThan(20);
        }
        assertThat(pixelsOf(image, Color.WHITE)).as("background").isLessThan(width * height);
    }

    static void assertSvg(Figure f, int width, int height, int components) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.write(Figure.Format.SVG, out);
        String svg = out.toString(StandardCharsets.UTF_8);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray())).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(Double.parseDouble(root.getAttribute("width").replaceAll("[a-z]+$", ""))).isEqualTo(width);
        assertThat(Double.parseDouble(root.getAttribute("height").replaceAll("[a-z]+$", ""))).isEqualTo(height);
        for (int c = 0; c < components; c++) {
            Color col = MixturePlots.color(c);
            String rgb = String.format(Locale.ROOT, "rgb(%d,%d,%d)", col.getRed(), col.getGreen(), col.getBlue());
            String hex = String.format(Locale.ROOT, "#%02x%02x%02x", col.getRed(), col.getGreen(), col.getBlue());
            assertThat(svg.contains(rgb) || svg.toLowerCase(Locale.ROOT).contains(hex))
                    .as("component %d's colour %s in the SVG", c + 1, rgb).isTrue();
        }
        assertThat(f.toInlineSvg("p-")).startsWith("<svg").doesNotContain("<!DOCTYPE").doesNotContain("url(#clip");
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {1, 2, 5})
    void dataPictureRendersToPngSvgAndPdfOfTheAskedSize(int d) throws Exception {
        GaussianMixtureModel m = model(d);
        Dataset data = data(m);
        Figure f = ModelPlots.of(m, data, null, 700, 520);
        assertThat(f.width()).isEqualTo(700);
        assertThat(f.height()).isEqualTo(520);
        assertShowsComponents(png(f), 700, 520, K);
        assertSvg(f, 700, 520, K);
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        f.write(Figure.Format.PDF, pdf);
        assertThat(new String(pdf.toByteArray(), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    }

    @ParameterizedTest(name = "{0} columns, --dims")
    @ValueSource(ints = {2, 5})
    void chosenColumnsRender(int d) throws Exception {
        GaussianMixtureModel m = model(d);
        Dataset data = data(m);
        assertShowsComponents(png(ModelPlots.of(m, data, new int[] {d - 1}, 500, 400)), 500, 400, K);
        assertShowsComponents(png(ModelPlots.of(m, data, new int[] {d - 1, 0}, 640, 480)), 640, 480, K);
    }

    @ParameterizedTest(name = "{0} initialisations")
    @ValueSource(ints = {1, 3})
    void convergencePictureRenders(int runs) throws Exception {
        List<double[]> traces = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            double[] t = new double[8 + r];
            for (int i = 0; i < t.length; i++) {
                t[i] = -1000 - 200.0 * (r + 1) / (i + 1);
            }
            traces.add(t);
        }
        Figure f = MixturePlots.trace(traces, 0, "log-likelihood", 600, 400);
        assertShowsComponents(png(f), 600, 400, runs);
        assertSvg(f, 600, 400, runs);
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {1, 2, 5})
    void uncertainRowsAreFainter(int d) {
        // All rows at the midpoint between two equal components: every row uncertain, drawn faint, still drawn.
        GaussianMixtureModel two = GaussianMixtureModel.full(new double[] {0.5, 0.5},
                new double[][] {new double[d], new double[d]}, new double[][][] {identity(d), identity(d)});
        Dataset data = data(model(d));
        BufferedImage image = ModelPlots.of(two, data, null, 400, 300).toImage();
        assertThat(image.getWidth()).isEqualTo(400);
    }

    static double[][] identity(int d) {
        double[][] m = new double[d][d];
        for (int j = 0; j < d; j++) {
            m[j][j] = 1;
        }
        return m;
    }
}
