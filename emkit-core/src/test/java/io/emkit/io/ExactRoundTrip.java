package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.data.Dataset;
import io.emkit.mixture.MixtureModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every model kind's file must do: written and read back, the same model (equal, the same per-row scores to
 * the bit), and written again, the same bytes.
 */
final class ExactRoundTrip {
    private ExactRoundTrip() {
    }

    /**
     * Writes, reads and rewrites {@code model} in {@code dir}, checking the round trip is exact.
     *
     * @return the written file's JSON, for the kind's own checks
     */
    static JsonNode check(MixtureModel model, Dataset data, Path dir) throws IOException {
        Path file = dir.resolve("model.json");
        ModelFiles.write(model, file);
        MixtureModel loaded = ModelFiles.readMixture(file);
        assertThat(loaded).isInstanceOf(model.getClass()).isEqualTo(model);
        double[] a = loaded.scoreSamples(data);
        double[] b = model.scoreSamples(data);
        for (int i = 0; i < a.length; i++) {
            assertThat(Double.doubleToRawLongBits(a[i])).as("row %d's score", i).isEqualTo(Double.doubleToRawLongBits(b[i]));
        }
        Path again = dir.resolve("again.json");
        ModelFiles.write(loaded, again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(file));
        return new ObjectMapper().readTree(Files.readString(file));
    }
}
