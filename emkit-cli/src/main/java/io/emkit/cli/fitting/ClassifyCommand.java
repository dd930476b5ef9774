package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.DataOptions;
import io.emkit.cli.EngineOptions;
import io.emkit.cli.Format;
import io.emkit.cli.WeightsColumn;
import io.emkit.data.Dataset;
import io.emkit.data.InvalidDataException;
import io.emkit.data.TextTable;
import io.emkit.em.EmResult;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.io.LabelledModelFiles;
import io.emkit.labels.ClassLabels;
import io.emkit.labels.ClassPriors;
import io.emkit.labels.DiscriminantAnalysis;
import io.emkit.labels.LabelledGaussianMixture;
import io.emkit.labels.MixtureDiscriminantAnalysis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code emkit classify}: Gaussian discriminant analysis from a labels column: by default a mixture per class
 * (MclustDA, {@link MixtureDiscriminantAnalysis}), with {@code --components 1} one Gaussian per class and a shared
 * structure (EDDA, {@link DiscriminantAnalysis}); the training confusion matrix and, with {@code --cv K}, the K-fold
 * cross-validated error and Brier score; {@code --class-priors} in place of the class frequencies.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a classifier from rows of known class. By default each class gets its own Gaussian"
                + " mixture, its number of components (1-5) and covariance structure chosen by BIC on the class's rows"
                + " (mclust's MclustDA); with --components 1, one Gaussian per class and a covariance structure shared"
                + " by the classes, chosen by BIC (mclust's EDDA). The class frequencies are the priors unless"
                + " --class-priors is given.",
                "Prints the BICs, the training confusion matrix and, with --cv K, the K-fold"
                + " cross-validated error and Brier score. The model file works with predict (classes).",
                "With --engine spark the fits (--cv's too, weighted rows too) run on Apache Spark, with the same"
                        + " answer."})
public final class ClassifyCommand extends FittingCommand {

    @Option(names = "--labels-column", required = true, paramLabel = "COL",
            description = "The column (by name or number from 1; not a model column) holding every row's class.")
    String labelsColumn;

    @Option(names = {"-k", "--components"}, paramLabel = "RANGE",
            description = "Gaussians per class, a range 1-5 or a list 1,2,4: each class's number is chosen by BIC among"
                    + " them, with its own structure (MclustDA). Exactly 1 gives EDDA: one Gaussian per class, the"
                    + " structure shared by the classes. Default: ${DEFAULT-VALUE}.")
    String componentsSpec = "1-5";

    @Option(names = "--class-priors", paramLabel = "PRIORS",
            description = "The classes' prior probabilities, in place of their frequencies in the data: name=value for"
                    + " every class (setosa=0.2,versicolor=0.3,virginica=0.5) or values in the classes' sorted order"
                    + " (0.2,0.3,0.5); divided by their sum. Used for the training error, --cv and the model file.")
    String classPriors;

    @Option(names = "--covariance", paramLabel = "TYPE,...", split = ",",
            description = "The structures to choose among: all, or any of " + FitCommand.COVARIANCE_NAMES
                    + ". Default: all.")
    List<String> covariance = new ArrayList<>(List.of("all"));

    @Option(names = "--cv", paramLabel = "K",
            description = "K-fold cross-validation (K >= 2, at most the rows of the smallest class) of the chosen"
                    + " structure: folds drawn from --seed with the classes spread evenly.")
    Integer cv;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the folds of --cv. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    RegCovarOption regCovar;

    @Option(names = "--tol", paramLabel = "X",
            description = "Tolerance of the structures whose estimate is iterative. Default: ${DEFAULT-VALUE}.")
    double tol = EmOptions.DEFAULT_TOLERANCE;

    @Option(names = "--max-iter", paramLabel = "N", description = "Most iterations per structure. Default: ${DEFAULT-VALUE}.")
    int maxIter = EmOptions.DEFAULT_MAX_ITERATIONS;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads (the result does not depend on it). Default: all cores.")
    Integer threads;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    WeightsColumn weights;

