package io.emkit.cli.applying;

import io.emkit.cli.CliSupport;
import io.emkit.cli.DataOptions;
import io.emkit.cli.Format;
import io.emkit.cli.ModelInput;
import io.emkit.cli.Outputs;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.gaussian.GaussianMixtureModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code emkit impute}: fills the missing cells of a CSV file under a saved Gaussian mixture. */
@Command(name = "impute", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fill the missing cells (empty, NA, NaN) of a CSV file under a saved Gaussian mixture.",
                "Each missing cell gets its conditional expectation given the row's observed values; with --draws N,"
                + " N imputations drawn from the conditional distribution, stacked, after a leading column 'draw' (1..N).",
                "Writes CSV with the model's features as header; observed cells are copied."})
public final class ImputeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "A Gaussian mixture model file from 'emkit fit --model-out'.")
    Path model;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The rows to complete.")
    Path data;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the CSV to FILE (default: standard output).")
    Path out;

    @Option(names = "--draws", paramLabel = "N",
            description = "Multiple imputation: N completed copies drawn from the conditional distribution"
                    + " instead of the conditional expectation.")
    Integer draws;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draws. Default: 0.")
    long seed;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() {
        if (draws != null) {
            CliSupport.requireAtLeast(spec.commandLine(), "--draws", draws, 1);
        }
        Outputs.checkNotAnInput(out, "--out", model, data);
        ClusteringModel m = ModelFiles.read(model);
        if (!(m instanceof GaussianMixtureModel gmm)) {
            throw new EmkitException(model + ": impute fills cells under a Gaussian mixture ('emkit fit' without"
                    + " --family); this file holds " + (m instanceof io.emkit.families.ProductMixtureModel
                    ? "a mixture of independent columns" : m instanceof io.emkit.student.StudentMixtureModel
                    ? "a t mixture (t mixtures do not impute yet)" : "a k-means model"));
        }
        Dataset rows = ModelInput.read(data, dataOptions, gmm, "impute", true);
        List<Dataset> copies = draws == null ? List.of(gmm.impute(rows)) : gmm.imputeDraws(rows, draws, seed);
        Outputs.write(out, spec.commandLine().getOut(), w -> {
            String header = Format.csvHeader(gmm.featureNames());
            w.write((draws == null ? header : "draw," + header) + "\n");
            StringBuilder line = new StringBuilder();
            int d = rows.columns();
            for (int t = 0; t < copies.size(); t++) {
                double[] x = copies.get(t).rawValues();
                for (int i = 0; i < rows.rows(); i++) {
                    line.setLength(0);
                    if (draws != null) {
                        line.append(t + 1).append(',');
                    }
                    for (int j = 0; j < d; j++) {
                        line.append(j == 0 ? "" : ",").append(x[i * d + j]);
                    }
                    w.write(line.append('\n').toString());
                }
            }
        });
        if (out != null) {
            long missing = rows.countMissing().cells();
            spec.commandLine().getErr().println("filled " + missing + " missing cell" + (missing == 1 ? "" : "s")
                    + (draws == null ? "" : " in each of " + draws + " draws") + "; written to " + out);
        }
        return 0;
    }
}
