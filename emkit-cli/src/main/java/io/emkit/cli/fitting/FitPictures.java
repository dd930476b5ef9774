package io.emkit.cli.fitting;

import io.emkit.cli.Format;
import io.emkit.cli.Outputs;
import io.emkit.cli.pictures.PictureSize;
import io.emkit.cli.pictures.Pictures;
import io.emkit.cli.plot.MixturePlots;
import io.emkit.cli.plot.ModelPlots;
import io.emkit.cli.plot.Report;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.mixture.ClusteringModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.kmeans.KMeansModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The picture options of the fitting commands (fit, fit --family, kmeans): --plot, --plot-trace, --report (a picocli mixin). */
final class FitPictures {
    @Option(names = "--plot", paramLabel = "FILE",
            description = "Draw the fitted model over the data to FILE (.png, .svg or .pdf), as emkit plot does.")
    Path plot;

    @Option(names = "--plot-what", paramLabel = "KIND",
            description = "Which picture --plot draws: classification (default), uncertainty or density, as emkit plot"
                    + " --what.")
    String plotWhat = "classification";

    @Option(names = "--plot-trace", paramLabel = "FILE",
            description = "Draw the objective (log-likelihood, or inertia for k-means) after each iteration, a line per"
                    + " initialisation, to FILE (.png, .svg or .pdf).")
    Path plotTrace;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write a self-contained HTML report of the fit to FILE.")
    Path report;

    @Mixin
    PictureSize size;

    private Pictures.TraceRecorder recorder;

    /** Refuses unknown image types, bad sizes and outputs that are inputs, before the fit starts. */
    void check(Path... inputs) {
        size.check();
        io.emkit.cli.plot.PlotKind.parse(plotWhat);
        Pictures.checkImageName(plot);
        Pictures.checkImageName(plotTrace);
        Outputs.checkNotAnInput(plot, "--plot", inputs);
        Outputs.checkNotAnInput(plotTrace, "--plot-trace", inputs);
        Outputs.checkNotAnInput(report, "--report", inputs);
    }

    /**
     * Refuses, before the fit, a picture that the model being fitted has not (only a Gaussian mixture has the
     * uncertainty and density pictures).
     *
     * @param what the model, as named in the message, e.g. "k-means"
     */
    void onlyClassification(String what) {
        if (plot != null && io.emkit.cli.plot.PlotKind.parse(plotWhat) != io.emkit.cli.plot.PlotKind.CLASSIFICATION) {
            throw new io.emkit.EmkitException("--plot-what " + plotWhat + ": the uncertainty and density pictures are"
                    + " drawn for Gaussian mixtures only; a " + what + " model has its classification picture");
        }
    }

    /** The listener the fit should use: {@code next}, recording the traces when a picture needs them. */
    IterationListener listener(IterationListener next) {
        if (plotTrace == null && report == null) {
            return next;
        }
        recorder = new Pictures.TraceRecorder(next);
        return recorder;
    }

    /**
     * Writes the pictures and the report asked for.
     *
     * @param options the fit's options as the report lists them
     * @param config  the fit's engine options (for the status sentence)
     */
    void write(Path dataFile, Rows dataset, Map<String, String> options, EmOptions config,
               EmResult<? extends ClusteringModel> fit, PrintWriter err, boolean say) {
        double sign = fit.params() instanceof KMeansModel ? -1 : 1;
        write(dataFile, dataset, options, status(config, fit), sign * fit.logLikelihood(), fit, err, say);
    }

    /**
     * Writes the pictures and the report of a Gaussian mixture fit: its options (mini-batch, assignment) and
     * its status sentence, and the mixture log-likelihood given (for a hard fit not its objective).
     */
    void write(Path dataFile, Rows dataset, GaussianMixture config, EmResult<? extends ClusteringModel> fit,
               double logLikelihood, PrintWriter err, boolean say) {
        write(dataFile, dataset, options(config), status(config, fit, dataset.rows()), logLikelihood, fit, err, say);
    }

    /**
     * Writes the pictures and the report of a fit with a labels column (semi-supervised EM): the classes named beside
     * the components in the pictures' legends and the report's tables, and the objective, which is not the
     * log-likelihood, named as what it is on the convergence picture and in the report.
     *
     * @param options   the fit's options as the report lists them
     * @param objective the fitted objective's value over all rows
     * @param name      its name, e.g. "semi-supervised log-likelihood"
     * @param classes   each component's class
     */
    void writeLabelled(Path dataFile, Rows dataset, Map<String, String> options, EmResult<? extends ClusteringModel> fit,
                       double objective, String name, List<String> classes, PrintWriter err, boolean say) {
        int n = fit.iterations();
        int starts = recorder == null ? 1 : recorder.traces().size();
        String status = "Semi-supervised EM, " + (fit.converged() ? "converged after " + Format.count(n, "iteration")
                : "DID NOT CONVERGE in " + Format.count(n, "iteration")) + (starts <= 1
                ? "; one start, from the labelled rows"
                : "; best of " + starts + " starts (start " + (fit.bestInitialization() + 1) + " won)");
        write(dataFile, dataset, options, status, objective, fit, classes, name, err, say);
    }

    private void write(Path dataFile, Rows dataset, Map<String, String> options, String status, double reported,
                       EmResult<? extends ClusteringModel> fit, PrintWriter err, boolean say) {
        write(dataFile, dataset, options, status, reported, fit, null, "log-likelihood", err, say);
    }

