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
        o.put("covariance", "mfa:" + m.factorAnalysers().factors());
        o.put("factors", m.factorAnalysers().factors());
        o.put("noise_weight", m.noiseWeight());
        o.put("noise_rows", noiseRows);
        o.put("noise_log_volume", m.region().logVolume());
        o.put("noise_region", m.region().principal() ? "principal" : "bounding");
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
        s.append("fit          EM ").append(fit.converged() ? "converged after " : "stopped after ")
                .append(Format.count(fit.iterations(), "iteration"));
        if (g.options().tolerance() > 0) {
            s.append(" (tolerance ").append(Format.setting(g.options().tolerance())).append(" on the mean log-likelihood)");
        }
        s.append("; ").append(fit.search() != null ? "search (" + fit.search().level() + "): " + fit.search().summary()
                : CliSupport.runsText(fit, g.options())).append(" (full-covariance Gaussian starts on the rows not"
                        + " guessed noise, seed ").append(g.options().seed()).append(")\n");
        s.append(NoiseFit.noiseLine(n.noiseWeight(), n.region(), rows, noiseRows)).append('\n');
        boolean weighted = Summary.weighted(data, counted);
        Summary.criteria(s, fit.logLikelihood(), fit, weighted);
        Summary.clusteringTable(s, Summary.clusterSizes(n, data, counted), noiseRows, weighted);
        s.append("component weights are shares of all rows; with the noise's they sum to 1\n");
        List<String> names = n.featureNames();
        int width = Summary.columnWidth(names);
        s.append(Format.pad("component", 11)).append(Format.padLeft("weight", 10));
        for (String name : names) {
            s.append(Format.padLeft("mean " + name, width + 5));
        }
        s.append('\n');
        double[] w = n.weights();
        for (int c = 0; c < n.components(); c++) {
            s.append(Format.pad(Integer.toString(c + 1), 11)).append(Format.padLeft(Format.fixed(w[c], 5), 10));
            for (double v : n.factorAnalysers().mean(c)) {
                s.append(Format.padLeft(Format.num(v), width + 5));
            }
            s.append('\n');
        }
        s.append("\nloadings and uniquenesses: in the model file (--model-out) and the JSON (--json)\n");
        return s.toString();
    }
}
