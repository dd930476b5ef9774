package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.data.CsvData;
import io.emkit.data.Dataset;
import io.emkit.mixture.ClusteringModel;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntToLongFunction;

/** Reads data for a fitted model: picks the model's features by name when the file names its columns. */
public final class ModelInput {
    private ModelInput() {
    }

    /**
     * Reads the data a fitted model is applied to: the model's columns, by name when the file names them.
     *
     * @param file           the data file
     * @param options        how to read it
     * @param model          the model
     * @param purpose        what the rows are for, for messages
     * @param missingAllowed whether rows may have missing cells (mixtures evaluate them on their observed
     *                       values); otherwise the first missing cell is an error naming its line and column
     * @return the rows
     */
    public static Dataset read(Path file, DataOptions options, ClusteringModel model, String purpose, boolean missingAllowed) {
        return readRows(file, options, model, purpose, missingAllowed).data();
    }

    /**
     * Rows read for a model, and where in the file they came from.
     *
     * @param data        the rows, one column per feature of the model
     * @param lineOf      the file line of each row, or {@code null} when the rows are the file's records in order
     * @param fileColumns the file column (from 0) of each feature, or {@code null} when not known
     */
    public record Read(Dataset data, IntToLongFunction lineOf, int[] fileColumns) {
    }

    /**
     * As {@link #read}, also telling where each row and feature came from in the file.
     *
     * @param file           the data file
     * @param options        how to read it
     * @param model          the model
     * @param purpose        what the rows are for, for messages
     * @param missingAllowed whether rows may have missing cells
     * @return the rows and their places in the file
     */
    public static Read readRows(Path file, DataOptions options, ClusteringModel model, String purpose,
                                boolean missingAllowed) {
        if (model instanceof io.emkit.families.ProductMixtureModel product) {
            return new Read(FamilyData.forModel(file, options, product), null, null);
        }
        CsvData csv = options.read(file);
        Dataset data = csv.dataset();
        List<String> features = model.featureNames();
        int[] missingAt = null;
        int[] fileColumns = new int[data.columns()];
        for (int j = 0; j < fileColumns.length; j++) {
            fileColumns[j] = csv.fileColumnOf(j) - 1;
        }
        if (!options.columnsGiven() && csv.hasHeader() && data.columnNames().containsAll(features)) {
            int[] idx = new int[features.size()];
            int[] all = fileColumns;
            fileColumns = new int[idx.length];
            for (int j = 0; j < idx.length; j++) {
                idx[j] = data.columnNames().indexOf(features.get(j));
                fileColumns[j] = all[idx[j]];
            }
            data = data.selectColumns(idx);
            missingAt = missingAllowed ? null : data.firstMissing();
        } else if (data.columns() != model.dimension()) {
            throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": the model has " + model.dimension() + " features ("
                    + EmkitException.list(features) + ") but the file has " + data.columns() + " numeric column"
                    + (data.columns() == 1 ? "" : "s") + " (" + EmkitException.list(data.columnNames())
                    + "); choose them with --columns");
        } else if (csv.missingCells() > 0 && !missingAllowed) {
            throw new EmkitException(csv.missingValueError().getMessage() + "; " + purpose + " needs complete rows");
        }
        if (missingAt != null) {
            throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": line " + csv.lineOf(missingAt[0]) + ", column '"
                    + data.columnNames().get(missingAt[1]) + "': missing value; " + purpose + " needs complete rows");
        }
        return new Read(data, csv::lineOf, fileColumns);
    }
}
