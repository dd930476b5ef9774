package io.emkit.spark.cli;

import io.emkit.spark.cli.SparkCliRuns.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.emkit.spark.cli.SparkCliRuns.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emkit hmm score|decode|fit --engine spark} with sequences and a time column, against the same commands on
 * the local engine: a file of shuffled rows on Spark, the file of the same sequences in time order locally.
 */
class SparkHmmCliTest {
    @TempDir
    static Path dir;
    /** The rows of 150 sequences (trip, t, u, v), shuffled. */
    static Path shuffled;
    /** The same sequences in the order of their first row in {@link #shuffled}, each in time order. */
    static Path sorted;
    /** A two-state model fitted locally to {@link #sorted}. */
    static Path model;
    static SparkSession spark;

    @BeforeAll
    static void startSparkAndWriteData() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("emkit-hmm-cli-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        SplittableRandom r = new SplittableRandom(31);
        List<List<String>> seqs = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int q = 0; q < 150; q++) {
            List<String> steps = new ArrayList<>();
            int state = r.nextInt(2);
            int t = r.nextInt(1000);
            for (int n = 5 + r.nextInt(20); n > 0; n--) {
                t += 1 + r.nextInt(5);
                double z = r.nextGaussian();
                double u = state == 0 ? z : 2 + 0.5 * z;
                double v = state == 0 ? 0.3 * z + r.nextGaussian() : -1 + r.nextGaussian();
                steps.add("trip-" + q + "," + t + "," + u + "," + v);
                state = r.nextDouble() < (state == 0 ? 0.8 : 0.7) ? state : 1 - state;
            }
            seqs.add(steps);
            rows.addAll(steps);
        }
        Collections.shuffle(rows, new Random(3));
        Map<String, List<String>> byFirstRow = new LinkedHashMap<>();
        for (String row : rows) {
            byFirstRow.computeIfAbsent(row.split(",")[0], k -> new ArrayList<>());
        }
        for (List<String> steps : seqs) {
            byFirstRow.get(steps.get(0).split(",")[0]).addAll(steps);
        }
        shuffled = dir.resolve("shuffled.csv");
        sorted = dir.resolve("sorted.csv");
        List<String> lines = new ArrayList<>(List.of("trip,t,u,v"));
        lines.addAll(rows);
        Files.write(shuffled, lines);
        lines = new ArrayList<>(List.of("trip,t,u,v"));
        byFirstRow.values().forEach(lines::addAll);
        Files.write(sorted, lines);
        model = dir.resolve("trips.json");
        Run fit = emkit("hmm", "fit", sorted.toString(), "-k", "2", "--sequence-column", "trip", "--time-column", "t",
                "--seed", "1", "--max-iter", "20", "--model-out", model.toString(), "--quiet");
        assertThat(fit.status()).as(fit.err()).isZero();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void scoreOnSparkIsTheLocalScoreOfTheSortedFile() throws IOException {
        String[] args = {"hmm", "score", "-m", model.toString(), "--sequence-column", "trip", "--time-column", "t"};
        Run local = emkit(Stream.concat(Stream.of(args), Stream.of(sorted.toString())).toArray(String[]::new));
        Run spark = onSpark(Stream.concat(Stream.of(args), Stream.of(shuffled.toString())).toArray(String[]::new));
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(spark.status()).as(spark.err()).isZero();
        assertThat(spark.out()).isEqualTo(local.out()).contains("150 sequences");
        JsonNode a = new ObjectMapper().readTree(emkit(Stream.concat(Stream.of(args),
                Stream.of(sorted.toString(), "--json")).toArray(String[]::new)).out());
        JsonNode b = new ObjectMapper().readTree(onSpark(Stream.concat(Stream.of(args),
                Stream.of(shuffled.toString(), "--json")).toArray(String[]::new)).out());
        assertThat(b.get("n_steps").asLong()).isEqualTo(a.get("n_steps").asLong());
        assertThat(b.get("n_sequences").asLong()).isEqualTo(150);
        double x = a.get("log_likelihood").asDouble();
        assertThat(Math.abs(b.get("log_likelihood").asDouble() - x)).isLessThanOrEqualTo(1e-9 * Math.abs(x));
        // Without the time column the shuffled rows are other sequences, and score lower.
        Run unordered = onSpark("hmm", "score", "-m", model.toString(), "--sequence-column", "trip", "--columns",
                "u,v", shuffled.toString(), "--json");
        assertThat(unordered.status()).as(unordered.err()).isZero();
        assertThat(new ObjectMapper().readTree(unordered.out()).get("log_likelihood").asDouble()).isLessThan(x - 1);
    }

