package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.DataOptions;
import io.emkit.cli.Format;
import io.emkit.cli.Outputs;
import io.emkit.cli.WeightsColumn;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.io.LabelledModelFiles;
import io.emkit.labels.ClassLabels;
import io.emkit.labels.DiscriminantAnalysis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code emkit classify}: Gaussian discriminant analysis (EDDA, {@link DiscriminantAnalysis}) from a labels column,
 * with the training confusion matrix and, with {@code --cv K}, the K-fold cross-validated error and Brier score.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a classifier from rows of known class: one Gaussian per class, the covariance structure"
                + " shared by the classes and chosen by BIC (mclust's EDDA), the class frequencies as priors.",
                "Prints every structure's BIC, the training confusion matrix and, with --cv K, the K-fold"
                + " cross-validated error and Brier score. The model file works with predict (classes)."})
public final class ClassifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The data: one row per line, comma-separated.")
    Path data;

    @Option(names = "--labels-column", required = true, paramLabel = "COL",
            description = "The column (by name or number from 1; not a model column) holding every row's class.")
    String labelsColumn;

    @Option(names = {"-k", "--components"}, paramLabel = "K",
            description = "Gaussians per class: 1 (EDDA) only for now. Default: 1.")
    int components = 1;

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

    @Option(names = "--reg-covar", paramLabel = "X", description = "Added to covariance diagonals. Default: 1e-6.")
    double regCovar = GaussianMixture.DEFAULT_REG_COVAR;

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

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (components != 1) {
            throw new CommandLine.ParameterException(cl, "--components " + components + ": only 1 Gaussian per class"
                    + " (EDDA) for now; a mixture per class (MclustDA) is not done yet");
        }
        if (cv != null && cv < 2) {
            throw new CommandLine.ParameterException(cl, "--cv must be at least 2 folds, got " + cv);
        }
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new CommandLine.ParameterException(cl, "--reg-covar must be a finite number >= 0, got " + regCovar);
        }
        if (!(tol >= 0)) {
            throw new CommandLine.ParameterException(cl, "--tol must be a number >= 0, got " + tol);
        }
        CliSupport.requireAtLeast(cl, "--max-iter", maxIter, 1);
        if (threads != null) {
            CliSupport.requireAtLeast(cl, "--threads", threads, 1);
        }
        List<CovarianceType> types = structures(cl);
        Outputs.checkNotAnInput(output.modelOut, "--model-out", data);
        PrintWriter err = cl.getErr();
        LabelledData read = LabelledData.read(data, dataOptions, weights, labelsColumn, err, true);
        Dataset rows = read.data();
        ClassLabels labels = read.labels();
        EmOptions options = EmOptions.defaults().withTolerance(tol).withMaxIterations(maxIter)
                .withAcceleration(Acceleration.NONE);
        if (threads != null) {
            options = options.withThreads(threads);
        }
        DiscriminantAnalysis analysis = DiscriminantAnalysis.edda().structures(types).regCovar(regCovar).options(options);
        int[] folds = cv == null ? null : DiscriminantAnalysis.balancedFolds(labels, cv, seed);
        DiscriminantAnalysis.Result result = analysis.fit(rows, labels);
        DiscriminantAnalysis.CrossValidation validation = folds == null ? null
                : analysis.crossValidate(rows, labels, result.chosen().type(), folds);
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
                    rows.rows(), rows.columns(), seed, result.chosen().logLikelihood(), result.chosen().bic(), null, null));
        }
        int errors = wrong;
        List<String> warnings = new ArrayList<>();
        for (DiscriminantAnalysis.Candidate c : result.candidates()) {
            if (c.failure() != null) {
                warnings.add(c.type().mclustName() + " could not be fitted: " + c.failure());
            }
        }
        output.print(cl.getOut(), err, () -> json(read, result, confusion, errors, validation),
                () -> summary(read, result, confusion, errors, validation), warnings);
        return 0;
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

    private String summary(LabelledData read, DiscriminantAnalysis.Result result, int[][] confusion, int wrong,
                           DiscriminantAnalysis.CrossValidation validation) {
        ClassLabels labels = read.labels();
        Dataset rows = read.data();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(data.toString(), rows.rows(), rows.columnNames())).append(WeightsColumn.describe(rows))
                .append("\n");
        s.append("labels       column '").append(read.columnName()).append("': ").append(labels.classes())
                .append(" classes (");
        for (int g = 0; g < labels.classes(); g++) {
            s.append(g == 0 ? "" : ", ").append(labels.names().get(g)).append(' ').append(labels.count(g));
        }
        s.append(")\n");
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
        s.append(String.format(Locale.ROOT, "training error  %.4f (%d of %d rows)%n", (double) wrong / rows.rows(), wrong,
                rows.rows()));
        if (validation != null) {
            s.append(String.format(Locale.ROOT, "%d-fold cross-validated error %.4f, Brier score %.4f (folds from seed %d)%n",
                    cv, validation.error(), validation.brier(), seed));
        }
        s.append("\nconfusion matrix (training; a row per class, a column per predicted class)\n");
        int width = 10;
        for (String name : labels.names()) {
            width = Math.max(width, name.length() + 2);
        }
        s.append(" ".repeat(width));
        for (String name : labels.names()) {
            s.append(String.format(Locale.ROOT, "%" + width + "s", name));
        }
        s.append('\n');
        for (int g = 0; g < labels.classes(); g++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", labels.names().get(g)));
            for (int p = 0; p < labels.classes(); p++) {
                s.append(String.format(Locale.ROOT, "%" + width + "d", confusion[g][p]));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private String json(LabelledData read, DiscriminantAnalysis.Result result, int[][] confusion, int wrong,
                        DiscriminantAnalysis.CrossValidation validation) {
        ClassLabels labels = read.labels();
        ObjectNode o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("method", "EDDA");
        o.put("labels_column", read.columnName());
        ArrayNode classes = o.putArray("classes");
        labels.names().forEach(classes::add);
        ArrayNode counts = o.putArray("class_counts");
        for (int g = 0; g < labels.classes(); g++) {
            counts.add(labels.count(g));
        }
        o.put("covariance", result.chosen().type().mclustName());
        o.put("log_likelihood", result.chosen().logLikelihood());
        o.put("n_parameters", result.chosen().parameters());
        o.put("bic", result.chosen().bic());
        ArrayNode all = o.putArray("results");
        for (DiscriminantAnalysis.Candidate c : result.candidates()) {
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
        o.put("n_samples", read.data().rows());
        o.put("training_error", (double) wrong / read.data().rows());
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
