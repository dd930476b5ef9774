package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.mixture.GaussianMixtureModel;
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

    private static final Color HISTOGRAM = new Color(200, 200, 200);

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
     * The picture of a model over its data, as the number of columns asks.
     *
     * @param model  the fitted mixture
     * @param data   rows with the model's features, in its order
     * @param dims   the columns to show (from 0; one or two), or {@code null} for all (at most
     *               {@link #MAX_MATRIX_COLUMNS} in a matrix)
     * @param width  width in pixels
     * @param height height in pixels
     * @return the figure
     */
    public static Figure of(GaussianMixtureModel model, Dataset data, int[] dims, int width, int height) {
        int d = model.dimension();
        if (dims == null) {
            dims = new int[Math.min(d, MAX_MATRIX_COLUMNS)];
            for (int j = 0; j < dims.length; j++) {
                dims[j] = j;
            }
        }
        if (dims.length == 1) {
            return Figure.of(density(model, data, dims[0], width, height));
        }
        int[] labels = model.predict(data);
        double[] confidence = confidence(model, data);
        if (dims.length == 2) {
            return Figure.of(scatter(model, data, labels, confidence, dims[0], dims[1], width, height, true));
        }
        int n = dims.length - 1;
        List<XYChart> panels = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                // Upper triangle: row r shows column dims[r] across, against dims[c + 1] up.
                panels.add(c >= r ? scatter(model, data, labels, confidence, dims[c + 1], dims[r], width / n,
                        height / n, r == 0 && c == n - 1) : null);
            }
        }
        return Figure.grid(width, height, n, n, panels);
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
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(230, 230, 230));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setAntiAlias(true);
        return chart;
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
        String name = model.featureNames().get(column);
        XYChart chart = base(width, height, "Gaussian mixture, " + model.components() + " components: " + name,
                name, "density");
        int n = data.rows();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = data.get(i, column);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        int bins = (int) Math.max(10, Math.min(80, Math.round(2 * Math.cbrt(n))));
        double binWidth = (hi - lo) / bins;
        double[] counts = new double[bins];
        for (int i = 0; i < n; i++) {
            counts[Math.min(bins - 1, (int) ((data.get(i, column) - lo) / binWidth))]++;
        }
        double[] hx = new double[2 * bins + 2];
        double[] hy = new double[2 * bins + 2];
        hx[0] = lo;
        for (int b = 0; b < bins; b++) {
            double h = counts[b] / (n * binWidth);
            hx[2 * b + 1] = lo + b * binWidth;
            hy[2 * b + 1] = h;
            hx[2 * b + 2] = lo + (b + 1) * binWidth;
            hy[2 * b + 2] = h;
        }
        hx[2 * bins + 1] = hi;
        XYSeries hist = chart.addSeries("data (histogram)", hx, hy);
        hist.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        hist.setMarker(SeriesMarkers.NONE);
        hist.setFillColor(HISTOGRAM);
        hist.setLineColor(HISTOGRAM.darker());
        hist.setLineWidth(1f);

        double pad = 0.05 * (hi - lo);
        int points = 400;
        double[] xs = new double[points];
        for (int i = 0; i < points; i++) {
            xs[i] = lo - pad + (hi - lo + 2 * pad) * i / (points - 1);
        }
        double[] total = new double[points];
        double[] w = model.weights();
        for (int c = 0; c < model.components(); c++) {
            double mu = model.mean(c)[column];
            double var = model.covariance(c)[column][column];
            double sd = Math.sqrt(var);
            double[] ys = new double[points];
            for (int i = 0; i < points; i++) {
                double z = (xs[i] - mu) / sd;
                ys[i] = w[c] * Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
                total[i] += ys[i];
            }
            XYSeries s = chart.addSeries("component " + (c + 1), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color(c));
            s.setLineStyle(new BasicStroke(3f));
        }
        XYSeries mix = chart.addSeries("mixture", xs, total);
        mix.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mix.setMarker(SeriesMarkers.NONE);
        mix.setLineColor(Color.BLACK);
        mix.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
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
     * @param width      width in pixels
     * @param height     height in pixels
     * @param legend     whether to show a legend
     * @return the chart
     */
    static XYChart scatter(GaussianMixtureModel model, Dataset data, int[] labels, double[] confidence, int x, int y,
                           int width, int height, boolean legend) {
        List<String> names = model.featureNames();
        boolean small = width < 400 || height < 300;
        XYChart chart = base(width, height, small ? names.get(y) + " vs " + names.get(x)
                        : "Gaussian mixture, " + model.components() + " components",
                names.get(x), names.get(y));
        chart.getStyler().setLegendVisible(legend && !small);
        chart.getStyler().setMarkerSize(small ? 5 : 8);
        int k = model.components();
        int[] alphas = {255, 150, 70};
        for (int c = 0; c < k; c++) {
            for (int level = 0; level < 3; level++) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < data.rows(); i++) {
                    double p = confidence[i];
                    int l = p >= CERTAIN ? 0 : p >= UNCERTAIN ? 1 : 2;
                    if (labels[i] == c && l == level) {
                        xs.add(data.get(i, x));
                        ys.add(data.get(i, y));
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                String name = "rows " + (c + 1) + (level == 0 ? "" : level == 1 ? " (p < " + CERTAIN + ")"
                        : " (p < " + UNCERTAIN + ")");
                XYSeries s = chart.addSeries(name, xs, ys);
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                Color base = color(c);
                s.setMarkerColor(new Color(base.getRed(), base.getGreen(), base.getBlue(), alphas[level]));
                s.setShowInLegend(false);
            }
        }
        for (int c = 0; c < k; c++) {
            double[] mean = {model.mean(c)[x], model.mean(c)[y]};
            double[][] full = model.covariance(c);
            double[][] cov = {{full[x][x], full[x][y]}, {full[y][x], full[y][y]}};
            for (int sigma = 1; sigma <= 2; sigma++) {
                double[][] o = Ellipse.of(mean, cov, sigma).outline(120);
                XYSeries e = chart.addSeries(sigma == 1 ? "component " + (c + 1) : "component " + (c + 1) + " 2σ", o[0], o[1]);
                e.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                e.setMarker(SeriesMarkers.NONE);
                e.setLineColor(color(c).darker());
                e.setLineStyle(sigma == 1 ? new BasicStroke(2f)
                        : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {5f, 4f}, 0f));
                e.setShowInLegend(sigma == 1);
            }
            XYSeries m = chart.addSeries("mean " + (c + 1), new double[] {mean[0]}, new double[] {mean[1]});
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.CROSS);
            m.setMarkerColor(Color.BLACK);
            m.setShowInLegend(false);
        }
        return chart;
    }

    /**
     * The log-likelihood after each iteration, a line per initialisation, the winning one drawn thicker.
     *
     * @param traces each initialisation's log-likelihoods, entry {@code i} after {@code i} M-steps
     *               ({@code null} or empty for an initialisation that reported nothing)
     * @param best   which initialisation won, from 0, or −1 if none
     * @param width  width in pixels
     * @param height height in pixels
     * @return the figure
     */
    public static Figure trace(List<double[]> traces, int best, int width, int height) {
        XYChart chart = base(width, height, "Convergence", "iteration", "log-likelihood");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setLegendVisible(traces.size() <= 10);
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
            XYSeries s = chart.addSeries("initialisation " + (r + 1) + (r == best ? " (best)" : ""), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(xs.size() <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
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
