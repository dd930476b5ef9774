package io.emkit.cli.applying;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * What every command that uses a saved model declares first: its picocli spec (for usage errors and the output
 * streams) and the model file, {@code -m/--model FILE}, in the command's own wording. Picocli reads these fields
 * before the subclass's, so {@code --model} stays each command's first option.
 */
abstract class ModelCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    /** A command that takes a mixture model file from {@code emkit fit}. */
    ModelCommand() {
        model = new ModelOption();
    }

    /** @param modelHelp how this command describes {@code --model} */
    ModelCommand(String modelHelp) {
        model = new ModelOption(modelHelp);
    }
}
