package io.emkit.cli.applying;

import io.emkit.cli.OptionWording;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * What every command that uses a saved model declares first: its picocli spec (for usage errors and the output
 * streams) and the model file, {@code -m/--model FILE}, in the command's own wording. Picocli reads these fields
 * before the subclass's, so {@code --model} stays each command's first option.
 */
abstract class ModelCommand implements Callable<Integer> {
    /** The command, set by picocli. */
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    /** The command's own wording of what a subclass declares for every such command (its data argument). */
    final OptionWording wording = new OptionWording();

    /** A command that takes a mixture model file from {@code emkit fit}. */
    ModelCommand() {
        model = new ModelOption();
    }

    /** @param modelHelp how this command describes {@code --model} */
    ModelCommand(String modelHelp) {
        model = new ModelOption(modelHelp);
    }

    /** Called by picocli with this command: keeps it, and gives it this command's wording. */
    @CommandLine.Spec
    void spec(CommandLine.Model.CommandSpec command) {
        spec = command;
        wording.applyTo(command);
    }
}
