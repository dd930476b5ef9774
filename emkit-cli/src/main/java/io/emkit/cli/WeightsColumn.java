package io.emkit.cli;

import io.emkit.data.CsvData;
import io.emkit.data.CsvOptions;
import io.emkit.data.Dataset;
import io.emkit.data.InvalidDataException;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * {@code --weights-column}: a column of the data file holding a weight per row, for the commands that fit
 * mixtures (fit, fit --family, kmeans, select). The column is taken out of the model's columns; each weight
 * must be a finite number ≥ 0, and not all 0.
 */
public final class WeightsColumn {
    @Option(names = "--weights-column", paramLabel = "COL",
            description = "Weight each row by this column (by name or number from 1; not a model column): a row of"
                    + " weight w counts as w copies of it. Weights are finite numbers >= 0, not all 0.")
    String column;

    /** @return the weights column as given, or null */
    public String column() {
        return column;
    }

    /** @return whether {@code --weights-column} is given */
    public boolean given() {
        return column != null;
    }

    /**
     * Reads the numeric data a fitting command fits: the columns chosen (with a note on standard error for
     * each non-numeric column skipped, unless {@code quiet}), weighted by the weights column if one is given.
     * A missing model cell is kept ({@code NaN}) when {@code missingAllowed}, else refused; a missing weight
     * is always refused ({@link #check}).
     *
     * @param file           the data file
     * @param data           how to read it
     * @param quiet          whether to leave out the notes
     * @param err            where the notes go
     * @param missingAllowed whether model cells may be missing
     * @return the rows, weighted when the weights column is given
     */
    public Dataset read(java.nio.file.Path file, DataOptions data, boolean quiet, java.io.PrintWriter err,
                 boolean missingAllowed) {
        return read(file, data, quiet, err, missingAllowed, CliSupport.COLUMNS_HINT);
    }

    /**
     * As {@link #read(java.nio.file.Path, DataOptions, boolean, java.io.PrintWriter, boolean)}, with the notes
     * on columns left out giving {@code hint}.
     *
     * @param file           the data file
     * @param data           how to read it
     * @param quiet          whether to leave out the notes
     * @param err            where the notes go
     * @param missingAllowed whether model cells may be missing
     * @param hint           what the notes tell the user to do about a non-numeric column
     * @return the rows, weighted when the weights column is given
     */
    public Dataset read(java.nio.file.Path file, DataOptions data, boolean quiet, java.io.PrintWriter err,
                 boolean missingAllowed, String hint) {
        CsvData csv = io.emkit.data.DataFiles.read(file, readOptions(data));
        if (!quiet) {
            for (String c : csv.ignoredColumns()) {
                err.println(CliSupport.ignoredColumnNote(c, hint));
            }
        }
        if (csv.missingCells() > 0 && !missingAllowed) {
            throw csv.missingValueError();
        }
        return apply(csv, file.toString());
    }

    /**
     * Refuses {@code --columns} naming the weights column (given) too: the weights are not a model column.
     *
     * @param data the options whose {@code --columns} are checked
     * @throws io.emkit.EmkitException if they name it
     */
    public void refuseInColumns(DataOptions data) {
        data.refuseInColumns("--weights-column", column, "the weights are not a model column");
    }

    /** How to read the file: when --columns chooses the model's columns, the weights column is read as well. */
    CsvOptions readOptions(DataOptions data) {
        CsvOptions options = data.options();
        if (column == null || !data.columnsGiven()) {
            return options;
        }
        refuseInColumns(data);
        List<String> columns = new ArrayList<>(data.columns);
        columns.add(column);
        return options.withColumns(columns);
    }

    /**
     * The model's columns, weighted by the weights column (taken out of them). Without --weights-column, the
     * data as read.
     *
     * @param csv  what {@link #readOptions} read
     * @param file the file's name, for messages
     */
    Dataset apply(CsvData csv, String file) {
        Dataset all = csv.dataset();
        if (column == null) {
            return all;
        }
        int weights = find(csv, file);
        int[] kept = new int[all.columns() - 1];
        for (int j = 0, o = 0; j < all.columns(); j++) {
            if (j == weights) {
                continue;
            }
            if (csv.fileColumnOf(j) == csv.fileColumnOf(weights)) {
                throw InvalidDataException.atColumn(file, csv.fileColumnOf(j), all.columnNames().get(j),
                        "is the --weights-column; it cannot also be a model column (leave it out of --columns)");
            }
            kept[o++] = j;
        }
        if (kept.length == 0) {
            throw InvalidDataException.ofFile(file, "no columns to fit besides the --weights-column '"
                    + all.columnNames().get(weights) + "'");
        }
        double[] w = new double[all.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = all.get(i, weights);
        }
        check(file, w, csv::lineOf, csv.fileColumnOf(weights), all.columnNames().get(weights));
        return all.selectColumns(kept).withWeights(w);
    }

    /** The weights column among those read: by name, else by its number in the file. */
    private int find(CsvData csv, String file) {
        Dataset all = csv.dataset();
        // With --columns it was appended last: search from the end so that it is the one found.
        for (int j = all.columns() - 1; j >= 0; j--) {
            if (all.columnNames().get(j).equals(column)) {
                return j;
            }
        }
        if (column.trim().matches("[0-9]+")) {
            int number = Integer.parseInt(column.trim());
            for (int j = all.columns() - 1; j >= 0; j--) {
                if (csv.fileColumnOf(j) == number) {
                    return j;
                }
            }
        }
        throw InvalidDataException.ofFile(file, "--weights-column '" + column + "': no numeric column of that name"
                + " or number; the numeric columns are: " + io.emkit.EmkitException.list(all.columnNames()));
    }

    /**
     * @param data the rows fitted
     * @return what a summary's data line adds for weighted rows: {@code ", weighted (total weight 123.5)"}, or
     *         nothing
     */
    public static String describe(io.emkit.data.Rows data) {
        return data.isWeighted() ? describe(data.totalWeight()) : "";
    }

    /**
     * @param totalWeight the weighted rows' total weight (another engine's sum)
     * @return what a summary's data line adds for weighted rows: {@code ", weighted (total weight 123.5)"}
     */
    public static String describe(double totalWeight) {
        return ", weighted (total weight " + Format.amount(totalWeight) + ")";
    }

    /**
     * Refuses a weight that is missing or not a finite number ≥ 0 (naming its line and column), and weights that
     * are all 0.
     *
     * @param lineOf the file's line of each row
     */
    static void check(String file, double[] w, IntToLongFunction lineOf, int fileColumn, String name) {
        boolean positive = false;
        for (int i = 0; i < w.length; i++) {
            if (Double.isNaN(w[i])) {
                // Model cells may be missing, a weight may not: there is no row count to integrate it over.
                throw InvalidDataException.atCell(file, lineOf.applyAsLong(i), fileColumn, name,
                        "missing weight: every row needs a weight, a finite number >= 0");
            }
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw InvalidDataException.atCell(file, lineOf.applyAsLong(i), fileColumn, name,
                        "weight " + Format.num(w[i]) + ": weights must be finite numbers >= 0");
            }
            positive |= w[i] > 0;
        }
        if (!positive) {
            throw InvalidDataException.atColumn(file, fileColumn, name, "every weight is 0: there is nothing to fit");
        }
    }
}