    /**
     * @param options   the fit's options as the report lists them
     * @param status    the report's sentence on how the fit went
     * @param reported  the figure the report gives (the log-likelihood; the inertia for k-means)
     * @param classes   each component's class, or {@code null}
     * @param objective what a mixture's fit maximised (the inertia is named so for k-means)
     */
    private void write(Path dataFile, Rows dataset, Map<String, String> options, String status, double reported,
                       EmResult<? extends ClusteringModel> fit, List<String> classes, String objective, PrintWriter err,
                       boolean say) {
        if (plot == null && plotTrace == null && report == null) {
            return;
        }
        ClusteringModel model = fit.params();
        // k-means reports minus its inertia to the engine; people read the inertia.
        boolean kmeans = model instanceof KMeansModel;
        double sign = kmeans ? -1 : 1;
        Dataset rows = Pictures.rowsToDraw(dataset);
        writePlot(model, rows, classes, err, say);
        if (plotTrace != null) {
            MixturePlots.trace(traces(sign), fit.bestInitialization(), kmeans ? "inertia" : objective,
                    size.width(), size.height()).write(plotTrace);
            if (say) {
                err.println("convergence plot saved to " + plotTrace);
            }
        }
        if (report != null) {
            Report r = new Report(dataFile.toString(), rows, dataset.rows(), model).size(size.width(), size.height())
                    .classes(classes).objective(objective);
            if (dataset instanceof Dataset all && all.rows() <= Pictures.MAX_ROWS) {
                r.counted(all);
            }
            r.fit(options, status, reported, fit.sampleCount(), fit.warnings())
                    .convergence(traces(sign), fit.bestInitialization())
                    .write(report);
            if (say) {
                err.println("report saved to " + report);
            }
        }
    }

    /**
     * Draws {@code --plot}, when given: the fitted model over the rows to draw.
     *
     * @param model   the fitted model
     * @param rows    the rows to draw (see {@link Pictures#rowsToDraw})
     * @param classes each component's class (a fit with a labels column), named in the legend, or {@code null}
     * @param err     where to say what was saved
     * @param say     whether to say it
     */
    void writePlot(ClusteringModel model, Dataset rows, List<String> classes, PrintWriter err, boolean say) {
        if (plot == null) {
            return;
        }
        ModelPlots.of(model, rows, null, io.emkit.cli.plot.PlotKind.parse(plotWhat), classes, size.width(),
                size.height()).write(plot);
        if (say) {
            err.println("plot saved to " + plot);
        }
    }

    private List<double[]> traces(double sign) {
        List<double[]> out = new ArrayList<>();
        for (double[] t : recorder.traces()) {
            double[] s = t.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] *= sign;
            }
            out.add(s);
        }
        return out;
    }

    /**
     * The report's options table: the command's own first, then those of every EM fit.
     *
     * @param own    the command's model options, in order (e.g. --components, --covariance)
     * @param config the engine's options
     */
    static Map<String, String> options(Map<String, String> own, EmOptions config) {
        Map<String, String> o = new java.util.LinkedHashMap<>(own);
        putRuns(o, config);
        o.put(EmOptionsMixin.MAX_ITER, Integer.toString(config.maxIterations()));
        o.put(EmOptionsMixin.TOL, Format.num(config.tolerance()));
        o.put(EmOptionsMixin.SEED, Long.toString(config.seed()));
        return o;
    }

    /** A Gaussian mixture fit's options: the model's, then mini-batch or iteration limits, then the rest. */
    private static Map<String, String> options(GaussianMixture config) {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("--components", Integer.toString(config.components()));
        o.put("--covariance", config.covarianceType().label());
        o.put("--init", config.initialModel() != null ? "warm start (--init-model)" : config.initialization().label());
        putRuns(o, config.options());
        if (config.miniBatch() == null) {
            o.put(EmOptionsMixin.MAX_ITER, Integer.toString(config.options().maxIterations()));
            o.put(EmOptionsMixin.TOL, Format.num(config.options().tolerance()));
        } else {
            o.put("--mini-batch", Integer.toString(config.miniBatch().batchSize()));
            o.put("--passes", Integer.toString(config.miniBatch().passes()));
            o.put("--step-exponent", Format.num(config.miniBatch().stepExponent()));
            o.put("--shuffle", config.miniBatch().shuffled() ? "yes" : "no");
        }
        o.put("--reg-covar", Format.num(config.regCovar()));
        o.put("--prior", config.prior() == null ? "none" : "default");
        o.put(EmOptionsMixin.SEED, Long.toString(config.options().seed()));
        o.put("--assignment", config.assignment().label());
        return o;
    }

    private static String status(GaussianMixture config, EmResult<?> fit, int rows) {
        return config.miniBatch() == null ? status(config.options(), fit)
                : Summary.miniBatchRun(config.miniBatch(), rows) + "; best of " + config.options().initializations()
                + " initialisation" + (config.options().initializations() == 1 ? "" : "s")
                + " (initialisation " + (fit.bestInitialization() + 1) + " won)";
    }

    private static String status(EmOptions config, EmResult<?> fit) {
        int n = fit.iterations();
        String s = fit.converged() ? "Converged after " + n + " iteration" + (n == 1 ? "" : "s")
                : config.tolerance() == 0 ? "Ran " + n + " iterations (tolerance 0)"
                : "DID NOT CONVERGE in " + Format.count(n, "iteration");
        if (fit.search() != null) {
            return s + "; search (" + fit.search().level() + "): " + fit.search().summary();
        }
        int inits = config.initializations();
        return s + "; best of " + inits + " initialisation" + (inits == 1 ? "" : "s")
                + " (initialisation " + (fit.bestInitialization() + 1) + " won)";
    }

    /** {@code --search LEVEL}, or {@code --n-init N} when the fit made plain runs. */
    private static void putRuns(Map<String, String> o, EmOptions config) {
        if (config.search() != null) {
            o.put(EmOptionsMixin.SEARCH, config.search().label());
        } else {
            o.put(EmOptionsMixin.N_INIT, Integer.toString(config.initializations()));
        }
    }
}
