package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.factor.StudentFactorAnalyserMixture;
import io.emkit.factor.StudentFactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.io.ModelFiles;
import io.emkit.student.DegreesOfFreedom;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code emkit fit --distribution t --covariance mfa:Q}: a mixture of t factor analysers, each component a
 * multivariate t whose scale matrix is {@code ΛΛᵀ + Ψ} with Q factors, fitted from the starts of the
 * full-covariance Gaussian mixture the other options describe, its degrees of freedom as {@code --df} and
 * {@code --df-constraint} say.
 */
final class StudentFactorFit {
    private StudentFactorFit() {
    }

    static int run(FitCommand cmd, GaussianMixture gaussian) {
        CommandLine cl = cmd.spec.commandLine();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        StudentFactorAnalyserMixture config = StudentFactorAnalyserMixture.like(gaussian.initialModel(null), cmd.factors)
                .degreesOfFreedom(cmd.distribution.degreesOfFreedom());
        FactorFit.Fitted<StudentFactorAnalyserMixtureModel> done = FactorFit.Fitted.of(cmd,
                "a mixture of t factor analysers is fitted", config::distributed, config::fit);
        EmResult<StudentFactorAnalyserMixtureModel> fit = done.fit();
        cmd.output.print(out, err, () -> toJson(fit, done.rows(), done.data(), config, done.counted()),
                () -> summary(cmd.dataLabel(), done.rows(), done.data(), config, fit, done.counted()), fit.warnings());
        return 0;
    }

    /** The JSON result: a mixture of factor analysers' keys, then the distribution and the degrees of freedom. */
    static String toJson(EmResult<StudentFactorAnalyserMixtureModel> fit, long rows, Rows dataset,
                         StudentFactorAnalyserMixture config, ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit);
        o.put("covariance", "mfa:" + fit.params().factors());
        o.put("factors", fit.params().factors());
        o.put("distribution", StudentFit.T);
        ArrayNode dof = o.putArray("degrees_of_freedom");
        for (double v : fit.params().degreesOfFreedom()) {
            dof.add(v);
        }
        o.put("df_constraint", config.degreesOfFreedom().constraint().label());
        Summary.putRowsAndModel(o, rows, dataset, counted, fit.params().dimension(), null, Summary.missing(dataset, counted),
                ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    static String summary(String file, long rows, Rows data, StudentFactorAnalyserMixture config,
                          EmResult<StudentFactorAnalyserMixtureModel> fit, ClusterEngine.Counts counted) {
        StudentFactorAnalyserMixtureModel m = fit.params();
        GaussianMixture g = config.gaussian();
        DegreesOfFreedom dof = config.degreesOfFreedom();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, rows, m.featureNames())).append('\n');
        s.append(Summary.missingLine(rows, data, m.dimension(), counted));
        s.append("model        mixture of t factor analysers, ").append(Format.count(m.components(), "component"))
                .append(", ").append(Format.count(m.factors(), "factor")).append(" each (scale matrix Lambda"
                        + " Lambda^T + Psi, Psi diagonal), degrees of freedom ").append(switch (dof.constraint()) {
                            case FREE -> "free (one per component)";
                            case EQUAL -> "equal (one for all components)";
                            case FIXED -> "fixed at " + Format.num(dof.value());
                        }).append('\n');
        s.append("fit          EM ").append(fit.converged() ? "converged after " : "stopped after ")
                .append(Format.count(fit.iterations(), "iteration"));
        if (g.options().tolerance() > 0) {
            s.append(" (tolerance ").append(Format.setting(g.options().tolerance())).append(" on the mean log-likelihood)");
        }
        s.append("; ").append(fit.search() != null ? "search (" + fit.search().level() + "): " + fit.search().summary()
                : CliSupport.runsText(fit, g.options())).append(" (full-covariance Gaussian starts, seed ")
                .append(g.options().seed()).append(")\n\n");
        boolean weighted = Summary.weighted(data, counted);
        Summary.criteria(s, fit.logLikelihood(), fit, weighted);
        Summary.clusteringTable(s, Summary.clusterSizes(m, data, counted), -1, weighted);
        List<String> names = m.featureNames();
        int width = Summary.columnWidth(names);
        s.append(Format.pad("component", 11)).append(Format.padLeft("weight", 10)).append(Format.padLeft("df", 12));
        for (String n : names) {
            s.append(Format.padLeft("mean " + n, width + 5));
        }
        s.append('\n');
        double[] w = m.weights();
        double[] nu = m.degreesOfFreedom();
        for (int c = 0; c < m.components(); c++) {
            s.append(Format.pad(Integer.toString(c + 1), 11)).append(Format.padLeft(Format.fixed(w[c], 5), 10))
                    .append(Format.padLeft(Format.num(nu[c]), 12));
            for (double v : m.scales().mean(c)) {
                s.append(Format.padLeft(Format.num(v), width + 5));
            }
            s.append('\n');
        }
        s.append("\nloadings and uniquenesses: in the model file (--model-out) and the JSON (--json)\n");
        return s.toString();
    }
}
