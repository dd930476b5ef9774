package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Outputs;
import io.emkit.cli.Format;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.io.ModelFiles;
import io.emkit.variational.VariationalMixture;
import io.emkit.variational.VariationalModel;
import io.emkit.variational.VariationalResult;
import picocli.CommandLine;

import java.util.List;

/**
 * {@code emkit fit --method vb}: variational Bayes for a Gaussian mixture of at most K components. The summary
 * and JSON give the lower bound and its trace, the posterior mean weights (surplus components near zero) and the
 * model; the model file is an ordinary Gaussian mixture of the posterior means with the posterior's parameters.
 */
final class VariationalFit {
    /** Below this posterior mean weight a component counts as surplus in the summary and JSON. */
    static final double SURPLUS = 0.01;

    private VariationalFit() {
    }

    static int run(FitCommand cmd) {
        CommandLine cl = cmd.spec.commandLine();
        var parse = cl.getParseResult();
        CliSupport.refuseOptions(parse, List.of("--family", "--assignment", "--hard", "--prior",
                "--bootstrap", "--plot", "--plot-trace", "--report", "--out-of-core", "--init", "--init-model",
                "--search", "--n-init", "--noise"), o -> o + " is not available with --method vb yet");
        if (cmd.distribution.isT()) {
            throw new EmkitException("--distribution t is not available with --method vb yet");
        }
        VariationalMixture config = VariationalMixture.withComponents(cmd.components).covarianceType(cmd.covariance)
                .prior(cmd.variational.prior()).regCovar(cmd.regCovar.value).options(cmd.em.options()
                        .withMaxIterations(parse.hasMatchedOption("--max-iter") ? cmd.em.maxIter : 100))
                .miniBatch(cmd.miniBatch.schedule());
        if (!cmd.engine.isLocal()) {
            return onEngine(cmd, config);
        }
        Dataset dataset = cmd.rowsInThisJvm("variational Bayes runs", "--method vb");
        VariationalResult fit = config.fit(dataset);
        GaussianMixtureModel means = fit.model().toGaussian();
        double logLikelihood = means.logLikelihood(dataset);
        report(cmd, fit, dataset.rows(), dataset, null, Summary.clusterSizes(means, dataset), logLikelihood);
        return 0;
    }

    /**
     * On another engine: the E-steps where the rows are ({@link VariationalMixture#distributed}), then one pass for
     * the posterior means' log-likelihood and one for the clustering table.
     */
    private static int onEngine(FitCommand cmd, VariationalMixture config) {
        Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
        try (ClusterEngine.Data opened = cmd.engine.open(cmd.dataArgument(), cmd.dataOptions)) {
            List<String> columns = new java.util.ArrayList<>(EngineFit.numericColumns(cmd, opened));
            String weightName = EngineFit.weightsColumn(cmd, opened, columns);
            // Weighted, the E-steps, the start's sample and the log-likelihood weigh the rows, as locally.
            ClusterEngine.Data held = weightName == null ? opened : opened.weighted(weightName);
            VariationalResult[] posterior = new VariationalResult[1];
            held.fit(config.distributed(result -> posterior[0] = result), cmd.em.options().seed(), columns);
            VariationalResult fit = posterior[0];
            GaussianMixtureModel means = fit.model().toGaussian();
            ClusterEngine.Score score = held.score(means, columns, null);
            ClusterEngine.Counts counted = held.count(means, columns);
            report(cmd, fit, score.rows(), null, counted, counted.clusterSizes(), score.logLikelihood());
        }
        return 0;
    }

    /** Saves the model, prints the summary or JSON; {@code dataset} is null on another engine. */
    private static void report(FitCommand cmd, VariationalResult fit, long rows, Dataset dataset,
                               ClusterEngine.Counts counted, long[] sizes, double logLikelihood) {
        CommandLine cl = cmd.spec.commandLine();
        GaussianMixtureModel means = fit.model().toGaussian();
        if (cmd.output.modelOut != null) {
            ModelFiles.write(fit.model(), cmd.output.modelOut, CliSupport.provenance(cl, cmd.dataLabel(), rows,
                    means.dimension(), cmd.em.seed, logLikelihood, Double.NaN, fit.converged(), fit.iterations()));
        }
        List<String> warnings = fit.converged() || cmd.em.tol == 0 ? List.of() : List.of("did not converge in "
                + fit.iterations() + " iterations; raise --max-iter or the tolerance");
        cmd.output.print(cl.getOut(), cl.getErr(), () -> toJson(fit, rows, dataset, counted, sizes, logLikelihood),
                () -> summary(cmd.dataLabel(), rows, dataset, counted, sizes, fit, logLikelihood, cmd.em.tol,
                        cmd.miniBatch.given()), warnings);
    }

    static int effectiveComponents(double[] weights) {
        int n = 0;
        for (double w : weights) {
            n += w > SURPLUS ? 1 : 0;
        }
        return n;
    }

    static String toJson(VariationalResult fit, long rows, Dataset dataset, ClusterEngine.Counts counted, long[] sizes,
                         double logLikelihood) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        VariationalModel m = fit.model();
        o.put("method", VariationalOptions.VB);
        o.put("weight_prior", m.weightPrior().label());
        o.put("lower_bound", fit.finalLowerBound());
        o.put("log_likelihood", logLikelihood);
        o.put("n_iter", fit.iterations());
        o.put("converged", fit.converged());
        o.put("n_components", m.components());
        o.put("effective_components", effectiveComponents(m.weights()));
        Summary.putRowsAndModel(o, rows, dataset, counted, m.dimension(), sizes, null, ModelFiles.toTree(m));
        ArrayNode trace = o.putArray("lower_bound_trace");
        for (double v : fit.lowerBound()) {
            trace.add(v);
        }
        return o.toString();
    }

    static String summary(String file, long rows, Dataset data, ClusterEngine.Counts counted, long[] sizes,
                          VariationalResult fit,
                          double logLikelihood,
                          double tolerance, boolean stochastic) {
        VariationalModel v = fit.model();
        GaussianMixtureModel m = v.toGaussian();
        double[] w = m.weights();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, rows, m.featureNames())).append("\n");
        s.append("model        variational Gaussian mixture, at most ").append(v.components()).append(" components, ")
                .append(v.covarianceType().label()).append(" covariance; ").append(v.weightPrior().label())
                .append(" prior on the weights\n");
        s.append("fit          ").append(stochastic ? "stochastic variational inference: "
                + Format.count(fit.iterations() - 1, "mini-batch update") + ", then one full iteration"
                : "coordinate ascent " + (fit.converged() ? "converged after " : "stopped after ")
                + Format.count(fit.iterations(), "iteration"));
        if (tolerance > 0 && !stochastic) {
            s.append(" (tolerance ").append(Format.setting(tolerance)).append(" on the lower bound per row)");
        }
        s.append("; start: k-means clusters\n\n");
        s.append("lower bound     ").append(Format.fixed(fit.finalLowerBound(), 4))
                .append("   (as scikit-learn's: the evidence lower bound without its constant terms)\n");
        s.append("log-likelihood  ").append(Format.fixed(logLikelihood, 4)).append("   (of the posterior means)\n");
        s.append("components      ").append(effectiveComponents(w)).append(" of ").append(v.components())
                .append(" with weight above ").append(SURPLUS).append("\n\n");
        Summary.clusteringTable(s, sizes, -1, Summary.weighted(data, counted));
        Summary.parameters(s, m, null);
        return s.toString();
    }
}
