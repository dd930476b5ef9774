package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.MixtureModel;
import io.emkit.noise.NoiseMixture;
import io.emkit.noise.NoiseMixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mixtures with a noise component in model files: the Gaussian keys plus the noise's share and box, read back exactly. */
class NoiseModelFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "TIED", "VEV"})
    void roundTripIsExact(CovarianceType type) throws IOException {
        Dataset iris = TestData.iris();
        NoiseMixtureModel fitted = NoiseMixture.like(GaussianMixture.withComponents(2).covarianceType(type)
                .maxIterations(30)).fit(iris).params();
        Path file = dir.resolve("noise.json");
        ModelFiles.write(fitted, file);
        MixtureModel loaded = ModelFiles.readMixture(file);
        assertThat(loaded).isEqualTo(fitted);
        double[] a = loaded.scoreSamples(iris);
        double[] b = fitted.scoreSamples(iris);
        for (int i = 0; i < a.length; i++) {
            assertThat(Double.doubleToRawLongBits(a[i])).isEqualTo(Double.doubleToRawLongBits(b[i]));
        }
        Path again = dir.resolve("again.json");
        ModelFiles.write(loaded, again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(file));
        JsonNode j = new ObjectMapper().readTree(Files.readString(file));
        assertThat(j.get("kind").asText()).isEqualTo(ModelFiles.NOISE_MIXTURE);
        assertThat(j.get("noise").get("weight").asDouble()).isEqualTo(fitted.noiseWeight());
        assertThat(j.get("noise").get("axes")).hasSize(4);
        assertThat(ModelFiles.kindOf(file)).isEqualTo(ModelFiles.NOISE_MIXTURE);
    }

    @Test
    void aVolumeThatIsNotTheBoxsIsRefusedNamingTheKey() throws IOException {
        NoiseMixtureModel fitted = NoiseMixture.like(GaussianMixture.withComponents(2).maxIterations(5))
                .fit(TestData.faithful()).params();
        String json = ModelFiles.toJson(fitted).replaceFirst("\"log_volume\" : [-0-9.eE]+", "\"log_volume\" : 1.5");
        assertThatThrownBy(() -> ModelFiles.fromJson(json, "bad.json")).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("noise.log_volume");
        String weight = ModelFiles.toJson(fitted).replaceFirst("\"weight\" : [-0-9.eE]+", "\"weight\" : 1.5");
        assertThatThrownBy(() -> ModelFiles.fromJson(weight, "w.json")).hasMessageContaining("w.json")
                .hasMessageContaining("noise weight");
    }
}
