package io.emkit.data;

import io.emkit.EmkitException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * How to read a CSV file: whether it has a header, the field delimiter, and which columns to use.
 * Immutable; start from {@link #defaults()} and change what differs with the {@code with...} methods.
 *
 * <p>Unless a delimiter is given, it is detected from the file's first lines: a semicolon, a tab or a
 * vertical bar when that character, and not the comma, splits every one of those lines (outside quotes)
 * into the same number of fields, more than one; a comma otherwise, and whenever the lines leave it open.
 */
public final class CsvOptions {
    /** The candidates detection chooses from, the comma first: it wins whenever it fits. */
    private static final char[] DETECTABLE = {',', ';', '\t', '|'};
    /** The first lines detection looks at, at most. */
    private static final int DETECTION_LINES = 50;
    /** The characters detection looks at, at most: enough for the first lines of wide files. */
    static final int DETECTION_CHARS = 1 << 16;

    private static final CsvOptions DEFAULTS = new CsvOptions(HeaderMode.AUTO, ',', true, List.of(), null);

    private final HeaderMode header;
    private final char delimiter;
    private final boolean detectDelimiter;
    private final List<String> columns;
    /** Where the rows read are counted for a progress display, or {@code null}. */
    private final LongAdder rowCounter;

    private CsvOptions(HeaderMode header, char delimiter, boolean detectDelimiter, List<String> columns,
                       LongAdder rowCounter) {
        this.header = header;
        this.delimiter = delimiter;
        this.detectDelimiter = detectDelimiter;
        this.columns = columns;
        this.rowCounter = rowCounter;
    }

    /**
     * The defaults: header detected ({@link HeaderMode#AUTO}), delimiter detected (a comma unless the first
     * lines clearly use {@code ;}, a tab or {@code |}), and the default column
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
        return new CsvOptions(Objects.requireNonNull(mode, "mode"), delimiter, detectDelimiter, columns,
                rowCounter);
    }

    /**
     * @param delimiter the field delimiter, e.g. {@code ';'} or {@code '\t'}
     * @return a copy with that delimiter, used as given (not detected)
     * @throws EmkitException if the character cannot delimit fields (a quote or a line break)
     */
    public CsvOptions withDelimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            String shown = delimiter == '"' ? "'\"'" : "a line break";
            throw new EmkitException("the delimiter cannot be " + shown
                    + ": it has its own meaning in CSV; use e.g. ',', ';' or a tab");
        }
        return new CsvOptions(header, delimiter, false, columns, rowCounter);
    }

    /**
     * @return a copy that detects the delimiter from the file's first lines (the default)
     */
    public CsvOptions withDetectedDelimiter() {
        return new CsvOptions(header, ',', true, columns, rowCounter);
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
        return new CsvOptions(header, delimiter, detectDelimiter, List.copyOf(columns), rowCounter);
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

    /**
     * Counts the rows as they are read, for a progress display that polls the counter from another thread: a
     * read sets it to 0 when it opens the file, then adds the rows in steps of a few thousand, and the rest at
     * the end, when the count is the rows read (a read in parallel chunks adds each chunk's rows when it has
     * parsed the chunk, so the count runs ahead of the file order; a read that starts over sets it to 0 again).
     * Costs one addition per few thousand rows. The counter is not
     * part of {@link #equals}: it changes how a read is watched, not what it reads.
     *
     * @param rowCounter the counter, or {@code null} for none (the default)
     * @return a copy counting into it
     */
    public CsvOptions withRowCounter(LongAdder rowCounter) {
        return new CsvOptions(header, delimiter, detectDelimiter, columns, rowCounter);
    }

    /** @return the counter of {@link #withRowCounter}, or {@code null} */
    public LongAdder rowCounter() {
        return rowCounter;
    }

    /** @return whether the first record is a header */
    public HeaderMode header() {
        return header;
    }

    /** @return the field delimiter: the one given, or a comma while it is to be detected */
    public char delimiter() {
        return delimiter;
    }

    /** @return whether the delimiter is detected from the file (no delimiter was given) */
    public boolean detectsDelimiter() {
        return detectDelimiter;
    }

    /**
     * These options with the delimiter fixed: as given, or detected from a file's first characters.
     *
     * @param start the file's first characters (up to {@link #DETECTION_CHARS}; a cut last line is ignored)
     * @return options whose delimiter no longer needs detecting
     */
    CsvOptions resolvedFor(CharSequence start) {
        return detectDelimiter ? withDelimiter(detectDelimiter(start)) : this;
    }

    /**
     * The delimiter of a file starting with these characters: the first of {@link #DETECTABLE} that splits
     * every complete line of the start (blank lines aside, up to {@link #DETECTION_LINES}) into the same number
     * of fields, more than one, counting only delimiters outside quotes; a comma when there is none, and also
     * when more than one of the others would do, since then the lines do not tell.
     */
    static char detectDelimiter(CharSequence start) {
        char found = 0;
        for (char candidate : DETECTABLE) {
            if (splitsEveryLineAlike(start, candidate)) {
                if (candidate == ',') {
                    return ',';
                }
                if (found != 0) {
                    return ',';
                }
                found = candidate;
            }
        }
        return found == 0 ? ',' : found;
    }

    private static boolean splitsEveryLineAlike(CharSequence text, char delimiter) {
        int expected = -1;
        int fields = 1;
        int lines = 0;
        boolean quoted = false;
        boolean blank = true;
        for (int i = 0; i < text.length() && lines < DETECTION_LINES; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                // A doubled quote inside quotes toggles twice: the state is right either way.
                quoted = !quoted;
                blank = false;
            } else if (quoted) {
                continue;
            } else if (c == delimiter) {
                fields++;
                blank = false;
            } else if (c == '\n' || c == '\r') {
                if (!blank) {
                    if (expected < 0) {
                        expected = fields;
                    } else if (fields != expected) {
                        return false;
                    }
                    lines++;
                }
                fields = 1;
                blank = true;
            } else if (c > ' ' && c != '\uFEFF') {
                blank = false;
            }
        }
        // A last line without its line end counts only when the text is short enough to be the whole file.
        if (!blank && !quoted && text.length() < DETECTION_CHARS && lines < DETECTION_LINES) {
            if (expected >= 0 && fields != expected) {
                return false;
            }
            expected = expected < 0 ? fields : expected;
        }
        return expected > 1;
    }

    /** @return the selected columns (names or 1-based numbers); empty for the default selection */
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvOptions other && header == other.header && delimiter == other.delimiter
                && detectDelimiter == other.detectDelimiter && columns.equals(other.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, delimiter, detectDelimiter, columns);
    }

    @Override
    public String toString() {
        String shown = detectDelimiter ? "detected" : delimiter == '\t' ? "'\\t'" : "'" + delimiter + "'";
        return "CsvOptions[header=" + header + ", delimiter=" + shown + ", columns=" + columns + "]";
    }
}
