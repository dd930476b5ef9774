package io.emkit.cli.plot;

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
 * Pictures of a hidden Markov model's decoding as the hmmlearn gallery shows it ({@link #decoding}): the decoded
 * states as bands behind the observed series, over a panel of the posterior state probabilities.
 */
public final class HmmPlots {
    private HmmPlots() {
    }

    /** At most this many steps of a sequence are drawn by {@link #decoding}. */
    public static final int MAX_STEPS = 5000;
    /** At most this many observed columns get a panel each in {@link #decoding}. */
    public static final int MAX_SERIES = 3;
    /** How opaque the state bands behind the observations are (0-255): light, so that the series reads. */
    static final int BAND_ALPHA = 60;

    /**
     * One sequence's decoding: a panel per observed column (the first {@link #MAX_SERIES}), its series drawn as
     * a line over background bands, one band per run of steps in one decoded state (coloured by the state, each
     * band reaching halfway to the neighbouring steps); below, the posterior state probabilities, stacked (state
     * 1 at the bottom) so that each step's column sums to 1. The x axis is the time column, or the step number
     * (from 1) without one; every panel has the same x range, and the legend (one entry per state) stands right
     * of the plot areas. A sequence longer than {@link #MAX_STEPS} is drawn up to there, and the title says so.
     *
     * @param title      what the sequence is, shown above the first panel
     * @param time       each step's time (increasing), or null to number the steps from 1
     * @param timeName   the time axis's title ("step" without a time column)
     * @param sequence   the observations, {@code steps × columns}
     * @param names      the columns' names
     * @param states     each step's decoded state, from 0
     * @param posteriors each step's posterior state probabilities, {@code steps × S}
     * @param width      width in pixels
     * @param height     height in pixels
     * @return the figure
     */
    public static Figure decoding(String title, double[] time, String timeName, double[][] sequence, List<String> names,
                                  int[] states, double[][] posteriors, int width, int height) {
        return decoding(title, time, timeName, sequence, names, states, posteriors, null, width, height);
    }

