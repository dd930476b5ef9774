package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Pictures of a Gaussian mixture over its data: a histogram with the weighted component densities
 * (one column), a scatter plot coloured by hard assignment with covariance ellipses (two columns), or
 * a matrix of such scatter plots, one per pair of columns (more columns).
 *
 * <p>The panels show the model's marginal over the chosen columns, which for a Gaussian mixture is the
 * mixture of the components' marginals (the same weights, the chosen entries of each mean and
 * covariance); the colours come from the hard assignments of the full model.
 */
public final class MixturePlots {
    /** At most this many columns enter a matrix of pairwise panels; choose others with dims. */
    public static final int MAX_MATRIX_COLUMNS = 6;

    /** A row whose largest responsibility is at least this is drawn opaque. */
    static final double CERTAIN = 0.9;
    /** A row whose largest responsibility is below this is drawn faintest. */
    static final double UNCERTAIN = 0.7;

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(23, 190, 207),
        new Color(188, 189, 34), new Color(127, 127, 127),
    };

    /** The data's own bars and histograms. */
    static final Color HISTOGRAM = new Color(200, 200, 200);
    /** The mixture's density, drawn over its components'. */
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);

    private MixturePlots() {
    }

    /**
     * The colour of a component in every emkit picture.
     *
     * @param component the component, from 0
     * @return its colour, opaque
     */
    public static Color color(int component) {
        Color c = PALETTE[component % PALETTE.length];
        int round = component / PALETTE.length;
        for (int i = 0; i < round; i++) {
            c = c.darker();
        }
        return c;
    }

    /**
     * One of the pictures of a model over its data (its classification, the uncertainty of each row's component,
     * or the mixture's density), each component named with its class where the model has classes (a fit with a
     * labels column): "component 1 (setosa)", as the report's tables name it. The shorter calls (the
     * classification, no classes) are {@link ModelPlots}'s, which serve every kind of model.
     *
     * @param model   the fitted mixture
     * @param data    rows with the model's features, in its order
     * @param dims    the columns to show (from 0; one or two), or {@code null} for all (at most
     *                {@link #MAX_MATRIX_COLUMNS} in a matrix)
     * @param kind    which picture
     * @param classes each component's class, or {@code null} for a model without classes
     * @param width   width in pixels
     * @param height  height in pixels
     * @return the figure
     */
    public static Figure of(GaussianMixtureModel model, Dataset data, int[] dims, PlotKind kind, List<String> classes,
                            int width, int height) {
        int[] d = dims != null ? dims : firstColumns(model.dimension(), MAX_MATRIX_COLUMNS);
        String title = title(model);
        switch (kind) {
            case UNCERTAINTY -> {
                double[] u = MixtureViews.uncertainty(model, data);
                if (d.length == 1) {
                    return Figure.of(MixtureViews.uncertaintyByValue(model, data, u, d[0], classes, width, height));
                }
                return pairs(d, width, height, (x, y, w, h, whole) -> MixtureViews.uncertaintyScatter(model, data, u,
                        x, y, classes, w, h, whole), "Uncertainty: " + title,
                        MixtureViews.uncertaintyKeys(model, classes));
            }
            case DENSITY -> {
                if (d.length == 1) {
                    return Figure.of(MixtureViews.densityWithRug(model, data, d[0], classes, width, height));
                }
                return pairs(d, width, height, (x, y, w, h, whole) -> MixtureViews.contours(model, data, x, y, w, h,
                        whole), "Density: " + title, MixtureViews.densityKeys());
            }
            default -> {
                if (d.length == 1) {
                    return Figure.of(density(model, data, d[0], classes, width, height));
                }
                int[] labels = model.predict(data);
                double[] confidence = confidence(model, data);
                return pairs(d, width, height,
                        (x, y, w, h, whole) -> scatter(model, data, labels, confidence, x, y, classes, w, h, whole),
                        title, classificationKeys(model.components(), "component", classes));
            }
        }
    }

    /**
     * A Gaussian mixture's name in every title: its structure (mclust's name and emkit's) and its components,
     * e.g. "Gaussian mixture VVV (full), 3 components".
     *
     * @param model the mixture
     * @return the title
     */
    static String title(GaussianMixtureModel model) {
        io.emkit.gaussian.covariance.CovarianceType t = model.covarianceType();
        String structure = t.label().equals(t.mclustName()) ? t.mclustName() : t.mclustName() + " (" + t.label() + ")";
        int k = model.components();
        return "Gaussian mixture " + structure + ", " + k + " component" + (k == 1 ? "" : "s");
    }

    /**
     * A component's name in every legend: "component 1", or with the model's classes "component 1 (setosa)".
     *
     * @param c       the component, from 0
     * @param classes each component's class, or {@code null} for a model without classes
     * @return its name
     */
    static String componentName(int c, List<String> classes) {
        return numbered("component", c, classes);
    }

    /** "what 1", or with classes "what 1 (class)": a component's, cluster's or state's name in a legend. */
    static String numbered(String what, int c, List<String> classes) {
        return what + " " + (c + 1) + (classes == null ? "" : " (" + classes.get(c) + ")");
    }

    /**
     * The legend of a matrix of classification panels: a dot per component (or cluster), named with its class
     * where {@code classes} is given, then the shapes and means.
     */
    static List<Figure.Key> classificationKeys(int k, String what, List<String> classes) {
        List<Figure.Key> keys = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            keys.add(new Figure.Key(numbered(what, c, classes), color(c), new Glyph(Glyph.Shape.CIRCLE), null));
        }
        if (what.equals("component")) {
            keys.add(new Figure.Key("fainter: less certain (p < " + CERTAIN + ", < " + UNCERTAIN + ")",
                    new Color(31, 119, 180, 90), new Glyph(Glyph.Shape.CIRCLE), null));
            keys.add(new Figure.Key("1σ ellipse", Color.DARK_GRAY, null, new BasicStroke(2f)));
            keys.add(new Figure.Key("2σ ellipse", Color.DARK_GRAY, null, TWO_SIGMA));
            keys.add(new Figure.Key("mean", Color.BLACK, new Glyph(Glyph.Shape.PLUS, 10), null));
        } else {
            keys.add(new Figure.Key("centroid", Color.BLACK, new Glyph(Glyph.Shape.DIAMOND, 10), null));
        }
        return keys;
    }

    /** The 2σ ellipses' dashes. */
    static final BasicStroke TWO_SIGMA = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {5f, 4f}, 0f);

    /** Draws one panel of a picture of pairs: column {@code x} across, {@code y} up. */
    @FunctionalInterface
    interface PairPanel {
        /**
         * @param whole whether this is the figure's only or first panel (it carries the legend and the long title)
         */
        XYChart draw(int x, int y, int width, int height, boolean whole);
    }

    /** Columns 0..min(d, most)−1. */
    static int[] firstColumns(int d, int most) {
        int[] dims = new int[Math.min(d, most)];
        for (int j = 0; j < dims.length; j++) {
            dims[j] = j;
        }
        return dims;
    }

    /**
     * Two columns: one panel of the first across, the second up, with its legend beside it. More: the upper
     * triangle of a matrix of panels, one per pair (as mclust's classification plot), the figure's title and legend
     * in the empty bottom left cell.
     */
    static Figure pairs(int[] dims, int width, int height, PairPanel panel, String title, List<Figure.Key> keys) {
        if (dims.length == 2) {
            return Figure.of(panel.draw(dims[0], dims[1], width, height, true));
        }
        int n = dims.length - 1;
        List<XYChart> panels = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                // Upper triangle: row r shows column dims[c + 1] across, against dims[r] up.
                panels.add(c >= r ? panel.draw(dims[c + 1], dims[r], width / n, height / n, false) : null);
            }
        }
        // The bottom left cell is empty: the whole figure's title and legend go there.
        return Figure.grid(width, height, n, n, panels).legend((n - 1) * n, title, keys);
    }

    private static double[] confidence(GaussianMixtureModel model, Dataset data) {
        double[][] p = model.predictProba(data);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double m = 0;
            for (double v : p[i]) {
                m = Math.max(m, v);
            }
            out[i] = m;
        }
        return out;
    }

    static XYChart base(int width, int height, String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(chart.getStyler());
        // XChart places the ticks of an axis with a custom formatter at data values (crowded and uneven on an
        // axis of iterations), so the horizontal axis takes a pattern: round numbers, no trailing zeros.
        chart.getStyler().setXAxisDecimalPattern(SvgText.X_PATTERN);
        chart.setCustomYAxisTickLabelsFormatter(SvgText::tickLabel);
        return chart;
    }

    /** emkit's look for any chart with axes: white, light grid, the legend beside the plot (never over the data). */
    static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(230, 230, 230));
        // Solid: XChart fills each dash of a dashed grid line as its own shape, which bloats vector output.
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setAntiAlias(true);
    }

    /**
     * A histogram of one column on the density scale, with each component's weighted marginal density
     * and the mixture's density.
     *
     * @param model  the mixture
     * @param data   the rows
     * @param column which column, from 0
     * @param width  width in pixels
     * @param height height in pixels
     * @return the chart
     */
    public static XYChart density(GaussianMixtureModel model, Dataset data, int column, int width, int height) {
        return density(model, data, column, null, width, height);
    }

    /** {@link #density(GaussianMixtureModel, Dataset, int, int, int)}, the components named with their classes. */
    private static XYChart density(GaussianMixtureModel model, Dataset data, int column, List<String> classes,
                                   int width, int height) {
        String name = model.featureNames().get(column);
        double[] w = model.weights();
        return densityChart(title(model) + ": " + name, name,
                columnValues(data, column), model.components(), classes, false, xs -> {
                    double[][] ys = new double[w.length][xs.length];
                    for (int c = 0; c < w.length; c++) {
                        double sd = Math.sqrt(model.covariance(c)[column][column]);
                        for (int i = 0; i < xs.length; i++) {
                            double z = (xs[i] - model.mean(c)[column]) / sd;
                            ys[c][i] = w[c] * Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
                        }
                    }
                    return ys;
                }, width, height);
    }

    /** Each component's weighted density (or probability mass) at points. */
    @FunctionalInterface
    interface WeightedDensities {
        /** @return {@code components × xs.length} */
        double[][] at(double[] xs);
    }

    /**
     * The bins of a histogram: {@code count} bins of {@code width} from {@code lo}.
     *
     * @param lo    the first bin's left edge
     * @param width each bin's width
     * @param count how many bins
     */
    record Bins(double lo, double width, int count) {
        /**
         * Bins spanning the values: about 2·∛n of them (10 to 80); for counts ({@code discrete}), whole-number
         * bins (several numbers each over a wide range) centred on whole numbers, so their heights are masses.
         */
        static Bins of(double[] values, boolean discrete) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (discrete) {
                double width = Math.max(1, Math.ceil((hi - lo + 1) / 80));
                return new Bins(lo - 0.5, width, (int) Math.ceil((hi - lo + 1) / width));
            }
            if (!(hi > lo)) {
                lo -= 0.5;
                hi += 0.5;
            }
            int count = (int) Math.max(10, Math.min(80, Math.round(2 * Math.cbrt(values.length))));
            return new Bins(lo, (hi - lo) / count, count);
        }

        double hi() {
            return lo + count * width;
        }

        /**
         * The outline of the histogram of the values that {@code which} accepts, on the density scale of all
         * the values (so the histograms of a partition stack up to the whole's): {x, y} of a closed step line.
         */
        double[][] densitySteps(double[] values, java.util.function.IntPredicate which) {
            double[] counts = new double[count];
            for (int i = 0; i < values.length; i++) {
                if (which.test(i)) {
                    counts[Math.max(0, Math.min(count - 1, (int) ((values[i] - lo) / width)))]++;
                }
            }
            double[] hx = new double[2 * count + 2];
            double[] hy = new double[2 * count + 2];
            hx[0] = lo;
            for (int b = 0; b < count; b++) {
                double h = counts[b] / (values.length * width);
                hx[2 * b + 1] = lo + b * width;
                hy[2 * b + 1] = h;
                hx[2 * b + 2] = lo + (b + 1) * width;
                hy[2 * b + 2] = h;
            }
            hx[2 * count + 1] = hi();
            return new double[][] {hx, hy};
        }
    }

    /** The values of one column. */
    static double[] columnValues(Dataset data, int column) {
        double[] v = new double[data.rows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i, column);
        }
        return v;
    }

    /**
     * A histogram of values on the density scale, each component's weighted density as a line in its colour and
     * their sum, the mixture's, dashed black. Counts ({@code discrete}) get bins centred on whole numbers and
     * their curves are drawn through whole numbers only, where a probability mass is defined. With
     * {@code classes} (each component's class, or null) the legend names each component's class.
     */
    static XYChart densityChart(String title, String column, double[] values, int components, List<String> classes,
                                boolean discrete,
                                WeightedDensities density, int width, int height) {
        XYChart chart = base(width, height, title, column, discrete ? "probability" : "density");
        Bins bins = Bins.of(values, discrete);
        double lo = bins.lo();
        double hi = bins.hi();
        double[][] steps = bins.densitySteps(values, i -> true);
        double[] hx = steps[0];
        double[] hy = steps[1];
        XYSeries hist = chart.addSeries("data (histogram)", hx, hy);
        hist.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        hist.setMarker(SeriesMarkers.NONE);
        hist.setFillColor(HISTOGRAM);
        hist.setLineColor(HISTOGRAM.darker());
        hist.setLineWidth(1f);

        double[] xs;
        if (discrete) {
            xs = new double[(int) Math.min(400, hi - lo)];
            double step = Math.ceil((hi - lo) / xs.length);
            for (int i = 0; i < xs.length; i++) {
                xs[i] = lo + 0.5 + i * step;
            }
        } else {
            double pad = 0.05 * (hi - lo);
            xs = new double[400];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = lo - pad + (hi - lo + 2 * pad) * i / (xs.length - 1);
            }
        }
        double[] total = new double[xs.length];
        double[][] all = density.at(xs);
        for (int c = 0; c < components; c++) {
            double[] ys = all[c];
            for (int i = 0; i < xs.length; i++) {
                total[i] += ys[i];
            }
            XYSeries s = chart.addSeries(componentName(c, classes), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(discrete && xs.length <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setMarkerColor(color(c));
            s.setLineColor(color(c));
            s.setLineStyle(new BasicStroke(3f));
        }
        XYSeries mix = chart.addSeries("mixture", xs, total);
        mix.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mix.setMarker(SeriesMarkers.NONE);
        mix.setLineColor(Color.BLACK);
        mix.setLineStyle(DASHED);
        return chart;
    }

    /**
     * A scatter plot of two columns: each row coloured by its component, fainter the less certain its
     * assignment, with each component's 1σ and 2σ ellipses and its mean.
     *
     * @param model      the mixture
     * @param data       the rows
     * @param labels     each row's component
     * @param confidence each row's largest responsibility
     * @param x          the column across, from 0
     * @param y          the column up, from 0
     * @param classes    each component's class, or {@code null} for a model without classes
     * @param width      width in pixels
     * @param height     height in pixels
     * @param legend     whether to show a legend
     * @return the chart
     */
    static XYChart scatter(GaussianMixtureModel model, Dataset data, int[] labels, double[] confidence, int x, int y,
                           List<String> classes, int width, int height, boolean legend) {
        XYChart chart = scatterBase(title(model), model.featureNames(), x, y, width, height, legend);
        int k = model.components();
        int[] alphas = {255, 150, 70};
        for (int c = 0; c < k; c++) {
            for (int level = 0; level < 3; level++) {
                int cc = c;
                int lv = level;
                String name = "rows " + (c + 1) + (level == 0 ? "" : level == 1 ? " (p < " + CERTAIN + ")"
                        : " (p < " + UNCERTAIN + ")");
                addRows(chart, name, data, x, y, i -> labels[i] == cc
                        && (confidence[i] >= CERTAIN ? 0 : confidence[i] >= UNCERTAIN ? 1 : 2) == lv, color(c), alphas[level]);
            }
        }
        for (int c = 0; c < k; c++) {
            double[] mean = {model.mean(c)[x], model.mean(c)[y]};
            double[][] full = model.covariance(c);
            double[][] cov = {{full[x][x], full[x][y]}, {full[y][x], full[y][y]}};
            for (int sigma = 1; sigma <= 2; sigma++) {
                double[][] o = Ellipse.of(mean, cov, sigma).outline(120);
                XYSeries e = chart.addSeries(sigma == 1 ? componentName(c, classes) : componentName(c, classes) + " 2σ",
                        o[0], o[1]);
                e.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                e.setMarker(SeriesMarkers.NONE);
                e.setLineColor(color(c).darker());
                e.setLineStyle(sigma == 1 ? new BasicStroke(2f) : TWO_SIGMA);
                e.setShowInLegend(sigma == 1);
            }
            XYSeries m = chart.addSeries(c == 0 ? "means" : "mean " + (c + 1), new double[] {mean[0]}, new double[] {mean[1]});
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(new Glyph(Glyph.Shape.PLUS, 12));
            m.setMarkerColor(Color.BLACK);
            m.setShowInLegend(c == 0);
        }
        return chart;
    }

    /**
     * An empty scatter chart of two columns; a small panel gets the pair's names as its title, smaller markers
     * and no legend.
     */
    static XYChart scatterBase(String title, List<String> names, int x, int y, int width, int height, boolean legend) {
        // A panel of a matrix (no legend of its own: the figure's is in the empty corner) is titled by its pair.
        boolean small = width < 400 || height < 300 || !legend;
        XYChart chart = base(width, height, small ? names.get(y) + " vs " + names.get(x) : title, names.get(x), names.get(y));
        chart.getStyler().setLegendVisible(legend && !small);
        chart.getStyler().setMarkerSize(small ? 5 : 8);
        return chart;
    }

    /** Adds the rows that {@code which} accepts as dots of a colour with an opacity (0–255), kept out of the legend. */
    static void addRows(XYChart chart, String name, Dataset data, int x, int y, java.util.function.IntPredicate which,
                        Color color, int alpha) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < data.rows(); i++) {
            if (which.test(i)) {
                xs.add(data.get(i, x));
                ys.add(data.get(i, y));
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha));
        s.setShowInLegend(false);
    }

    /**
     * The longest trace (in objective values, the start's included) whose horizontal axis XChart would mark in
     * steps below one iteration (0.2, 0.5) were it left to choose round numbers.
     */
    private static final int FEW_ITERATIONS = 9;

    /**
     * The objective after each iteration, a line per initialisation, the winning one drawn thicker.
     *
     * @param traces    each initialisation's objective (log-likelihood, inertia), entry {@code i} after
     *                  {@code i} M-steps ({@code null} or empty for an initialisation that reported nothing)
     * @param best      which initialisation won, from 0, or −1 if none
     * @param objective what the traces hold, the vertical axis's title, e.g. {@code "log-likelihood"}
     * @param width     width in pixels
     * @param height    height in pixels
     * @return the figure
     */
    public static Figure trace(List<double[]> traces, int best, String objective, int width, int height) {
        XYChart chart = base(width, height, "Convergence", "iteration", objective);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setLegendVisible(traces.size() <= 10);
        int longest = 0;
        for (double[] t : traces) {
            longest = Math.max(longest, t == null ? 0 : t.length);
        }
        for (int r = 0; r < traces.size(); r++) {
            double[] t = traces.get(r);
            if (t == null || t.length == 0) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < t.length; i++) {
                if (Double.isFinite(t[i])) {
                    xs.add((double) i);
                    ys.add(t[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            // XChart puts the ticks of equally spaced data at data values (137, 274, ... for 3000 iterations); a
            // blank half step after the last iteration breaks the spacing, so the ticks are round numbers. A short
            // trace keeps its ticks at the data, the iterations themselves: round numbers there are steps of 0.2
            // or 0.5, and iterations are whole.
            if (longest >= FEW_ITERATIONS) {
                xs.add(xs.get(xs.size() - 1) + 0.5);
                ys.add(Double.NaN);
            }
            XYSeries s = chart.addSeries("initialisation " + (r + 1) + (r == best ? " (best)" : ""), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(xs.size() <= 12 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setMarkerColor(color(r));
            s.setLineColor(color(r));
            s.setLineStyle(new BasicStroke(r == best ? 3f : 1.5f));
        }
        if (chart.getSeriesMap().isEmpty()) {
            throw new io.emkit.EmkitException("no iterations to plot");
        }
        return Figure.of(chart);
    }
}
