package io.emkit.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.emkit.EmkitException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * A CSV file read as text, for data with categorical columns: every cell kept as a string, each column
 * classified as numeric (every cell a finite number or missing) or text, and a {@link Dataset} built from chosen columns
 * where a text column becomes category codes. {@link CsvDataReader} stays the fast, numbers-only reader; this
 * one holds every cell as a string and suits the modest tables categorical data come in.
 *
 * <p>A text column's categories are its distinct values in sorted order (code 0 is the first), or the
 * categories a fitted model already knows ({@link #codes(int, List)}). Missing cells (empty, {@code NA},
 * {@code NaN}) become {@code NaN} in numbers and codes; they are no category.
 */
public final class TextTable {
    private final String file;
    private final List<String> names;
    private final List<String[]> rows;
    private final long[] lines;
    private final boolean header;
    /** Per column: null until asked, then whether every cell is a finite number. */
    private final Boolean[] numeric;

    private TextTable(String file, List<String> names, List<String[]> rows, long[] lines, boolean header) {
        this.file = file;
        this.names = names;
        this.rows = rows;
        this.lines = lines;
        this.header = header;
        this.numeric = new Boolean[names.size()];
    }

    /**
     * Reads a whole CSV file as text: standard input for {@code -}, gzip undone, the delimiter as the options
     * say or detected (as {@link CsvDataReader} does). Cells are kept as the file has them, quotes removed;
     * {@link #cell} trims them of spaces.
     *
     * @param path    the file
     * @param options the header mode and delimiter ({@link CsvOptions#columns()} is not used here: choose
     *                columns with {@link #columnIndex})
     * @return the table
     * @throws InvalidDataException if the file is missing, empty, ragged or malformed
     */
    public static TextTable read(Path path, CsvOptions options) {
        return read(path, options, column -> true);
    }

    /**
     * Reads a CSV file as text, keeping the cells of some columns only: for a large file of which a command
     * needs a few columns' text. The other columns' cells are {@code null} ({@link #rawCell}, {@link #cell},
     * {@link #isNumeric} and the like apply to the kept columns only).
     *
     * @param path    the file
     * @param options the header mode and delimiter
     * @param columns which columns (from 0) to keep
     * @return the table
     * @throws InvalidDataException if the file is missing, empty, ragged or malformed
     */
    public static TextTable read(Path path, CsvOptions options, IntPredicate columns) {
        String file = DataFiles.nameOf(path);
        List<String[]> records = new ArrayList<>();
        List<Long> lineList = new ArrayList<>();
        scan(path, options, columns, Long.MAX_VALUE, records, lineList);
        if (records.isEmpty()) {
            throw InvalidDataException.ofFile(file, "is empty");
        }
        boolean header = isHeader(records.get(0), options.header());
        List<String> names = names(records.get(0), header);
        if (header) {
            records.remove(0);
            lineList.remove(0);
        }
        if (records.isEmpty()) {
            throw InvalidDataException.ofFile(file, "has no data rows");
        }
        long[] lines = new long[lineList.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = lineList.get(i);
        }
        return new TextTable(file, names, records, lines, header);
    }

    /**
     * The column names of a CSV file, from its first record only (as {@link #read} names them).
     *
     * @param path    the file
     * @param options the header mode and delimiter
     * @return the names (from the header, or {@code x1, x2, ...})
     * @throws InvalidDataException if the file is missing, empty or malformed
     */
    public static List<String> columnNamesIn(Path path, CsvOptions options) {
        List<String[]> records = new ArrayList<>();
        scan(path, options, column -> true, 1, records, new ArrayList<>());
        if (records.isEmpty()) {
            throw InvalidDataException.ofFile(DataFiles.nameOf(path), "is empty");
        }
        return names(records.get(0), isHeader(records.get(0), options.header()));
    }

    /** Reads up to {@code most} records: the first whole, the others' cells of the chosen columns only. */
    private static void scan(Path path, CsvOptions options, IntPredicate columns, long most, List<String[]> records,
                             List<Long> lines) {
        String file = DataFiles.nameOf(path);
        CsvDataReader.withText(path, options, (text, resolved) -> {
            try (CsvReader<CsvRecord> reader = CsvReader.builder().fieldSeparator(resolved.delimiter())
                    .skipEmptyLines(true).ofCsvRecord(text)) {
                for (CsvRecord rec : reader) {
                    if (records.size() == most) {
                        break;
                    }
                    String[] cells = new String[rec.getFieldCount()];
                    boolean first = records.isEmpty();
                    if (!first && cells.length != records.get(0).length) {
                        throw InvalidDataException.atLine(file, rec.getStartingLineNumber(), "has " + cells.length
                                + " cells, the first line has " + records.get(0).length);
                    }
                    for (int j = 0; j < cells.length; j++) {
                        cells[j] = first || columns.test(j) ? rec.getField(j) : null;
                    }
                    records.add(cells);
                    lines.add(rec.getStartingLineNumber());
                    if ((records.size() & 4095) == 0 && resolved.rowCounter() != null) {
                        resolved.rowCounter().add(4096);
                    }
                }
                if (resolved.rowCounter() != null) {
                    // The records past the last whole step; the header, if any, is counted as a record.
                    resolved.rowCounter().add(records.size() & 4095);
                }
            } catch (CsvParseException e) {
                throw notValid(file, records.size(), e);
            } catch (UncheckedIOException e) {
                throw InvalidDataException.ofFile(file, "cannot read: " + e.getCause().getMessage());
            } catch (IOException e) {
                throw InvalidDataException.ofFile(file, "cannot read: " + e.getMessage());
            }
            return null;
        });
    }

    private static boolean isHeader(String[] first, HeaderMode mode) {
        return switch (mode) {
            case PRESENT -> true;
            case ABSENT -> false;
            case AUTO -> {
                boolean text = false;
                for (String c : first) {
                    String t = c.trim();
                    text |= !isMissing(t) && !isNumber(t);
                }
                yield text;
            }
        };
    }

    private static List<String> names(String[] first, boolean header) {
        if (!header) {
            return Dataset.defaultNames(first.length);
        }
        List<String> trimmed = new ArrayList<>(first.length);
        for (String c : first) {
            trimmed.add(c.trim());
        }
        return List.copyOf(trimmed);
    }

    /** The parser's complaint in the user's terms; FastCSV stops a record at 16,384 fields. */
    private static InvalidDataException notValid(String file, int recordsRead, CsvParseException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String reason = String.valueOf(cause.getMessage());
        if (reason.startsWith("Maximum number of fields exceeded")) {
            return InvalidDataException.ofFile(file, "record " + (recordsRead + 1)
                    + " has more than 16,384 fields, more than emkit reads with text columns");
        }
        if (reason.startsWith("Maximum buffer size")) {
            return InvalidDataException.ofFile(file, "record " + (recordsRead + 1)
                    + " is longer than the CSV reader takes (a closing quote or a line end missing?)");
        }
        return InvalidDataException.ofFile(file, "not valid CSV: " + reason);
    }

    /**
     * A cell as the file has it, quotes removed: what a command carries to its output unchanged.
     *
     * @param row    a data row, from 0
     * @param column a column, from 0
     * @return the cell's text
     */
    public String rawCell(int row, int column) {
        return rows.get(row)[column];
    }

    /**
     * @param row    a data row, from 0
     * @param column a column, from 0
     * @return the cell's text, trimmed of spaces
     */
    public String cell(int row, int column) {
        return rows.get(row)[column].trim();
    }

    /** @return the column names (from the header, or {@code x1, x2, ...}) */
    public List<String> columnNames() {
        return names;
    }

    /** @return whether the first line held the column names */
    public boolean hasHeader() {
        return header;
    }

    /** @return the number of data rows */
    public int rows() {
        return rows.size();
    }

    /**
     * @param row a data row, from 0
     * @return the file line it starts on, from 1
     */
    public long lineOf(int row) {
        return lines[row];
    }

    /**
     * A column by name or by number from 1.
     *
     * @param spec a name in the header, or a number from 1
     * @return the column's index, from 0
     * @throws InvalidDataException if there is no such column
     */
    public int columnIndex(String spec) {
        return columnIndex(file, names, spec);
    }

    /**
     * A column of any table by name, or by number from 1 when no column has that name: how every command's
     * {@code --columns} names columns.
     *
     * @param file  the data, for the message
     * @param names the table's column names
     * @param spec  a name or a number from 1
     * @return the column, from 0
     * @throws InvalidDataException naming the file and listing the columns if there is no such column
     */
    public static int columnIndex(String file, List<String> names, String spec) {
        int i = names.indexOf(spec);
        if (i >= 0) {
            return i;
        }
        if (spec.matches("[0-9]+")) {
            int n = Integer.parseInt(spec);
            if (n >= 1 && n <= names.size()) {
                return n - 1;
            }
        }
        throw InvalidDataException.ofFile(file, "no column '" + spec + "'; the columns are: " + EmkitException.list(names));
    }

    /**
     * Whether every cell of a column is a finite number.
     *
     * @param column the column, from 0
     * @return true for a numeric column: every cell a finite number or missing, and at least one a number
     */
    public synchronized boolean isNumeric(int column) {
        if (numeric[column] == null) {
            boolean all = true;
            boolean any = false;
            for (int i = 0; i < rows.size() && all; i++) {
                String c = cell(i, column);
                boolean number = isNumber(c);
                all = number || isMissing(c);
                any |= number;
            }
            numeric[column] = all && any;
        }
        return numeric[column];
    }

    /**
     * A numeric column's values.
     *
     * @param column the column, from 0
     * @return one number per row, {@code NaN} for a missing cell
     * @throws InvalidDataException naming the line of a cell that is not a finite number
     */
    public double[] numbers(int column) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            String c = cell(i, column);
            if (isMissing(c)) {
                out[i] = Double.NaN;
                continue;
            }
            if (!isNumber(c)) {
                throw InvalidDataException.atCell(file, lines[i], column + 1, names.get(column),
                        "'" + c + "' is not a finite number");
            }
            out[i] = Double.parseDouble(c);
        }
        return out;
    }

    /**
     * The sorted distinct values of a column: its categories when read as text.
     *
     * @param column the column, from 0
     * @return the categories (missing cells are not one)
     */
    public List<String> categories(int column) {
        TreeSet<String> set = new TreeSet<>();
        for (int i = 0; i < rows.size(); i++) {
            String c = cell(i, column);
            if (!isMissing(c)) {
                set.add(c);
            }
        }
        return List.copyOf(set);
    }

    /**
     * A text column as category codes: each cell's index in {@code categories}.
     *
     * @param column     the column, from 0
     * @param categories the known categories (for example {@link #categories(int)}, or a model's)
     * @return one code per row, {@code NaN} for a missing cell
     * @throws InvalidDataException naming the line of a value not among the categories
     */
    public double[] codes(int column, List<String> categories) {
        Map<String, Integer> index = new HashMap<>();
        for (int m = 0; m < categories.size(); m++) {
            index.put(categories.get(m), m);
        }
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            String cell = cell(i, column);
            if (isMissing(cell)) {
                out[i] = Double.NaN;
                continue;
            }
            Integer code = index.get(cell);
            if (code == null) {
                throw InvalidDataException.atCell(file, lines[i], column + 1, names.get(column), "category '"
                        + cell + "' is not one of the " + categories.size() + " known: " + EmkitException.list(categories));
            }
            out[i] = code;
        }
        return out;
    }

    private static boolean isMissing(String c) {
        return c.isEmpty() || c.equals("NA") || c.equalsIgnoreCase("nan");
    }

    private static boolean isNumber(String c) {
        if (isMissing(c)) {
            return false;
        }
        char first = c.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return false;
        }
        try {
            return Double.isFinite(Double.parseDouble(c.toLowerCase(Locale.ROOT)));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
