package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.Format;
import io.emkit.cli.Outputs;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.io.LabelledModelFiles;
import io.emkit.labels.ClassLabels;
import io.emkit.labels.SemiSupervisedFit;
import io.emkit.labels.SemiSupervisedGaussianMixture;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code emkit fit --labels-column COL}: semi-supervised EM ({@link SemiSupervisedGaussianMixture}). The column
 * holds a class name per row, or nothing (an unlabelled row); it is not a model column. The model file is a
 * Gaussian mixture with each component's class ({@link LabelledModelFiles}), so {@code predict} writes classes.
 */
final class LabelledFit {
    /** Options that do not go with {@code --labels-column}: the fit has one deterministic start, in memory. */
    private static final List<String> NOT_WITH_LABELS = List.of("--family", "--distribution", "--df",
            "--df-constraint", "--init", "--init-model", "--hard", "--assignment", "--out-of-core", "--mini-batch",
            "--passes", "--step-exponent", "--shuffle", "--bootstrap", "--bootstrap-kind", "--plot-trace",
            "--report", "--n-init", "--search");

    private LabelledFit() {
    }

    static int run(FitCommand cmd) {
        CommandLine cl = cmd.spec.commandLine();
        var parse = cl.getParseResult();
        if (!cmd.family.isEmpty()) {
            return runFamilies(cmd);
        }
        CliSupport.refuseOptions(parse, NOT_WITH_LABELS, o -> o + " does not go with --labels-column (semi-supervised EM"
                + " starts once, from the labelled rows, and fits a Gaussian mixture in memory)");
        if (!cmd.engine.isLocal()) {
            throw new EmkitException("--labels-column fits on this machine only for now; drop --engine");
        }
        if (parse.hasMatchedOption("--components") && cmd.components < 1) {
            throw new CommandLine.ParameterException(cl, "--components must be at least 1, got " + cmd.components);
        }
        if (!(cmd.regCovar >= 0) || Double.isInfinite(cmd.regCovar)) {
            throw new CommandLine.ParameterException(cl, "--reg-covar must be a finite number >= 0, got " + cmd.regCovar);
        }
        if (cmd.componentsPerClass < 1) {
            throw new CommandLine.ParameterException(cl, "--components-per-class must be at least 1, got "
                    + cmd.componentsPerClass);
        }
        Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
        cmd.pictures.check(cmd.data, cmd.output.modelOut);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        String file = cmd.data.toString();
        LabelledData read = LabelledData.read(cmd.data, cmd.dataOptions, cmd.weights, cmd.labelsColumn, err, false);
        Dataset data = read.data();
        ClassLabels labels = read.labels();
        String labelName = read.columnName();
        EmOptions options = cmd.em.options();
        if (!parse.hasMatchedOption("--accelerate")) {
            // From its one start, plain EM follows mclust's path; SQUAREM may jump to another optimum.
            options = options.withAcceleration(Acceleration.NONE);
        }
        SemiSupervisedGaussianMixture config = SemiSupervisedGaussianMixture.withCovariance(cmd.covariance)
                .componentsPerClass(cmd.componentsPerClass).regCovar(cmd.regCovar).prior(cmd.prior)
                .options(options.withListener(CliSupport.progress(err, cmd.output.quiet, cmd.output.verbose,
                        "semi-supervised log-likelihood", "change/row", 1)));
        int k = cmd.components > 0 ? cmd.components : labels.classes() * cmd.componentsPerClass;
        config.checkComponents(k, labels);
        SemiSupervisedFit fit = config.fit(data, labels);
        double logLikelihood = fit.em().logLikelihood();
        if (cmd.output.modelOut != null) {
            LabelledModelFiles.write(fit.model(), cmd.output.modelOut, CliSupport.provenance(cl, cmd.dataLabel(),
                    data.rows(), data.columns(), cmd.em.seed, fit.em(), logLikelihood));
        }
        Dataset rows = data;
        // The picture names each component's class beside its number, as the summary's table does.
        cmd.pictures.writePlot(fit.model().mixture(), io.emkit.cli.pictures.Pictures.rowsToDraw(data),
                fit.model().componentClasses(), err, !cmd.output.quiet && !cmd.output.json);
        cmd.output.print(out, err, () -> toJson(fit, rows, labels, labelName),
                () -> summary(file, rows, labels, labelName, fit, config), fit.em().warnings());
        return 0;
    }

