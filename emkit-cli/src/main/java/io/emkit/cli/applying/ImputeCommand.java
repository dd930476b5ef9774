package io.emkit.cli.applying;

import io.emkit.cli.CliSupport;
import io.emkit.cli.CsvOutput;
import io.emkit.cli.DataOptions;
import io.emkit.cli.Format;
import io.emkit.cli.KeptColumns;
import io.emkit.cli.ModelInput;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.gaussian.GaussianMixtureModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code emkit impute}: fills the missing cells of a CSV file under a saved Gaussian mixture. */
@Command(name = "impute", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fill the missing cells (empty, NA, NaN) of a CSV file under a saved Gaussian mixture.",
                "Each missing cell gets its conditional expectation given the row's observed values; with --draws N,"
                + " N imputations drawn from the conditional distribution, stacked, after a leading column 'draw' (1..N).",
                "Writes CSV with the model's features as header (with --keep, the kept columns and the features in"
                + " the input's order); observed cells are copied as the input has them."})
public final class ImputeCommand extends ModelOnDataCommand {
    /** The command, with its wording of {@code --model} and {@code DATA.csv}. */
    public ImputeCommand() {
        super("A Gaussian mixture model file from 'emkit fit --model-out'.", "The rows to complete.");
    }

    @Mixin
    CsvOutput out;

    @Option(names = "--draws", paramLabel = "N",
            description = "Multiple imputation: N completed copies drawn from the conditional distribution"
                    + " instead of the conditional expectation.")
    Integer draws;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draws. Default: 0.")
    long seed;

    @Option(names = "--mark",
            description = "Add a column 'filled' naming, in each row, the columns whose cells were filled (separated"
                    + " by ';'; empty when none was).")
    boolean mark;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    KeptColumns kept;

    /**
     * The output's columns: without --keep the model's features in its order (feature j as {@code -j-1});
     * with it, the kept columns and the features together in the input's order (as input columns, from 0).
     */
    private List<Integer> outputColumns(int[] featureColumns, List<Integer> keptColumns) {
        List<Integer> layout = new java.util.ArrayList<>();
        if (!kept.given()) {
            for (int j = 0; j < featureColumns.length; j++) {
                layout.add(-j - 1);
            }
            return layout;
        }
        java.util.TreeSet<Integer> columns = new java.util.TreeSet<>(keptColumns);
        for (int c : featureColumns) {
            columns.add(c);
        }
        layout.addAll(columns);
        return layout;
    }

    /** The feature read from input column {@code column}, or -1 if none. */
    private static int featureAt(int[] featureColumns, int column) {
        for (int j = 0; j < featureColumns.length; j++) {
            if (featureColumns[j] == column) {
                return j;
            }
        }
        return -1;
    }

    @Override
    public Integer call() {
        if (draws != null) {
            CliSupport.requireAtLeast(spec.commandLine(), "--draws", draws, 1);
        }
        out.checkNotAnInput(model.file, data);
        ClusteringModel m = ModelFiles.read(model.file);
        if (!(m instanceof GaussianMixtureModel gmm)) {
            throw new EmkitException(model.file + ": impute fills cells under a Gaussian mixture ('emkit fit' without"
                    + " --family); this file holds " + (m instanceof io.emkit.families.ProductMixtureModel
                    ? "a mixture of independent columns" : m instanceof io.emkit.student.StudentMixtureModel
                    ? "a t mixture (t mixtures do not impute yet)" : m instanceof io.emkit.noise.NoiseMixtureModel
                    ? "a mixture with a noise component (it does not impute yet)" : "a k-means model"));
        }
        ModelInput.Read read = ModelInput.readRows(data, dataOptions, gmm, "impute", true);
        Dataset rows = read.data();
        List<Dataset> copies = draws == null ? List.of(gmm.impute(rows)) : gmm.imputeDraws(rows, draws, seed);
        // The input as text: observed cells are written as the input has them, not as a number re-printed.
        KeptColumns.Carried text = KeptColumns.read(data, dataOptions, rows.rows(), read.lineOf(),
                kept.given() ? kept.keep() : List.of(), read.fileColumns());
        List<Integer> layout = outputColumns(read.fileColumns(), text.columns());
        List<String> featureNames = gmm.featureNames();
        out.write(spec.commandLine().getOut(), w -> {
            StringBuilder line = new StringBuilder(draws == null ? "" : "draw,");
            for (int c = 0; c < layout.size(); c++) {
                int at = layout.get(c);
                line.append(c == 0 ? "" : ",").append(Format.csvField(at < 0 ? featureNames.get(-at - 1)
                        : text.table().columnNames().get(at)));
            }
            w.write(line.append(mark ? ",filled" : "").append('\n').toString());
            int d = rows.columns();
            double[] given = rows.rawValues();
            for (int t = 0; t < copies.size(); t++) {
                double[] x = copies.get(t).rawValues();
                for (int i = 0; i < rows.rows(); i++) {
                    line.setLength(0);
                    if (draws != null) {
                        line.append(t + 1).append(',');
                    }
                    StringBuilder filled = new StringBuilder();
                    for (int c = 0; c < layout.size(); c++) {
                        int at = layout.get(c);
                        int j = at < 0 ? -at - 1 : featureAt(read.fileColumns(), at);
                        line.append(c == 0 ? "" : ",");
                        if (j >= 0 && Double.isNaN(given[i * d + j])) {
                            line.append(x[i * d + j]);
                            filled.append(filled.length() == 0 ? "" : ";").append(featureNames.get(j));
                        } else if (j >= 0) {
                            line.append(Format.csvField(text.cell(i, read.fileColumns()[j])));
                        } else {
                            line.append(Format.csvField(text.cell(i, at)));
                        }
                    }
                    if (mark) {
                        line.append(',').append(Format.csvField(filled.toString()));
                    }
                    w.write(line.append('\n').toString());
                }
            }
        });
        if (out.file() != null) {
            long missing = rows.countMissing().cells();
            spec.commandLine().getErr().println("filled " + missing + " missing cell" + (missing == 1 ? "" : "s")
                    + (draws == null ? "" : " in each of " + draws + " draws") + "; written to " + out.file());
        }
        return 0;
    }
}
