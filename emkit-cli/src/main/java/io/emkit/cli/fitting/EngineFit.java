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
 * @param counted the rows in each component (each in its most probable one) and the missing cells
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
        try (ClusterEngine.Data held = cmd.engine.open(cmd.dataArgument(), cmd.dataOptions)) {
            List<String> columns = numericColumns(cmd, held);
            EmResult<P> fit = held.fit(plan.apply(columns), cmd.em.seed, columns);
            // One more pass: the clustering table and the missing cells, counted where the rows are.
            return new EngineFit<>(fit, (long) fit.sampleCount(), held.count(fit.params(), columns));
        }
    }

    /** The numeric columns of the data on the engine; its notes of the others go to standard error unless --quiet. */
    static List<String> numericColumns(FitCommand cmd, ClusterEngine.Data held) {
        PrintWriter err = cmd.spec.commandLine().getErr();
        return EngineOptions.numericColumns(held, cmd.dataOptions, cmd.dataArgument(), note -> {
            if (!cmd.output.quiet) {
                err.println(note);
            }
        });
    }
}
