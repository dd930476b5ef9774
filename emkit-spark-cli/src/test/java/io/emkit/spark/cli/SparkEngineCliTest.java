package io.emkit.spark.cli;

import io.emkit.spark.cli.SparkCliRuns.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.cli.Emkit;
import io.emkit.io.ModelFiles;
import io.emkit.gaussian.GaussianMixtureModel;
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
import java.util.Iterator;
import java.util.List;

import static io.emkit.spark.cli.SparkCliRuns.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emkit fit --engine spark} through the command's own entry point ({@link Emkit#run}, what
 * {@code spark-submit --class io.emkit.cli.Emkit emkit-spark.jar} runs), with a local master, against the
 * same command on the local engine.
 */
class SparkEngineCliTest {
    @TempDir
    static Path dir;
    static Path faithful;
    static Path beans;

    /** One session for the class: the command uses the session it finds and leaves it running. */
    static SparkSession spark;

    @BeforeAll
    static void startSparkAndCopyData() throws IOException {
        spark = startSession("emkit-cli-test");
        faithful = copy("faithful.csv");
        beans = copy("jelly-beans.csv");
    }

    private static Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = SparkEngineCliTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /** Runs the command locally and on Spark; both succeed and print the same; returns the output. */
    private static String sameOutputOnBothEngines(String... args) {
        Run local = emkit(args);
        List<String> onSpark = new ArrayList<>(List.of(args));
        onSpark.addAll(List.of("--engine", "spark", "--master", "local[2]"));
        Run spark = emkit(onSpark.toArray(new String[0]));
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(spark.status()).as(spark.err()).isZero();
        assertThat(spark.out()).isEqualTo(local.out());
        return spark.out();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void theSummaryIsTheLocalEnginesOnOldFaithful() {
        String out = sameOutputOnBothEngines("fit", faithful.toString(), "--components", "2");
        // The converged optimum (mclust prints −1130.264; scikit-learn's best of 20 tight starts −1130.2640).
        assertThat(out).contains("log-likelihood  -1130.2640");
        // The clustering table, counted on Spark (and equal to the local one above): every row in one component.
        java.util.regex.Matcher table = java.util.regex.Pattern.compile("(?m)^rows +(\\d+) +(\\d+)$").matcher(out);
        assertThat(table.find()).isTrue();
        assertThat(Long.parseLong(table.group(1)) + Long.parseLong(table.group(2))).isEqualTo(272);
    }

    @Test
    void missingCellsAreFittedAsTheLocalEngineFitsThem() throws IOException {
        // Old Faithful with holes: an empty eruptions cell every 7th row, waiting "NA" every 11th, "NaN" every
        // 13th, and row 50 empty in both columns: rows missing both are skipped by the fit, counted in the summary.
        List<String> in = Files.readAllLines(faithful);
        List<String> out = new ArrayList<>(List.of(in.get(0)));
        for (int i = 1; i < in.size(); i++) {
            String[] cells = in.get(i).split(",");
            if (i % 7 == 0 || i == 50) {
                cells[0] = "";
            }
            if (i % 11 == 0) {
                cells[1] = "NA";
            } else if (i % 13 == 0 || i == 50) {
                cells[1] = i == 50 ? "" : "NaN";
            }
            out.add(cells[0] + "," + cells[1]);
        }
        Path holes = dir.resolve("faithful-holes.csv");
        Files.write(holes, out);
        // Rows 50, 77, 91, 154, 182 and 231 miss both values.
        long empty = out.stream().filter(l -> l.equals(",") || l.equals(",NA") || l.equals(",NaN")).count();
        assertThat(empty).isEqualTo(6);
        // The quick search: the default one runs every start on Spark here (272 rows are their own sample), and
        // theSummaryIsTheLocalEnginesOnOldFaithful shows it; the quick one has every start kind and move too.
        String summary = sameOutputOnBothEngines("fit", holes.toString(), "-k", "2", "--covariance", "VVV",
                "--search", "quick");
        assertThat(summary).contains("missing      ").contains(empty + " rows with every value missing skipped")
                .contains("clustering table");
        String[] args = {"fit", holes.toString(), "-k", "3", "--covariance", "diag", "--search", "quick", "--json"};
        Run local = emkit(args);
        List<String> onSpark = new ArrayList<>(List.of(args));
        onSpark.addAll(List.of("--engine", "spark", "--master", "local[2]"));
        Run spark = emkit(onSpark.toArray(new String[0]));
        assertThat(spark.status()).as(spark.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(local.out());
        assertThat(a.get("skipped_rows").asInt()).isEqualTo(6);
        assertThat(a.get("missing_cells").asInt()).isGreaterThan(60);
        assertSameShapeAndClose(a, new ObjectMapper().readTree(spark.out()), "$");
    }

    @Test
    void predictOnSparkWritesTheLocalEnginesLabelsAndProbabilities() throws IOException {
        // 6000 rows: Spark reads them in two splits, and writes two part files.
        Path data = faithfulWith("faithful-6000.csv", 6000, -1, null);
        Path model = dir.resolve("faithful-3.json");
        assertThat(emkit("fit", data.toString(), "-k", "3", "--seed", "4", "--model-out", model.toString(), "--quiet")
                .status()).isZero();
        Run local = emkit("predict", "-m", model.toString(), data.toString(), "--proba", "--uncertainty");
        assertThat(local.status()).as(local.err()).isZero();
        List<String> expected = local.out().lines().toList();
        assertThat(expected.get(0)).isEqualTo("label,p0,p1,p2,uncertainty");

        Path out = dir.resolve("labels");
        Run spark = emkit("predict", "-m", model.toString(), data.toString(), "--proba", "--uncertainty", "--engine",
                "spark", "--master", "local[2]", "-o", out.toString());
        assertThat(spark.status()).as(spark.err()).isZero();
        List<String> lines = partLines(out, expected.get(0));
        assertSameCells(expected.subList(1, expected.size()), lines);

        // Parquet, for a path ending in .parquet: the same columns and values.
        Path parquet = dir.resolve("labels.parquet");
        assertThat(emkit("predict", "-m", model.toString(), data.toString(), "--proba", "--engine", "spark",
                "--master", "local[2]", "-o", parquet.toString()).status()).isZero();
        List<org.apache.spark.sql.Row> rows = SparkEngineCliTest.spark.read().parquet(parquet.toString()).collectAsList();
        assertThat(SparkEngineCliTest.spark.read().parquet(parquet.toString()).columns())
                .containsExactly("label", "p0", "p1", "p2");
        assertThat(rows).hasSize(6000);
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = expected.get(i + 1).split(",");
            assertThat(rows.get(i).getInt(0)).isEqualTo(Integer.parseInt(cells[0]));
            assertThat(rows.get(i).getDouble(2)).isCloseTo(Double.parseDouble(cells[2]),
                    org.assertj.core.api.Assertions.within(1e-12));
        }

        // An existing output directory is left alone: one line, status 2.
        Run again = emkit("predict", "-m", model.toString(), data.toString(), "--engine", "spark", "--master",
                "local[2]", "-o", out.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).startsWith("emkit: " + out + ": already exists");
        assertThat(again.err().strip().lines().count()).isEqualTo(1);
        Run noOut = emkit("predict", "-m", model.toString(), data.toString(), "--engine", "spark", "--master", "local[2]");
        assertThat(noOut.status()).isEqualTo(2);
        assertThat(noOut.err()).contains("give it with --out DIR");
    }

    @Test
    void scoreAndPredictOnSparkTakeMissingCellsAsTheLocalEngine() throws IOException {
        Path holes = dir.resolve("faithful-holes-2.csv");
        List<String> in = Files.readAllLines(faithful);
        List<String> lines = new ArrayList<>(List.of(in.get(0)));
        for (int i = 1; i < in.size(); i++) {
            String[] cells = in.get(i).split(",");
            lines.add((i % 5 == 0 ? "" : cells[0]) + "," + (i % 9 == 0 ? "NA" : cells[1]));
        }
        Files.write(holes, lines);
        Path model = dir.resolve("faithful-2.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "--model-out", model.toString(), "--quiet").status())
                .isZero();
        for (Path data : List.of(faithful, holes)) {
            String[] args = {"score", "-m", model.toString(), data.toString()};
            Run local = emkit(args);
            List<String> onSpark = new ArrayList<>(List.of(args));
            onSpark.addAll(List.of("--engine", "spark", "--master", "local[2]"));
            Run spark = emkit(onSpark.toArray(new String[0]));
            assertThat(spark.status()).as(spark.err()).isZero();
            assertThat(spark.out()).isEqualTo(local.out());
            // The JSON numbers to 1e-12: the sums are grouped by partition.
            onSpark.add("--json");
            JsonNode a = new ObjectMapper().readTree(emkit(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--json")).toArray(String[]::new)).out());
            JsonNode b = new ObjectMapper().readTree(emkit(onSpark.toArray(new String[0])).out());
            assertThat(b.get("n_samples").asLong()).isEqualTo(a.get("n_samples").asLong()).isEqualTo(272);
            assertThat(b.get("log_likelihood").asDouble()).isCloseTo(a.get("log_likelihood").asDouble(),
                    org.assertj.core.api.Assertions.within(1e-12 * Math.abs(a.get("log_likelihood").asDouble())));
        }
        // Each row's log density, and the labels, of the rows with holes.
        Path localDensity = dir.resolve("density.csv");
        Path sparkDensity = dir.resolve("density-dir");
        assertThat(emkit("score", "-m", model.toString(), holes.toString(), "--per-sample", localDensity.toString())
                .status()).isZero();
        Run spark = emkit("score", "-m", model.toString(), holes.toString(), "--per-sample", sparkDensity.toString(),
                "--engine", "spark", "--master", "local[2]");
        assertThat(spark.status()).as(spark.err()).isZero();
        List<String> expected = Files.readAllLines(localDensity);
        List<String> actual = partLines(sparkDensity, expected.get(0));
        assertThat(actual).hasSameSizeAs(expected.subList(1, expected.size()));
        for (int i = 0; i < actual.size(); i++) {
            assertThat(Double.parseDouble(actual.get(i))).isCloseTo(Double.parseDouble(expected.get(i + 1)),
                    org.assertj.core.api.Assertions.within(1e-12 * Math.abs(Double.parseDouble(expected.get(i + 1)))));
        }
        Run local = emkit("predict", "-m", model.toString(), holes.toString(), "--proba");
        Path labels = dir.resolve("holes-labels");
        assertThat(emkit("predict", "-m", model.toString(), holes.toString(), "--proba", "--engine", "spark",
                "--master", "local[2]", "-o", labels.toString()).status()).isZero();
        List<String> want = local.out().lines().toList();
        assertSameCells(want.subList(1, want.size()), partLines(labels, want.get(0)));
    }

    @Test
    void hmmFitOnSparkPrintsTheLocalEnginesSummaryWithSequencesAsTheUnits() throws IOException {
        // 24 sequences of 30 to 89 steps from a two-state Gaussian HMM, their rows interleaved in the file.
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        List<List<String>> seqs = new ArrayList<>();
        for (int q = 0; q < 24; q++) {
            List<String> steps = new ArrayList<>();
            int state = r.nextInt(2);
            for (int t = 30 + r.nextInt(60); t > 0; t--) {
                double z = r.nextGaussian();
                double u = state == 0 ? z : 4 + 0.5 * z;
                double v = state == 0 ? 0.3 * z + r.nextGaussian() : -2 + r.nextGaussian();
                steps.add("trip-" + q + "," + u + "," + v);
                state = r.nextDouble() < (state == 0 ? 0.85 : 0.7) ? state : 1 - state;
            }
            seqs.add(steps);
        }
        List<String> lines = new ArrayList<>(List.of("trip,u,v"));
        for (int t = 0; t < 90; t++) {
            for (List<String> steps : seqs) {
                if (t < steps.size()) {
                    lines.add(steps.get(t));
                }
            }
        }
        Path trips = dir.resolve("trips.csv");
        Files.write(trips, lines);
        String out = sameOutputOnBothEngines("hmm", "fit", trips.toString(), "-k", "2", "--sequence-column", "trip");
        assertThat(out).contains("24 sequences").contains(lines.size() - 1 + " steps");
        String[] args = {"hmm", "fit", trips.toString(), "-k", "2", "--sequence-column", "trip", "--covariance", "diag",
                "--json"};
        Run local = emkit(args);
        List<String> onSpark = new ArrayList<>(List.of(args));
        onSpark.addAll(List.of("--engine", "spark", "--master", "local[2]"));
        Run spark = emkit(onSpark.toArray(new String[0]));
        assertThat(spark.status()).as(spark.err()).isZero();
        assertSameShapeAndClose(new ObjectMapper().readTree(local.out()), new ObjectMapper().readTree(spark.out()), "$");
    }

    @Test
    void aMixtureOfIndependentColumnsWithMissingCellsIsTheLocalEnginesToo() throws IOException {
        // The jelly beans with an empty colour every 6th line, "NA" as flavour every 10th, an empty weight every
        // 7th and "NaN" as sugar_crystals every 11th.
        List<String> in = Files.readAllLines(beans);
        List<String> out = new ArrayList<>(List.of(in.get(0)));
        for (int i = 1; i < in.size(); i++) {
            String[] c = in.get(i).split(",", -1);
            c[0] = i % 6 == 0 ? "" : c[0];
            c[1] = i % 10 == 0 ? "NA" : c[1];
            c[2] = i % 7 == 0 ? "" : c[2];
            c[3] = i % 11 == 0 ? "NaN" : c[3];
            out.add(String.join(",", c));
        }
        Path holes = dir.resolve("beans-holes.csv");
        Files.write(holes, out);
        String summary = sameOutputOnBothEngines("fit", holes.toString(), "-k", "2", "--family", "auto", "--family",
                "sugar_crystals=poisson", "--n-init", "3");
        assertThat(summary).contains("missing      ").contains("clustering table").contains("colour P(green)");
    }

    @Test
    void aMixtureOfTextCategoriesAndCountsIsTheLocalEnginesToo() {
        String out = sameOutputOnBothEngines("fit", beans.toString(), "-k", "2", "--family", "auto", "--family",
                "sugar_crystals=poisson", "--n-init", "3");
        assertThat(out).contains("colour P(green)").contains("sugar_crystals rate (mean count)")
                .contains("clustering table");
    }

    @Test
    void kMeansPrintsTheLocalEnginesCentroidsAndClusterSizes() {
        String out = sameOutputOnBothEngines("kmeans", faithful.toString(), "--clusters", "3", "--n-init", "2");
        assertThat(out).contains("inertia").contains("size");
    }

    /** Both engines refuse the file with status 2 and the same one line; returns it. */
    private static String sameErrorOnBothEngines(String... args) {
        Run local = emkit(args);
        List<String> onSpark = new ArrayList<>(List.of(args));
        onSpark.addAll(List.of("--engine", "spark", "--master", "local[2]"));
        Run spark = emkit(onSpark.toArray(new String[0]));
        assertThat(local.status()).as(local.err()).isEqualTo(2);
        assertThat(spark.status()).as(spark.err()).isEqualTo(2);
        assertThat(spark.err()).isEqualTo(local.err());
        assertThat(spark.err().strip().lines().count()).isEqualTo(1);
        return spark.err();
    }

    /** Old Faithful's lines repeated to {@code lines} data lines, with {@code bad} in place of data line {@code at}. */
    private static Path faithfulWith(String name, int lines, int at, String bad) throws IOException {
        List<String> in = Files.readAllLines(faithful);
        List<String> out = new ArrayList<>(List.of(in.get(0)));
        for (int i = 1; i <= lines; i++) {
            out.add(i == at ? bad : in.get(1 + (i - 1) % (in.size() - 1)));
        }
        Path p = dir.resolve(name);
        Files.write(p, out);
        return p;
    }

    @Test
    void aRaggedLineIsRefusedWithItsLineAsOnTheLocalEngine() throws IOException {
        // 6000 lines: Spark reads the file in two splits, and the line is in the second (its number is the sum).
        Path ragged = faithfulWith("ragged.csv", 6000, 4321, "1.8,54,7");
        assertThat(sameErrorOnBothEngines("fit", ragged.toString(), "-k", "2"))
                .isEqualTo("emkit: " + ragged + ": line 4322: 3 fields, expected 2 (as in line 1)\n");
        Path short1 = faithfulWith("short.csv", 20, 3, "1.8");
        assertThat(sameErrorOnBothEngines("fit", short1.toString(), "-k", "2", "--columns", "eruptions"))
                .contains("line 4: 1 field, expected 2");
    }

    @Test
    void textInANumberColumnIsRefusedWithItsLineAndColumnAsOnTheLocalEngine() throws IOException {
        Path text = faithfulWith("text-cell.csv", 6000, 5000, "3.6,abc");
        assertThat(sameErrorOnBothEngines("fit", text.toString(), "-k", "2"))
                .isEqualTo("emkit: " + text + ": line 5001, column 2 ('waiting'): 'abc' is not a number\n");
    }

    @Test
    void aMasterThatDoesNotAnswerIsOneLineAndStatus2() throws IOException {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run r = emkit("fit", faithful.toString(), "-k", "2", "--engine", "spark", "--master",
                "spark://127.0.0.1:" + closed);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("emkit: --master spark://127.0.0.1:" + closed + ": no Spark master answers at"
                + " 127.0.0.1:" + closed);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMasterUrlSparkDoesNotKnowIsOneLineAndStatus2() {
        Run r = emkit("fit", faithful.toString(), "-k", "2", "--engine", "spark", "--master", "bogus://x");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("emkit: --master bogus://x: not a Spark master URL");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void aValueOutsideItsFamilyNamesTheFileAndColumn() throws IOException {
        Path bad = dir.resolve("bad-beans.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(beans));
        String[] cells = lines.get(5).split(",");
        cells[cells.length - 1] = "-3";
        lines.set(5, String.join(",", cells));
        Files.write(bad, lines);
        Run r = emkit("fit", bad.toString(), "-k", "2", "--family", "auto", "--family", "sugar_crystals=poisson",
                "--engine", "spark", "--master", "local[2]");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("emkit: " + bad).contains("column 'sugar_crystals'").contains("-3");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void fromTheSameStartTheJsonHasTheSameKeysAndNumbers() throws IOException {
        Path start = dir.resolve("start.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "3", "--covariance", "VEV", "--max-iter", "0",
                "--model-out", start.toString(), "--quiet").status()).isZero();
        String[] common = {"fit", faithful.toString(), "-k", "3", "--covariance", "VEV", "--init-model",
                start.toString(), "--tol", "0", "--max-iter", "15", "--json"};
        Run local = emkit(common);
        List<String> onSpark = new ArrayList<>(List.of(common));
        onSpark.addAll(List.of("--engine", "spark", "--master", "local[2]", "--model-out", dir.resolve("m.json").toString()));
        Run spark = emkit(onSpark.toArray(new String[0]));
        assertThat(spark.status()).as(spark.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(local.out());
        assertThat(a.get("cluster_sizes")).hasSize(3);
        JsonNode b = mapper.readTree(spark.out());
        assertSameShapeAndClose(a, b, "$");
        // The saved model is an ordinary model file that the local API reads.
        assertThat(ModelFiles.read(dir.resolve("m.json"))).isInstanceOf(GaussianMixtureModel.class);
    }

    /**
     * The same keys everywhere; numbers within 1e-9 relative, as in SparkGaussianMixtureTest for every structure
     * but EVE and VVE (VEV's inner iteration converges to rounding here, as it does there); text equal.
     */
    static void assertSameShapeAndClose(JsonNode a, JsonNode b, String at) {
        assertThat(b.getNodeType()).as(at).isEqualTo(a.getNodeType());
        if (a.isObject()) {
            List<String> ka = new ArrayList<>();
            a.fieldNames().forEachRemaining(ka::add);
            List<String> kb = new ArrayList<>();
            b.fieldNames().forEachRemaining(kb::add);
            assertThat(kb).as(at).isEqualTo(ka);
            for (String k : ka) {
                assertSameShapeAndClose(a.get(k), b.get(k), at + "." + k);
            }
        } else if (a.isArray()) {
            assertThat(b.size()).as(at).isEqualTo(a.size());
            Iterator<JsonNode> ib = b.elements();
            int i = 0;
            for (JsonNode x : a) {
                assertSameShapeAndClose(x, ib.next(), at + "[" + i++ + "]");
            }
        } else if (a.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            assertThat(Math.abs(x - y)).as(at + ": " + x + " vs " + y).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(x)));
        } else {
            assertThat(b).as(at).isEqualTo(a);
        }
    }

    @Test
    void badInputIsAOneLineErrorWithStatus2() {
        Run missing = emkit("fit", dir.resolve("none.csv").toString(), "-k", "2", "--engine", "spark", "--master", "local[2]");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("emkit: ").contains("none.csv").doesNotContain("\tat ");
        assertThat(missing.err().strip().lines().count()).isEqualTo(1);

        Run plot = emkit("fit", faithful.toString(), "-k", "2", "--engine", "spark", "--plot", dir.resolve("p.png").toString());
        assertThat(plot.status()).isEqualTo(2);
        assertThat(plot.err()).contains("--plot cannot be combined with --engine spark");

        Run column = emkit("fit", faithful.toString(), "-k", "2", "--engine", "spark", "--master", "local[2]",
                "--columns", "eruptions,speed");
        assertThat(column.status()).isEqualTo(2);
        assertThat(column.err()).contains("no column 'speed'");
        // The session the command found is left running after an error, as after a fit.
        assertThat(spark.sparkContext().isStopped()).isFalse();
    }
}
