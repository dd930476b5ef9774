package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.data.Rows;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.mixture.MixtureModel;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * {@code emkit fit --covariance mfa:Q}: a mixture of factor analysers, each component's covariance
 * {@code ΛΛᵀ + Ψ} with Q factors, fitted from the starts of the full-covariance Gaussian mixture the other
 * options describe; on another engine ({@code --engine spark}) by the fit's distributed plan, with the same
 * output.
 */
final class FactorFit {
    private FactorFit() {
    }

    static int run(FitCommand cmd, GaussianMixture gaussian) {
        CommandLine cl = cmd.spec.commandLine();
        CliSupport.refuseOptions(cl.getParseResult(), List.of("--family", "--assignment", "--hard",
                "--mini-batch", "--bootstrap", "--plot", "--plot-trace", "--report",
                "--init-model"), o -> o + " is not available with --covariance mfa:Q yet");
        CliSupport.refuseOptions(cl.getParseResult(), List.of("--prior"), o -> o + " does not go with --covariance"
                + " mfa:Q: its conjugate prior (mclust's) is on a full covariance and would not keep the factor structure"
                + " Lambda Lambda^T + Psi; fit mfa:Q by maximum likelihood, or a full covariance with --prior");
        if (cmd.noise.noise) {
            if (cmd.distribution.isT()) {
                throw new EmkitException("--noise with --distribution t and --covariance mfa:Q together is not"
                        + " available yet (any two of them are)");
            }
            return NoiseFactorFit.run(cmd, gaussian);
        }
        if (cmd.distribution.isT()) {
            return StudentFactorFit.run(cmd, gaussian);
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        FactorAnalyserMixture config = FactorAnalyserMixture.like(gaussian.initialModel(null), cmd.factors);
        Fitted<FactorAnalyserMixtureModel> done = Fitted.of(cmd, "a mixture of factor analysers is fitted",
                config::distributed, config::fit);
        EmResult<FactorAnalyserMixtureModel> fit = done.fit();
        cmd.output.print(out, err, () -> toJson(fit, done.rows(), done.data(), done.counted()),
                () -> summary(cmd.dataLabel(), done.rows(), done.data(), gaussian, fit, done.counted()),
                fit.warnings());
        return 0;
    }

    /**
     * A fit of factor analysers (Gaussian or t) or of a mixture beside a noise component made here — the rows in
     * memory, or streamed from an {@code .emk} file with {@code --out-of-core} — or on another engine by the
     * configuration's plan, its model file written. With {@code --covariance mfa:Q} (factors above 0), the data need
     * more columns than factors.
     *
     * @param fit     the fit
     * @param rows    how many rows it covered
     * @param data    the rows, or null when another engine held them
     * @param counted what that engine counted of the rows (rows per component, missing cells), or null
     * @param <P>     the fitted model
     */
    record Fitted<P extends ClusteringModel>(EmResult<P> fit, long rows, Rows data, ClusterEngine.Counts counted) {
        static <P extends ClusteringModel> Fitted<P> of(FitCommand cmd, String what,
                                                         java.util.function.Supplier<DistributedFit<P, ?>> plan,
                                                         java.util.function.Function<Rows, EmResult<P>> local) {
            Fitted<P> done;
            if (!cmd.engine.isLocal()) {
                EngineFit<P> onEngine = EngineFit.run(cmd, columns -> {
                    checkFactors(cmd.factors, columns.size());
                    return plan.get();
                });
                done = new Fitted<>(onEngine.fit(), onEngine.rows(), null, onEngine.counted());
            } else {
                Rows data;
                if (cmd.outOfCore) {
                    // Streamed from disk in every E-step; the starts look at rows spread over the file.
                    io.emkit.cli.Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
                    data = cmd.mappedRows();
                } else {
                    data = cmd.rowsInThisJvm(what, "--covariance mfa:Q", true);
                }
                checkFactors(cmd.factors, data.columns());
                done = new Fitted<>(local.apply(data), data.rows(), data, null);
            }
            EmResult<P> fit = done.fit();
            if (cmd.output.modelOut != null) {
                ModelFiles.write(fit.params(), cmd.output.modelOut, CliSupport.provenance(cmd.spec.commandLine(),
                        cmd.dataLabel(), done.rows(), fit.params().dimension(), cmd.em.seed, fit, fit.logLikelihood()));
            }
            return done;
        }
    }

    private static void checkFactors(int factors, int columns) {
        if (factors >= columns) {
            throw new EmkitException("--covariance mfa:" + factors + " needs fewer factors than the data's "
                    + Format.count(columns, "column") + " (choose Q below " + columns + ")");
        }
    }

    static String toJson(EmResult<FactorAnalyserMixtureModel> fit, long rows, Rows dataset,
                         ClusterEngine.Counts counted) {
        return toJson(fit, fit.params().factors(), rows, dataset, counted, o -> { });
    }

    /**
     * A fit of factor analysers' JSON result: the fit's keys, the factors', {@code more}'s, then the rows and the
     * model.
     */
    static <M extends ClusteringModel> String toJson(EmResult<M> fit, int factors, long rows, Rows dataset,
                                                     ClusterEngine.Counts counted, Consumer<ObjectNode> more) {
        ObjectNode o = CliSupport.fitJson(fit);
        putFactors(o, factors);
        more.accept(o);
        Summary.putRowsAndModel(o, rows, dataset, counted, fit.params().dimension(), null, Summary.missing(dataset, counted),
                ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    static String summary(String file, long rows, Rows data, GaussianMixture g,
                          EmResult<FactorAnalyserMixtureModel> fit, ClusterEngine.Counts counted) {
        FactorAnalyserMixtureModel m = fit.params();
        return summary(file, rows, data, g.options(), fit, counted, "mixture of factor analysers, "
                + Format.count(m.components(), "component") + ", " + Format.count(m.factors(), "factor")
                + " each (covariance Lambda Lambda^T + Psi, Psi diagonal)", null, m::mean);
    }

    /**
     * The summary of a fit of (t) factor analysers: the data, the {@code model} line, how EM went from the
     * full-covariance Gaussian starts, then the tables ({@link #appendTables}).
     */
    static <M extends MixtureModel> String summary(String file, long rows, Rows data, EmOptions options,
                                                   EmResult<M> fit, ClusterEngine.Counts counted, String model,
                                                   double[] nu, IntFunction<double[]> mean) {
        M m = fit.params();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, rows, m.featureNames())).append('\n');
        s.append(Summary.missingLine(rows, data, m.dimension(), counted));
        s.append("model        ").append(model).append('\n');
        appendFitLine(s, fit, options, "full-covariance Gaussian starts");
        s.append("\n\n");
        appendTables(s, fit, m, data, counted, nu, mean);
        return s.toString();
    }

    /**
     * Appends the "fit" line without its line end: how EM ended, the tolerance, the search or the runs, the starts
     * and the seed.
     */
    static void appendFitLine(StringBuilder s, EmResult<?> fit, EmOptions options, String starts) {
        s.append("fit          EM ").append(fit.converged() ? "converged after " : "stopped after ")
                .append(Format.count(fit.iterations(), "iteration"));
        if (options.tolerance() > 0) {
            s.append(" (tolerance ").append(Format.setting(options.tolerance())).append(" on the mean log-likelihood)");
        }
        s.append("; ").append(fit.search() != null ? "search (" + fit.search().level() + "): " + fit.search().summary()
                : CliSupport.runsText(fit, options)).append(" (").append(starts).append(", seed ")
                .append(options.seed()).append(')');
    }

    /**
     * Appends the components' table: each one's weight, degrees of freedom when {@code nu} is not {@code null}, and
     * mean, one line each.
     */
    static void appendComponents(StringBuilder s, List<String> names, int width, double[] w, double[] nu,
                                 IntFunction<double[]> mean) {
        s.append(Format.pad("component", 11)).append(Format.padLeft("weight", 10));
        if (nu != null) {
            s.append(Format.padLeft("df", 12));
        }
        for (String n : names) {
            s.append(Format.padLeft("mean " + n, width + 5));
        }
        s.append('\n');
        for (int c = 0; c < w.length; c++) {
            s.append(Format.pad(Integer.toString(c + 1), 11)).append(Format.padLeft(Format.fixed(w[c], 5), 10));
            if (nu != null) {
                s.append(Format.padLeft(Format.num(nu[c]), 12));
            }
            for (double v : mean.apply(c)) {
                s.append(Format.padLeft(Format.num(v), width + 5));
            }
            s.append('\n');
        }
    }

    /** Puts a mixture of factor analysers' keys in a JSON result: its covariance option and its number of factors. */
    static void putFactors(ObjectNode o, int factors) {
        o.put("covariance", "mfa:" + factors);
        o.put("factors", factors);
    }

    /**
     * Appends a fit of factor analysers' tables (criteria, clustering, components with their degrees of freedom when
     * {@code nu} is not {@code null}), then where the loadings are.
     */
    static void appendTables(StringBuilder s, EmResult<?> fit, MixtureModel m, Rows data, ClusterEngine.Counts counted,
                             double[] nu, IntFunction<double[]> mean) {
        boolean weighted = Summary.weighted(data, counted);
        Summary.criteria(s, fit.logLikelihood(), fit, weighted);
        Summary.clusteringTable(s, Summary.clusterSizes(m, data, counted), -1, weighted);
        List<String> names = m.featureNames();
        int width = Summary.columnWidth(names);
        appendComponents(s, names, width, m.weights(), nu, mean);
        s.append("\nloadings and uniquenesses: in the model file (--model-out) and the JSON (--json)\n");
    }
}
