package io.emkit.spark.cli;

import io.emkit.EmkitException;
import io.emkit.cli.ClusterEngine;
import io.emkit.data.HeaderMode;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import io.emkit.spark.SparkData;
import io.emkit.spark.SparkGaussianMixture;
import io.emkit.spark.SparkKMeans;
import io.emkit.spark.SparkModels;
import io.emkit.data.Rows;
import io.emkit.mixture.ClusteringModel;
import io.emkit.spark.SparkProductMixture;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;

import java.util.ArrayList;
import java.util.List;
import io.emkit.mixture.MixtureModel;
import io.emkit.noise.MixtureBesideNoise;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import java.util.function.Supplier;

/**
 * {@code emkit ... --engine spark}: the data read by Spark ({@link SparkData}: CSV or Parquet, any path Spark
 * reads) and fitted by emkit-spark. The master is {@code --master}, else the one spark-submit set, else
 * {@code local[*]}: Spark embedded in the command, no cluster needed. A session already active in the JVM is
 * used as it is (its master stays).
 */
public final class SparkEngine implements ClusterEngine {
    /** Found by {@link java.util.ServiceLoader}. */
    public SparkEngine() {
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Data open(String path, HeaderMode header, String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("emkit");
        String chosen = master != null ? master : new SparkConf().contains("spark.master") ? null : "local[*]";
        if (chosen != null) {
            builder.master(chosen);
        }
        if (chosen != null) {
            Masters.check(chosen);
        }
        if (chosen != null && chosen.startsWith("local")) {
            builder.config("spark.ui.enabled", "false");
        } else if (chosen != null) {
            // Launched by java (not spark-submit), nothing ships emkit's classes to the executors but this.
            builder.config("spark.jars", ExecutorJars.addedTo(new SparkConf().get("spark.jars", "")));
        }
        // A session already running in this JVM (emkit embedded in a Spark application) is used and left running.
        boolean ours = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark;
        try {
            spark = builder.getOrCreate();
        } catch (Exception e) {
            // Scala's SparkException (a bad master URL, ...) is checked in Java's eyes, and undeclared.
            throw new EmkitException(SparkLog.naming("--master " + chosen + ": Spark could not start: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
        try {
            return new SparkFrame(path, header, ours ? spark : null, SparkData.read(spark, path, header), null);
        } catch (RuntimeException e) {
            if (ours) {
                spark.stop();
            }
            throw e;
        }
    }

    /** Rows a frame holds for fits: EDDA's labelled rows (every row of the data, each with its class), or a class's. */
    private enum HeldKind { LABELLED, CLASS }

    /** What rows a frame holds for fits: of which kind, by which labels and classes, weights and columns. */
    private record HeldKey(HeldKind kind, String labelColumn, List<String> classes, String weights,
                           List<String> columns) {
    }

    /**
     * The data read ({@code header} as asked); {@code session} is the session to stop at the end, null when it was not
     * ours to start; {@code weights} the column weighting the rows' fits, class totals and log-likelihoods, or null;
     * {@code heldRows} the rows held for many fits (EDDA's structures, MclustDA's candidates of a class), shared with
     * the weighted views.
     * Errors in the data name the path.
     */
    private record SparkFrame(String path, HeaderMode header, SparkSession session,
                              org.apache.spark.sql.Dataset<Row> rows, String weights,
                              java.util.Map<HeldKey, SparkGaussianMixture.HeldRows> heldRows)
            implements Data {
        /** A frame holding no rows for fits yet ({@link #held} holds them, {@link #close} releases them). */
        SparkFrame(String path, HeaderMode header, SparkSession session, org.apache.spark.sql.Dataset<Row> rows,
                   String weights) {
            this(path, header, session, rows, weights, new java.util.HashMap<>());
        }

        @Override
        public Data weighted(String weightsColumn) {
            // Not ours to stop: the session is this data's, and so are the rows it holds for fits (released with it).
            return new SparkFrame(path, header, null, rows, weightsColumn, heldRows);
        }

        @Override
        public double[] classWeights(String labelColumn, List<String> classNames) {
            if (weights == null) {
                throw new EmkitException("the rows are not weighted: no --weights-column");
            }
            return located(() -> SparkGaussianMixture.classWeights(rows, labelColumn, weights, classNames));
        }

        @Override
        public double[] clusterWeights(io.emkit.kmeans.KMeansModel model, List<String> columns) {
            if (weights == null) {
                throw new EmkitException("the rows are not weighted: no --weights-column");
            }
            return located(() -> SparkKMeans.clusterWeights(model, rows, columns, weights));
        }

        @Override
        public List<String> columnNames() {
            return List.of(rows.columns());
        }

        @Override
        public boolean isNumeric(int column) {
            return rows.schema().fields()[column].dataType() instanceof NumericType;
        }

        @Override
        public EmResult<GaussianMixtureModel> fit(GaussianMixture config, List<String> columns) {
            return located(() -> SparkGaussianMixture.fit(config, rows, columns));
        }

        @Override
        public <P extends ClusteringModel> EmResult<P> fit(io.emkit.em.DistributedFit<P, ?> plan, long seed,
                                                           List<String> columns) {
            return located(() -> SparkGaussianMixture.fit(plan, seed, rows, columns, weights));
        }

        @Override
        public EmResult<ProductMixtureModel> fit(ProductMixture config, List<String> columns) {
            // Weighted data (--weights-column): each row's weight travels with it, as for the plans' fits.
            return located(() -> SparkProductMixture.fit(config, rows, columns, weights));
        }

        @Override
        public EmResult<KMeansModel> fit(KMeans config, List<String> columns) {
            // Weighted data (--weights-column): each row's weight travels with it, as for the plans' fits.
            return located(() -> SparkKMeans.fit(config, rows, columns, weights));
        }

        @Override
        public Counts count(ClusteringModel model, List<String> columns) {
            return located(() -> {
                SparkModels.Counts c = SparkModels.count(model, rows, columns);
                Rows.MissingCounts missing = new Rows.MissingCounts(c.missingCells(), Math.toIntExact(c.emptyRows()));
                if (weights == null) {
                    return new Counts(c.clusterSizes(), missing);
                }
                // A weighted fit counts weight: the rows and their total weight, in one more job.
                Row sums = rows.agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
                        org.apache.spark.sql.functions.sum(rows.col("`" + weights.replace("`", "``") + "`")
                                .cast("double"))).first();
                return new Counts(c.clusterSizes(), missing, sums.getLong(0), sums.getDouble(1));
            });
        }

        @Override
        public SequenceFit fit(io.emkit.hmm.HiddenMarkov config, String sequenceColumn, String timeColumn,
                               List<String> columns) {
            return located(() -> {
                EmResult<io.emkit.hmm.HiddenMarkovModel> fit = io.emkit.spark.SparkHiddenMarkov.fit(config, rows,
                        sequenceColumn, timeColumn, columns);
                return new SequenceFit(fit, io.emkit.spark.SparkHiddenMarkov.countSequences(rows, sequenceColumn));
            });
        }

        @Override
        public <P extends io.emkit.hmm.StateSequenceModel<?>> PlanFit<P> fit(
                io.emkit.em.DistributedFit.OverSequences<P, ?> plan, String sequenceColumn, String timeColumn,
                List<String> columns, String labelColumn, List<String> classNames) {
            return located(() -> captured(plan, sequenceColumn, timeColumn, columns, labelColumn, classNames));
        }

        private <P extends io.emkit.hmm.StateSequenceModel<?>, S extends io.emkit.em.SufficientStatistics<S>>
                PlanFit<P> captured(io.emkit.em.DistributedFit.OverSequences<P, S> plan, String sequenceColumn,
                                    String timeColumn, List<String> columns, String labelColumn,
                                    List<String> classNames) {
            io.emkit.spark.SparkHiddenMarkov.SequenceFit<P> fit = io.emkit.spark.SparkHiddenMarkov.fit(plan, rows,
                    sequenceColumn, timeColumn, columns, labelColumn, classNames);
            return new PlanFit<>(fit.fit(), fit.extent().sequences(), fit.extent().steps());
        }

        @Override
        public int longestSequence(String sequenceColumn) {
            return located(() -> io.emkit.spark.SparkHiddenMarkov.longestSequence(rows, sequenceColumn));
        }

        @Override
        public SequenceScore score(io.emkit.hmm.StateSequenceModel<?> model, String sequenceColumn, String timeColumn,
                                   List<String> columns) {
            return located(() -> {
                io.emkit.spark.SparkHiddenMarkov.LogLikelihood ll = io.emkit.spark.SparkHiddenMarkov.logLikelihood(
                        model, rows, sequenceColumn, timeColumn, columns);
                return new SequenceScore(ll.logLikelihood(), ll.sequences(), ll.steps());
            });
        }

        @Override
        public void decode(io.emkit.hmm.StateSequenceModel<?> model, String sequenceColumn, String timeColumn,
                           List<String> columns, boolean map, List<String> stateClasses, boolean posterior,
                           String out) {
            mustBeNew(out);
            located(() -> {
                SparkData.write(io.emkit.spark.SparkHiddenMarkov.decode(model, rows, sequenceColumn, timeColumn,
                        columns, map, stateClasses, posterior), out);
                return null;
            });
        }

        /** Refuses an output path that exists: Spark writes a new directory, and emkit never deletes one. */
        private void mustBeNew(String out) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(out);
            boolean exists;
            try {
                exists = p.getFileSystem(rows.sparkSession().sparkContext().hadoopConfiguration()).exists(p);
            } catch (java.io.IOException | RuntimeException e) {
                throw new EmkitException(out + ": cannot write: " + e.getMessage());
            }
            if (exists) {
                throw new EmkitException(out + ": already exists; Spark writes its output as a new directory: give a"
                        + " path that does not exist");
            }
        }

        @Override
        public void predict(ClusteringModel model, List<String> columns, boolean probabilities, boolean uncertainty,
                            String out) {
            predict(model, columns, List.of(), probabilities, uncertainty, out);
        }

        @Override
        public void predict(ClusteringModel model, List<String> columns, List<String> kept, boolean probabilities,
                            boolean uncertainty, String out) {
            mustBeNew(out);
            located(() -> {
                org.apache.spark.sql.Dataset<Row> features = SparkModels.features(rows, columns);
                List<Column> chosen = new ArrayList<>();
                if (!kept.isEmpty()) {
                    // The kept cells as the file has them: the path read again as text, beside the features, each
                    // under a name of its own (a kept column may be a feature too).
                    List<String> carried = new ArrayList<>();
                    for (int j = 0; j < kept.size(); j++) {
                        String name = "kept " + j;
                        while (columns.contains(name)) {
                            name += "_";
                        }
                        carried.add(name);
                        chosen.add(functions.col("`" + name + "`").as(kept.get(j)));
                    }
                    features = SparkData.beside(features, SparkModels.features(SparkData.readText(
                            rows.sparkSession(), path, header, columnNames()), kept), carried);
                }
                org.apache.spark.sql.Dataset<Row> labelled = SparkModels.transform(model, features, columns, false);
                chosen.add(functions.col(SparkModels.LABEL));
                Column p = functions.col(SparkModels.PROBABILITY);
                if (probabilities) {
                    int k = model.components();
                    for (int c = 0; c < k; c++) {
                        chosen.add(p.getItem(c).as("p" + c));
                    }
                    if (model instanceof MixtureBesideNoise<?>) {
                        chosen.add(p.getItem(k).as("p_noise"));
                    }
                }
                if (uncertainty) {
                    chosen.add(functions.lit(1.0).minus(functions.array_max(p)).as("uncertainty"));
                }
                SparkData.write(labelled.select(chosen.toArray(new Column[0])), out);
                return null;
            });
        }

        @Override
        public void predictClasses(MixtureModel model, List<String> componentClasses, double[] classScale,
                                   List<String> columns, boolean probabilities, boolean uncertainty, String out) {
            mustBeNew(out);
            located(() -> {
                org.apache.spark.sql.Dataset<Row> labelled = SparkModels.transform(model,
                        SparkModels.features(rows, columns), columns, false);
                Column p = functions.col(SparkModels.PROBABILITY);
                List<Column> chosen = new ArrayList<>(List.of(SparkModels.classOf(p, componentClasses, classScale)
                        .as("class")));
                if (probabilities) {
                    for (int c = 0; c < model.components(); c++) {
                        chosen.add(p.getItem(c).as("p" + c));
                    }
                }
                if (uncertainty) {
                    chosen.add(functions.lit(1.0).minus(functions.array_max(p)).as("uncertainty"));
                }
                SparkData.write(labelled.select(chosen.toArray(new Column[0])), out);
                return null;
            });
        }

        @Override
        public Classes classes(String labelColumn) {
            return located(() -> {
                SparkGaussianMixture.Classes c = SparkGaussianMixture.classes(rows, labelColumn);
                return new Classes(c.names(), c.counts());
            });
        }

        @Override
        public <P extends ClusteringModel> EmResult<P> fit(io.emkit.em.DistributedFit<P, ?> plan, long seed,
                                                           List<String> columns, String labelColumn,
                                                           List<String> classNames) {
            // The rows are held for the fits after this one: EDDA fits them by a plan per structure.
            return located(() -> held(HeldKind.LABELLED, labelColumn, classNames, columns,
                    () -> SparkGaussianMixture.holdLabelled(rows, columns, labelColumn, classNames, weights))
                    .fit(plan, seed));
        }

        @Override
        public EmResult<ProductMixtureModel> fit(ProductMixture config, List<String> columns, String labelColumn,
                                                 List<String> classNames,
                                                 java.util.function.Function<ProductMixture,
                                                         io.emkit.em.DistributedFit<ProductMixtureModel, ?>> plan) {
            return located(() -> SparkProductMixture.fit(config, rows, columns, labelColumn, classNames, plan));
        }

        @Override
        public <P extends ClusteringModel> EmResult<P> fitClass(io.emkit.em.DistributedFit<P, ?> plan, long seed,
                                                                List<String> columns, String labelColumn,
                                                                String className) {
            // A filter keeps the rows' order, so the driver's sample of a small class is its rows in order, as locally.
            // The class's rows are held for the fits after this one: MclustDA fits each class by dozens of candidates,
            // and each would otherwise plan the filter, convert and count the rows again (iris: 210 fits).
            return located(() -> held(HeldKind.CLASS, labelColumn, List.of(className), columns,
                    () -> SparkGaussianMixture.hold(rows.filter(functions.trim(rows.col(quoted(labelColumn))
                            .cast("string")).equalTo(className)), columns, weights)).fit(plan, seed));
        }

        /** The rows held for fits of one kind (with the weights in use), held by {@code hold} on the first call. */
        private SparkGaussianMixture.HeldRows held(HeldKind kind, String labelColumn, List<String> classes,
                                                   List<String> columns,
                                                   java.util.function.Supplier<SparkGaussianMixture.HeldRows> hold) {
            return heldRows.computeIfAbsent(new HeldKey(kind, labelColumn, List.copyOf(classes), weights,
                    List.copyOf(columns)), k -> hold.get());
        }

        /**
         * Rows held with every row of the data, for these columns and the weights in use: the labelled rows of EDDA's
         * fits (every row, each with its class), or null.
         */
        private SparkGaussianMixture.HeldRows heldWithEveryRow(List<String> columns) {
            for (var e : heldRows.entrySet()) {
                HeldKey k = e.getKey();
                if (k.kind() == HeldKind.LABELLED && java.util.Objects.equals(k.weights(), weights)
                        && k.columns().equals(columns)) {
                    return e.getValue();
                }
            }
            return null;
        }

        @Override
        public List<String> labelCells(String labelColumn) {
            return located(() -> SparkGaussianMixture.labelCells(rows, labelColumn));
        }

        @Override
        public Data rows(int[] groupOfRow, int group, boolean in) {
            // Not ours to stop: the session is this data's.
            return new SparkFrame(path, header, null, located(() -> SparkGaussianMixture.rows(rows, groupOfRow, group,
                    in)), weights);
        }

        @Override
        public double[] heldOutScore(io.emkit.labels.LabelledGaussianMixture model, List<String> columns,
                                     String labelColumn, List<String> classNames) {
            return located(() -> SparkGaussianMixture.heldOutScore(model, rows, columns, labelColumn, classNames));
        }

        @Override
        public long[][] confusion(MixtureModel model, List<String> componentClasses, List<String> columns,
                                  String labelColumn, List<String> classNames) {
            return located(() -> {
                double[] ones = new double[(int) componentClasses.stream().distinct().count()];
                java.util.Arrays.fill(ones, 1.0);
                // The class under a name of our own, so that a labels column called label or probability never
                // meets the columns the transformation adds.
                List<Column> kept = new ArrayList<>();
                for (String c : columns) {
                    kept.add(rows.col(quoted(c)));
                }
                kept.add(functions.trim(rows.col(quoted(labelColumn)).cast("string")).as("emkit_true_class"));
                List<Row> counted = SparkModels.transform(model, rows.select(kept.toArray(new Column[0])), columns,
                                false)
                        .select(functions.col("emkit_true_class"), SparkModels.classOf(
                                functions.col(SparkModels.PROBABILITY), componentClasses, ones).as("predicted"))
                        .groupBy("emkit_true_class", "predicted").count().collectAsList();
                long[][] out = new long[classNames.size()][classNames.size()];
                for (Row r : counted) {
                    int g = r.isNullAt(0) ? -1 : classNames.indexOf(r.getString(0));
                    if (g >= 0) {
                        out[g][classNames.indexOf(r.getString(1))] += r.getLong(2);
                    }
                }
                return out;
            });
        }

        @Override
        public Score score(MixtureModel model, List<String> columns, String perSample) {
            if (perSample != null) {
                mustBeNew(perSample);
            }
            return located(() -> {
                if (perSample != null) {
                    SparkData.write(SparkModels.transform(model, SparkModels.features(rows, columns), columns, true)
                            .select(SparkModels.LOG_DENSITY), perSample);
                }
                // EDDA scores every structure's fit over the rows its fits hold: no Spark SQL pass each time.
                SparkGaussianMixture.HeldRows every = heldWithEveryRow(columns);
                SparkModels.LogLikelihood ll = every != null ? every.logLikelihood(model)
                        : SparkModels.logLikelihood(model, rows, columns, weights);
                return new Score(ll.total(), ll.rows());
            });
        }

        private static String quoted(String column) {
            return "`" + column.replace("`", "``") + "`";
        }

        private <T> T located(Supplier<T> fit) {
            try {
                return fit.get();
            } catch (EmkitException e) {
                String message = path + ": " + e.getMessage();
                throw new EmkitException(e.getMessage().startsWith("Spark failed") ? SparkLog.naming(message) : message, e);
            }
        }

        @Override
        public void close() {
            heldRows.values().forEach(SparkGaussianMixture.HeldRows::close);
            heldRows.clear();
            if (session != null) {
                session.stop();
            }
        }
    }
}
