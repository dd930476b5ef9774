package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.mixture.ClusteringModel;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** k-means model files: schema, exact round trip, refusal of bad files and of mixture-only uses. */
class KMeansModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripIsExact() throws IOException {
        Dataset iris = TestData.iris();
        // Centroids that are means of many rows have full 17-digit expansions: a fair test of exactness.
        KMeansModel fitted = KMeans.withClusters(4).seed(2).fit(iris).params();
        Path file = dir.resolve("km.json");
        ModelFiles.write(fitted, file);
        ClusteringModel loaded = ModelFiles.read(file);

        assertThat(loaded).isInstanceOf(KMeansModel.class).isEqualTo(fitted);
        KMeansModel k = (KMeansModel) loaded;
        assertThat(k.featureNames()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(k.predict(iris)).containsExactly(fitted.predict(iris));
        assertThat(Double.doubleToRawLongBits(k.inertia(iris))).isEqualTo(Double.doubleToRawLongBits(fitted.inertia(iris)));
        double[][] a = k.transform(iris);
        double[][] b = fitted.transform(iris);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).containsExactly(b[i]);
        }

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("format").asText()).isEqualTo("emkit-model");
        assertThat(json.get("kind").asText()).isEqualTo("kmeans");
        assertThat(json.get("n_components").asInt()).isEqualTo(4);
        assertThat(json.get("n_features").asInt()).isEqualTo(4);
        assertThat(json.get("centroids").size()).isEqualTo(4);
        assertThat(json.get("centroids").get(3).get(2).asDouble()).isEqualTo(fitted.centroid(3)[2]);
        assertThat(json.has("weights")).isFalse();
    }

    static final String VALID = "{\"format\":\"emkit-model\",\"format_version\":1,\"kind\":\"kmeans\","
            + "\"n_components\":2,\"n_features\":2,\"feature_names\":[\"a\",\"b\"],"
            + "\"centroids\":[[0,0],[4,1.5]]}";

    @Test
    void readsAHandWrittenFile() {
        KMeansModel m = (KMeansModel) ModelFiles.fromJson(VALID, "hand.json");
        assertThat(m.centroids()).isDeepEqualTo(new double[][] {{0, 0}, {4, 1.5}});
        assertThat(m.featureNames()).containsExactly("a", "b");
        assertThat(m.predict(Dataset.of(new double[][] {{1, 1}, {3, 0}}))).containsExactly(0, 1);
    }

    @Test
    void refusesInvalidFilesWithMessagesNamingTheKey() {
        assertRefused(VALID.replace("[[0,0],[4,1.5]]", "[[0,0],[4,1.5],[1,1]]"), "\"centroids\" has 3 entries, expected 2");
        assertRefused(VALID.replace("[[0,0],[4,1.5]]", "[[0,0],[4]]"), "\"centroids[1]\" has 1 entries, expected 2");
        assertRefused(VALID.replace(",\"centroids\":[[0,0],[4,1.5]]", ""), "missing key \"centroids\"");
        assertRefused(VALID.replace("\"n_components\":2", "\"n_components\":0"), "at least 1");
        assertRefused(VALID.replace("[\"a\",\"b\"]", "[\"a\"]"), "\"feature_names\" has 1 entries");
    }

    @Test
    void readMixtureRefusesAKMeansModelSayingWhy() throws IOException {
        Path file = dir.resolve("km.json");
        ModelFiles.write(KMeansModel.of(new double[][] {{1}, {2}}), file);
        assertThatThrownBy(() -> ModelFiles.readMixture(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("km.json").hasMessageContaining("k-means models have no density");
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
}
