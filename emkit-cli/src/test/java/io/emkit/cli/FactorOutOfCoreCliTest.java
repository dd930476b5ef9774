package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.emkit.cli.CliTest.assertUserError;
import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fit --covariance mfa:Q --out-of-core}: the .emk file streamed from disk in every E-step. On a file smaller
 * than the starts' sample the starts look at every row, so the fit is the in-memory one; the log-likelihood never
 * decreases; missing cells are taken as in memory.
 */
class FactorOutOfCoreCliTest {
    @TempDir
    Path dir;

    private static double[] trace(JsonNode j) {
        JsonNode t = j.get("log_likelihood_trace");
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i).asDouble();
        }
        return out;
    }

    @Test
    void streamedFromDiskTheFitIsTheInMemoryOne() throws IOException {
        // 400 rows in 5-D, two clusters, about 8% of the cells missing.
        SplittableRandom random = new SplittableRandom(4);
        StringBuilder csv = new StringBuilder("a,b,c,d,e\n");
        for (int i = 0; i < 400; i++) {
            double shift = i % 2 == 0 ? 0 : 4;
            double f = random.nextGaussian();
            for (int j = 0; j < 5; j++) {
                double v = shift + (j + 1) * 0.5 * f + 0.4 * random.nextGaussian();
                csv.append(j == 0 ? "" : ",").append(random.nextDouble() < 0.08 ? "" : String.format(Locale.ROOT, "%.5f", v));
            }
            csv.append('\n');
        }
        Path data = Files.writeString(dir.resolve("gaps.csv"), csv);
        Path emk = dir.resolve("gaps.emk");
        CliTest.Run convert = emkit("convert", data.toString(), emk.toString());
        assertThat(convert.status()).as(convert.err()).isZero();
        CliTest.Run streamed = emkit("fit", emk.toString(), "-k", "2", "--covariance", "mfa:1", "--out-of-core", "--json");
        assertThat(streamed.status()).as(streamed.err()).isZero();
        CliTest.Run inMemory = emkit("fit", emk.toString(), "-k", "2", "--covariance", "mfa:1", "--json");
        assertThat(inMemory.status()).as(inMemory.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(streamed.out());
        JsonNode m = new ObjectMapper().readTree(inMemory.out());
        assertThat(s.get("missing_cells").asLong()).isEqualTo(m.get("missing_cells").asLong()).isPositive();
        assertThat(s.get("log_likelihood").asDouble()).isEqualTo(m.get("log_likelihood").asDouble());
        assertThat(s.get("model").get("means")).isEqualTo(m.get("model").get("means"));
        double[] t = trace(s);
        assertThat(t.length).isGreaterThan(3);
        for (int i = 1; i < t.length; i++) {
            assertThat(t[i]).as("iteration %d", i).isGreaterThanOrEqualTo(t[i - 1] - 1e-9 * Math.abs(t[i - 1]));
        }
        CliTest.Run table = emkit("fit", emk.toString(), "-k", "2", "--covariance", "mfa:1", "--out-of-core");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("mixture of factor analysers").contains("clustering table");
        // A CSV is not streamed: one line saying how to convert it.
        assertUserError(emkit("fit", data.toString(), "-k", "2", "--covariance", "mfa:1", "--out-of-core"),
                "--out-of-core streams emkit's binary format", "emkit convert");
    }
}
