package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.mixture.MixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void roundTripIsExact(CovarianceType type) throws IOException {
        Dataset iris = TestData.iris();
        GaussianMixtureModel fitted = GaussianMixture.withComponents(3).covarianceType(type).seed(3).fit(iris).params();
        Path file = dir.resolve("m.json");
        ModelFiles.write(fitted, file);
        MixtureModel loaded = ModelFiles.readMixture(file);

        assertThat(loaded).isEqualTo(fitted);
        assertThat(loaded.featureNames()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(loaded.predict(iris)).containsExactly(fitted.predict(iris));
        double[] a = loaded.scoreSamples(iris);
        double[] b = fitted.scoreSamples(iris);
        for (int i = 0; i < a.length; i++) {
            assertThat(Double.doubleToRawLongBits(a[i])).isEqualTo(Double.doubleToRawLongBits(b[i]));
        }
        double[][] pa = loaded.predictProba(iris);
        double[][] pb = fitted.predictProba(iris);
        for (int i = 0; i < pa.length; i++) {
            assertThat(pa[i]).containsExactly(pb[i]);
        }
        // Saving the loaded model writes the same bytes.
        Path again = dir.resolve("again.json");
        ModelFiles.write(loaded, again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(file));
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void covariancesHaveTheDocumentedShape(CovarianceType type) throws IOException {
        GaussianMixtureModel m = GaussianMixture.withComponents(3).covarianceType(type).fit(TestData.iris()).params();
        JsonNode j = new ObjectMapper().readTree(ModelFiles.toJson(m));
        assertThat(j.get("kind").asText()).isEqualTo("gaussian_mixture");
        assertThat(j.get("covariance_type").asText()).isEqualTo(type.label());
        assertThat(j.get("weights").size()).isEqualTo(3);
        assertThat(j.get("means").size()).isEqualTo(3);
        assertThat(j.get("means").get(0).size()).isEqualTo(4);
        JsonNode cov = j.get("covariances");
        switch (type) {
            case FULL -> {
                assertThat(cov.size()).isEqualTo(3);
                assertThat(cov.get(2).size()).isEqualTo(4);
                assertThat(cov.get(2).get(3).size()).isEqualTo(4);
            }
            case DIAG -> {
                assertThat(cov.size()).isEqualTo(3);
                assertThat(cov.get(0).size()).isEqualTo(4);
                assertThat(cov.get(0).get(0).isNumber()).isTrue();
            }
            case SPHERICAL -> {
                assertThat(cov.size()).isEqualTo(3);
                assertThat(cov.get(0).isNumber()).isTrue();
            }
            case TIED -> {
                assertThat(cov.size()).isEqualTo(4);
                assertThat(cov.get(0).size()).isEqualTo(4);
            }
        }
    }

    private static final String VALID = "{\"format\":\"emkit-model\",\"format_version\":1,\"kind\":\"gaussian_mixture\","
            + "\"covariance_type\":\"diag\",\"n_components\":2,\"n_features\":1,\"feature_names\":[\"x\"],"
            + "\"weights\":[0.5,0.5],\"means\":[[0],[1]],\"covariances\":[[1],[2]]}";

    @Test
    void readsAHandWrittenFile() {
        MixtureModel m = (MixtureModel) ModelFiles.fromJson(VALID, "hand.json");
        assertThat(m.components()).isEqualTo(2);
        // log density at 0: log(0.5 N(0|0,1) + 0.5 N(0|1,2)), computed by hand here.
        double expected = Math.log(0.5 / Math.sqrt(2 * Math.PI) + 0.5 / Math.sqrt(4 * Math.PI) * Math.exp(-0.25));
        assertThat(m.scoreSamples(Dataset.ofColumn(0.0))[0]).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-14));
    }

    @Test
    void refusesInvalidFilesWithMessagesNamingTheKey() {
        assertRefused(VALID.replace("\"weights\":[0.5,0.5]", "\"weights\":[0.5,0.5,0.0]"), "\"weights\" has 3 entries, expected 2");
        assertRefused(VALID.replace("\"weights\":[0.5,0.5]", "\"weights\":[0.5,0.6]"), "sum to 1");
        assertRefused(VALID.replace("[[1],[2]]", "[[1],[-2]]"), "component 2", "positive definite");
        assertRefused(VALID.replace("\"format_version\":1", "\"format_version\":7"), "format_version 7");
        assertRefused(VALID.replace("gaussian_mixture", "hmm"), "unknown model kind 'hmm'");
        assertRefused(VALID.replace("\"diag\"", "\"wobbly\""), "covariance_type", "wobbly");
        assertRefused(VALID.replace(",\"means\":[[0],[1]]", ""), "missing key \"means\"");
        assertRefused("[1,2]", "not an emkit model file");
        assertRefused("{\"format\":\"other\"}", "not an emkit model file");
        assertRefused("{oops", "not valid JSON");
        String nonSymmetric = VALID.replace("\"diag\"", "\"tied\"").replace("\"n_features\":1", "\"n_features\":2")
                .replace("[\"x\"]", "[\"x\",\"y\"]").replace("[[0],[1]]", "[[0,0],[1,1]]")
                .replace("[[1],[2]]", "[[1,0.5],[0.4,1]]");
        assertRefused(nonSymmetric, "not symmetric");
    }

    private static void assertRefused(String json, String... fragments) {
        assertThatThrownBy(() -> ModelFiles.fromJson(json, "bad.json"))
                .isInstanceOf(EmkitException.class)
                .hasMessageStartingWith("bad.json: ")
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    @Test
    void atomicWriteKeepsTheOldFileWhenWritingFails() throws IOException {
        Path file = Files.writeString(dir.resolve("keep.json"), "old");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        })).isInstanceOf(EmkitException.class).hasMessageContaining("keep.json").hasMessageContaining("disk full");
        assertThat(Files.readString(file)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }
}
