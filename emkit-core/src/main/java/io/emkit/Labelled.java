package io.emkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A choice the user names on the command line or a model file records: an enum whose constants each have a
 * label. The label is the constant's name in lower case with {@code -} for {@code _} ({@code NEGATIVE_BINOMIAL}
 * is {@code negative-binomial}) unless the enum overrides {@link #label()}; {@link #parse} finds a constant by
 * its label, so every choice is read and refused the same way.
 */
public interface Labelled {
    /** @return the name used on the command line and in model files */
    default String label() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param type the enum
     * @param name a label, any case, surrounding blanks ignored
     * @param what what the enum's constants are, for the message ({@code "duration family"})
     * @param <E>  the enum's type
     * @return the constant with that label
     * @throws EmkitException naming {@code what} and listing the labels if none has that label
     */
    static <E extends Enum<E> & Labelled> E parse(Class<E> type, String name, String what) {
        String wanted = name.trim();
        for (E constant : type.getEnumConstants()) {
            if (constant.label().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw new EmkitException("unknown " + what + " '" + name + "'; expected one of: "
                + Arrays.stream(type.getEnumConstants()).map(Labelled::label).collect(Collectors.joining(", ")));
    }
}
