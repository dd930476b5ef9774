package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Saved models say how they were made; the provenance does not stop them from loading. */
class ProvenanceCliTest {
    @TempDir
    Path dir;
    Path faithful;

    @BeforeEach
    void copyExample() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
    }

    private static JsonNode provenance(Path model) throws IOException {
        return new ObjectMapper().readTree(model.toFile()).get("provenance");
    }

    @Test
    void fitRecordsDataOptionsSeedAndResult() throws IOException {
        Path model = dir.resolve("model.json");
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--seed", "3", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode p = provenance(model);
        assertThat(p.get("data_file").asText()).isEqualTo(faithful.toString());
        assertThat(p.get("rows").asLong()).isEqualTo(272);      // faithful: 272 eruptions
        assertThat(p.get("columns").asInt()).isEqualTo(2);
        assertThat(p.get("options").get("--components").asText()).isEqualTo("2");
        assertThat(p.get("options").get("--seed").asText()).isEqualTo("3");
        assertThat(p.get("seed").asLong()).isEqualTo(3);
        // mclust's log-likelihood of the 2-component VVV fit of faithful, and BIC = -2 logL + 11 ln 272.
        assertThat(p.get("log_likelihood").asDouble()).isCloseTo(-1130.264, within(1e-2));
        assertThat(p.get("bic").asDouble()).isCloseTo(2 * 1130.264 + 11 * Math.log(272), within(2e-2));
        assertThat(p.get("converged").asBoolean()).isTrue();
        assertThat(p.get("iterations").asInt()).isPositive();
        assertThat(p.get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(p.get("emkit_version").asText()).isNotBlank();
        CliTest.Run predict = emkit("predict", "--model", model.toString(), faithful.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
    }

    @Test
    void kmeansAndSelectRecordWhatTheyHave() throws IOException {
        Path km = dir.resolve("km.json");
        assertThat(emkit("kmeans", faithful.toString(), "--clusters", "2", "--model-out", km.toString()).status()).isZero();
        JsonNode k = provenance(km);
        assertThat(k.get("options").get("--components").asText()).isEqualTo("2");
        assertThat(k.get("log_likelihood").isNull()).isTrue();
        assertThat(k.get("converged").isBoolean()).isTrue();
        Path best = dir.resolve("best.json");
        assertThat(emkit("select", faithful.toString(), "-k", "1-2", "--covariance", "VVV", "--model-out",
                best.toString()).status()).isZero();
        JsonNode s = provenance(best);
        assertThat(s.get("rows").asLong()).isEqualTo(272);
        assertThat(s.get("bic").asDouble()).isCloseTo(2 * 1130.264 + 11 * Math.log(272), within(2e-2));
        assertThat(s.get("converged").isNull()).isTrue();
        assertThat(emkit("score", "--model", best.toString(), faithful.toString()).status()).isZero();
    }
}
