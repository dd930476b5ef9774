package io.emkit.cli;

import io.emkit.cli.plot.Report;
import io.emkit.data.Dataset;
import io.emkit.mixture.GaussianMixtureModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code emkit report}: one self-contained HTML page about a fitted Gaussian mixture over data. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write one self-contained HTML page about a fitted Gaussian mixture over data: data summary,"
                + " log-likelihood, BIC, AIC, parameters, cluster sizes and pictures (inline SVG; no external requests).",
                "emkit fit --report FILE adds the fit's options and convergence."})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A Gaussian mixture model file.")
    Path model;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The data.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Option(names = "--width", paramLabel = "W", description = "Picture width in pixels. Default: " + Pictures.WIDTH + ".")
    int width = Pictures.WIDTH;

    @Option(names = "--height", paramLabel = "H", description = "Picture height in pixels. Default: " + Pictures.HEIGHT + ".")
    int height = Pictures.HEIGHT;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() {
        Pictures.checkSize(width, height);
        Outputs.checkNotAnInput(out, "--out", data, model);
        GaussianMixtureModel gmm = PlotCommand.readGaussian(model);
        Dataset all = ModelInput.read(data, dataOptions, gmm, "report", false);
        Report report = new Report(data.toString(), Pictures.rowsToDraw(all), all.rows(), gmm).size(width, height);
        if (all.rows() > Pictures.MAX_ROWS) {
            report.fit(java.util.Map.of(), null, gmm.logLikelihood(all), all.rows(), java.util.List.of());
        }
        report.write(out);
        return 0;
    }
}
