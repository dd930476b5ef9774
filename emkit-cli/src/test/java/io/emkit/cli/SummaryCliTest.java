package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The readable summaries as a person reads them: counts in full and in the singular where there is one, the
 * clustering table, mclust's univariate names E, V and X, and {@code select}'s distinct models with its top 3.
 */
class SummaryCliTest {
    @TempDir
    Path dir;

    /** Two groups far apart on one column: {@code left} rows near 0, {@code right} rows near 100. */
    private Path twoGroups(int left, int right, String weight) throws IOException {
        StringBuilder s = new StringBuilder(weight == null ? "x\n" : "x,w\n");
        for (int i = 0; i < left + right; i++) {
            double x = (i < left ? 0 : 100) + ((i * 37) % 11 - 5) * 0.1;
            s.append(String.format(Locale.ROOT, "%.1f", x)).append(weight == null ? "" : "," + weight).append('\n');
        }
        Path p = dir.resolve("groups.csv");
        Files.writeString(p, s);
        return p;
    }

    @Test
    void countsAreWrittenInFullAndInTheSingular() throws IOException {
        // 40 rows of weight 50000: the n of BIC is the total weight, 2000000, which %g would write 2.00000e+06.
        Path data = twoGroups(30, 10, "50000");
        CliTest.Run r = emkit("fit", data.toString(), "-k", "1", "--columns", "x", "--weights-column", "w");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains(": 40 rows, 1 column (x), weighted (total weight 2000000)")
                .contains("n = 2000000, the total weight").contains("1 component,")
                .doesNotContain("e+0").doesNotContain("1 columns").doesNotContain("1 components");

        CliTest.Run k = emkit("kmeans", data.toString(), "-k", "1", "--columns", "x", "--weights-column", "w");
        assertThat(k.status()).as(k.err()).isZero();
        assertThat(k.out()).as("rows are the lines of the file, not the total weight")
                .contains(": 40 rows, 1 column (x), weighted (total weight 2000000)").contains("k-means, 1 cluster\n")
                .doesNotContain("e+0");

        CliTest.Run h = emkit("hmm", "fit", data.toString(), "-k", "1", "--columns", "x");
        assertThat(h.status()).as(h.err()).isZero();
        assertThat(h.out()).contains("1 sequence, 40 steps, 1 column (x)").contains("hidden Markov model, 1 state,");
    }

    @Test
    void amountsAreWrittenWithoutExponent() {
        assertThat(Format.amount(2_000_000)).isEqualTo("2000000");
        assertThat(Format.amount(4_001_739.5)).isEqualTo("4001739.5");
        assertThat(Format.amount(12_532_287.46)).isEqualTo("12532287.5");
        assertThat(Format.amount(272)).isEqualTo("272");
        assertThat(Format.amount(0.25)).isEqualTo("0.25");
        assertThat(Format.count(1, "row")).isEqualTo("1 row");
        assertThat(Format.count(0, "row")).isEqualTo("0 rows");
    }

