package io.emkit.data;

import java.util.List;

/**
 * What {@link EmkFile#convert} wrote: the shape of the data and what the CSV reader noticed on the way.
 *
 * @param fileName       the CSV file's name, as given
 * @param rows           the data rows written
 * @param columnNames    the columns written, in order
 * @param missingCells   how many cells of those columns were missing (written as NaN)
 * @param firstMissing   the first missing cell, scanning line by line, or {@code null}
 * @param ignoredColumns the columns the default selection left out because they hold text, in file order
 */
public record EmkConversion(String fileName, long rows, List<String> columnNames, long missingCells,
                            CsvData.MissingCell firstMissing, List<String> ignoredColumns) {
    /**
     * Copies the lists.
     *
     * @param fileName       the CSV file's name, as given
     * @param rows           the data rows written
     * @param columnNames    the columns written, in order
     * @param missingCells   how many cells of those columns were missing
     * @param firstMissing   the first missing cell, or {@code null}
     * @param ignoredColumns the columns left out
     */
    public EmkConversion {
        columnNames = List.copyOf(columnNames);
        ignoredColumns = List.copyOf(ignoredColumns);
    }
}
