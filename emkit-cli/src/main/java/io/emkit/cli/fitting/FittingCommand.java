package io.emkit.cli.fitting;

import io.emkit.cli.OptionWording;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What every command that fits a model to a data file declares first: its picocli spec (for usage errors and the
 * output streams) and the data, {@code DATA.csv}, in the command's own wording. Picocli reads these fields before
 * the subclass's.
 */
abstract class FittingCommand implements Callable<Integer> {
    /** How the commands that fit rows describe {@code DATA.csv}. */
    static final String ROWS_HELP = "The data: one row per line, comma-separated.";

    /** The command, set by picocli. */
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", descriptionKey = "DATA.csv", description = ROWS_HELP)
    Path data;

    /** The command's own wording of {@code DATA.csv}. */
    private final OptionWording help = new OptionWording();

    /** A command that fits the rows of a file. */
    FittingCommand() {
    }

    /** @param dataHelp how this command describes {@code DATA.csv} */
    FittingCommand(String dataHelp) {
        help.putParameter("DATA.csv", dataHelp);
    }

    /** Called by picocli with this command: keeps it, and gives it this command's wording. */
    @CommandLine.Spec
    void spec(CommandSpec command) {
        spec = command;
        help.applyTo(command);
    }
}
