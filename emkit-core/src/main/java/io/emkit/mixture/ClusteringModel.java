package io.emkit.mixture;

import io.emkit.data.Dataset;

import java.util.List;

/**
 * A fitted model that assigns each row of {@link #dimension()} features to one of {@link #components()}
 * groups: what every emkit model file holds and what {@code emkit predict} needs. Immutable and safe to
 * share between threads.
 *
 * <p>{@link MixtureModel} (a density: responsibilities, log-likelihoods, sampling) and
 * {@code KMeansModel} (centroids, hard assignments only) are the two kinds.
 */
public interface ClusteringModel {
    /** @return the number of components (clusters) K */
    int components();

    /** @return the number of features D each row must have */
    int dimension();

    /** @return the features' names, in order (as in the data the model was fitted to) */
    List<String> featureNames();

    /** @return the number of free parameters */
    int parameterCount();

    /**
     * Hard assignments: the component (from 0) each row belongs to.
     *
     * @param data rows with {@link #dimension()} columns, no missing values
     * @return one component index per row
     */
    int[] predict(Dataset data);
}
