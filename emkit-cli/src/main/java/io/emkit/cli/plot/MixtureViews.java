package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two pictures of a Gaussian mixture besides its classification (as mclust's {@code plot(..., what = ...)}):
 * the uncertainty of each row's component, and the mixture's density (contours over pairs of columns, a curve
 * with the rows' rug over one).
 */
final class MixtureViews {
    /** A row whose uncertainty (1 − its largest responsibility) is below this is a small light dot. */
    static final double LOW = 1 - MixturePlots.CERTAIN;
    /** A row whose uncertainty is at least this is a large black dot. */
    static final double HIGH = 1 - MixturePlots.UNCERTAIN;
    /** The density contours enclose about these shares of the rows. */
    static final double[] SHARES = {0.25, 0.5, 0.75, 0.9, 0.99};
    /** Grid points per side for the contours. */
    private static final int GRID = 80;

    private MixtureViews() {
    }

    /** Each row's uncertainty: 1 − its largest responsibility. */
    static double[] uncertainty(GaussianMixtureModel model, Dataset data) {
        double[][] p = model.predictProba(data);
        double[] u = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double m = 0;
            for (double v : p[i]) {
                m = Math.max(m, v);
            }
            u[i] = 1 - m;
        }
        return u;
    }

    /** The three classes of uncertainty: their names, marker sizes and colours. */
    private static final String[] CLASSES = {"uncertainty < " + fmt(LOW), "uncertainty " + fmt(LOW) + " to " + fmt(HIGH),
        "uncertainty ≥ " + fmt(HIGH)};
    private static final int[] SIZES = {4, 8, 13};
    private static final Color[] GREYS = {new Color(175, 175, 175), new Color(95, 95, 95), Color.BLACK};

    private static String fmt(double v) {
        return SvgText.tickLabel(Math.round(v * 1000) / 1000.0);
    }

    private static int uncertaintyClass(double u) {
        return u < LOW ? 0 : u < HIGH ? 1 : 2;
    }

    /** The legend of a figure of uncertainty panels; {@code classes}, each component's class or null. */
    static List<Figure.Key> uncertaintyKeys(GaussianMixtureModel model, List<String> classes) {
        List<Figure.Key> keys = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            keys.add(new Figure.Key(CLASSES[l], GREYS[l], new Glyph(Glyph.Shape.CIRCLE, SIZES[l]), null));
        }
        for (int c = 0; c < model.components(); c++) {
            keys.add(new Figure.Key(MixturePlots.componentName(c, classes) + " (1σ ellipse)",
                    MixturePlots.color(c).darker(), null,
                    new BasicStroke(2f)));
        }
        return keys;
    }

    /**
     * A scatter of two columns, each row a dot sized and shaded by its uncertainty (three classes), with each
     * component's 1σ ellipse in its colour (named with its class where {@code classes} is given).
     */
    static XYChart uncertaintyScatter(GaussianMixtureModel model, Dataset data, double[] u, int x, int y,
                                      List<String> classes, int width, int height, boolean legend) {
        XYChart chart = MixturePlots.scatterBase("Uncertainty: " + MixturePlots.title(model), model.featureNames(), x, y,
                width, height, legend);
        for (int l = 0; l < 3; l++) {
            int ll = l;
            MixturePlots.addRows(chart, CLASSES[l], data, x, y, i -> uncertaintyClass(u[i]) == ll, GREYS[l], 255);
            XYSeries s = chart.getSeriesMap().get(CLASSES[l]);
            if (s != null) {
                s.setMarker(new Glyph(Glyph.Shape.CIRCLE, SIZES[l]));
                s.setShowInLegend(true);
            }
        }
        for (int c = 0; c < model.components(); c++) {
            double[] mean = {model.mean(c)[x], model.mean(c)[y]};
            double[][] full = model.covariance(c);
            double[][] cov = {{full[x][x], full[x][y]}, {full[y][x], full[y][y]}};
            double[][] o = Ellipse.of(mean, cov, 1).outline(72);
            XYSeries e = chart.addSeries(MixturePlots.componentName(c, classes), o[0], o[1]);
            e.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            e.setMarker(SeriesMarkers.NONE);
            e.setLineColor(MixturePlots.color(c).darker());
            e.setLineStyle(new BasicStroke(2f));
        }
        return chart;
    }

    /** One column: each row's uncertainty against its value, coloured by its component (and named by its class). */
    static XYChart uncertaintyByValue(GaussianMixtureModel model, Dataset data, double[] u, int column,
                                      List<String> classes, int width, int height) {
        String name = model.featureNames().get(column);
        XYChart chart = MixturePlots.base(width, height, "Uncertainty: " + MixturePlots.title(model) + ": " + name, name,
                "uncertainty (1 − largest responsibility)");
        int[] labels = model.predict(data);
        for (int c = 0; c < model.components(); c++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < data.rows(); i++) {
                if (labels[i] == c) {
                    xs.add(data.get(i, column));
                    ys.add(u[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries("rows of " + MixturePlots.componentName(c, classes), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(new Glyph(Glyph.Shape.CIRCLE, 6));
            s.setMarkerColor(MixturePlots.color(c));
        }
        return chart;
    }

    /** The marginal density of the mixture over two columns at a point. */
    private static double density2(GaussianMixtureModel model, int x, int y, double a, double b) {
        double sum = 0;
        double[] w = model.weights();
        for (int c = 0; c < w.length; c++) {
            double[][] s = model.covariance(c);
            double sxx = s[x][x];
            double syy = s[y][y];
            double sxy = s[x][y];
            double det = sxx * syy - sxy * sxy;
            double dx = a - model.mean(c)[x];
            double dy = b - model.mean(c)[y];
            double q = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
            sum += w[c] * Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
        }
        return sum;
    }

    /** The legend of a figure of density panels. */
    static List<Figure.Key> densityKeys() {
        List<Figure.Key> keys = new ArrayList<>();
        for (int l = SHARES.length - 1; l >= 0; l--) {
            keys.add(new Figure.Key(levelName(l), levelColor(l), null, new BasicStroke(1.6f)));
        }
        return keys;
    }

    private static String levelName(int l) {
        return "encloses " + Math.round(100 * SHARES[l]) + "% of rows";
    }

    /** Darker for the inner (higher-density) contours. */
    private static Color levelColor(int l) {
        float t = (float) l / (SHARES.length - 1);
        return new Color((int) (20 + 150 * t), (int) (60 + 130 * t), (int) (140 + 90 * t));
    }

    /**
     * Contours of the mixture's density over two columns, at the densities that about 25%, 50%, 75%, 90% and 99%
     * of the rows exceed (each contour encloses about that share of the rows).
     */
    static XYChart contours(GaussianMixtureModel model, Dataset data, int x, int y, int width, int height, boolean legend) {
        XYChart chart = MixturePlots.scatterBase("Density: " + MixturePlots.title(model), model.featureNames(), x, y,
                width, height, legend);
        double[] at = new double[data.rows()];
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < data.rows(); i++) {
            double a = data.get(i, x);
            double b = data.get(i, y);
            at[i] = density2(model, x, y, a, b);
            x0 = Math.min(x0, a);
            x1 = Math.max(x1, a);
            y0 = Math.min(y0, b);
            y1 = Math.max(y1, b);
        }
        // Room for the outer contours to close round the rows.
        double px = 0.25 * Math.max(x1 - x0, 1e-9);
        double py = 0.25 * Math.max(y1 - y0, 1e-9);
        x0 -= px;
        x1 += px;
        y0 -= py;
        y1 += py;
        double[][] z = new double[GRID][GRID];
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID; j++) {
                z[i][j] = density2(model, x, y, x0 + (x1 - x0) * i / (GRID - 1), y0 + (y1 - y0) * j / (GRID - 1));
            }
        }
        double[] sorted = at.clone();
        Arrays.sort(sorted);
        for (int l = 0; l < SHARES.length; l++) {
            // The density that a share s of the rows exceeds: its (1 − s) quantile over the rows.
            double level = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor((1 - SHARES[l]) * sorted.length))];
            double[][] line = contour(z, level, x0, x1, y0, y1);
            if (line[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(levelName(l), line[0], line[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(levelColor(l));
            s.setLineStyle(new BasicStroke(1.6f));
        }
        if (chart.getSeriesMap().isEmpty()) {
            // No contour crosses the grid (a degenerate column): show the rows instead of an empty panel.
            MixturePlots.addRows(chart, "rows", data, x, y, i -> true, Color.GRAY, 255);
        }
        return chart;
    }

    /**
     * The contour of a grid of values at a level, by marching squares, its segments joined into polylines that
     * NaN separates: {x, y}.
     */
    static double[][] contour(double[][] z, double level, double x0, double x1, double y0, double y1) {
        int n = z.length;
        int m = z[0].length;
        // A crossing lies on a grid edge: horizontal edge (i, j)–(i+1, j) has id 2(i·m + j), vertical (i, j)–(i, j+1) +1.
        Map<Integer, double[]> where = new HashMap<>();
        Map<Integer, List<Integer>> links = new HashMap<>();
        List<int[]> segments = new ArrayList<>();
        for (int i = 0; i + 1 < n; i++) {
            for (int j = 0; j + 1 < m; j++) {
                int[] edges = {2 * (i * m + j), 2 * ((i + 1) * m + j) + 1, 2 * (i * m + j + 1), 2 * (i * m + j) + 1};
                List<Integer> crossed = new ArrayList<>();
                for (int e : edges) {
                    double[] p = crossing(z, e, m, level, x0, x1, y0, y1);
                    if (p != null) {
                        where.put(e, p);
                        crossed.add(e);
                    }
                }
                // Two crossings: one segment; four (a saddle): pair them by the cell's mean.
                if (crossed.size() == 2) {
                    segments.add(new int[] {crossed.get(0), crossed.get(1)});
                } else if (crossed.size() == 4) {
                    double mean = (z[i][j] + z[i + 1][j] + z[i + 1][j + 1] + z[i][j + 1]) / 4;
                    boolean low = z[i][j] < level;
                    if ((mean >= level) == low) {
                        segments.add(new int[] {crossed.get(0), crossed.get(1)});
                        segments.add(new int[] {crossed.get(2), crossed.get(3)});
                    } else {
                        segments.add(new int[] {crossed.get(0), crossed.get(3)});
                        segments.add(new int[] {crossed.get(1), crossed.get(2)});
                    }
                }
            }
        }
        for (int s = 0; s < segments.size(); s++) {
            for (int e : segments.get(s)) {
                links.computeIfAbsent(e, k -> new ArrayList<>()).add(s);
            }
        }
        boolean[] used = new boolean[segments.size()];
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int s = 0; s < segments.size(); s++) {
            if (used[s]) {
                continue;
            }
            // Walk back to an end of this line (or round a closed one), then forward along it.
            int start = s;
            int from = segments.get(s)[0];
            for (int guard = 0; guard < segments.size(); guard++) {
                int next = other(links.get(from), start);
                if (next < 0 || next == s) {
                    break;
                }
                int[] seg = segments.get(next);
                from = seg[0] == from ? seg[1] : seg[0];
                start = next;
            }
            if (!xs.isEmpty()) {
                xs.add(Double.NaN);
                ys.add(Double.NaN);
            }
            int at = start;
            int edge = from;
            double[] p0 = where.get(edge);
            xs.add(p0[0]);
            ys.add(p0[1]);
            while (at >= 0 && !used[at]) {
                used[at] = true;
                int[] seg = segments.get(at);
                edge = seg[0] == edge ? seg[1] : seg[0];
                double[] p = where.get(edge);
                xs.add(p[0]);
                ys.add(p[1]);
                at = other(links.get(edge), at);
            }
        }
        double[][] out = new double[2][xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            out[0][i] = xs.get(i);
            out[1][i] = ys.get(i);
        }
        return out;
    }

    private static int other(List<Integer> segs, int not) {
        if (segs == null) {
            return -1;
        }
        for (int s : segs) {
            if (s != not) {
                return s;
            }
        }
        return -1;
    }

    /** Where the level crosses a grid edge, by linear interpolation, or null when it does not. */
    private static double[] crossing(double[][] z, int edge, int m, double level, double x0, double x1, double y0,
                                     double y1) {
        int cell = edge / 2;
        int i = cell / m;
        int j = cell % m;
        int i2 = edge % 2 == 0 ? i + 1 : i;
        int j2 = edge % 2 == 0 ? j : j + 1;
        if (i2 >= z.length || j2 >= m) {
            return null;
        }
        double a = z[i][j];
        double b = z[i2][j2];
        if ((a < level) == (b < level)) {
            return null;
        }
        double t = (level - a) / (b - a);
        double gi = i + t * (i2 - i);
        double gj = j + t * (j2 - j);
        return new double[] {x0 + (x1 - x0) * gi / (z.length - 1), y0 + (y1 - y0) * gj / (m - 1)};
    }

    /**
     * One column: the mixture's density, each component's weighted density, and the rows as a rug of ticks on
     * the axis; {@code classes}, each component's class or null.
     */
    static XYChart densityWithRug(GaussianMixtureModel model, Dataset data, int column, List<String> classes,
                                  int width, int height) {
        String name = model.featureNames().get(column);
        XYChart chart = MixturePlots.base(width, height, "Density: " + MixturePlots.title(model) + ": " + name, name,
                "density");
        double[] values = MixturePlots.columnValues(data, column);
        double lo = Arrays.stream(values).min().orElse(0);
        double hi = Arrays.stream(values).max().orElse(1);
        double pad = 0.1 * Math.max(hi - lo, 1e-9);
        double[] xs = new double[300];
        double[] total = new double[xs.length];
        double[] w = model.weights();
        for (int c = 0; c < w.length; c++) {
            double[] ys = new double[xs.length];
            double sd = Math.sqrt(model.covariance(c)[column][column]);
            for (int i = 0; i < xs.length; i++) {
                xs[i] = lo - pad + (hi - lo + 2 * pad) * i / (xs.length - 1);
                double zz = (xs[i] - model.mean(c)[column]) / sd;
                ys[i] = w[c] * Math.exp(-0.5 * zz * zz) / (sd * Math.sqrt(2 * Math.PI));
                total[i] += ys[i];
            }
            XYSeries s = chart.addSeries(MixturePlots.componentName(c, classes), xs.clone(), ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(MixturePlots.color(c));
            s.setLineStyle(Glyph.dash(1, 1.5f));
        }
        XYSeries mix = chart.addSeries("mixture", xs, total);
        mix.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mix.setMarker(SeriesMarkers.NONE);
        mix.setLineColor(Color.BLACK);
        mix.setLineStyle(new BasicStroke(2.5f));
        XYSeries rug = chart.addSeries("rows (rug)", values, new double[values.length]);
        rug.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        rug.setMarker(new Glyph(Glyph.Shape.TICK, 5));
        rug.setMarkerColor(new Color(60, 60, 60));
        return chart;
    }
}
