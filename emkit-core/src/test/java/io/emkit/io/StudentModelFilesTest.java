package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** t mixtures in model files: the Gaussian keys plus the degrees of freedom, read back exactly. */
class StudentModelFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL", "TIED", "VEV"})
    void roundTripIsExact(CovarianceType type) throws IOException {
        Dataset iris = TestData.iris();
        StudentMixtureModel fitted = StudentMixture.like(GaussianMixture.withComponents(3).covarianceType(type).seed(3)
                .maxIterations(30)).degreesOfFreedom(DegreesOfFreedom.equal()).fit(iris).params();
        JsonNode j = ExactRoundTrip.check(fitted, iris, dir);
        assertThat(j.get("kind").asText()).isEqualTo(ModelFiles.T_MIXTURE);
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        assertThat(j.get("df_constraint").asText()).isEqualTo("equal");
        assertThat(j.get("degrees_of_freedom")).hasSize(3);
        for (String key : new String[] {"covariance_type", "n_components", "weights", "means", "covariances"}) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(ModelFiles.kindOf(dir.resolve("model.json"))).isEqualTo(ModelFiles.T_MIXTURE);
    }

    @Test
    void badDegreesOfFreedomAreRefusedNamingTheFile() throws IOException {
        String json = "{\"format\": \"emkit-model\", \"format_version\": 1, \"kind\": \"t_mixture\","
                + " \"covariance_type\": \"spherical\", \"n_components\": 1, \"n_features\": 1, \"feature_names\": [\"x\"],"
                + " \"weights\": [1], \"means\": [[0]], \"covariances\": [1], \"distribution\": \"t\","
                + " \"degrees_of_freedom\": [-2]}";
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        assertThatThrownBy(() -> ModelFiles.read(file)).hasMessageContaining("bad.json")
                .hasMessageContaining("degrees of freedom");
        Files.writeString(file, json.replace("[-2]", "[4]"));
        StudentMixtureModel m = (StudentMixtureModel) ModelFiles.read(file);
        assertThat(m.constraint()).isEqualTo(DegreesOfFreedom.Constraint.FREE);
        assertThat(m.degreesOfFreedom()).containsExactly(4);
    }
}
