package io.emkit.spark.cli;

import io.emkit.spark.cli.SparkCliRuns.Run;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.emkit.spark.cli.SparkCliRuns.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emkit predict --keep COL,... --engine spark} against the same command on the local engine: the kept
 * columns first, each cell as the input typed it (numbers with their zeros, quoted text with commas and quotes,
 * spaces), then the predictions, row for row in the input's order over several partitions; the same refusals.
 */
class SparkKeepCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static SparkSession spark;

    /**
     * Old Faithful twice over (544 rows) with an id, some eruptions typed with a trailing zero, some waiting times
     * with a leading one, and a note: text with a comma, with doubled quotes, with spaces around it, or empty.
     */
    @BeforeAll
    static void startSparkAndWriteData() throws IOException {
        spark = startSession("emkit-keep-test");
        List<String> faithful;
        try (InputStream in = SparkKeepCliTest.class.getResourceAsStream("faithful.csv")) {
            faithful = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        List<String> lines = new ArrayList<>(List.of("id,eruptions,waiting,note"));
        String[] notes = {"\"a, b\"", " spaced ", "", "\"say \"\"hi\"\"\"", "plain"};
        for (int i = 0; i < 2 * (faithful.size() - 1); i++) {
            String[] cells = faithful.get(1 + i % (faithful.size() - 1)).split(",");
            String eruptions = i % 5 == 0 ? cells[0] + "0" : cells[0];
            String waiting = i % 7 == 0 ? "0" + cells[1] : cells[1];
            lines.add(String.format("r%04d,%s,%s,%s", i, eruptions, waiting, notes[i % notes.length]));
        }
        data = Files.write(dir.resolve("faithful-kept.csv"), lines);
        model = dir.resolve("model.json");
        Run fit = emkit("fit", data.toString(), "--columns", "eruptions,waiting", "-k", "2", "--seed", "3",
                "--model-out", model.toString(), "--quiet");
        assertThat(fit.status()).as(fit.err()).isZero();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** The data lines of a directory of CSV part files, of which there must be several (the order crosses partitions). */
    private static List<String> partLines(Path out, String header) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(out)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("part-")).count())
                    .as("several part files: the rows' order crosses partitions").isGreaterThan(1);
        }
        return SparkCliRuns.partLines(out, header);
    }

    @Test
    void keptColumnsAreTheLocalEnginesRowByRowAsTyped() throws IOException {
        Run local = emkit("predict", "-m", model.toString(), data.toString(), "--keep", "id,waiting,note", "--proba");
        assertThat(local.status()).as(local.err()).isZero();
        List<String> expected = local.out().lines().toList();
        assertThat(expected.get(0)).isEqualTo("id,waiting,note,label,p0,p1");
        // The input as typed: a leading zero kept, a quoted cell quoted again.
        assertThat(expected.get(1)).startsWith("r0000,079,\"a, b\",");
        assertThat(expected.get(4)).startsWith("r0003," + Files.readAllLines(data).get(4).split(",")[2]
                + ",\"say \"\"hi\"\"\",");

        // Small partitions: the rows are read, predicted and written in several pieces.
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "4096");
        try {
            Path out = dir.resolve("kept");
            Run onSpark = emkit("predict", "-m", model.toString(), data.toString(), "--keep", "id,waiting,note",
                    "--proba", "--engine", "spark", "--master", "local[2]", "-o", out.toString());
            assertThat(onSpark.status()).as(onSpark.err()).isZero();
            assertThat(partLines(out, expected.get(0))).isEqualTo(expected.subList(1, expected.size()));

            // Parquet: the kept columns are the input's text; 'all' keeps every column, in the input's order.
            Path parquet = dir.resolve("kept.parquet");
            Run all = emkit("predict", "-m", model.toString(), data.toString(), "--keep", "all", "--engine", "spark",
                    "--master", "local[2]", "-o", parquet.toString());
            assertThat(all.status()).as(all.err()).isZero();
            org.apache.spark.sql.Dataset<Row> read = spark.read().parquet(parquet.toString());
            assertThat(read.columns()).containsExactly("id", "eruptions", "waiting", "note", "label");
            // Part files in name order (Spark's reader would order them by size).
            List<Row> rows = new ArrayList<>();
            try (java.util.stream.Stream<Path> parts = Files.list(parquet)) {
                for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                    rows.addAll(spark.read().parquet(part.toString()).collectAsList());
                }
            }
            List<String> typed = Files.readAllLines(data);
            assertThat(rows).hasSize(typed.size() - 1);
            for (int i = 0; i < rows.size(); i++) {
                String[] cells = typed.get(i + 1).split(",");
                assertThat(rows.get(i).getString(0)).isEqualTo(cells[0]);
                assertThat(rows.get(i).getString(1)).as("row %d", i + 1).isEqualTo(cells[1]);
                String[] predicted = expected.get(i + 1).split(",");
                assertThat(rows.get(i).getInt(4)).isEqualTo(Integer.parseInt(predicted[predicted.length - 3]));
            }
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
        }
    }

    @Test
    void badKeptColumnsAreRefusedAsOnTheLocalEngine() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(data).subList(0, 40));
        lines.replaceAll(l -> l.replaceFirst("^([^,]*),", "$1,x,"));
        lines.set(0, "id,label,eruptions,waiting,note");
        Path clash = Files.write(dir.resolve("with-label.csv"), lines);
        String[][] cases = {
            {clash.toString(), "label", "has the name of a column emkit writes"},
            {data.toString(), "id,speed", "no column 'speed'"},
        };
        for (String[] c : cases) {
            Run local = emkit("predict", "-m", model.toString(), c[0], "--keep", c[1]);
            Path out = dir.resolve("refused-" + c[1].replace(',', '-'));
            Run onSpark = emkit("predict", "-m", model.toString(), c[0], "--keep", c[1], "--engine", "spark",
                    "--master", "local[2]", "-o", out.toString());
            assertThat(local.status()).as(local.err()).isEqualTo(2);
            assertThat(onSpark.status()).as(onSpark.err()).isEqualTo(2);
            assertThat(onSpark.err()).contains(c[2]).isEqualTo(local.err());
            assertThat(onSpark.err().strip().lines().count()).isEqualTo(1);
            assertThat(out).doesNotExist();
        }
    }
}
