package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.emkit.cli.CliTest.assertUserError;
import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emkit fit --precision}: single precision beside double, the refusals, narrow data and data float cannot
 * hold.
 */
class PrecisionCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * The example's rows with {@code extra} more columns after its first {@code columns} (values from a fixed
     * stream, about 0 with spread 1), so that single precision runs its float arithmetic (five columns or more).
     */
    private Path widened(String example, int columns, int extra) throws IOException {
        List<String> lines = Files.readAllLines(CliTest.copyExample(dir, example));
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            out.append(String.join(",", java.util.Arrays.copyOf(cells, columns)));
            for (int e = 0; e < extra; e++) {
                out.append(',').append(i == 0 ? "extra" + (e + 1)
                        : String.format(java.util.Locale.ROOT, "%.4f", random.nextGaussian()));
            }
            out.append('\n');
        }
        return Files.writeString(dir.resolve("wide-" + example), out);
    }

    @Test
    void singlePrecisionReachesDoublesLogLikelihoodOnIrisWithAFifthColumn() throws IOException {
        Path iris = widened("iris.csv", 4, 1);
        String[] common = {"fit", iris.toString(), "-k", "3", "--json", "--seed", "4", "--tol", "1e-10",
                "--n-init", "1"};
        CliTest.Run dbl = emkit(CliTest.concat(common, new String[] {"--precision", "double"}));
        CliTest.Run single = emkit(CliTest.concat(common, new String[] {"--precision", "SINGLE"}));
        assertThat(single.status()).as(single.err()).isZero();
        assertThat(single.err()).doesNotContain("warning");
        double expected = JSON.readTree(dbl.out()).get("log_likelihood").asDouble();
        double actual = JSON.readTree(single.out()).get("log_likelihood").asDouble();
        assertThat(Math.abs(actual - expected) / Math.abs(expected)).isLessThan(1e-6);
        assertThat(actual).isNotEqualTo(expected);
        assertThat(JSON.readTree(emkit(common).out()).get("log_likelihood").asDouble()).as("the default is double")
                .isEqualTo(expected);
    }

    @Test
    void fewerThanFiveColumnsRunInDoubleWithAWarning() throws IOException {
        String iris = CliTest.copyExample(dir, "iris.csv").toString();
        CliTest.Run single = emkit("fit", iris, "-k", "3", "--json", "--n-init", "1", "--precision", "single");
        CliTest.Run dbl = emkit("fit", iris, "-k", "3", "--json", "--n-init", "1");
        assertThat(single.status()).as(single.err()).isZero();
        assertThat(single.err()).contains("warning: single precision: at 4 columns").contains("the fit ran in double"
                + " precision");
        assertThat(JSON.readTree(single.out()).get("log_likelihood").asDouble())
                .isEqualTo(JSON.readTree(dbl.out()).get("log_likelihood").asDouble());
    }

    @Test
    void refusesAnUnknownPrecisionAndOtherModels() throws IOException {
        String faithful = CliTest.copyExample(dir, "faithful.csv").toString();
        assertUserError(emkit("fit", faithful, "-k", "2", "--precision", "half"), "precision", "double, single");
        assertUserError(emkit("fit", faithful, "-k", "2", "--precision", "single", "--family", "gaussian"),
                "--precision single applies to Gaussian mixtures fitted in this JVM; it does not go with --family");
        assertUserError(emkit("fit", faithful, "-k", "2", "--precision", "single", "--distribution", "t"),
                "it does not go with --distribution t");
        assertUserError(emkit("fit", faithful, "-k", "2", "--precision", "single", "--engine", "spark"),
                "it does not go with --engine spark");
    }

    @Test
    void valuesBeyondFloatsRangeAreFittedInDoubleWithAWarning() throws IOException {
        List<String> lines = Files.readAllLines(widened("faithful.csv", 2, 3));
        StringBuilder huge = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.indexOf(',');
            huge.append(line, 0, comma).append("e39").append(line.substring(comma)).append('\n');
        }
        Path data = Files.writeString(dir.resolve("huge.csv"), huge);
        CliTest.Run single = emkit("fit", data.toString(), "-k", "2", "--json", "--n-init", "1", "--precision",
                "single");
        CliTest.Run dbl = emkit("fit", data.toString(), "-k", "2", "--json", "--n-init", "1");
        assertThat(single.status()).as(single.err()).isZero();
        assertThat(single.err()).contains("warning: single precision: column 1 ('eruptions') has values beyond"
                + " float's range (|x| up to 5.10e+39); the fit ran in double precision");
        JsonNode s = JSON.readTree(single.out());
        assertThat(s.get("log_likelihood").asDouble()).isEqualTo(JSON.readTree(dbl.out()).get("log_likelihood").asDouble());
    }
}
