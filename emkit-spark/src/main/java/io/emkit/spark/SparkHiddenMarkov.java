package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.HmmStatistics;
import io.emkit.hmm.Sequences;
import io.emkit.io.ModelFiles;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fits a {@link HiddenMarkov} model by Baum–Welch on a Spark {@code Dataset<Row>} of time steps, with sequences as
 * the units: a sequence-id column says which sequence each row (time step) belongs to, and a sequence's steps are
 * its rows in the data frame's order (a file's line order). The rows are grouped by sequence once (a shuffle), each
 * sequence whole in one partition — a sequence is never split, since forward–backward runs along it — and
 * persisted ({@code MEMORY_AND_DISK}); within a partition the sequences are ordered by their first row.
 *
 * <p>Each E-step broadcasts the parameters as their model file, every partition runs the single-machine E-step
 * ({@link BaumWelchSteps#expectation}) over its sequences, and the partitions' statistics are merged along the same
 * fixed tree as the mixtures' ({@link SparkGaussianMixture}); the M-step, restarts and the convergence test are the
 * single-machine loop's ({@link HiddenMarkov#fit(ExpectationRunner, long, Sequences)}). The initialisation looks at
 * every sequence when the data hold at most {@value SparkFit#SAMPLE_ROWS} steps (so the fit starts where the
 * single-machine fit of the same sequences starts), else at a uniform sample of the sequences. Given the same
 * start, the result agrees with the single-machine fit to rounding.
 *
 * <p>Limits: a sequence must fit in an executor's memory (it is one array there), and the rows need a value in
 * every cell (as {@code emkit hmm} needs complete rows).
 */
public final class SparkHiddenMarkov {
    private SparkHiddenMarkov() {
    }

    /** One sequence: its first row's index among all rows (its place), and its steps. */
    private record Sequence(long first, double[][] steps) implements Serializable {
    }

    /**
     * Fits the configured model to the sequences of {@code data}.
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
        if (sequenceColumn != null && !List.of(data.columns()).contains(sequenceColumn)) {
            throw new EmkitException("no column '" + sequenceColumn + "' in the data (columns: "
                    + String.join(", ", data.columns()) + ")");
        }
        // selectNumeric checks the columns (present, numeric) and casts them to double.
        org.apache.spark.sql.Dataset<Row> values = sequenceColumn == null ? SparkFit.selectNumeric(data, columns)
                : data.select(selectWithId(data, sequenceColumn, columns));
        boolean keyed = sequenceColumn != null;
        int d = columns.size();
        String idName = sequenceColumn;
        int partitions = Math.max(1, data.javaRDD().getNumPartitions());
        JavaPairRDD<Object, Tuple2<Long, double[]>> steps = values.javaRDD().zipWithIndex().mapToPair(t -> {
            Row r = t._1();
            Object id = 0;
            if (keyed) {
                id = r.get(0);
                if (id == null) {
                    throw new EmkitException("column '" + idName + "': missing (null) sequence id");
                }
            }
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                int at = keyed ? j + 1 : j;
                if (r.isNullAt(at)) {
                    throw new EmkitException("column '" + columns.get(j) + "': missing (null) value; a hidden Markov"
                            + " model needs a value in every cell");
                }
                x[j] = ((Number) r.get(at)).doubleValue();
            }
            return new Tuple2<>(id, new Tuple2<>(t._2(), x));
        });
        JavaRDD<Sequence> sequences = steps.groupByKey(new HashPartitioner(partitions)).map(g -> {
            List<Tuple2<Long, double[]>> rows = new ArrayList<>();
            g._2().forEach(rows::add);
            rows.sort(Comparator.comparingLong(Tuple2::_1));
            double[][] s = new double[rows.size()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = rows.get(i)._2();
            }
            return new Sequence(rows.get(0)._1(), s);
        }).mapPartitions(it -> {
            // The shuffle delivers a partition's sequences in no fixed order: by first row, for reproducible sums.
            List<Sequence> part = new ArrayList<>();
            it.forEachRemaining(part::add);
            part.sort(Comparator.comparingLong(Sequence::first));
            return part.iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<long[]> counts = sequences.map(s -> new long[] {1, s.steps().length}).collect();
            long count = 0;
            long totalSteps = 0;
            for (long[] c : counts) {
                count += c[0];
                totalSteps += c[1];
            }
            if (count == 0) {
                throw new EmkitException("the data have no rows to fit");
            }
            List<Sequence> drawn = totalSteps <= SparkFit.SAMPLE_ROWS ? sequences.collect()
                    : sequences.takeSample(false, (int) Math.max(1, count * SparkFit.SAMPLE_ROWS / totalSteps),
                    config.options().seed());
            List<double[][]> sample = new ArrayList<>();
            drawn.stream().sorted(Comparator.comparingLong(Sequence::first)).forEach(s -> sample.add(s.steps()));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
            List<String> names = List.copyOf(columns);
            ExpectationRunner<HiddenMarkovModel, HmmStatistics> runner = params -> {
                Broadcast<String> model = sc.broadcast(ModelFiles.toJson(params));
                try {
                    JavaPairRDD<Integer, SparkFit.Partial<HmmStatistics>> partials = sequences.mapPartitionsWithIndex(
                            (index, it) -> {
                                HiddenMarkovModel p = ModelFiles.hmmFromJson(model.value(),
                                        "broadcast model");
                                HmmStatistics stats = HmmStatistics.of(p);
                                List<double[][]> held = new ArrayList<>();
                                it.forEachRemaining(s -> held.add(s.steps()));
                                double ll = 0;
                                if (!held.isEmpty()) {
                                    Sequences part = Sequences.of(held, names);
                                    ll = BaumWelchSteps.expectation(p, part, 0, part.count(), stats);
                                }
                                return List.of(new Tuple2<>(index, new SparkFit.Partial<>(stats, ll))).iterator();
                            }, true).mapToPair(t -> t);
                    SparkFit.Partial<HmmStatistics> total = SparkFit.merge(partials, sequences.getNumPartitions());
                    return new Expectation<>(total.statistics(), total.logLikelihood());
                } finally {
                    model.destroy();
                }
            };
            return config.fit(runner, totalSteps, Sequences.of(sample, names));
        } catch (EmkitException e) {
            throw e;
        } catch (Exception e) {
            throw SparkFit.unwrap(e);
        } finally {
            sequences.unpersist(false);
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

    /** The sequence column, then the observation columns cast to double (checked as {@link SparkFit#selectNumeric} checks them). */
    private static org.apache.spark.sql.Column[] selectWithId(org.apache.spark.sql.Dataset<Row> data, String id,
                                                              List<String> columns) {
        SparkFit.selectNumeric(data, columns);
        org.apache.spark.sql.Column[] out = new org.apache.spark.sql.Column[columns.size() + 1];
        out[0] = data.col("`" + id.replace("`", "``") + "`");
        for (int j = 0; j < columns.size(); j++) {
            out[j + 1] = data.col("`" + columns.get(j).replace("`", "``") + "`").cast("double");
        }
        return out;
    }
}
