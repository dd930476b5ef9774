package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.data.TextTable;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * {@code --keep COL,...} or {@code --keep all}: the user's other columns (ids, labels, text) carried from the
 * input to a command's output, in the input's order, each cell exactly as the input has it.
 */
public final class KeptColumns {
    @Option(names = "--keep", split = ",", paramLabel = "COL",
            description = "Carry these input columns (by name or number from 1; 'all' for every column) to the"
                    + " output, in the input's order, each cell as the input has it: ids, labels, text.")
    List<String> keep = new ArrayList<>();

    /** @return the columns of {@code --keep}, as given */
    public List<String> keep() {
        return keep;
    }

    /** @return whether {@code --keep} is given */
    public boolean given() {
        return !keep.isEmpty();
    }

    /**
     * The kept columns of the rows a command read.
     *
     * @param file    the data file as the user named it
     * @param options how it was read
     * @param rows    how many rows were read
     * @param lineOf  the file line each row was read from, or {@code null} when the rows are the file's records
     * @return the columns and their cells, row by row
     */
    public Carried read(Path file, DataOptions options, int rows, IntToLongFunction lineOf) {
        return read(file, options, rows, lineOf, keep, new int[0]);
    }

    /**
     * Columns of the rows a command read, as the input has them. Only the text of these columns and of
     * {@code alsoRead} is held.
     *
     * @param file     the data file as the user named it
     * @param options  how it was read
     * @param rows     how many rows were read
     * @param lineOf   the file line each row was read from, or {@code null} when the rows are the file's records
     * @param keep     the columns, by name or number from 1, or {@code all}
     * @param alsoRead more columns (from 0) whose cells the caller reads, not carried
     * @return the columns and their cells, row by row
     */
    public static Carried read(Path file, DataOptions options, int rows, IntToLongFunction lineOf, List<String> keep,
                               int[] alsoRead) {
        String name = io.emkit.data.DataFiles.nameOf(file);
        List<String> names = TextTable.columnNamesIn(file, options.textOptions());
        List<Integer> columns = chosen(name, names, keep);
        boolean[] held = new boolean[names.size()];
        for (int j : columns) {
            held[j] = true;
        }
        for (int j : alsoRead) {
            held[j] = true;
        }
        TextTable table = TextTable.read(file, options.textOptions(), j -> j < held.length && held[j]);
        IntToLongFunction lines = lineOf != null ? lineOf : table::lineOf;
        return new Carried(table, columns, alignedRows(name, table, rows, lines));
    }

    /**
     * The columns {@code --keep} names among a file's columns.
     *
     * @param file  the file's name, for the message
     * @param names the file's columns, in order
     * @param keep  the columns, by name or number from 1, or {@code all}
     * @return their positions, from 0, in the file's order, each once
     * @throws io.emkit.data.InvalidDataException naming a column the file has not
     */
    public static List<Integer> chosen(String file, List<String> names, List<String> keep) {
        boolean all = keep.size() == 1 && keep.get(0).trim().equalsIgnoreCase("all")
                && !names.contains(keep.get(0).trim());
        boolean[] chosen = new boolean[names.size()];
        if (all) {
            java.util.Arrays.fill(chosen, true);
        } else {
            for (String spec : keep) {
                chosen[TextTable.columnIndex(file, names, spec.trim())] = true;
            }
        }
        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < chosen.length; j++) {
            if (chosen[j]) {
                columns.add(j);
            }
        }
        return columns;
    }

    /**
     * Refuses a carried column named as one the command writes: the output would have two columns of one name, and
     * a reader could take either for the other.
     *
     * @param carried the carried columns' names
     * @param written the names of the columns the command writes after the carried ones
     * @throws EmkitException naming the first clashing column
     */
    public static void checkNames(List<String> carried, List<String> written) {
        for (String name : carried) {
            if (written.contains(name)) {
                throw new EmkitException("--keep: the input's column '" + name + "' has the name of a column"
                        + " emkit writes; rename it in the input, or leave it out of --keep");
            }
        }
    }

    /**
     * The header line of an output: the carried columns' names (if any), then the command's own. A carried
     * column named as one the command writes is refused: the output would have two columns of one name, and a
     * reader could take either for the other.
     *
     * @param carried the carried columns, or {@code null}
     * @param written the names of the columns the command writes after the carried ones
     * @return the line, CSV, ending in a newline
     * @throws EmkitException naming a clashing column
     */
    public static String header(Carried carried, List<String> written) {
        StringBuilder line = new StringBuilder();
        List<String> names = carried == null ? List.<String>of() : carried.names();
        checkNames(names, written);
        for (String name : names) {
            line.append(Format.csvField(name)).append(',');
        }
        return line.append(String.join(",", written)).append('\n').toString();
    }

    /**
     * The text table's row for each row a reader of numbers read, matched by the file line they start on
     * (both skip blank lines, and the header, alike or not).
     *
     * @param file   the file's name, for the message
     * @param table  the file as text
     * @param rows   the rows read
     * @param lineOf each row's line
     * @return the table's row of each row
     */
    public static int[] alignedRows(String file, TextTable table, int rows, IntToLongFunction lineOf) {
        int[] at = new int[rows];
        int t = 0;
        for (int i = 0; i < rows; i++) {
            long line = lineOf.applyAsLong(i);
            while (t < table.rows() && table.lineOf(t) < line) {
                t++;
            }
            if (t == table.rows() || table.lineOf(t) != line) {
                throw new EmkitException(file + ": line " + line
                        + ": the file reads differently as text than as numbers; give --header yes or no");
            }
            at[i] = t;
        }
        return at;
    }

    /**
     * Columns carried from the input: their names, and each row's cells as the input has them.
     */
    public static final class Carried {
        private final TextTable table;
        private final List<Integer> columns;
        private final int[] tableRow;

        Carried(TextTable table, List<Integer> columns, int[] tableRow) {
            this.table = table;
            this.columns = List.copyOf(columns);
            this.tableRow = tableRow;
        }

        /** @return the carried columns' positions in the input, from 0, in the input's order */
        public List<Integer> columns() {
            return columns;
        }

        /** @return the carried columns' names */
        public List<String> names() {
            List<String> names = new ArrayList<>(columns.size());
            for (int j : columns) {
                names.add(table.columnNames().get(j));
            }
            return names;
        }

        /**
         * @param row    a row read, from 0
         * @param column an input column, from 0
         * @return its cell as the input has it
         */
        public String cell(int row, int column) {
            return table.rawCell(tableRow[row], column);
        }

        /** @return the whole input as text */
        public TextTable table() {
            return table;
        }

        /**
         * Appends a row's carried cells as CSV fields, each followed by a comma.
         *
         * @param line where to append
         * @param row  a row read, from 0
         */
        public void appendCells(StringBuilder line, int row) {
            for (int j : columns) {
                line.append(Format.csvField(cell(row, j))).append(',');
            }
        }
    }
}
