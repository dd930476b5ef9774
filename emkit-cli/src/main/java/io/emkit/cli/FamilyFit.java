package io.emkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ColumnFamily;
import io.emkit.mixture.ProductMixture;
import io.emkit.mixture.ProductMixtureModel;
import io.emkit.mixture.ValueOutOfSupportException;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code emkit fit --family ...}: a mixture of independent columns, each with its family. Reads the file as text
 * (so categorical columns may hold words) and shares every other option with the Gaussian fit.
 */
final class FamilyFit {
    private FamilyFit() {
    }

    static int run(FitCommand cmd) {
        var parse = cmd.spec.commandLine().getParseResult();
        for (String o : List.of("--covariance", "--init", "--init-model", "--out-of-core", "--assignment", "--hard")) {
            if (parse.hasMatchedOption(o)) {
                throw new EmkitException(o + " applies to Gaussian mixtures only; it cannot be combined with --family");
            }
        }
        Outputs.checkNotAnInput(cmd.modelOut, "--model-out", cmd.data);
        PrintWriter out = cmd.spec.commandLine().getOut();
        PrintWriter err = cmd.spec.commandLine().getErr();
        FamilyData.Selection sel = FamilyData.select(cmd.data, cmd.dataOptions, cmd.weights.column, cmd.family,
                note -> {
                    if (!cmd.quiet) {
                        err.println(note);
                    }
                });
        ProductMixture config = ProductMixture.withComponents(cmd.components)
                .families(sel.families())
                .categoryNames(sel.categories())
                .regVar(cmd.regCovar)
                .initializations(cmd.nInit)
                .maxIterations(cmd.maxIter)
                .tolerance(cmd.tol)
                .seed(cmd.seed)
                .threads(cmd.threads)
                .listener(CliSupport.progress(err, cmd.quiet, cmd.verbose, "log-likelihood", "change/row", 1));
        EmResult<ProductMixtureModel> fit;
        try {
            fit = config.fit(sel.data());
        } catch (ValueOutOfSupportException e) {
            throw FamilyData.located(e, cmd.data, sel.table(), sel.fileColumns());
        }
        if (cmd.modelOut != null) {
            ModelFiles.write(fit.params(), cmd.modelOut);
        }
        if (cmd.json) {
            Outputs.write(null, out, w -> w.write(toJson(fit, sel) + "\n"));
        } else if (!cmd.quiet) {
            out.print(summary(cmd, sel, config, fit));
            out.flush();
        }
        if (!cmd.quiet) {
            for (String w : fit.warnings()) {
                err.println("warning: " + w);
            }
            if (cmd.modelOut != null && !cmd.json) {
                err.println("model saved to " + cmd.modelOut);
            }
        }
        return 0;
    }

    static String summary(FitCommand cmd, FamilyData.Selection sel, ProductMixture config,
                          EmResult<ProductMixtureModel> fit) {
        ProductMixtureModel m = fit.params();
        StringBuilder s = new StringBuilder();
        List<String> names = m.featureNames();
        s.append("data         ").append(cmd.data).append(": ").append(sel.data().rows()).append(" rows, ")
                .append(m.dimension()).append(" columns (").append(String.join(", ", names)).append(")")
                .append(WeightsColumn.describe(sel.data())).append("\n");
        s.append(CliSupport.missingLine(sel.data().countMissing(), sel.data()));
        StringBuilder fams = new StringBuilder();
        for (int j = 0; j < m.dimension(); j++) {
            fams.append(j == 0 ? "" : ", ").append(names.get(j)).append(": ").append(m.families().get(j).label());
        }
        s.append("model        mixture of independent columns, ").append(m.components()).append(" component")
                .append(m.components() == 1 ? "" : "s").append(" (").append(fams).append(")\n");
        s.append("fit          ");
        if (fit.converged()) {
            s.append("converged after ").append(fit.iterations()).append(" iteration").append(fit.iterations() == 1 ? "" : "s");
        } else if (config.options().tolerance() == 0) {
            s.append("ran ").append(fit.iterations()).append(" iterations (tolerance 0)");
        } else {
            s.append("DID NOT CONVERGE in ").append(fit.iterations()).append(" iterations");
        }
        s.append(" (tolerance ").append(Format.num(config.options().tolerance())).append(" on the mean log-likelihood)");
        int nInit = config.options().initializations();
        s.append("; best of ").append(nInit).append(" initialisation").append(nInit == 1 ? "" : "s")
                .append(" (seed ").append(config.options().seed()).append(")\n\n");
        Summary.criteria(s, fit.logLikelihood(), fit, sel.data().isWeighted());
        int k = m.components();
        List<List<String>> labels = new java.util.ArrayList<>();
        int width = 8;
        for (int j = 0; j < m.dimension(); j++) {
            List<String> rows = switch (m.families().get(j)) {
                case GAUSSIAN -> List.of("mean", "variance");
                case POISSON -> List.of("rate (mean count)");
                case BERNOULLI -> List.of("P(1)");
                case EXPONENTIAL -> List.of("mean (1/rate)");
                case CATEGORICAL -> m.categories(j).stream().map(c -> "P(" + c + ")").toList();
            };
            labels.add(rows);
            for (String r : rows) {
                width = Math.max(width, names.get(j).length() + 1 + r.length() + 2);
            }
        }
        s.append(Format.pad("", width));
        for (int c = 0; c < k; c++) {
            s.append(Format.padLeft("component " + (c + 1), 14));
        }
        s.append('\n').append(Format.pad("weight", width));
        for (double w : m.weights()) {
            s.append(Format.padLeft(Format.num(w), 14));
        }
        s.append('\n');
        for (int j = 0; j < m.dimension(); j++) {
            double[][] p = m.parameters(j);
            ColumnFamily f = m.families().get(j);
            List<String> rows = labels.get(j);
            for (int r = 0; r < rows.size(); r++) {
                s.append(Format.pad(names.get(j) + " " + rows.get(r), width));
                for (int c = 0; c < k; c++) {
                    double v = f == ColumnFamily.EXPONENTIAL ? 1.0 / p[c][0] : p[c][r];
                    s.append(Format.padLeft(Format.num(v), 14));
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    static String toJson(EmResult<ProductMixtureModel> fit, FamilyData.Selection sel) {
        ObjectNode o = CliSupport.fitJson(fit);
        o.put("n_samples", sel.data().rows());
        if (sel.data().isWeighted()) {
            o.put("total_weight", sel.data().totalWeight());
        }
        o.put("n_features", sel.data().columns());
        CliSupport.putMissing(o, sel.data().countMissing());
        o.set("model", ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }
}
