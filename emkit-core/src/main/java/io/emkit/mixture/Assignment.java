package io.emkit.mixture;

import io.emkit.EmkitException;
import io.emkit.Labelled;

/**
 * How a Gaussian mixture's E-step shares each row among the components.
 *
 * <p>Reference: Celeux and Govaert (1992), <i>A classification EM algorithm for clustering and two
 * stochastic versions</i>.
 */
public enum Assignment implements Labelled {
    /** Ordinary EM: each row's responsibilities are its posterior probabilities (the default). */
    SOFT,
    /**
     * Classification EM (CEM): each row goes wholly to its most probable component (ties to the lower
     * index); the M-step is the usual one. The objective is the classification log-likelihood
     * {@code Σ w_i log(π_z p(x_i | z))}, with {@code z} each row's component, which CEM never lowers.
     */
    HARD;

    /**
     * @param name {@code soft} or {@code hard}, case-insensitive
     * @return the assignment
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static Assignment parse(String name) {
        return Labelled.parse(Assignment.class, name, "assignment");
    }

    @Override
    public String toString() {
        return label();
    }
}
