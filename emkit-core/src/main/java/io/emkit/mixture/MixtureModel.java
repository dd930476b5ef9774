package io.emkit.mixture;

import io.emkit.data.Dataset;

/**
 * A fitted finite mixture: {@code K} components with weights, each a density over rows of
 * {@link #dimension()} features. Immutable and safe to share between threads.
 *
 * <p>Rows are assigned to components by their posterior probabilities, the responsibilities. A row with
 * missing values ({@code NaN}) is evaluated on its observed values: its density is the mixture's marginal
 * over them, and a row with every value missing has log density 0 and the weights as responsibilities.
 */
public interface MixtureModel extends ClusteringModel {
    /** @return the mixing weights, summing to 1 (a copy) */
    double[] weights();

    /** @return the number of free parameters, as counted for BIC and AIC */
    @Override
    int parameterCount();

    /**
     * The log density of each row under the mixture.
     *
     * @param data rows with {@link #dimension()} columns; a row with missing values ({@code NaN}) is
     *             evaluated on its observed values (the mixture's marginal)
     * @return one log density per row
     */
    double[] scoreSamples(Dataset data);

    /**
     * The responsibilities: each row's posterior probability of belonging to each component.
     *
     * @param data rows with {@link #dimension()} columns; a row with missing values ({@code NaN}) is
     *             evaluated on its observed values (the mixture's marginal)
     * @return {@code rows × K}, each row summing to 1
     */
    double[][] predictProba(Dataset data);

    /**
     * Hard assignments: each row's most probable component (the argmax of {@link #predictProba}).
     *
     * @param data rows with {@link #dimension()} columns; a row with missing values ({@code NaN}) is
     *             evaluated on its observed values (the mixture's marginal)
     * @return one component index (from 0) per row
     */
    @Override
    int[] predict(Dataset data);

    /**
     * Draws rows from the mixture.
     *
     * @param n    how many
     * @param seed decides the draw
     * @return the rows and the component each came from
     */
    Sample sample(int n, long seed);

    /**
     * @param data rows, weighted or not
     * @return the total log-likelihood of the rows, {@code Σ w_i log p(x_i)} when they carry weights
     */
    default double logLikelihood(Dataset data) {
        double[] perRow = scoreSamples(data);
        double[] w = data.rawWeights();
        double s = 0;
        for (int i = 0; i < perRow.length; i++) {
            if (w == null) {
                s += perRow[i];
            } else if (w[i] != 0) {
                s += w[i] * perRow[i];
            }
        }
        return s;
    }

    /**
     * @param data rows, weighted or not
     * @return the mean log-likelihood per row (per unit of weight when the rows carry weights)
     */
    default double score(Dataset data) {
        return logLikelihood(data) / data.totalWeight();
    }

    /**
     * @param data the rows the model was fitted to, weighted or not
     * @return −2·logL + p·ln n, lower is better; n is the total weight when the rows carry weights
     */
    default double bic(Dataset data) {
        return -2.0 * logLikelihood(data) + parameterCount() * Math.log(data.totalWeight());
    }

    /**
     * @param data the rows the model was fitted to
     * @return −2·logL + 2p, lower is better
     */
    default double aic(Dataset data) {
        return -2.0 * logLikelihood(data) + 2.0 * parameterCount();
    }

    /**
     * Rows drawn from a mixture.
     *
     * @param data       the rows
     * @param components the component (from 0) each row was drawn from
     */
    record Sample(Dataset data, int[] components) {
    }
}
