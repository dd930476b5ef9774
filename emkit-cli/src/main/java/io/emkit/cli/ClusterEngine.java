package io.emkit.cli;

import io.emkit.data.HeaderMode;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import io.emkit.data.Rows;
import io.emkit.mixture.ClusteringModel;
import io.emkit.mixture.MixtureModel;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;

import java.util.List;

/**
 * An engine that fits on data it reads and holds itself, outside this JVM's memory: {@code --engine NAME}.
 * Implementations are found with {@link java.util.ServiceLoader}, so the command runs without them (the
 * Spark engine, in emkit-spark-cli, is on the class path only in the Spark build of the command).
 */
public interface ClusterEngine {
    /** @return the name {@code --engine} selects, e.g. {@code spark} */
    String name();

    /**
     * Opens a data set: starts the engine's session and reads the data's schema.
     *
     * @param path   a path or URL the engine can read
     * @param header for CSV: whether the first line names the columns
     * @param master where to run ({@code local[4]}, {@code spark://host:7077}, ...), or {@code null} for the
     *               engine's default
     * @return the open data; close it to stop the session
     */
    Data open(String path, HeaderMode header, String master);

    /**
     * What an engine counts of the rows it holds under a fitted model.
     *
     * @param clusterSizes the rows in each component or cluster, each in its most probable one (its nearest)
     * @param missing      the missing cells among the model's features, and the rows with every one missing
     * @param rows         how many rows, counted for {@link Data#weighted} data (whose fit counts weight, not
     *                     rows), else -1
     * @param totalWeight  the rows' weights summed, for {@link Data#weighted} data, else {@code NaN}
     */
    record Counts(long[] clusterSizes, Rows.MissingCounts missing, long rows, double totalWeight) {
        /**
         * Counts of unweighted rows.
         *
         * @param clusterSizes the rows in each component or cluster
         * @param missing      the missing cells and the rows with every one missing
         */
        public Counts(long[] clusterSizes, Rows.MissingCounts missing) {
            this(clusterSizes, missing, -1, Double.NaN);
        }

        /** @return whether the rows were weighted ({@link #rows()} and {@link #totalWeight()} then hold) */
        public boolean weighted() {
            return rows >= 0;
        }
    }

    /**
     * The classes of a labels column, as the local commands name and order them ({@link io.emkit.labels.ClassLabels}).
     *
     * @param names  the classes, sorted by name
     * @param counts per class how many rows have it
     */
    record Classes(List<String> names, long[] counts) {
        /** @return how many rows have a class */
        public long labelledRows() {
            return java.util.Arrays.stream(counts).sum();
        }
    }

    /**
     * The log-likelihood of rows an engine holds.
     *
     * @param logLikelihood the rows' log densities, summed
     * @param rows          how many rows
     */
    record Score(double logLikelihood, long rows) {
    }

    /**
     * A hidden Markov model's fit on sequences an engine holds.
     *
     * @param fit       the fit, as the single-machine fit returns it ({@link EmResult#sampleCount()} steps)
     * @param sequences how many sequences
     */
    record SequenceFit(EmResult<io.emkit.hmm.HiddenMarkovModel> fit, long sequences) {
    }

    /**
     * A sequence model's fit by its distributed plan on sequences an engine holds.
     *
     * @param fit       the fit, as the single-machine fit returns it
     * @param sequences how many sequences
     * @param steps     how many steps (rows)
     * @param <P>       the model
     */
    record PlanFit<P>(EmResult<P> fit, long sequences, long steps) {
    }

    /**
     * The log-likelihood of sequences an engine holds.
     *
     * @param logLikelihood the sequences' log-likelihoods, summed
     * @param sequences     how many sequences
     * @param steps         how many steps (rows)
     */
    record SequenceScore(double logLikelihood, long sequences, long steps) {
    }

    /** A data set held by the engine, and the fits it runs on it. */
    interface Data extends AutoCloseable {
        /** @return every column of the data, in order */
        List<String> columnNames();

        /**
         * @param column a column, from 0
         * @return whether it holds numbers (else text)
         */
        boolean isNumeric(int column);

