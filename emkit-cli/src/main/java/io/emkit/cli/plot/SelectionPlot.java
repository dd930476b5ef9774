package io.emkit.cli.plot;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.select.Candidate;
import io.emkit.select.SelectionResult;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The choice of a model: the criterion against the number of components, a line per covariance structure. */
public final class SelectionPlot {
    /** The structures in mclust's order: a structure keeps its symbol, line type and colour in every plot. */
    private static final List<CovarianceType> MCLUST = CovarianceType.all();

    private SelectionPlot() {
    }

    /**
     * One line per structure through its successful fits (failed fits leave gaps), each structure with its own
     * symbol, line type and colour (fixed by mclust's order of the fourteen), the chosen model circled in black; the
     * legend beside the plot.
     *
     * @param result what {@code emkit select} found
     * @param width  width in pixels
     * @param height height in pixels
     * @return the figure
     */
    public static Figure of(SelectionResult result, int width, int height) {
        String name = result.criterion().name();
        XYChart chart = MixturePlots.base(width, height, name + " by number of components (lower is better)",
                "components K", name);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<String, List<Candidate>> byType = new LinkedHashMap<>();
        for (Candidate c : result.candidates()) {
            byType.computeIfAbsent(c.structureName(), t -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<Candidate>> e : byType.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Candidate c : e.getValue()) {
                double v = c.value(result.criterion());
                if (c.succeeded() && Double.isFinite(v)) {
                    xs.add((double) c.components());
                    ys.add(v);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            // As mclust: each structure its own symbol and line type, so the lines part without colour; mixtures
            // of factor analysers after the fourteen, by their Q.
            Candidate first = e.getValue().get(0);
            int i = first.isFactorAnalysers() ? MCLUST.size() + first.factors() - 1
                    : Math.max(0, MCLUST.indexOf(first.covariance()));
            Color color = MixturePlots.color(i);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(Glyph.series(i));
            s.setLineStyle(Glyph.dash(i, 1.5f));
        }
        if (chart.getSeriesMap().isEmpty()) {
            throw new io.emkit.EmkitException("no successful fit to plot");
        }
        Optional<Candidate> best = result.best();
        if (best.isPresent()) {
            Candidate b = best.get();
            XYSeries s = chart.addSeries("chosen: " + b.name(), List.of((double) b.components()),
                    List.of(b.value(result.criterion())));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(new Glyph(Glyph.Shape.CIRCLE_OPEN, 18));
            s.setMarkerColor(Color.BLACK);
        }
        return Figure.of(chart);
    }
}
