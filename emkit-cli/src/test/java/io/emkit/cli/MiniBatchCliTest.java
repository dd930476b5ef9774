package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.emkit.cli.CliTest.assertUserError;
import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit fit --mini-batch}: the options, the summary, determinism, the out-of-core path and refusals. */
class MiniBatchCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path sample;

    /** 20,000 rows drawn from a two-component model of Old Faithful (fitted here, so its parameters are known). */
    @BeforeEach
    void drawData() throws IOException {
        Path faithful = dir.resolve("faithful.csv");
        try (InputStream in = CliTest.class.getResourceAsStream("faithful.csv")) {
            Files.copy(in, faithful);
        }
        Path model = dir.resolve("truth.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "-q", "--model-out", model.toString()).status()).isZero();
        sample = dir.resolve("sample.csv");
        CliTest.Run drawn = emkit("sample", "--model", model.toString(), "--n", "20000", "--seed", "3", "--out",
                sample.toString());
        assertThat(drawn.status()).as(drawn.err()).isZero();
    }

    @Test
    void onePassEndsNearFullEmAndSaysHowItRan() throws IOException {
        JsonNode full = JSON.readTree(emkit("fit", sample.toString(), "-k", "2", "--json", "--tol", "1e-8",
                "--max-iter", "500").out());
        CliTest.Run run = emkit("fit", sample.toString(), "-k", "2", "--json", "--mini-batch", "500");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode online = JSON.readTree(run.out());
        assertThat(online.get("n_iter").asInt()).isEqualTo(40);
        assertThat(online.get("mini_batch").get("batches_per_pass").asInt()).isEqualTo(40);
        assertThat(online.get("mini_batch").get("step_exponent").asDouble()).isEqualTo(0.6);
        assertThat(online.get("log_likelihood_trace").size()).isEqualTo(41);
        assertThat(online.get("mean_log_likelihood").asDouble())
                .isCloseTo(full.get("mean_log_likelihood").asDouble(), within(0.002));

        CliTest.Run summary = emkit("fit", sample.toString(), "-k", "2", "--mini-batch", "6000", "--passes", "3",
                "--step-exponent", "0.9", "--shuffle");
        assertThat(summary.status()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("mini-batch EM: 3 passes of 4 batches of at most 6000 rows (12 updates,"
                + " step size (t + 2)^-0.9, rows shuffled)");
    }

    @Test
    void sameResultForAnyThreadCountAndFromAMappedFile() {
        String[] common = {"-k", "2", "--json", "--mini-batch", "700", "--shuffle", "--passes", "2", "--seed", "9"};
        CliTest.Run one = emkit(CliTest.concat(new String[] {"fit", sample.toString(), "--threads", "1"}, common));
        CliTest.Run two = emkit(CliTest.concat(new String[] {"fit", sample.toString(), "--threads", "2"}, common));
        assertThat(one.status()).as(one.err()).isZero();
        assertThat(two.out()).isEqualTo(one.out());
        Path emk = dir.resolve("sample.emk");
        assertThat(emkit("convert", sample.toString(), emk.toString(), "-q").status()).isZero();
        CliTest.Run mapped = emkit(CliTest.concat(new String[] {"fit", emk.toString(), "--out-of-core"}, common));
        assertThat(mapped.status()).as(mapped.err()).isZero();
        assertThat(mapped.out()).isEqualTo(one.out());
    }

    @Test
    void refusesOptionsThatDoNotFit() {
        String data = sample.toString();
        assertUserError(emkit("fit", data, "-k", "2", "--passes", "2"), "--mini-batch");
        assertUserError(emkit("fit", data, "-k", "2", "--shuffle"), "--mini-batch");
        assertUserError(emkit("fit", data, "-k", "2", "--mini-batch", "0"), "--mini-batch must be at least 1");
        assertUserError(emkit("fit", data, "-k", "2", "--mini-batch", "10", "--passes", "0"), "--passes");
        assertUserError(emkit("fit", data, "-k", "2", "--mini-batch", "10", "--step-exponent", "0.5"),
                "--step-exponent must be in (0.5, 1]");
        assertUserError(emkit("fit", data, "-k", "2", "--mini-batch", "10", "--family", "gaussian"), "--family");
    }
}