    @Test
    void decodeOnSparkGivesEveryRowTheLocalState() throws IOException {
        List<String> sortedRows = Files.readAllLines(sorted);
        List<String> shuffledRows = Files.readAllLines(shuffled);
        for (String algorithm : List.of("viterbi", "map")) {
            Run local = emkit("hmm", "decode", "-m", model.toString(), sorted.toString(), "--sequence-column", "trip",
                    "--time-column", "t", "--algorithm", algorithm);
            assertThat(local.status()).as(local.err()).isZero();
            List<String> states = local.out().lines().toList();
            assertThat(states.get(0)).isEqualTo("sequence,state");
            // (trip, t) -> the local state.
            Map<String, String> want = new HashMap<>();
            for (int i = 1; i < states.size(); i++) {
                String[] in = sortedRows.get(i).split(",");
                String[] got = states.get(i).split(",");
                assertThat(got[0]).isEqualTo(in[0]);
                want.put(in[0] + "," + in[1], got[1]);
            }
            Path out = dir.resolve("states-" + algorithm);
            Run spark = onSpark("hmm", "decode", "-m", model.toString(), shuffled.toString(), "--sequence-column",
                    "trip", "--time-column", "t", "--algorithm", algorithm, "-o", out.toString());
            assertThat(spark.status()).as(spark.err()).isZero();
            List<String> lines = partLines(out, "sequence,t,state");
            // One line per input row, in the input's order, with the local engine's state.
            assertThat(lines).hasSize(shuffledRows.size() - 1);
            long ones = 0;
            for (int i = 0; i < lines.size(); i++) {
                String[] in = shuffledRows.get(i + 1).split(",");
                String[] got = lines.get(i).split(",");
                assertThat(got[0] + "," + got[1]).isEqualTo(in[0] + "," + in[1]);
                assertThat(got[2]).as("line %d (%s)", i, algorithm).isEqualTo(want.get(in[0] + "," + in[1]));
                ones += got[2].equals("1") ? 1 : 0;
            }
            assertThat(ones).isBetween(lines.size() / 10L, lines.size() * 9L / 10);
        }
    }

    @Test
    void fitOnSparkOfShuffledRowsIsTheLocalFitOfTheSortedFile() {
        String[] args = {"hmm", "fit", "-k", "2", "--sequence-column", "trip", "--time-column", "t", "--covariance",
                "diag", "--max-iter", "8", "--n-init", "1"};
        Run local = emkit(Stream.concat(Stream.of(args), Stream.of(sorted.toString())).toArray(String[]::new));
        Run spark = onSpark(Stream.concat(Stream.of(args), Stream.of(shuffled.toString())).toArray(String[]::new));
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(spark.status()).as(spark.err()).isZero();
        // The same summary but for the file's name.
        assertThat(spark.out().replace(shuffled.toString(), "DATA").replace("shuffled.csv", "DATA"))
                .isEqualTo(local.out().replace(sorted.toString(), "DATA").replace("sorted.csv", "DATA"))
                .contains("150 sequences");
    }

    @Test
    void badInputIsOneLineWithStatus2() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(sorted));
        String[] first = lines.get(1).split(",");
        lines.add(first[0] + "," + first[1] + ",0.5,0.5");
        Path twice = dir.resolve("twice.csv");
        Files.write(twice, lines);
        Run dup = onSpark("hmm", "score", "-m", model.toString(), twice.toString(), "--sequence-column", "trip",
                "--time-column", "t");
        assertThat(dup.status()).isEqualTo(2);
        assertThat(dup.err()).startsWith("emkit: " + twice).contains("appears twice in sequence '" + first[0] + "'")
                .contains("(data rows 1 and " + (lines.size() - 1) + ")").doesNotContain("\tat ");
        assertThat(dup.err().strip().lines().count()).isEqualTo(1);

        Run noOut = onSpark("hmm", "decode", "-m", model.toString(), shuffled.toString(), "--sequence-column", "trip");
        assertThat(noOut.status()).isEqualTo(2);
        assertThat(noOut.err()).contains("give it with --out DIR");
        Run json = onSpark("hmm", "decode", "-m", model.toString(), shuffled.toString(), "--json", "-o",
                dir.resolve("p").toString());
        assertThat(json.status()).isEqualTo(2);
        assertThat(json.err()).contains("--json cannot be combined with --engine spark");
        Run column = onSpark("hmm", "score", "-m", model.toString(), shuffled.toString(), "--sequence-column", "trip",
                "--time-column", "when");
        assertThat(column.status()).isEqualTo(2);
        assertThat(column.err().strip().lines().count()).isEqualTo(1);
        assertThat(column.err()).contains("when");
    }
}
