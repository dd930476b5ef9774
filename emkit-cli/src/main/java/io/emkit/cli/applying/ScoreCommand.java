package io.emkit.cli.applying;

import io.emkit.cli.ClusterEngine;
import io.emkit.cli.DataOptions;
import io.emkit.cli.EngineOptions;
import io.emkit.cli.Format;
import io.emkit.cli.ModelInput;
import io.emkit.cli.Outputs;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.MixtureModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code emkit score}: the log-likelihood of data under a saved model. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compute the log-likelihood of the rows of a CSV file under a saved model.")
public final class ScoreCommand extends ModelOnDataCommand {
    /** The command, with its wording of {@code --model} and {@code DATA.csv}. */
    public ScoreCommand() {
        super("The rows to score.");
    }

    @Option(names = "--json", description = "Print JSON: {\"log_likelihood\", \"mean_log_likelihood\", \"n_samples\"}.")
    boolean json;

    @Option(names = "--per-sample", paramLabel = "FILE", description = "Write each row's log density (CSV column log_density) to FILE. With --engine"
            + " spark: a new directory of CSV part files, or of Parquet files when FILE ends in .parquet.")
    Path perSample;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        engine.refuse(spec.commandLine().getParseResult(), "--delimiter");
        Outputs.checkNotAnInput(perSample, "--per-sample", model.file, data);
        MixtureModel m = ModelFiles.readMixture(model.file);
        if (!engine.isLocal()) {
            String file = EngineOptions.dataArgument(spec);
            try (ClusterEngine.Data held = engine.open(file, dataOptions)) {
                ClusterEngine.Score s = held.score(m, EngineOptions.modelColumns(held, dataOptions, m, file),
                        EngineOptions.typed(spec, "--per-sample"));
                return print(s.logLikelihood(), s.rows());
            }
        }
        Dataset rows = ModelInput.read(data, dataOptions, m, "score", true);
        double[] logDensity = m.scoreSamples(rows);
        double total = 0;
        for (double v : logDensity) {
            total += v;
        }
        if (perSample != null) {
            Outputs.write(perSample, null, w -> {
                w.write("log_density\n");
                for (double v : logDensity) {
                    w.write(Double.toString(v));
                    w.write('\n');
                }
            });
        }
        return print(total, rows.rows());
    }

    /** Prints the total and the mean, as text or JSON. */
    private int print(double total, long rows) throws Exception {
        double mean = total / rows;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("log_likelihood", total);
            o.put("mean_log_likelihood", mean);
            o.put("n_samples", rows);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            out.println("log-likelihood  " + Format.fixed(total, 4) + "   (per row " + Format.num(mean) + ", "
                    + rows + " rows)");
        }
        out.flush();
        return 0;
    }
}
