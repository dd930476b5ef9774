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
 * {@code fit --noise --distribution t} and {@code fit --noise --covariance mfa:Q}: t components or factor analysers
 * beside a uniform noise component from the command line. For t: the
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
    void factorAnalysersBesideTheNoiseWithOneFactorFewerThanColumnsAreTheFullCovarianceNoiseFit() throws IOException {
        Path model = dir.resolve("nm.json");
        // Converged tightly: the factor analysers at Q = D − 1 creep along a flat likelihood.
        JsonNode mfa = json(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--covariance", "mfa:1", "--json",
                "--tol", "1e-12", "--max-iter", "50000", "--model-out", model.toString()));
        JsonNode full = json(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--covariance", "VVV", "--json",
                "--tol", "1e-12", "--max-iter", "50000"));
        double ll = full.get("log_likelihood").asDouble();
        assertThat(mfa.get("log_likelihood").asDouble()).isCloseTo(ll, within(1e-6 * Math.abs(ll)));
        assertThat(mfa.get("noise_weight").asDouble()).isCloseTo(full.get("noise_weight").asDouble(), within(1e-4));
        assertThat(mfa.get("model").get("kind").asText()).isEqualTo("noise_mfa_mixture");
        // The factor analysers' 13 (as VVV's 11 in 2-D plus the rotation the count does not remove at Q = D − 1:
        // 1 weight, 2 × 2 means, 2 × (2 loadings + 2 uniquenesses)) + the noise weight and density.
        assertThat(mfa.get("n_parameters").asInt()).isEqualTo(15);
        JsonNode trace = mfa.get("log_likelihood_trace");
        for (int i = 1; i < trace.size(); i++) {
            double previous = trace.get(i - 1).asDouble();
            assertThat(trace.get(i).asDouble()).isGreaterThanOrEqualTo(previous - 1e-9 * Math.abs(previous));
        }
        CliTest.Run predict = emkit("predict", "--model", model.toString(), noisy.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines().skip(1).filter(l -> l.equals("-1")).count())
                .isEqualTo(mfa.get("noise_rows").asInt()).isPositive();
        CliTest.Run table = emkit("fit", noisy.toString(), "-k", "2", "--noise", "--covariance", "mfa:1");
        assertThat(table.out()).contains("mixture of factor analysers with a uniform noise component")
                .contains("rows most probably noise");
        assertUserError(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--covariance", "mfa:1", "--distribution",
                "t"), "--noise with --distribution t and --covariance mfa:Q together is not available yet");
        assertUserError(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--covariance", "mfa:2"),
                "--covariance mfa:2 needs fewer factors than the data's 2 columns");
    }

    @Test
    void whatItDoesNotTakeYetIsOneLine() {
        assertUserError(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--distribution", "t", "--prior",
                "default"), "--prior is not available with --noise --distribution t yet");
        assertUserError(emkit("fit", noisy.toString(), "-k", "2", "--noise", "--distribution", "t", "--df", "0"),
                "--df must be a finite number > 0");
    }
}
