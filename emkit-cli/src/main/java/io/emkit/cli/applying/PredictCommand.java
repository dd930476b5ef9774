package io.emkit.cli.applying;

import io.emkit.cli.DataOptions;
import io.emkit.cli.EngineOptions;
import io.emkit.cli.KeptColumns;
import io.emkit.cli.ModelInput;
import io.emkit.cli.Outputs;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.EmkitException;
import io.emkit.mixture.ClusteringModel;
import io.emkit.mixture.MixtureModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code emkit predict}: hard labels (and responsibilities) for each row under a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Assign each row of a CSV file to its most probable component (Gaussian mixture) or its"
                + " nearest centroid (k-means) under a saved model.",
                "Writes CSV: label (from 0; -1 for noise under a model fitted with --noise; for a model fitted with"
                + " --labels-column: class, the most probable class name) and, with --proba, p0..p(K-1), the"
                + " responsibilities (mixtures only; p_noise too with --noise);"
                + " with --uncertainty, uncertainty = 1 - the largest responsibility (mixtures only); with --keep, the"
                + " input columns named first."})
public final class PredictCommand extends ModelOnDataCommand {
    /** The command, with its wording of {@code --model} and {@code DATA.csv}. */
    public PredictCommand() {
        super("A model file from 'emkit fit' or 'emkit kmeans' --model-out.", "The rows to label.");
    }

    @Option(names = "--proba", description = "Also write each component's probability p0..p(K-1), and p_noise for a model fitted with --noise (not for k-means models).")
    boolean proba;

    @Option(names = "--uncertainty",
            description = "Also write each row's uncertainty, 1 - its largest responsibility (not for k-means models).")
    boolean uncertainty;

