package io.emkit.cli.fitting;

import io.emkit.cli.EngineOptions;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.DataOptions;
import io.emkit.cli.Format;
import io.emkit.cli.WeightsColumn;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.data.CsvData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.io.ModelFiles;
import io.emkit.EmkitException;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansAlgorithm;
import io.emkit.kmeans.KMeansModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** {@code emkit kmeans}: k-means (Lloyd's algorithm, hard EM) on a CSV file. */
@Command(name = "kmeans", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster the rows of a CSV file by k-means (Lloyd's algorithm: hard-assignment EM) and print"
                + " the centroids.", "Inertia is the sum of squared distances of the rows to their centroids: lower is better."})
public final class KMeansCommand extends FittingCommand {

    @Option(names = {"-k", "--components", "--clusters"}, required = true, paramLabel = "K",
            description = "Number of clusters (--clusters is the same option).")
    int clusters;

    @Mixin
    EmOptionsMixin em = new EmOptionsMixin(KMeans.DEFAULT_MAX_ITERATIONS, KMeans.DEFAULT_TOLERANCE).withoutAcceleration()
            .searchHelp(EmOptionsMixin.SEARCH_HELP + " Its starts are kmeans++ and random-points. Default: ${DEFAULT-VALUE}.")
            .nInitHelp("from k-means++ starts", "the lowest inertia")
            .maxIterHelp("Most iterations per start. Default: ${DEFAULT-VALUE}.")
            .tolHelp("Stop when the inertia changes by less than this fraction of itself. 0 runs exactly --max-iter"
                    + " iterations. Default: ${DEFAULT-VALUE}.")
            .threadsHelp("Threads for the assignment step (the result does not depend on it). Default: all cores.");

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "auto",
            description = "How each iteration finds the nearest centroids: lloyd (every distance), hamerly (one bound"
                    + " per row: few clusters, few columns), elkan (K bounds per row: many clusters), yinyang (about"
                    + " K/10 bounds per row: many clusters, many rows) or auto (hamerly where the distances run in"
                    + " SIMD lanes, else elkan from "
                    + KMeansAlgorithm.ELKAN_FROM_CLUSTERS + " clusters in " + KMeansAlgorithm.ELKAN_FROM_DIMENSION
                    + " or more columns while its bounds fit in 256 MB, else hamerly)."
                    + " All give the same centroids, bit for bit; only the time differs. Default: ${DEFAULT-VALUE}.")
    String algorithm;

    @Mixin
    MiniBatchOptions miniBatch = new MiniBatchOptions().withoutStepExponent()
            .miniBatchHelp("Mini-batch k-means (Sculley 2010) for data too large to go over many times: batches of B"
                    + " rows, each centroid the mean of every row assigned to it so far; --max-iter and --tol do not"
                    + " apply. Approximate; one start unless --n-init. Default: full iterations.");

    @Mixin
    DataOptions dataOptions;

    @Mixin
    WeightsColumn weights;

    @Mixin
    EngineOptions engine;

    @Mixin
    FitOutputs output;

    // Pictures and report (--plot, --plot-trace, --report, --width, --height): see FitPictures.
    @Mixin
    FitPictures pictures;

    @Override
    public Integer call() {
        validate();
        engine.refuse(spec.commandLine().getParseResult(), EmOptionsMixin.THREADS, "--plot", "--plot-trace",
                "--report", "--algorithm", "--mini-batch", "--passes", "--shuffle", "--delimiter");
        output.checkNotAnInput(data);
        pictures.check(data, output.modelOut);
        pictures.onlyClassification("k-means");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LongAdder distances = output.mode.verbose ? new LongAdder() : null;
        FitStatus status = FitStatus.of(err, output.mode.quiet, output.mode.verbose, "inertia", "relative change", -1);
        KMeans config = KMeans.withClusters(clusters)
                .options(em.options())
                .algorithm(KMeansAlgorithm.parse(algorithm))
                .miniBatch(miniBatch.schedule())
                .distanceCounter(distances)
                .listener(pictures.listener(status));
        EmResult<KMeansModel> fit;
        long[] sizes;
        // Weighted rows: each cluster's total weight, and all the rows' (null, NaN unweighted).
        double[] clusterWeights = null;
        double totalWeight = Double.NaN;
        Dataset dataset = null;
        String label = data.toString();
        if (engine.isLocal()) {
            try (FitStatus.Reading reading = status.reading(data.toString(), dataOptions)) {
                dataset = weights.read(data, dataOptions, output.mode.quiet, reading.notes(), false);
                reading.rows(dataset.rows());
            }
            status.seeding(FitStatus.runs(config.options()));
            try {
                fit = config.fit(dataset);
            } finally {
                status.done();
            }
            sizes = clusterSizes(fit.params(), dataset);
            if (dataset.isWeighted()) {
                clusterWeights = clusterWeights(fit.params(), dataset);
                totalWeight = dataset.totalWeight();
            }
            if (distances != null) {
                err.println("k-means: " + (miniBatch.given() ? "mini-batch" : config.algorithm().resolve(dataset.rows(),
                        clusters, dataset.columns())) + ", " + distances.sum() + " distances computed");
            }
        } else {
            label = EngineOptions.dataArgument(spec);
            try (ClusterEngine.Data opened = engine.open(label, dataOptions)) {
                List<String> columns = new java.util.ArrayList<>(EngineOptions.numericColumns(opened, dataOptions,
                        label, note -> {
                            if (!output.mode.quiet) {
                                err.println(note);
                            }
                        }));
                String weightName = EngineFit.weightsColumn(weights, dataOptions, label, opened, columns);
                // Weighted, each row's weight travels with it to the kernels and the seeding sample, as locally.
                ClusterEngine.Data held = weightName == null ? opened : opened.weighted(weightName);
                fit = held.fit(config, columns);
                ClusterEngine.Counts counted = held.count(fit.params(), columns);
                sizes = counted.clusterSizes();
                if (weightName != null) {
                    clusterWeights = held.clusterWeights(fit.params(), columns);
                    totalWeight = counted.totalWeight();
                }
            }
        }
        // Rows, not the total weight the fit counts as its sample size.
        long rows = java.util.Arrays.stream(sizes).sum();
        Dataset local = dataset;
        if (output.modelOut != null) {
            // k-means has no likelihood: no log-likelihood nor BIC to record.
            ModelFiles.write(fit.params(), output.modelOut, CliSupport.provenance(spec.commandLine(), data.toString(),
                    rows, fit.params().dimension(), em.seed, Double.NaN, Double.NaN, fit.converged(), fit.iterations()));
        }
        if (dataset != null) {
            pictures.write(data, dataset, FitPictures.options(java.util.Map.of("--components", Integer.toString(clusters)),
                    config.options()), config.options(), fit, err, output.mode.readable());
        }
        EmResult<KMeansModel> result = fit;
        long[] counts = sizes;
        String source = label;
        double[] weighed = clusterWeights;
        double total = totalWeight;
        output.print(out, err, () -> toJson(result, rows, counts, weighed, total),
                () -> summary(source, rows, config, result, counts, weighed, total), fit.warnings());
        return 0;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        CliSupport.requireAtLeast(cl, "--components", clusters, 1);
        em.check(cl);
        try {
            KMeansAlgorithm.parse(algorithm);
        } catch (EmkitException e) {
            throw new CommandLine.ParameterException(cl, "--algorithm: " + e.getMessage());
        }
        if (!miniBatch.given()) {
            miniBatch.checkNotAlone(cl);
            return;
        }
        miniBatch.checkValues(cl);
        if (weights.given()) {
            throw new CommandLine.ParameterException(cl, "--mini-batch does not take --weights-column");
        }
    }

    /** How many rows each cluster holds under the fitted centroids. */
    static long[] clusterSizes(KMeansModel model, Dataset data) {
        return Summary.clusterSizes(model, data);
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

    static String toJson(EmResult<KMeansModel> fit, long rows, long[] sizes, double[] clusterWeights,
                         double totalWeight) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("inertia", -fit.logLikelihood());
        o.put("n_iter", fit.iterations());
        o.put("converged", fit.converged());
        CliSupport.putSearch(o, fit);
        o.put("n_samples", rows);
        o.put("n_features", fit.params().dimension());
        ArrayNode centroids = o.putArray("centroids");
        for (double[] c : fit.params().centroids()) {
            ArrayNode row = centroids.addArray();
            for (double v : c) {
                row.add(v);
            }
        }
        ArrayNode size = o.putArray("cluster_sizes");
        for (long s : sizes) {
            size.add(s);
        }
        if (clusterWeights != null) {
            o.put("total_weight", totalWeight);
            ArrayNode weight = o.putArray("cluster_weights");
            for (double w : clusterWeights) {
                weight.add(w);
            }
        }
        o.set("model", ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "inertia_trace", -1);
    }

    /**
     * The readable summary; {@code clusterWeights} is each cluster's total weight for weighted rows, else null
     * (and {@code totalWeight} NaN).
     */
    static String summary(String file, long rows, KMeans config, EmResult<KMeansModel> fit, long[] sizes,
                          double[] clusterWeights, double totalWeight) {
        KMeansModel m = fit.params();
        List<String> names = m.featureNames();
        StringBuilder s = new StringBuilder();
        s.append(Summary.dataLine(file, rows, names)).append(clusterWeights == null ? ""
                        : WeightsColumn.describe(totalWeight)).append("\n");
        s.append("model        k-means, ").append(Format.count(m.components(), "cluster")).append('\n');
        s.append("fit          ");
        double tolerance = config.options().tolerance();
        if (fit.converged()) {
            s.append("converged after ").append(fit.iterations()).append(" iteration").append(fit.iterations() == 1 ? "" : "s");
        } else if (tolerance == 0) {
            s.append("ran ").append(fit.iterations()).append(" iterations (tolerance 0)");
        } else {
            s.append("DID NOT CONVERGE in ").append(Format.count(fit.iterations(), "iteration"));
        }
        s.append(" (tolerance ").append(Format.setting(tolerance)).append(" on the relative change of the inertia)");
        s.append("; ").append(CliSupport.runsText(fit, config.options()))
                .append(fit.search() == null ? " (kmeans++, " : " (").append("seed ").append(config.options().seed())
                .append(")\n\n");
        double inertia = -fit.logLikelihood();
        boolean weighted = clusterWeights != null;
        s.append("inertia      ").append(Format.amount(inertia)).append("   (sum of squared distances to the centroids,"
                + " lower is better; per ").append(weighted ? "unit of weight " : "row ")
                .append(Format.num(inertia / (weighted ? totalWeight : rows))).append(")\n\n");

        int width = 12;
        for (String n : names) {
            width = Math.max(width, n.length() + 2);
        }
        double[] weights = clusterWeights;
        s.append(Format.pad("cluster", 9)).append(Format.padLeft("size", 8));
        if (weights != null) {
            s.append(Format.padLeft("weight", 12));
        }
        for (String n : names) {
            s.append(Format.padLeft(n, width + 2));
        }
        s.append('\n');
        for (int c = 0; c < m.components(); c++) {
            s.append(Format.pad(Integer.toString(c + 1), 9)).append(Format.padLeft(Long.toString(sizes[c]), 8));
            if (weights != null) {
                s.append(Format.padLeft(Format.amount(weights[c]), 12));
            }
            for (double v : m.centroid(c)) {
                s.append(Format.padLeft(Format.num(v), width + 2));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
