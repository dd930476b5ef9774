package io.emkit.data;

import java.util.List;
import java.util.Objects;

/**
 * What {@link CsvDataReader} read from a CSV file: the numbers as a {@link Dataset}, and what is needed
 * to talk about them in terms of the file (lines, column numbers, missing cells, ignored columns).
 */
public final class CsvData {
    private final Dataset dataset;
    private final String fileName;
    private final boolean hasHeader;
    private final long missingCells;
    private final MissingCell firstMissing;
    private final List<String> ignoredColumns;
    private final int[] lines;
    private final int[] fileColumns;
    private final List<String> fileColumnNames;
    /** Whether a read in chunks parsed the rows straight into the data's array (nothing copied); for tests. */
    boolean readInPlace;

    CsvData(Dataset dataset, String fileName, boolean hasHeader, long missingCells, MissingCell firstMissing,
            List<String> ignoredColumns, int[] lines, int[] fileColumns, List<String> fileColumnNames) {
        this.dataset = dataset;
        this.fileName = fileName;
        this.hasHeader = hasHeader;
        this.missingCells = missingCells;
        this.firstMissing = firstMissing;
        this.ignoredColumns = List.copyOf(ignoredColumns);
        this.lines = lines;
        this.fileColumns = fileColumns;
        this.fileColumnNames = List.copyOf(fileColumnNames);
    }

    /**
     * A missing cell of the file.
     *
     * @param line       1-based line in the file
     * @param column     1-based column number in the file
     * @param columnName the column's name (from the header, or {@code x<column>} without one)
     */
    public record MissingCell(long line, int column, String columnName) {
    }

    /**
     * The selected columns, in selection order, one row per data record. Columns are named from the
     * header, or {@code x<n>} after their position {@code n} in the file when there is none. Missing
     * cells are {@code NaN}.
     *
     * @return the data
     */
    public Dataset dataset() {
        return dataset;
    }

    /** @return the file name as given to the reader, or {@code null} */
    public String fileName() {
        return fileName;
    }

    /** @return whether the file's first record was taken as a header */
    public boolean hasHeader() {
        return hasHeader;
    }

    /** @return how many cells of the selected columns are missing */
    public long missingCells() {
        return missingCells;
    }

    /** @return the first missing cell of the selected columns, scanning line by line, or {@code null} */
    public MissingCell firstMissing() {
        return firstMissing;
    }

    /**
     * The columns the default selection left out because their first value is not a number, such as
     * the species of the iris data. Empty when columns were selected explicitly.
     *
     * @return their names, in file order
     */
    public List<String> ignoredColumns() {
        return ignoredColumns;
    }

    /**
     * @param row data row, from 0
     * @return the 1-based line of the file where that row starts
     */
    public long lineOf(int row) {
        Objects.checkIndex(row, dataset.rows());
        return lines[row];
    }

    /**
     * @param column dataset column, from 0
     * @return the 1-based number of that column in the file
     */
    public int fileColumnOf(int column) {
        Objects.checkIndex(column, fileColumns.length);
        return fileColumns[column];
    }

    /**
     * Every column of the file, read or not, in file order: named from the header (trimmed), or
     * {@code x<n>} without one (or for an empty header cell).
     *
     * @return the names
     */
    public List<String> fileColumnNames() {
        return fileColumnNames;
    }

    /**
     * The error to report when missing values cannot be handled, pointing at the first one, e.g.
     * {@code data.csv: line 7, column 2 ('waiting'): missing value (empty cell, NA or NaN); 3 cells are
     * missing in all}. The caller may append what the user can do about it.
     *
     * @return the exception, not thrown
     * @throws IllegalStateException if no cell is missing
     */
    public InvalidDataException missingValueError() {
        if (firstMissing == null) {
            throw new IllegalStateException("no cell is missing");
        }
        String count = missingCells == 1 ? "1 cell is missing in all" : missingCells + " cells are missing in all";
        return InvalidDataException.atCell(fileName, firstMissing.line(), firstMissing.column(),
                firstMissing.columnName(), "missing value (empty cell, NA or NaN); " + count);
    }

    @Override
    public String toString() {
        return "CsvData[" + fileName + ", " + dataset + ", header=" + hasHeader + ", missing=" + missingCells
                + ", ignored=" + ignoredColumns + "]";
    }
}
