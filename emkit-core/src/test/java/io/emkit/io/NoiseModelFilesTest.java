package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.noise.NoiseMixture;
import io.emkit.noise.NoiseFactorAnalyserMixture;
import io.emkit.noise.NoiseFactorAnalyserMixtureModel;
import io.emkit.noise.NoiseMixtureModel;
import io.emkit.noise.NoiseStudentMixture;
import io.emkit.noise.NoiseStudentMixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
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
        JsonNode j = ExactRoundTrip.check(fitted, iris, dir);
        assertThat(j.get("kind").asText()).isEqualTo(ModelFiles.NOISE_MIXTURE);
        assertThat(j.get("noise").get("weight").asDouble()).isEqualTo(fitted.noiseWeight());
        assertThat(j.get("noise").get("axes")).hasSize(4);
        assertThat(ModelFiles.kindOf(dir.resolve("model.json"))).isEqualTo(ModelFiles.NOISE_MIXTURE);
    }

    @Test
    void aTMixtureWithNoiseRoundTripsExactlyWithItsDegreesOfFreedom() throws IOException {
        Dataset iris = TestData.iris();
        NoiseStudentMixtureModel fitted = NoiseStudentMixture.like(GaussianMixture.withComponents(2).maxIterations(30))
                .fit(iris).params();
        JsonNode j = ExactRoundTrip.check(fitted, iris, dir);
        assertThat(j.get("kind").asText()).isEqualTo(ModelFiles.NOISE_T_MIXTURE).isEqualTo("noise_t_mixture");
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        assertThat(j.get("degrees_of_freedom").get(1).asDouble()).isEqualTo(fitted.student().degreesOfFreedom()[1]);
        assertThat(j.get("noise").get("weight").asDouble()).isEqualTo(fitted.noiseWeight());
        String bad = ModelFiles.toJson(fitted).replaceFirst("\"log_volume\" : [-0-9.eE]+", "\"log_volume\" : 1.5");
        assertThatThrownBy(() -> ModelFiles.fromJson(bad, "bad.json")).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("noise.log_volume");
    }

    @Test
    void factorAnalysersWithNoiseRoundTripExactly() throws IOException {
        Dataset iris = TestData.iris();
        NoiseFactorAnalyserMixtureModel fitted = NoiseFactorAnalyserMixture.like(GaussianMixture.withComponents(2)
                .maxIterations(30), 2).fit(iris).params();
        JsonNode j = ExactRoundTrip.check(fitted, iris, dir);
        assertThat(j.get("kind").asText()).isEqualTo(ModelFiles.NOISE_MFA_MIXTURE).isEqualTo("noise_mfa_mixture");
        assertThat(j.get("n_factors").asInt()).isEqualTo(2);
        assertThat(j.get("noise").get("weight").asDouble()).isEqualTo(fitted.noiseWeight());
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
