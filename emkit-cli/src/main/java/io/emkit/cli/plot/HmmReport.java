package io.emkit.cli.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML report of a hidden Markov model fit ({@code emkit hmm fit --report}): one self-contained page with the
 * data, how the fit went (options, log-likelihood, BIC, AIC, warnings, the log-likelihood after each iteration),
 * the fitted parameters as the summary prints them, and the first sequence's decoding ({@link HmmPlots#decoding}),
 * the pictures as inline SVG.
 */
public final class HmmReport extends HtmlPage<HmmReport> {
    private final String dataName;
    private final String dataLine;
    private Map<String, String> options = new LinkedHashMap<>();
    private String status = "";
    private final List<String[]> criteria = new ArrayList<>();
    private List<String> warnings = List.of();
    private List<double[]> traces = List.of();
    private int best;
    private String parameters = "";
    private Figure decoding;
    private String decodingCaption = "";

    /**
     * @param dataName  the data file as the user named it
     * @param sequences the sequences fitted
     * @param steps     the time steps fitted
     * @param columns   the observation columns
     */
    public HmmReport(String dataName, long sequences, long steps, List<String> columns) {
        this.dataName = dataName;
        this.dataLine = dataName + ": " + sequences + " sequence" + (sequences == 1 ? "" : "s") + ", " + steps + " step"
                + (steps == 1 ? "" : "s") + ", " + columns.size() + " column" + (columns.size() == 1 ? "" : "s") + " ("
                + String.join(", ", columns.size() > 20 ? columns.subList(0, 20) : columns)
                + (columns.size() > 20 ? ", ..." : "") + ")";
    }

    /**
     * @param options       the fit's options, as a table of option and value
     * @param status        how the fit ended, a sentence
     * @param logLikelihood the log-likelihood
     * @param parameters    the free parameters
     * @param steps         the time steps (BIC's n)
     * @param warnings      the fit's warnings
     * @return this report
     */
    public HmmReport fit(Map<String, String> options, String status, double logLikelihood, int parameters, double steps,
                         List<String> warnings) {
        this.options = new LinkedHashMap<>(options);
        this.status = status;
        this.warnings = List.copyOf(warnings);
        criteria.clear();
        criteria.add(new String[] {"log-likelihood", num(logLikelihood), "per step " + num(logLikelihood / steps)});
        criteria.add(new String[] {"BIC", num(-2 * logLikelihood + parameters * Math.log(steps)),
            "−2 logL + p ln n, lower is better; p = " + parameters + ", n = "
                + (steps == Math.rint(steps) ? Long.toString((long) steps) : num(steps)) + " steps"});
        criteria.add(new String[] {"AIC", num(-2 * logLikelihood + 2.0 * parameters), "−2 logL + 2p, lower is better"});
        return this;
    }

    /**
     * @param traces the objective after each iteration, one array per initialisation
     * @param best   the initialisation kept
     * @return this report
     */
    public HmmReport convergence(List<double[]> traces, int best) {
        this.traces = traces;
        this.best = best;
        return this;
    }

    /**
     * @param summary the fitted parameters as text (the summary's tables), shown as written
     * @return this report
     */
    public HmmReport parameters(String summary) {
        this.parameters = summary;
        return this;
    }

    /**
     * @param figure  the decoding picture
     * @param caption what it shows
     * @return this report
     */
    public HmmReport decoding(Figure figure, String caption) {
        this.decoding = figure;
        this.decodingCaption = caption;
        return this;
    }

    /** @return the HTML page */
    @Override
    public String html() {
        StringBuilder h = new StringBuilder(1 << 16);
        Report.pageHead(h, dataName, "pre{font-size:.85em;overflow-x:auto}\n");
        h.append("<h1>Hidden Markov model: ").append(esc(dataName)).append("</h1>\n");
        h.append("<section id=\"data\">\n<h2>Data</h2>\n<p>").append(esc(dataLine)).append(".</p>\n</section>\n");
        h.append("<section id=\"fit\">\n<h2>Fit</h2>\n<p>").append(esc(status)).append(".</p>\n");
        Report.optionsTable(h, options);
        h.append("<table id=\"criteria\">\n<tr><th>criterion</th><th>value</th><th></th></tr>\n");
        for (String[] c : criteria) {
            h.append("<tr><td>").append(c[0]).append("</td><td>").append(esc(c[1])).append("</td><td>")
                    .append(esc(c[2])).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (String w : warnings) {
            h.append("<p class=\"warn\">warning: ").append(esc(w)).append("</p>\n");
        }
        if (!traces.isEmpty()) {
            h.append("<figure id=\"plot-convergence\">\n")
                    .append(MixturePlots.trace(traces, best, "log-likelihood", width, height * 2 / 3)
                            .toInlineSvg("convergence-"))
                    .append("\n<figcaption class=\"note\">The objective (the log-likelihood, or the log posterior under"
                            + " priors) after each iteration, a line per initialisation.</figcaption>\n</figure>\n");
        }
        h.append("</section>\n");
        h.append("<section id=\"parameters\">\n<h2>Parameters</h2>\n<pre>").append(esc(parameters))
                .append("</pre>\n</section>\n");
        if (decoding != null) {
            h.append("<section id=\"decoding\">\n<h2>Decoding</h2>\n<figure id=\"plot-decoding\">\n")
                    .append(decoding.toInlineSvg("decoding-")).append("\n<figcaption class=\"note\">")
                    .append(esc(decodingCaption)).append("</figcaption>\n</figure>\n</section>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String esc(String s) {
        return Report.esc(s);
    }
}
