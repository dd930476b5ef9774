package io.emkit.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.data.CsvData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.KMeans;
import io.emkit.mixture.KMeansModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code emkit kmeans}: k-means (Lloyd's algorithm, hard EM) on a CSV file. */
@Command(name = "kmeans", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster the rows of a CSV file by k-means (Lloyd's algorithm: hard-assignment EM) and print",
                "the centroids. Inertia is the sum of squared distances of the rows to their centroids: lower is better."})
final class KMeansCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The data: one row per line, comma-separated.")
    Path data;

    @Option(names = {"-k", "--clusters"}, required = true, paramLabel = "K", description = "Number of clusters.")
    int clusters;

    @Option(names = "--n-init", paramLabel = "N",
            description = "Number of k-means++ starts; the lowest inertia wins. Default: 1.")
    int nInit = 1;

    @Option(names = "--max-iter", paramLabel = "N", description = "Most iterations per start. Default: 300.")
    int maxIter = KMeans.DEFAULT_MAX_ITERATIONS;

    @Option(names = "--tol", paramLabel = "X",
            description = "Stop when the inertia changes by less than this fraction of itself. 0 runs exactly --max-iter iterations. Default: 0.0001.")
    double tol = KMeans.DEFAULT_TOLERANCE;

    @Option(names = "--seed", paramLabel = "N", description = "Seed deciding every random choice. Default: 0.")
    long seed = 0;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the assignment step (the result does not depend on it). Default: all cores.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    DataOptions dataOptions;

    @Mixin
    WeightsColumn weights;

    @Option(names = "--model-out", paramLabel = "FILE", description = "Save the fitted model (JSON) to FILE.")
    Path modelOut;

    @Option(names = "--json", description = "Print one JSON object instead of the readable summary.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (and the JSON with --json).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print a line per iteration on standard error.")
    boolean verbose;

    @Override
    public Integer call() {
        validate();
        Outputs.checkNotAnInput(modelOut, "--model-out", data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Dataset dataset = weights.read(data, dataOptions, quiet, err, false);
        KMeans config = KMeans.withClusters(clusters)
                .initializations(nInit)
                .maxIterations(maxIter)
                .tolerance(tol)
                .seed(seed)
                .threads(threads)
                .listener(CliSupport.progress(err, quiet, verbose, "inertia", "relative change", -1));
        EmResult<KMeansModel> fit = config.fit(dataset);
        int[] sizes = clusterSizes(fit.params(), dataset);
        if (modelOut != null) {
            ModelFiles.write(fit.params(), modelOut);
        }
        if (json) {
            Outputs.write(null, out, w -> w.write(toJson(fit, dataset, sizes) + "\n"));
        } else if (!quiet) {
            out.print(summary(data.toString(), dataset, config, fit, sizes));
            out.flush();
        }
        if (!quiet) {
            for (String w : fit.warnings()) {
                err.println("warning: " + w);
            }
            if (modelOut != null && !json) {
                err.println("model saved to " + modelOut);
            }
        }
        return 0;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (clusters < 1) {
            throw new CommandLine.ParameterException(cl, "--clusters must be at least 1, got " + clusters);
        }
        CliSupport.requireEmOptions(cl, nInit, maxIter, tol, threads);
    }

    /** How many rows each cluster holds under the fitted centroids. */
    static int[] clusterSizes(KMeansModel model, Dataset data) {
        int[] sizes = new int[model.components()];
        for (int label : model.predict(data)) {
            sizes[label]++;
        }
        return sizes;
    }

    /** The total weight of the rows each cluster holds under the fitted centroids. */
    static double[] clusterWeights(KMeansModel model, Dataset data) {
        double[] weights = new double[model.components()];
        int[] labels = model.predict(data);
        for (int i = 0; i < labels.length; i++) {
            weights[labels[i]] += data.weight(i);
        }
        return weights;
    }

    static String toJson(EmResult<KMeansModel> fit, Dataset dataset, int[] sizes) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("inertia", -fit.logLikelihood());
        o.put("n_iter", fit.iterations());
        o.put("converged", fit.converged());
        o.put("n_samples", dataset.rows());
        o.put("n_features", dataset.columns());
        ArrayNode centroids = o.putArray("centroids");
        for (double[] c : fit.params().centroids()) {
            ArrayNode row = centroids.addArray();
            for (double v : c) {
                row.add(v);
            }
        }
        ArrayNode size = o.putArray("cluster_sizes");
        for (int s : sizes) {
            size.add(s);
        }
        if (dataset.isWeighted()) {
            o.put("total_weight", dataset.totalWeight());
            ArrayNode weight = o.putArray("cluster_weights");
            for (double w : clusterWeights(fit.params(), dataset)) {
                weight.add(w);
            }
        }
        o.set("model", ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "inertia_trace", -1);
    }

    static String summary(String file, Dataset data, KMeans config, EmResult<KMeansModel> fit, int[] sizes) {
        KMeansModel m = fit.params();
        List<String> names = m.featureNames();
        StringBuilder s = new StringBuilder();
        s.append("data         ").append(file).append(": ").append(data.rows()).append(" rows, ")
                .append(data.columns()).append(" columns (").append(String.join(", ", names)).append(")")
                .append(WeightsColumn.describe(data)).append("\n");
        s.append("model        k-means, ").append(m.components()).append(" cluster")
                .append(m.components() == 1 ? "" : "s").append('\n');
        s.append("fit          ");
        double tolerance = config.options().tolerance();
        if (fit.converged()) {
            s.append("converged after ").append(fit.iterations()).append(" iteration").append(fit.iterations() == 1 ? "" : "s");
        } else if (tolerance == 0) {
            s.append("ran ").append(fit.iterations()).append(" iterations (tolerance 0)");
        } else {
            s.append("DID NOT CONVERGE in ").append(fit.iterations()).append(" iterations");
        }
        s.append(" (tolerance ").append(Format.num(tolerance)).append(" on the relative change of the inertia)");
        int nInit = config.options().initializations();
        s.append("; best of ").append(nInit).append(" initialisation").append(nInit == 1 ? "" : "s")
                .append(" (kmeans++, seed ").append(config.options().seed()).append(")\n\n");
        double inertia = -fit.logLikelihood();
        s.append("inertia      ").append(Format.num(inertia)).append("   (sum of squared distances to the centroids,"
                + " lower is better; per ").append(data.isWeighted() ? "unit of weight " : "row ")
                .append(Format.num(inertia / data.totalWeight())).append(")\n\n");

        int width = 12;
        for (String n : names) {
            width = Math.max(width, n.length() + 2);
        }
        double[] weights = data.isWeighted() ? clusterWeights(m, data) : null;
        s.append(Format.pad("cluster", 9)).append(Format.padLeft("size", 8));
        if (weights != null) {
            s.append(Format.padLeft("weight", 12));
        }
        for (String n : names) {
            s.append(Format.padLeft(n, width + 2));
        }
        s.append('\n');
        for (int c = 0; c < m.components(); c++) {
            s.append(Format.pad(Integer.toString(c + 1), 9)).append(Format.padLeft(Integer.toString(sizes[c]), 8));
            if (weights != null) {
                s.append(Format.padLeft(Format.num(weights[c]), 12));
            }
            for (double v : m.centroid(c)) {
                s.append(Format.padLeft(Format.num(v), width + 2));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