        /**
         * @param config  the fit
         * @param columns the numeric columns to fit, in order
         * @return the result, as the single-machine fit returns it ({@link EmResult#sampleCount()} rows)
         */
        EmResult<GaussianMixtureModel> fit(GaussianMixture config, List<String> columns);

        /**
         * Fits any mixture of numeric columns by its distributed plan (the configuration's {@code distributed()}).
         *
         * @param plan    the configured fit's plan
         * @param seed    the seed of the initialisation's sample (the configuration's)
         * @param columns the numeric columns to fit, in order; null or NaN cells are missing
         * @param <P>     the fitted model
         * @return the result, as the single-machine fit returns it ({@link EmResult#sampleCount()} rows)
         */
        <P extends ClusteringModel> EmResult<P> fit(io.emkit.em.DistributedFit<P, ?> plan, long seed,
                                                    List<String> columns);

        /**
         * @param config  the fit, with one family per column
         * @param columns the columns to fit, in order; a categorical column's categories are its distinct
         *                values, sorted (numbers by value)
         * @return the result, as the single-machine fit returns it ({@link EmResult#sampleCount()} rows)
         */
        EmResult<ProductMixtureModel> fit(ProductMixture config, List<String> columns);

        /**
         * @param config  the fit
         * @param columns the numeric columns to cluster, in order
         * @return the result, as the single-machine fit returns it ({@link EmResult#sampleCount()} rows)
         */
        EmResult<KMeansModel> fit(KMeans config, List<String> columns);

        /**
         * One pass over the rows under a fitted model: what the local summary shows of the rows it holds.
         *
         * @param model   a fitted model (k-means, Gaussian or product mixture)
         * @param columns the model's features, in order
         * @return how many rows are in each component (the model's {@code predict}) and what is missing
         */
        Counts count(ClusteringModel model, List<String> columns);

        /**
         * Fits a hidden Markov model with the sequences as the units, each sequence's steps in the data's row order
         * or in the order of a time column.
         *
         * @param config         the model
         * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
         * @param timeColumn     the numeric column ordering each sequence's steps, or {@code null} for the row order
         * @param columns        the numeric observation columns, in order
         * @return the fit and the number of sequences
         */
        SequenceFit fit(io.emkit.hmm.HiddenMarkov config, String sequenceColumn, String timeColumn,
                        List<String> columns);

        /**
         * Fits any sequence model whose statistics add up over sequences by its distributed plan (a hidden
         * semi-Markov model's, an input–output HMM's, a labelled HMM's), with the sequences as the units as
         * {@link #fit(io.emkit.hmm.HiddenMarkov, String, String, List)} groups them.
         *
         * @param plan           the configured fit's plan
         * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
         * @param timeColumn     the numeric column ordering each sequence's steps, or {@code null} for the row order
         * @param columns        the numeric columns each step carries, in the plan's order (observations, then
         *                       covariates)
         * @param labelColumn    a labels column whose class index each step carries last, or {@code null}
         * @param classNames     the classes ({@link #classes}' names), with a labels column
         * @param <P>            the model
         * @return the fit and the numbers of sequences and steps
         * @throws io.emkit.EmkitException on an engine that cannot fit sequence models by their plans
         */
        default <P extends io.emkit.hmm.StateSequenceModel<?>> PlanFit<P> fit(
                io.emkit.em.DistributedFit.OverSequences<P, ?> plan, String sequenceColumn, String timeColumn,
                List<String> columns, String labelColumn, List<String> classNames) {
            throw new io.emkit.EmkitException("this model is not available on this engine");
        }

        /**
         * The longest sequence's steps.
         *
         * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
         * @return its length
         * @throws io.emkit.EmkitException on an engine that cannot count them
         */
        default int longestSequence(String sequenceColumn) {
            throw new io.emkit.EmkitException("semi-Markov models are not available on this engine");
        }

