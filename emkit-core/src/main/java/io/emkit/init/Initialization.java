package io.emkit.init;

import io.emkit.EmkitException;
import io.emkit.Labelled;

/** How a Gaussian mixture chooses the parameters EM starts from. */
public enum Initialization implements Labelled {
    /**
     * k-means++ seeding followed by a few rounds of Lloyd's k-means; the clusters become the initial
     * components (the default, as in scikit-learn).
     */
    KMEANS_PLUS_PLUS,
    /** Random responsibilities for every row, then an M-step. */
    RANDOM,
    /** K distinct rows drawn at random as means, the data's covariance for every component, equal weights. */
    RANDOM_POINTS,
    /**
     * Model-based agglomerative hierarchical clustering, mclust's start ({@link HierarchicalClustering}: the tree of
     * mclust's {@code hc}, VVV on the SVD-transformed data):
     * the tree cut at K clusters gives the starting partition. Deterministic, so one initialisation is made.
     */
    HIERARCHICAL;

    @Override
    public String label() {
        return switch (this) {
            case KMEANS_PLUS_PLUS -> "kmeans++";
            case HIERARCHICAL -> "hc";
            default -> Labelled.super.label();
        };
    }

    /**
     * @param name a label such as {@code kmeans++}, case-insensitive
     * @return the initialisation
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static Initialization parse(String name) {
        return Labelled.parse(Initialization.class, name, "initialisation");
    }

    @Override
    public String toString() {
        return label();
    }
}
