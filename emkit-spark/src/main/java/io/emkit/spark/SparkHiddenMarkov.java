package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;
import io.emkit.em.SufficientStatistics;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import io.emkit.io.ModelFiles;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fits a {@link HiddenMarkov} model by Baum–Welch on a Spark {@code Dataset<Row>} of time steps, with sequences as
 * the units: a sequence-id column says which sequence each row (time step) belongs to, and a sequence's steps are
 * its rows in the data frame's order (a file's line order) or, with a time column, in the order of its times (as
 * {@code emkit hmm --time-column} orders them on one machine). The rows are grouped by sequence once (a shuffle), each
 * sequence whole in one partition — a sequence is never split, since forward–backward runs along it — and
 * persisted ({@code MEMORY_AND_DISK}); within a partition the sequences are ordered by their first row. A fit then
 * sorts them into the single-machine fit's canonical order ({@link Sequences#canonicalOrder()}), partition after
 * partition.
 *
 * <p>Any sequence model whose E-step statistics add up over sequences fits through its distributed plan
 * ({@link DistributedFit.OverSequences}: {@link HiddenMarkov#distributed()}, {@code SemiMarkov.distributed()},
 * {@code CovariateHmm.distributed(covariates)}, {@code SemiSupervisedHmm.distributed(classes, perClass)}). Each
 * E-step broadcasts the parameters as their model file, every partition runs the plan's kernel — the
 * single-machine E-step, such as {@link io.emkit.hmm.BaumWelchSteps#expectation} — over its sequences, and the
 * partitions' statistics are merged along the same fixed tree as the mixtures' ({@link SparkGaussianMixture});
 * the M-step, restarts and the convergence test are the single-machine loop's (for the plain HMM,
 * {@link HiddenMarkov#fit(ExpectationRunner, long, Sequences)}). The initialisation looks at
 * every sequence when the data hold at most {@value SparkFit#SAMPLE_ROWS} steps (so the fit starts where the
 * single-machine fit of the same sequences starts), else at a uniform sample of the sequences. Given the same
 * start, the result agrees with the single-machine fit to rounding.
 *
 * <p>The same grouping serves a fitted model of any of these kinds: {@link #logLikelihood} (the total forward
 * log-likelihood) and {@link #decode} (Viterbi or MAP states of every row, back in the rows' order; a labelled
 * model's classes) run the single-machine model's own per-sequence methods on each partition's whole sequences.
 *
 * <p>Limits: a sequence must fit in an executor's memory (it is one array there), and the rows need a value in
 * every cell (as {@code emkit hmm} needs complete rows).
 */
public final class SparkHiddenMarkov {
    private SparkHiddenMarkov() {
    }

    /**
     * One sequence: its first row's index among all rows (its place), its id, and its steps in time order, with
     * each step's row index and (with a time column) its time cell as read. The steps' values are one array, step
     * after step: Spark serialises, caches and sorts it as one object, not an array per step.
     */
    private record Sequence(long first, Object id, long[] rows, Object[] times, double[] values)
            implements Serializable {
    }

    /**
     * {@code held} (not empty) as the single-machine code takes sequences: their values copied once into one array,
     * sequence after sequence, {@code names} naming each step's columns.
     */
    private static Sequences sequencesOf(List<Sequence> held, List<String> names) {
        int total = 0;
        for (Sequence s : held) {
            total = Math.addExact(total, s.values().length);
        }
        double[] values = new double[total];
        int[] lengths = new int[held.size()];
        int at = 0;
        for (int q = 0; q < lengths.length; q++) {
            double[] v = held.get(q).values();
            System.arraycopy(v, 0, values, at, v.length);
            at += v.length;
            lengths[q] = held.get(q).rows().length;
        }
        return Sequences.of(io.emkit.data.Dataset.wrap(values, total / names.size(), names.size(), names), lengths);
    }

    /**
     * Fits the configured model to the sequences of {@code data}, each sequence's steps in the data's row order.
     *
     * @param config         the model (states, emissions, topology, EM options)
     * @param data           the rows, one time step each
     * @param sequenceColumn the column of sequence ids (any type; rows of the same id form a sequence), or
     *                       {@code null}: every row is a step of one sequence
     * @param columns        the numeric observation columns, in order
     * @return the fit, as {@link HiddenMarkov#fit(Sequences)} would return it
     * @throws EmkitException if the data cannot be fitted (a missing column, a null cell, a value outside the
     *                        emission's support)
     */
    public static EmResult<HiddenMarkovModel> fit(HiddenMarkov config, org.apache.spark.sql.Dataset<Row> data,
                                                  String sequenceColumn, List<String> columns) {
        return fit(config, data, sequenceColumn, null, columns);
    }

    /**
     * Fits the configured model to the sequences of {@code data}.
     *
     * @param config         the model (states, emissions, topology, EM options)
     * @param data           the rows, one time step each
     * @param sequenceColumn the column of sequence ids (any type; rows of the same id form a sequence), or
     *                       {@code null}: every row is a step of one sequence
     * @param timeColumn     a numeric column ordering each sequence's steps (a time twice in a sequence is an
     *                       error), or {@code null}: the data's row order
     * @param columns        the numeric observation columns, in order
     * @return the fit, as {@link HiddenMarkov#fit(Sequences)} would return it
     * @throws EmkitException if the data cannot be fitted (a missing column, a null cell, a value outside the
     *                        emission's support)
     */
    public static EmResult<HiddenMarkovModel> fit(HiddenMarkov config, org.apache.spark.sql.Dataset<Row> data,
                                                  String sequenceColumn, String timeColumn, List<String> columns) {
        return fit(config.distributed(), data, sequenceColumn, timeColumn, columns, null, null).fit();
    }

    /**
     * A sequence model's fit on Spark.
     *
     * @param fit    the fit, as the single-machine fit would return it
     * @param extent how many sequences and steps the data hold, and the longest sequence's length
     * @param <P>    the model
     */
    public record SequenceFit<P>(EmResult<P> fit, DistributedFit.OverSequences.Extent extent) {
    }

    /**
     * Fits any sequence model whose E-step statistics add up over sequences by its distributed plan: a hidden
     * Markov model ({@code HiddenMarkov.distributed()}), a hidden semi-Markov model ({@code SemiMarkov.distributed()}),
     * an input–output HMM ({@code CovariateHmm.distributed(covariateNames)}, its covariates the last of
     * {@code columns}) or an HMM with known states ({@code SemiSupervisedHmm.distributed(classNames, perClass)}, with
     * {@code labelColumn}). The sequences are grouped as for {@link #fit(HiddenMarkov, org.apache.spark.sql.Dataset,
     * String, String, List)}; each E-step broadcasts the parameters, runs the plan's kernel on every partition's
     * sequences (with the index of the partition's first step among all steps, partitions in order) and merges the
     * statistics along a fixed tree, and the driver runs the single-machine loop.
     *
     * @param plan           the configured fit's plan
     * @param data           the rows, one time step each
     * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
     * @param timeColumn     a numeric column ordering each sequence's steps, or {@code null} for the row order
     * @param columns        the numeric columns each step carries, in the plan's order (observations, then an
     *                       input–output HMM's covariates); every cell needs a value
     * @param labelColumn    a column of classes, whose index into {@code classNames} (-1 for a null, blank or
     *                       {@code NA} cell) each step carries last, or {@code null}
     * @param classNames     the classes, sorted ({@link SparkGaussianMixture#classes}' names), with a labels column
     * @param <P>            the model
     * @param <S>            its statistics
     * @return the fit and the data's extent
     * @throws EmkitException if the data cannot be fitted (a missing column, a null cell, a value outside the
     *                        emission's support)
     */
    public static <P extends io.emkit.hmm.StateSequenceModel<?>, S extends SufficientStatistics<S>> SequenceFit<P> fit(
            DistributedFit.OverSequences<P, S> plan, org.apache.spark.sql.Dataset<Row> data, String sequenceColumn,
            String timeColumn, List<String> columns, String labelColumn, List<String> classNames) {
        if (labelColumn != null && (columns.contains(labelColumn) || labelColumn.equals(sequenceColumn)
                || labelColumn.equals(timeColumn))) {
            throw new EmkitException("the labels column '" + labelColumn + "' is not a model column");
        }
        JavaRDD<Sequence> grouped = group(data, sequenceColumn, timeColumn, columns, labelColumn, classNames);
        // In the single-machine fit's order (Sequences.canonicalOrder), partition after partition: a model whose
        // M-step reads per-sequence statistics in the order of their steps' rows (an input-output HMM's
        // regressions) then reads them as one machine does, and every sum runs in an order the data fix.
        List<JavaRDD<Sequence>> sorted = new ArrayList<>(1);
        try {
            JavaRDD<Sequence> ordered = grouped.sortBy(CanonicalKey::new, true,
                    grouped.getNumPartitions()).persist(StorageLevel.MEMORY_AND_DISK());
            sorted.add(ordered);
            // Per partition: its sequences, its steps, its longest sequence; and, where its steps are within its
            // share of the driver's sample (never more than SAMPLE_ROWS steps in all), its sequences themselves, so
            // that small data come back in this one job.
            int share = SparkFit.SAMPLE_ROWS / Math.max(1, ordered.getNumPartitions());
            List<Tuple2<Integer, Tuple2<long[], List<Sequence>>>> parts = new ArrayList<>(
                    ordered.mapPartitionsWithIndex((index, it) -> {
                        long[] c = new long[3];
                        List<Sequence> held = new ArrayList<>();
                        it.forEachRemaining(s -> {
                            c[0]++;
                            c[1] += s.rows().length;
                            c[2] = Math.max(c[2], s.rows().length);
                            if (c[1] <= share) {
                                held.add(s);
                            }
                        });
                        return List.of(new Tuple2<>(index, new Tuple2<>(c, c[1] <= share ? held : null))).iterator();
                    }, true).collect());
            parts.sort(Comparator.comparing(Tuple2::_1));
            long[] firstStep = new long[ordered.getNumPartitions()];
            long count = 0;
            long totalSteps = 0;
            long longest = 0;
            boolean allHeld = true;
            for (Tuple2<Integer, Tuple2<long[], List<Sequence>>> part : parts) {
                long[] c = part._2()._1();
                firstStep[part._1()] = totalSteps;
                count += c[0];
                totalSteps += c[1];
                longest = Math.max(longest, c[2]);
                allHeld &= part._2()._2() != null;
            }
            if (count == 0) {
                throw new EmkitException("the data have no rows to fit");
            }
            List<Sequence> drawn;
            if (totalSteps <= SparkFit.SAMPLE_ROWS && allHeld) {
                drawn = new ArrayList<>();
                for (Tuple2<Integer, Tuple2<long[], List<Sequence>>> part : parts) {
                    drawn.addAll(part._2()._2());
                }
            } else {
                drawn = totalSteps <= SparkFit.SAMPLE_ROWS ? ordered.collect()
                        : ordered.takeSample(false, (int) Math.max(1, count * SparkFit.SAMPLE_ROWS / totalSteps),
                        plan.seed());
            }
            List<Sequence> sample = new ArrayList<>(drawn);
            sample.sort(Comparator.comparingLong(Sequence::first));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
            List<String> names = new ArrayList<>(columns);
            if (labelColumn != null) {
                names.add(labelColumn);
            }
            List<String> carried = List.copyOf(names);
            DistributedFit.OverSequences.Kernel<P, S> kernel = plan.kernel();
            ExpectationRunner<P, S> runner = params -> {
                // As its model file: the models are not all serializable, and the file keeps every bit.
                SparkFit.ModelText model = SparkFit.ModelText.of(sc, ModelFiles.sequenceModelToJson(params));
                try {
                    SparkFit.Partial<S> total = SparkFit.expectation(ordered, ordered.getNumPartitions(),
                            (index, it) -> {
                                @SuppressWarnings("unchecked")
                                P p = (P) ModelFiles.sequenceModelFromJson(model.value(), "broadcast model");
                                S stats = kernel.emptyStatistics(p);
                                List<Sequence> held = new ArrayList<>();
                                it.forEachRemaining(held::add);
                                double ll = 0;
                                if (!held.isEmpty()) {
                                    ll = kernel.accumulate(p, sequencesOf(held, carried), firstStep[index], stats);
                                }
                                return new SparkFit.Partial<>(stats, ll);
                            });
                    return new Expectation<>(total.statistics(), total.logLikelihood());
                } finally {
                    model.destroy();
                }
            };
            DistributedFit.OverSequences.Extent extent = new DistributedFit.OverSequences.Extent(count, totalSteps,
                    (int) Math.min(Integer.MAX_VALUE, longest));
            Sequences held = sequencesOf(sample, carried);
            if (totalSteps <= SparkFit.SAMPLE_ROWS) {
                // The driver holds every sequence, in order: the search or plain runs converge there (as
                // SparkFit.onDriver) and Spark evaluates their answer.
                runner = runner.exploringWith(params -> {
                    S stats = kernel.emptyStatistics(params);
                    double ll = kernel.accumulate(params, held, 0, stats);
                    return new Expectation<>(stats, ll);
                });
            }
            return new SequenceFit<>(plan.fit(runner, extent, held), extent);
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        } finally {
            sorted.forEach(r -> r.unpersist(false));
            grouped.unpersist(false);
        }
    }

    /**
     * A sequence's place in {@link Sequences#canonicalOrder()}: shorter first, then by the values, step by step,
     * column by column.
     */
    private record CanonicalKey(int length, double[] values) implements Comparable<CanonicalKey>, Serializable {
        CanonicalKey(Sequence s) {
            this(s.rows().length, s.values());
        }

        @Override
        public int compareTo(CanonicalKey other) {
            int order = Integer.compare(length, other.length);
            // Step after step, column by column: the values' own order.
            for (int i = 0; i < values.length && order == 0; i++) {
                order = Double.compare(values[i], other.values[i]);
            }
            return order;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CanonicalKey k && compareTo(k) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * length + java.util.Arrays.hashCode(values);
        }
    }

    /**
     * The log-likelihood of sequences under a model.
     *
     * @param logLikelihood the sequences' log-likelihoods, summed
     * @param sequences     how many sequences
     * @param steps         how many steps (rows)
     */
    public record LogLikelihood(double logLikelihood, long sequences, long steps) implements Serializable {
    }

    /**
     * The total log-likelihood of the sequences of {@code data} under {@code model}: each sequence's forward
     * log-likelihood on the executors (the model's own
     * {@link io.emkit.hmm.StateSequenceModel#sequenceLogLikelihoods}), summed per partition in the sequences' order,
     * the partitions' sums added in partition order.
     *
     * @param model          a fitted hidden Markov, hidden semi-Markov or input–output hidden Markov model
     * @param data           the rows, one time step each
     * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
     * @param timeColumn     a numeric column ordering each sequence's steps, or {@code null} for the row order
     * @param columns        the model's observation columns, in the model's order, then (an input–output HMM's)
     *                       its covariate columns, in the model's order
     * @return the sum, and the numbers of sequences and steps
     * @throws EmkitException on bad data (as {@link #fit} throws), or columns that do not fit the model
     */
    public static LogLikelihood logLikelihood(io.emkit.hmm.StateSequenceModel<?> model,
                                              org.apache.spark.sql.Dataset<Row> data, String sequenceColumn,
                                              String timeColumn, List<String> columns) {
        checkColumns(model, columns);
        JavaRDD<Sequence> sequences = group(data, sequenceColumn, timeColumn, columns);
        String json = ModelFiles.sequenceModelToJson(model);
        List<String> names = List.copyOf(columns);
        try {
            List<Tuple2<Integer, LogLikelihood>> parts = sequences.mapPartitionsWithIndex((index, it) -> {
                List<Sequence> held = new ArrayList<>();
                it.forEachRemaining(held::add);
                double ll = 0;
                long steps = 0;
                if (!held.isEmpty()) {
                    Bound<?> part = bind(ModelFiles.sequenceModelFromJson(json, "model"), sequencesOf(held, names));
                    for (double v : part.logLikelihoods()) {
                        ll += v;
                    }
                    steps = part.steps();
                }
                return List.of(new Tuple2<>(index, new LogLikelihood(ll, held.size(), steps))).iterator();
            }, true).collect();
            List<Tuple2<Integer, LogLikelihood>> sorted = new ArrayList<>(parts);
            sorted.sort(Comparator.comparing(Tuple2::_1));
            double total = 0;
            long count = 0;
            long steps = 0;
            for (Tuple2<Integer, LogLikelihood> p : sorted) {
                total += p._2().logLikelihood();
                count += p._2().sequences();
                steps += p._2().steps();
            }
            if (count == 0) {
                throw new EmkitException("the data have no rows to score");
            }
            return new LogLikelihood(total, count, steps);
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        } finally {
            sequences.unpersist(false);
        }
    }

    /** The column of decoded states in {@link #decode}'s result. */
    public static final String STATE = "state";
    /** The column of sequence ids in {@link #decode}'s result. */
    public static final String SEQUENCE = "sequence";

    /** The column of decoded classes in {@link #decode}'s result, for a model whose states name classes. */
    public static final String CLASS = "class";

    /**
     * Every row's decoded state, computed on the executors sequence by sequence: on the most probable path
     * ({@link io.emkit.hmm.StateSequenceModel#viterbi}; a semi-Markov model's most probable segmentation) or each
     * step's most probable state ({@link io.emkit.hmm.StateSequenceModel#mapStates}). The result has one row per
     * input row, in the input's row order: {@value #SEQUENCE} (the id as read; with a sequence column only), the
     * time column (as read; with one only) and {@value #STATE} (int, from 0).
     *
     * @param model          a fitted hidden Markov, hidden semi-Markov or input–output hidden Markov model
     * @param data           the rows, one time step each
     * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
     * @param timeColumn     a numeric column ordering each sequence's steps, or {@code null} for the row order
     * @param columns        the model's observation columns, in the model's order, then (an input–output HMM's)
     *                       its covariate columns, in the model's order
     * @param map            whether to give each step's most probable state rather than the Viterbi path
     * @return the states, lazily (an action runs the decoding)
     * @throws EmkitException on bad data (when an action runs, as the cause of Spark's exception), or columns
     *                        that do not fit the model
     */
    public static org.apache.spark.sql.Dataset<Row> decode(io.emkit.hmm.StateSequenceModel<?> model,
                                                           org.apache.spark.sql.Dataset<Row> data,
                                                           String sequenceColumn, String timeColumn,
                                                           List<String> columns, boolean map) {
        return decode(model, data, sequenceColumn, timeColumn, columns, map, null);
    }

    /**
     * As {@link #decode(io.emkit.hmm.StateSequenceModel, org.apache.spark.sql.Dataset, String, String, List,
     * boolean)}, with, for a model whose states name classes (fitted with labels), the column {@value #CLASS} (the
     * state's class name) in place of {@value #STATE}.
     *
     * @param model          a fitted model
     * @param data           the rows, one time step each
     * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
     * @param timeColumn     a numeric column ordering each sequence's steps, or {@code null} for the row order
     * @param columns        the model's observation columns, then its covariate columns
     * @param map            whether to give each step's most probable state rather than the Viterbi path
     * @param stateClasses   each state's class, or {@code null} to write the states
     * @return the states or classes, lazily
     * @throws EmkitException on bad data, columns that do not fit the model, or classes not one per state
     */
    public static org.apache.spark.sql.Dataset<Row> decode(io.emkit.hmm.StateSequenceModel<?> model,
                                                           org.apache.spark.sql.Dataset<Row> data,
                                                           String sequenceColumn, String timeColumn,
                                                           List<String> columns, boolean map,
                                                           List<String> stateClasses) {
        return decode(model, data, sequenceColumn, timeColumn, columns, map, stateClasses, false);
    }

    /**
     * As {@link #decode(io.emkit.hmm.StateSequenceModel, org.apache.spark.sql.Dataset, String, String, List,
     * boolean, List)}, with, when {@code posterior} is set, each state's posterior probability after the state:
     * columns {@code p0 .. p(S-1)} (double; the model's own
     * {@link io.emkit.hmm.StateSequenceModel#posteriors}).
     *
     * @param model          a fitted model
     * @param data           the rows, one time step each
     * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
     * @param timeColumn     a numeric column ordering each sequence's steps, or {@code null} for the row order
     * @param columns        the model's observation columns, then its covariate columns
     * @param map            whether to give each step's most probable state rather than the Viterbi path
     * @param stateClasses   each state's class, or {@code null} to write the states
     * @param posterior      whether to add the posterior state probabilities
     * @return the states or classes (and posteriors), lazily
     * @throws EmkitException on bad data, columns that do not fit the model, or classes not one per state
     */
    public static org.apache.spark.sql.Dataset<Row> decode(io.emkit.hmm.StateSequenceModel<?> model,
                                                           org.apache.spark.sql.Dataset<Row> data,
                                                           String sequenceColumn, String timeColumn,
                                                           List<String> columns, boolean map,
                                                           List<String> stateClasses, boolean posterior) {
        checkColumns(model, columns);
        if (stateClasses != null && stateClasses.size() != model.states()) {
            throw new EmkitException(stateClasses.size() + " state classes for a model of " + model.states()
                    + " states");
        }
        JavaRDD<Sequence> sequences = group(data, sequenceColumn, timeColumn, columns);
        String json = ModelFiles.sequenceModelToJson(model);
        List<String> names = List.copyOf(columns);
        List<String> classes = stateClasses == null ? null : List.copyOf(stateClasses);
        boolean keyed = sequenceColumn != null;
        boolean timed = timeColumn != null;
        int states = model.states();
        JavaPairRDD<Long, Row> decoded = sequences.mapPartitions(it -> {
            List<Sequence> held = new ArrayList<>();
            it.forEachRemaining(held::add);
            List<Tuple2<Long, Row>> out = new ArrayList<>();
            if (held.isEmpty()) {
                return out.iterator();
            }
            Bound<?> bound = bind(ModelFiles.sequenceModelFromJson(json, "model"), sequencesOf(held, names));
            int[][] paths = bound.paths(map);
            double[][][] post = posterior ? bound.posteriors() : null;
            for (int q = 0; q < paths.length; q++) {
                Sequence s = held.get(q);
                for (int t = 0; t < paths[q].length; t++) {
                    List<Object> cells = new ArrayList<>(3 + states);
                    if (keyed) {
                        cells.add(s.id());
                    }
                    if (timed) {
                        cells.add(s.times()[t]);
                    }
                    cells.add(classes == null ? (Object) paths[q][t] : classes.get(paths[q][t]));
                    if (post != null) {
                        for (double p : post[q][t]) {
                            cells.add(p);
                        }
                    }
                    out.add(new Tuple2<>(s.rows()[t], RowFactory.create(cells.toArray())));
                }
            }
            return out.iterator();
        }).mapToPair(t -> t);
        StructType schema = new StructType();
        if (keyed) {
            schema = schema.add(SEQUENCE, data.schema().apply(sequenceColumn).dataType(), false);
        }
        if (timed) {
            schema = schema.add(timeColumn, data.schema().apply(timeColumn).dataType(), false);
        }
        schema = classes == null ? schema.add(STATE, DataTypes.IntegerType, false)
                : schema.add(CLASS, DataTypes.StringType, false);
        if (posterior) {
            for (int c = 0; c < states; c++) {
                schema = schema.add("p" + c, DataTypes.DoubleType, false);
            }
        }
        // Back to the input's row order (a sort by row index: a range-partitioned shuffle).
        JavaRDD<Row> ordered = decoded.sortByKey(true, sequences.getNumPartitions()).values();
        return data.sparkSession().createDataFrame(ordered, schema);
    }

    /** The covariates an input–output HMM's transitions read (none for the other models). */
    private static List<String> covariateNames(io.emkit.hmm.StateSequenceModel<?> model) {
        return model instanceof io.emkit.hmm.covariates.CovariateHmmModel c ? c.covariateNames() : List.of();
    }

    /** Refuses columns that are not as many as the model's features and covariates. */
    private static void checkColumns(io.emkit.hmm.StateSequenceModel<?> model, List<String> columns) {
        int covariates = covariateNames(model).size();
        if (columns.size() != model.dimension() + covariates) {
            throw new EmkitException("the model has " + model.dimension() + " features"
                    + (covariates == 0 ? "" : " and " + covariates + " covariates") + " but " + columns.size()
                    + " columns were given");
        }
    }

    /**
     * A model with the data it scores: one partition's sequences as the model reads them (an input–output HMM's
     * steps split into observations and covariates).
     *
     * @param model the model
     * @param data  its data
     * @param steps the sequences' steps
     * @param <D>   the data the model scores
     */
    private record Bound<D>(io.emkit.hmm.StateSequenceModel<D> model, D data, long steps) {
        double[] logLikelihoods() {
            return model.sequenceLogLikelihoods(data);
        }

        int[][] paths(boolean map) {
            return map ? model.mapStates(data) : model.viterbi(data);
        }

        double[][][] posteriors() {
            return model.posteriors(data);
        }
    }

    /**
     * {@code steps} (observations, then the model's covariates) bound to {@code model}, once every observation is
     * in the support of the model's emissions.
     */
    private static Bound<?> bind(io.emkit.hmm.StateSequenceModel<?> model, Sequences steps) {
        int d = model.dimension();
        Sequences observations = checked(model, steps.dimension() == d ? steps : steps.columns(0, d));
        if (model instanceof io.emkit.hmm.covariates.CovariateHmmModel c) {
            return new Bound<>(c, io.emkit.hmm.covariates.CovariateSequences.of(observations,
                    steps.columns(d, steps.dimension()).rawValues(), c.covariateNames()), steps.totalLength());
        }
        if (model instanceof io.emkit.hmm.semimarkov.SemiMarkovModel m) {
            return new Bound<>(m, observations, steps.totalLength());
        }
        return new Bound<>((HiddenMarkovModel) model, observations, steps.totalLength());
    }

    /** {@code part}, once every observation is in the support of the model's emissions. */
    private static Sequences checked(io.emkit.hmm.StateSequenceModel<?> m, Sequences part) {
        int[] bad = part.firstViolation(m.emission().kind()::violation);
        if (bad != null) {
            double v = valueAt(part, bad[0], bad[1]);
            throw new EmkitException("column '" + part.featureNames().get(bad[1]) + "': "
                    + m.emission().kind().violation(v) + ", outside the support of " + m.emission().kind()
                    + " emissions");
        }
        return part;
    }

    /** The value of column {@code j} at global step {@code row} of {@code part}. */
    private static double valueAt(Sequences part, int row, int j) {
        for (int q = 0; q < part.count(); q++) {
            if (row < part.start(q) + part.length(q)) {
                return part.sequence(q)[row - part.start(q)][j];
            }
        }
        return Double.NaN;
    }

    /**
     * The rows of {@code data} grouped into sequences (a shuffle), each whole in one partition, persisted and already
     * computed (two jobs: the rows read into pieces and counted, then grouped); within a partition the sequences are
     * ordered by their first row, and each sequence's steps by time (with a time column) or by row.
     */
    private static JavaRDD<Sequence> group(org.apache.spark.sql.Dataset<Row> data, String sequenceColumn,
                                           String timeColumn, List<String> columns) {
        return group(data, sequenceColumn, timeColumn, columns, null, null);
    }

    /**
     * As above, each step carrying after its numeric columns its class's index into {@code classNames} when
     * {@code labelColumn} is given (-1 for a null, blank or {@code NA} cell).
     */
    private static JavaRDD<Sequence> group(org.apache.spark.sql.Dataset<Row> data, String sequenceColumn,
                                           String timeColumn, List<String> columns, String labelColumn,
                                           List<String> classNames) {
        List<String> known = List.of(data.columns());
        for (String c : java.util.Arrays.asList(sequenceColumn, timeColumn)) {
            if (c != null && !known.contains(c)) {
                throw new EmkitException("no column '" + c + "' in the data (columns: " + String.join(", ", known)
                        + ")");
            }
        }
        if (timeColumn != null) {
            if (timeColumn.equals(sequenceColumn)) {
                throw new EmkitException("--sequence-column and --time-column name the same column");
            }
            if (!(data.schema().apply(timeColumn).dataType() instanceof org.apache.spark.sql.types.NumericType)) {
                throw new EmkitException("--time-column '" + timeColumn + "' is not a numeric column");
            }
        }
        // selectNumeric checks the columns (present, numeric).
        SparkFit.selectNumeric(data, columns);
        List<org.apache.spark.sql.Column> selected = new ArrayList<>();
        // Without a sequence column every row is in sequence 1 (the local engine's name for it).
        selected.add(sequenceColumn == null ? functions.lit(1) : quoted(data, sequenceColumn));
        selected.add(timeColumn == null ? functions.lit(0) : quoted(data, timeColumn));
        for (String c : columns) {
            selected.add(quoted(data, c).cast("double"));
        }
        boolean labelled = labelColumn != null;
        if (labelled) {
            if (!known.contains(labelColumn)) {
                throw new EmkitException("no column '" + labelColumn + "' in the data (columns: "
                        + String.join(", ", known) + ")");
            }
            // As the single-machine reader sees a cell: trimmed text (a number as Spark writes it).
            selected.add(functions.trim(quoted(data, labelColumn).cast("string")));
        }
        List<String> classes = labelled ? List.copyOf(classNames) : List.of();
        org.apache.spark.sql.Dataset<Row> values = data.select(selected.toArray(new org.apache.spark.sql.Column[0]));
        boolean timed = timeColumn != null;
        int d = columns.size();
        String idName = sequenceColumn;
        String timeName = timeColumn;
        int partitions = Math.max(1, data.javaRDD().getNumPartitions());
        int width = labelled ? d + 1 : d;
        // Each partition's rows as pieces of sequences (a sequence's rows in it, at most 16,384 rows a piece),
        // so that the shuffle moves a few records of arrays rather than a record per row: 200,000 rows of 3
        // columns in 100 sequences took 4.3 s to group row by row, Java-serialised one at a time. The pieces are
        // held until grouped: the rows are read once, and counting them (for each row's index among all rows)
        // reads the pieces, not the data again.
        JavaRDD<Tuple2<Object, Piece>> cut = values.javaRDD().mapPartitionsWithIndex((partition, it) ->
                new PieceCutter(partition, it, width, timed, idName, timeName, (r, x) -> {
                    if (labelled) {
                        String cell = r.isNullAt(d + 2) ? "" : r.getString(d + 2);
                        x[d] = cell.isEmpty() || cell.equals("NA") ? -1 : classes.indexOf(cell);
                    }
                    for (int j = 0; j < d; j++) {
                        if (r.isNullAt(j + 2)) {
                            throw new EmkitException("column '" + columns.get(j) + "': missing (null) value; a hidden"
                                    + " Markov model needs a value in every cell");
                        }
                        x[j] = r.getDouble(j + 2);
                    }
                }), true).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[] firstRow = new long[cut.getNumPartitions()];
            for (long[] count : cut.mapPartitionsWithIndex((partition, it) -> {
                long rows = 0;
                while (it.hasNext()) {
                    rows += it.next()._2().rows().length;
                }
                return List.of(new long[] {partition, rows}).iterator();
            }, true).collect()) {
                if (count[0] + 1 < firstRow.length) {
                    firstRow[(int) count[0] + 1] = count[1];
                }
            }
            for (int p = 1; p < firstRow.length; p++) {
                firstRow[p] += firstRow[p - 1];
            }
            JavaRDD<Sequence> grouped = JavaPairRDD.fromJavaRDD(cut).groupByKey(new HashPartitioner(partitions))
                    .map(g -> sequence(g._1(), g._2(), firstRow, width, timeName))
                    .mapPartitions(it -> {
                        // The shuffle delivers a partition's sequences in no fixed order: by first row, for
                        // reproducible sums.
                        List<Sequence> part = new ArrayList<>();
                        it.forEachRemaining(part::add);
                        part.sort(Comparator.comparingLong(Sequence::first));
                        return part.iterator();
                    }, true).persist(StorageLevel.MEMORY_AND_DISK());
            grouped.count();
            return grouped;
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        } finally {
            cut.unpersist(false);
        }
    }

    /**
     * A sequence from its pieces: its rows in order (by time, with {@code timeName}), each piece's rows numbered
     * among all rows from {@code firstRow}, the index of each partition's first row.
     */
    private static Sequence sequence(Object id, Iterable<Piece> pieces, long[] firstRow, int width, String timeName) {
        // A partition's pieces hold increasing rows, and every row of a partition precedes the next partition's:
        // the pieces by first row are the sequence's rows in order.
        List<Piece> parts = new ArrayList<>();
        pieces.forEach(parts::add);
        parts.sort(Comparator.comparingLong(p -> firstRow[p.partition()] + p.rows()[0]));
        boolean timed = timeName != null;
        int n = 0;
        for (Piece part : parts) {
            n += part.rows().length;
        }
        long[] index = new long[n];
        Object[] times = timed ? new Object[n] : null;
        double[] values = new double[n * width];
        int at = 0;
        for (Piece part : parts) {
            System.arraycopy(part.values(), 0, values, at * width, part.values().length);
            for (int i = 0; i < part.rows().length; i++, at++) {
                index[at] = firstRow[part.partition()] + part.rows()[i];
                if (timed) {
                    times[at] = part.times()[i];
                }
            }
        }
        long first = index[0];
        if (timed) {
            // By time, rows of equal times in row order (a stable sort), then no time twice.
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Object[] inRowOrder = times;
            java.util.Arrays.sort(order, Comparator.comparingDouble(i -> ((Number) inRowOrder[i]).doubleValue()));
            long[] sortedIndex = new long[n];
            Object[] sortedTimes = new Object[n];
            double[] sortedValues = new double[n * width];
            for (int i = 0; i < n; i++) {
                sortedIndex[i] = index[order[i]];
                sortedTimes[i] = times[order[i]];
                System.arraycopy(values, order[i] * width, sortedValues, i * width, width);
            }
            index = sortedIndex;
            times = sortedTimes;
            values = sortedValues;
            for (int i = 1; i < n; i++) {
                double a = ((Number) times[i - 1]).doubleValue();
                if (((Number) times[i]).doubleValue() == a) {
                    long early = Math.min(index[i - 1], index[i]);
                    long late = Math.max(index[i - 1], index[i]);
                    throw new EmkitException("column '" + timeName + "': time " + a + " appears twice in sequence '"
                            + id + "' (data rows " + (early + 1) + " and " + (late + 1) + ")");
                }
            }
        }
        return new Sequence(first, id, index, times, values);
    }

    /**
     * A sequence's rows from one partition of the data, in row order: their indices within the partition, their time
     * cells (or {@code null} without a time column) and their values, {@code width} a row, row after row.
     */
    private record Piece(int partition, long[] rows, Object[] times, double[] values) implements Serializable {
        /** A growing piece. */
        static final class Builder {
            private final int width;
            private final boolean timed;
            private long[] rows = new long[16];
            private Object[] times;
            private double[] values;
            private int count;

            Builder(int width, boolean timed) {
                this.width = width;
                this.timed = timed;
                this.times = timed ? new Object[16] : null;
                this.values = new double[16 * width];
            }

            void add(long row, Object time, double[] x) {
                if (count == rows.length) {
                    rows = java.util.Arrays.copyOf(rows, 2 * count);
                    values = java.util.Arrays.copyOf(values, 2 * count * width);
                    if (timed) {
                        times = java.util.Arrays.copyOf(times, 2 * count);
                    }
                }
                rows[count] = row;
                if (timed) {
                    times[count] = time;
                }
                System.arraycopy(x, 0, values, count * width, width);
                count++;
            }

            Piece build(int partition) {
                return new Piece(partition, java.util.Arrays.copyOf(rows, count),
                        timed ? java.util.Arrays.copyOf(times, count) : null,
                        java.util.Arrays.copyOf(values, count * width));
            }
        }
    }

    /** Reads a row's values (after its sequence id and time cells) into {@code x}, or refuses a cell. */
    private interface ValueReader extends Serializable {
        void read(Row r, double[] x);
    }

    /**
     * A partition's rows as pieces of sequences: the rows are read in order into a piece per sequence (numbered within
     * the partition), and every {@link #ROWS_HELD} rows (and at the end) the pieces are handed on, so that the
     * reading holds no more rows than that (the pieces handed on are cached by Spark, memory else disk, until
     * grouped).
     */
    private static final class PieceCutter implements java.util.Iterator<Tuple2<Object, Piece>> {
        private static final int ROWS_HELD = 1 << 14;
        private final int partition;
        private final java.util.Iterator<Row> input;
        private final int width;
        private final boolean timed;
        private final String idName;
        private final String timeName;
        private final ValueReader values;
        private final double[] x;
        private final java.util.Map<Object, Piece.Builder> open = new java.util.LinkedHashMap<>();
        private java.util.Iterator<Tuple2<Object, Piece>> ready = java.util.Collections.emptyIterator();

        private long row;

        PieceCutter(int partition, java.util.Iterator<Row> input, int width, boolean timed, String idName,
                    String timeName, ValueReader values) {
            this.partition = partition;
            this.input = input;
            this.width = width;
            this.timed = timed;
            this.idName = idName;
            this.timeName = timeName;
            this.values = values;
            this.x = new double[width];
        }

        @Override
        public boolean hasNext() {
            while (!ready.hasNext() && input.hasNext()) {
                cut();
            }
            return ready.hasNext();
        }

        @Override
        public Tuple2<Object, Piece> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.next();
        }

        private void cut() {
            for (int held = 0; held < ROWS_HELD && input.hasNext(); held++) {
                Row r = input.next();
                Object id = r.get(0);
                if (id == null) {
                    throw new EmkitException("column '" + idName + "': missing (null) sequence id");
                }
                Object time = null;
                if (timed) {
                    time = r.get(1);
                    if (time == null) {
                        throw new EmkitException("column '" + timeName + "': missing (null) time");
                    }
                }
                values.read(r, x);
                open.computeIfAbsent(id, k -> new Piece.Builder(width, timed)).add(row++, time, x);
            }
            List<Tuple2<Object, Piece>> built = new ArrayList<>(open.size());
            open.forEach((id, piece) -> built.add(new Tuple2<>(id, piece.build(partition))));
            open.clear();
            ready = built.iterator();
        }
    }

    private static org.apache.spark.sql.Column quoted(org.apache.spark.sql.Dataset<Row> data, String name) {
        return data.col("`" + name.replace("`", "``") + "`");
    }

    /**
     * The longest sequence of {@code data}: the most rows of one value of {@code sequenceColumn} (one job), or every
     * row without one.
     *
     * @param data           the rows
     * @param sequenceColumn the column of sequence ids, or {@code null}
     * @return its number of steps
     * @throws EmkitException if the column is not in the data, or the data have no rows
     */
    public static int longestSequence(org.apache.spark.sql.Dataset<Row> data, String sequenceColumn) {
        if (sequenceColumn != null && !List.of(data.columns()).contains(sequenceColumn)) {
            throw new EmkitException("no column '" + sequenceColumn + "' in the data (columns: "
                    + String.join(", ", data.columns()) + ")");
        }
        try {
            long longest;
            if (sequenceColumn == null) {
                longest = data.count();
            } else {
                Row most = data.groupBy(quoted(data, sequenceColumn)).count().agg(functions.max("count")).first();
                longest = most.isNullAt(0) ? 0 : most.getLong(0);
            }
            if (longest == 0) {
                throw new EmkitException("the data have no rows to fit");
            }
            return (int) Math.min(Integer.MAX_VALUE, longest);
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }

    /**
     * How many sequences {@code data} holds: distinct values of {@code sequenceColumn} (one job), or 1 without one.
     *
     * @param data           the rows
     * @param sequenceColumn the column of sequence ids, or {@code null}
     * @return the number of sequences
     */
    public static long countSequences(org.apache.spark.sql.Dataset<Row> data, String sequenceColumn) {
        if (sequenceColumn == null) {
            return 1;
        }
        try {
            return data.select(data.col("`" + sequenceColumn.replace("`", "``") + "`")).distinct().count();
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        }
    }
}