        /**
         * {@code emkit hmm score}: the total log-likelihood of the sequences under a hidden Markov, hidden
         * semi-Markov or input–output hidden Markov model.
         *
         * @param model          the model
         * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
         * @param timeColumn     the numeric column ordering each sequence's steps, or {@code null} for the row order
         * @param columns        the model's observation columns, in order, then its covariate columns (an
         *                       input–output HMM's), in order
         * @return the sum, and the numbers of sequences and steps
         */
        SequenceScore score(io.emkit.hmm.StateSequenceModel<?> model, String sequenceColumn, String timeColumn,
                            List<String> columns);

        /**
         * {@code emkit hmm decode}: writes every row's state where the engine writes, in the rows' order: the
         * sequence id (with a sequence column, as {@code sequence}), the time column (with one, as read) and
         * {@code state} (or, for a model whose states name classes, {@code class}: the state's class).
         *
         * @param model          a hidden Markov, hidden semi-Markov or input–output hidden Markov model
         * @param sequenceColumn the column of sequence ids, or {@code null} for one sequence of every row
         * @param timeColumn     the numeric column ordering each sequence's steps, or {@code null} for the row order
         * @param columns        the model's observation columns, in order, then its covariate columns (an
         *                       input–output HMM's), in order
         * @param map            each step's most probable state rather than the most probable path (Viterbi)
         * @param stateClasses   each state's class (a model fitted with labels), or {@code null}
         * @param posterior      whether to add each state's posterior probability, {@code p0 .. p(S-1)}
         * @param out            where: a new directory of CSV part files, or of Parquet files when it ends in
         *                       {@code .parquet}
         */
        void decode(io.emkit.hmm.StateSequenceModel<?> model, String sequenceColumn, String timeColumn,
                    List<String> columns, boolean map, List<String> stateClasses, boolean posterior, String out);

        /**
         * Writes {@code emkit predict}'s columns for every row where the engine writes: {@code label} (the model's
         * {@code predict}), then with {@code probabilities} {@code p0 .. p(K-1)} (and {@code p_noise} under a model
         * with a noise component), then with {@code uncertainty} {@code uncertainty}, 1 − the largest
         * responsibility. The rows keep their order.
         *
         * @param model         a fitted model
         * @param columns       the model's features, in order
         * @param probabilities whether to write the responsibilities (mixtures only)
         * @param uncertainty   whether to write the uncertainty (mixtures only)
         * @param out           where: a new directory of CSV part files, or of Parquet files when it ends in
         *                      {@code .parquet}
         */
        void predict(ClusteringModel model, List<String> columns, boolean probabilities, boolean uncertainty,
                     String out);

        /**
         * As {@link #predict(ClusteringModel, List, boolean, boolean, String)}, with columns of the input carried
         * first ({@code emkit predict --keep}): each row's cells of {@code kept}, in the given order, then the
         * predictions. An engine that cannot carry columns refuses them.
         *
         * @param model         a fitted model
         * @param columns       the model's features, in order
         * @param kept          the input's columns to carry, in order (empty for none)
         * @param probabilities whether to write the responsibilities (mixtures only)
         * @param uncertainty   whether to write the uncertainty (mixtures only)
         * @param out           where, as for {@link #predict(ClusteringModel, List, boolean, boolean, String)}
         * @throws io.emkit.EmkitException when {@code kept} is not empty and the engine cannot carry columns
         */
        default void predict(ClusteringModel model, List<String> columns, List<String> kept, boolean probabilities,
                             boolean uncertainty, String out) {
            if (!kept.isEmpty()) {
                throw new io.emkit.EmkitException("--keep is not available on this engine");
            }
            predict(model, columns, probabilities, uncertainty, out);
        }

        /**
         * {@code emkit predict} of a mixture whose components stand for classes: as {@link #predict}, with a
         * {@code class} column in place of {@code label}, the class whose components' responsibilities (each times
         * its class's factor) sum highest, the first on a tie.
         *
         * @param model            the mixture
         * @param componentClasses per component its class
         * @param classScale       per class, in the order classes first appear among the components, the factor of
         *                         its responsibilities (1 for the model's own priors)
         * @param columns          the model's features, in order
         * @param probabilities    whether to add p0 ... (the components' responsibilities)
         * @param uncertainty      whether to add one minus the largest responsibility
         * @param out              where to write
         */
        void predictClasses(MixtureModel model, List<String> componentClasses, double[] classScale,
                            List<String> columns, boolean probabilities, boolean uncertainty, String out);

