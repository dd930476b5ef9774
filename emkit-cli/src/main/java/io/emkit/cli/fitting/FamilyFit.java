package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.FamilyData;
import io.emkit.cli.Format;
import io.emkit.cli.Outputs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.cli.plot.ParameterRow;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.io.ModelFiles;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import io.emkit.families.ValueOutOfSupportException;

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
        CliSupport.refuseOptions(parse, List.of("--covariance", "--init", "--init-model", "--out-of-core", "--assignment",
                "--hard", "--prior", "--bootstrap"),
                o -> o + " applies to Gaussian mixtures only; it cannot be combined with --family");
        Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
        cmd.pictures.check(cmd.data, cmd.output.modelOut);
        cmd.pictures.onlyClassification("mixture of independent columns");
        PrintWriter out = cmd.spec.commandLine().getOut();
        PrintWriter err = cmd.spec.commandLine().getErr();
        FitStatus status = FitStatus.of(err, cmd.output.mode.quiet, cmd.output.mode.verbose, "log-likelihood", "change/row", 1);
        java.util.function.Consumer<String> notes = note -> {
            if (!cmd.output.mode.quiet) {
                err.println(note);
            }
        };
        ProductMixture base = ProductMixture.withComponents(cmd.components)
                .regVar(cmd.regCovar.value)
                .options(cmd.em.options())
                .listener(cmd.pictures.listener(status));
        ProductMixture config;
        Dataset fitted = null;
        ClusterEngine.Counts counted = null;
        EmResult<ProductMixtureModel> fit;
        if (cmd.engine.isLocal()) {
            FamilyData.Selection sel;
            try (FitStatus.Reading reading = status.reading(cmd.data.toString(), cmd.dataOptions)) {
                PrintWriter noteOut = reading.notes();
                sel = FamilyData.select(cmd.data, cmd.dataOptions, cmd.weights.column(), cmd.family, note -> {
                    if (!cmd.output.mode.quiet) {
                        noteOut.println(note);
                    }
                });
                reading.rows(sel.data().rows());
            }
            config = base.families(sel.families()).categoryNames(sel.categories());
            fitted = sel.data();
            status.seeding(FitStatus.runs(config.options()));
            try {
                fit = config.fit(sel.data());
            } catch (ValueOutOfSupportException e) {
                throw FamilyData.located(e, cmd.data, sel.table(), sel.fileColumns());
            } finally {
                status.done();
            }
        } else {
            String file = cmd.dataArgument();
            try (ClusterEngine.Data opened = cmd.engine.open(file, cmd.dataOptions)) {
                List<String> names = opened.columnNames();
                int weightsIndex = -1;
                if (cmd.weights.given()) {
                    weightsIndex = io.emkit.data.TextTable.columnIndex(file, names, cmd.weights.column().trim());
                    if (!opened.isNumeric(weightsIndex)) {
                        throw io.emkit.data.InvalidDataException.ofFile(file, "--weights-column '"
                                + names.get(weightsIndex) + "' is not numeric");
                    }
                }
                FamilyData.Choice choice = FamilyData.choose(file, names, opened::isNumeric,
                        c -> io.emkit.data.TextTable.columnIndex(file, names, c), weightsIndex, cmd.dataOptions,
                        cmd.family, notes);
                config = base.families(choice.families());
                List<String> columns = choice.columns().stream().map(names::get).toList();
                // Weighted, each row's weight travels with it to the kernels and the starts' sample, as locally.
                ClusterEngine.Data held = weightsIndex < 0 ? opened : opened.weighted(names.get(weightsIndex));
                fit = held.fit(config, columns);
                counted = held.count(fit.params(), columns);
            }
        }
        if (cmd.output.modelOut != null) {
            ModelFiles.write(fit.params(), cmd.output.modelOut, CliSupport.provenance(cmd.spec.commandLine(),
                    cmd.dataLabel(), fitted != null ? fitted.rows() : counted != null && counted.weighted()
                            ? counted.rows() : (long) fit.sampleCount(), fit.params().dimension(), cmd.em.seed, fit,
                    fit.logLikelihood()));
        }
        if (fitted != null) {
            java.util.Map<String, String> own = new java.util.LinkedHashMap<>();
            own.put("--components", Integer.toString(cmd.components));
            own.put("--family", String.join(" ", cmd.family));
            own.put(RegCovarOption.NAME, Format.num(cmd.regCovar.value));
            cmd.pictures.write(cmd.data, fitted, FitPictures.options(own, config.options()), config.options(), fit,
                    err, cmd.output.mode.readable());
        }
        // Rows, not the fit's sample count: weighted, that is the total weight.
        long rows = fitted != null ? fitted.rows() : counted != null && counted.weighted() ? counted.rows()
                : (long) fit.sampleCount();
        Dataset local = fitted;
        ClusterEngine.Counts held = counted;
        cmd.output.print(out, err, () -> toJson(fit, rows, local, held),
                () -> summary(cmd.dataLabel(), rows, local, config, fit, held), fit.warnings());
        return 0;
    }

    /**
     * The readable summary; {@code data} is the rows fitted, or {@code null} when another engine held them and
     * {@code counted} what it counted of them.
     */
    static String summary(String file, long n, Dataset data, ProductMixture config, EmResult<ProductMixtureModel> fit,
                          ClusterEngine.Counts counted) {
        ProductMixtureModel m = fit.params();
        StringBuilder s = new StringBuilder();
        List<String> names = m.featureNames();
        s.append(Summary.dataLine(file, n, names)).append(Summary.weightsNote(data, counted)).append("\n");
        s.append(Summary.missingLine(n, data, m.dimension(), counted));
        StringBuilder fams = new StringBuilder();
        for (int j = 0; j < m.dimension(); j++) {
            fams.append(j == 0 ? "" : ", ").append(names.get(j)).append(": ").append(m.families().get(j).label());
        }
        s.append("model        mixture of independent columns, ").append(Format.count(m.components(), "component"))
                .append(" (").append(fams).append(")\n");
        s.append("fit          ");
        if (fit.converged()) {
            s.append("converged after ").append(fit.iterations()).append(" iteration").append(fit.iterations() == 1 ? "" : "s");
        } else if (config.options().tolerance() == 0) {
            s.append("ran ").append(fit.iterations()).append(" iterations (tolerance 0)");
        } else {
            s.append("DID NOT CONVERGE in ").append(Format.count(fit.iterations(), "iteration"));
        }
        s.append(" (tolerance ").append(Format.setting(config.options().tolerance())).append(" on the mean log-likelihood)");
        s.append("; ").append(CliSupport.runsText(fit, config.options()))
                .append(" (seed ").append(config.options().seed()).append(")\n\n");
        Summary.criteria(s, fit.logLikelihood(), fit, Summary.weighted(data, counted));
        Summary.clusteringTable(s, Summary.clusterSizes(m, data, counted), -1, Summary.weighted(data, counted));
        int k = m.components();
        List<ParameterRow> rows = ParameterRow.of(m);
        int width = 8;
        for (ParameterRow r : rows) {
            width = Math.max(width, r.label().length() + 2);
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
        for (ParameterRow r : rows) {
            s.append(Format.pad(r.label(), width));
            for (double v : r.perComponent()) {
                s.append(Format.padLeft(Format.num(v), 14));
            }
            s.append('\n');
        }
        return s.toString();
    }

    static String toJson(EmResult<ProductMixtureModel> fit, long rows, Dataset data, ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit);
        Summary.putRowsAndModel(o, rows, data, counted, fit.params().dimension(), Summary.clusterSizes(fit.params(),
                data, counted), Summary.missing(data, counted), ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }
}
