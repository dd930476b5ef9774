package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit fit --distribution t} and {@code select --distribution t} end to end, and t model files in use. */
class StudentCliTest {
    @TempDir
    Path dir;
    Path faithful;

    @BeforeEach
    void copyExamples() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
    }

    @Test
    void theSummaryShowsTheDegreesOfFreedomAndCountsThem() {
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t");
        assertThat(r.status()).as(r.err()).isZero();
        // 1 weight + 2 × 2 locations + 2 × 3 scale parameters + 2 degrees of freedom
        assertThat(r.out()).contains("t mixture, 2 components, full scale matrix").contains("p = 13 free parameters")
                .contains("df").contains("scale matrix of component 2");
    }

    @Test
    void jsonModelFileAndPredictScoreSampleWorkOnTModels() throws IOException {
        Path model = dir.resolve("t.json");
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--df-constraint", "equal",
                "--json", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode j = mapper.readTree(r.out());
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        assertThat(j.get("df_constraint").asText()).isEqualTo("equal");
        assertThat(j.get("n_parameters").asInt()).isEqualTo(12);
        JsonNode dof = j.get("degrees_of_freedom");
        assertThat(dof).hasSize(2);
        assertThat(dof.get(0).asDouble()).isEqualTo(dof.get(1).asDouble()).isPositive();
        assertThat(j.get("model").get("kind").asText()).isEqualTo("t_mixture");
        JsonNode file = mapper.readTree(Files.readString(model));
        assertThat(file.get("degrees_of_freedom")).isEqualTo(dof);
        assertThat(file.get("distribution").asText()).isEqualTo("t");

        CliTest.Run score = emkit("score", "--model", model.toString(), faithful.toString(), "--json");
        assertThat(score.status()).as(score.err()).isZero();
        double ll = j.get("log_likelihood").asDouble();
        assertThat(mapper.readTree(score.out()).get("log_likelihood").asDouble()).isCloseTo(ll, within(1e-9 * Math.abs(ll)));
        CliTest.Run predict = emkit("predict", "--model", model.toString(), faithful.toString(), "--proba");
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines()).hasSize(273).first().isEqualTo("label,p0,p1");
        CliTest.Run sample = emkit("sample", "--model", model.toString(), "-n", "5", "--seed", "2");
        assertThat(sample.status()).as(sample.err()).isZero();
        assertThat(sample.out().lines()).hasSize(6);
        // What t mixtures do not do yet is said in one line, not an internal error.
        CliTest.Run plot = emkit("plot", "--model", model.toString(), faithful.toString(), "--out",
                dir.resolve("t.png").toString());
        assertThat(plot.status()).isEqualTo(2);
        assertThat(plot.err()).startsWith("emkit: t mixtures have no pictures yet").doesNotContain("internal error");
        CliTest.Run impute = emkit("impute", "--model", model.toString(), faithful.toString());
        assertThat(impute.status()).isEqualTo(2);
        assertThat(impute.err()).contains("this file holds a t mixture");
    }

    @Test
    void badDegreesOfFreedomAreAUsageErrorOfOneLine() {
        for (String[] args : new String[][] {{"--distribution", "t", "--df", "0"}, {"--distribution", "t", "--df", "-2"},
                {"--df", "3"}, {"--distribution", "student"}, {"--distribution", "t", "--df-constraint", "sometimes"}}) {
            String[] all = new String[args.length + 3];
            all[0] = "fit";
            all[1] = faithful.toString();
            all[2] = "-k2";
            System.arraycopy(args, 0, all, 3, args.length);
            CliTest.Run r = emkit(all);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("emkit: --");
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        CliTest.Run zero = emkit("fit", faithful.toString(), "-k2", "--distribution", "t", "--df", "0");
        assertThat(zero.err()).startsWith("emkit: --df must be a finite number > 0, got 0\n");
    }

    @Test
    void selectComparesTMixturesWithTheDegreesOfFreedomCounted() throws IOException {
        CliTest.Run r = emkit("select", faithful.toString(), "-k", "1-2", "--covariance", "full,diag", "--distribution",
                "t", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        int[] expected = {1 * 5 + 1, 4 + 1, 2 * 5 + 1 + 2, 2 * 4 + 1 + 2};
        for (int i = 0; i < 4; i++) {
            assertThat(j.get("results").get(i).get("n_parameters").asInt()).isEqualTo(expected[i]);
            assertThat(j.get("results").get(i).get("degrees_of_freedom")).isNotNull();
        }
    }
}
