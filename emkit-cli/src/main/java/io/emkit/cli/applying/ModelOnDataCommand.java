package io.emkit.cli.applying;

import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * A command that applies a saved model to a data file (predict, score, impute, hmm decode, hmm score): besides the
 * model, it declares the data, {@code DATA.csv}, once, in the command's own wording. Picocli reads these fields
 * before the subclass's.
 */
abstract class ModelOnDataCommand extends ModelCommand {
    @Parameters(index = "0", paramLabel = "DATA.csv", descriptionKey = "DATA.csv", description = "The data.")
    Path data;

    /**
     * A command that takes a mixture model file from {@code emkit fit}.
     *
     * @param dataHelp how this command describes {@code DATA.csv}
     */
    ModelOnDataCommand(String dataHelp) {
        wording.putParameter("DATA.csv", dataHelp);
    }

    /**
     * @param modelHelp how this command describes {@code --model}
     * @param dataHelp  how this command describes {@code DATA.csv}
     */
    ModelOnDataCommand(String modelHelp, String dataHelp) {
        super(modelHelp);
        wording.putParameter("DATA.csv", dataHelp);
    }
}
