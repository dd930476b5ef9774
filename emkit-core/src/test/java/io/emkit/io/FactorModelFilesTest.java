package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.StudentFactorAnalyserMixture;
import io.emkit.factor.StudentFactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.student.DegreesOfFreedom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mixtures of factor analysers in model files: weights, means, loadings and uniquenesses, read back exactly. */
class FactorModelFilesTest {
    @TempDir
    Path dir;

    private static FactorAnalyserMixtureModel fitted() {
        return FactorAnalyserMixture.like(GaussianMixture.withComponents(3).seed(1).threads(1).maxIterations(40), 2)
                .fit(TestData.iris()).params();
    }

    @Test
    void roundTripIsExact() throws IOException {
        Dataset iris = TestData.iris();
        FactorAnalyserMixtureModel model = fitted();
        JsonNode j = ExactRoundTrip.check(model, iris, dir);
        assertThat(ModelFiles.readMixture(dir.resolve("model.json")).featureNames()).isEqualTo(iris.columnNames());
        assertThat(j.get("kind").asText()).isEqualTo(ModelFiles.MFA_MIXTURE).isEqualTo("mfa_mixture");
        assertThat(j.get("n_factors").asInt()).isEqualTo(2);
        assertThat(j.get("loadings")).hasSize(3);
        assertThat(j.get("loadings").get(0)).hasSize(4);
        assertThat(j.get("loadings").get(0).get(0)).hasSize(2);
        assertThat(j.get("uniquenesses").get(2).get(3).asDouble()).isEqualTo(model.uniquenesses(2)[3]);
        assertThat(j.has("covariances")).isFalse();
        assertThat(ModelFiles.kindOf(dir.resolve("model.json"))).isEqualTo(ModelFiles.MFA_MIXTURE);
    }

    @Test
    void tFactorAnalysersRoundTripExactlyAndKeepTheirDegreesOfFreedom() throws IOException {
        Dataset iris = TestData.iris();
        StudentFactorAnalyserMixtureModel model = StudentFactorAnalyserMixture.like(GaussianMixture.withComponents(3)
                .seed(1).threads(1).maxIterations(40), 2).degreesOfFreedom(DegreesOfFreedom.equal()).fit(iris).params();
        JsonNode j = ExactRoundTrip.check(model, iris, dir);
        assertThat(j.get("kind").asText()).isEqualTo(ModelFiles.T_MFA_MIXTURE).isEqualTo("t_mfa_mixture");
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        assertThat(j.get("df_constraint").asText()).isEqualTo("equal");
        assertThat(j.get("degrees_of_freedom")).hasSize(3);
        assertThat(j.get("degrees_of_freedom").get(1).asDouble()).isEqualTo(model.degreesOfFreedom()[1]);
        assertThat(j.get("n_factors").asInt()).isEqualTo(2);
        // A mixture of factor analysers' file is still read as one (no degrees of freedom).
        assertThat(ModelFiles.fromJson(ModelFiles.toJson(model.scales()), "old.json"))
                .isInstanceOf(FactorAnalyserMixtureModel.class);
        String noDegrees = ModelFiles.toJson(model).replaceFirst("\"degrees_of_freedom\"", "\"dof\"");
        assertThatThrownBy(() -> ModelFiles.fromJson(noDegrees, "t.json")).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("t.json").hasMessageContaining("degrees_of_freedom");
    }

    @Test
    void badLoadingsOrUniquenessesAreRefusedNamingTheKey() {
        String json = ModelFiles.toJson(fitted());
        String shape = json.replaceFirst("\"n_factors\" : 2", "\"n_factors\" : 3");
        assertThatThrownBy(() -> ModelFiles.fromJson(shape, "shape.json")).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("shape.json").hasMessageContaining("loadings[0]");
        String negative = json.replaceFirst("\"uniquenesses\" : \\[ \\[ [0-9.eE-]+", "\"uniquenesses\" : [ [ -1.0");
        assertThat(negative).isNotEqualTo(json);
        assertThatThrownBy(() -> ModelFiles.fromJson(negative, "neg.json")).hasMessageContaining("neg.json")
                .hasMessageContaining("uniqueness 1 must be > 0");
    }
}
