package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Outputs;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code emkit fit --distribution t}: a mixture of multivariate t distributions, fitted from the Gaussian mixture
 * the other options describe. Shares every option with the Gaussian fit but those t mixtures do not take yet; on
 * another engine ({@code --engine spark}) by the fit's distributed plan, with the same output.
 */
final class StudentFit {
    /** What {@code --distribution} accepts. */
    static final String GAUSSIAN = "gaussian";
    /** What {@code --distribution} accepts for t mixtures. */
    static final String T = "t";

    private StudentFit() {
    }

    static int run(FitCommand cmd, GaussianMixture gaussian) {
        CommandLine cl = cmd.spec.commandLine();
        var parse = cl.getParseResult();
        CliSupport.refuseOptions(parse, List.of("--family", "--assignment", "--hard", "--mini-batch",
                "--bootstrap", "--plot", "--plot-trace", "--report"),
                o -> o + " is not available for t mixtures yet; it cannot be combined with --distribution t");
        StudentMixture config = StudentMixture.like(gaussian.initialModel(null))
                .degreesOfFreedom(cmd.distribution.degreesOfFreedom());
        if (cmd.initModel != null) {
            ClusteringModel start = ModelFiles.read(cmd.initModel);
            if (start instanceof StudentMixtureModel t) {
                config = config.initialModel(t);
            } else if (start instanceof GaussianMixtureModel g) {
                config = StudentMixture.like(gaussian.initialModel(g)).degreesOfFreedom(config.degreesOfFreedom());
            } else {
                throw new EmkitException(cmd.initModel + ": not a t or Gaussian mixture model");
            }
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        StudentMixture used = config;
        Rows dataset = null;
        EmResult<StudentMixtureModel> fit;
        long rows;
        ClusterEngine.Counts counted = null;
        if (!cmd.engine.isLocal()) {
            EngineFit<StudentMixtureModel> onEngine = EngineFit.run(cmd, columns -> used.distributed());
            fit = onEngine.fit();
            rows = onEngine.rows();
            counted = onEngine.counted();
        } else {
            Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
            if (cmd.outOfCore) {
                dataset = cmd.mappedRows();
            } else {
                dataset = cmd.weights.read(cmd.data, cmd.dataOptions, cmd.output.mode.quiet, err, true);
            }
            fit = config.fit(dataset);
            rows = dataset.rows();
        }
        if (cmd.output.modelOut != null) {
            ModelFiles.write(fit.params(), cmd.output.modelOut, CliSupport.provenance(cl, cmd.dataLabel(), rows,
                    fit.params().dimension(), cmd.em.seed, fit, fit.logLikelihood()));
        }
        Rows fitted = dataset;
        ClusterEngine.Counts engineCounts = counted;
        cmd.output.print(out, err, () -> toJson(fit, rows, fitted, used, engineCounts),
                () -> Summary.ofStudent(cmd.dataLabel(), rows, fitted, used, fit, engineCounts), fit.warnings());
        return 0;
    }

    /**
     * The JSON result: a Gaussian fit's keys (with {@code log_posterior} under a prior), then the distribution and
     * the fitted degrees of freedom.
     */
    static String toJson(EmResult<StudentMixtureModel> fit, long rows, Rows dataset, StudentMixture config,
                         ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit);
        if (config.gaussian().prior() != null) {
            o.put("log_posterior", fit.objective());
        }
        putDegrees(o, fit.params().degreesOfFreedom(), config.degreesOfFreedom().constraint());
        Summary.putRowsAndModel(o, rows, dataset, counted, fit.params().dimension(), Summary.clusterSizes(fit.params(),
                dataset, counted), Summary.missing(dataset, counted), ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    /** Puts a t fit's keys in a JSON result: the distribution, the degrees of freedom and their constraint. */
    static void putDegrees(ObjectNode o, double[] nu, DegreesOfFreedom.Constraint constraint) {
        o.put("distribution", T);
        ArrayNode dof = o.putArray("degrees_of_freedom");
        for (double v : nu) {
            dof.add(v);
        }
        o.put("df_constraint", constraint.label());
    }
}
