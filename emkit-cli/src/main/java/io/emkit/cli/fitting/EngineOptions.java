package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.DataOptions;
import io.emkit.EmkitException;
import io.emkit.data.InvalidDataException;
import io.emkit.data.TextTable;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/** {@code --engine} and {@code --master}: where a fit runs. Shared by the commands that can run on a cluster. */
final class EngineOptions {
    @Option(names = "--engine", paramLabel = "local|spark",
            description = "Where to fit: local (this JVM, default) or spark (Apache Spark: local mode by default,"
                    + " or the cluster of --master / spark-submit; DATA may then be any path Spark reads, CSV or"
                    + " .parquet).")
    String engine = "local";

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master, e.g. local[*] or spark://host:7077. Default:"
                    + " spark-submit's, else local[N] with N = --threads when given, else local[*].")
    String master;

    boolean isLocal() {
        return engine.equalsIgnoreCase("local");
    }

    /** Opens the data on the chosen engine. */
    ClusterEngine.Data open(String path, DataOptions data) {
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

    /** The DATA argument as typed: a URL such as hdfs://host/path must not go through Path's normalisation. */
    static String dataArgument(picocli.CommandLine.Model.CommandSpec spec) {
        return spec.positionalParameters().get(0).originalStringValues().get(0);
    }

    /** The columns a Gaussian fit uses: those of --columns, else every numeric one (with a note for the others). */
    static List<String> numericColumns(ClusterEngine.Data data, DataOptions options, String file, Consumer<String> notes) {
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

    /** Refuses the options that only apply to a fit in this JVM. */
    void refuse(picocli.CommandLine.ParseResult parse, String... options) {
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
