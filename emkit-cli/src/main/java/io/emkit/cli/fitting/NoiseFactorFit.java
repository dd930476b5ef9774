package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.io.ModelFiles;
import io.emkit.noise.NoiseFactorAnalyserMixture;
import io.emkit.noise.NoiseFactorAnalyserMixtureModel;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code emkit fit --noise --covariance mfa:Q}: a mixture of factor analysers with a uniform noise component,
 * started as the Gaussian noise fit is, each component's covariance {@code ΛΛᵀ + Ψ} with Q factors; on another
 * engine ({@code --engine spark}) by the fit's distributed plan, with the same output.
 */
final class NoiseFactorFit {
    private NoiseFactorFit() {
    }

    static int run(FitCommand cmd, GaussianMixture gaussian) {
        CommandLine cl = cmd.spec.commandLine();
        if (cmd.outOfCore) {
            throw new EmkitException("--out-of-core is not available with --noise yet; fit the file in memory");
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        NoiseFactorAnalyserMixture config = NoiseFactorAnalyserMixture.like(gaussian.initialModel(null), cmd.factors)
                .neighbours(cmd.noise.neighbours);
        // --out-of-core is refused above: the rows read here are in memory.
        FactorFit.Fitted<NoiseFactorAnalyserMixtureModel> done = FactorFit.Fitted.of(cmd,
                "a noise component is fitted", config::distributed, rows -> config.fit((Dataset) rows));
        EmResult<NoiseFactorAnalyserMixtureModel> fit = done.fit();
        long noiseRows = NoiseFit.noiseRows(done);
        cmd.output.print(out, err, () -> toJson(fit, done.rows(), done.data(), noiseRows, done.counted()),
                () -> summary(cmd.dataLabel(), done.rows(), done.data(), gaussian, fit, noiseRows, done.counted()),
                fit.warnings());
        return 0;
    }

    /** The JSON result: a mixture of factor analysers' keys, then the noise's weight, rows and region. */
    static String toJson(EmResult<NoiseFactorAnalyserMixtureModel> fit, long rows, Rows dataset, long noiseRows,
                         ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit);
        NoiseFactorAnalyserMixtureModel m = fit.params();
        FactorFit.putFactors(o, m.factorAnalysers().factors());
        NoiseFit.putNoise(o, m, noiseRows);
        Summary.putRowsAndModel(o, rows, dataset, counted, m.dimension(), Summary.clusterSizes(m, dataset, counted),
                Summary.missing(dataset, counted), ModelFiles.toTree(m));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    static String summary(String file, long rows, Rows data, GaussianMixture g,
                          EmResult<NoiseFactorAnalyserMixtureModel> fit, long noiseRows, ClusterEngine.Counts counted) {
        NoiseFactorAnalyserMixtureModel n = fit.params();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, rows, n.featureNames())).append('\n');
        s.append(Summary.missingLine(rows, data, n.dimension(), counted));
        s.append("model        mixture of factor analysers with a uniform noise component, ")
                .append(Format.count(n.components(), "component")).append(", ")
                .append(Format.count(n.factorAnalysers().factors(), "factor"))
                .append(" each (covariance Lambda Lambda^T + Psi, Psi diagonal)\n");
        FactorFit.appendFitLine(s, fit, g.options(), "full-covariance Gaussian starts on the rows not guessed noise");
        s.append('\n');
        s.append(NoiseFit.noiseLine(n.noiseWeight(), n.region(), rows, noiseRows)).append('\n');
        boolean weighted = Summary.weighted(data, counted);
        Summary.criteria(s, fit.logLikelihood(), fit, weighted);
        Summary.clusteringTable(s, Summary.clusterSizes(n, data, counted), noiseRows, weighted);
        s.append("component weights are shares of all rows; with the noise's they sum to 1\n");
        List<String> names = n.featureNames();
        int width = Summary.columnWidth(names);
        FactorFit.appendComponents(s, names, width, n.weights(), null, n.factorAnalysers()::mean);
        s.append("\nloadings and uniquenesses: in the model file (--model-out) and the JSON (--json)\n");
        return s.toString();
    }
}
