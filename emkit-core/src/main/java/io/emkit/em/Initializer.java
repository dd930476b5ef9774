package io.emkit.em;

import java.util.SplittableRandom;

/**
 * Chooses the parameters EM starts from. Called once per initialisation, each with its own random stream
 * split from the one seed, so every run is reproducible.
 *
 * @param <D> the data
 * @param <P> the parameters
 */
@FunctionalInterface
public interface Initializer<D, P> {
    /**
     * @param data   the data to fit
     * @param random this initialisation's random stream
     * @return starting parameters
     */
    P initialize(D data, SplittableRandom random);
}
