package io.emkit.mixture;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;

import java.util.List;

/**
 * What every fitted model holds the same way: its number of components K, its number of features D and the
 * features' names, with the three {@link ClusteringModel} methods that return them. The models of each family
 * extend it and add their parameters; it holds no parameters itself.
 */
public abstract class AbstractClusteringModel implements ClusteringModel {
    /** The number of components (clusters) K. */
    protected final int k;
    /** The number of features D each row must have. */
    protected final int d;
    /** The features' names, D of them, unmodifiable. */
    protected final List<String> featureNames;

    /**
     * @param k            the number of components
     * @param d            the number of features
     * @param featureNames D names, already checked (see {@link #featureNamesOrDefault}) and unmodifiable
     */
    protected AbstractClusteringModel(int k, int d, List<String> featureNames) {
        this.k = k;
        this.d = d;
        this.featureNames = featureNames;
    }

    /**
     * The feature names a model keeps: a copy of the given ones, or {@code x1..xD} when there are none.
     *
     * @param names the names, or {@code null} for {@code x1..xD}
     * @param d     the number of features
     * @return an unmodifiable list of D names
     * @throws EmkitException if there are not D names
     */
    protected static List<String> featureNamesOrDefault(List<String> names, int d) {
        List<String> kept = names == null ? Dataset.defaultNames(d) : List.copyOf(names);
        if (kept.size() != d) {
            throw new EmkitException("expected " + d + " feature names, got " + kept.size());
        }
        return kept;
    }

    /**
     * @param flat    a {@code rows × columns} matrix by rows
     * @param rows    its rows, e.g. K
     * @param columns its columns, e.g. D
     * @return its rows (copies)
     */
    protected static double[][] rows(double[] flat, int rows, int columns) {
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * columns, (r + 1) * columns);
        }
        return out;
    }

    /**
     * Checks mixing weights: each a finite number &ge; 0, summing to 1 (within 1e-6).
     *
     * @param weights the weights, one per component
     * @throws EmkitException naming the first bad component, or giving the sum
     */
    protected static void requireWeights(double[] weights) {
        double sum = 0;
        for (int c = 0; c < weights.length; c++) {
            if (!(weights[c] >= 0) || !Double.isFinite(weights[c])) {
                throw new EmkitException("component " + (c + 1) + ": weight must be a finite number >= 0, got "
                        + weights[c]);
            }
            sum += weights[c];
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new EmkitException("weights must sum to 1, they sum to " + sum);
        }
    }

    @Override
    public final int components() {
        return k;
    }

    @Override
    public final int dimension() {
        return d;
    }

    @Override
    public final List<String> featureNames() {
        return featureNames;
    }
}
