package io.emkit.cli.fitting;

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
        FactorFit.putFactors(o, fit.params().factors());
        StudentFit.putDegrees(o, fit.params().degreesOfFreedom(), config.degreesOfFreedom().constraint());
        Summary.putRowsAndModel(o, rows, dataset, fit.params().dimension(), null, Summary.missing(dataset, counted),
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
                        + " Lambda^T + Psi, Psi diagonal), degrees of freedom ").append(Summary.degreesOfFreedom(dof))
                        .append('\n');
        FactorFit.appendFitLine(s, fit, g.options(), "full-covariance Gaussian starts");
        s.append("\n\n");
        boolean weighted = data != null && data.isWeighted();
        Summary.criteria(s, fit.logLikelihood(), fit, weighted);
        Summary.clusteringTable(s, Summary.clusterSizes(m, data, counted), -1, weighted);
        List<String> names = m.featureNames();
        int width = Summary.columnWidth(names);
        FactorFit.appendComponents(s, names, width, m.weights(), m.degreesOfFreedom(), m.scales()::mean);
        s.append("\nloadings and uniquenesses: in the model file (--model-out) and the JSON (--json)\n");
        return s.toString();
    }
}
