package io.emkit.cli.fitting;

import io.emkit.EmkitException;
import io.emkit.cli.DataOptions;
import io.emkit.cli.WeightsColumn;
import io.emkit.data.Dataset;
import io.emkit.data.InvalidDataException;
import io.emkit.data.TextTable;
import io.emkit.labels.ClassLabels;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The rows and their classes for the commands that learn with labels ({@code fit --labels-column},
 * {@code classify}): the model's numeric columns (weighted by {@code --weights-column}), and the labels column,
 * which is never a model column. An empty cell, or {@code NA}, is an unlabelled row.
 *
 * @param data       the rows
 * @param labels     their classes
 * @param columnName the labels column's name
 */
record LabelledData(Dataset data, ClassLabels labels, String columnName) {

    /**
     * Refuses {@code --columns} naming the labels column too, here and on another engine alike.
     *
     * @param options the options whose {@code --columns} are checked
     * @param column  the labels column, trimmed
     */
    static void refuseInColumns(DataOptions options, String column) {
        options.refuseInColumns("--labels-column", column, "the labels are not a model column");
    }

    /**
     * @param everyRowLabelled whether an unlabelled row is an error (naming its line), as for {@code classify}
     */
    static LabelledData read(Path file, DataOptions options, WeightsColumn weights, String labelsColumn,
                             PrintWriter err, boolean everyRowLabelled) {
        String column = labelsColumn.trim();
        refuseInColumns(options, column);
        if (weights.given() && weights.column().trim().equals(column)) {
            throw new EmkitException("--labels-column '" + column + "' is also the --weights-column");
        }
        String name = file.toString();
        TextTable table = TextTable.read(file, options.textOptions());
        int labelColumn = table.columnIndex(column);
        String labelName = table.columnNames().get(labelColumn);
        // The label column is read apart; a numeric one (class codes) is taken out of the model's columns.
        Dataset all = weights.read(file, options, true, err, true);
        int inModel = all.columnNames().indexOf(labelName);
        Dataset data = all;
        if (inModel >= 0) {
            int[] kept = new int[all.columns() - 1];
            for (int j = 0, o = 0; j < all.columns(); j++) {
                if (j != inModel) {
                    kept[o++] = j;
                }
            }
            if (kept.length == 0) {
                throw InvalidDataException.ofFile(name, "no columns to fit besides the --labels-column '" + labelName + "'");
            }
            data = all.selectColumns(kept);
        }
        if (table.rows() != data.rows()) {
            throw InvalidDataException.ofFile(name, "the labels column has " + table.rows() + " rows but the data "
                    + data.rows());
        }
        String[] cells = new String[table.rows()];
        for (int i = 0; i < cells.length; i++) {
            String cell = table.cell(i, labelColumn);
            // An empty cell, or R's NA, is an unlabelled row.
            cells[i] = cell.isEmpty() || cell.equals("NA") ? null : cell;
            if (cells[i] == null && everyRowLabelled) {
                throw InvalidDataException.atCell(name, table.lineOf(i), labelColumn + 1, labelName,
                        "no class; classify needs a class in every row (for rows without one: emkit fit --labels-column)");
            }
        }
        return new LabelledData(data, ClassLabels.of(cells), labelName);
    }
}
