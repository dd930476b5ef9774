package io.emkit.cli;

import io.emkit.cli.applying.HmmDecodeCommand;
import io.emkit.cli.applying.HmmSampleCommand;
import io.emkit.cli.applying.HmmScoreCommand;
import io.emkit.cli.fitting.HmmFitCommand;
import io.emkit.EmkitException;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.io.ModelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;

/** {@code emkit hmm}: hidden Markov models, fitted by Baum–Welch. */
@Command(name = "hmm", mixinStandardHelpOptions = true,
        description = "Hidden Markov models, fitted by Baum-Welch (EM): fit, decode, score, sample.",
        subcommands = {HmmFitCommand.class, HmmDecodeCommand.class, HmmScoreCommand.class, HmmSampleCommand.class},
        footer = {"", "Run 'emkit hmm COMMAND --help' for a command's options."})
public final class HmmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (fit, decode, score, sample)");
    }

    /**
     * @param file a hidden Markov model file
     * @return the model it holds
     */
    public static HiddenMarkovModel readModel(Path file) {
        return ModelFiles.readHmm(file);
    }

    /**
     * Checks that the data have the model's number of observation columns.
     *
     * @param data the data
     * @param m    the model
     */
    public static void checkDimension(HmmData data, HiddenMarkovModel m) {
        if (data.sequences.dimension() != m.dimension()) {
            throw new EmkitException(io.emkit.data.DataFiles.nameOf(data.file) + ": the model has " + m.dimension() + " features ("
                    + EmkitException.list(m.featureNames()) + ") but the file has " + data.sequences.dimension()
                    + " observation column" + (data.sequences.dimension() == 1 ? "" : "s") + " ("
                    + EmkitException.list(data.sequences.featureNames()) + "); choose them with --columns");
        }
    }
}
