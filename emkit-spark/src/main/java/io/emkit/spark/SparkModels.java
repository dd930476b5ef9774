package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.mixture.ClusteringModel;
import io.emkit.kmeans.KMeansModel;
import io.emkit.mixture.MixtureModel;
import io.emkit.families.ProductMixtureModel;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies any fitted emkit model to a Spark {@code Dataset<Row>} as a transformation: the rows come back with
 * the model's answers added as columns, computed on the executors by the single-machine model itself.
 *
 * <ul>
 *   <li>every model: {@value #LABEL} (int, the component or cluster, from 0 — the model's {@code predict});</li>
 *   <li>mixture models (Gaussian, product, ...): {@value #PROBABILITY} (array of K doubles, the
 *       responsibilities — {@code predictProba}) and {@value #LOG_DENSITY} (double, the row's log p(x) —
 *       {@code scoreSamples});</li>
 *   <li>k-means models: {@value #DISTANCE} (double, the squared Euclidean distance to the nearest centroid,
 *       whose sum over the rows is the model's inertia).</li>
 * </ul>
 *
 * <p>The model travels to the executors as its model file ({@link ModelFiles}, JSON that round-trips exactly),
 * so a model fitted by any engine or read from a file gives on the cluster exactly what it gives on one machine.
 * The model's features are read from the given columns, numeric ones as doubles; a product mixture's
 * categorical columns may hold text or numbers, converted to the model's category codes as
 * {@link SparkProductMixture#fit} converts them. A null cell is a missing value under a Gaussian or product
 * mixture (the row is evaluated on its observed values, as the local model evaluates {@code NaN}). Data errors — a
 * null cell under k-means, a category the model does not know, a value outside its family's support — are found
 * when an action runs the transformation; they stop it with an {@link EmkitException} naming the column (the
 * cause of the exception Spark throws).
 */
public final class SparkModels {
    /** The column of labels. */
    public static final String LABEL = "label";
    /** The column of responsibilities (mixture models). */
    public static final String PROBABILITY = "probability";
    /** The column of log densities (mixture models). */
    public static final String LOG_DENSITY = "log_density";
    /** The column of squared distances to the nearest centroid (k-means models). */
    public static final String DISTANCE = "distance";

    private SparkModels() {
    }

    /**
     * Adds the model's answers to every row of {@code data}: {@value #LABEL} for every model,
     * {@value #PROBABILITY} and {@value #LOG_DENSITY} for a {@link MixtureModel}, {@value #DISTANCE} for a
     * {@link KMeansModel}. Lazy, like any Spark transformation; {@code data}'s columns and partitions are kept.
     *
     * @param model   a fitted model (from any engine, or read from a model file)
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @return {@code data} with the columns added
     * @throws EmkitException if the columns do not fit the model (count, names, types) or {@code data} already
     *                        has a column of the name of one to add
     */
    public static org.apache.spark.sql.Dataset<Row> transform(ClusteringModel model,
                                                              org.apache.spark.sql.Dataset<Row> data,
                                                              List<String> columns) {
        return transform(model, data, columns, true);
    }

    /**
     * As {@link #transform(ClusteringModel, org.apache.spark.sql.Dataset, List)}, with or without the scores.
     *
     * @param model   a fitted model
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @param score   whether to add {@value #LOG_DENSITY} (mixtures) or {@value #DISTANCE} (k-means); without,
     *                only {@value #LABEL} and, for mixtures, {@value #PROBABILITY}
     * @return {@code data} with the columns added
     */
    public static org.apache.spark.sql.Dataset<Row> transform(ClusteringModel model, org.apache.spark.sql.Dataset<Row> data,
                                                       List<String> columns, boolean score) {
        if (columns.size() != model.dimension()) {
            throw new EmkitException("the model has " + model.dimension() + " features but " + columns.size()
                    + " columns were given");
        }
        boolean mixture = model instanceof MixtureModel;
        if (!mixture && !(model instanceof KMeansModel)) {
            throw new EmkitException("cannot apply a " + model.getClass().getSimpleName() + " on Spark");
        }
        StructType input = data.schema();
        List<String> added = new ArrayList<>(List.of(LABEL));
        StructType schema = input.add(LABEL, DataTypes.IntegerType, false);
        if (mixture) {
            added.add(PROBABILITY);
            schema = schema.add(PROBABILITY, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
            if (score) {
                added.add(LOG_DENSITY);
                schema = schema.add(LOG_DENSITY, DataTypes.DoubleType, false);
            }
        } else if (score) {
            added.add(DISTANCE);
            schema = schema.add(DISTANCE, DataTypes.DoubleType, false);
        }
        List<String> existing = List.of(input.fieldNames());
        for (String a : added) {
            if (existing.contains(a)) {
                throw new EmkitException("the data already have a column '" + a + "'; rename it first");
            }
        }
        Cells cells = cellsFor(model, input, columns);
        String json = ModelFiles.toJson(model);
        List<String> names = List.copyOf(columns);
        int extra = added.size();
        return data.mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
            List<Row> in = new ArrayList<>();
            it.forEachRemaining(in::add);
            if (in.isEmpty()) {
                return new ArrayList<Row>().iterator();
            }
            ClusteringModel m = ModelFiles.fromJson(json, "broadcast model");
            int d = names.size();
            double[] values = new double[in.size() * d];
            for (int i = 0; i < in.size(); i++) {
                System.arraycopy(cells.row(in.get(i)), 0, values, i * d, d);
            }
            Dataset block = Dataset.wrap(values, in.size(), d, names);
            int[] labels = m.predict(block);
            double[][] p = null;
            double[] logDensity = null;
            double[] distance = null;
            if (m instanceof MixtureModel mm) {
                p = mm.predictProba(block);
                logDensity = score ? mm.scoreSamples(block) : null;
            } else if (score) {
                distance = squaredDistances((KMeansModel) m, values, d, labels);
            }
            List<Row> out = new ArrayList<>(in.size());
            for (int i = 0; i < in.size(); i++) {
                Row r = in.get(i);
                Object[] fields = new Object[r.size() + extra];
                for (int f = 0; f < r.size(); f++) {
                    fields[f] = r.get(f);
                }
                int f = r.size();
                fields[f++] = labels[i];
                if (p != null) {
                    fields[f++] = p[i];
                }
                if (logDensity != null) {
                    fields[f++] = logDensity[i];
                }
                if (distance != null) {
                    fields[f] = distance[i];
                }
                out.add(RowFactory.create(fields));
            }
            return out.iterator();
        }, Encoders.row(schema));
    }

    /**
     * Each row's most probable class under a mixture whose components stand for classes (a model of
     * {@code fit --labels-column} or {@code classify}), from {@link #transform}'s {@value #PROBABILITY}: per class the
     * sum of its components' responsibilities, each times its class's {@code classScale} (1 for the model's own
     * priors), added in component order; the first class on a tie. So the single-machine {@code predict} decides.
     *
     * @param probability      the {@value #PROBABILITY} column
     * @param componentClasses per component its class's name
     * @param classScale       per class (in the order classes first appear among the components) the factor of its
     *                         responsibilities
     * @return a column of class names
     */
    public static org.apache.spark.sql.Column classOf(org.apache.spark.sql.Column probability,
                                                      List<String> componentClasses, double[] classScale) {
        List<String> names = componentClasses.stream().distinct().toList();
        int[] classOfComponent = componentClasses.stream().mapToInt(names::indexOf).toArray();
        double[] scale = classScale.clone();
        org.apache.spark.sql.expressions.UserDefinedFunction best = org.apache.spark.sql.functions.udf(
                (org.apache.spark.sql.api.java.UDF1<scala.collection.Seq<Double>, String>) p -> {
                    double[] byClass = new double[names.size()];
                    for (int c = 0; c < classOfComponent.length; c++) {
                        int g = classOfComponent[c];
                        byClass[g] += p.apply(c) * scale[g];
                    }
                    int top = 0;
                    for (int g = 1; g < byClass.length; g++) {
                        top = byClass[g] > byClass[top] ? g : top;
                    }
                    return names.get(top);
                }, DataTypes.StringType);
        return best.apply(probability);
    }

    /**
     * How the rows of {@code schema} become the model's features: a product mixture's by its categories, others'
     * as numbers; a null cell is missing ({@code NaN}) for the mixtures that evaluate a row on its observed values
     * ({@link #takesMissing}, and product mixtures), and an error naming its column for the other models.
     */
    private static Cells cellsFor(ClusteringModel model, StructType schema, List<String> columns) {
        String need = "the model needs a value in every cell";
        // Mixtures of Gaussians and of independent columns evaluate a row on its observed values, as on one machine.
        return model instanceof ProductMixtureModel product
                ? SparkProductMixture.RowCodes.forModel(product, schema, columns, null)::row
                : numericCells(schema, columns, need, takesMissing(model));
    }

    /**
     * Whether the model evaluates a row on its observed values as on one machine: Gaussian and t mixtures, a
     * noise component beside Gaussian ones, mixtures of factor analysers.
     */
    private static boolean takesMissing(ClusteringModel model) {
        return model instanceof GaussianMixtureModel || model instanceof io.emkit.student.StudentMixtureModel
                || model instanceof io.emkit.noise.MixtureBesideNoise<?>
                || model instanceof io.emkit.factor.FactorAnalyserMixtureModel
                || model instanceof io.emkit.factor.StudentFactorAnalyserMixtureModel;
    }

    /**
     * What one pass over the rows counts: the rows in each component (each row in its most probable component or
     * nearest centroid, the model's {@code predict}; a noise component's rows are not counted), the missing cells
     * and the rows with every cell missing.
     *
     * @param clusterSizes the rows labelled with each component, from 0
     * @param missingCells the null (or {@code NaN}) cells among the model's features
     * @param emptyRows    the rows with every feature missing
     */
    public record Counts(long[] clusterSizes, long missingCells, long emptyRows) implements Serializable {
        Counts plus(Counts o) {
            long[] sizes = clusterSizes.clone();
            for (int c = 0; c < sizes.length; c++) {
                sizes[c] += o.clusterSizes[c];
            }
            return new Counts(sizes, missingCells + o.missingCells, emptyRows + o.emptyRows);
        }
    }

    /**
     * Counts, in one Spark job, the rows of {@code data} in each of the model's components (the model's
     * {@code predict}, as {@link #transform} labels them), and the missing cells: what the local {@code emkit fit}
     * summary shows as its clustering table and its missing values. Each partition is evaluated by the
     * single-machine model, so the counts are the local engine's on the same rows.
     *
     * @param model   a fitted model (from any engine, or read from a model file)
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @return the counts
     * @throws EmkitException if the columns do not fit the model, or (when the job runs) a cell the model cannot take
     */
    public static Counts count(ClusteringModel model, org.apache.spark.sql.Dataset<Row> data, List<String> columns) {
        if (columns.size() != model.dimension()) {
            throw new EmkitException("the model has " + model.dimension() + " features but " + columns.size()
                    + " columns were given");
        }
        Cells cells = cellsFor(model, data.schema(), columns);
        String json = ModelFiles.toJson(model);
        List<String> names = List.copyOf(columns);
        int k = model.components();
        try {
            return data.javaRDD().mapPartitions(it -> {
                List<double[]> rows = new ArrayList<>();
                it.forEachRemaining(r -> rows.add(cells.row(r)));
                long[] sizes = new long[k];
                long missing = 0;
                long empty = 0;
                if (!rows.isEmpty()) {
                    int d = names.size();
                    double[] values = new double[rows.size() * d];
                    for (int i = 0; i < rows.size(); i++) {
                        int m = 0;
                        for (int j = 0; j < d; j++) {
                            double v = rows.get(i)[j];
                            values[i * d + j] = v;
                            m += Double.isNaN(v) ? 1 : 0;
                        }
                        missing += m;
                        empty += m == d ? 1 : 0;
                    }
                    ClusteringModel fitted = ModelFiles.fromJson(json, "broadcast model");
                    for (int label : fitted.predict(Dataset.wrap(values, rows.size(), d, names))) {
                        if (label >= 0) {
                            sizes[label]++;
                        }
                    }
                }
                return List.of(new Counts(sizes, missing, empty)).iterator();
            }).reduce(Counts::plus);
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }

    /**
     * The log-likelihood of rows under a mixture: their log densities summed.
     *
     * @param total the sum of the rows' log densities
     * @param rows  how many rows
     */
    public record LogLikelihood(double total, long rows) implements Serializable {
    }

    /**
     * The log-likelihood of the rows of {@code data} under a mixture, in one Spark job: each partition sums its
     * rows' log densities ({@code scoreSamples} of the single-machine model, in row order) and the driver adds the
     * partitions' sums in partition order, so the same partitions give the same bits.
     *
     * @param model   a fitted mixture (from any engine, or read from a model file)
     * @param data    the rows
     * @param columns the model's features, in the model's order
     * @return the sum and the number of rows
     * @throws EmkitException if the columns do not fit the model, or (when the job runs) a cell the model cannot take
     */
    public static LogLikelihood logLikelihood(MixtureModel model, org.apache.spark.sql.Dataset<Row> data,
                                              List<String> columns) {
        org.apache.spark.sql.Dataset<Row> scored = transform(model, features(data, columns), columns, true);
        return sumOfLogDensities(scored.select(LOG_DENSITY), null);
    }

    /**
     * The log densities' sum ({@code Σ w log p(x)} when {@code weightsColumn} names the rows' second value, a
     * weight) and the number of rows: each partition's sum in row order, then the partitions' sums in their order,
     * so the total does not depend on which executor finished first.
     */
    private static LogLikelihood sumOfLogDensities(org.apache.spark.sql.Dataset<Row> scored, String weightsColumn) {
        try {
            List<PartitionSum> parts = scored.javaRDD().mapPartitionsWithIndex((index, it) -> {
                double sum = 0;
                long n = 0;
                while (it.hasNext()) {
                    Row r = it.next();
                    sum += weightsColumn == null ? r.getDouble(0) : SparkFit.weight(r, 1, weightsColumn) * r.getDouble(0);
                    n++;
                }
                return List.of(new PartitionSum(index, sum, n)).iterator();
            }, true).collect();
            List<PartitionSum> sorted = new ArrayList<>(parts);
            sorted.sort(java.util.Comparator.comparingInt(PartitionSum::index));
            double total = 0;
            long rows = 0;
            for (PartitionSum t : sorted) {
                total += t.sum();
                rows += t.rows();
            }
            return new LogLikelihood(total, rows);
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }

    /**
     * As {@link #logLikelihood(MixtureModel, org.apache.spark.sql.Dataset, List)}, each row's log density times its
     * weight, as the single-machine commands sum weighted rows' ({@code Σ w log p(x)}).
     *
     * @param model         a fitted mixture
     * @param data          the rows
     * @param columns       the model's features, in the model's order
     * @param weightsColumn the numeric column of weights, or null for none
     * @return the weighted sum and the number of rows
     * @throws EmkitException as the unweighted sum does, or for a missing weight or one not a number {@code >= 0}
     */
    public static LogLikelihood logLikelihood(MixtureModel model, org.apache.spark.sql.Dataset<Row> data,
                                              List<String> columns, String weightsColumn) {
        if (weightsColumn == null) {
            return logLikelihood(model, data, columns);
        }
        SparkFit.selectNumeric(data, List.of(weightsColumn));
        String weight = "emkit_row_weight";
        List<org.apache.spark.sql.Column> kept = new ArrayList<>();
        for (String c : columns) {
            kept.add(data.col("`" + c.replace("`", "``") + "`"));
        }
        kept.add(data.col("`" + weightsColumn.replace("`", "``") + "`").cast("double").as(weight));
        org.apache.spark.sql.Dataset<Row> scored = transform(model, data.select(
                kept.toArray(new org.apache.spark.sql.Column[0])), columns, true);
        return sumOfLogDensities(scored.select(org.apache.spark.sql.functions.col(LOG_DENSITY),
                org.apache.spark.sql.functions.col(weight)), weightsColumn);
    }

    /** A partition's sum. */
    private record PartitionSum(int index, double sum, long rows) implements Serializable {
    }

    /**
     * Only the model's columns of {@code data}, so that the columns a transformation adds never meet the data's
     * own (a {@code label} column among them, say).
     *
     * @param data    the rows
     * @param columns the columns to keep, in order
     * @return the rows with those columns only
     * @throws EmkitException if a column is not in the data
     */
    public static org.apache.spark.sql.Dataset<Row> features(org.apache.spark.sql.Dataset<Row> data,
                                                             List<String> columns) {
        return SparkFit.select(data, columns, c -> data.col("`" + c.replace("`", "``") + "`"));
    }

    /** Each row's squared Euclidean distance to the centroid of its label. */
    private static double[] squaredDistances(KMeansModel m, double[] values, int d, int[] labels) {
        double[][] centroids = m.centroids();
        double[] out = new double[labels.length];
        for (int i = 0; i < out.length; i++) {
            double[] c = centroids[labels[i]];
            double s = 0;
            for (int j = 0; j < d; j++) {
                double diff = values[i * d + j] - c[j];
                s += diff * diff;
            }
            out[i] = s;
        }
        return out;
    }

    /** A row's model features as numbers. */
    @FunctionalInterface
    interface Cells extends Serializable {
        /**
         * @param r a row of the data
         * @return its features, in the model's order
         */
        double[] row(Row r);
    }

    /** Reads numeric columns as doubles; a null cell is {@code NaN} if {@code missing}, else an error naming its column. */
    private static Cells numericCells(StructType schema, List<String> columns, String need, boolean missing) {
        List<String> known = List.of(schema.fieldNames());
        int[] at = new int[columns.size()];
        for (int j = 0; j < at.length; j++) {
            String c = columns.get(j);
            if (!known.contains(c)) {
                throw new EmkitException("no column '" + c + "' in the data (columns: " + String.join(", ", known) + ")");
            }
            if (!(schema.apply(c).dataType() instanceof NumericType)) {
                throw new EmkitException("column '" + c + "' is not numeric (" + schema.apply(c).dataType().simpleString()
                        + ")");
            }
            at[j] = schema.fieldIndex(c);
        }
        String[] names = columns.toArray(new String[0]);
        return r -> {
            double[] out = new double[at.length];
            for (int j = 0; j < out.length; j++) {
                Object v = r.get(at[j]);
                if (v == null && !missing) {
                    throw new EmkitException("column '" + names[j] + "': missing (null) value; " + need);
                }
                out[j] = v == null ? Double.NaN : ((Number) v).doubleValue();
            }
            return out;
        };
    }
}
