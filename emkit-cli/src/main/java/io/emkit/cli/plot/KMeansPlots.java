package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.kmeans.KMeansModel;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;

/**
 * Pictures of a k-means model over its data: one column as a histogram split by cluster with each centroid
 * marked; two as a scatter plot coloured by cluster with the centroids; more as a matrix of such panels, one
 * per pair of columns (as for Gaussian mixtures). A k-means model has no spread or probability, so there are
 * no densities, ellipses or faint rows.
 */
public final class KMeansPlots {
    private KMeansPlots() {
    }

    /**
     * The picture of a k-means model over its data, as the number of columns asks.
     *
     * @param model  the fitted centroids
     * @param data   rows with the model's features, in its order
     * @param dims   the columns to show (from 0; one or two), or {@code null} for all (at most
     *               {@link MixturePlots#MAX_MATRIX_COLUMNS} in a matrix)
     * @param width  width in pixels
     * @param height height in pixels
     * @return the figure
     */
    public static Figure of(KMeansModel model, Dataset data, int[] dims, int width, int height) {
        dims = dims != null ? dims : MixturePlots.firstColumns(model.dimension(), MixturePlots.MAX_MATRIX_COLUMNS);
        int[] labels = model.predict(data);
        if (dims.length == 1) {
            return Figure.of(histogram(model, data, labels, dims[0], width, height));
        }
        return MixturePlots.pairs(dims, width, height, (x, y, w, h, whole) -> scatter(model, data, labels, x, y, w, h, whole),
                title(model), MixturePlots.classificationKeys(model.components(), "cluster", null));
    }

    private static String title(KMeansModel model) {
        return "k-means, " + model.components() + " cluster" + (model.components() == 1 ? "" : "s");
    }

    /** Rows coloured by cluster, each centroid a black diamond. */
    private static XYChart scatter(KMeansModel model, Dataset data, int[] labels, int x, int y, int width, int height,
                                   boolean legend) {
        XYChart chart = MixturePlots.scatterBase(title(model), model.featureNames(), x, y, width, height, legend);
        for (int c = 0; c < model.components(); c++) {
            int cc = c;
            MixturePlots.addRows(chart, "cluster " + (c + 1), data, x, y, i -> labels[i] == cc, MixturePlots.color(c), 255);
            XYSeries rows = chart.getSeriesMap().get("cluster " + (c + 1));
            if (rows != null) {
                // Unlike a mixture's, a cluster has nothing else to name it in the legend.
                rows.setShowInLegend(true);
            }
        }
        double[][] centroids = model.centroids();
        double[] cx = new double[centroids.length];
        double[] cy = new double[centroids.length];
        for (int c = 0; c < centroids.length; c++) {
            cx[c] = centroids[c][x];
            cy[c] = centroids[c][y];
        }
        XYSeries m = chart.addSeries("centroids", cx, cy);
        m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        m.setMarker(SeriesMarkers.DIAMOND);
        m.setMarkerColor(Color.BLACK);
        return chart;
    }

    /**
     * One column's histogram on the density scale, each cluster's rows in its colour (in one dimension the
     * clusters are intervals, so their bars hardly overlap), each centroid a dashed vertical line.
     */
    private static XYChart histogram(KMeansModel model, Dataset data, int[] labels, int column, int width, int height) {
        String name = model.featureNames().get(column);
        XYChart chart = MixturePlots.base(width, height, title(model) + ": " + name, name, "density");
        double[] values = MixturePlots.columnValues(data, column);
        MixturePlots.Bins bins = MixturePlots.Bins.of(values, false);
        double top = 0;
        for (int c = 0; c < model.components(); c++) {
            int cc = c;
            double[][] steps = bins.densitySteps(values, i -> labels[i] == cc);
            for (double h : steps[1]) {
                top = Math.max(top, h);
            }
            Color col = MixturePlots.color(c);
            XYSeries s = chart.addSeries("cluster " + (c + 1), steps[0], steps[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            s.setMarker(SeriesMarkers.NONE);
            s.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 170));
            s.setLineColor(col);
            s.setLineWidth(1f);
        }
        for (int c = 0; c < model.components(); c++) {
            double at = model.centroid(c)[column];
            XYSeries line = chart.addSeries("centroid " + (c + 1), new double[] {at, at}, new double[] {0, top * 1.05});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(MixturePlots.color(c).darker());
            line.setLineStyle(MixturePlots.DASHED);
            line.setShowInLegend(false);
        }
        return chart;
    }
}
