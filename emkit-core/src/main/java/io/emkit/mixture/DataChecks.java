package io.emkit.mixture;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;

/** The checks every fit makes on its data before it starts, with messages meant for the user. */
public final class DataChecks {
    private DataChecks() {
    }

    /**
     * Checks that {@code data} has rows and columns, no missing or infinite value, and at least {@code k}
     * distinct rows.
     *
     * @param unit what the {@code k} groups are called: "component" or "cluster"
     *
     * @param data the rows
     * @param k the number of groups the fit needs
     */
    public static void requireFittable(Dataset data, int k, String unit) {
        requireFittable(data, k, unit, false);
    }

    /**
     * As {@link #requireFittable(Dataset, int, String)}, but with {@code missingAllowed} a missing value is
     * accepted as long as every column has an observed one.
     *
     * @param data the rows
     * @param k the number of groups the fit needs
     * @param unit what the groups are called
     * @param missingAllowed whether missing values are accepted
     */
    public static void requireFittable(Dataset data, int k, String unit, boolean missingAllowed) {
        if (data.columns() < 1) {
            throw new EmkitException("the data have no columns to fit");
        }
        if (data.rows() < 1) {
            throw new EmkitException("the data have no rows to fit");
        }
        int[] missing = data.firstMissing();
        if (missing != null && !missingAllowed) {
            throw new EmkitException("row " + (missing[0] + 1) + ", column " + (missing[1] + 1) + " ('"
                    + data.columnNames().get(missing[1]) + "'): missing value; this fit needs complete rows:"
                    + " remove or fill the rows that have missing values");
        }
        if (missing != null) {
            requireObservedColumns(data);
        }
        double[] x = data.rawValues();
        for (int i = 0; i < x.length; i++) {
            if (Double.isInfinite(x[i])) {
                int c = i % data.columns();
                throw new EmkitException("row " + (i / data.columns() + 1) + ", column " + (c + 1) + " ('"
                        + data.columnNames().get(c) + "'): infinite value");
            }
        }
        int distinct = data.countDistinctRows(k);
        if (distinct < k) {
            throw new EmkitException(k + " " + unit + "s requested but the data have only " + distinct
                    + " distinct row" + (distinct == 1 ? "" : "s") + "; use at most " + distinct + " " + unit
                    + (distinct == 1 ? "" : "s"));
        }
    }

    private static void requireObservedColumns(Dataset data) {
        int d = data.columns();
        double[] x = data.rawValues();
        for (int j = 0; j < d; j++) {
            boolean observed = false;
            for (int i = j; i < x.length && !observed; i += d) {
                observed = !Double.isNaN(x[i]);
            }
            if (!observed) {
                throw new EmkitException("column " + (j + 1) + " ('" + data.columnNames().get(j)
                        + "'): every value is missing; leave the column out");
            }
        }
    }

    /**
     * Checks that a fitted model with {@code d} features ({@code featureNames}) can evaluate {@code data}:
     * the same number of columns and no missing value.
     *
     * @param data the rows
     * @param d the model's number of features
     * @param featureNames the model's feature names, for the message
     */
    public static void requireEvaluable(Dataset data, int d, java.util.List<String> featureNames) {
        requireEvaluable(data, d, featureNames, false);
    }

    /**
     * As {@link #requireEvaluable(Dataset, int, java.util.List)}, accepting missing values if {@code missingAllowed}.
     *
     * @param data the rows
     * @param d the model's number of features
     * @param featureNames the model's feature names, for the message
     * @param missingAllowed whether missing values are accepted
     */
    public static void requireEvaluable(Dataset data, int d, java.util.List<String> featureNames, boolean missingAllowed) {
        if (data.columns() != d) {
            throw new EmkitException("the model has " + d + " features " + featureNames + " but the data have "
                    + data.columns() + " columns");
        }
        int[] missing = missingAllowed ? null : data.firstMissing();
        if (missing != null) {
            throw new EmkitException("row " + (missing[0] + 1) + ", column " + (missing[1] + 1)
                    + ": missing value; this model cannot evaluate rows with missing values");
        }
    }

    /**
     * The checks of {@link #requireFittable(Dataset, int, String, boolean)} without missing values for data in
     * memory; for other rows (streamed from a file) the first missing or infinite value only.
     *
     * @param data   the rows
     * @param k      the number of components the fit needs
     * @param family what the model is called in the message, plural ("t mixtures")
     * @throws EmkitException naming the row and column of the first bad value, or saying what else is wrong
     */
    public static void requireFiniteRows(Rows data, int k, String family) {
        if (data instanceof Dataset inMemory) {
            requireFittable(inMemory, k, "component", false);
            return;
        }
        int[] bad = data.firstNonFinite();
        if (bad != null) {
            throw new EmkitException("row " + (bad[0] + 1) + ", column " + (bad[1] + 1) + " ('"
                    + data.columnNames().get(bad[1]) + "'): missing or infinite value; " + family
                    + " need finite values");
        }
    }
}
