package io.emkit.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * A command's own wording of options that a shared picocli mixin ({@link WordedMixin}) declares once: the mixin
 * keeps the texts its command gives and hands them to picocli as the command's resource bundle (picocli looks an
 * option's description up there by the option's name without dashes). Several mixins of one command add to the
 * same bundle. A command may also leave out options of the mixin that do not apply to its model.
 */
public final class OptionWording {
    private final Map<String, String> texts = new LinkedHashMap<>();
    /** The long names of the mixin's options that this command does not offer. */
    private final Set<String> leftOut = new LinkedHashSet<>();

    /**
     * @param option the option's long name, e.g. {@code --tol}
     * @param text   what it says in this command's help, in place of the mixin's default
     * @return this wording
     */
    public OptionWording put(String option, String text) {
        texts.put(option.substring(2), text);
        return this;
    }

    /**
     * @param descriptionKey a positional parameter's {@code descriptionKey}, e.g. {@code DATA.csv}
     * @param text           what it says in this command's help, in place of the declaring class's default
     * @return this wording
     */
    public OptionWording putParameter(String descriptionKey, String text) {
        texts.put(descriptionKey, text);
        return this;
    }

    /**
     * @param option the long name of an option the mixin declares that this command does not offer, e.g.
     *               {@code --accelerate} for k-means
     * @return this wording
     */
    public OptionWording leaveOut(String option) {
        leftOut.add(option);
        return this;
    }

    /**
     * Removes from {@code command} the options it does not offer and gives it these descriptions, keeping those
     * other mixins gave it before; call it from the mixin's {@code @Spec(MIXEE)} method.
     *
     * @param command the command the mixin is part of
     */
    public void applyTo(CommandSpec command) {
        for (String option : leftOut) {
            command.remove(command.findOption(option));
        }
        if (texts.isEmpty()) {
            return;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        ResourceBundle earlier = command.resourceBundle();
        if (earlier != null) {
            for (String key : earlier.keySet()) {
                merged.put(key, earlier.getObject(key));
            }
        }
        merged.putAll(texts);
        Object[][] entries = merged.entrySet().stream().map(e -> new Object[] {e.getKey(), e.getValue()})
                .toArray(Object[][]::new);
        command.resourceBundle(new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return entries;
            }
        });
    }
}
