package io.emkit.variational;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The prior on a variational mixture's weights. */
public enum WeightPrior {
    /**
     * A Dirichlet process truncated at K components, by stick-breaking: component k takes a share
     * {@code v_k ~ Beta(1, α)} of what the components before it left. Favours few components; surplus ones end
     * with weight near zero.
     */
    DIRICHLET_PROCESS("dirichlet-process"),
    /** A symmetric Dirichlet distribution {@code Dir(α, ..., α)} on the K weights. */
    DIRICHLET_DISTRIBUTION("dirichlet");

    private final String label;

    WeightPrior(String label) {
        this.label = label;
    }

    /** @return the name used on the command line and in files */
    public String label() {
        return label;
    }

    /**
     * @param name {@code dirichlet-process} or {@code dirichlet}, case-insensitive
     * @return the prior
     * @throws EmkitException for another name, listing the known ones
     */
    public static WeightPrior parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (WeightPrior p : values()) {
            if (p.label.equals(n) || (p == DIRICHLET_DISTRIBUTION && n.equals("dirichlet-distribution"))) {
                return p;
            }
        }
        throw new EmkitException("unknown weight prior '" + name + "'; expected one of: "
                + Arrays.stream(values()).map(WeightPrior::label).collect(Collectors.joining(", ")));
    }
}
