package io.emkit.data;

/** Whether the first record of a CSV file names the columns. */
public enum HeaderMode {
    /**
     * Decide from the first record: it is a header if any of its non-empty cells is neither a number
     * nor a missing-value token.
     */
    AUTO,
    /** The first record is a header, even if it looks like numbers. */
    PRESENT,
    /** There is no header; the first record is data and the columns are named {@code x1, x2, ...}. */
    ABSENT
}
