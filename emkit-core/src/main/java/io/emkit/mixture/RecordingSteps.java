package io.emkit.mixture;

import io.emkit.data.Dataset;

import java.util.function.Function;

/**
 * A data set's recording steps ({@link Dataset#recordingSteps}) for a rule that asks whether a fit sits on rows
 * recorded alike, looked at cheaply first: a gap between two of the first {@value #FIRST_ROWS} rows' values is a gap
 * of the data, so the data's smallest is no larger, and a fit the rule passes against those bounds passes against the
 * data's own steps. Only a fit it does not pass makes every column be sorted (once). A search asks after every run, on
 * a million rows too.
 */
public final class RecordingSteps {
    /** Rows whose steps bound the data's from above. */
    static final int FIRST_ROWS = 4096;

    private final Dataset data;
    private double[] bounds;
    private double[] steps;

    private RecordingSteps(Dataset data) {
        this.data = data;
    }

    /**
     * @param data the rows
     * @return their recording steps, none computed yet
     */
    public static RecordingSteps of(Dataset data) {
        return new RecordingSteps(java.util.Objects.requireNonNull(data, "data"));
    }

    /**
     * What {@code rule} says of the data's recording steps: its answer for the first rows' bounds (+∞ for a column
     * with a single value there) when that is {@code null}, else its answer for the data's own steps. The rule must
     * answer {@code null} for any smaller steps wherever it does for some (a fit wider than what rounding to a step
     * adds is wider than what rounding to a smaller one adds).
     *
     * @param rule from per-column steps, a reason, or {@code null} for none
     * @return the rule's answer for the data's steps
     */
    public synchronized String reason(Function<double[], String> rule) {
        if (steps == null && data.rows() > FIRST_ROWS) {
            if (bounds == null) {
                bounds = data.slice(0, FIRST_ROWS).recordingSteps();
                for (int j = 0; j < bounds.length; j++) {
                    bounds[j] = bounds[j] == 0 ? Double.POSITIVE_INFINITY : bounds[j];
                }
            }
            if (rule.apply(bounds.clone()) == null) {
                return null;
            }
        }
        if (steps == null) {
            steps = data.recordingSteps();
        }
        return rule.apply(steps.clone());
    }
}
