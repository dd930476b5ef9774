package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.data.CsvData;
import io.emkit.data.Dataset;
import io.emkit.mixture.ClusteringModel;

import java.nio.file.Path;
import java.util.List;

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
        if (model instanceof io.emkit.families.ProductMixtureModel product) {
            return FamilyData.forModel(file, options, product);
        }
        if (model instanceof io.emkit.student.StudentMixtureModel) {
            // t mixtures do not evaluate rows on their observed values yet: a missing cell is an error naming it.
            missingAllowed = false;
        }
        CsvData csv = options.read(file);
        Dataset data = csv.dataset();
        List<String> features = model.featureNames();
        int[] missingAt = null;
        if (!options.columnsGiven() && csv.hasHeader() && data.columnNames().containsAll(features)) {
            int[] idx = new int[features.size()];
            for (int j = 0; j < idx.length; j++) {
                idx[j] = data.columnNames().indexOf(features.get(j));
            }
            data = data.selectColumns(idx);
            missingAt = missingAllowed ? null : data.firstMissing();
        } else if (data.columns() != model.dimension()) {
            throw new EmkitException(file + ": the model has " + model.dimension() + " features ("
                    + EmkitException.list(features) + ") but the file has " + data.columns() + " numeric column"
                    + (data.columns() == 1 ? "" : "s") + " (" + EmkitException.list(data.columnNames())
                    + "); choose them with --columns");
        } else if (csv.missingCells() > 0 && !missingAllowed) {
            throw new EmkitException(csv.missingValueError().getMessage() + "; " + purpose + " needs complete rows");
        }
        if (missingAt != null) {
            throw new EmkitException(file + ": line " + csv.lineOf(missingAt[0]) + ", column '"
                    + data.columnNames().get(missingAt[1]) + "': missing value; " + purpose + " needs complete rows");
        }
        return data;
    }
}
