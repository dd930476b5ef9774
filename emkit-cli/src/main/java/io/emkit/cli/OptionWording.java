package io.emkit.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * A command's own wording of options that a shared picocli mixin declares once: the mixin keeps the texts its
 * command gives and hands them to picocli as the command's resource bundle (picocli looks an option's
 * description up there by the option's name without dashes). Several mixins of one command add to the same
 * bundle.
 */
public final class OptionWording {
    private final Map<String, String> texts = new LinkedHashMap<>();

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
     * Gives {@code command} these descriptions, keeping those other mixins gave it before; call it from the
     * mixin's {@code @Spec(MIXEE)} method.
     *
     * @param command the command the mixin is part of
     */
    public void applyTo(CommandSpec command) {
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
