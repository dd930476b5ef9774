package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;
import io.emkit.em.SufficientStatistics;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.mixture.MixtureModel;
import io.emkit.em.DistributedFit;
import io.emkit.em.PartitionSteps;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one Spark engine behind every model: rows converted to {@code double[]} once and persisted as a block per
 * partition ({@link PartitionRows}), the parameters sent as their model file in each E-step ({@link ModelText}), each
 * partition accumulated by the model's {@link PartitionSteps} (the single-machine kernel), and the partitions'
 * statistics merged along a tree
 * whose shape depends only on the number of partitions (so a fit on the same partitioning is reproducible
 * bit for bit, whatever order the tasks finish in).
 */
final class SparkFit {
    /** Rows drawn to the driver for the initialisation. */
    static final int SAMPLE_ROWS = 100_000;
    /** Partial statistics merged per tree node; up to this many are merged on the driver. */
    private static final int FAN_IN = 16;

    private SparkFit() {
    }

    /** {@link #fit(DistributedFit, org.apache.spark.sql.Dataset, Function, List, long, boolean)}, unweighted. */
    static <P extends ClusteringModel> EmResult<P> fit(
            DistributedFit<P, ?> plan, org.apache.spark.sql.Dataset<Row> selected, Function<Row, double[]> convert,
            List<String> names, long seed) {
        return fit(plan, selected, convert, names, seed, false);
    }

    /**
     * Runs {@code plan} over the rows of {@code selected}, each turned into a {@code double[]} by {@code convert}.
     *
     * @param names    the features' names, in order
     * @param seed     the seed of the initialisation's sample
     * @param weighted whether each converted row ends with its weight (after the features): the sample and every
     *                 partition's block are then weighted; a partition whose weights are all 0 adds nothing
     */
    static <P extends ClusteringModel> EmResult<P> fit(
            DistributedFit<P, ?> plan, org.apache.spark.sql.Dataset<Row> selected, Function<Row, double[]> convert,
            List<String> names, long seed, boolean weighted) {
        try (Held held = hold(selected, convert, names, weighted)) {
            return held.fit(plan, seed);
        }
    }

