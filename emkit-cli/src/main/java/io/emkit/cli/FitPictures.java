package io.emkit.cli;

import io.emkit.cli.plot.MixturePlots;
import io.emkit.cli.plot.Report;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.mixture.GaussianMixture;
import io.emkit.mixture.GaussianMixtureModel;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code emkit fit}'s picture options: --plot, --plot-trace, --report (a picocli mixin). */
final class FitPictures {
    @Option(names = "--plot", paramLabel = "FILE",
            description = "Draw the fitted model over the data to FILE (.png, .svg or .pdf), as emkit plot does.")
    Path plot;

    @Option(names = "--plot-trace", paramLabel = "FILE",
            description = "Draw the log-likelihood after each iteration, a line per initialisation, to FILE (.png, .svg or .pdf).")
    Path plotTrace;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write a self-contained HTML report of the fit to FILE.")
    Path report;

    private Pictures.TraceRecorder recorder;

    /** Refuses unknown image types and outputs that are inputs, before the fit starts. */
    void check(Path... inputs) {
        Pictures.checkImageName(plot);
        Pictures.checkImageName(plotTrace);
        Outputs.checkNotAnInput(plot, "--plot", inputs);
        Outputs.checkNotAnInput(plotTrace, "--plot-trace", inputs);
        Outputs.checkNotAnInput(report, "--report", inputs);
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
     * @param logLikelihood the mixture log-likelihood of the fitted model (for a hard fit not its objective)
     */
    void write(Path dataFile, Rows dataset, GaussianMixture config, EmResult<GaussianMixtureModel> fit,
               double logLikelihood, PrintWriter err, boolean say) {
        if (plot == null && plotTrace == null && report == null) {
            return;
        }
        GaussianMixtureModel model = fit.params();
        var rows = Pictures.rowsToDraw(dataset);
        if (plot != null) {
            MixturePlots.of(model, rows, null, Pictures.WIDTH, Pictures.HEIGHT).write(plot);
            if (say) {
                err.println("plot saved to " + plot);
            }
        }
        if (plotTrace != null) {
            MixturePlots.trace(recorder.traces(), fit.bestInitialization(), Pictures.WIDTH, Pictures.HEIGHT).write(plotTrace);
            if (say) {
                err.println("convergence plot saved to " + plotTrace);
            }
        }
        if (report != null) {
            new Report(dataFile.toString(), rows, dataset.rows(), model)
                    .fit(options(config), status(config, fit, dataset.rows()), logLikelihood, fit.sampleCount(),
                            fit.warnings())
                    .convergence(recorder.traces(), fit.bestInitialization())
                    .write(report);
            if (say) {
                err.println("report saved to " + report);
            }
        }
    }

    private static Map<String, String> options(GaussianMixture config) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--components", Integer.toString(config.components()));
        o.put("--covariance", config.covarianceType().label());
        o.put("--init", config.initialModel() != null ? "warm start (--init-model)" : config.initialization().label());
        o.put("--n-init", Integer.toString(config.options().initializations()));
        if (config.miniBatch() == null) {
            o.put("--max-iter", Integer.toString(config.options().maxIterations()));
            o.put("--tol", Format.num(config.options().tolerance()));
        } else {
            o.put("--mini-batch", Integer.toString(config.miniBatch().batchSize()));
            o.put("--passes", Integer.toString(config.miniBatch().passes()));
            o.put("--step-exponent", Format.num(config.miniBatch().stepExponent()));
            o.put("--shuffle", config.miniBatch().shuffled() ? "yes" : "no");
        }
        o.put("--reg-covar", Format.num(config.regCovar()));
        o.put("--seed", Long.toString(config.options().seed()));
        o.put("--assignment", config.assignment().label());
        return o;
    }

    private static String status(GaussianMixture config, EmResult<GaussianMixtureModel> fit, int rows) {
        int n = fit.iterations();
        String s = config.miniBatch() != null ? Summary.miniBatchRun(config.miniBatch(), rows)
                : fit.converged() ? "Converged after " + n + " iteration" + (n == 1 ? "" : "s")
                : config.options().tolerance() == 0 ? "Ran " + n + " iterations (tolerance 0)"
                : "DID NOT CONVERGE in " + n + " iterations";
        int inits = config.options().initializations();
        return s + "; best of " + inits + " initialisation" + (inits == 1 ? "" : "s")
                + " (initialisation " + (fit.bestInitialization() + 1) + " won)";
    }
}
