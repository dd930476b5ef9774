package io.emkit.families;

import io.emkit.EmkitException;

/**
 * A value that a column's {@link ColumnFamily} cannot produce (a negative or fractional Poisson count, a
 * Bernoulli value other than 0 or 1, a non-positive exponential duration, an unknown category), with the row
 * and column where it was found so that a caller reading a file can name the line.
 */
public final class ValueOutOfSupportException extends EmkitException {
    private static final long serialVersionUID = 1L;
    private final int row;
    private final int column;
    private final String columnName;
    private final String detail;

    /**
     * @param row        the row, from 0
     * @param column     the column of the data, from 0
     * @param columnName the column's name
     * @param detail     what is wrong with the value
     */
    public ValueOutOfSupportException(int row, int column, String columnName, String detail) {
        super("row " + (row + 1) + ", column " + (column + 1) + " ('" + columnName + "'): " + detail);
        this.row = row;
        this.column = column;
        this.columnName = columnName;
        this.detail = detail;
    }

    /** @return the row, from 0 */
    public int row() {
        return row;
    }

    /** @return the column of the data, from 0 */
    public int column() {
        return column;
    }

    /** @return the column's name */
    public String columnName() {
        return columnName;
    }

    /** @return what is wrong with the value, without the position */
    public String detail() {
        return detail;
    }
}
