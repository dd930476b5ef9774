package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.ClusteringModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A model file's provenance: written after the model's keys, ignored on load, absent when not given. */
class ProvenanceTest {
    @TempDir
    Path dir;

    private static GaussianMixtureModel model() {
        return GaussianMixtureModel.of(CovarianceType.parse("VVV"), new double[] {0.25, 0.75},
                new double[][] {{0, 0}, {3, 1}}, new double[][][] {{{1, 0}, {0, 1}}, {{2, 0.5}, {0.5, 1}}});
    }

    @Test
    void writtenWithTheModelAndIgnoredOnLoad() throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--components", "2");
        options.put("--hard", "true");
        Provenance p = new Provenance("0.1.0", "data.csv", 272, 2, options, 7, -1130.5, 2300.25, true, 41,
                "2026-12-02T03:11:29Z");
        Path with = dir.resolve("with.json");
        ModelFiles.write(model(), with, p);
        JsonNode json = new ObjectMapper().readTree(with.toFile());
        JsonNode o = json.get("provenance");
        assertThat(o.get("emkit_version").asText()).isEqualTo("0.1.0");
        assertThat(o.get("data_file").asText()).isEqualTo("data.csv");
        assertThat(o.get("rows").asLong()).isEqualTo(272);
        assertThat(o.get("columns").asInt()).isEqualTo(2);
        assertThat(o.get("options").fieldNames()).toIterable().containsExactly("--components", "--hard");
        assertThat(o.get("options").get("--hard").asText()).isEqualTo("true");
        assertThat(o.get("seed").asLong()).isEqualTo(7);
        assertThat(o.get("log_likelihood").asDouble()).isEqualTo(-1130.5);
        assertThat(o.get("bic").asDouble()).isEqualTo(2300.25);
        assertThat(o.get("converged").asBoolean()).isTrue();
        assertThat(o.get("iterations").asInt()).isEqualTo(41);
        assertThat(o.get("date").asText()).isEqualTo("2026-12-02T03:11:29Z");
        // Loaded, it is the model; written again without provenance, the file of a model alone.
        ClusteringModel back = ModelFiles.read(with);
        assertThat(ModelFiles.toJson(back)).isEqualTo(ModelFiles.toJson(model()));
        Path without = dir.resolve("without.json");
        ModelFiles.write(model(), without, null);
        assertThat(Files.readString(without)).isEqualTo(ModelFiles.toJson(model())).doesNotContain("provenance");
    }

    @Test
    void numbersAFitDoesNotHaveAreNull() throws IOException {
        Provenance p = new Provenance("dev", "x.csv", 10, 1, Map.of(), 0, Double.NaN, Double.NaN, null, null,
                "2026-01-01T00:00:00Z");
        Path file = dir.resolve("km.json");
        ModelFiles.write(model(), file, p);
        JsonNode o = new ObjectMapper().readTree(file.toFile()).get("provenance");
        assertThat(o.get("log_likelihood").isNull()).isTrue();
        assertThat(o.get("bic").isNull()).isTrue();
        assertThat(o.get("converged").isNull()).isTrue();
        assertThat(o.get("iterations").isNull()).isTrue();
        assertThat(ModelFiles.read(file)).isInstanceOf(GaussianMixtureModel.class);
    }
}
