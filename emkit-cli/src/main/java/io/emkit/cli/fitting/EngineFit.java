package io.emkit.cli.fitting;

import io.emkit.cli.ClusterEngine;
import io.emkit.cli.EngineOptions;
import io.emkit.cli.Outputs;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmResult;
import io.emkit.mixture.ClusteringModel;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/**
 * A fit another engine ran ({@code --engine spark}) by the configuration's distributed plan — a t mixture, a noise
 * component, a mixture of factor analysers — and what the engine counted of its rows afterwards, for the same
 * summary, JSON and model file as the local fit's.
 *
 * @param fit     the fit, as the single-machine fit returns it
 * @param rows    how many rows the engine held
 * @param counted the rows in each component (each in its most probable one) and the missing cells (and, for
 *                weighted rows, their number and total weight)
 * @param <P>     the fitted model
 */
record EngineFit<P extends ClusteringModel>(EmResult<P> fit, long rows, ClusterEngine.Counts counted) {
    /**
     * Opens the data on {@code cmd}'s engine, fits the plan made for the chosen numeric columns, and counts the
     * rows under the fitted model in one more pass.
     *
     * @param cmd  the command, with its engine, data, columns and seed
     * @param plan the plan for the columns (it may refuse them, with a message)
     * @param <P>  the fitted model
     * @return the fit and the counts
     */
    static <P extends ClusteringModel> EngineFit<P> run(FitCommand cmd, Function<List<String>, DistributedFit<P, ?>> plan) {
        Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
        try (ClusterEngine.Data opened = cmd.engine.open(cmd.dataArgument(), cmd.dataOptions)) {
            List<String> columns = new java.util.ArrayList<>(numericColumns(cmd, opened));
            String weightName = weightsColumn(cmd, opened, columns);
            // Weighted, each row's weight travels with it to the E-steps and the starts' sample, as locally.
            ClusterEngine.Data held = weightName == null ? opened : opened.weighted(weightName);
            EmResult<P> fit = held.fit(plan.apply(columns), cmd.em.seed, columns);
            // One more pass: the clustering table and the missing cells (and, weighted, the rows and their total
            // weight), counted where the rows are.
            ClusterEngine.Counts counted = held.count(fit.params(), columns);
            return new EngineFit<>(fit, counted.weighted() ? counted.rows() : (long) fit.sampleCount(), counted);
        }
    }

    /** The numeric columns of the data on the engine; its notes of the others go to standard error unless --quiet. */
    static List<String> numericColumns(FitCommand cmd, ClusterEngine.Data held) {
        PrintWriter err = cmd.spec.commandLine().getErr();
        return EngineOptions.numericColumns(held, cmd.dataOptions, cmd.dataArgument(), note -> {
            if (!cmd.output.mode.quiet) {
                err.println(note);
            }
        });
    }

    /**
     * The {@code --weights-column} as the engine's data name it, taken out of the model's columns; null without
     * the option. Refused as locally: in {@code --columns}, not a numeric column, or the only column.
     *
     * @param cmd     the command
     * @param opened  the open data
     * @param columns the model's columns, from which the weights column is removed
     * @return the weights column's name, or null
     */
    static String weightsColumn(FitCommand cmd, ClusterEngine.Data opened, List<String> columns) {
        return weightsColumn(cmd.weights, cmd.dataOptions, cmd.dataArgument(), opened, columns);
    }

    /**
     * As {@link #weightsColumn(FitCommand, ClusterEngine.Data, List)}, for any command with these options.
     *
     * @param weights the command's {@code --weights-column}
     * @param options its data options
     * @param file    the data as the user named them
     * @param opened  the open data
     * @param columns the model's columns, from which the weights column is removed
     * @return the weights column's name, or null
     */
    static String weightsColumn(io.emkit.cli.WeightsColumn weights, io.emkit.cli.DataOptions options, String file,
                                ClusterEngine.Data opened, List<String> columns) {
        if (!weights.given()) {
            return null;
        }
        String asked = weights.column().trim();
        weights.refuseInColumns(options);
        List<String> all = opened.columnNames();
        int at = io.emkit.data.TextTable.columnIndex(file, all, asked);
        if (!opened.isNumeric(at)) {
            throw io.emkit.data.InvalidDataException.ofFile(file, "--weights-column '" + all.get(at)
                    + "' is not numeric");
        }
        columns.remove(all.get(at));
        if (columns.isEmpty()) {
            throw io.emkit.data.InvalidDataException.ofFile(file, "no columns to fit besides the --weights-column '"
                    + all.get(at) + "'");
        }
        return all.get(at);
    }
}