    /**
     * One sequence's decoding as {@link #decoding(String, double[], String, double[][], List, int[], double[][], int,
     * int)} draws it, each state named with its class in the legends where the model has classes (a fit with a
     * labels column): "state 1 (calm)".
     *
     * @param title      what the sequence is, shown above the first panel
     * @param time       each step's time (increasing), or null to number the steps from 1
     * @param timeName   the time axis's title ("step" without a time column)
     * @param sequence   the observations, {@code steps × columns}
     * @param names      the columns' names
     * @param states     each step's decoded state, from 0
     * @param posteriors each step's posterior state probabilities, {@code steps × S}
     * @param classes    each state's class, or {@code null} for a model without classes
     * @param width      width in pixels
     * @param height     height in pixels
     * @return the figure
     */
    public static Figure decoding(String title, double[] time, String timeName, double[][] sequence, List<String> names,
                                  int[] states, double[][] posteriors, List<String> classes, int width, int height) {
        if (sequence.length == 0) {
            throw new io.emkit.EmkitException("no steps to plot");
        }
        // A longer sequence is drawn up to MAX_STEPS: past that neither the bands nor the series can be told apart.
        int n = Math.min(sequence.length, MAX_STEPS);
        if (n < sequence.length) {
            title = title + ", the first " + n + " steps drawn";
        }
        int nStates = posteriors[0].length;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = time == null ? i + 1 : time[i];
        }
        // Each band reaches halfway to the next step; the first and last end half a step out.
        double[] edge = new double[n + 1];
        for (int i = 1; i < n; i++) {
            edge[i] = (t[i - 1] + t[i]) / 2;
        }
        double firstGap = n > 1 ? t[1] - t[0] : 1;
        double lastGap = n > 1 ? t[n - 1] - t[n - 2] : 1;
        edge[0] = t[0] - firstGap / 2;
        edge[n] = t[n - 1] + lastGap / 2;
        int series = Math.min(MAX_SERIES, names.size());
        int panels = series + 1;
        List<XYChart> charts = new ArrayList<>();
        for (int j = 0; j < series; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = sequence[i][j];
                lo = Math.min(lo, y[i]);
                hi = Math.max(hi, y[i]);
            }
            double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(1, Math.abs(hi)) * 0.05;
            lo -= pad;
            hi += pad;
            XYChart chart = panel(width, height / panels, j == 0 ? title : "", "", names.get(j), edge[0], edge[n], lo, hi);
            // The bands state by state, so that the legend lists the states in order: each state's first band
            // carries its name, the others stay out of the legend.
            int bands = 0;
            for (int s = 0; s < nStates; s++) {
                boolean named = false;
                for (int from = 0; from < n; ) {
                    int to = from;
                    while (to + 1 < n && states[to + 1] == states[from]) {
                        to++;
                    }
                    if (states[from] == s) {
                        XYSeries band = chart.addSeries(named ? "band " + (++bands) : stateName(s, classes),
                                new double[] {edge[from], edge[from], edge[to + 1], edge[to + 1]},
                                new double[] {lo, hi, hi, lo});
                        styleBand(band, s);
                        band.setShowInLegend(!named);
                        named = true;
                    }
                    from = to + 1;
                }
                if (!named) {
                    // A state no step is in still gets its legend entry, so that every panel's legend is the same.
                    styleBand(chart.addSeries(stateName(s, classes), new double[] {edge[0], edge[0], edge[0]},
                            new double[] {lo, lo, lo}), s);
                }
            }
            XYSeries line = chart.addSeries(names.get(j), t, y);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            // A line alone: with markers XChart writes each segment as an SVG path of its own.
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.BLACK);
            line.setLineStyle(new BasicStroke(1f));
            line.setShowInLegend(false);
            charts.add(chart);
        }
        XYChart post = panel(width, height / panels, "", timeName, "posterior probability", edge[0], edge[n], 0, 1);
        double[] below = new double[n];
        for (int s = 0; s < nStates; s++) {
            // The polygon between the states below and those up to this one: forward along the top, back along the
            // bottom.
            double[] px = new double[2 * n];
            double[] py = new double[2 * n];
            double[] top = new double[n];
            for (int i = 0; i < n; i++) {
                top[i] = s == nStates - 1 ? 1 : Math.min(1, below[i] + posteriors[i][s]);
            }
            for (int i = 0; i < n; i++) {
                px[i] = t[i];
                py[i] = top[i];
                px[2 * n - 1 - i] = t[i];
                py[2 * n - 1 - i] = below[i];
            }
            XYSeries area = post.addSeries(stateName(s, classes), px, py);
            area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            area.setMarker(SeriesMarkers.NONE);
            Color c = MixturePlots.color(s);
            area.setFillColor(c);
            area.setLineColor(c);
            area.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
            below = top;
        }
        charts.add(post);
        return Figure.grid(width, height, panels, 1, charts);
    }

    /** The name of a state in the legend, with its class where the model has classes. */
    private static String stateName(int state, List<String> classes) {
        return MixturePlots.numbered("state", state, classes);
    }

    /** A band of a state: a light fill of its colour, no outline, no markers. */
    private static void styleBand(XYSeries band, int state) {
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setMarker(SeriesMarkers.NONE);
        Color c = MixturePlots.color(state);
        band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), BAND_ALPHA));
        band.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
        band.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
    }

    /** A panel of the decoding: white, light grid, the given ranges, the legend right of the plot area. */
    private static XYChart panel(int width, int height, String title, String xTitle, String yTitle, double x0,
                                 double x1, double y0, double y1) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(230, 230, 230));
        // Solid grid lines: a dashed one is written to SVG as one segment per dash.
        st.setPlotGridLinesStroke(new BasicStroke(0.5f));
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartTitleVisible(!title.isEmpty());
        st.setXAxisTitleVisible(!xTitle.isEmpty());
        st.setXAxisMin(x0);
        st.setXAxisMax(x1);
        st.setYAxisMin(y0);
        st.setYAxisMax(y1);
        st.setAntiAlias(true);
        // The x ticks in the pattern SvgText knows, so that the SVG writes them as text.
        st.setXAxisDecimalPattern(SvgText.X_PATTERN);
        return chart;
    }
}
