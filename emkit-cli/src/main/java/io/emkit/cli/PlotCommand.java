package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.cli.plot.MixturePlots;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.mixture.GaussianMixtureModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code emkit plot}: draws a fitted Gaussian mixture over data. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw a fitted Gaussian mixture over data, to PNG, SVG or PDF (by the file's extension).",
                "One column: histogram with the component densities. Two: scatter coloured by component with 1 and 2"
                        + " sigma ellipses. More: a matrix of every pair (at most the first "
                        + MixturePlots.MAX_MATRIX_COLUMNS + "), or --dims to choose."})
final class PlotCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A Gaussian mixture model file.")
    Path model;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The data to draw.")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The picture: .png, .svg or .pdf.")
    Path out;

    @Option(names = "--dims", split = ",", paramLabel = "COL",
            description = "One or two of the model's features, by name or number from 1 (default: all).")
    List<String> dims = new ArrayList<>();

    @Option(names = "--width", paramLabel = "W", description = "Width in pixels. Default: " + Pictures.WIDTH + ".")
    int width = Pictures.WIDTH;

    @Option(names = "--height", paramLabel = "H", description = "Height in pixels. Default: " + Pictures.HEIGHT + ".")
    int height = Pictures.HEIGHT;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() {
        Pictures.checkSize(width, height);
        Pictures.checkImageName(out);
        Outputs.checkNotAnInput(out, "--out", data, model);
        GaussianMixtureModel gmm = readGaussian(model);
        int[] chosen = Pictures.dims(dims, gmm.featureNames());
        Dataset rows = Pictures.rowsToDraw(ModelInput.read(data, dataOptions, gmm, "plot", false));
        if (chosen == null && gmm.dimension() > MixturePlots.MAX_MATRIX_COLUMNS) {
            spec.commandLine().getErr().println("note: drawing the first " + MixturePlots.MAX_MATRIX_COLUMNS + " of "
                    + gmm.dimension() + " columns; choose others with --dims");
        }
        MixturePlots.of(gmm, rows, chosen, width, height).write(out);
        return 0;
    }

    static GaussianMixtureModel readGaussian(Path file) {
        ClusteringModel m = ModelFiles.read(file);
        if (!(m instanceof GaussianMixtureModel g)) {
            throw new EmkitException(file + ": plots and reports need a Gaussian mixture model (from emkit fit)");
        }
        return g;
    }
}
