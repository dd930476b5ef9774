package io.emkit.init;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a Gaussian mixture chooses the parameters EM starts from. */
public enum Initialization {
    /**
     * k-means++ seeding followed by a few rounds of Lloyd's k-means; the clusters become the initial
     * components (the default, as in scikit-learn).
     */
    KMEANS_PLUS_PLUS("kmeans++"),
    /** Random responsibilities for every row, then an M-step. */
    RANDOM("random"),
    /** K distinct rows drawn at random as means, the data's covariance for every component, equal weights. */
    RANDOM_POINTS("random-points"),
    /**
     * Model-based agglomerative hierarchical clustering, mclust's start ({@link HierarchicalClustering}: the tree of
     * mclust's {@code hc}, VVV on the SVD-transformed data):
     * the tree cut at K clusters gives the starting partition. Deterministic, so one initialisation is made.
     */
    HIERARCHICAL("hc");

    private final String label;

    Initialization(String label) {
        this.label = label;
    }

    /** @return the name used on the command line */
    public String label() {
        return label;
    }

    /**
     * @param name a label such as {@code kmeans++}, case-insensitive
     * @return the initialisation
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static Initialization parse(String name) {
        for (Initialization i : values()) {
            if (i.label.equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        throw new EmkitException("unknown initialisation '" + name + "'; expected one of: "
                + Arrays.stream(values()).map(Initialization::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
