package io.emkit.cli.pictures;

import io.emkit.cli.plot.MixturePlots;
import io.emkit.cli.plot.ModelPlots;
import io.emkit.cli.plot.ProductMixturePlots;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code emkit plot}: draws a fitted model (Gaussian mixture, k-means, mixture of independent columns) over data. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw a fitted model over data, to PNG, SVG or PDF (by the file's extension).",
                "Gaussian mixture: one column, a histogram with the component densities; two, a scatter coloured by"
                        + " component with 1 and 2 sigma ellipses; more, a matrix of every pair (at most the first "
                        + MixturePlots.MAX_MATRIX_COLUMNS + "), or --dims to choose.",
                "k-means: the same, coloured by cluster, with the centroids. Mixture of independent columns (fit"
                        + " --family): a panel per column (at most " + ProductMixturePlots.MAX_PANELS + "), a histogram"
                        + " with the component densities or bars of the category probabilities."})
public final class PlotCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A model file from emkit fit (with or without --family) or emkit kmeans.")
    Path model;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The data to draw.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The picture: .png, .svg or .pdf.")
    Path out;

    @Option(names = "--dims", split = ",", paramLabel = "COL",
            description = "One or two of the model's features, by name or number from 1 (default: all).")
    List<String> dims = new ArrayList<>();

    @Option(names = "--what", paramLabel = "KIND",
            description = "Which picture: classification (default), uncertainty or density (these two for Gaussian"
                    + " mixtures: rows sized by the uncertainty of their component; the mixture's density contours, or"
                    + " over one column its curve with the rows' rug). The same as fit --plot-what.")
    String what = "classification";

    // --width, --height and how the data file is read, as report takes them.
    @Mixin
    ModelPicture drawing;

    @Override
    public Integer call() {
        drawing.check(out, true, data, model);
        io.emkit.cli.plot.PlotKind kind = io.emkit.cli.plot.PlotKind.parse(what);
        ClusteringModel m = ModelFiles.read(model);
        ModelPlots.requireKind(m, kind);
        int[] chosen = Pictures.dims(dims, m.featureNames());
        // As fit --plot: a Gaussian mixture's data may have missing cells; its pictures show the complete rows.
        Dataset all = drawing.read(data, m, "plot");
        Dataset rows = Pictures.rowsToDraw(all);
        if (rows.rows() < all.rows() && all.rows() <= Pictures.MAX_ROWS) {
            spec.commandLine().getErr().println("note: drawing the " + rows.rows() + " complete rows of " + all.rows()
                    + " (a point needs every column)");
        }
        int most = ModelPlots.defaultColumns(m);
        if (chosen == null && m.dimension() > most) {
            spec.commandLine().getErr().println("note: drawing the first " + most + " of "
                    + m.dimension() + " columns; choose others with --dims");
        }
        // A model fitted with a labels column (or by classify) names each component's class, as report does.
        List<String> classes = io.emkit.io.LabelledModelFiles.readComponentClasses(model);
        ModelPlots.of(m, rows, chosen, kind, classes, drawing.size.width, drawing.size.height).write(out);
        return 0;
    }
}
