package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.mixture.ClusteringModel;
import io.emkit.families.ColumnFamily;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeansModel;
import io.emkit.mixture.MixtureModel;
import io.emkit.families.ProductMixtureModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fitted model (a Gaussian mixture, k-means or a mixture of independent columns) explained on one
 * self-contained HTML page: the data, the fit's options and convergence, the log-likelihood, BIC and AIC (a
 * mixture) or the inertia (k-means), the parameters, the cluster sizes and the pictures.
 * The page makes no request: its pictures are inline SVG and its styles are inline.
 */
public final class Report extends HtmlPage<Report> {
    private final String dataName;
    private final Dataset data;
    private final long totalRows;
    private final ClusteringModel model;
    private final Map<String, String> fitOptions = new LinkedHashMap<>();
    private String fitStatus;
    private List<double[]> traces = List.of();
    private int best = -1;
    /** The total log-likelihood (a mixture) or the inertia (k-means). */
    private double objective;
    private double rowsForCriteria;
    private final List<String> warnings = new ArrayList<>();
    /** The rows counted in the summary and the cluster sizes: every row read, with missing cells; or {@link #data}. */
    private Dataset counted;
    private List<String> componentClasses;
    /** What a mixture's fit maximised, as the criteria table and the convergence picture name it. */
    private String objectiveName = "log-likelihood";

    /**
     * A report of a model over data, with the log-likelihood, BIC and AIC (or the inertia) computed on
     * {@code data}.
     *
     * @param dataName  the data's name (file), as shown
     * @param data      the rows to plot and count (all of them, or a sample)
     * @param totalRows how many rows the data has in all ({@code data.rows()} unless a sample)
     * @param model     the fitted model, a {@link GaussianMixtureModel}, {@link KMeansModel} or
     *                  {@link ProductMixtureModel}; its features are {@code data}'s columns, in order
     */
    public Report(String dataName, Dataset data, long totalRows, ClusteringModel model) {
        this.dataName = dataName;
        this.data = data;
        this.totalRows = totalRows;
        this.model = model;
        this.objective = objective(model, data);
        this.rowsForCriteria = data.rows();
    }

    /**
     * What a fit of the model optimises, over some rows.
     *
     * @param model a mixture or a k-means model
     * @param data  rows
     * @return the total log-likelihood (a mixture) or the inertia (k-means)
     */
    public static double objective(ClusteringModel model, Dataset data) {
        if (model instanceof MixtureModel m) {
            return m.logLikelihood(data);
        }
        if (model instanceof KMeansModel k) {
            return k.inertia(data);
        }
        throw new IllegalArgumentException("no report for a " + model.getClass().getSimpleName());
    }

    /**
     * Adds what the fit knew: its options, its outcome and its objective over all rows.
     *
     * @param options   option names and values, in the order shown
     * @param status    a sentence on convergence, e.g. "converged after 4 iterations"
     * @param objective the total log-likelihood (a mixture) or the inertia (k-means) over all {@code rows}
     * @param rows      the number of rows fitted
     * @param warnings  the fit's warnings
     * @return this report
     */
    public Report fit(Map<String, String> options, String status, double objective, double rows,
                      List<String> warnings) {
        fitOptions.putAll(options);
        this.fitStatus = status;
        this.objective = objective;
        this.rowsForCriteria = rows;
        this.warnings.addAll(warnings);
        return this;
    }

    /**
     * Adds the convergence of every initialisation.
     *
     * @param traces each initialisation's objective (log-likelihood, or inertia for k-means) after each iteration
     * @param best   the winning initialisation, from 0
     * @return this report
     */
    public Report convergence(List<double[]> traces, int best) {
        this.traces = List.copyOf(traces);
        this.best = best;
        return this;
    }

    /**
     * Counts these rows (every row of the data, missing cells and all) in the data summary and the cluster
     * sizes, where the pictures need complete rows: the sizes then sum to the number of rows, and the pictures
     * say when they show fewer.
     *
     * @param rows every row, in the model's columns
     * @return this report
     */
    public Report counted(Dataset rows) {
        this.counted = rows;
        return this;
    }

