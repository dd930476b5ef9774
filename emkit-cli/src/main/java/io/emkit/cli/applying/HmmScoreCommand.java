package io.emkit.cli.applying;

import io.emkit.cli.Format;
import io.emkit.cli.HmmCommand;
import io.emkit.cli.HmmData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code emkit hmm score}: the log-likelihood of sequences under a saved model. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the total log-likelihood of the sequences of a CSV file under a saved hidden Markov"
                + " (or semi-Markov) model. With --engine spark, the sequences are scored on Apache Spark, each whole on"
                + " one executor.")
public final class HmmScoreCommand extends ModelOnDataCommand {
    /** The command, with its wording of {@code --model} and {@code DATA.csv}. */
    public HmmScoreCommand() {
        super(ModelOption.HMM_HELP, "The sequences to score.");
    }

    @Option(names = "--json", description = "Print JSON: log_likelihood, mean_log_likelihood, n_sequences, n_steps.")
    boolean json;

    @Mixin
    HmmData.Options input;

    @Mixin
    io.emkit.cli.EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        engine.refuse(spec.commandLine().getParseResult(), "--delimiter");
        HmmCommand.Saved m = HmmCommand.readAnyModel(model.file);
        if (!engine.isLocal()) {
            io.emkit.hmm.StateSequenceModel<?> hmm = HmmCommand.forEngine(m);
            String file = io.emkit.cli.EngineOptions.dataArgument(spec);
            try (io.emkit.cli.ClusterEngine.Data held = engine.open(file, input.dataOptions())) {
                String sequence = io.emkit.cli.EngineOptions.columnName(held, file, input.sequenceColumn());
                String time = io.emkit.cli.EngineOptions.columnName(held, file, input.timeColumn());
                io.emkit.cli.ClusterEngine.SequenceScore s = held.score(hmm, sequence, time,
                        HmmCommand.engineColumns(held, input, file, sequence, time, hmm));
                return print(s.logLikelihood(), s.sequences(), s.steps());
            }
        }
        HmmData d = HmmData.read(data, input, m.featureNames(), m.kind(), null, null, m.covariateNames());
        m = m.withCovariates(d);
        HmmCommand.checkDimension(d, m);
        double total = 0;
        for (double v : m.sequenceLogLikelihoods(d.sequences)) {
            total += v;
        }
        return print(total, d.sequences.count(), d.sequences.totalLength());
    }

    /** Prints the total, per step, and the counts, as text or JSON. */
    private int print(double total, long sequences, long steps) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("log_likelihood", total);
            o.put("mean_log_likelihood", total / steps);
            o.put("n_sequences", sequences);
            o.put("n_steps", steps);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            out.println("log-likelihood  " + Format.fixed(total, 4) + "   (per step " + Format.num(total / steps) + ", "
                    + sequences + (sequences == 1 ? " sequence, " : " sequences, ") + steps
                    + " steps)");
        }
        out.flush();
        return 0;
    }
}
