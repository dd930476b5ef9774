package io.emkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A picocli mixin that declares options once for several commands, each of which may word them in its own way or
 * leave some of them out ({@link OptionWording}). Picocli calls {@link #wordHelp} with the command the mixin is
 * part of, as it reads the superclass's annotations too.
 */
public abstract class WordedMixin {
    /** The command's own wording of the mixin's options, and those it leaves out. */
    protected final OptionWording wording = new OptionWording();

    /** A mixin whose commands word its options in their own way, or as it declares them. */
    protected WordedMixin() {
    }

    /**
     * Called by picocli with the command this mixin is part of: gives it this command's options and wording.
     *
     * @param command the command
     */
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    void wordHelp(CommandSpec command) {
        wording.applyTo(command);
    }
}
