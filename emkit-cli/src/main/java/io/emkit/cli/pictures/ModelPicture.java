package io.emkit.cli.pictures;

import io.emkit.cli.DataOptions;
import io.emkit.cli.ModelInput;
import io.emkit.cli.Outputs;
import io.emkit.data.Dataset;
import io.emkit.mixture.ClusteringModel;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;

/**
 * What plot and report take alike to draw a fitted model over a data file (a picocli mixin): the picture's size
 * and how the file is read, with the checks both make before any work and the way both read the data, so that the
 * two commands cannot drift apart on them.
 */
final class ModelPicture {
    @Mixin
    PictureSize size = new PictureSize();

    @Mixin
    DataOptions dataOptions = new DataOptions();

    /**
     * Refuses, before reading anything, a size out of range, a picture name without a known extension (when
     * {@code image}) and an output that is one of the inputs, in that order.
     *
     * @param out   the file to write ({@code --out})
     * @param image whether {@code out} is a picture whose extension picks the format (plot), not a page (report)
     * @param data  the data file
     * @param model the model file
     */
    void check(Path out, boolean image, Path data, Path model) {
        size.check();
        if (image) {
            Pictures.checkImageName(out);
        }
        Outputs.checkNotAnInput(out, "--out", data, model);
    }

    /**
     * Reads the data to draw {@code model} over: its columns, with missing cells where the model's pictures allow
     * them ({@link Pictures#missingAllowed}).
     *
     * @param data    the data file
     * @param model   the model read from its file
     * @param command the command's name, for messages
     * @return all the file's rows
     */
    Dataset read(Path data, ClusteringModel model, String command) {
        return ModelInput.read(data, dataOptions, model, command, Pictures.missingAllowed(model));
    }
}
