package io.emkit.spark;

import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * Fits a {@link GaussianMixture} on a Spark {@code Dataset<Row>} with emkit's own E- and M-steps: each
 * E-step broadcasts the parameters (as their model file, which round-trips exactly), every partition
 * accumulates {@link io.emkit.gaussian.GaussianStatistics} over its rows with the single-machine kernel
 * ({@link GaussianMixture#distributed()}), and the partitions' statistics are merged along a tree whose
 * shape depends only on the number of partitions; the M-step, restarts and the convergence test are the
 * single-machine loop's ({@link io.emkit.em.ExpectationMaximization}). Where the driver holds every row (data of at
 * most {@value #DEFAULT_SAMPLE_ROWS} rows), the fit — the default search or plain runs ({@code initializations}, a
 * start given) — runs there with the same kernel and Spark evaluates its answer, the log-likelihood reported
 * ({@link io.emkit.em.ExpectationRunner#explorer()}); runs of an exact number of iterations (tolerance 0) make
 * every E-step on Spark.
 *
 * <p><b>Initialisation</b> looks at {@value #DEFAULT_SAMPLE_ROWS} rows drawn with
 * {@code takeSample(false, }{@value #DEFAULT_SAMPLE_ROWS}{@code , seed)} (without replacement, uniformly), never
 * at the whole data on the driver; data of at most that many rows are all looked at, in order, so the fit
 * starts where the single-machine fit of the same rows starts. The rows are converted to {@code double[]} once and persisted
 * ({@code MEMORY_AND_DISK}) for the iterations, and unpersisted at the end.
 *
 * <p>Given the same starting parameters, the result agrees with the single-machine fit to rounding
 * (the sums are grouped by partition instead of by block).
 *
 * <p><b>Missing values.</b> A null or {@code NaN} cell is missing: the partitions' kernel is the single-machine
 * E-step, which evaluates such a row on its observed coordinates and adds its expected statistics given them
 * (missing at random), and the initialisation fills the sample's missing cells with their column's observed mean,
 * as the single-machine fit does. A row with every value missing adds nothing.
 */
public final class SparkGaussianMixture {
    /** Rows drawn to the driver for the initialisation. */
    public static final int DEFAULT_SAMPLE_ROWS = SparkFit.SAMPLE_ROWS;

    private SparkGaussianMixture() {
    }

    /**
     * Fits the configured mixture to the chosen numeric columns of {@code data}.
     *
     * @param config  the fit's configuration (components, covariance, initialisation, EM options)
     * @param data    the rows
     * @param columns the numeric columns to fit, in order; a null (or NaN) cell is missing, and the fit uses each
     *                row's observed values, exactly as {@link GaussianMixture#fit} does with {@code NaN}
     * @return the fit, as {@link GaussianMixture#fit} would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static EmResult<GaussianMixtureModel> fit(GaussianMixture config, org.apache.spark.sql.Dataset<Row> data,
                                                     List<String> columns) {
        return SparkFit.fit(config.distributed(), SparkFit.selectNumeric(data, columns), SparkFit::numericRowWithMissing,
                columns, config.options().seed());
    }

    /**
     * Fits any mixture of numeric columns whose configuration offers a {@code distributed()} plan (a Student-t,
     * noise or factor-analyser mixture, a labelled or variational fit): the plan's E-step runs on every partition
     * and its driver loop on the driver, over the chosen columns with null or {@code NaN} cells missing, as
     * {@link #fit(GaussianMixture, org.apache.spark.sql.Dataset, List)} does for the Gaussian mixture.
     *
     * @param plan    the configured fit's distributed plan
     * @param seed    the seed of the initialisation's sample
     * @param data    the rows
     * @param columns the numeric columns to fit, in order
     * @param <P>     the fitted model
     * @return the fit, as the single-machine fit would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static <P extends io.emkit.mixture.ClusteringModel> EmResult<P> fit(
            io.emkit.em.DistributedFit<P, ?> plan, long seed, org.apache.spark.sql.Dataset<Row> data,
            List<String> columns) {
        return fit(plan, seed, data, columns, null);
    }

    /**
     * As {@link #fit(io.emkit.em.DistributedFit, long, org.apache.spark.sql.Dataset, List)}, each row weighted by
     * its cell of {@code weightsColumn} (a finite number {@code >= 0}; a row of weight w counts as w copies of it),
     * as the single-machine fit of the weighted rows.
     *
     * @param plan          the configured fit's distributed plan
     * @param seed          the seed of the initialisation's sample
     * @param data          the rows
     * @param columns       the numeric columns to fit, in order
     * @param weightsColumn the numeric column of weights (not a model column), or null for none
     * @param <P>           the fitted model
     * @return the fit, as the single-machine fit would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted or a weight is missing or not a number {@code >= 0}
     */
    public static <P extends io.emkit.mixture.ClusteringModel> EmResult<P> fit(
            io.emkit.em.DistributedFit<P, ?> plan, long seed, org.apache.spark.sql.Dataset<Row> data,
            List<String> columns, String weightsColumn) {
        try (HeldRows held = hold(data, columns, weightsColumn)) {
            return held.fit(plan, seed);
        }
    }

    /**
     * The rows' numeric columns converted, persisted and counted once, for several fits of the same rows by plans
     * ({@link HeldRows#fit}): {@code emkit classify}'s MclustDA fits each class's rows by dozens of candidates. Small
     * data (at most {@value #DEFAULT_SAMPLE_ROWS} rows) come back to the driver once, in the counting job.
     *
     * @param data          the rows
     * @param columns       the numeric columns to fit, in order, null or {@code NaN} cells missing
     * @param weightsColumn the numeric column of weights (not a model column), or null for none
     * @return the rows held until closed
     * @throws io.emkit.EmkitException if the data have no rows or a weight is missing or not a number {@code >= 0}
     */
    public static HeldRows hold(org.apache.spark.sql.Dataset<Row> data, List<String> columns, String weightsColumn) {
        if (weightsColumn == null) {
            return new HeldRows(SparkFit.hold(SparkFit.selectNumeric(data, columns), SparkFit::numericRowWithMissing,
                    columns, false), columns.size());
        }
        List<String> all = new java.util.ArrayList<>(columns);
        all.add(weightsColumn);
        int d = columns.size();
        return new HeldRows(SparkFit.hold(SparkFit.selectNumeric(data, all), r -> {
            double[] out = SparkFit.numericRowWithMissing(r);
            out[d] = SparkFit.weight(r, d, weightsColumn);
            return out;
        }, columns, true), d);
    }

    /** Rows held on the cluster (and, when small, on the driver) for several fits ({@link #hold}). */
    public static final class HeldRows implements AutoCloseable {
        private final SparkFit.Held held;
        /** How many of each held row's first values are the model columns (a class index may follow). */
        private final int features;

        private HeldRows(SparkFit.Held held, int features) {
            this.held = held;
            this.features = features;
        }

        /**
         * Fits the rows by {@code plan}, as {@link #fit(io.emkit.em.DistributedFit, long, org.apache.spark.sql.Dataset,
         * List, String)} does.
         *
         * @param plan the configured fit's distributed plan
         * @param seed the seed of the initialisation's sample
         * @param <P>  the fitted model
         * @return the fit, as the single-machine fit would return it
         * @throws io.emkit.EmkitException if the data cannot be fitted
         */
        public <P extends io.emkit.mixture.ClusteringModel> EmResult<P> fit(io.emkit.em.DistributedFit<P, ?> plan,
                                                                            long seed) {
            return held.fit(plan, seed);
        }

        /**
         * The held rows' log-likelihood under a mixture of their model columns, {@code Σ w log p(x)} (the class a
         * labelled row carries plays no part), what {@link SparkModels#logLikelihood(io.emkit.mixture.MixtureModel,
         * org.apache.spark.sql.Dataset, List, String)} gives for the same rows to rounding: where the driver holds
         * every row (small data) it adds them there in row order, as the single-machine commands do, with no job;
         * else one job over the rows already converted, the partitions' sums added in partition order.
         *
         * @param model a mixture of the columns the rows were held for, in their order
         * @return the sum and the number of rows
         * @throws io.emkit.EmkitException if the model has another number of features
         */
        public SparkModels.LogLikelihood logLikelihood(io.emkit.mixture.MixtureModel model) {
            return held.logLikelihood(model, features);
        }

        /** Releases the rows on the cluster. */
        @Override
        public void close() {
            held.close();
        }
    }

    /**
     * The classes of a labels column, as the single-machine fit names and orders them
     * ({@link io.emkit.labels.ClassLabels}): the distinct cells, trimmed, sorted by name; a null (empty, {@code NA})
     * or blank cell is an unlabelled row.
     *
     * @param data        the rows
     * @param labelColumn the column of classes (text or numbers)
     * @return the classes in class order, with how many rows have each
     * @throws io.emkit.EmkitException if the column is not in the data or no row has a class
     */
    public static Classes classes(org.apache.spark.sql.Dataset<Row> data, String labelColumn) {
        org.apache.spark.sql.Dataset<Row> cells = SparkFit.select(data, List.of(labelColumn), SparkGaussianMixture::labelText);
        java.util.TreeMap<String, Long> counts = new java.util.TreeMap<>();
        try {
            // Counted per partition and merged on the driver: no shuffle for what is a handful of classes.
            for (java.util.HashMap<String, Long> part : cells.javaRDD().mapPartitions(it -> {
                java.util.HashMap<String, Long> seen = new java.util.HashMap<>();
                it.forEachRemaining(r -> {
                    if (!r.isNullAt(0) && !r.getString(0).isEmpty()) {
                        seen.merge(r.getString(0), 1L, Long::sum);
                    }
                });
                return List.of(seen).iterator();
            }).collect()) {
                part.forEach((name, n) -> counts.merge(name, n, Long::sum));
            }
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
        if (counts.isEmpty()) {
            throw new io.emkit.EmkitException("column '" + labelColumn + "': no row has a class; semi-supervised EM"
                    + " needs at least one labelled row");
        }
        return new Classes(List.copyOf(counts.keySet()), counts.values().stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The total weight of each class's rows, as the single-machine commands sum them for the class frequencies.
     *
     * @param data          the rows
     * @param labelColumn   the column of classes
     * @param weightsColumn the numeric column of weights
     * @param classNames    the classes ({@link #classes}' names)
     * @return per class, in {@code classNames} order, its rows' weights summed (partitions in order)
     * @throws io.emkit.EmkitException for a missing weight or one not a number {@code >= 0}
     */
    public static double[] classWeights(org.apache.spark.sql.Dataset<Row> data, String labelColumn,
                                        String weightsColumn, List<String> classNames) {
        SparkFit.selectNumeric(data, List.of(weightsColumn));
        SparkFit.select(data, List.of(labelColumn), SparkGaussianMixture::labelText);
        List<String> names = new java.util.ArrayList<>(classNames);
        try {
            List<double[]> parts = data.select(labelText(labelColumn), org.apache.spark.sql.functions.col(
                    weightsColumn).cast("double")).javaRDD().mapPartitions(it -> {
                        double[] sums = new double[names.size()];
                        while (it.hasNext()) {
                            Row r = it.next();
                            double w = SparkFit.weight(r, 1, weightsColumn);
                            int g = r.isNullAt(0) ? -1 : names.indexOf(r.getString(0));
                            if (g >= 0) {
                                sums[g] += w;
                            }
                        }
                        return List.of(sums).iterator();
                    }).collect();
            double[] total = new double[names.size()];
            for (double[] part : parts) {
                for (int g = 0; g < total.length; g++) {
                    total[g] += part[g];
                }
            }
            return total;
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }

    /**
     * The classes of a labels column.
     *
     * @param names  the classes, sorted
     * @param counts per class how many rows have it
     */
    public record Classes(List<String> names, long[] counts) {
    }

    /** A labels cell as the text the single-machine reader sees, trimmed (a number as Spark writes it). */
    private static org.apache.spark.sql.Column labelText(String column) {
        return org.apache.spark.sql.functions.trim(org.apache.spark.sql.functions.col(column).cast("string"));
    }

    /**
     * Fits a mixture whose rows carry their class ({@code SemiSupervisedGaussianMixture.distributed(classNames)}):
     * each row is its numeric columns followed by its class's index into {@code classNames}, {@code NaN} for a row
     * without a class (a null, {@code NA} or blank cell), as the plan's kernel expects.
     *
     * @param plan        the configured fit's distributed plan, made for {@code classNames}
     * @param seed        the seed of the initialisation's sample
     * @param data        the rows
     * @param columns     the numeric columns to fit, in order (not the labels column)
     * @param labelColumn the column of classes
     * @param classNames  the classes ({@link #classes}' names)
     * @param <P>         the fitted model
     * @return the fit, as the single-machine fit would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static <P extends io.emkit.mixture.ClusteringModel> EmResult<P> fit(
            io.emkit.em.DistributedFit<P, ?> plan, long seed, org.apache.spark.sql.Dataset<Row> data,
            List<String> columns, String labelColumn, List<String> classNames) {
        return fit(plan, seed, data, columns, labelColumn, classNames, null);
    }

    /**
     * As {@link #fit(io.emkit.em.DistributedFit, long, org.apache.spark.sql.Dataset, List, String, List)}, each row
     * weighted by its cell of {@code weightsColumn} when one is given.
     *
     * @param plan          the configured fit's distributed plan, made for {@code classNames}
     * @param seed          the seed of the initialisation's sample
     * @param data          the rows
     * @param columns       the numeric columns to fit, in order (not the labels column)
     * @param labelColumn   the column of classes
     * @param classNames    the classes ({@link #classes}' names)
     * @param weightsColumn the numeric column of weights, or null for none
     * @param <P>           the fitted model
     * @return the fit, as the single-machine fit of the (weighted) rows would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static <P extends io.emkit.mixture.ClusteringModel> EmResult<P> fit(
            io.emkit.em.DistributedFit<P, ?> plan, long seed, org.apache.spark.sql.Dataset<Row> data,
            List<String> columns, String labelColumn, List<String> classNames, String weightsColumn) {
        try (HeldRows held = holdLabelled(data, columns, labelColumn, classNames, weightsColumn)) {
            return held.fit(plan, seed);
        }
    }

    /**
     * The rows as {@link #fit(io.emkit.em.DistributedFit, long, org.apache.spark.sql.Dataset, List, String, List,
     * String)} fits them — each its numeric columns, its class's index and its weight — held for several fits
     * ({@link HeldRows#fit}): {@code emkit classify}'s EDDA fits the same rows by a plan per structure.
     *
     * @param data          the rows
     * @param columns       the numeric columns to fit, in order (not the labels column)
     * @param labelColumn   the column of classes
     * @param classNames    the classes ({@link #classes}' names)
     * @param weightsColumn the numeric column of weights, or null for none
     * @return the rows held until closed
     * @throws io.emkit.EmkitException if a column is missing or not numeric, or the data have no rows
     */
    public static HeldRows holdLabelled(org.apache.spark.sql.Dataset<Row> data, List<String> columns,
                                       String labelColumn, List<String> classNames, String weightsColumn) {
        if (columns.contains(labelColumn)) {
            throw new io.emkit.EmkitException("the labels column '" + labelColumn + "' is not a model column");
        }
        // The checks of the columns (present, numeric), on the driver; the selection below is the one fitted.
        org.apache.spark.sql.Column[] chosen = labelledColumns(data, columns, labelColumn);
        if (weightsColumn != null) {
            SparkFit.selectNumeric(data, List.of(weightsColumn));
            chosen = java.util.Arrays.copyOf(chosen, chosen.length + 1);
            chosen[chosen.length - 1] = org.apache.spark.sql.functions.col(weightsColumn).cast("double");
        }
        List<String> names = List.copyOf(classNames);
        int d = columns.size();
        List<String> all = new java.util.ArrayList<>(columns);
        all.add(labelColumn);
        boolean weighted = weightsColumn != null;
        return new HeldRows(SparkFit.hold(data.select(chosen), r -> {
            double[] out = new double[d + (weighted ? 2 : 1)];
            if (weighted) {
                out[d + 1] = SparkFit.weight(r, d + 1, weightsColumn);
            }
            for (int j = 0; j < d; j++) {
                out[j] = r.isNullAt(j) ? Double.NaN : r.getDouble(j);
            }
            String cell = r.isNullAt(d) ? "" : r.getString(d);
            int g = cell.isEmpty() ? -1 : names.indexOf(cell);
            out[d] = g < 0 ? Double.NaN : g;
            return out;
        }, all, weighted), d);
    }

    /**
     * Each row's cell of a labels column, in the rows' order: trimmed, {@code null} for a null (empty, {@code NA}) or
     * blank cell, as {@link io.emkit.labels.ClassLabels#of} takes them. Collected on the driver: one cell per row.
     *
     * @param data        the rows
     * @param labelColumn the column of classes
     * @return one cell per row
     * @throws io.emkit.EmkitException if the column is not in the data
     */
    public static List<String> labelCells(org.apache.spark.sql.Dataset<Row> data, String labelColumn) {
        org.apache.spark.sql.Dataset<Row> cells = SparkFit.select(data, List.of(labelColumn),
                SparkGaussianMixture::labelText);
        try {
            return cells.javaRDD().map(r -> r.isNullAt(0) || r.getString(0).isEmpty() ? null : r.getString(0))
                    .collect();
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }

    /**
     * The rows of {@code data} whose group is {@code group} (or, with {@code in} false, is not), in their order: a
     * row's group is {@code groupOfRow} at its place among the rows (partitions in order). The groups travel to the
     * executors once, broadcast.
     *
     * @param data       the rows
     * @param groupOfRow per row its group
     * @param group      the group
     * @param in         whether to keep the group's rows, else every other row
     * @return the rows, with {@code data}'s schema
     * @throws io.emkit.EmkitException (when the rows are read) if the data have more rows than groups
     */
    public static org.apache.spark.sql.Dataset<Row> rows(org.apache.spark.sql.Dataset<Row> data, int[] groupOfRow,
                                                         int group, boolean in) {
        org.apache.spark.broadcast.Broadcast<int[]> groups = org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(data.sparkSession().sparkContext()).broadcast(groupOfRow);
        org.apache.spark.api.java.JavaRDD<Row> kept = data.javaRDD().zipWithIndex().filter(t -> {
            int[] g = groups.value();
            if (t._2() >= g.length) {
                throw new io.emkit.EmkitException("the data have more rows than the " + g.length + " the folds were"
                        + " dealt to (did the data change?)");
            }
            return (g[(int) (long) t._2()] == group) == in;
        }).map(scala.Tuple2::_1);
        return data.sparkSession().createDataFrame(kept, data.schema());
    }

    /**
     * Cross-validation's score of held-out rows under the classifier fitted without them: each partition's rows
     * scored by {@link io.emkit.labels.DiscriminantAnalysis#heldOutScore}, as rows in memory are, the partitions'
     * sums added in order. The classifier travels as its mixture's model file and its components' classes.
     *
     * @param model       the classifier
     * @param data        the held-out rows
     * @param columns     the classifier's features, in order
     * @param labelColumn the column of classes
     * @param classNames  the whole data's classes, sorted
     * @return the rows classified wrongly, and their Brier sum
     * @throws io.emkit.EmkitException if a row has no class or one not among {@code classNames}
     */
    public static double[] heldOutScore(io.emkit.labels.LabelledGaussianMixture model,
                                        org.apache.spark.sql.Dataset<Row> data, List<String> columns,
                                        String labelColumn, List<String> classNames) {
        org.apache.spark.sql.Column[] chosen = labelledColumns(data, columns, labelColumn);
        String mixture = io.emkit.io.ModelFiles.toJson(model.mixture());
        List<String> componentClasses = new java.util.ArrayList<>(model.componentClasses());
        List<String> names = new java.util.ArrayList<>(classNames);
        List<String> features = new java.util.ArrayList<>(columns);
        int d = columns.size();
        try {
            List<double[]> parts = data.select(chosen).javaRDD().mapPartitions(it -> {
                List<double[]> values = new java.util.ArrayList<>();
                List<Integer> truth = new java.util.ArrayList<>();
                while (it.hasNext()) {
                    Row r = it.next();
                    double[] x = new double[d];
                    for (int j = 0; j < d; j++) {
                        x[j] = r.isNullAt(j) ? Double.NaN : r.getDouble(j);
                    }
                    String cell = r.isNullAt(d) ? "" : r.getString(d);
                    int g = names.indexOf(cell);
                    if (g < 0) {
                        throw new io.emkit.EmkitException("a held-out row has " + (cell.isEmpty() ? "no class"
                                : "the class '" + cell + "', not among " + names));
                    }
                    values.add(x);
                    truth.add(g);
                }
                if (values.isEmpty()) {
                    return List.of(new double[2]).iterator();
                }
                io.emkit.labels.LabelledGaussianMixture classifier = new io.emkit.labels.LabelledGaussianMixture(
                        (GaussianMixtureModel) io.emkit.io.ModelFiles.fromJson(mixture, "classifier"),
                        componentClasses);
                io.emkit.data.Dataset rows = io.emkit.data.Dataset.of(values.toArray(new double[0][]), features);
                return List.of(io.emkit.labels.DiscriminantAnalysis.heldOutScore(classifier, rows,
                        truth.stream().mapToInt(Integer::intValue).toArray(), names, null)).iterator();
            }).collect();
            double[] total = new double[2];
            for (double[] part : parts) {
                total[0] += part[0];
                total[1] += part[1];
            }
            return total;
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }

    /**
     * Applies a fitted model to the rows of {@code data} as a Spark transformation: adds a {@code label}
     * column (the most probable component, from 0) and a {@code probability} column (the
     * responsibilities, an array of K doubles). The model travels as its model file.
     * {@link SparkModels#transform} does the same for every kind of model and adds each row's log density too.
     *
     * @param model   a fitted model (from any engine, or read from a model file)
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @return {@code data} with the two columns added
     */
    public static org.apache.spark.sql.Dataset<Row> predict(GaussianMixtureModel model,
                                                            org.apache.spark.sql.Dataset<Row> data,
                                                            List<String> columns) {
        return SparkModels.transform(model, data, columns, false);
    }

    /**
     * The model's columns as doubles, then the labels column as text, after the driver's checks of them (present,
     * numeric; the labels readable as text).
     */
    private static org.apache.spark.sql.Column[] labelledColumns(org.apache.spark.sql.Dataset<Row> data,
                                                                 List<String> columns, String labelColumn) {
        SparkFit.selectNumeric(data, columns);
        SparkFit.select(data, List.of(labelColumn), SparkGaussianMixture::labelText);
        org.apache.spark.sql.Column[] chosen = new org.apache.spark.sql.Column[columns.size() + 1];
        for (int j = 0; j < columns.size(); j++) {
            chosen[j] = org.apache.spark.sql.functions.col(columns.get(j)).cast("double");
        }
        chosen[columns.size()] = labelText(labelColumn);
        return chosen;
    }
}
