package io.emkit.mixture;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;

import java.util.Arrays;
import java.util.List;

/**
 * A mixture whose rows are evaluated one at a time from each component's log joint density
 * {@code ln π_k + ln p_k(x)}: {@link #scoreSamples}, {@link #predictProba} and {@link #predict} follow from
 * {@link #rowEvaluator()} alone. For the families that evaluate complete rows only (Student-t components,
 * factor analysers); a row with a missing value is refused, naming it.
 */
public abstract class RowwiseMixtureModel extends AbstractClusteringModel implements MixtureModel {

    /**
     * @param k            the number of components
     * @param d            the number of features
     * @param featureNames D names, already checked and unmodifiable
     */
    protected RowwiseMixtureModel(int k, int d, List<String> featureNames) {
        super(k, d, featureNames);
    }

    /** Evaluates rows, with scratch space of its own: one per thread. */
    protected interface RowEvaluator {
        /**
         * @param x        the rows
         * @param offset   where the row starts in {@code x}
         * @param logJoint K doubles to receive {@code ln π_k + ln p_k(x)}
         */
        void logJoint(double[] x, int offset, double[] logJoint);
    }

    /** @return a new evaluator of rows under this model */
    protected abstract RowEvaluator rowEvaluator();

    /**
     * Turns log joint densities into responsibilities in place.
     *
     * @param logJoint {@code ln π_k + ln p_k(x)} in {@code [0, k)}; the responsibilities on return (equal ones
     *                 when every density is 0)
     * @param k        the number of components
     * @return the row's log density, the log-sum-exp of the input
     */
    public static double normalize(double[] logJoint, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, logJoint[c]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(logJoint, 0, k, 1.0 / k);
            return max;
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double e = Math.exp(logJoint[c] - max);
            logJoint[c] = e;
            sum += e;
        }
        for (int c = 0; c < k; c++) {
            logJoint[c] /= sum;
        }
        return max + Math.log(sum);
    }

    private interface RowConsumer {
        void accept(int row, double[] values, double logDensity);
    }

    /**
     * Whether the {@link #rowEvaluator()} evaluates rows with missing values ({@code NaN}) on their observed
     * coordinates; if not (the default), such rows are refused, naming the row and column.
     *
     * @return {@code false} unless a model says otherwise
     */
    protected boolean evaluatesMissingValues() {
        return false;
    }

    private void forEachRow(Dataset data, boolean normalize, RowConsumer consumer) {
        DataChecks.requireEvaluable(data, d, featureNames(), evaluatesMissingValues());
        double[] x = data.rawValues();
        double[] joint = new double[k];
        RowEvaluator evaluator = rowEvaluator();
        for (int i = 0; i < data.rows(); i++) {
            evaluator.logJoint(x, i * d, joint);
            double logDensity = normalize ? normalize(joint, k) : Double.NaN;
            consumer.accept(i, joint, logDensity);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws EmkitException if a row has a missing value (not supported by this family yet)
     */
    @Override
    public double[] scoreSamples(Dataset data) {
        double[] out = new double[data.rows()];
        forEachRow(data, true, (i, resp, logDensity) -> out[i] = logDensity);
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @throws EmkitException if a row has a missing value (not supported by this family yet)
     */
    @Override
    public double[][] predictProba(Dataset data) {
        double[][] out = new double[data.rows()][];
        forEachRow(data, true, (i, resp, logDensity) -> out[i] = resp.clone());
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @throws EmkitException if a row has a missing value (not supported by this family yet)
     */
    @Override
    public int[] predict(Dataset data) {
        int[] out = new int[data.rows()];
        forEachRow(data, false, (i, joint, logDensity) -> {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (joint[c] > joint[best]) {
                    best = c;
                }
            }
            out[i] = best;
        });
        return out;
    }
}
