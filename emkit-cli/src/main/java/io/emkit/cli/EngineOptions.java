package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.data.InvalidDataException;
import io.emkit.data.TextTable;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * {@code --engine} and {@code --master}: where a command runs (a fit, or a model applied to data). A picocli mixin
 * shared by the commands that can run on a cluster.
 */
public final class EngineOptions {
    @Option(names = "--engine", paramLabel = "local|spark",
            description = "Where to run: local (this JVM, default) or spark (Apache Spark: local mode by default,"
                    + " or the cluster of --master / spark-submit; DATA may then be any path Spark reads, CSV or"
                    + " .parquet).")
    String engine = "local";

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master, e.g. local[*] or spark://host:7077. Default:"
                    + " spark-submit's, else local[N] with N = --threads when given, else local[*].")
    String master;

    /** Made by picocli. */
    public EngineOptions() {
    }

    /** @return whether the command runs in this JVM ({@code --engine local}, the default) */
    public boolean isLocal() {
        return engine.equalsIgnoreCase("local");
    }

    /**
     * Opens the data on the chosen engine.
     *
     * @param path the data as the user typed it
     * @param data how to read it
     * @return the open data; close it to stop the engine's session
     */
    public ClusterEngine.Data open(String path, DataOptions data) {
        if (io.emkit.data.DataFiles.STANDARD_INPUT.equals(path)) {
            throw new EmkitException("--engine " + engine + " reads a path, not standard input ('-'); give the"
                    + " data's path, or leave out --engine");
        }
        ClusterEngine found = null;
        for (ClusterEngine e : ServiceLoader.load(ClusterEngine.class)) {
            if (e.name().equalsIgnoreCase(engine)) {
                found = e;
            }
        }
        if (found == null) {
            throw new EmkitException(engine.equalsIgnoreCase("spark")
                    ? "--engine spark: this emkit has no Spark engine; run it through ./emkit (which adds Spark when"
                    + " --engine spark is given) or spark-submit emkit-spark.jar (see docs/spark.md)"
                    : "--engine must be local or spark, got '" + engine + "'");
        }
        return found.open(path, data.header(), master);
    }

    /**
     * The DATA argument as typed: a URL such as hdfs://host/path must not go through Path's normalisation.
     *
     * @param spec the command
     * @return its first positional parameter, as typed
     */
    public static String dataArgument(picocli.CommandLine.Model.CommandSpec spec) {
        return spec.positionalParameters().get(0).originalStringValues().get(0);
    }

    /**
     * The columns a Gaussian fit uses: those of --columns, else every numeric one (with a note for the others).
     *
     * @param data    the open data
     * @param options --columns
     * @param file    the data as the user named them, for messages
     * @param notes   where the notes on columns left out go
     * @return the columns' names
     */
    public static List<String> numericColumns(ClusterEngine.Data data, DataOptions options, String file, Consumer<String> notes) {
        List<String> names = data.columnNames();
        List<String> chosen = new ArrayList<>();
        if (options.columnsGiven()) {
            for (String c : options.columns()) {
                int j = TextTable.columnIndex(file, names, c.trim());
                if (!data.isNumeric(j)) {
                    throw InvalidDataException.atColumn(file, j + 1, names.get(j), "not numeric");
                }
                chosen.add(names.get(j));
            }
            return chosen;
        }
        for (int j = 0; j < names.size(); j++) {
            if (data.isNumeric(j)) {
                chosen.add(names.get(j));
            } else {
                notes.accept(CliSupport.ignoredColumnNote(names.get(j)));
            }
        }
        if (chosen.isEmpty()) {
            throw InvalidDataException.ofFile(file, "no numeric columns to fit");
        }
        return chosen;
    }

    /**
     * The columns a saved model is applied to on another engine, as {@link ModelInput} picks them from a file: the
     * model's features by name when the data have them all and {@code --columns} is not given, else the chosen (or
     * all) numeric columns, which must be as many as the model's features.
     *
     * @param data    the open data
     * @param options --columns
     * @param model   the model
     * @param file    the data as the user named them, for messages
     * @return the columns' names, in the model's order
     */
    public static List<String> modelColumns(ClusterEngine.Data data, DataOptions options,
                                            io.emkit.mixture.ClusteringModel model, String file) {
        List<String> features = model.featureNames();
        if (!options.columnsGiven() && data.columnNames().containsAll(features)) {
            return features;
        }
        if (model instanceof io.emkit.families.ProductMixtureModel) {
            throw new EmkitException(file + ": the model's columns (" + EmkitException.list(features) + ") are not all"
                    + " in the data (" + EmkitException.list(data.columnNames()) + ")");
        }
        List<String> chosen = numericColumns(data, options, file, note -> { });
        if (chosen.size() != model.dimension()) {
            throw new EmkitException(file + ": the model has " + model.dimension() + " features ("
                    + EmkitException.list(features) + ") but the file has " + chosen.size() + " numeric column"
                    + (chosen.size() == 1 ? "" : "s") + " (" + EmkitException.list(chosen) + "); choose them with --columns");
        }
        return chosen;
    }

    /**
     * The observation columns of a hidden Markov model on another engine, as {@link HmmData} picks them from a file:
     * the model's features by name when the data have them all and {@code --columns} is not given, else the chosen
     * (or all) numeric columns but the sequence and time columns.
     *
     * @param held     the open data
     * @param options  --columns
     * @param file     the data as the user named them, for messages
     * @param sequence the sequence column's name, or null
     * @param time     the time column's name, or null
     * @param features the model's features, or null without a model
     * @param notes    where the notes on columns left out go
     * @return the columns' names
     */
    public static List<String> observationColumns(ClusterEngine.Data held, DataOptions options, String file,
                                                  String sequence, String time, List<String> features,
                                                  java.io.PrintWriter notes) {
        List<String> all = held.columnNames();
        if (sequence != null && sequence.equals(time)) {
            throw new EmkitException("--sequence-column and --time-column name the same column");
        }
        if (time != null && !held.isNumeric(all.indexOf(time))) {
            throw new EmkitException(file + ": --time-column '" + time + "' is not a numeric column");
        }
        if (features != null && !options.columnsGiven() && all.containsAll(features)) {
            return features;
        }
        List<String> chosen = new ArrayList<>();
        if (options.columnsGiven()) {
            for (String c : options.columns()) {
                int j = TextTable.columnIndex(file, all, c.trim());
                if (!held.isNumeric(j)) {
                    throw InvalidDataException.atColumn(file, j + 1, all.get(j), "not numeric");
                }
                if (!all.get(j).equals(sequence) && !all.get(j).equals(time)) {
                    chosen.add(all.get(j));
                }
            }
        } else {
            for (int j = 0; j < all.size(); j++) {
                if (all.get(j).equals(sequence) || all.get(j).equals(time)) {
                    continue;
                }
                if (held.isNumeric(j)) {
                    chosen.add(all.get(j));
                } else {
                    notes.println("note: ignoring non-numeric column '" + all.get(j) + "' (choose columns with --columns)");
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new EmkitException(file + ": no observation columns (every numeric column is the sequence or"
                    + " time column); choose them with --columns");
        }
        return chosen;
    }

    /**
     * A column named (or numbered from 1) by an option, as the data on another engine name it.
     *
     * @param held   the open data
     * @param file   the data as the user named them, for messages
     * @param column the option's value, or null
     * @return the column's name, or null when {@code column} is
     */
    public static String columnName(ClusterEngine.Data held, String file, String column) {
        if (column == null) {
            return null;
        }
        List<String> all = held.columnNames();
        return all.get(TextTable.columnIndex(file, all, column.trim()));
    }

    /**
     * The value of an option as typed (a URL such as hdfs://host/out must not go through Path's normalisation).
     *
     * @param spec   the command
     * @param option the option's name
     * @return its value, or {@code null} when not given
     */
    public static String typed(picocli.CommandLine.Model.CommandSpec spec, String option) {
        picocli.CommandLine.Model.OptionSpec o = spec.commandLine().getParseResult().matchedOption(option);
        return o == null ? null : o.stringValues().get(o.stringValues().size() - 1);
    }

    /**
     * Refuses the options that only apply to a command in this JVM.
     *
     * @param parse   the command line
     * @param options the options to refuse with another engine
     */
    public void refuse(picocli.CommandLine.ParseResult parse, String... options) {
        if (parse.hasMatchedOption("--master") && isLocal()) {
            throw new EmkitException("--master applies to --engine spark only");
        }
        if (isLocal()) {
            return;
        }
        for (String o : options) {
            if (parse.hasMatchedOption(o)) {
                throw new EmkitException(o + " cannot be combined with --engine " + engine
                        + (o.equals("--threads") ? " (choose Spark's cores with --master local[N])"
                        : o.equals("--delimiter") ? " (Spark reads comma-separated CSV, or Parquet)"
                        : " (it needs the data in this JVM's memory)"));
            }
        }
    }
}
