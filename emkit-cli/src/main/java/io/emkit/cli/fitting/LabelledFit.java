package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.EngineOptions;
import io.emkit.cli.Format;
import io.emkit.cli.Outputs;
import io.emkit.data.Dataset;
import io.emkit.data.InvalidDataException;
import io.emkit.data.TextTable;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.io.LabelledModelFiles;
import io.emkit.labels.ClassLabels;
import io.emkit.labels.LabelledGaussianMixture;
import io.emkit.labels.SemiSupervisedFit;
import io.emkit.labels.SemiSupervisedGaussianMixture;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code emkit fit --labels-column COL}: semi-supervised EM ({@link SemiSupervisedGaussianMixture}). The column
 * holds a class name per row, or nothing (an unlabelled row); it is not a model column. The model file is a
 * Gaussian mixture with each component's class ({@link LabelledModelFiles}), so {@code predict} writes classes.
 */
final class LabelledFit {
    /** Options that do not go with {@code --labels-column}: the fit has one deterministic start, in memory. */
    private static final List<String> NOT_WITH_LABELS = List.of("--family", "--distribution", "--df",
            "--df-constraint", "--init", "--init-model", "--hard", "--assignment", "--out-of-core", "--mini-batch",
            "--passes", "--step-exponent", "--shuffle", "--bootstrap", "--bootstrap-kind", "--n-init", "--search");
    /** What the fit maximises, as the progress line, the convergence picture and the report name it. */
    static final String OBJECTIVE = "semi-supervised log-likelihood";

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
        cmd.engine.refuse(parse, EmOptionsMixin.THREADS, "--weights-column", "--delimiter", "--plot", "--plot-trace",
                "--report");
        if (parse.hasMatchedOption("--components") && cmd.components < 1) {
            throw new CommandLine.ParameterException(cl, "--components must be at least 1, got " + cmd.components);
        }
        cmd.regCovar.check(cl);
        if (cmd.componentsPerClass < 1) {
            throw new CommandLine.ParameterException(cl, "--components-per-class must be at least 1, got "
                    + cmd.componentsPerClass);
        }
        Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
        cmd.pictures.check(cmd.data, cmd.output.modelOut);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if (!cmd.engine.isLocal()) {
            return onEngine(cmd, configuration(cmd));
        }
        String file = cmd.data.toString();
        LabelledData read = LabelledData.read(cmd.data, cmd.dataOptions, cmd.weights, cmd.labelsColumn, err, false);
        Dataset data = read.data();
        ClassLabels labels = read.labels();
        String labelName = read.columnName();
        SemiSupervisedGaussianMixture config = configuration(cmd);
        int k = cmd.components > 0 ? cmd.components : labels.classes() * cmd.componentsPerClass;
        config.checkComponents(k, labels);
        SemiSupervisedFit fit = config.fit(data, labels);
        double logLikelihood = fit.em().logLikelihood();
        if (cmd.output.modelOut != null) {
            LabelledModelFiles.write(fit.model(), cmd.output.modelOut, CliSupport.provenance(cl, cmd.dataLabel(),
                    data.rows(), data.columns(), cmd.em.seed, fit.em(), logLikelihood));
        }
        Dataset rows = data;
        // The pictures and the report name each component's class beside its number, as the summary's table does.
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--labels-column", labelName);
        options.put("--components", Integer.toString(k));
        options.put("--components-per-class", Integer.toString(cmd.componentsPerClass));
        options.put("--covariance", cmd.covariance.label());
        options.put(RegCovarOption.NAME, Format.num(cmd.regCovar.value));
        options.put("--prior", cmd.prior == null ? "none" : "default");
        cmd.pictures.writeLabelled(cmd.data, data, FitPictures.options(options, config.options()), fit.em(),
                logLikelihood, OBJECTIVE, fit.model().componentClasses(), err, cmd.output.mode.readable());
        LabelCounts counts = LabelCounts.of(labels);
        cmd.output.print(out, err, () -> toJson(fit.em(), fit.model(), data.rows(), data, data.columns(),
                        Summary.clusterSizes(fit.model().mixture(), data), data.countMissing(), counts, labelName),
                () -> summary(file, rows.rows(), rows, Summary.clusterSizes(fit.model().mixture(), rows),
                        unlabelledByClass(fit.model(), rows, labels), counts, labelName, fit.em(), fit.model(), config),
                fit.em().warnings());
        return 0;
    }

    /**
     * The EM options of every semi-supervised fit: plain EM unless {@code --accelerate} is given, because from its
     * one start plain EM follows mclust's path and SQUAREM may jump to another optimum.
     */
    private static EmOptions emOptions(FitCommand cmd) {
        EmOptions options = cmd.em.options();
        if (!cmd.spec.commandLine().getParseResult().hasMatchedOption("--accelerate")) {
            options = options.withAcceleration(Acceleration.NONE);
        }
        return options;
    }

    /** The configured fit: plain EM unless {@code --accelerate} is given, with the progress line. */
    private static SemiSupervisedGaussianMixture configuration(FitCommand cmd) {
        EmOptions options = emOptions(cmd);
        return SemiSupervisedGaussianMixture.withCovariance(cmd.covariance)
                .componentsPerClass(cmd.componentsPerClass).regCovar(cmd.regCovar.value).prior(cmd.prior)
                .options(options.withListener(cmd.pictures.listener(CliSupport.progress(cmd.spec.commandLine().getErr(),
                        cmd.output.mode.quiet, cmd.output.mode.verbose, OBJECTIVE, "change/row", 1))));
    }

    /**
     * On another engine: the classes counted where the rows are, the E-steps there with each row's class
     * ({@link SemiSupervisedGaussianMixture#distributed}), then one pass for the clustering table.
     */
    private static int onEngine(FitCommand cmd, SemiSupervisedGaussianMixture config) {
        CommandLine cl = cmd.spec.commandLine();
        String file = cmd.dataArgument();
        String column = cmd.labelsColumn.trim();
        LabelledData.refuseInColumns(cmd.dataOptions, column);
        try (ClusterEngine.Data held = cmd.engine.open(file, cmd.dataOptions)) {
            String labelName = held.columnNames().get(TextTable.columnIndex(file, held.columnNames(), column));
            // As on this machine: a numeric labels column (class codes) is not a model column; no notes.
            List<String> columns = new ArrayList<>(EngineOptions.numericColumns(held, cmd.dataOptions, file, note -> {
            }));
            columns.remove(labelName);
            if (columns.isEmpty()) {
                throw InvalidDataException.ofFile(file, "no columns to fit besides the --labels-column '" + labelName
                        + "'");
            }
            ClusterEngine.Classes classes = held.classes(labelName);
            int k = cmd.components > 0 ? cmd.components : classes.names().size() * cmd.componentsPerClass;
            config.checkComponents(k, ClassLabels.of(classes.names().toArray(new String[0])));
            EmResult<GaussianMixtureModel> em = held.fit(config.distributed(classes.names()), config.options().seed(),
                    columns, labelName, classes.names());
            LabelledGaussianMixture model = new LabelledGaussianMixture(em.params(),
                    config.componentClasses(classes.names()));
            ClusterEngine.Counts counted = held.count(em.params(), columns);
            long rows = (long) em.sampleCount();
            if (cmd.output.modelOut != null) {
                LabelledModelFiles.write(model, cmd.output.modelOut, CliSupport.provenance(cl, cmd.dataLabel(), rows,
                        columns.size(), cmd.em.seed, em, em.logLikelihood()));
            }
            LabelCounts counts = new LabelCounts(classes.names(), classes.counts(), rows);
            cmd.output.print(cl.getOut(), cl.getErr(), () -> toJson(em, model, rows, null, columns.size(),
                            counted.clusterSizes(), counted.missing(), counts, labelName),
                    () -> summary(cmd.dataLabel(), rows, null, counted.clusterSizes(), null, counts, labelName, em,
                            model, config), em.warnings());
        }
        return 0;
    }

    /**
     * What the summary and JSON say of the labels.
     *
     * @param names  the classes, in class order
     * @param counts per class its labelled rows
     * @param rows   all the rows, labelled or not
     */
    private record LabelCounts(List<String> names, long[] counts, long rows) {
        static LabelCounts of(ClassLabels labels) {
            long[] counts = new long[labels.classes()];
            for (int g = 0; g < counts.length; g++) {
                counts[g] = labels.count(g);
            }
            return new LabelCounts(labels.names(), counts, labels.rows());
        }

        long labelledRows() {
            return java.util.Arrays.stream(counts).sum();
        }
    }

    /** Per class, the unlabelled rows predicted to be of it. */
    private static long[] unlabelledByClass(LabelledGaussianMixture model, Dataset data, ClassLabels labels) {
        int[] predicted = model.predictClasses(data);
        long[] out = new long[model.classNames().size()];
        for (int i = 0; i < predicted.length; i++) {
            if (labels.classOf(i) < 0) {
                out[predicted[i]]++;
            }
        }
        return out;
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
        cmd.engine.refuse(parse, EmOptionsMixin.THREADS, "--weights-column", "--delimiter", "--plot", "--plot-trace",
                "--report");
        if (parse.hasMatchedOption("--components") && cmd.components < 1) {
            throw new CommandLine.ParameterException(cl, "--components must be at least 1, got " + cmd.components);
        }
        Outputs.checkNotAnInput(cmd.output.modelOut, "--model-out", cmd.data);
        cmd.pictures.check(cmd.data, cmd.output.modelOut);
        cmd.pictures.onlyClassification("mixture of independent columns");
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if (!cmd.engine.isLocal()) {
            return familiesOnEngine(cmd);
        }
        io.emkit.cli.FamilyData.Selection sel = io.emkit.cli.FamilyData.select(cmd.data, cmd.dataOptions,
                cmd.weights.column(), cmd.labelsColumn, cmd.family, note -> {
                    if (!cmd.output.mode.quiet) {
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
        EmOptions options = emOptions(cmd);
        int k = cmd.components > 0 ? cmd.components : labels.classes() * cmd.componentsPerClass;
        io.emkit.families.ProductMixture config = io.emkit.families.ProductMixture.withComponents(k)
                .families(sel.families()).categoryNames(sel.categories()).regVar(cmd.regCovar.value)
                .options(options.withListener(cmd.pictures.listener(CliSupport.progress(err, cmd.output.mode.quiet,
                        cmd.output.mode.verbose, OBJECTIVE, "change/row", 1))));
        io.emkit.labels.SemiSupervisedProductMixture.Fit fit;
        try {
            fit = io.emkit.labels.SemiSupervisedProductMixture.of(config).fit(data, labels, k, cmd.componentsPerClass);
        } catch (io.emkit.families.ValueOutOfSupportException e) {
            throw io.emkit.cli.FamilyData.located(e, cmd.data, table, sel.fileColumns());
        }
        var em = fit.em();
        Map<String, String> own = new LinkedHashMap<>();
        own.put("--labels-column", labelName);
        own.put("--components", Integer.toString(k));
        own.put("--components-per-class", Integer.toString(cmd.componentsPerClass));
        own.put("--family", String.join(",", cmd.family));
        own.put(RegCovarOption.NAME, Format.num(cmd.regCovar.value));
        cmd.pictures.writeLabelled(cmd.data, data, FitPictures.options(own, options), em, em.logLikelihood(), OBJECTIVE,
                fit.componentClasses(), err, cmd.output.mode.readable());
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
        }, () -> familySummary(FamilyFit.summary(cmd.dataLabel(), data.rows(), data, config, em, null),
                LabelCounts.of(labels), labelName, fit.componentClasses()), em.warnings());
        return 0;
    }

    /** {@link #runFamilies} on another engine: the classes counted there, then the fit with each row's class. */
    private static int familiesOnEngine(FitCommand cmd) {
        CommandLine cl = cmd.spec.commandLine();
        String file = cmd.dataArgument();
        try (ClusterEngine.Data held = cmd.engine.open(file, cmd.dataOptions)) {
            List<String> names = held.columnNames();
            int labelIndex = TextTable.columnIndex(file, names, cmd.labelsColumn.trim());
            String labelName = names.get(labelIndex);
            io.emkit.cli.FamilyData.Choice choice = io.emkit.cli.FamilyData.choose(file, names, held::isNumeric,
                    c -> TextTable.columnIndex(file, names, c), -1, labelIndex, cmd.dataOptions, cmd.family, note -> {
                        if (!cmd.output.mode.quiet) {
                            cl.getErr().println(note);
                        }
                    });
            List<String> columns = choice.columns().stream().map(names::get).toList();
            ClusterEngine.Classes classes = held.classes(labelName);
            int perClass = cmd.componentsPerClass;
            int k = cmd.components > 0 ? cmd.components : classes.names().size() * perClass;
            SemiSupervisedGaussianMixture.withCovariance(io.emkit.gaussian.covariance.CovarianceType.FULL)
                    .componentsPerClass(perClass).checkComponents(k, ClassLabels.of(classes.names()
                            .toArray(new String[0])));
            EmOptions options = emOptions(cmd);
            io.emkit.families.ProductMixture config = io.emkit.families.ProductMixture.withComponents(k)
                    .families(choice.families()).regVar(cmd.regCovar.value)
                    .options(options.withListener(CliSupport.progress(cl.getErr(), cmd.output.mode.quiet,
                            cmd.output.mode.verbose, "semi-supervised log-likelihood", "change/row", 1)));
            List<String> classNames = classes.names();
            var em = held.fit(config, columns, labelName, classNames,
                    c -> io.emkit.labels.SemiSupervisedProductMixture.of(c).distributed(classNames, perClass));
            List<String> componentClasses = SemiSupervisedGaussianMixture.withCovariance(
                    io.emkit.gaussian.covariance.CovarianceType.FULL).componentsPerClass(perClass)
                    .componentClasses(classNames);
            ClusterEngine.Counts counted = held.count(em.params(), columns);
            long rows = (long) em.sampleCount();
            if (cmd.output.modelOut != null) {
                LabelledModelFiles.write(em.params(), componentClasses, cmd.output.modelOut, CliSupport.provenance(cl,
                        cmd.dataLabel(), rows, columns.size(), cmd.em.seed, em, em.logLikelihood()));
            }
            cmd.output.print(cl.getOut(), cl.getErr(), () -> {
                ObjectNode o;
                try {
                    o = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                            FamilyFit.toJson(em, rows, null, counted));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                putLabels(o, classNames, java.util.Arrays.stream(classes.counts()).sum(), labelName, componentClasses);
                LabelledModelFiles.withClasses((ObjectNode) o.get("model"), componentClasses);
                return CliSupport.json(o);
            }, () -> familySummary(FamilyFit.summary(cmd.dataLabel(), rows, null, config, em, counted),
                    new LabelCounts(classNames, classes.counts(), rows), labelName, componentClasses), em.warnings());
        }
        return 0;
    }

    private static String labelsLine(LabelCounts labels, String labelName) {
        StringBuilder s = new StringBuilder();
        s.append("labels       column '").append(labelName).append("': ").append(labels.labelledRows())
                .append(" labelled rows in ").append(labels.names().size()).append(" classes (");
        for (int g = 0; g < labels.names().size(); g++) {
            s.append(g == 0 ? "" : ", ").append(labels.names().get(g)).append(' ').append(labels.counts()[g]);
        }
        return s.append("), ").append(labels.rows() - labels.labelledRows()).append(" unlabelled\n").toString();
    }

    /** A product mixture's summary told as semi-supervised EM's: the labels line, the objective, each component's class. */
    private static String familySummary(String summary, LabelCounts labels, String labelName,
                                        List<String> componentClasses) {
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
        for (int c = 0; c < componentClasses.size(); c++) {
            s.append(String.format(Locale.ROOT, "%-12d %s%n", c + 1, componentClasses.get(c)));
        }
        return s.toString();
    }

    private static String summary(String file, long rowCount, Dataset data, long[] sizes, long[] unlabelledCounts,
                                  LabelCounts labels, String labelName, EmResult<GaussianMixtureModel> em,
                                  LabelledGaussianMixture model, SemiSupervisedGaussianMixture config) {
        GaussianMixtureModel m = model.mixture();
        boolean weighted = data != null && data.isWeighted();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, rowCount, m.featureNames()))
                .append(data == null ? "" : io.emkit.cli.WeightsColumn.describe(data)).append("\n");
        s.append("labels       column '").append(labelName).append("': ").append(labels.labelledRows())
                .append(" labelled rows in ").append(labels.names().size()).append(" classes (");
        for (int g = 0; g < labels.names().size(); g++) {
            s.append(g == 0 ? "" : ", ").append(labels.names().get(g)).append(' ').append(labels.counts()[g]);
        }
        s.append("), ").append(labels.rows() - labels.labelledRows()).append(" unlabelled\n");
        s.append("model        Gaussian mixture, ").append(Format.count(m.components(), "component")).append(" (")
                .append(config.componentsPerClass()).append(" per class), ").append(m.covarianceType().label())
                .append(" covariance (mclust ").append(m.covarianceType().mclustName()).append(")\n");
        s.append("fit          semi-supervised EM, ")
                .append(em.converged() ? "converged after " + Format.count(em.iterations(), "iteration")
                        : "DID NOT CONVERGE in " + Format.count(em.iterations(), "iteration"))
                .append(" (tolerance ").append(Format.setting(config.options().tolerance()))
                .append(" on the mean semi-supervised log-likelihood); one start, from the labelled rows\n\n");
        Summary.criteria(s, em.logLikelihood(), em, weighted);
        s.append("(the semi-supervised log-likelihood: a labelled row adds the log of its class's components' weighted"
                + " density, an unlabelled row the log of the mixture's)\n");
        s.append("\ncomponent    class\n");
        for (int c = 0; c < m.components(); c++) {
            s.append(String.format(Locale.ROOT, "%-12d %s%n", c + 1, model.componentClasses().get(c)));
        }
        if (unlabelledCounts != null) {
            s.append("unlabelled rows by predicted class: ");
            for (int g = 0; g < unlabelledCounts.length; g++) {
                s.append(g == 0 ? "" : ", ").append(model.classNames().get(g)).append(' ').append(unlabelledCounts[g]);
            }
            s.append("\n");
        }
        s.append("\n");
        Summary.clusteringTable(s, sizes, -1, weighted);
        Summary.parameters(s, m, null);
        return s.toString();
    }

    private static String toJson(EmResult<GaussianMixtureModel> em, LabelledGaussianMixture model, long rows,
                                 Dataset data, int columns, long[] sizes, io.emkit.data.Rows.MissingCounts missing,
                                 LabelCounts labels, String labelName) {
        ObjectNode o = CliSupport.fitJson(em, em.logLikelihood());
        putLabels(o, labels.names(), labels.labelledRows(), labelName, model.componentClasses());
        Summary.putRowsAndModel(o, rows, data, columns, sizes, missing, LabelledModelFiles.toTree(model));
        return CliSupport.finishJson(o, em, "log_likelihood_trace", 1);
    }

    /** The JSON fields of a semi-supervised fit: its objective, the labels column and the classes of the components. */
    private static void putLabels(ObjectNode o, ClassLabels labels, String labelName, List<String> componentClasses) {
        putLabels(o, labels.names(), labels.labelledRows(), labelName, componentClasses);
    }

    private static void putLabels(ObjectNode o, List<String> classNames, long labelledRows, String labelName,
                                  List<String> componentClasses) {
        o.put("objective", "semi_supervised_log_likelihood");
        o.put("labels_column", labelName);
        o.put("labelled_rows", labelledRows);
        ArrayNode classes = o.putArray("classes");
        classNames.forEach(classes::add);
        ArrayNode perComponent = o.putArray("component_classes");
        componentClasses.forEach(perComponent::add);
    }
}