    @Test
    void clusteringTableCountsTheRowsOfEachComponent() throws IOException {
        Path data = twoGroups(30, 12, null);
        CliTest.Run r = emkit("fit", data.toString(), "-k", "2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(sizesInTable(r.out())).containsExactlyInAnyOrder(30L, 12L);
        CliTest.Run j = emkit("fit", data.toString(), "-k", "2", "--json");
        assertThat(sizes(j)).containsExactlyInAnyOrder(30L, 12L);

        for (String[] kind : List.of(new String[] {"--distribution", "t"}, new String[] {"--family", "gaussian"},
                new String[] {"--method", "vb"})) {
            CliTest.Run t = emkit("fit", data.toString(), "-k", "2", kind[0], kind[1]);
            assertThat(t.status()).as(t.err()).isZero();
            assertThat(sizesInTable(t.out())).as(kind[1]).containsExactlyInAnyOrder(30L, 12L);
            assertThat(sizes(emkit("fit", data.toString(), "-k", "2", kind[0], kind[1], "--json"))).as(kind[1])
                    .containsExactlyInAnyOrder(30L, 12L);
        }
    }

    @Test
    void weightedRowsAreCountedAsRowsAndNoiseHasItsColumn() throws IOException {
        Path data = twoGroups(30, 12, "2.5");
        CliTest.Run r = emkit("fit", data.toString(), "-k", "2", "--columns", "x", "--weights-column", "w");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("clustering table (counts of rows, not of weight,");
        assertThat(sizesInTable(r.out())).containsExactlyInAnyOrder(30L, 12L);

        Path iris = CliTest.copyExample(dir, "iris.csv");
        CliTest.Run n = emkit("fit", iris.toString(), "-k", "3", "--noise");
        assertThat(n.status()).as(n.err()).isZero();
        String head = n.out().lines().filter(l -> l.startsWith("component ") && l.contains("noise")).findFirst()
                .orElseThrow();
        assertThat(head.trim().split(" +")).containsExactly("component", "1", "2", "3", "noise");
        List<Long> cells = sizesInTable(n.out());
        assertThat(cells.stream().mapToLong(Long::longValue).sum()).as("every row counted once").isEqualTo(150);
        CliTest.Run nj = emkit("fit", iris.toString(), "-k", "3", "--noise", "--json");
        JsonNode o = new ObjectMapper().readTree(nj.out());
        assertThat(cells.get(3)).isEqualTo(o.get("noise_rows").asLong());
        assertThat(sizes(nj)).containsExactlyElementsOf(cells.subList(0, 3));
    }

    @Test
    void oneColumnTakesMclustsUnivariateNames() throws IOException {
        Path faithful = CliTest.copyExample(dir, "faithful.csv");
        CliTest.Run v = emkit("fit", faithful.toString(), "-k", "2", "--columns", "eruptions", "--covariance", "full");
        assertThat(v.out()).contains("2 components, unequal variances (mclust V, univariate)")
                .contains("variance of eruptions:\n").doesNotContain("VVV");
        CliTest.Run e = emkit("fit", faithful.toString(), "-k", "2", "--columns", "eruptions", "--covariance", "VEV");
        assertThat(e.out()).as("VEV's volume varies: V").contains("(mclust V, univariate)");
        CliTest.Run tied = emkit("fit", faithful.toString(), "-k", "2", "--columns", "eruptions", "--covariance", "tied");
        assertThat(tied.out()).contains("2 components, equal variance (mclust E, univariate)")
                .contains("variance of eruptions (shared by all components)");
        // mclust's univariate names as input: the same fits as the structures they stand for.
        CliTest.Run asE = emkit("fit", faithful.toString(), "-k", "2", "--columns", "eruptions", "--covariance", "E");
        assertThat(asE.status()).as(asE.err()).isZero();
        assertThat(logLikelihoodLine(asE.out())).isEqualTo(logLikelihoodLine(tied.out()));
        CliTest.Run asV = emkit("fit", faithful.toString(), "-k", "2", "--columns", "eruptions", "--covariance", "v");
        assertThat(logLikelihoodLine(asV.out())).isEqualTo(logLikelihoodLine(v.out()));
        CliTest.Run selected = emkit("select", faithful.toString(), "-k", "2", "--columns", "eruptions",
                "--covariance", "E,V");
        assertThat(selected.status()).as(selected.err()).isZero();
        assertThat(tableRows(selected.out()).stream().map(c -> c[0] + c[1]).toList()).containsExactly("2E", "2V");
    }

    private static String logLikelihoodLine(String out) {
        return out.lines().filter(l -> l.startsWith("log-likelihood")).findFirst().orElseThrow();
    }

    @Test
    void selectOnOneColumnListsTheDistinctModelsAndTheTopThree() throws IOException {
        Path faithful = CliTest.copyExample(dir, "faithful.csv");
        CliTest.Run r = emkit("select", faithful.toString(), "-k", "1-3", "--columns", "eruptions");
        assertThat(r.status()).as(r.err()).isZero();
        List<String[]> rows = tableRows(r.out());
        assertThat(rows.stream().map(c -> c[0] + c[1]).toList()).containsExactly("1X", "2E", "2V", "3E", "3V");
        for (String[] c : rows) {
            int k = Integer.parseInt(c[0]);
            // Free parameters: K means and K - 1 weights, then one variance (E) or K (V, and X with K = 1).
            int variances = c[1].equals("E") ? 1 : k;
            assertThat(Integer.parseInt(c[3])).as(c[0] + c[1]).isEqualTo(2 * k - 1 + variances);
        }
        assertTopThree(r.out(), rows);
        assertThat(r.out()).contains("best by BIC: V, 3 components");
    }

    @Test
    void selectMergesTheStructuresOfOneComponent() throws IOException {
        Path iris = CliTest.copyExample(dir, "iris.csv");
        CliTest.Run r = emkit("select", iris.toString(), "-k", "1-2");
        assertThat(r.status()).as(r.err()).isZero();
        List<String[]> rows = tableRows(r.out());
        assertThat(rows).hasSize(3 + 14);
        int d = 4;
        assertThat(rows.subList(0, 3).stream().map(c -> c[1] + " " + c[3]).toList())
                .containsExactly("XII " + (d + 1), "XXI " + (d + d), "XXX " + (d + d * (d + 1) / 2));
        assertTopThree(r.out(), rows);
    }

    /** The top-3 block lists the three lowest BICs of the table, each with its difference from the lowest. */
    private static void assertTopThree(String out, List<String[]> rows) {
        List<Double> bics = new ArrayList<>(rows.stream().map(c -> Double.parseDouble(c[4])).sorted().toList());
        List<String> lines = out.lines().toList();
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("top 3 by BIC")).findFirst().orElseThrow());
        for (int i = 0; i < 3; i++) {
            String[] cells = lines.get(at + 1 + i).trim().split(" +");
            assertThat(Double.parseDouble(cells[1])).isCloseTo(bics.get(i), within(1e-4));
            double difference = i == 0 ? 0 : Double.parseDouble(cells[2]);
            assertThat(difference).isCloseTo(bics.get(i) - bics.get(0), within(2e-4));
        }
    }

    /** The table's fitted rows: K, model, log-lik, p, BIC, ... */
    private static List<String[]> tableRows(String out) {
        return out.lines().filter(l -> l.matches(" +\\d+  [A-Z]+ +-?\\d.*")).map(l -> l.trim().split(" +")).toList();
    }

    private static List<Long> sizesInTable(String out) {
        Matcher m = Pattern.compile("\nrows((?: +\\d+)+)\n").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        List<Long> cells = new ArrayList<>();
        for (String c : m.group(1).trim().split(" +")) {
            cells.add(Long.parseLong(c));
        }
        return cells;
    }

    private static List<Long> sizes(CliTest.Run r) throws IOException {
        assertThat(r.status()).as(r.err()).isZero();
        List<Long> out = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).get("cluster_sizes").forEach(n -> out.add(n.asLong()));
        return out;
    }
}
