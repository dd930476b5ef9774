package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static io.emkit.cli.CliTest.assertUserError;
import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code fit --noise --distribution t}: a t mixture beside a uniform noise component from the command line — the
 * Gaussian noise fit as {@code ν → ∞}, a log-likelihood trace that never falls, noise rows predicted -1, the model
 * file, and what it does not take yet in one line.
 */
class NoiseStudentCliTest {
    @TempDir
    Path dir;
    Path noisy;

    /** Old Faithful with 60 rows spread uniformly over its range. */
    @BeforeEach
    void noisyFaithful() throws IOException {
        Path faithful = CliTest.copyExample(dir, "faithful.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(faithful));
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 60; i++) {
            lines.add(String.format(java.util.Locale.ROOT, "%.3f,%.1f", 1.5 + 3.6 * random.nextDouble(),
                    43 + 54 * random.nextDouble()));
        }
        noisy = Files.write(dir.resolve("noisy.csv"), lines);
    }

    private static JsonNode json(CliTest.Run r) throws IOException {
        assertThat(r.status()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void withHugeDegreesOfFreedomItIsTheGaussianNoiseFit() throws IOException {
        JsonNode gaussian = json(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--json"));
        JsonNode t = json(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--distribution", "t", "--df", "1e9",
                "--json"));
        double ll = gaussian.get("log_likelihood").asDouble();
        assertThat(t.get("log_likelihood").asDouble()).isCloseTo(ll, within(1e-6 * Math.abs(ll)));
        assertThat(t.get("noise_weight").asDouble()).isCloseTo(gaussian.get("noise_weight").asDouble(), within(1e-6));
        assertThat(t.get("noise_rows").asInt()).isEqualTo(gaussian.get("noise_rows").asInt());
        // Fixed ν: the Gaussian noise fit's parameters, no more.
        assertThat(t.get("n_parameters").asInt()).isEqualTo(gaussian.get("n_parameters").asInt());
    }

    @Test
    void fitsSavesAndPredictsNoiseRows() throws IOException {
        Path model = dir.resolve("nt.json");
        JsonNode j = json(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--distribution", "t", "--json",
                "--model-out", model.toString()));
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        assertThat(j.get("degrees_of_freedom")).hasSize(2);
        assertThat(j.get("model").get("kind").asText()).isEqualTo("noise_t_mixture");
        // VVV's 11 + 2 ν + the noise weight and density.
        assertThat(j.get("n_parameters").asInt()).isEqualTo(15);
        JsonNode trace = j.get("log_likelihood_trace");
        for (int i = 1; i < trace.size(); i++) {
            double previous = trace.get(i - 1).asDouble();
            assertThat(trace.get(i).asDouble()).as("iteration %d", i)
                    .isGreaterThanOrEqualTo(previous - 1e-9 * Math.abs(previous));
        }
        int noiseRows = j.get("noise_rows").asInt();
        assertThat(noiseRows).isPositive();
        CliTest.Run predict = emkit("predict", "--model", model.toString(), noisy.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines().skip(1).filter(l -> l.equals("-1")).count()).isEqualTo(noiseRows);
        CliTest.Run table = emkit("fit", noisy.toString(), "-k", "2", "--noise", "--distribution", "t");
        assertThat(table.out()).contains("t mixture with a uniform noise component").contains("degrees of freedom free")
                .contains(noiseRows + " of 332 rows most probably noise");
    }

    @Test
    void whatItDoesNotTakeYetIsOneLine() {
        assertUserError(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--distribution", "t", "--prior",
                "default"), "--prior is not available with --noise --distribution t yet");
        assertUserError(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--distribution", "t", "--df", "0"),
                "--df must be a finite number > 0");
    }
}
