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

import static io.emkit.cli.CliTest.assertUserError;
import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code fit --distribution t --covariance mfa:Q}: mixtures of t factor analysers from the command line — the
 * degrees of freedom in the JSON, the summary and the model file, the parameter count, the identity with the
 * full-covariance t mixture at {@code Q = D − 1}, thread-count independence, and bad input in one line.
 */
class StudentFactorCliTest {
    @TempDir
    Path dir;
    Path faithful;

    @BeforeEach
    void copyExample() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
    }

    private static JsonNode json(CliTest.Run r) throws IOException {
        assertThat(r.status()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void fitsShowsAndSavesTheDegreesOfFreedom() throws IOException {
        Path model = dir.resolve("tmfa.json");
        JsonNode j = json(emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:1",
                "--json", "--model-out", model.toString()));
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        assertThat(j.get("covariance").asText()).isEqualTo("mfa:1");
        assertThat(j.get("degrees_of_freedom")).hasSize(2);
        assertThat(j.get("df_constraint").asText()).isEqualTo("free");
        assertThat(j.get("model").get("kind").asText()).isEqualTo("t_mfa_mixture");
        // The mixture of factor analysers' 13 (1 weight, 2 × 2 means, 2 × (2 loadings + 2 uniquenesses)) + 2 ν.
        assertThat(j.get("n_parameters").asInt()).isEqualTo(15);
        // Q = D − 1 expresses any scale matrix: the optimum is the full-covariance t mixture's (ν flat near ∞).
        JsonNode full = json(emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--json"));
        assertThat(j.get("log_likelihood").asDouble()).isCloseTo(full.get("log_likelihood").asDouble(), within(1e-2));
        CliTest.Run predict = emkit("predict", "--model", model.toString(), faithful.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines()).hasSize(273);
        CliTest.Run score = emkit("score", "--model", model.toString(), faithful.toString(), "--json");
        double ll = j.get("log_likelihood").asDouble();
        assertThat(json(score).get("log_likelihood").asDouble()).isCloseTo(ll, within(1e-9 * Math.abs(ll)));

        CliTest.Run table = emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:1");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("mixture of t factor analysers").contains("degrees of freedom free")
                .contains("df").contains("clustering table");
    }

    @Test
    void equalAndFixedDegreesOfFreedomCountAsTheyShould() throws IOException {
        JsonNode equal = json(emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:1",
                "--df-constraint", "equal", "--json"));
        assertThat(equal.get("n_parameters").asInt()).isEqualTo(14);
        assertThat(equal.get("degrees_of_freedom").get(0).asDouble())
                .isEqualTo(equal.get("degrees_of_freedom").get(1).asDouble());
        JsonNode fixed = json(emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:1",
                "--df", "4", "--json"));
        assertThat(fixed.get("n_parameters").asInt()).isEqualTo(13);
        assertThat(fixed.get("degrees_of_freedom").get(1).asDouble()).isEqualTo(4.0);
        assertThat(fixed.get("df_constraint").asText()).isEqualTo("fixed");
    }

    @Test
    void streamedFromDiskTheFitIsTheInMemoryOne() throws IOException {
        Path emk = dir.resolve("faithful.emk");
        CliTest.Run convert = emkit("convert", faithful.toString(), emk.toString());
        assertThat(convert.status()).as(convert.err()).isZero();
        JsonNode streamed = json(emkit("fit", emk.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:1",
                "--out-of-core", "--json"));
        JsonNode inMemory = json(emkit("fit", emk.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:1",
                "--json"));
        assertThat(streamed.get("log_likelihood").asDouble()).isEqualTo(inMemory.get("log_likelihood").asDouble());
        assertThat(streamed.get("model")).isEqualTo(inMemory.get("model"));
    }

    @Test
    void theSameBitsOnOneOrThreeThreads() throws IOException {
        JsonNode one = json(emkit("fit", faithful.toString(), "-k", "3", "--distribution", "t", "--covariance", "mfa:1",
                "--threads", "1", "--json"));
        JsonNode three = json(emkit("fit", faithful.toString(), "-k", "3", "--distribution", "t", "--covariance", "mfa:1",
                "--threads", "3", "--json"));
        assertThat(three.get("log_likelihood").asDouble()).isEqualTo(one.get("log_likelihood").asDouble());
        assertThat(three.get("model")).isEqualTo(one.get("model"));
    }

    @Test
    void badInputIsOneLineAndMissingCellsAreFitted() throws IOException {
        String f = faithful.toString();
        assertUserError(emkit("fit", f, "-k", "2", "--distribution", "t", "--covariance", "mfa:2"),
                "--covariance mfa:2 needs fewer factors than the data's 2 columns");
        assertUserError(emkit("fit", f, "-k", "2", "--distribution", "t", "--covariance", "mfa:1", "--df", "0"),
                "--df must be a finite number > 0, got 0");
        assertUserError(emkit("fit", f, "-k", "2", "--distribution", "t", "--covariance", "mfa:1", "--df", "-1"),
                "--df must be a finite number > 0, got -1");
        // A prior with factor analysers is refused saying why: mclust's conjugate prior is on a full covariance.
        assertUserError(emkit("fit", f, "-k", "2", "--covariance", "mfa:1", "--prior", "default"),
                "--prior does not go with --covariance mfa:Q", "full covariance", "factor structure");
        assertUserError(emkit("select", f, "-k", "1-2", "--covariance", "mfa:1", "--prior", "default"),
                "--prior does not go with --covariance mfa:Q", "full covariance");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(faithful));
        lines.set(5, lines.get(5).replaceFirst("^[^,]*", ""));
        Path gaps = Files.write(dir.resolve("gaps.csv"), lines);
        // A missing cell is fitted on the row's observed value.
        JsonNode j = json(emkit("fit", gaps.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:1",
                "--json"));
        assertThat(j.get("missing_cells").asLong()).isEqualTo(1);
        assertUserError(emkit("fit", gaps.toString(), "-k", "2", "--distribution", "t", "--covariance", "mfa:0"),
                "Q >= 1");
    }
}