        /**
         * The classes of a labels column: its distinct cells, trimmed, sorted; an empty or {@code NA} cell is an
         * unlabelled row.
         *
         * @param labelColumn the column
         * @return the classes and their counts
         */
        Classes classes(String labelColumn);

        /**
         * Fits a mixture whose rows carry their class: each row is its numeric columns followed by its class's
         * index into {@code classNames} ({@code NaN} when it has none), as a labelled plan's kernel expects
         * ({@code SemiSupervisedGaussianMixture.distributed(classNames)}).
         *
         * @param plan        the configured fit's plan, made for {@code classNames}
         * @param seed        the seed of the initialisation's sample
         * @param columns     the numeric columns to fit, in order (not the labels column)
         * @param labelColumn the labels column
         * @param classNames  the classes ({@link #classes}' names)
         * @param <P>         the fitted model
         * @return the result, as the single-machine fit returns it
         */
        <P extends ClusteringModel> EmResult<P> fit(io.emkit.em.DistributedFit<P, ?> plan, long seed,
                                                    List<String> columns, String labelColumn, List<String> classNames);

        /**
         * Fits a mixture of independent columns whose rows carry their class, as
         * {@link #fit(io.emkit.em.DistributedFit, long, List, String, List)} does for numeric columns.
         *
         * @param config      the fit, with one family per column; a categorical column's categories are its distinct
         *                    values, sorted
         * @param columns     the columns to fit, in order (not the labels column)
         * @param labelColumn the labels column
         * @param classNames  the classes ({@link #classes}' names)
         * @param plan        the plan of the configuration with its categories set
         * @return the result, as the single-machine fit returns it
         */
        EmResult<ProductMixtureModel> fit(ProductMixture config, List<String> columns, String labelColumn,
                                          List<String> classNames,
                                          java.util.function.Function<ProductMixture,
                                                  io.emkit.em.DistributedFit<ProductMixtureModel, ?>> plan);

        /**
         * Fits a mixture by its distributed plan on the rows of one class only ({@code emkit classify}'s MclustDA, a
         * mixture per class), in their order.
         *
         * @param plan        the configured fit's plan
         * @param seed        the seed of the initialisation's sample
         * @param columns     the numeric columns to fit, in order (not the labels column)
         * @param labelColumn the labels column
         * @param className   the class whose rows are fitted, as {@link #classes} names it
         * @param <P>         the fitted model
         * @return the result, as the single-machine fit on those rows returns it
         * @throws io.emkit.EmkitException on an engine that cannot fit one class's rows
         */
        default <P extends ClusteringModel> EmResult<P> fitClass(io.emkit.em.DistributedFit<P, ?> plan, long seed,
                                                                 List<String> columns, String labelColumn,
                                                                 String className) {
            throw new io.emkit.EmkitException("classify is not available on this engine");
        }

        /**
         * The same data with each row weighted by a numeric column (a row of weight w counts as w copies of it), as
         * the local engine weighs rows ({@code emkit classify --weights-column}): the weighted view's fits by plans
         * ({@link #fit(io.emkit.em.DistributedFit, long, List)}, the labelled one, {@link #fitClass}),
         * {@link #score}'s sum and {@link #classWeights} take the weights; counts, predictions and the confusion
         * matrix count rows ({@link #count} adds the rows' number and total weight). Closing the view leaves this data open.
         *
         * @param weightsColumn the column, as the data name it
         * @return the weighted view
         * @throws io.emkit.EmkitException on an engine that cannot weigh rows
         */
        default Data weighted(String weightsColumn) {
            throw new io.emkit.EmkitException("--weights-column is not available on this engine");
        }

