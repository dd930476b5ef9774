package io.emkit.cli.applying;

import io.emkit.cli.CliSupport;
import io.emkit.cli.CsvOutput;
import io.emkit.cli.FamilyData;
import io.emkit.cli.Format;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.MixtureModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code emkit sample}: draws rows from a saved model. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw rows from a saved model; writes CSV with the model's feature names as header.")
public final class SampleCommand extends ModelCommand {
    @Option(names = {"-n", "--n"}, required = true, paramLabel = "N", description = "How many rows to draw.")
    int n;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draw. Default: 0.")
    long seed;

    @Option(names = "--labels", description = "Add a last column 'component': the component (from 0) each row came from.")
    boolean labels;

    @Mixin
    CsvOutput out;

    @Override
    public Integer call() {
        CliSupport.requireAtLeast(spec.commandLine(), "--n", n, 0);
        out.checkNotAnInput(model.file);
        MixtureModel m = ModelFiles.readMixture(model.file);
        if (labels && m.featureNames().contains("component")) {
            throw new EmkitException("the model already has a feature named 'component'; drop --labels");
        }
        MixtureModel.Sample sample = m.sample(n, seed);
        Dataset rows = sample.data();
        out.write(spec.commandLine().getOut(), w -> {
            StringBuilder line = new StringBuilder(Format.csvHeader(m.featureNames()));
            if (labels) {
                line.append(",component");
            }
            w.write(line.append('\n').toString());
            double[] x = rows.rawValues();
            int d = rows.columns();
            for (int i = 0; i < rows.rows(); i++) {
                line.setLength(0);
                for (int j = 0; j < d; j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    line.append(FamilyData.cell(m, j, x[i * d + j]));
                }
                if (labels) {
                    line.append(',').append(sample.components()[i]);
                }
                w.write(line.append('\n').toString());
            }
        });
        return 0;
    }
}