    /** {@code fit --family ... --labels-column COL}: a product mixture, one component per class (or several). */
    private static int runFamilies(FitCommand cmd) {
        CommandLine cl = cmd.spec.commandLine();
        var parse = cl.getParseResult();
        CliSupport.refuseOptions(parse, NOT_WITH_LABELS.stream().filter(o -> !o.equals("--family")).toList(),
                o -> o + " does not go with --labels-column (semi-supervised EM starts once, from the labelled rows,"
                        + " in memory)");
        CliSupport.refuseOptions(parse, List.of("--covariance", "--prior"),
                o -> o + " applies to Gaussian mixtures only; it cannot be combined with --family");
        if (!cmd.engine.isLocal()) {
            throw new EmkitException("--labels-column fits on this machine only for now; drop --engine");
        }
        if (parse.hasMatchedOption("--components") && cmd.components < 1) {
            throw new CommandLine.ParameterException(cl, "--components must be at least 1, got " + cmd.components);
        }
        Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
        cmd.pictures.check(cmd.data, cmd.output.modelOut);
        cmd.pictures.onlyClassification("mixture of independent columns");
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        io.emkit.cli.FamilyData.Selection sel = io.emkit.cli.FamilyData.select(cmd.data, cmd.dataOptions,
                cmd.weights.column(), cmd.labelsColumn, cmd.family, note -> {
                    if (!cmd.output.quiet) {
                        err.println(note);
                    }
                });
        io.emkit.data.TextTable table = sel.table();
        int labelColumn = table.columnIndex(cmd.labelsColumn.trim());
        String labelName = table.columnNames().get(labelColumn);
        String[] cells = new String[table.rows()];
        for (int i = 0; i < cells.length; i++) {
            String cell = table.cell(i, labelColumn);
            cells[i] = cell.isEmpty() || cell.equals("NA") ? null : cell;
        }
        ClassLabels labels = ClassLabels.of(cells);
        Dataset data = sel.data();
        EmOptions options = cmd.em.options();
        if (!parse.hasMatchedOption("--accelerate")) {
            options = options.withAcceleration(Acceleration.NONE);
        }
        int k = cmd.components > 0 ? cmd.components : labels.classes() * cmd.componentsPerClass;
        io.emkit.families.ProductMixture config = io.emkit.families.ProductMixture.withComponents(k)
                .families(sel.families()).categoryNames(sel.categories()).regVar(cmd.regCovar)
                .options(options.withListener(CliSupport.progress(err, cmd.output.quiet, cmd.output.verbose,
                        "semi-supervised log-likelihood", "change/row", 1)));
        io.emkit.labels.SemiSupervisedProductMixture.Fit fit;
        try {
            fit = io.emkit.labels.SemiSupervisedProductMixture.of(config).fit(data, labels, k, cmd.componentsPerClass);
        } catch (io.emkit.families.ValueOutOfSupportException e) {
            throw io.emkit.cli.FamilyData.located(e, cmd.data, table, sel.fileColumns());
        }
        var em = fit.em();
        cmd.pictures.writePlot(em.params(), io.emkit.cli.pictures.Pictures.rowsToDraw(data), fit.componentClasses(), err,
                !cmd.output.quiet && !cmd.output.json);
        if (cmd.output.modelOut != null) {
            LabelledModelFiles.write(em.params(), fit.componentClasses(), cmd.output.modelOut, CliSupport.provenance(cl,
                    cmd.dataLabel(), data.rows(), data.columns(), cmd.em.seed, em, em.logLikelihood()));
        }
        cmd.output.print(out, err, () -> {
            ObjectNode o;
            try {
                o = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        FamilyFit.toJson(em, data.rows(), data, null));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            putLabels(o, labels, labelName, fit.componentClasses());
            LabelledModelFiles.withClasses((ObjectNode) o.get("model"), fit.componentClasses());
            return CliSupport.json(o);
        }, () -> {
            String summary = FamilyFit.summary(cmd.dataLabel(), data.rows(), data, config, em, null);
            int cut = summary.indexOf('\n') + 1;
            StringBuilder s = new StringBuilder(summary.substring(0, cut));
            s.append(labelsLine(labels, labelName));
            String rest = summary.substring(cut).replace("DID NOT CONVERGE", "semi-supervised EM, DID NOT CONVERGE")
                    .replaceFirst("fit          converged", "fit          semi-supervised EM, converged")
                    .replace("on the mean log-likelihood)", "on the mean semi-supervised log-likelihood)");
            int runs = rest.indexOf("; ", rest.indexOf("fit          "));
            int eol = rest.indexOf('\n', rest.indexOf("fit          "));
            if (runs >= 0 && runs < eol) {
                rest = rest.substring(0, runs) + "; one start, from the labelled rows" + rest.substring(eol);
            }
            s.append(rest);
            s.append("(the semi-supervised log-likelihood: a labelled row adds the log of its class's component's"
                    + " weighted density, an unlabelled row the log of the mixture's)\n\ncomponent    class\n");
            for (int c = 0; c < fit.componentClasses().size(); c++) {
                s.append(String.format(Locale.ROOT, "%-12d %s%n", c + 1, fit.componentClasses().get(c)));
            }
            return s.toString();
        }, em.warnings());
        return 0;
    }

