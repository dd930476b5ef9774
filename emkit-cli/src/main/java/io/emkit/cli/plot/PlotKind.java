package io.emkit.cli.plot;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a picture of a model over its data shows (mclust's {@code what}). */
public enum PlotKind {
    /** Rows coloured by their most probable component (or cluster), with each component's shape. */
    CLASSIFICATION,
    /** Rows drawn larger and darker the less certain their component (a Gaussian mixture only). */
    UNCERTAINTY,
    /** The mixture's density: contours over each pair of columns, or a curve over one column with the rows' rug. */
    DENSITY;

    /** @return the name on the command line, e.g. {@code "uncertainty"} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a kind's name, any case
     * @return the kind
     * @throws EmkitException naming the kinds, for any other name
     */
    public static PlotKind parse(String name) {
        for (PlotKind k : values()) {
            if (k.label().equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        throw new EmkitException("unknown picture '" + name + "'; expected one of: " + labels());
    }

    /** @return every kind's name, comma separated */
    public static String labels() {
        return Arrays.stream(values()).map(PlotKind::label).collect(Collectors.joining(", "));
    }
}
