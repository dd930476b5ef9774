package io.emkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fitting command names its phases on standard error with --verbose (reading the file and the rows it
 * had, seeding, each start's iterations; select a line per fit), never on standard output (the JSON parses),
 * and prints nothing on standard error with --quiet.
 */
class StatusPhasesCliTest {
    private static final int ROWS = 5000;

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void writeData() throws IOException {
        // Two well-separated groups in runs of 50 rows: a mixture for fit, kmeans and select, two states for hmm.
        Random r = new Random(7);
        StringBuilder b = new StringBuilder("x,y\n");
        for (int i = 0; i < ROWS; i++) {
            double shift = (i / 50) % 2 == 0 ? 0 : 6;
            b.append(shift + r.nextGaussian()).append(',').append(shift + r.nextGaussian()).append('\n');
        }
        data = dir.resolve("two.csv");
        Files.writeString(data, b);
    }

    private List<String> command(String which) {
        String f = data.toString();
        List<String> args = new ArrayList<>(switch (which) {
            case "fit" -> List.of("fit", f, "-k", "2");
            case "family" -> List.of("fit", f, "-k", "2", "--family", "gaussian");
            case "kmeans" -> List.of("kmeans", f, "-k", "2");
            case "hmm" -> List.of("hmm", "fit", f, "-k", "2");
            case "select" -> List.of("select", f, "-k", "1,2", "--covariance", "VVV");
            default -> throw new IllegalArgumentException(which);
        });
        args.addAll(List.of("--n-init", "2", "--max-iter", "5", "--json"));
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fit", "family", "kmeans", "hmm", "select"})
    void verboseNamesEveryPhaseOnStandardErrorOnly(String which) throws IOException {
        List<String> args = command(which);
        args.add("--verbose");
        CliTest.Run run = emkit(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
        new ObjectMapper().readTree(run.out());                   // standard output is the JSON alone
        List<String> lines = run.err().lines().toList();
        assertThat(lines.get(0)).isEqualTo("reading " + data + "  0:00 elapsed");
        assertThat(lines).anyMatch(l -> l.matches("read " + java.util.regex.Pattern.quote(data.toString()) + ": "
                + ROWS + " rows  \\d+:\\d\\d elapsed"));
        assertThat(run.err()).doesNotContain("\r");
        if (which.equals("select")) {
            // The fits run at once: either may end first.
            assertThat(lines).anyMatch(l -> l.matches("fit [12]/2: K=1 VVV, BIC .* elapsed.*"))
                    .anyMatch(l -> l.matches("fit [12]/2: K=2 VVV, BIC .* elapsed.*"));
            return;
        }
        String quantity = which.equals("kmeans") ? "inertia" : which.equals("hmm") ? "objective" : "log-likelihood";
        int seeding = indexOf(lines, "init 1/2: seeding  ");
        int second = indexOf(lines, "init 2/2: seeding  ");
        assertThat(seeding).as(run.err()).isPositive();
        assertThat(second).as("the second start is named after the first's iterations").isGreaterThan(seeding + 1);
        assertThat(lines.subList(seeding + 1, second)).allMatch(l -> l.startsWith("init 1/2  iteration ")
                && l.contains("  " + quantity + " ") && l.contains(" elapsed"));
        assertThat(lines.get(second)).as("an estimate once a start has finished").contains(" left");
        assertThat(lines.subList(second + 1, lines.size())).anyMatch(l -> l.startsWith("init 2/2  iteration "));
    }

    /**
     * A search's runs are not known ahead (moves and continuations depend on how earlier runs end): its runs are
     * numbered without a count, each number once, in order, never a count the runs then exceed ("init 23/22").
     */
    @ParameterizedTest
    @ValueSource(strings = {"fit", "family", "kmeans", "hmm"})
    void aSearchNumbersItsRunsWithoutACount(String which) {
        List<String> all = command(which);
        List<String> args = new ArrayList<>(all.subList(0, all.indexOf("--n-init")));   // the default search
        args.add("--verbose");
        CliTest.Run run = emkit(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
        List<String> iterations = run.err().lines().filter(l -> l.contains("  iteration ")).toList();
        assertThat(iterations).as(run.err()).isNotEmpty().allMatch(l -> l.matches("search run \\d+  iteration .*"));
        assertThat(run.err()).doesNotContain("init ");
        int previous = 0;
        int runs = 0;
        for (String l : iterations) {
            int number = Integer.parseInt(l.substring("search run ".length(), l.indexOf("  iteration ")));
            assertThat(number).as(l).isGreaterThanOrEqualTo(previous);
            runs += number > previous ? 1 : 0;
            previous = number;
        }
        assertThat(runs).as("a search makes several runs").isGreaterThan(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fit", "family", "kmeans", "hmm", "select"})
    void quietPrintsNothingOnStandardError(String which) throws IOException {
        List<String> args = command(which);
        args.add("--quiet");
        CliTest.Run run = emkit(args.toArray(String[]::new));
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        new ObjectMapper().readTree(run.out());
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
