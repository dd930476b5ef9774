package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.io.ModelFiles;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

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
        Rows dataset = null;
        EmResult<FactorAnalyserMixtureModel> fit;
        long rows;
        ClusterEngine.Counts counted = null;
        if (!cmd.engine.isLocal()) {
            EngineFit<FactorAnalyserMixtureModel> onEngine = EngineFit.run(cmd, columns -> {
                checkFactors(cmd.factors, columns.size());
                return config.distributed();
            });
            fit = onEngine.fit();
            rows = onEngine.rows();
            counted = onEngine.counted();
        } else {
            if (cmd.outOfCore) {
                // Streamed from disk in every E-step; the starts look at rows spread over the file.
                io.emkit.cli.Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
                dataset = cmd.mappedRows();
            } else {
                dataset = cmd.rowsInThisJvm("a mixture of factor analysers is fitted", "--covariance mfa:Q", true);
            }
            checkFactors(cmd.factors, dataset.columns());
            fit = config.fit(dataset);
            rows = dataset.rows();
        }
        if (cmd.output.modelOut != null) {
            ModelFiles.write(fit.params(), cmd.output.modelOut, CliSupport.provenance(cl, cmd.dataLabel(), rows,
                    fit.params().dimension(), cmd.em.seed, fit, fit.logLikelihood()));
        }
        Rows fitted = dataset;
        ClusterEngine.Counts engineCounts = counted;
        cmd.output.print(out, err, () -> toJson(fit, rows, fitted, engineCounts),
                () -> summary(cmd.dataLabel(), rows, fitted, gaussian, fit, engineCounts), fit.warnings());
        return 0;
    }

    private static void checkFactors(int factors, int columns) {
        if (factors >= columns) {
            throw new EmkitException("--covariance mfa:" + factors + " needs fewer factors than the data's "
                    + Format.count(columns, "column") + " (choose Q below " + columns + ")");
        }
    }

    static String toJson(EmResult<FactorAnalyserMixtureModel> fit, long rows, Rows dataset,
                         ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit);
        o.put("covariance", "mfa:" + fit.params().factors());
        o.put("factors", fit.params().factors());
        Summary.putRowsAndModel(o, rows, dataset, fit.params().dimension(), null, Summary.missing(dataset, counted),
                ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    static String summary(String file, long rows, Rows data, GaussianMixture g,
                          EmResult<FactorAnalyserMixtureModel> fit, ClusterEngine.Counts counted) {
        FactorAnalyserMixtureModel m = fit.params();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, rows, m.featureNames())).append('\n');
        s.append(Summary.missingLine(rows, data, m.dimension(), counted));
        s.append("model        mixture of factor analysers, ").append(Format.count(m.components(), "component"))
                .append(", ").append(Format.count(m.factors(), "factor")).append(" each (covariance Lambda Lambda^T +"
                        + " Psi, Psi diagonal)\n");
        s.append("fit          EM ").append(fit.converged() ? "converged after " : "stopped after ")
                .append(Format.count(fit.iterations(), "iteration"));
        if (g.options().tolerance() > 0) {
            s.append(" (tolerance ").append(Format.setting(g.options().tolerance())).append(" on the mean log-likelihood)");
        }
        s.append("; ").append(fit.search() != null ? "search (" + fit.search().level() + "): " + fit.search().summary()
                : CliSupport.runsText(fit, g.options())).append(" (full-covariance Gaussian starts, seed ")
                .append(g.options().seed()).append(")\n\n");
        boolean weighted = data != null && data.isWeighted();
        Summary.criteria(s, fit.logLikelihood(), fit, weighted);
        Summary.clusteringTable(s, Summary.clusterSizes(m, data, counted), -1, weighted);
        List<String> names = m.featureNames();
        int width = Summary.columnWidth(names);
        s.append(Format.pad("component", 11)).append(Format.padLeft("weight", 10));
        for (String n : names) {
            s.append(Format.padLeft("mean " + n, width + 5));
        }
        s.append('\n');
        double[] w = m.weights();
        for (int c = 0; c < m.components(); c++) {
            s.append(Format.pad(Integer.toString(c + 1), 11)).append(Format.padLeft(Format.fixed(w[c], 5), 10));
            for (double v : m.mean(c)) {
                s.append(Format.padLeft(Format.num(v), width + 5));
            }
            s.append('\n');
        }
        s.append("\nloadings and uniquenesses: in the model file (--model-out) and the JSON (--json)\n");
        return s.toString();
    }
}
