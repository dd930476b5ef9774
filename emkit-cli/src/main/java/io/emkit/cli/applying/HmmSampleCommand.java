package io.emkit.cli.applying;

import io.emkit.cli.CliSupport;
import io.emkit.cli.CsvOutput;
import io.emkit.cli.Format;
import io.emkit.cli.HmmCommand;
import io.emkit.EmkitException;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code emkit hmm sample}: draws sequences from a saved model. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw sequences from a saved hidden Markov model (or semi-Markov model: each state lasts a duration"
                + " drawn from its distribution).",
                "Writes CSV: sequence (from 1; only with --sequences above 1), the model's features and, with --labels, state (the hidden state,"
                        + " from 0)."})
public final class HmmSampleCommand extends ModelCommand {
    /** The command, with its wording of {@code --model}. */
    public HmmSampleCommand() {
        super(ModelOption.HMM_HELP);
    }

    @Option(names = {"-n", "--length"}, required = true, paramLabel = "N", description = "Steps per sequence.")
    int length;

    @Option(names = "--sequences", paramLabel = "M", description = "How many sequences. Default: 1.")
    int sequences = 1;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draw. Default: 0.")
    long seed;

    @Option(names = "--start-state", paramLabel = "S",
            description = "Begin every sequence in state S (from 0, as the state column counts), as if continuing"
                    + " from it, instead of drawing the first state from the start probabilities.")
    Integer startState;

    @Option(names = "--labels", description = "Add a last column 'state': the hidden state (from 0) of each step.")
    boolean labels;

    @Option(names = "--covariates", paramLabel = "FILE",
            description = "For a model whose transitions depend on covariates (hmm fit --transition-covariates): every"
                    + " sequence moves along the covariates of FILE's first N rows (a CSV with a header naming the"
                    + " model's covariate columns). The output carries those columns after the features.")
    Path covariates;

    @Mixin
    CsvOutput out;

    @Override
    public Integer call() {
        CliSupport.requireAtLeast(spec.commandLine(), "--length", length, 1);
        CliSupport.requireAtLeast(spec.commandLine(), "--sequences", sequences, 1);
        out.checkNotAnInput(model.file);
        HmmCommand.Saved m = HmmCommand.readAnyModel(model.file);
        if (m.featureNames().contains("sequence") || labels && m.featureNames().contains("state")) {
            throw new EmkitException("the model has a feature named 'sequence' or 'state', which the output uses");
        }
        if (startState != null && (startState < 0 || startState >= m.states())) {
            throw new EmkitException("--start-state " + startState + ": the model in "
                    + model.file + " has states 0.." + (m.states() - 1));
        }
        double[] along = null;
        java.util.List<String> covariateNames = m.covariateNames();
        if (covariates != null) {
            if (covariateNames.isEmpty()) {
                throw new EmkitException("--covariates: the model in " + model.file + " has no transition covariates");
            }
            along = covariatesOf(covariates, covariateNames, length);
        }
        HiddenMarkovModel.Sample sample = along == null ? m.sample(sequences, length, seed, startState)
                : m.sampleAlong(along, sequences, length, seed, startState);
        double[] carried = along;
        Sequences s = sample.observations();
        boolean whole = m.kind() == EmissionKind.CATEGORICAL || m.kind() == EmissionKind.POISSON
                || m.kind() == EmissionKind.MULTINOMIAL;
        out.write(spec.commandLine().getOut(), w -> {
            // One sequence needs no id column, so the output can be fitted again as it is.
            boolean ids = s.count() > 1;
            StringBuilder line = new StringBuilder(ids ? "sequence," : "").append(Format.csvHeader(m.featureNames()))
                    .append(carried == null ? "" : "," + Format.csvHeader(covariateNames))
                    .append(labels ? ",state\n" : "\n");
            w.write(line.toString());
            double[] x = s.rawValues();
            int d = s.dimension();
            for (int q = 0; q < s.count(); q++) {
                for (int t = 0; t < s.length(q); t++) {
                    line.setLength(0);
                    if (ids) {
                        line.append(q + 1);
                    }
                    int row = s.start(q) + t;
                    for (int j = 0; j < d; j++) {
                        double v = x[row * d + j];
                        if (ids || j > 0) {
                            line.append(',');
                        }
                        if (whole) {
                            line.append((long) v);
                        } else {
                            line.append(v);
                        }
                    }
                    if (carried != null) {
                        for (int k = 0; k < covariateNames.size(); k++) {
                            line.append(',').append(carried[t * covariateNames.size() + k]);
                        }
                    }
                    if (labels) {
                        line.append(',').append(sample.states()[q][t]);
                    }
                    line.append('\n');
                    w.write(line.toString());
                }
            }
        });
        return 0;
    }

    /** The first {@code length} rows of the covariate columns {@code names} of {@code file}, row-major. */
    private static double[] covariatesOf(Path file, java.util.List<String> names, int length) {
        io.emkit.cli.HmmData d = io.emkit.cli.HmmData.read(file, new io.emkit.cli.HmmData.Options(), names,
                EmissionKind.GAUSSIAN, null);
        String name = io.emkit.data.DataFiles.nameOf(file);
        if (!d.sequences.featureNames().equals(names)) {
            throw new EmkitException(name + ": --covariates needs the columns " + EmkitException.list(names)
                    + " (the model's transition covariates), by name in its header");
        }
        if (d.sequences.totalLength() < length) {
            throw new EmkitException(name + ": --covariates has " + d.sequences.totalLength() + " rows, fewer than"
                    + " --length " + length);
        }
        return java.util.Arrays.copyOf(d.sequences.rawValues(), length * names.size());
    }
}