    @Mixin
    FitOutputs output;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        List<Integer> ks = SelectCommand.parseComponents(cl, componentsSpec);
        boolean edda = ks.equals(List.of(1));
        if (cv != null && cv < 2) {
            throw new CommandLine.ParameterException(cl, "--cv must be at least 2 folds, got " + cv);
        }
        regCovar.check(cl);
        if (!(tol >= 0)) {
            throw new CommandLine.ParameterException(cl, "--tol must be a number >= 0, got " + tol);
        }
        CliSupport.requireAtLeast(cl, "--max-iter", maxIter, 1);
        if (threads != null) {
            CliSupport.requireAtLeast(cl, "--threads", threads, 1);
        }
        List<CovarianceType> types = structures(cl);
        output.checkNotAnInput(data);
        engine.refuse(cl.getParseResult(), "--threads", "--delimiter");
        EmOptions options = EmOptions.defaults().withTolerance(tol).withMaxIterations(maxIter)
                .withAcceleration(Acceleration.NONE);
        if (!engine.isLocal()) {
            return onEngine(cl, ks, edda, types, options);
        }
        PrintWriter err = cl.getErr();
        LabelledData read = LabelledData.read(data, dataOptions, weights, labelsColumn, err, true);
        Dataset rows = read.data();
        ClassLabels labels = read.labels();
        if (threads != null) {
            options = options.withThreads(threads);
        }
        double[] priors = classPriors == null ? MixtureDiscriminantAnalysis.classPriors(rows, labels)
                : ClassPriors.parse(classPriors, labels.names());
        int[] folds = cv == null ? null : DiscriminantAnalysis.balancedFolds(labels, cv, seed);
        Fitted result;
        DiscriminantAnalysis.CrossValidation validation;
        if (edda) {
            DiscriminantAnalysis analysis = edda(types, options);
            DiscriminantAnalysis.Result r = analysis.fit(rows, labels);
            validation = folds == null ? null : analysis.crossValidate(rows, labels, r.chosen().type(), priors, folds);
            result = new Fitted(r.model().withClassPriors(priors), r, null, r.chosen().logLikelihood(),
                    r.chosen().parameters(), r.chosen().bic());
        } else {
            MixtureDiscriminantAnalysis analysis = mclustDA(ks, types, options);
            MixtureDiscriminantAnalysis.Result r = analysis.fit(rows, labels);
            validation = folds == null ? null : analysis.crossValidate(rows, labels,
                    r.classes().stream().map(MixtureDiscriminantAnalysis.ClassModel::chosen).toList(), priors, folds);
            result = new Fitted(r.model().withClassPriors(priors), null, r, r.logLikelihood(), r.parameters(), r.bic());
        }
        int[] predicted = result.model().predictClasses(rows);
        int[][] confusion = new int[labels.classes()][labels.classes()];
        int wrong = 0;
        for (int i = 0; i < predicted.length; i++) {
            int p = labels.names().indexOf(result.model().classNames().get(predicted[i]));
            confusion[labels.classOf(i)][p]++;
            wrong += p == labels.classOf(i) ? 0 : 1;
        }
        if (output.modelOut != null) {
            LabelledModelFiles.write(result.model(), output.modelOut, CliSupport.provenance(cl, data.toString(),
                    rows.rows(), rows.columns(), seed, result.logLikelihood(), result.bic(), null, null));
        }
        int errors = wrong;
        List<String> warnings = new ArrayList<>();
        if (result.edda() != null) {
            for (DiscriminantAnalysis.Candidate c : result.edda().candidates()) {
                if (c.failure() != null) {
                    warnings.add(c.type().mclustName() + " could not be fitted: " + c.failure());
                }
            }
        }
        DiscriminantAnalysis.CrossValidation cvResult = validation;
        long[] counts = new long[labels.classes()];
        for (int g = 0; g < counts.length; g++) {
            counts[g] = labels.count(g);
        }
        Described described = new Described(data.toString(), read.columnName(), labels.names(), counts, rows.rows(),
                rows.columnNames(), WeightsColumn.describe(rows));
        output.print(cl.getOut(), err, () -> json(described, result, confusion, errors, cvResult),
                () -> summary(described, result, confusion, errors, cvResult), warnings);
        return 0;
    }

    /**
     * {@code --engine spark}: EDDA with every structure fitted by its distributed plan (the semi-supervised fit with
     * every row labelled), MclustDA with each class's candidates fitted on its rows, the choice by BIC as in this JVM
     * ({@link DiscriminantAnalysis#choose}); the whole data's log-likelihoods and the confusion matrix counted by the
     * engine; with {@code --cv}, the folds fitted and scored there too.
     */
    private int onEngine(CommandLine cl, List<Integer> ks, boolean edda, List<CovarianceType> types, EmOptions options) {
        String file = EngineOptions.dataArgument(spec);
        String column = labelsColumn.trim();
        LabelledData.refuseInColumns(dataOptions, column);
        try (ClusterEngine.Data opened = engine.open(file, dataOptions)) {
            List<String> all = opened.columnNames();
            String labelName = all.get(TextTable.columnIndex(file, all, column));
            List<String> columns = new ArrayList<>(EngineOptions.numericColumns(opened, dataOptions, file, note -> {
            }));
            columns.remove(labelName);
            String weightName = null;
            if (weights.given()) {
                String asked = weights.column().trim();
                weights.refuseInColumns(dataOptions);
                int at = TextTable.columnIndex(file, all, asked);
                weightName = all.get(at);
                if (weightName.equals(labelName)) {
                    throw new EmkitException("--weights-column '" + asked + "' is the --labels-column; the weights"
                            + " need a column of their own");
                }
                if (!opened.isNumeric(at)) {
                    throw InvalidDataException.ofFile(file, "--weights-column '" + weightName + "' is not numeric");
                }
                columns.remove(weightName);
            }
            if (columns.isEmpty()) {
                throw InvalidDataException.ofFile(file, "no columns to fit besides the --labels-column '" + labelName
                        + "'" + (weightName == null ? "" : " and the --weights-column '" + weightName + "'"));
            }
            // Weighted, the fits, the class frequencies and the log-likelihoods weigh the rows, as locally.
            ClusterEngine.Data held = weightName == null ? opened : opened.weighted(weightName);
            ClusterEngine.Classes classes = held.classes(labelName);
            List<String> names = classes.names();
            // Per class its rows, or their total weight.
            double[] totals = weightName != null ? held.classWeights(labelName, names)
                    : java.util.Arrays.stream(classes.counts()).asDoubleStream().toArray();
            double total = 0;
            for (double t : totals) {
                total += t;
            }
            double[] frequencies = new double[names.size()];
            for (int g = 0; g < frequencies.length; g++) {
                frequencies[g] = totals[g] / total;
            }
            double[] priors = classPriors != null ? ClassPriors.parse(classPriors, names) : frequencies;
            long[] allRows = {-1};
            Fitted result = edda ? eddaOnEngine(held, types, options, columns, labelName, names, total, allRows)
                    : mclustDAOnEngine(held, ks, types, options, columns, labelName, classes, totals, frequencies,
                    total, allRows);
            // The engine fits rows without a class too; discriminant analysis refuses them, as in this JVM, once a
            // pass has counted the rows.
            if (allRows[0] != classes.labelledRows()) {
                throw InvalidDataException.ofFile(file, "column '" + labelName + "': "
                        + (allRows[0] - classes.labelledRows()) + " rows have no class: discriminant analysis needs"
                        + " a class in every row (for rows without one, fit by semi-supervised EM: emkit fit"
                        + " --labels-column)");
            }
            result = new Fitted(result.model().withClassPriors(priors), result.edda(), result.mixtures(),
                    result.logLikelihood(), result.parameters(), result.bic());
            DiscriminantAnalysis.CrossValidation validation = cv == null ? null
                    : crossValidateOnEngine(held, result, ks, types, options, columns, labelName, names, priors);
            LabelledGaussianMixture model = result.model();
            long[][] counted = held.confusion(model.mixture(), model.componentClasses(), columns, labelName, names);
            int[][] confusion = new int[names.size()][names.size()];
            int wrong = 0;
            for (int g = 0; g < names.size(); g++) {
                for (int p = 0; p < names.size(); p++) {
                    confusion[g][p] = Math.toIntExact(counted[g][p]);
                    wrong += p == g ? 0 : confusion[g][p];
                }
            }
            int rows = Math.toIntExact(classes.labelledRows());
            if (output.modelOut != null) {
                LabelledModelFiles.write(model, output.modelOut, CliSupport.provenance(cl, file, rows, columns.size(),
                        seed, result.logLikelihood(), result.bic(), null, null));
            }
            List<String> warnings = new ArrayList<>();
            if (result.edda() != null) {
                for (DiscriminantAnalysis.Candidate c : result.edda().candidates()) {
                    if (c.failure() != null) {
                        warnings.add(c.type().mclustName() + " could not be fitted: " + c.failure());
                    }
                }
            }
            Described described = new Described(file, labelName, names, classes.counts(), rows, columns,
                    weightName == null ? "" : WeightsColumn.describe(total));
            int errors = wrong;
            Fitted fitted = result;
            output.print(cl.getOut(), cl.getErr(), () -> json(described, fitted, confusion, errors, validation),
                    () -> summary(described, fitted, confusion, errors, validation), warnings);
        }
        return 0;
    }

    private DiscriminantAnalysis edda(List<CovarianceType> types, EmOptions options) {
        return DiscriminantAnalysis.edda().structures(types).regCovar(regCovar.value).options(options);
    }

    private MixtureDiscriminantAnalysis mclustDA(List<Integer> ks, List<CovarianceType> types, EmOptions options) {
        return MixtureDiscriminantAnalysis.mclustDA().components(ks).structures(types).regCovar(regCovar.value)
                .options(options);
    }

    /**
     * {@code --cv K} on the engine: the folds dealt on this machine from every row's class, as locally (the labels
     * column collected here, a cell per row); each fold's classifier fitted on the engine to the other folds' rows
     * (EDDA: the chosen structure's semi-supervised fit; MclustDA: each class's chosen mixture refitted to its rows),
     * the fold's rows scored there.
     */
    private DiscriminantAnalysis.CrossValidation crossValidateOnEngine(
            ClusterEngine.Data held, Fitted result, List<Integer> ks, List<CovarianceType> types, EmOptions options,
            List<String> columns, String labelName, List<String> names, double[] priors) {
        ClassLabels labels = ClassLabels.of(held.labelCells(labelName).toArray(new String[0]));
        int[] folds = DiscriminantAnalysis.balancedFolds(labels, cv, seed);
        return DiscriminantAnalysis.crossValidate(labels, folds, (fold, trainLabels) -> {
            try (ClusterEngine.Data train = held.rows(folds, fold, false);
                 ClusterEngine.Data test = held.rows(folds, fold, true)) {
                LabelledGaussianMixture classifier;
                if (result.edda() != null) {
                    CovarianceType type = result.edda().chosen().type();
                    EmResult<GaussianMixtureModel> em = train.fit(edda(types, options).distributed(type, names),
                            options.seed(), columns, labelName, names);
                    classifier = new LabelledGaussianMixture(em.params(), names).withClassPriors(priors);
                } else {
                    classifier = mclustDA(ks, types, options).foldClassifier(names, result.mixtures().classes()
                            .stream().map(MixtureDiscriminantAnalysis.ClassModel::chosen).toList(), columns, priors,
                            (g, config) -> train.fitClass(config.distributed(), config.options().seed(), columns,
                                    labelName, names.get(g)).params());
                }
                return test.heldOutScore(classifier, columns, labelName, names);
            }
        });
    }

    /**
     * EDDA on the engine: each structure's semi-supervised fit by its plan, every row labelled; {@code total} is the
     * rows' count or total weight.
     */
    private Fitted eddaOnEngine(ClusterEngine.Data held, List<CovarianceType> types, EmOptions options,
                                List<String> columns, String labelName, List<String> names, double total,
                                long[] allRows) {
        DiscriminantAnalysis analysis = edda(types, options);
        DiscriminantAnalysis.Result r = analysis.choose(type -> {
            EmResult<GaussianMixtureModel> em = held.fit(analysis.distributed(type, names), options.seed(),
                    columns, labelName, names);
            ClusterEngine.Score all = held.score(em.params(), columns, null);
            allRows[0] = all.rows();
            // BIC's n: the labelled rows, or their total weight, summed exactly (a weighted fit's own count is the
            // sample's beyond the rows the driver samples); every row has a class, or the command stops below.
            return new DiscriminantAnalysis.StructureFit(new LabelledGaussianMixture(em.params(), names),
                    all.logLikelihood(), em.parameterCount(), total);
        });
        return new Fitted(r.model(), r, null, r.chosen().logLikelihood(), r.chosen().parameters(), r.chosen().bic());
    }

    /** MclustDA on the engine: each class's candidates fitted by their plans on the class's rows alone. */
    private Fitted mclustDAOnEngine(ClusterEngine.Data held, List<Integer> ks, List<CovarianceType> types,
                                    EmOptions options, List<String> columns, String labelName,
                                    ClusterEngine.Classes classes, double[] totals, double[] frequencies, double total,
                                    long[] allRows) {
        MixtureDiscriminantAnalysis analysis = mclustDA(ks, types, options);
        List<String> names = classes.names();
        int[] counts = new int[names.size()];
        for (int g = 0; g < counts.length; g++) {
            counts[g] = Math.toIntExact(classes.counts()[g]);
        }
        // BIC's n: the rows, or their total weight.
        MixtureDiscriminantAnalysis.Result r = analysis.choose(names, counts, columns, frequencies,
                total, g -> analysis.selection().run(counts[g], totals[g], columns.size(),
                        config -> held.fitClass(config.distributed(), config.options().seed(), columns, labelName,
                                names.get(g))),
                mixture -> {
                    ClusterEngine.Score all = held.score(mixture, columns, null);
                    allRows[0] = all.rows();
                    return all.logLikelihood();
                });
        return new Fitted(r.model(), null, r, r.logLikelihood(), r.parameters(), r.bic());
    }

    /**
     * What the summary and JSON say of the data, wherever they were read.
     *
     * @param file         the data as named
     * @param labelsColumn the labels column's name
     * @param classNames   the classes, sorted
     * @param counts       per class its rows
     * @param rows         the rows
     * @param columns      the model's columns
     * @param weightsNote  what the summary's data line says of the weights ("" without)
     */
    private record Described(String file, String labelsColumn, List<String> classNames, long[] counts, int rows,
                             List<String> columns, String weightsNote) {
    }

    /** What either analysis gives: the classifier (with the priors in use) and the whole model's figures. */
    private record Fitted(LabelledGaussianMixture model, DiscriminantAnalysis.Result edda,
                          MixtureDiscriminantAnalysis.Result mixtures, double logLikelihood, int parameters, double bic) {
    }

    private List<CovarianceType> structures(CommandLine cl) {
        List<CovarianceType> out = new ArrayList<>();
        for (String name : covariance) {
            if (name.trim().equalsIgnoreCase("all")) {
                out.addAll(CovarianceType.all());
                continue;
            }
            try {
                out.add(CovarianceType.parse(name.trim()));
            } catch (EmkitException e) {
                throw new CommandLine.ParameterException(cl, "--covariance: " + e.getMessage());
            }
        }
        return out.stream().distinct().toList();
    }

    private String summary(Described read, Fitted result, int[][] confusion, int wrong,
                           DiscriminantAnalysis.CrossValidation validation) {
        List<String> names = read.classNames();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(read.file(), read.rows(), read.columns())).append(read.weightsNote()).append("\n");
        s.append("labels       column '").append(read.labelsColumn()).append("': ").append(names.size())
                .append(" classes (");
        for (int g = 0; g < names.size(); g++) {
            s.append(g == 0 ? "" : ", ").append(names.get(g)).append(' ').append(read.counts()[g]);
        }
        s.append(")\n");
        if (classPriors != null) {
            double[] p = result.model().classPriors();
            s.append("class priors ");
            for (int g = 0; g < p.length; g++) {
                s.append(g == 0 ? "" : ", ").append(result.model().classNames().get(g)).append(' ')
                        .append(String.format(Locale.ROOT, "%.4f", p[g]));
            }
            s.append(" (given: used for the training error, the cross-validation and the model file)\n");
        }
        if (result.edda() != null) {
            eddaTable(s, result.edda());
        } else {
            mixturesTable(s, result.mixtures(), read.columns().size());
        }
        s.append(String.format(Locale.ROOT, "training error  %.4f (%d of %d rows)%n", (double) wrong / read.rows(), wrong,
                read.rows()));
        if (validation != null) {
            s.append(String.format(Locale.ROOT, "%d-fold cross-validated error %.4f, Brier score %.4f (folds from seed %d)%n",
                    cv, validation.error(), validation.brier(), seed));
        }
        s.append("\nconfusion matrix (training; a row per class, a column per predicted class)\n");
        int width = 10;
        for (String name : names) {
            width = Math.max(width, name.length() + 2);
        }
        s.append(" ".repeat(width));
        for (String name : names) {
            s.append(String.format(Locale.ROOT, "%" + width + "s", name));
        }
        s.append('\n');
        for (int g = 0; g < names.size(); g++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", names.get(g)));
            for (int p = 0; p < names.size(); p++) {
                s.append(String.format(Locale.ROOT, "%" + width + "d", confusion[g][p]));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static void eddaTable(StringBuilder s, DiscriminantAnalysis.Result result) {
        s.append("model        EDDA: one Gaussian per class, the covariance shared by the classes, chosen by BIC: ")
                .append(result.chosen().type().mclustName()).append("\n\n");
        s.append(String.format(Locale.ROOT, "%-11s %14s %7s %12s%n", "covariance", "log-likelihood", "params", "BIC"));
        for (DiscriminantAnalysis.Candidate c : result.candidates()) {
            if (c.failure() != null) {
                s.append(String.format(Locale.ROOT, "%-11s failed%n", c.type().mclustName()));
                continue;
            }
            s.append(String.format(Locale.ROOT, "%-11s %14s %7d %12s%s%n", c.type().mclustName(),
                    Format.fixed(c.logLikelihood(), 4), c.parameters(), Format.fixed(c.bic(), 4),
                    c == result.chosen() ? "  <- chosen" : ""));
        }
        s.append("(BIC = -2 logL + p ln n, lower is better; logL is the mixture of the classes' Gaussians, weighted by"
                + " the class frequencies, over every row, as mclust's EDDA)\n\n");
    }

    private void mixturesTable(StringBuilder s, MixtureDiscriminantAnalysis.Result result, int dimension) {
        s.append("model        MclustDA: a Gaussian mixture per class, its components (").append(componentsSpec)
                .append(") and covariance structure chosen by BIC on the class's rows\n\n");
        int width = 10;
        for (MixtureDiscriminantAnalysis.ClassModel c : result.classes()) {
            width = Math.max(width, c.name().length() + 2);
        }
        s.append(String.format(Locale.ROOT, "%-" + width + "s %6s %-6s %10s %14s %7s %12s%n", "class", "rows", "model",
                "components", "log-likelihood", "params", "BIC"));
        for (MixtureDiscriminantAnalysis.ClassModel c : result.classes()) {
            io.emkit.select.Candidate m = c.chosen();
            s.append(String.format(Locale.ROOT, "%-" + width + "s %6d %-6s %10d %14s %7d %12s%n", c.name(), c.rows(),
                    Summary.modelName(m.covariance(), m.components(), dimension), m.components(),
                    Format.fixed(m.logLikelihood(), 4), m.parameterCount(), Format.fixed(m.bic(), 4)));
        }
        s.append(String.format(Locale.ROOT, "%-" + width + "s %6d %-6s %10s %14s %7d %12s%n", "all",
                result.classes().stream().mapToInt(MixtureDiscriminantAnalysis.ClassModel::rows).sum(), "", "",
                Format.fixed(result.logLikelihood(), 4), result.parameters(), Format.fixed(result.bic(), 4)));
        s.append("(each class's BIC is on its own rows; the whole model's logL is the mixture of the classes' mixtures,"
                + " weighted by the class frequencies, over every row, as mclust's MclustDA; BIC = -2 logL + p ln n,"
                + " lower is better)\n\n");
    }

    private String json(Described read, Fitted result, int[][] confusion, int wrong,
                        DiscriminantAnalysis.CrossValidation validation) {
        ObjectNode o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("method", result.edda() != null ? "EDDA" : "MclustDA");
        o.put("labels_column", read.labelsColumn());
        ArrayNode classes = o.putArray("classes");
        read.classNames().forEach(classes::add);
        ArrayNode counts = o.putArray("class_counts");
        for (long count : read.counts()) {
            counts.add(count);
        }
        ArrayNode priorNode = o.putArray("class_priors");
        for (double v : result.model().classPriors()) {
            priorNode.add(v);
        }
        o.put("log_likelihood", result.logLikelihood());
        o.put("n_parameters", result.parameters());
        o.put("bic", result.bic());
        if (result.edda() != null) {
            o.put("covariance", result.edda().chosen().type().mclustName());
            ArrayNode all = o.putArray("results");
            for (DiscriminantAnalysis.Candidate c : result.edda().candidates()) {
                ObjectNode r = all.addObject();
                r.put("covariance", c.type().mclustName());
                if (c.failure() != null) {
                    r.putNull("bic");
                    r.put("failure", c.failure());
                } else {
                    r.put("log_likelihood", c.logLikelihood());
                    r.put("n_parameters", c.parameters());
                    r.put("bic", c.bic());
                }
            }
        } else {
            ArrayNode models = o.putArray("class_models");
            for (MixtureDiscriminantAnalysis.ClassModel c : result.mixtures().classes()) {
                ObjectNode r = models.addObject();
                r.put("class", c.name());
                r.put("rows", c.rows());
                r.put("covariance", c.chosen().covariance().mclustName());
                r.put("components", c.chosen().components());
                r.put("log_likelihood", c.chosen().logLikelihood());
                r.put("n_parameters", c.chosen().parameterCount());
                r.put("bic", c.chosen().bic());
                ArrayNode cells = r.putArray("results");
                for (io.emkit.select.Candidate m : c.candidates()) {
                    ObjectNode cell = cells.addObject();
                    cell.put("covariance", m.covariance().mclustName());
                    cell.put("components", m.components());
                    if (m.succeeded()) {
                        cell.put("bic", m.bic());
                    } else {
                        cell.putNull("bic");
                        cell.put("failure", m.failure());
                    }
                }
            }
        }
        o.put("n_samples", read.rows());
        o.put("training_error", (double) wrong / read.rows());
        ArrayNode matrix = o.putArray("confusion");
        for (int[] row : confusion) {
            ArrayNode r = matrix.addArray();
            for (int v : row) {
                r.add(v);
            }
        }
        if (validation != null) {
            o.put("cv_folds", cv);
            o.put("seed", seed);
            o.put("error", validation.error());
            o.put("brier", validation.brier());
        }
        o.set("model", LabelledModelFiles.toTree(result.model()));
        return CliSupport.json(o);
    }
}