    private static String labelsLine(ClassLabels labels, String labelName) {
        StringBuilder s = new StringBuilder();
        s.append("labels       column '").append(labelName).append("': ").append(labels.labelledRows())
                .append(" labelled rows in ").append(labels.classes()).append(" classes (");
        for (int g = 0; g < labels.classes(); g++) {
            s.append(g == 0 ? "" : ", ").append(labels.names().get(g)).append(' ').append(labels.count(g));
        }
        return s.append("), ").append(labels.rows() - labels.labelledRows()).append(" unlabelled\n").toString();
    }

    private static String summary(String file, Dataset data, ClassLabels labels, String labelName, SemiSupervisedFit fit,
                                  SemiSupervisedGaussianMixture config) {
        GaussianMixtureModel m = fit.model().mixture();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, data.rows(), m.featureNames())).append(io.emkit.cli.WeightsColumn.describe(data))
                .append("\n");
        s.append("labels       column '").append(labelName).append("': ").append(labels.labelledRows())
                .append(" labelled rows in ").append(labels.classes()).append(" classes (");
        for (int g = 0; g < labels.classes(); g++) {
            s.append(g == 0 ? "" : ", ").append(labels.names().get(g)).append(' ').append(labels.count(g));
        }
        s.append("), ").append(labels.rows() - labels.labelledRows()).append(" unlabelled\n");
        s.append("model        Gaussian mixture, ").append(Format.count(m.components(), "component")).append(" (")
                .append(config.componentsPerClass()).append(" per class), ").append(m.covarianceType().label())
                .append(" covariance (mclust ").append(m.covarianceType().mclustName()).append(")\n");
        s.append("fit          semi-supervised EM, ")
                .append(fit.em().converged() ? "converged after " + Format.count(fit.em().iterations(), "iteration")
                        : "DID NOT CONVERGE in " + Format.count(fit.em().iterations(), "iteration"))
                .append(" (tolerance ").append(Format.setting(config.options().tolerance()))
                .append(" on the mean semi-supervised log-likelihood); one start, from the labelled rows\n\n");
        Summary.criteria(s, fit.em().logLikelihood(), fit.em(), data.isWeighted());
        s.append("(the semi-supervised log-likelihood: a labelled row adds the log of its class's components' weighted"
                + " density, an unlabelled row the log of the mixture's)\n");
        int[] predicted = fit.model().predictClasses(data);
        int[] unlabelledCounts = new int[fit.model().classNames().size()];
        for (int i = 0; i < predicted.length; i++) {
            if (labels.classOf(i) < 0) {
                unlabelledCounts[predicted[i]]++;
            }
        }
        s.append("\ncomponent    class\n");
        for (int c = 0; c < m.components(); c++) {
            s.append(String.format(Locale.ROOT, "%-12d %s%n", c + 1, fit.model().componentClasses().get(c)));
        }
        s.append("unlabelled rows by predicted class: ");
        for (int g = 0; g < unlabelledCounts.length; g++) {
            s.append(g == 0 ? "" : ", ").append(fit.model().classNames().get(g)).append(' ').append(unlabelledCounts[g]);
        }
        s.append("\n\n");
        Summary.clusteringTable(s, Summary.clusterSizes(m, data), -1, data.isWeighted());
        Summary.parameters(s, m, null);
        return s.toString();
    }

    private static String toJson(SemiSupervisedFit fit, Dataset data, ClassLabels labels, String labelName) {
        ObjectNode o = CliSupport.fitJson(fit.em(), fit.em().logLikelihood());
        putLabels(o, labels, labelName, fit.model().componentClasses());
        o.put("n_samples", data.rows());
        if (data.isWeighted()) {
            o.put("total_weight", data.totalWeight());
        }
        o.put("n_features", data.columns());
        Summary.putClusterSizes(o, Summary.clusterSizes(fit.model().mixture(), data));
        CliSupport.putMissing(o, data.countMissing());
        o.set("model", LabelledModelFiles.toTree(fit.model()));
        return CliSupport.finishJson(o, fit.em(), "log_likelihood_trace", 1);
    }

    /** The JSON fields of a semi-supervised fit: its objective, the labels column and the classes of the components. */
    private static void putLabels(ObjectNode o, ClassLabels labels, String labelName, List<String> componentClasses) {
        o.put("objective", "semi_supervised_log_likelihood");
        o.put("labels_column", labelName);
        o.put("labelled_rows", labels.labelledRows());
        ArrayNode classes = o.putArray("classes");
        labels.names().forEach(classes::add);
        ArrayNode perComponent = o.putArray("component_classes");
        componentClasses.forEach(perComponent::add);
    }
}
