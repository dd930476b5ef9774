package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.Format;
import io.emkit.cli.HmmData;
import io.emkit.cli.Outputs;
import io.emkit.cli.pictures.PictureSize;
import io.emkit.cli.pictures.Pictures;
import io.emkit.cli.plot.Figure;
import io.emkit.cli.plot.HmmPlots;
import io.emkit.cli.plot.HmmReport;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.hmm.HiddenMarkovModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The picture options of {@code hmm fit} (a picocli mixin): {@code --plot}, the first sequence's decoding under the
 * fitted model, as {@code hmm decode --plot} draws it; {@code --report}, an HTML page of the fit.
 */
final class HmmFitPictures {
    @Option(names = "--plot", paramLabel = "FILE",
            description = "Draw the first sequence's decoding under the fitted model to FILE (.png, .svg or .pdf), as"
                    + " hmm decode --plot draws it: the first columns over time on bands of the Viterbi states, and the"
                    + " posterior state probabilities below.")
    Path plot;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write a self-contained HTML report of the fit to FILE: data, options, log-likelihood, BIC,"
                    + " AIC, the log-likelihood after each iteration, the parameters and the first sequence's decoding.")
    Path report;

    @Mixin
    PictureSize size;

    private Pictures.TraceRecorder recorder;

    /** @return whether a picture or the report is asked for */
    boolean given() {
        return plot != null || report != null;
    }

    /** Refuses unknown image types, bad sizes and outputs that are inputs, before the fit starts. */
    void check(Path... inputs) {
        size.check();
        Pictures.checkImageName(plot);
        Outputs.checkNotAnInput(plot, "--plot", inputs);
        Outputs.checkNotAnInput(report, "--report", inputs);
    }

    /** The listener the fit should use: {@code next}, recording the traces when the report needs them. */
    IterationListener listener(IterationListener next) {
        if (report == null) {
            return next;
        }
        recorder = new Pictures.TraceRecorder(next);
        return recorder;
    }

    /**
     * Writes the picture and the report asked for.
     *
     * @param dataFile the data file as named
     * @param d        the sequences fitted
     * @param fit      the fit
     * @param classes  each state's class (a fit with a labels column), named in the legends, or {@code null}
     * @param own      the command's model options for the report's table (--components, --emission, ...)
     * @param options  the EM options
     * @param summary  the summary's text, for the report's parameters
     * @param err      where to say what was saved
     * @param say      whether to say it
     */
    void write(Path dataFile, HmmData d, EmResult<HiddenMarkovModel> fit, java.util.List<String> classes,
               Map<String, String> own, EmOptions options, Supplier<String> summary, PrintWriter err, boolean say) {
        if (!given()) {
            return;
        }
        HiddenMarkovModel m = fit.params();
        io.emkit.data.Sequences first = io.emkit.data.Sequences.of(java.util.List.<double[][]>of(d.sequences.sequence(0)),
                d.sequences.featureNames());
        int[] path = m.viterbi(first)[0];
        double[][] posteriors = m.posteriors(first)[0];
        String title = "Viterbi states" + (d.sequences.count() > 1 ? ", sequence " + d.ids.get(0) : "") + " ("
                + path.length + " steps)";
        Figure picture = HmmPlots.decoding(title, d.times(0), d.timeName() == null ? "step" : d.timeName(),
                d.sequences.sequence(0), m.featureNames(), path, posteriors, classes, size.width(), size.height());
        if (plot != null) {
            picture.write(plot);
            if (say) {
                err.println("plot saved to " + plot);
            }
        }
        if (report != null) {
            int n = fit.iterations();
            String status = (fit.converged() ? "Converged after " + Format.count(n, "iteration")
                    : options.tolerance() == 0 ? "Ran " + Format.count(n, "iteration") + " (tolerance 0)"
                    : "DID NOT CONVERGE in " + Format.count(n, "iteration")) + "; " + CliSupport.runsText(fit, options);
            new HmmReport(dataFile.toString(), d.sequences.count(), d.sequences.totalLength(), m.featureNames())
                    .size(size.width(), size.height())
                    .fit(FitPictures.options(own, options), status, fit.logLikelihood(), fit.parameterCount(),
                            fit.sampleCount(), fit.warnings())
                    .convergence(recorder.traces(), fit.bestInitialization())
                    .parameters(summary.get())
                    .decoding(picture, "The first sequence's Viterbi states as bands behind its first columns, and"
                            + " below them each state's posterior probability, stacked.")
                    .write(report);
            if (say) {
                err.println("report saved to " + report);
            }
        }
    }
}
