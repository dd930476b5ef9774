package io.emkit.cli.applying;

import io.emkit.cli.WordedMixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The model file every command that uses a saved model reads, {@code -m/--model FILE}: a picocli mixin, declared
 * here once; each command says which commands write the models it takes.
 */
final class ModelOption extends WordedMixin {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "A model file from 'emkit fit --model-out'.")
    Path file;

    /** How the commands that use a hidden Markov model describe {@code --model}. */
    static final String HMM_HELP = "A model file from 'emkit hmm fit --model-out' (a hidden Markov or, fitted with --duration,"
            + " a hidden semi-Markov model).";

    /** A mixture model file from {@code emkit fit}. */
    ModelOption() {
    }

    /** @param text how this command describes {@code --model} */
    ModelOption(String text) {
        wording.put("--model", text);
    }
}