    /**
     * Names each component's class (a model fitted with labels), shown beside its number in the tables and the
     * pictures' legends.
     *
     * @param classes per component its class, or {@code null} for none
     * @return this report
     */
    public Report classes(List<String> classes) {
        this.componentClasses = classes == null ? null : List.copyOf(classes);
        return this;
    }

    /**
     * Names the objective the fit maximised where it is not the log-likelihood (a semi-supervised fit's), in the
     * criteria table, where BIC and AIC are computed from it, and on the convergence picture's axis.
     *
     * @param name e.g. "semi-supervised log-likelihood"
     * @return this report
     */
    public Report objective(String name) {
        this.objectiveName = java.util.Objects.requireNonNull(name, "name");
        return this;
    }

    /** A component's number, from 1, with its class where the model has classes. */
    private String label(int c) {
        return componentClasses == null ? Integer.toString(c + 1)
                : (c + 1) + " (" + esc(componentClasses.get(c)) + ")";
    }

    /** @return the HTML page */
    @Override
    public String html() {
        StringBuilder h = new StringBuilder(1 << 16);
        List<String> names = model.featureNames();
        int k = model.components();
        pageHead(h, dataName, ".swatch{display:inline-block;width:.9em;height:.9em;border-radius:50%;margin-right:.4em;"
                + "vertical-align:-.1em}\n");
        h.append("<h1>").append(esc(kind())).append(": ").append(esc(dataName)).append("</h1>\n");

        h.append("<section id=\"data\">\n<h2>Data</h2>\n<p>").append(esc(dataName)).append(": ").append(totalRows)
                .append(" rows, ").append(names.size()).append(" column").append(names.size() == 1 ? "" : "s");
        Dataset rows = counted != null ? counted : data;
        if (totalRows != rows.rows()) {
            h.append(" (pictures, summary and cluster sizes from a sample of ").append(data.rows()).append(" rows spread over the file)");
        }
        long missingRows = rows.rows() - data.rows();
        if (counted != null && missingRows > 0) {
            h.append("; ").append(missingRows).append(" row").append(missingRows == 1 ? " has" : "s have")
                    .append(" missing cells: the summary and cluster sizes count every row (each assigned on its observed"
                            + " values), the pictures show the ").append(data.rows()).append(" complete rows");
        }
        h.append(".</p>\n<table>\n<tr><th>column</th><th>min</th><th>mean</th><th>sd</th><th>max</th></tr>\n");
        for (int j = 0; j < names.size(); j++) {
            h.append("<tr><td>").append(esc(names.get(j))).append("</td>");
            if (model instanceof ProductMixtureModel p && p.families().get(j) == ColumnFamily.CATEGORICAL) {
                int m = p.categories(j).size();
                h.append("<td colspan=\"4\">categorical, ").append(m).append(" categor").append(m == 1 ? "y" : "ies")
                        .append("</td></tr>\n");
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long seen = 0;
            for (int i = 0; i < rows.rows(); i++) {
                double v = rows.get(i, j);
                if (Double.isNaN(v)) {
                    continue;
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                seen++;
            }
            double mean = sum / seen;
            double ss = 0;
            for (int i = 0; i < rows.rows(); i++) {
                double v = rows.get(i, j) - mean;
                if (!Double.isNaN(v)) {
                    ss += v * v;
                }
            }
            double sd = seen > 1 ? Math.sqrt(ss / (seen - 1)) : 0;
            h.append(td(min)).append(td(mean)).append(td(sd)).append(td(max)).append("</tr>\n");
        }
        h.append("</table>\n</section>\n");

        h.append("<section id=\"fit\">\n<h2>Fit</h2>\n<p>").append(esc(description())).append('.');
        if (fitStatus != null) {
            h.append(' ').append(esc(fitStatus)).append('.');
        }
        h.append("</p>\n");
        optionsTable(h, fitOptions);
        h.append("<table id=\"criteria\">\n<tr><th>criterion</th><th>value</th><th></th></tr>\n");
        if (model instanceof KMeansModel) {
            h.append("<tr><td>inertia</td>").append(td(objective)).append("<td>sum of squared distances to the centroids,"
                    + " lower is better; per row ").append(num(objective / rowsForCriteria)).append("</td></tr>\n");
        } else {
            int p = model.parameterCount();
            double bic = -2 * objective + p * Math.log(rowsForCriteria);
            double aic = -2 * objective + 2.0 * p;
            String logL = objectiveName.equals("log-likelihood") ? "" : ", logL the " + objectiveName;
            h.append("<tr><td>").append(esc(objectiveName)).append("</td>").append(td(objective)).append("<td>per row ")
                    .append(num(objective / rowsForCriteria)).append("</td></tr>\n")
                    .append("<tr><td>BIC</td>").append(td(bic)).append("<td>−2 logL + p ln n, lower is better; p = ").append(p)
                    .append(", n = ").append(num(rowsForCriteria)).append(esc(logL)).append("</td></tr>\n")
                    .append("<tr><td>AIC</td>").append(td(aic)).append("<td>−2 logL + 2p, lower is better</td></tr>\n");
        }
        h.append("</table>\n");
        for (String w : warnings) {
            h.append("<p class=\"warn\">warning: ").append(esc(w)).append("</p>\n");
        }
        if (!traces.isEmpty()) {
            String objectiveName = model instanceof KMeansModel ? "inertia" : this.objectiveName;
            h.append("<figure id=\"plot-convergence\">\n")
                    .append(MixturePlots.trace(traces, best, objectiveName, width, height * 2 / 3).toInlineSvg("convergence-"))
                    .append("\n<figcaption class=\"note\">").append(objectiveName.substring(0, 1).toUpperCase(Locale.ROOT))
                    .append(objectiveName.substring(1)).append(" after each iteration, a line per initialisation.</figcaption>\n</figure>\n");
        }
        h.append("</section>\n");

        h.append("<section id=\"parameters\">\n<h2>Parameters</h2>\n");
        if (model instanceof GaussianMixtureModel g) {
            gaussianParameters(h, g);
        } else if (model instanceof KMeansModel km) {
            h.append("<table id=\"parameter-table\">\n<tr><th>cluster</th>");
            for (String n : names) {
                h.append("<th>centroid ").append(esc(n)).append("</th>");
            }
            h.append("</tr>\n");
            for (int c = 0; c < k; c++) {
                h.append("<tr><td>").append(swatch(c)).append(label(c)).append("</td>");
                for (double v : km.centroid(c)) {
                    h.append(td(v));
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        } else if (model instanceof ProductMixtureModel pm) {
            h.append("<table id=\"parameter-table\">\n<tr><th></th>");
            for (int c = 0; c < k; c++) {
                h.append("<th>").append(swatch(c)).append("component ").append(label(c)).append("</th>");
            }
            h.append("</tr>\n<tr><td>weight</td>");
            for (double w : pm.weights()) {
                h.append(td(w));
            }
            h.append("</tr>\n");
            for (ParameterRow r : ParameterRow.of(pm)) {
                h.append("<tr><td>").append(esc(r.label())).append("</td>");
                for (double v : r.perComponent()) {
                    h.append(td(v));
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</section>\n");

        int[] labels = model.predict(rows);
        long[] sizes = new long[k];
        for (int l : labels) {
            sizes[l]++;
        }
        double[] w = model instanceof MixtureModel m ? m.weights() : null;
        h.append("<section id=\"clusters\">\n<h2>Cluster sizes</h2>\n<table id=\"cluster-sizes\">\n")
                .append("<tr><th>").append(model instanceof KMeansModel ? "cluster" : "component")
                .append("</th><th>rows</th><th>share</th>").append(w != null ? "<th>weight</th>" : "").append("</tr>\n");
        for (int c = 0; c < k; c++) {
            h.append("<tr><td>").append(swatch(c)).append(label(c)).append("</td><td>").append(sizes[c]).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * sizes[c] / Math.max(1, labels.length)))
                    .append("</td>").append(w != null ? td(w[c]) : "").append("</tr>\n");
        }
        h.append("</table>\n<p class=\"note\">Rows by hard assignment (")
                .append(model instanceof KMeansModel ? "the nearest centroid" : "the most probable component")
                .append(").</p>\n</section>\n");

        String shown = data.rows() < rows.rows() && totalRows == rows.rows()
                ? " Drawn from the " + data.rows() + " complete rows of " + rows.rows() + "." : "";
        h.append("<section id=\"plots\">\n<h2>Data and components</h2>\n<figure id=\"plot-data\">\n")
                .append(ModelPlots.of(model, data, null, PlotKind.CLASSIFICATION, componentClasses, width, height)
                        .toInlineSvg("data-"))
                .append("\n<figcaption class=\"note\">").append(esc(caption() + shown)).append("</figcaption>\n</figure>\n");
        if (model instanceof GaussianMixtureModel g) {
            h.append("<figure id=\"plot-uncertainty\">\n")
                    .append(MixturePlots.of(g, data, null, PlotKind.UNCERTAINTY, componentClasses, width, height)
                            .toInlineSvg("uncertainty-"))
                    .append("\n<figcaption class=\"note\">").append(esc(uncertaintyCaption() + shown))
                    .append("</figcaption>\n</figure>\n<figure id=\"plot-density\">\n")
                    .append(MixturePlots.of(g, data, null, PlotKind.DENSITY, componentClasses, width, height)
                            .toInlineSvg("density-"))
                    .append("\n<figcaption class=\"note\">").append(esc(densityCaption() + shown))
                    .append("</figcaption>\n</figure>\n");
        }
        h.append("</section>\n");
        h.append("<footer class=\"note\"><p>Made by emkit.</p></footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private String kind() {
        return model instanceof KMeansModel ? "k-means" : model instanceof ProductMixtureModel
                ? "Mixture of independent columns" : "Gaussian mixture";
    }

    private String description() {
        int k = model.components();
        if (model instanceof GaussianMixtureModel g) {
            CovarianceType t = g.covarianceType();
            return "Gaussian mixture, " + k + " component" + (k == 1 ? "" : "s") + ", " + t.label()
                    + " covariance (mclust " + t.mclustName() + ")";
        }
        if (model instanceof ProductMixtureModel p) {
            StringBuilder fams = new StringBuilder();
            for (int j = 0; j < p.dimension(); j++) {
                fams.append(j == 0 ? "" : ", ").append(p.featureNames().get(j)).append(": ").append(p.families().get(j).label());
            }
            return "Mixture of independent columns, " + k + " component" + (k == 1 ? "" : "s") + " (" + fams + ")";
        }
        return "k-means, " + k + " cluster" + (k == 1 ? "" : "s");
    }

    private String caption() {
        if (model instanceof ProductMixtureModel) {
            return "A panel per column: numeric columns as a histogram with each component's weighted density (or"
                    + " probability mass, for counts) and the mixture's; categorical columns as each category's share of"
                    + " the rows (grey) beside each component's probability of it.";
        }
        if (model instanceof KMeansModel) {
            return model.dimension() == 1
                    ? "Histogram of the data (density scale), each cluster's rows in its colour, each centroid a dashed line."
                    : "Rows coloured by their cluster (the nearest centroid); the centroids are black diamonds.";
        }
        return model.dimension() == 1
                ? "Histogram of the data (density scale) with each component's weighted density and the mixture's density."
                : "Rows as dots coloured by their most probable component, fainter when less certain (largest"
                + " responsibility below " + MixturePlots.CERTAIN + ", below " + MixturePlots.UNCERTAIN + "); each"
                + " component's 1σ (solid) and 2σ (dashed) ellipse and its mean (+).";
    }

    private String uncertaintyCaption() {
        return model.dimension() == 1
                ? "Each row's uncertainty (1 − its largest responsibility) against its value, coloured by its component."
                : "Rows sized and shaded by the uncertainty of their component (1 − the largest responsibility): small"
                + " grey dots below " + SvgText.tickLabel(MixtureViews.LOW) + ", larger dark grey up to "
                + SvgText.tickLabel(MixtureViews.HIGH) + ", large black above; each component's 1σ ellipse in its colour.";
    }

    private String densityCaption() {
        return model.dimension() == 1
                ? "The mixture's density (black) and each component's weighted density (dashed), with a tick under the"
                + " curve for each row (the rug)."
                : "Contours of the mixture's density over each pair of columns, at the densities that enclose about 25%,"
                + " 50%, 75%, 90% and 99% of the rows (darker inside).";
    }

    private void gaussianParameters(StringBuilder h, GaussianMixtureModel g) {
        List<String> names = g.featureNames();
        int k = g.components();
        h.append("<table id=\"parameter-table\">\n<tr><th>component</th><th>weight</th>");
        for (String n : names) {
            h.append("<th>mean ").append(esc(n)).append("</th>");
        }
        h.append("</tr>\n");
        double[] w = g.weights();
        for (int c = 0; c < k; c++) {
            h.append("<tr><td>").append(swatch(c)).append(label(c)).append("</td>").append(td(w[c]));
            for (double v : g.mean(c)) {
                h.append(td(v));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        CovarianceType t = g.covarianceType();
        int shown = t == CovarianceType.TIED ? 1 : k;
        for (int c = 0; c < shown; c++) {
            h.append("<table class=\"covariance\">\n<tr><th>").append(t == CovarianceType.TIED ? "covariance (all components)"
                    : swatch(c) + "covariance " + (c + 1)).append("</th>");
            for (String n : names) {
                h.append("<th>").append(esc(n)).append("</th>");
            }
            h.append("</tr>\n");
            double[][] cov = g.covariance(c);
            for (int i = 0; i < names.size(); i++) {
                h.append("<tr><td>").append(esc(names.get(i))).append("</td>");
                for (double v : cov[i]) {
                    h.append(td(v));
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static String swatch(int c) {
        java.awt.Color col = MixturePlots.color(c);
        return String.format(Locale.ROOT, "<span class=\"swatch\" style=\"background:#%02x%02x%02x\"></span>",
                col.getRed(), col.getGreen(), col.getBlue());
    }

    private static String td(double v) {
        return "<td>" + num(v) + "</td>";
    }

    private static String num(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        String s = a >= 1e-4 && a < 1e9 ? String.format(Locale.ROOT, "%.6g", v) : String.format(Locale.ROOT, "%.5e", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    /**
     * Escapes text for HTML.
     *
     * @param s text
     * @return the text with {@code & < > " '} escaped
     */
    /**
     * The page's head and the opening of its body: the title names the data, the style every report shares, then
     * {@code extraCss}.
     */
    static void pageHead(StringBuilder h, String dataName, String extraCss) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>emkit report: ").append(esc(dataName)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1000px;")
                .append("padding:0 1em;color:#222;line-height:1.4}\n")
                .append("h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}th,td{padding:.25em .7em;border-bottom:1px solid #eee;")
                .append("text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f6f6}")
                .append("td:first-child,th:first-child{text-align:left}\n")
                .append(extraCss)
                .append("#criteria td:last-child{text-align:left}.warn{color:#a00}.note{color:#666;font-size:.9em}")
                .append("figure{margin:1em 0}svg{max-width:100%;height:auto}\n")
                .append("</style>\n</head>\n<body>\n");
    }

    /** The fit's options as a table of option and value, nothing if there are none. */
    static void optionsTable(StringBuilder h, Map<String, String> options) {
        if (options.isEmpty()) {
            return;
        }
        h.append("<table id=\"options\">\n<tr><th>option</th><th>value</th></tr>\n");
        for (Map.Entry<String, String> e : options.entrySet()) {
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(e.getValue()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
