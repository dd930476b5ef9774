package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.io.ModelFiles;
import io.emkit.noise.NoiseStudentMixture;
import io.emkit.noise.NoiseStudentMixtureModel;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code emkit fit --noise --distribution t}: a t mixture with a uniform noise component, started as the Gaussian
 * noise fit is, its degrees of freedom as {@code --df} and {@code --df-constraint} say; on another engine
 * ({@code --engine spark}) by the fit's distributed plan, with the same output.
 */
final class NoiseStudentFit {
    private NoiseStudentFit() {
    }

    static int run(FitCommand cmd, GaussianMixture gaussian) {
        CommandLine cl = cmd.spec.commandLine();
        CliSupport.refuseOptions(cl.getParseResult(), List.of("--prior"), o -> o + " is not available with --noise"
                + " --distribution t yet (it is with either alone)");
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        NoiseStudentMixture config = NoiseStudentMixture.like(gaussian.initialModel(null))
                .neighbours(cmd.noise.neighbours).degreesOfFreedom(cmd.distribution.degreesOfFreedom());
        if (cmd.initModel != null) {
            config = config.initialModel(NoiseFit.initialModel(cmd.initModel, NoiseStudentMixtureModel.class,
                    "a t mixture with a noise component (fit one with --noise --distribution t --model-out)"));
        }
        NoiseStudentMixture used = config;
        // NoiseFit refuses --out-of-core: the rows read here are in memory.
        FactorFit.Fitted<NoiseStudentMixtureModel> done = FactorFit.Fitted.of(cmd, "a noise component is fitted",
                used::distributed, rows -> used.fit((Dataset) rows));
        EmResult<NoiseStudentMixtureModel> fit = done.fit();
        long noiseRows = NoiseFit.noiseRows(done);
        cmd.output.print(out, err, () -> toJson(fit, done.rows(), done.data(), noiseRows, used, done.counted()),
                () -> Summary.ofNoiseStudent(cmd.dataLabel(), done.rows(), done.data(), used, fit, noiseRows,
                        done.counted()), fit.warnings());
        return 0;
    }

    /** The JSON result: a noise fit's keys, then the distribution and the degrees of freedom. */
    static String toJson(EmResult<NoiseStudentMixtureModel> fit, long rows, Rows dataset, long noiseRows,
                         NoiseStudentMixture config, ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit);
        NoiseStudentMixtureModel m = fit.params();
        NoiseFit.putNoise(o, m, noiseRows);
        StudentFit.putDegrees(o, m.student().degreesOfFreedom(), config.degreesOfFreedom().constraint());
        Summary.putRowsAndModel(o, rows, dataset, counted, m.dimension(), Summary.clusterSizes(m, dataset, counted),
                Summary.missing(dataset, counted), ModelFiles.toTree(m));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }
}