    @Option(names = "--class-priors", paramLabel = "PRIORS",
            description = "For a model with classes (fit --labels-column, classify): the classes' prior probabilities in"
                    + " place of the model's, name=value for every class or values in the classes' order; divided by"
                    + " their sum (mclust's predict(..., prop =)); for a product mixture, the class column only.")
    String classPriors;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the CSV to FILE (default: standard output). With --engine spark: a new"
            + " directory of CSV part files (a header in each, rows in order), or of Parquet files when FILE ends in .parquet.")
    Path out;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    KeptColumns kept;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        engine.refuse(spec.commandLine().getParseResult(), "--delimiter");
        Outputs.checkNotAnInput(out, "--out", model.file, data);
        ClusteringModel read0 = ModelFiles.read(model.file);
        // A mixture fitted with --labels-column names each component's class: write the most probable class.
        java.util.List<String> componentClasses = read0 instanceof MixtureModel
                ? io.emkit.io.LabelledModelFiles.readComponentClasses(model.file) : null;
        io.emkit.labels.LabelledGaussianMixture labelled = componentClasses == null
                || !(read0 instanceof io.emkit.gaussian.GaussianMixtureModel) ? null
                : new io.emkit.labels.LabelledGaussianMixture((io.emkit.gaussian.GaussianMixtureModel) read0,
                componentClasses);
        if (classPriors != null) {
            if (componentClasses == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--class-priors: " + model.file
                        + " has no classes; it needs a model from 'emkit classify' or 'emkit fit --labels-column'");
            }
            if (labelled != null) {
                labelled = labelled.withClassPriors(io.emkit.labels.ClassPriors.parse(classPriors,
                        labelled.classNames()));
            }
        }
        ClusteringModel m = labelled == null ? read0 : labelled.mixture();
        if ((proba || uncertainty) && !(m instanceof MixtureModel)) {
            throw new EmkitException(model.file + ": a k-means model gives hard labels only (it has no probabilities);"
                    + " drop " + (proba ? "--proba" : "--uncertainty") + ", or fit a Gaussian mixture with 'emkit fit'");
        }
        if (!engine.isLocal()) {
            return onEngine(m, componentClasses);
        }
        ModelInput.Read read = ModelInput.readRows(data, dataOptions, m, "predict", m instanceof MixtureModel);
        Dataset rows = read.data();
        KeptColumns.Carried carried = kept.given() ? kept.read(data, dataOptions, rows.rows(), read.lineOf()) : null;
        int k = m.components();
        // A model with a noise component labels noise rows -1 and gives their probability in one more column.
        boolean noise = m instanceof io.emkit.noise.MixtureBesideNoise<?>;
        int[] labels = m.predict(rows);
        String[] classes = null;
        if (labelled != null) {
            int[] best = labelled.predictClasses(rows);
            classes = new String[best.length];
            for (int i = 0; i < best.length; i++) {
                classes[i] = io.emkit.cli.Format.csvHeader(java.util.List.of(labelled.classNames().get(best[i])));
            }
        } else if (componentClasses != null) {
            // Another mixture with classes (a product mixture): the class whose components' responsibilities sum
            // highest.
            double[][] resp = ((MixtureModel) m).predictProba(rows);
            java.util.List<String> names = componentClasses.stream().distinct().toList();
            // With --class-priors, class g's responsibilities are scaled by its prior over its current weight.
            double[] scale = new double[names.size()];
            java.util.Arrays.fill(scale, 1.0);
            if (classPriors != null) {
                double[] priors = io.emkit.labels.ClassPriors.parse(classPriors, names);
                double[] current = new double[names.size()];
                double[] w = ((MixtureModel) m).weights();
                for (int c = 0; c < w.length; c++) {
                    current[names.indexOf(componentClasses.get(c))] += w[c];
                }
                for (int g = 0; g < scale.length; g++) {
                    scale[g] = priors[g] / current[g];
                }
            }
            classes = new String[resp.length];
            for (int i = 0; i < resp.length; i++) {
                double[] byClass = new double[names.size()];
                for (int c = 0; c < componentClasses.size(); c++) {
                    int g = names.indexOf(componentClasses.get(c));
                    byClass[g] += resp[i][c] * scale[g];
                }
                int best = 0;
                for (int g = 1; g < byClass.length; g++) {
                    best = byClass[g] > byClass[best] ? g : best;
                }
                classes[i] = io.emkit.cli.Format.csvHeader(java.util.List.of(names.get(best)));
            }
        }
        String[] classOf = classes;
        double[][] p = proba || uncertainty ? ((MixtureModel) m).predictProba(rows) : null;
        String header = KeptColumns.header(carried, written(classOf != null, noise, k));
        Outputs.write(out, spec.commandLine().getOut(), w -> {
            w.write(header);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < labels.length; i++) {
                line.setLength(0);
                if (carried != null) {
                    carried.appendCells(line, i);
                }
                if (classOf == null) {
                    line.append(labels[i]);
                } else {
                    line.append(classOf[i]);
                }
                if (proba) {
                    for (int c = 0; c < (noise ? k + 1 : k); c++) {
                        line.append(',').append(p[i][c]);
                    }
                }
                if (uncertainty) {
                    double max = 0;
                    for (double v : p[i]) {
                        max = Math.max(max, v);
                    }
                    line.append(',').append(1.0 - max);
                }
                w.write(line.append('\n').toString());
            }
        });
        return 0;
    }

    /**
     * The columns the command writes after the kept ones, in order.
     *
     * @param classes whether the model writes classes (else labels)
     * @param noise   whether the model has a noise component
     * @param k       the model's components
     */
    private java.util.List<String> written(boolean classes, boolean noise, int k) {
        java.util.List<String> written = new java.util.ArrayList<>();
        written.add(classes ? "class" : "label");
        if (proba) {
            for (int c = 0; c < k; c++) {
                written.add("p" + c);
            }
            if (noise) {
                written.add("p_noise");
            }
        }
        if (uncertainty) {
            written.add("uncertainty");
        }
        return written;
    }

    /** On another engine: the same columns, written where the engine writes (a directory of part files). */
    private int onEngine(ClusteringModel m, java.util.List<String> componentClasses) {
        if (kept.given() && componentClasses != null) {
            throw new EmkitException("--keep cannot be combined with --engine " + engineName() + " for a model of"
                    + " classes yet; drop --keep, or predict on this machine");
        }
        if (out == null) {
            throw new EmkitException("--engine " + engineName() + " writes a directory of CSV part files (or Parquet"
                    + " files for a path ending in .parquet): give it with --out DIR");
        }
        String file = EngineOptions.dataArgument(spec);
        try (io.emkit.cli.ClusterEngine.Data held = engine.open(file, dataOptions)) {
            if (componentClasses != null) {
                held.predictClasses((MixtureModel) m, componentClasses, classScale((MixtureModel) m, componentClasses),
                        EngineOptions.modelColumns(held, dataOptions, m, file), proba, uncertainty,
                        EngineOptions.typed(spec, "--out"));
                return 0;
            }
            java.util.List<String> keptNames = java.util.List.of();
            if (kept.given()) {
                // The columns as the engine reads the input (its header, or x1, x2, ... without one), as local.
                java.util.List<String> all = held.columnNames();
                keptNames = KeptColumns.chosen(file, all, kept.keep()).stream().map(all::get).toList();
                KeptColumns.checkNames(keptNames, written(false, m instanceof io.emkit.noise.MixtureBesideNoise<?>, m.components()));
            }
            held.predict(m, EngineOptions.modelColumns(held, dataOptions, m, file), keptNames, proba, uncertainty,
                    EngineOptions.typed(spec, "--out"));
        }
        return 0;
    }

    /**
     * Per class (in the order classes first appear among the components) the factor of its responsibilities, as the
     * local predict applies it: 1 for a Gaussian mixture (its weights already carry {@code --class-priors}), the
     * prior over the class's current weight for another mixture with {@code --class-priors}.
     */
    private double[] classScale(MixtureModel m, java.util.List<String> componentClasses) {
        java.util.List<String> names = componentClasses.stream().distinct().toList();
        double[] scale = new double[names.size()];
        java.util.Arrays.fill(scale, 1.0);
        if (classPriors != null && !(m instanceof io.emkit.gaussian.GaussianMixtureModel)) {
            double[] priors = io.emkit.labels.ClassPriors.parse(classPriors, names);
            double[] current = new double[names.size()];
            double[] w = m.weights();
            for (int c = 0; c < w.length; c++) {
                current[names.indexOf(componentClasses.get(c))] += w[c];
            }
            for (int g = 0; g < scale.length; g++) {
                scale[g] = priors[g] / current[g];
            }
        }
        return scale;
    }

    private String engineName() {
        return EngineOptions.typed(spec, "--engine");
    }
}
