package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixtureModel;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.internal.chartpart.Chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Pictures of a mixture of independent columns ({@link ProductMixtureModel}) over its data, a panel per column:
 * a numeric column (Gaussian, exponential, Poisson) as a histogram with each component's weighted density (or
 * probability mass) and the mixture's; a categorical or Bernoulli column as bars of each category's share of
 * the rows beside each component's probability of that category.
 *
 * <p>Each panel shows the model's marginal over its column, which for independent columns is the mixture of the
 * components' distributions of that column with the same weights.
 */
public final class ProductMixturePlots {
    /** At most this many columns get a panel each; choose others with dims. */
    public static final int MAX_PANELS = 9;

    private ProductMixturePlots() {
    }

    /**
     * A panel per chosen column, on a near-square grid.
     *
     * @param model  the fitted mixture
     * @param data   rows with the model's features, in its order (categorical columns as codes)
     * @param dims   the columns to show (from 0), or {@code null} for the first {@link #MAX_PANELS}
     * @param width  width in pixels
     * @param height height in pixels
     * @return the figure
     */
    public static Figure of(ProductMixtureModel model, Dataset data, int[] dims, int width, int height) {
        return of(model, data, dims, null, width, height);
    }

    /**
     * A panel per chosen column, each component named with its class where the model has classes (a fit with a
     * labels column): "component 1 (setosa)", as the report's tables name it.
     *
     * @param model   the fitted mixture
     * @param data    rows with the model's features, in its order (categorical columns as codes)
     * @param dims    the columns to show (from 0), or {@code null} for the first {@link #MAX_PANELS}
     * @param classes each component's class, or {@code null} for a model without classes
     * @param width   width in pixels
     * @param height  height in pixels
     * @return the figure
     */
    public static Figure of(ProductMixtureModel model, Dataset data, int[] dims, List<String> classes, int width,
                            int height) {
        dims = dims != null ? dims : MixturePlots.firstColumns(model.dimension(), MAX_PANELS);
        int cols = (int) Math.ceil(Math.sqrt(dims.length));
        int rows = (dims.length + cols - 1) / cols;
        List<Chart<?, ?>> panels = new ArrayList<>();
        for (int p = 0; p < dims.length; p++) {
            panels.add(panel(model, data, dims[p], classes, width / cols, height / rows, p == 0));
        }
        return panels.size() == 1 ? Figure.of(panels.get(0)) : Figure.grid(width, height, rows, cols, panels);
    }

    private static Chart<?, ?> panel(ProductMixtureModel model, Dataset data, int column, List<String> classes,
                                     int width, int height, boolean legend) {
        ColumnFamily family = model.families().get(column);
        String name = model.featureNames().get(column);
        String title = name + " (" + family.label() + ")";
        double[] values = MixturePlots.columnValues(data, column);
        Chart<?, ?> chart = switch (family) {
            case CATEGORICAL, BERNOULLI -> bars(model, column, values, classes, title, width, height);
            case GAUSSIAN, EXPONENTIAL, POISSON -> MixturePlots.densityChart(title, name, values, model.components(),
                    classes, family == ColumnFamily.POISSON, xs -> weightedDensities(model, column, xs), width, height);
        };
        chart.getStyler().setLegendVisible(legend);
        return chart;
    }

    /**
     * {@code w_c f_c(x)} for every component c at every point: the column's marginal mixture gives the total
     * density and the responsibilities split it, so the densities are the model's own.
     */
    static double[][] weightedDensities(ProductMixtureModel model, int column, double[] xs) {
        ColumnFamily family = model.families().get(column);
        ProductMixtureModel marginal = ProductMixtureModel.of(model.weights(), List.of(family),
                new double[][][] {model.parameters(column)}, null, List.of(model.featureNames().get(column)));
        int k = model.components();
        double[][] out = new double[k][xs.length];
        List<Integer> inSupport = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (family.violation(xs[i]) == null) {
                inSupport.add(i);
            }
        }
        double[] x = new double[inSupport.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = xs[inSupport.get(i)];
        }
        if (x.length == 0) {
            return out;
        }
        Dataset points = Dataset.wrap(x, x.length, 1, marginal.featureNames());
        double[] log = marginal.scoreSamples(points);
        double[][] resp = marginal.predictProba(points);
        for (int i = 0; i < x.length; i++) {
            double total = Math.exp(log[i]);
            for (int c = 0; c < k; c++) {
                out[c][inSupport.get(i)] = total * resp[i][c];
            }
        }
        return out;
    }

    /** Bars per category: the rows' share (grey), then each component's probability of the category. */
    private static CategoryChart bars(ProductMixtureModel model, int column, double[] values, List<String> classes,
                                      String title, int width, int height) {
        boolean bernoulli = model.families().get(column) == ColumnFamily.BERNOULLI;
        List<String> names = bernoulli ? List.of("0", "1") : model.categories(column);
        double[][] p = model.parameters(column);
        int m = names.size();
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(model.featureNames().get(column)).yAxisTitle("probability").build();
        org.knowm.xchart.style.CategoryStyler s = chart.getStyler();
        MixturePlots.style(s);
        s.setYAxisMin(0.0);
        s.setXAxisLabelRotation(m > 6 ? 45 : 0);
        double[] share = new double[m];
        for (double v : values) {
            share[(int) v] += 1.0 / values.length;
        }
        CategorySeries data = chart.addSeries("data (share of rows)", names, toList(share));
        data.setFillColor(MixturePlots.HISTOGRAM);
        for (int c = 0; c < model.components(); c++) {
            double[] q = new double[m];
            for (int j = 0; j < m; j++) {
                q[j] = bernoulli ? (j == 1 ? p[c][0] : 1 - p[c][0]) : p[c][j];
            }
            CategorySeries series = chart.addSeries(MixturePlots.componentName(c, classes), names, toList(q));
            series.setFillColor(MixturePlots.color(c));
        }
        return chart;
    }

    private static List<Double> toList(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }
}