        /**
         * The total weight of each class's rows, under {@link #weighted} data's weights.
         *
         * @param labelColumn the labels column
         * @param classNames  the classes ({@link #classes}' names)
         * @return per class its rows' weights summed
         * @throws io.emkit.EmkitException on an engine that cannot weigh rows, or on unweighted data
         */
        default double[] classWeights(String labelColumn, List<String> classNames) {
            throw new io.emkit.EmkitException("--weights-column is not available on this engine");
        }

        /**
         * The total weight of the rows nearest to each centroid, under {@link #weighted} data's weights
         * ({@code emkit kmeans --weights-column}'s {@code cluster_weights}).
         *
         * @param model   fitted centroids
         * @param columns the model's features, in order
         * @return per cluster its rows' weights summed
         * @throws io.emkit.EmkitException on an engine that cannot weigh rows, or on unweighted data
         */
        default double[] clusterWeights(io.emkit.kmeans.KMeansModel model, List<String> columns) {
            throw new io.emkit.EmkitException("--weights-column is not available on this engine");
        }

        /**
         * Each row's cell of a labels column, in the rows' order, trimmed, {@code null} for an empty or {@code NA}
         * cell: what {@link io.emkit.labels.ClassLabels#of} makes the local labels of ({@code emkit classify --cv}
         * deals the folds from them, on this machine).
         *
         * @param labelColumn the column
         * @return one cell per row
         * @throws io.emkit.EmkitException on an engine that cannot collect them
         */
        default List<String> labelCells(String labelColumn) {
            throw new io.emkit.EmkitException("classify --cv is not available on this engine");
        }

        /**
         * The rows whose group is {@code group} (or, with {@code in} false, is not), in their order, as data of their
         * own on the same engine: {@code emkit classify --cv}'s held-out and training rows. Closing it leaves this
         * data open.
         *
         * @param groupOfRow per row of this data, in order, its group
         * @param group      the group
         * @param in         whether to keep the group's rows (else every other row)
         * @return the rows
         * @throws io.emkit.EmkitException on an engine that cannot select rows by their place
         */
        default Data rows(int[] groupOfRow, int group, boolean in) {
            throw new io.emkit.EmkitException("classify --cv is not available on this engine");
        }

        /**
         * {@code emkit classify --cv}: the held-out rows' score under the classifier fitted without them, as
         * {@link io.emkit.labels.DiscriminantAnalysis#heldOutScore} gives it for rows in memory.
         *
         * @param model       the classifier
         * @param columns     its features, in order
         * @param labelColumn the labels column
         * @param classNames  the whole data's classes, sorted
         * @return the rows classified wrongly, and their Brier sum
         * @throws io.emkit.EmkitException on an engine that cannot score them, or for a row without a class
         */
        default double[] heldOutScore(io.emkit.labels.LabelledGaussianMixture model, List<String> columns,
                                      String labelColumn, List<String> classNames) {
            throw new io.emkit.EmkitException("classify --cv is not available on this engine");
        }

        /**
         * {@code emkit classify}'s training confusion matrix: every row's class under a mixture whose components stand
         * for classes, as {@link #predictClasses} decides it with the model's own priors, counted against the row's
         * class in the labels column; rows without a class are not counted.
         *
         * @param model            the mixture
         * @param componentClasses per component its class
         * @param columns          the model's features, in order
         * @param labelColumn      the labels column
         * @param classNames       the classes ({@link #classes}' names)
         * @return per class (a row, in {@code classNames} order) the rows predicted to be of each class (a column)
         * @throws io.emkit.EmkitException on an engine that cannot count them
         */
        default long[][] confusion(MixtureModel model, List<String> componentClasses, List<String> columns,
                                   String labelColumn, List<String> classNames) {
            throw new io.emkit.EmkitException("classify is not available on this engine");
        }

        /**
         * {@code emkit score}: the log-likelihood of every row under a mixture, summed.
         *
         * @param model     a fitted mixture
         * @param columns   the model's features, in order
         * @param perSample where to write each row's log density (column {@code log_density}), as
         *                  {@link #predict} writes, or {@code null}
         * @return the sum and the number of rows
         */
        Score score(MixtureModel model, List<String> columns, String perSample);

        /** Stops the engine's session. */
        @Override
        void close();
    }
}
