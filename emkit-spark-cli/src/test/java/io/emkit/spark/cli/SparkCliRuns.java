package io.emkit.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.cli.Emkit;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Spark command-line tests share: the command run in this JVM on either engine, one local Spark session
 * per test class (the command uses the session it finds and leaves it running), and Spark's CSV part files read
 * back and compared with the local engine's output.
 */
final class SparkCliRuns {
    private SparkCliRuns() {
    }

    /** How a run ended: its exit status and what it printed. */
    record Run(int status, String out, String err) {
    }

    /**
     * @param args the command line
     * @return how {@link Emkit#run} ended
     */
    static Run emkit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Emkit.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    /**
     * @param args the command line, without the engine
     * @return the run with {@code --engine spark --master local[2]} added
     */
    static Run onSpark(String... args) {
        return emkit(Stream.concat(Stream.of(args), Stream.of("--engine", "spark", "--master", "local[2]"))
                .toArray(String[]::new));
    }

    /** The {@code --json} outputs of one command run locally and on Spark. */
    record Outputs(JsonNode local, JsonNode spark) {
    }

    /**
     * Runs the command locally and on Spark: both succeed and print the same summary, which contains
     * {@code expected}; then with {@code --json}, whose outputs have the same shape and agree within 1e-9.
     *
     * @return the two JSON outputs
     */
    static Outputs sameLocallyAndOnSpark(String expected, String... args) throws IOException {
        Run local = emkit(args);
        Run spark = onSpark(args);
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(spark.status()).as(spark.err()).isZero();
        assertThat(spark.out()).isEqualTo(local.out()).contains(expected);
        String[] json = Stream.concat(Stream.of(args), Stream.of("--json")).toArray(String[]::new);
        Run localJson = emkit(json);
        Run sparkJson = onSpark(json);
        assertThat(localJson.status()).as(localJson.err()).isZero();
        assertThat(sparkJson.status()).as(sparkJson.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        Outputs outputs = new Outputs(mapper.readTree(localJson.out()), mapper.readTree(sparkJson.out()));
        SparkEngineCliTest.assertSameShapeAndClose(outputs.local(), outputs.spark(), "$");
        return outputs;
    }

    /**
     * @param name the application's name
     * @return a local[2] session without its web UI, logging errors only
     */
    static SparkSession startSession(String name) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName(name)
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }

    /**
     * @param out    a directory Spark wrote CSV part files to
     * @param header the header every non-empty part file must start with
     * @return the data lines, part files in name order
     * @throws IOException if the directory cannot be read
     */
    static List<String> partLines(Path out, String header) throws IOException {
        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertThat(parts).isNotEmpty();
        List<String> lines = new ArrayList<>();
        for (Path p : parts) {
            List<String> in = Files.readAllLines(p);
            if (!in.isEmpty()) {
                assertThat(in.get(0)).as(p.toString()).isEqualTo(header);
                lines.addAll(in.subList(1, in.size()));
            }
        }
        return lines;
    }

    /**
     * Lines of numbers: the same count, each line's first cell (the label) equal, the other cells equal as numbers
     * to 1e-12 relative.
     *
     * @param expected the local engine's lines
     * @param actual   Spark's
     */
    static void assertSameCells(List<String> expected, List<String> actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            String[] a = expected.get(i).split(",", -1);
            String[] b = actual.get(i).split(",", -1);
            assertThat(b.length).as("line %d", i).isEqualTo(a.length);
            assertThat(b[0]).as("label of line %d", i).isEqualTo(a[0]);
            for (int j = 1; j < a.length; j++) {
                double x = Double.parseDouble(a[j]);
                double y = Double.parseDouble(b[j]);
                assertThat(Math.abs(x - y)).as("line %d, cell %d: %s vs %s", i, j, a[j], b[j])
                        .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(x)));
            }
        }
    }
}
