package io.emkit.variational;

import io.emkit.EmkitException;
import io.emkit.Labelled;

/** The prior on a variational mixture's weights. */
public enum WeightPrior implements Labelled {
    /**
     * A Dirichlet process truncated at K components, by stick-breaking: component k takes a share
     * {@code v_k ~ Beta(1, α)} of what the components before it left. Favours few components; surplus ones end
     * with weight near zero.
     */
    DIRICHLET_PROCESS,
    /** A symmetric Dirichlet distribution {@code Dir(α, ..., α)} on the K weights. */
    DIRICHLET_DISTRIBUTION;

    @Override
    public String label() {
        return this == DIRICHLET_DISTRIBUTION ? "dirichlet" : Labelled.super.label();
    }

    /**
     * @param name {@code dirichlet-process} or {@code dirichlet} (also {@code dirichlet-distribution}),
     *             case-insensitive, {@code _} read as {@code -}
     * @return the prior
     * @throws EmkitException for another name, listing the known ones
     */
    public static WeightPrior parse(String name) {
        String wanted = name.replace('_', '-');
        return wanted.trim().equalsIgnoreCase("dirichlet-distribution") ? DIRICHLET_DISTRIBUTION
                : Labelled.parse(WeightPrior.class, wanted, "weight prior");
    }
}
