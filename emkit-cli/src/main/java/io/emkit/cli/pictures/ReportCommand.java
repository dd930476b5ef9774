package io.emkit.cli.pictures;

import io.emkit.cli.plot.Report;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code emkit report}: one self-contained HTML page about a fitted model over data. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write one self-contained HTML page about a fitted model (Gaussian mixture, k-means or mixture of"
                + " independent columns) over data: data summary, log-likelihood, BIC and AIC (or the inertia),"
                + " parameters, cluster sizes and pictures (inline SVG; no external requests).",
                "emkit fit --report FILE (and kmeans --report) adds the fit's options and convergence."})
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file from emkit fit (with or without --family) or emkit kmeans.")
    Path model;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The data.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    // --width, --height and how the data file is read, as plot takes them.
    @Mixin
    ModelPicture drawing;

    @Override
    public Integer call() {
        drawing.check(out, false, data, model);
        ClusteringModel m = ModelFiles.read(model);
        io.emkit.cli.plot.ModelPlots.requireDrawable(m);
        Dataset all = drawing.read(data, m, "report");
        Report report = new Report(data.toString(), Pictures.rowsToDraw(all), all.rows(), m).size(drawing.size.width, drawing.size.height)
                .classes(io.emkit.io.LabelledModelFiles.readComponentClasses(model));
        if (all.rows() <= Pictures.MAX_ROWS) {
            report.counted(all);
        }
        if (all.rows() > Pictures.MAX_ROWS) {
            report.fit(java.util.Map.of(), null, Report.objective(m, all), all.rows(), java.util.List.of());
        }
        report.write(out);
        return 0;
    }
}
