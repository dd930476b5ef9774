package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.select.Candidate;
import io.emkit.select.Criterion;
import io.emkit.select.SelectionResult;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.BasicStroke;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pictures read without colour and without covering their data: legends away from the rows, a symbol and
 * dash per structure in the BIC plot, titles that name the structure, readable iteration ticks, words as SVG
 * text, and the uncertainty and density pictures with their legends and rug. Each checks the SVG or the chart
 * the picture is drawn from.
 */
class PicturesReadTest {
    static String svg(Figure f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.write(Figure.Format.SVG, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setValidating(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> all(Document d, String tag) {
        NodeList list = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }

    /** The text element whose words are exactly {@code words}. */
    static Element text(Document d, String words) {
        return all(d, "text").stream().filter(t -> t.getTextContent().trim().equals(words)).findFirst()
                .orElseThrow(() -> new AssertionError("no <text> '" + words + "'"));
    }

    /** The smallest rectangle that holds a point: the legend's box, when the point is a legend entry's text. */
    static double[] boxAround(Document d, double x, double y) {
        double[] best = null;
        for (Element r : all(d, "rect")) {
            double rx = num(r, "x");
            double ry = num(r, "y");
            double w = num(r, "width");
            double h = num(r, "height");
            if (x >= rx && x <= rx + w && y >= ry && y <= ry + h && (best == null || w * h < best[2] * best[3])) {
                best = new double[] {rx, ry, w, h};
            }
        }
        assertThat(best).as("a box around the legend").isNotNull();
        return best;
    }

    /**
     * No row's marker lies in the legend's box: the only circles there are the legend's own, one column of them
     * (all at one x), no more than its entries.
     */
    static void assertLegendCoversNoRow(String svg, String entry, int entries) throws Exception {
        Document d = parse(svg);
        Element label = text(d, entry);
        double[] box = boxAround(d, num(label, "x"), num(label, "y"));
        assertThat(box[2] * box[3]).as("the legend box, not the whole picture").isLessThan(0.25 * 900 * 650);
        Set<Double> xs = new HashSet<>();
        int inside = 0;
        List<Element> circles = all(d, "circle");
        assertThat(circles).as("rows drawn").hasSizeGreaterThan(100);
        for (Element c : circles) {
            double cx = num(c, "cx");
            double cy = num(c, "cy");
            double r = num(c, "r");
            if (cx + r >= box[0] && cx - r <= box[0] + box[2] && cy + r >= box[1] && cy - r <= box[1] + box[3]) {
                inside++;
                xs.add(cx);
            }
        }
        assertThat(inside).isLessThanOrEqualTo(entries);
        assertThat(xs).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void legendsStayOffTheRowsInEveryScatter() throws Exception {
        GaussianMixtureModel m = MixturePlotsTest.model(2);
        Dataset data = MixturePlotsTest.data(m);
        // The rows fill the top right corner, where the legend used to sit.
        assertLegendCoversNoRow(svg(ModelPlots.of(m, data, null, PlotKind.CLASSIFICATION, 900, 650)), "component 1", 12);
        GaussianMixtureModel o = overlapping();
        assertLegendCoversNoRow(svg(ModelPlots.of(o, MixturePlotsTest.data(o), null, PlotKind.UNCERTAINTY, 900, 650)),
                "component 1", 12);
    }

    @Test
    void theMatrixOfPairsHasItsLegendInTheEmptyCorner() throws Exception {
        GaussianMixtureModel m = MixturePlotsTest.model(4);
        Figure f = ModelPlots.of(m, MixturePlotsTest.data(m), null, PlotKind.CLASSIFICATION, 900, 650);
        assertThat(f.keys()).extracting(Figure.Key::label).contains("component 1", "component 2", "component 3", "mean");
        Document d = parse(svg(f));
        // 4 columns: a 3 × 3 grid of 300 × 216 cells; the legend in the bottom left one, which no panel fills.
        Element first = text(d, "component 1");
        assertThat(num(first, "x")).isLessThan(300);
        assertThat(num(first, "y")).isGreaterThan(2 * 216);
        assertThat(f.panels().get(6)).isNull();
        int inCell = 0;
        for (Element c : all(d, "circle")) {
            if (num(c, "cx") < 300 && num(c, "cy") > 2 * 216) {
                inCell++;
            }
        }
        // Only the legend's dots: one per component and the fainter one.
        assertThat(inCell).isEqualTo(MixturePlotsTest.K + 1);
        // The whole figure's title names the structure (wrapped to the cell: its words in order).
        StringBuilder words = new StringBuilder();
        for (Element t : all(d, "text")) {
            words.append(t.getTextContent().trim()).append(' ');
        }
        assertThat(words.toString()).contains("Gaussian mixture VVV (full), 3 components");
    }

    @Test
    void titlesNameTheStructureAndTheMeanIsThePlusTheCaptionSays() {
        GaussianMixtureModel m = MixturePlotsTest.model(2);
        XYChart c = (XYChart) ModelPlots.of(m, MixturePlotsTest.data(m), null, 900, 650).panels().get(0);
        assertThat(c.getTitle()).isEqualTo("Gaussian mixture VVV (full), 3 components");
        XYSeries means = c.getSeriesMap().get("means");
        assertThat(((Glyph) means.getMarker()).shape()).isEqualTo(Glyph.Shape.PLUS);
        Report r = new Report("d.csv", MixturePlotsTest.data(m), 600, m);
        assertThat(r.html()).contains("its mean (+)");
    }

    @Test
    void theBicPlotGivesEachStructureItsOwnSymbolAndDash() {
        List<Candidate> cands = new ArrayList<>();
        for (CovarianceType t : CovarianceType.all()) {
            for (int k = 1; k <= 3; k++) {
                double bic = 1000 + 10 * t.ordinal() - 5 * k;
                cands.add(new Candidate(k, t, -bic / 2, -bic / 2, 5, bic, bic, bic, null, null, List.of()));
            }
        }
        Figure f = SelectionPlot.of(new SelectionResult(cands, Criterion.BIC, 100, 100), 900, 650);
        XYChart chart = (XYChart) f.panels().get(0);
        Set<Glyph.Shape> shapes = new HashSet<>();
        Set<String> dashes = new HashSet<>();
        int lines = 0;
        for (XYSeries s : chart.getSeriesMap().values()) {
            if (s.getName().startsWith("chosen")) {
                continue;
            }
            lines++;
            shapes.add(((Glyph) s.getMarker()).shape());
            BasicStroke stroke = s.getLineStyle();
            dashes.add(Arrays.toString(stroke.getDashArray()));
        }
        assertThat(lines).isEqualTo(14);
        assertThat(shapes).hasSize(14);
        assertThat(dashes).hasSize(14);
        assertThat(chart.getStyler().getLegendPosition().name()).startsWith("Outside");
    }

    /** The labels along the bottom of a picture: the texts that are numbers, lowest on the page. */
    static List<String> bottomTicks(Document d) {
        List<String> ticks = new ArrayList<>();
        double bottom = 0;
        for (Element e : all(d, "text")) {
            if (e.getTextContent().trim().matches("-?[0-9.]+")) {
                bottom = Math.max(bottom, num(e, "y"));
            }
        }
        for (Element e : all(d, "text")) {
            if (e.getTextContent().trim().matches("-?[0-9.]+") && num(e, "y") > bottom - 1) {
                ticks.add(e.getTextContent().trim());
            }
        }
        return ticks;
    }

    @Test
    void manyIterationsGetFewWholeNumberTicks() throws Exception {
        double[] t = new double[3000];
        for (int i = 0; i < t.length; i++) {
            t[i] = -1000 + 500 * (1 - Math.exp(-i / 300.0));
        }
        List<String> ticks = bottomTicks(parse(svg(MixturePlots.trace(List.of(t), 0, "log-likelihood", 900, 433))));
        assertThat(ticks).hasSizeBetween(4, 16).allMatch(s -> s.matches("[0-9]+"));
        assertThat(ticks).contains("0", "1000", "2000");
    }

    /** A trace of {@code iterations} steps after the start, rising towards -500. */
    private static double[] rising(int iterations) {
        double[] t = new double[iterations + 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = -1000 + 500 * (1 - Math.exp(-i / 2.0));
        }
        return t;
    }

    @Test
    void fewIterationsGetWholeNumberTicks() throws Exception {
        // Every short length (XChart chose steps of 0.2 or 0.5 up to 7 iterations), alone and with starts of
        // other lengths in one picture (a start that converged early).
        List<List<double[]>> cases = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
            cases.add(List.of(rising(n)));
        }
        cases.add(List.of(rising(2), rising(5), rising(3)));
        cases.add(List.of(rising(1), rising(7)));
        cases.add(List.of(rising(4), rising(12)));
        for (List<double[]> traces : cases) {
            int longest = traces.stream().mapToInt(t -> t.length - 1).max().orElseThrow();
            List<String> ticks = bottomTicks(parse(svg(MixturePlots.trace(traces, 0, "log-likelihood", 900, 433))));
            assertThat(ticks).as("%d iterations", longest).hasSizeGreaterThanOrEqualTo(2)
                    .allMatch(s -> s.matches("[0-9]+")).contains("0").doesNotHaveDuplicates();
            assertThat(ticks.stream().mapToInt(Integer::parseInt).max().orElseThrow()).as("%d iterations", longest)
                    .isBetween(longest / 2, longest + 1);
        }
    }

    @Test
    void wordsAreSvgTextAndNothingIsClipped() throws Exception {
        GaussianMixtureModel m = MixturePlotsTest.model(3);
        String svg = svg(ModelPlots.of(m, MixturePlotsTest.data(m), null, 900, 650));
        Document d = parse(svg);
        String words = d.getDocumentElement().getTextContent();
        assertThat(words).contains("x1 vs x2", "x2", "component 1", "mean");
        assertThat(all(d, "text")).hasSizeGreaterThan(20);
        // Glyph outlines are curves; no path in the picture has any (the ellipses are polylines, the markers circles).
        for (Element p : all(d, "path")) {
            assertThat(p.getAttribute("d")).doesNotContain("C", "Q");
        }
        assertThat(all(d, "clipPath")).isEmpty();
        // All text in a face any browser has, named once; no text names another family.
        assertThat(d.getDocumentElement().getAttribute("font-family")).isEqualTo("sans-serif");
        for (Element t : all(d, "text")) {
            assertThat(t.getAttribute("style")).doesNotContain("font-family");
        }
        // The rows are circles, grouped under their style.
        assertThat(all(d, "circle")).hasSizeGreaterThan(100)
                .allMatch(c -> c.getAttribute("style").isEmpty() && ((Element) c.getParentNode()).getTagName().equals("g")
                        && !((Element) c.getParentNode()).getAttribute("style").isEmpty());
    }

    @Test
    void theWritersOutputIsTidiedLineByLine() {
        String in = """
                <?xml version="1.0"?>
                <svg height="10px" width="10px">
                  <ellipse cx="1" cy="2" rx="3" ry="3" style="fill:red;"/>
                  <ellipse cx="4" cy="5" rx="3" ry="3" style="fill:red;"/>
                  <ellipse cx="6" cy="7" rx="3" ry="2" style="fill:red;"/>
                  <ellipse cx="8" cy="9" rx="1" ry="1" style="fill:blue;"/>
                  <text style="font-family:&quot;DejaVu Sans&quot;;font-size:9px;">a b</text>
                </svg>
                """;
        assertThat(Figure.tidy(in)).isEqualTo("""
                <?xml version="1.0"?>
                <svg font-family="sans-serif" height="10px" width="10px">
                <g style="fill:red;">
                <circle cx="1" cy="2" r="3"/>
                <circle cx="4" cy="5" r="3"/>
                </g>
                <ellipse cx="6" cy="7" rx="3" ry="2" style="fill:red;"/>
                <g style="fill:blue;">
                <circle cx="8" cy="9" r="1"/>
                </g>
                <text style="font-family:sans-serif;font-size:9px;">a b</text>
                </svg>

                """);
    }

    /** Two components that overlap, so that rows of every class of uncertainty exist. */
    static GaussianMixtureModel overlapping() {
        return GaussianMixtureModel.full(new double[] {0.5, 0.5}, new double[][] {{0, 0}, {2.5, 1}},
                new double[][][] {{{1, 0.3}, {0.3, 1}}, {{1, 0}, {0, 1.5}}}).withFeatureNames(List.of("a", "b"));
    }

    @Test
    void theUncertaintyPictureSizesRowsByUncertaintyWithALegend() throws Exception {
        GaussianMixtureModel m = overlapping();
        Dataset data = MixturePlotsTest.data(m);
        double[] u = MixtureViews.uncertainty(m, data);
        Document d = parse(svg(ModelPlots.of(m, data, null, PlotKind.UNCERTAINTY, 900, 650)));
        text(d, "uncertainty < 0.1");
        text(d, "uncertainty 0.1 to 0.3");
        text(d, "uncertainty ≥ 0.3");
        // Each class of rows drawn at its own size: as many dots of each radius as rows in the class (plus the legend's).
        int[] count = new int[3];
        for (double v : u) {
            count[v < MixtureViews.LOW ? 0 : v < MixtureViews.HIGH ? 1 : 2]++;
        }
        double[] radius = {2, 4, 6.5};
        for (int l = 0; l < 3; l++) {
            double r = radius[l];
            long drawn = all(d, "circle").stream().filter(c -> Math.abs(num(c, "r") - r) < 1e-9).count();
            assertThat(drawn).as("dots of radius " + r).isEqualTo(count[l] + 1L);
        }
        assertThat(Arrays.stream(count).min().getAsInt()).isGreaterThan(10);
    }

    @Test
    void theOneColumnDensityHasTheRowsRug() throws Exception {
        GaussianMixtureModel m = MixturePlotsTest.model(1);
        Dataset data = MixturePlotsTest.data(m);
        Figure f = ModelPlots.of(m, data, null, PlotKind.DENSITY, 900, 650);
        XYChart c = (XYChart) f.panels().get(0);
        XYSeries rug = c.getSeriesMap().get("rows (rug)");
        assertThat(rug.getXData()).hasSize(data.rows());
        assertThat(rug.getYData()).containsOnly(0.0);
        assertThat(((Glyph) rug.getMarker()).shape()).isEqualTo(Glyph.Shape.TICK);
        Document d = parse(svg(f));
        text(d, "rows (rug)");
        text(d, "mixture");
        // The rug's ticks: vertical strokes of 10 pixels standing on the axis, one per row, and the legend's.
        int ticks = 0;
        for (Element p : all(d, "path")) {
            String[] parts = p.getAttribute("d").trim().split("(?=M)");
            for (String part : parts) {
                String[] xy = part.replaceAll("[ML]", " ").trim().split("[ ,]+");
                if (xy.length == 4 && xy[0].equals(xy[2]) && Math.abs(Double.parseDouble(xy[1]) - Double.parseDouble(xy[3]) - 10) < 0.02) {
                    ticks++;
                }
            }
        }
        // (Rows that fall on the same hundredth of a pixel as the row before draw one tick: the SVG writer drops the
        // repeated element.)
        assertThat(ticks).isGreaterThanOrEqualTo((int) (0.98 * data.rows())).isLessThanOrEqualTo(data.rows() + 1);
    }

    @Test
    void densityContoursEncloseTheirShareOfTheRows() {
        // Marching squares on a cone z = −(x² + y²): the contour at −1 is the unit circle.
        int n = 101;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = -2 + 4.0 * i / (n - 1);
                double y = -2 + 4.0 * j / (n - 1);
                z[i][j] = -(x * x + y * y);
            }
        }
        double[][] line = MixtureViews.contour(z, -1, -2, 2, -2, 2);
        assertThat(line[0].length).isGreaterThan(50);
        for (int i = 0; i < line[0].length; i++) {
            assertThat(line[0][i]).isNotNaN();
            assertThat(Math.hypot(line[0][i], line[1][i])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        }
        // One closed line: it ends where it starts.
        assertThat(line[0][0]).isEqualTo(line[0][line[0].length - 1]);
        assertThat(line[1][0]).isEqualTo(line[1][line[1].length - 1]);
    }
}
