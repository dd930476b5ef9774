package io.emkit.cli;

import io.emkit.data.CsvData;
import io.emkit.data.DataFiles;
import io.emkit.data.CsvOptions;
import io.emkit.data.HeaderMode;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How to read a data file: shared by every command that reads one. */
public final class DataOptions {
    @Option(names = "--columns", split = ",", paramLabel = "COL",
            description = "Columns to use, by name or by number from 1 (default: every numeric column).")
    List<String> columns = new ArrayList<>();

    @Option(names = "--header", paramLabel = "auto|yes|no", converter = HeaderConverter.class,
            description = "Whether the first line names the columns (default: auto, detected).")
    HeaderMode header = HeaderMode.AUTO;

    @Option(names = "--delimiter", paramLabel = "C", converter = DelimiterConverter.class,
            description = "The field delimiter: one character, or 'tab' (or \\t) for a tab (default: detected from"
                    + " the first lines: ';', tab or '|' when one of them, and not ',', splits every line alike; else ',').")
    Character delimiter;

    /** Where reads count their rows for a progress display, or null. */
    private java.util.concurrent.atomic.LongAdder rowCounter;

    /**
     * Makes the reads of these options count their rows into a counter (see {@link CsvOptions#withRowCounter}),
     * for a status line that shows the rows read so far.
     *
     * @param counter the counter, or null to stop counting
     */
    public void countRows(java.util.concurrent.atomic.LongAdder counter) {
        this.rowCounter = counter;
    }

    /** @return the columns of {@code --columns}, empty when not given */
    public List<String> columns() {
        return columns;
    }

    /** @return {@code --header} */
    public HeaderMode header() {
        return header;
    }

    CsvData read(Path file) {
        return DataFiles.read(file, options());
    }

    /** @return the options reading a file as these options say */
    public CsvOptions options() {
        CsvOptions options = CsvOptions.defaults().withColumns(columns).withHeader(header).withRowCounter(rowCounter);
        return delimiter == null ? options : options.withDelimiter(delimiter);
    }

    /** @return the options reading a file as text (header and delimiter; the columns are chosen later) */
    public CsvOptions textOptions() {
        return options().withColumns(List.of());
    }

    /** @return whether {@code --columns} is given */
    public boolean columnsGiven() {
        return !columns.isEmpty();
    }

    /**
     * Refuses a column that another option reads for a purpose of its own (the labels, the weights) when
     * {@code --columns} names it too, as a column to model: one check, and one wording of it, for every such option.
     *
     * @param option  the other option, e.g. {@code --labels-column}
     * @param given   the column as given to it (compared trimmed, shown as given)
     * @param refusal why it cannot be modelled, e.g. {@code the labels are not a model column}
     * @throws io.emkit.EmkitException if {@code --columns} names the column
     */
    public void refuseInColumns(String option, String given, String refusal) {
        if (columns.stream().anyMatch(c -> c.trim().equals(given.trim()))) {
            throw new io.emkit.EmkitException(option + " '" + given + "' is also in --columns; " + refusal
                    + ": leave it out of --columns");
        }
    }

    /** A delimiter: one character, or a tab written as {@code tab} or {@code \t}. */
    static final class DelimiterConverter implements picocli.CommandLine.ITypeConverter<Character> {
        @Override
        public Character convert(String value) {
            if (value.equals("\\t") || value.equalsIgnoreCase("tab")) {
                return '\t';
            }
            if (value.length() != 1) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not one character; give e.g. ';', '|' or tab");
            }
            char c = value.charAt(0);
            if (c == '"' || c == '\n' || c == '\r') {
                throw new picocli.CommandLine.TypeConversionException("the delimiter cannot be "
                        + (c == '"' ? "'\"'" : "a line break") + ": it has its own meaning in CSV");
            }
            return c;
        }
    }

    static final class HeaderConverter implements picocli.CommandLine.ITypeConverter<HeaderMode> {
        @Override
        public HeaderMode convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> HeaderMode.AUTO;
                case "yes", "true", "present" -> HeaderMode.PRESENT;
                case "no", "false", "absent" -> HeaderMode.ABSENT;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not one of auto, yes, no");
            };
        }
    }
}