    /**
     * The rows of {@code selected} converted by {@code convert}, persisted and counted, for one fit or many of the
     * same rows ({@link Held#fit}); small data come back to the driver in the counting job.
     *
     * @param names    the features' names, in order
     * @param weighted whether each converted row ends with its weight (after the features)
     * @return the rows held; closing it unpersists them
     */
    static Held hold(org.apache.spark.sql.Dataset<Row> selected, Function<Row, double[]> convert, List<String> names,
                     boolean weighted) {
        // Each partition's rows held as one block, the shape the kernels take: an E-step then reads them as they are
        // (copying every row out of its own array into a block, each E-step, had cost a third of a partition's time
        // at (400k, 2, 4)), and a double[] per row no longer costs its object's header (as much as two values).
        int d = names.size();
        JavaRDD<PartitionRows> blocks = selected.javaRDD().map(convert)
                .mapPartitions(it -> List.of(PartitionRows.of(it, d, weighted)).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // One job counts every partition's rows and brings back those of a partition within its share of
            // SAMPLE_ROWS (so never more than SAMPLE_ROWS rows in all): small data come back whole in it.
            int share = SAMPLE_ROWS / Math.max(1, blocks.getNumPartitions());
            List<PartitionHead> heads = blocks.map(b -> new PartitionHead(b.rows(),
                    b.rows() <= share ? b.rowList() : null)).collect();
            long[] firstRow = new long[heads.size()];
            long n = 0;
            boolean allHeld = true;
            for (int p = 0; p < heads.size(); p++) {
                firstRow[p] = n;
                n += heads.get(p).count();
                allHeld &= heads.get(p).rows() != null;
            }
            if (n < 1) {
                throw new EmkitException("the data have no rows to fit");
            }
            List<double[]> all = null;
            if (n <= SAMPLE_ROWS) {
                if (allHeld) {
                    all = new ArrayList<>();
                    for (PartitionHead head : heads) {
                        all.addAll(head.rows());
                    }
                } else {
                    all = rowsOf(blocks).collect();
                }
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(selected.sparkSession().sparkContext());
            return new Held(sc, blocks, firstRow, n, all == null ? null : sample(all, names, weighted), names,
                    weighted);
        } catch (Exception e) {
            blocks.unpersist(false);
            // Spark's exceptions are checked in Java's eyes but undeclared by its Scala methods.
            throw unwrap(e);
        }
    }

    /** The held blocks' rows, one {@code double[]} each as converted (the weight last), in order. */
    private static JavaRDD<double[]> rowsOf(JavaRDD<PartitionRows> blocks) {
        return blocks.flatMap(b -> b.rowList().iterator());
    }

    /** Drawn rows as the driver's sample; {@code null} if every weight is 0. */
    private static Dataset sample(List<double[]> drawn, List<String> names, boolean weighted) {
        return weighted ? block(drawn.iterator(), names.size(), names, true)
                : Dataset.of(drawn.toArray(new double[0][]), names);
    }

    /**
     * Rows converted, persisted and counted once ({@link #hold}), fitted by any number of plans: MclustDA fits a
     * class's rows by dozens of candidates, each of which would otherwise convert, count and (small data) bring them
     * back again.
     */
    static final class Held implements AutoCloseable {
        private final JavaSparkContext sc;
        /** One block per partition. */
        private final JavaRDD<PartitionRows> rows;
        private final long[] firstRow;
        private final long n;
        /** Every row, in order, where there are at most SAMPLE_ROWS ({@code null} beyond, or if every weight is 0). */
        private final Dataset all;
        private final List<String> names;
        private final boolean weighted;
        /** Beyond SAMPLE_ROWS rows, the sample drawn for each seed so far (empty: every weight in it is 0). */
        private final Map<Long, Optional<Dataset>> drawn = new ConcurrentHashMap<>();

        private Held(JavaSparkContext sc, JavaRDD<PartitionRows> rows, long[] firstRow, long n, Dataset all,
                     List<String> names, boolean weighted) {
            this.sc = sc;
            this.rows = rows;
            this.firstRow = firstRow;
            this.n = n;
            this.all = all;
            this.names = List.copyOf(names);
            this.weighted = weighted;
        }

        /**
         * Runs {@code plan} over the rows.
         *
         * @param seed the seed of the initialisation's sample (where there are more than SAMPLE_ROWS rows)
         * @return the fit
         */
        <P extends ClusteringModel> EmResult<P> fit(DistributedFit<P, ?> plan, long seed) {
            return fitTyped(plan, seed);
        }

        private <P extends ClusteringModel, S extends SufficientStatistics<S>> EmResult<P> fitTyped(
                DistributedFit<P, S> plan, long seed) {
            try {
                // Up to SAMPLE_ROWS rows, the sample is every row in order, so the fit starts exactly where the
                // single-machine fit of the same rows starts; beyond, a uniform sample without replacement, drawn
                // once per seed (EDDA's structures and a class's candidates share one: takeSample is two jobs).
                Dataset sample = n <= SAMPLE_ROWS ? all : drawn.computeIfAbsent(seed, s -> Optional.ofNullable(
                        SparkFit.sample(rowsOf(rows).takeSample(false, SAMPLE_ROWS, s), names, weighted))).orElse(null);
                if (sample == null) {
                    throw new EmkitException("every weight " + (n > SAMPLE_ROWS ? "in the sample " : "")
                            + "is 0: there is nothing to fit");
                }
                // The tasks' function takes these as locals: it must not capture this (not serializable).
                long[] first = firstRow;
                PartitionSteps<P, S> steps = plan.steps();
                List<String> columnNames = new ArrayList<>(names);
                ExpectationRunner<P, S> runner = params -> {
                    ModelText model = ModelText.of(sc, ModelFiles.toJson(params));
                    try {
                        Partial<S> total = expectation(rows, first.length, (index, it) -> {
                            @SuppressWarnings("unchecked")
                            P p = (P) ModelFiles.fromJson(model.value(), "broadcast model");
                            Dataset block = it.next().dataset(columnNames);
                            S stats = steps.emptyStatistics(p);
                            // Null: every weight 0 (or no row); such rows add nothing, as on one machine.
                            double ll = block == null ? 0 : steps.accumulatePartition(p, block, first[index], stats);
                            return new Partial<>(stats, ll);
                        });
                        return new Expectation<>(total.statistics(), total.logLikelihood());
                    } finally {
                        model.destroy();
                    }
                };
                // Where the driver holds every row (the sample is all of them, in order), the runs converge there
                // instead of as Spark jobs, and Spark evaluates their answer; runs of an exact number of iterations
                // are Spark's.
                return plan.fit(n <= SAMPLE_ROWS ? runner.exploringWith(onDriver(steps, sample)) : runner, n, sample);
            } catch (Exception e) {
                // Spark's exceptions are checked in Java's eyes but undeclared by its Scala methods.
                throw unwrap(e);
            }
        }

        /**
         * The rows' log-likelihood under {@code model}, of each row's first {@code features} values (the model's
         * columns, not a class or weight after them): {@code Σ w log p(x)} in row order ({@link
         * MixtureModel#logLikelihood}, as the single-machine commands sum it). Where the driver holds every row that
         * sum is taken there (no job: EDDA scores every structure, and a Spark SQL pass over the rows cost 0.1–0.3 s of
         * planning and a job each); beyond, one job over the held rows, each partition's sum in row order and the
         * partitions' in theirs.
         *
         * @param model    the mixture
         * @param features how many of each row's first values are the model's
         * @return the sum and the number of rows
         */
        SparkModels.LogLikelihood logLikelihood(MixtureModel model, int features) {
            if (model.dimension() != features) {
                throw new EmkitException("the model has " + model.dimension() + " features but the rows were held"
                        + " with " + features);
            }
            int[] kept = java.util.stream.IntStream.range(0, features).toArray();
            if (all != null) {
                return new SparkModels.LogLikelihood(model.logLikelihood(all.selectColumns(kept)), n);
            }
            List<String> columnNames = new ArrayList<>(names);
            String json = ModelFiles.toJson(model);
            try {
                List<Double> sums = rows.map(b -> {
                    Dataset block = b.dataset(columnNames);
                    // Null: every weight 0 (or no row); such rows add nothing.
                    return block == null ? 0 : ((MixtureModel) ModelFiles.fromJson(json, "broadcast model"))
                            .logLikelihood(block.selectColumns(kept));
                }).collect();
                double total = 0;
                for (double s : sums) {
                    total += s;
                }
                return new SparkModels.LogLikelihood(total, n);
            } catch (Exception e) {
                throw unwrap(e);
            }
        }

        /** Unpersists the rows. */
        @Override
        public void close() {
            rows.unpersist(false);
        }
    }

    /** Rows per part of {@link #onDriver}'s E-step: its sums' grouping, fixed by the rows alone. */
    static final int DRIVER_PART_ROWS = 8192;

    /**
     * The E-step over every row on the driver, with the partitions' kernel: the rows in parts of
     * {@value #DRIVER_PART_ROWS}, made at once on the common pool's threads and merged in order, so that the bits
     * do not depend on the threads. A job costs Spark tens of milliseconds whatever its rows (Old Faithful's 272 rows:
     * about 53 ms of the two cores' time per E-step); a search, hundreds to thousands of E-steps on small data, cost
     * that many jobs.
     *
     * @param steps the partitions' kernel
     * @param rows  every row, in order (weighted as the partitions' blocks are)
     * @return the runner
     */
    static <P, S extends SufficientStatistics<S>> ExpectationRunner<P, S> onDriver(PartitionSteps<P, S> steps,
                                                                                Dataset rows) {
        List<Dataset> parts = new ArrayList<>();
        for (int from = 0; from < rows.rows(); from += DRIVER_PART_ROWS) {
            parts.add(rows.rows() <= DRIVER_PART_ROWS ? rows
                    : rows.slice(from, Math.min(rows.rows(), from + DRIVER_PART_ROWS)));
        }
        return params -> {
            List<Partial<S>> partials = java.util.stream.IntStream.range(0, parts.size()).parallel().mapToObj(i -> {
                Dataset part = parts.get(i);
                S stats = steps.emptyStatistics(params);
                // Rows whose weights are all 0 add nothing, as a partition of them adds nothing.
                double ll = part.isWeighted() && !(part.totalWeight() > 0) ? 0
                        : steps.accumulatePartition(params, part, (long) i * DRIVER_PART_ROWS, stats);
                return new Partial<>(stats, ll);
            }).toList();
            Partial<S> total = mergeInIndexOrder(partials);
            return new Expectation<>(total.statistics(), total.logLikelihood());
        };
    }

    /**
     * An E-step's parameters as their model file, on their way to the tasks: a file of up to 64 K characters in the
     * tasks themselves, a larger one broadcast once to each executor. A broadcast costs the driver a block written and
     * later removed, and each executor a fetch, at every E-step; a small file costs less in the tasks (Old Faithful's
     * default fit on local Spark, 589 E-steps: 22.3–22.8 s against 23.1–23.9 with every model broadcast).
     */
    static final class ModelText implements Serializable {
        private static final long serialVersionUID = 1L;
        /** The most characters a model file carries in the tasks themselves. */
        static final int INLINE_CHARS = 64 * 1024;
        private final String inline;
        private final Broadcast<String> broadcast;

        private ModelText(String inline, Broadcast<String> broadcast) {
            this.inline = inline;
            this.broadcast = broadcast;
        }

        /**
         * @param sc   the context to broadcast with, if the file is large
         * @param json the model file
         * @return the file on its way
         */
        static ModelText of(JavaSparkContext sc, String json) {
            return json.length() <= INLINE_CHARS ? new ModelText(json, null) : new ModelText(null, sc.broadcast(json));
        }

        /** @return whether the file travels as a broadcast rather than in the tasks */
        boolean isBroadcast() {
            return broadcast != null;
        }

        /** @return the model file, in a task */
        String value() {
            return inline != null ? inline : broadcast.value();
        }

        /** Removes the broadcast, if there is one, from the driver and the executors. */
        void destroy() {
            if (broadcast != null) {
                broadcast.destroy();
            }
        }
    }

    /** One partition's part of an E-step: from the partition's index and rows, its statistics and log-likelihood. */
    interface PartitionStep<T, S extends SufficientStatistics<S>> extends Serializable {
        /**
         * @param index the partition's index
         * @param rows  its rows, in order
         * @return its partial statistics
         */
        Partial<S> partial(int index, Iterator<T> rows);
    }

    /**
     * One E-step over {@code rows}: {@code step} on every partition, the partials merged in a fixed order. Over at
     * most {@value #FAN_IN} partitions it is one job of a named function ({@link OnPartition}), merged on the driver;
     * over more, {@link #merge}'s tree. A job of a named function is not cleaned: Spark cleans the closures of every
     * job it runs (a Java lambda's, and its own collect's) by reading their class files with ASM each time, which
     * was a third of the driver thread's CPU where E-steps are short jobs (150 rows, MclustDA's cross-validation).
     *
     * @param rows       the rows, persisted
     * @param partitions how many partitions they have
     * @param step       one partition's part
     * @return the merged partials
     */
    static <T, S extends SufficientStatistics<S>> Partial<S> expectation(JavaRDD<T> rows, int partitions,
                                                                         PartitionStep<T, S> step) {
        if (partitions <= FAN_IN) {
            @SuppressWarnings("unchecked")
            scala.reflect.ClassTag<Partial<S>> tag = (scala.reflect.ClassTag<Partial<S>>) (Object)
                    scala.reflect.ClassTag$.MODULE$.apply(Partial.class);
            Object[] out = (Object[]) rows.context().runJob(rows.rdd(), new OnPartition<>(step), tag);
            List<Partial<S>> partials = new ArrayList<>();
            for (Object o : out) {
                @SuppressWarnings("unchecked")
                Partial<S> partial = (Partial<S>) o;
                partials.add(partial);
            }
            return mergeInIndexOrder(partials);
        }
        JavaPairRDD<Integer, Partial<S>> partials = rows.mapPartitionsWithIndex((index, it) ->
                List.of(new Tuple2<>(index, step.partial(index, it))).iterator(), true).mapToPair(t -> t);
        return merge(partials, partitions);
    }

    /** A {@link PartitionStep} as the function of a job (Scala's, with the task's partition). */
    private static final class OnPartition<T, S extends SufficientStatistics<S>>
            extends scala.runtime.AbstractFunction2<org.apache.spark.TaskContext, scala.collection.Iterator<T>,
            Partial<S>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final PartitionStep<T, S> step;

        OnPartition(PartitionStep<T, S> step) {
            this.step = step;
        }

        @Override
        public Partial<S> apply(org.apache.spark.TaskContext context, scala.collection.Iterator<T> rows) {
            return step.partial(context.partitionId(), new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public T next() {
                    return rows.next();
                }
            });
        }
    }

    /** The partials merged one after another in index order: the last level of {@link #merge}'s tree. */
    private static <S extends SufficientStatistics<S>> Partial<S> mergeInIndexOrder(List<Partial<S>> partials) {
        Partial<S> total = partials.get(0);
        for (int i = 1; i < partials.size(); i++) {
            total = total.merge(partials.get(i));
        }
        return total;
    }

    /**
     * Merges the partials in a fixed tree: groups of {@value #FAN_IN} consecutive indices, merged in index
     * order, level after level, the last level on the driver.
     */
    private static <S extends SufficientStatistics<S>> Partial<S> merge(JavaPairRDD<Integer, Partial<S>> partials,
                                                                        int count) {
        JavaPairRDD<Integer, Partial<S>> level = partials;
        int remaining = count;
        while (remaining > FAN_IN) {
            remaining = (remaining + FAN_IN - 1) / FAN_IN;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / FAN_IN, t))
                    .groupByKey(remaining)
                    .mapValues(SparkFit::mergeInOrder);
        }
        List<Tuple2<Integer, Partial<S>>> last = level.collect();
        return mergeInOrder(last);
    }

    private static <S extends SufficientStatistics<S>> Partial<S> mergeInOrder(
            Iterable<Tuple2<Integer, Partial<S>>> group) {
        List<Tuple2<Integer, Partial<S>>> sorted = new ArrayList<>();
        group.forEach(sorted::add);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        List<Partial<S>> partials = new ArrayList<>();
        sorted.forEach(t -> partials.add(t._2()));
        return mergeInIndexOrder(partials);
    }

    /**
     * A partition's rows as one block, weighted by each row's last value when {@code weighted}; null for weighted
     * rows whose weights are all 0 (none at all included).
     */
    static Dataset block(Iterator<double[]> it, int d, List<String> names, boolean weighted) {
        return PartitionRows.of(it, d, weighted).dataset(names);
    }

    /** A partition's rows as one block, the shape the single-machine kernels take. */
    static Dataset block(Iterator<double[]> it, int d, List<String> names) {
        return block(it, d, names, false);
    }

    /**
     * An executor's EmkitException (bad data) as the one-line error it is, not Spark's wrapper; an EmkitException
     * itself comes back unchanged, so that one {@code catch (Exception e)} serves both.
     */
    static RuntimeException unwrap(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EmkitException emkit) {
                return emkit;
            }
        }
        String message = e.getMessage();
        // Executors' exceptions may arrive as text only (the class of the cause is not always rebuilt).
        int at = message == null ? -1 : message.indexOf(EmkitException.class.getName() + ": ");
        if (at >= 0) {
            String rest = message.substring(at + EmkitException.class.getName().length() + 2);
            int end = rest.indexOf('\n');
            return new EmkitException(end < 0 ? rest : rest.substring(0, end));
        }
        return new EmkitException("Spark failed: " + (message == null ? e.toString() : message.lines().findFirst().orElse("")));
    }

    /**
     * The chosen columns of {@code data}, cast to double, for {@link #numericRow}.
     *
     * @throws EmkitException if there are none or one is missing or not numeric
     */
    static org.apache.spark.sql.Dataset<Row> selectNumeric(org.apache.spark.sql.Dataset<Row> data, List<String> columns) {
        if (columns.isEmpty()) {
            throw new EmkitException("choose at least one column to fit");
        }
        return select(data, columns, c -> {
            if (!(data.schema().apply(c).dataType() instanceof org.apache.spark.sql.types.NumericType)) {
                throw new EmkitException("column '" + c + "' is not numeric (" + data.schema().apply(c).dataType().simpleString()
                        + ")");
            }
            return org.apache.spark.sql.functions.col(c).cast("double");
        });
    }

    /**
     * The chosen columns of {@code data}, in order, each as {@code column} makes it (on the driver, column by
     * column, so that its checks meet the columns in order).
     *
     * @throws EmkitException if one is not in the data, or as {@code column} throws
     */
    static org.apache.spark.sql.Dataset<Row> select(org.apache.spark.sql.Dataset<Row> data, List<String> columns,
                                                    java.util.function.Function<String, org.apache.spark.sql.Column> column) {
        List<String> known = List.of(data.columns());
        org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[columns.size()];
        for (int j = 0; j < cols.length; j++) {
            String c = columns.get(j);
            if (!known.contains(c)) {
                throw new EmkitException("no column '" + c + "' in the data (columns: " + String.join(", ", known) + ")");
            }
            cols[j] = column.apply(c);
        }
        return data.select(cols);
    }

    /**
     * A row of {@link #selectNumeric}'s result as numbers, a null cell as {@code NaN}: missing, as the local
     * engine reads an empty or {@code NA} cell (for the fits that take missing values).
     */
    static double[] numericRowWithMissing(Row r) {
        double[] out = new double[r.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = r.isNullAt(j) ? Double.NaN : r.getDouble(j);
        }
        return out;
    }

    /** A row of {@link #selectNumeric}'s result as numbers; a null cell is an error naming its column. */
    static double[] numericRow(Row r) {
        double[] out = new double[r.size()];
        for (int j = 0; j < out.length; j++) {
            if (r.isNullAt(j)) {
                throw new EmkitException("column '" + r.schema().fieldNames()[j] + "': missing (null) value;"
                        + " fitting needs a value in every cell");
            }
            out[j] = r.getDouble(j);
        }
        return out;
    }

    /**
     * A weights cell as the weight it gives its row: a finite number {@code >= 0}; a missing or bad one is an error
     * naming the column.
     *
     * @param r      the row
     * @param at     the weights cell's place in it
     * @param column the weights column's name
     * @return the weight
     */
    static double weight(Row r, int at, String column) {
        if (r.isNullAt(at)) {
            throw new EmkitException("--weights-column '" + column + "': a row has no weight (an empty or NA cell);"
                    + " every row needs one");
        }
        double w = r.getDouble(at);
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new EmkitException("--weights-column '" + column + "': weight " + w + " is not a finite number >= 0");
        }
        return w;
    }

    /**
     * A partition's count of rows, and its rows where they are within its share of the driver's sample (else null).
     *
     * @param count how many rows
     * @param rows  all of them in order, or null
     */
    record PartitionHead(long count, List<double[]> rows) implements Serializable {
    }

    /**
     * A partition's rows as one block: their values row after row, and their weights where they have them.
     *
     * @param values  {@code rows × D} values
     * @param weights one per row, or null for unweighted rows
     * @param rows    how many rows
     */
    record PartitionRows(double[] values, double[] weights, int rows) implements Serializable {
        /** The rows, each D values and (weighted) its weight after them, as one block. */
        static PartitionRows of(Iterator<double[]> it, int d, boolean weighted) {
            List<double[]> buffer = new ArrayList<>();
            it.forEachRemaining(buffer::add);
            double[] values = new double[Math.multiplyExact(buffer.size(), d)];
            double[] weights = weighted ? new double[buffer.size()] : null;
            for (int i = 0; i < buffer.size(); i++) {
                System.arraycopy(buffer.get(i), 0, values, i * d, d);
                if (weighted) {
                    weights[i] = buffer.get(i)[d];
                }
            }
            return new PartitionRows(values, weights, buffer.size());
        }

        /**
         * The block as the kernels take it (its values not copied): null where weighted rows weigh nothing in all
         * (or there is no row).
         */
        Dataset dataset(List<String> names) {
            Dataset x = Dataset.wrap(values, rows, names.size(), names);
            if (weights == null) {
                return x;
            }
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            return total > 0 ? x.withWeights(weights) : null;
        }

        /** The rows as converted: D values each, and the weight after them where weighted. */
        List<double[]> rowList() {
            int d = rows == 0 ? 0 : values.length / rows;
            List<double[]> out = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                double[] row = new double[weights == null ? d : d + 1];
                System.arraycopy(values, i * d, row, 0, d);
                if (weights != null) {
                    row[d] = weights[i];
                }
                out.add(row);
            }
            return out;
        }
    }

    /** A partition's statistics and log-likelihood. */
    record Partial<S extends SufficientStatistics<S>>(S statistics, double logLikelihood) implements Serializable {
        Partial<S> merge(Partial<S> other) {
            statistics.merge(other.statistics);
            return new Partial<>(statistics, logLikelihood + other.logLikelihood);
        }
    }
}
