package io.emkit.data;

import io.emkit.EmkitException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How to read a CSV file: whether it has a header, the field delimiter, and which columns to use.
 * Immutable; start from {@link #defaults()} and change what differs with the {@code with...} methods.
 */
public final class CsvOptions {
    private static final CsvOptions DEFAULTS = new CsvOptions(HeaderMode.AUTO, ',', List.of());

    private final HeaderMode header;
    private final char delimiter;
    private final List<String> columns;

    private CsvOptions(HeaderMode header, char delimiter, List<String> columns) {
        this.header = header;
        this.delimiter = delimiter;
        this.columns = columns;
    }

    /**
     * The defaults: header detected ({@link HeaderMode#AUTO}), comma-delimited, and the default column
     * selection (every column whose first value is a number).
     *
     * @return the default options
     */
    public static CsvOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param mode whether the first record is a header
     * @return a copy with that header mode
     */
    public CsvOptions withHeader(HeaderMode mode) {
        return new CsvOptions(Objects.requireNonNull(mode, "mode"), delimiter, columns);
    }

    /**
     * @param delimiter the field delimiter, e.g. {@code ';'} or {@code '\t'}
     * @return a copy with that delimiter
     * @throws EmkitException if the character cannot delimit fields (a quote or a line break)
     */
    public CsvOptions withDelimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            String shown = delimiter == '"' ? "'\"'" : "a line break";
            throw new EmkitException("the delimiter cannot be " + shown
                    + ": it has its own meaning in CSV; use e.g. ',', ';' or a tab");
        }
        return new CsvOptions(header, delimiter, columns);
    }

    /**
     * Selects columns, in the given order. Each entry is a column name from the header or a 1-based
     * column number such as {@code "2"}; a name that exists in the file wins over a number, so a
     * column named {@code "2"} is found by its name.
     *
     * @param columns the selection; empty for the default selection
     * @return a copy with that selection
     */
    public CsvOptions withColumns(List<String> columns) {
        return new CsvOptions(header, delimiter, List.copyOf(columns));
    }

    /**
     * Same as {@link #withColumns(List)}.
     *
     * @param columns column names or 1-based numbers
     * @return a copy with that selection
     */
    public CsvOptions withColumns(String... columns) {
        return withColumns(Arrays.asList(columns));
    }

    /** @return whether the first record is a header */
    public HeaderMode header() {
        return header;
    }

    /** @return the field delimiter */
    public char delimiter() {
        return delimiter;
    }

    /** @return the selected columns (names or 1-based numbers); empty for the default selection */
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvOptions other && header == other.header && delimiter == other.delimiter
                && columns.equals(other.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, delimiter, columns);
    }

    @Override
    public String toString() {
        return "CsvOptions[header=" + header + ", delimiter='" + delimiter + "', columns=" + columns + "]";
    }
}
