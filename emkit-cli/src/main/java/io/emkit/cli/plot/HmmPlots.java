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

/** Pictures of a hidden Markov model's decoding: the observations over time, coloured by state. */
public final class HmmPlots {
    /** At most this many observation columns get a panel each. */
    public static final int MAX_PANELS = 4;

    private HmmPlots() {
    }

    /**
     * One sequence's observations against the step number, a panel per column (the first
     * {@link #MAX_PANELS}), each step coloured by its state on the Viterbi path; a thin grey line joins
     * the steps in time order.
     *
     * @param title    what the sequence is, shown above the first panel
     * @param sequence the observations, {@code steps × columns}
     * @param states   each step's state, from 0
     * @param names    the columns' names
     * @param width    width in pixels
     * @param height   height in pixels
     * @return the figure
     */
    public static Figure states(String title, double[][] sequence, int[] states, List<String> names, int width, int height) {
        if (sequence.length == 0) {
            throw new io.emkit.EmkitException("no steps to plot");
        }
        int panels = Math.min(MAX_PANELS, names.size());
        int nStates = 0;
        for (int s : states) {
            nStates = Math.max(nStates, s + 1);
        }
        List<XYChart> charts = new ArrayList<>();
        for (int j = 0; j < panels; j++) {
            XYChart chart = new XYChartBuilder().width(width).height(height / panels)
                    .title(j == 0 ? title : "").xAxisTitle(j == panels - 1 ? "step" : "").yAxisTitle(names.get(j)).build();
            org.knowm.xchart.style.XYStyler st = chart.getStyler();
            st.setChartBackgroundColor(Color.WHITE);
            st.setPlotBackgroundColor(Color.WHITE);
            st.setPlotGridLinesColor(new Color(230, 230, 230));
            st.setLegendPosition(Styler.LegendPosition.InsideNE);
            st.setLegendVisible(j == 0);
            st.setChartTitleVisible(j == 0);
            st.setMarkerSize(sequence.length > 2000 ? 3 : 6);
            st.setAntiAlias(true);
            double[] t = new double[sequence.length];
            double[] y = new double[sequence.length];
            for (int i = 0; i < sequence.length; i++) {
                t[i] = i + 1;
                y[i] = sequence[i][j];
            }
            XYSeries path = chart.addSeries("observations", t, y);
            path.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            path.setMarker(SeriesMarkers.NONE);
            path.setLineColor(new Color(180, 180, 180));
            path.setLineStyle(new BasicStroke(1f));
            path.setShowInLegend(false);
            for (int s = 0; s < nStates; s++) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < sequence.length; i++) {
                    if (states[i] == s) {
                        xs.add(t[i]);
                        ys.add(y[i]);
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                XYSeries pts = chart.addSeries("state " + (s + 1), xs, ys);
                pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                pts.setMarker(SeriesMarkers.CIRCLE);
                pts.setMarkerColor(MixturePlots.color(s));
            }
            charts.add(chart);
        }
        return Figure.grid(width, height, panels, 1, charts);
    }
}
