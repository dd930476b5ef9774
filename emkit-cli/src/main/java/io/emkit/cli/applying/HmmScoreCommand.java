package io.emkit.cli.applying;

import io.emkit.cli.Format;
import io.emkit.cli.HmmCommand;
import io.emkit.cli.HmmData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code emkit hmm score}: the log-likelihood of sequences under a saved model. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the total log-likelihood of the sequences of a CSV file under a saved hidden Markov"
                + " (or semi-Markov) model.")
public final class HmmScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model = new ModelOption(ModelOption.HMM_HELP);

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The sequences to score.")
    Path data;

    @Option(names = "--json", description = "Print JSON: log_likelihood, mean_log_likelihood, n_sequences, n_steps.")
    boolean json;

    @Mixin
    HmmData.Options input;

    @Override
    public Integer call() throws Exception {
        HmmCommand.Saved m = HmmCommand.readAnyModel(model.file);
        HmmData d = HmmData.read(data, input, m.featureNames(), m.kind(), null, null, m.covariateNames());
        m = m.withCovariates(d);
        HmmCommand.checkDimension(d, m);
        double total = 0;
        for (double v : m.sequenceLogLikelihoods(d.sequences)) {
            total += v;
        }
        int steps = d.sequences.totalLength();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("log_likelihood", total);
            o.put("mean_log_likelihood", total / steps);
            o.put("n_sequences", d.sequences.count());
            o.put("n_steps", steps);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            out.println("log-likelihood  " + Format.fixed(total, 4) + "   (per step " + Format.num(total / steps) + ", "
                    + d.sequences.count() + (d.sequences.count() == 1 ? " sequence, " : " sequences, ") + steps
                    + " steps)");
        }
        out.flush();
        return 0;
    }
}
