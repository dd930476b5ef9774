package io.emkit.cli.fitting;

import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.factor.StudentFactorAnalyserMixture;
import io.emkit.factor.StudentFactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import picocli.CommandLine;

import java.io.PrintWriter;

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
        return FactorFit.toJson(fit, fit.params().factors(), rows, dataset, counted, o -> StudentFit.putDegrees(o,
                fit.params().degreesOfFreedom(), config.degreesOfFreedom().constraint()));
    }

    static String summary(String file, long rows, Rows data, StudentFactorAnalyserMixture config,
                          EmResult<StudentFactorAnalyserMixtureModel> fit, ClusterEngine.Counts counted) {
        StudentFactorAnalyserMixtureModel m = fit.params();
        return FactorFit.summary(file, rows, data, config.gaussian().options(), fit, counted, "mixture of t factor"
                + " analysers, " + Format.count(m.components(), "component") + ", " + Format.count(m.factors(), "factor")
                + " each (scale matrix Lambda Lambda^T + Psi, Psi diagonal), degrees of freedom "
                + Summary.degreesOfFreedom(config.degreesOfFreedom()), m.degreesOfFreedom(), m.scales()::mean);
    }
}
