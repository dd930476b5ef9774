package io.emkit.cli;

import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.MixtureModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code emkit predict}: hard labels (and responsibilities) for each row under a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Assign each row of a CSV file to its most probable component under a saved model.",
                "Writes CSV: label (from 0) and, with --proba, p0..p(K-1), the responsibilities."})
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "A model file from 'emkit fit --model-out'.")
    Path model;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The rows to label.")
    Path data;

    @Option(names = "--proba", description = "Also write each component's probability p0..p(K-1).")
    boolean proba;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the CSV to FILE (default: standard output).")
    Path out;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() {
        Outputs.checkNotAnInput(out, "--out", model, data);
        MixtureModel m = ModelFiles.read(model);
        Dataset rows = ModelInput.read(data, dataOptions, m, "predict");
        int k = m.components();
        int[] labels = m.predict(rows);
        double[][] p = proba ? m.predictProba(rows) : null;
        Outputs.write(out, spec.commandLine().getOut(), w -> {
            StringBuilder line = new StringBuilder("label");
            if (proba) {
                for (int c = 0; c < k; c++) {
                    line.append(",p").append(c);
                }
            }
            w.write(line.append('\n').toString());
            for (int i = 0; i < labels.length; i++) {
                line.setLength(0);
                line.append(labels[i]);
                if (proba) {
                    for (int c = 0; c < k; c++) {
                        line.append(',').append(p[i][c]);
                    }
                }
                w.write(line.append('\n').toString());
            }
        });
        return 0;
    }
}
