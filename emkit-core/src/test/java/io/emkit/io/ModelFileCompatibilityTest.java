package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.kmeans.KMeansModel;
import io.emkit.families.ProductMixtureModel;
import io.emkit.mixture.ClusteringModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files written by earlier code keep loading, unchanged: the model files of every kind written before the codec
 * split (src/test/resources/model-files/v-before-split, see its README) are read and written back byte for byte,
 * and the hand-written examples/ files are read and written back as the same JSON (their layout differs).
 */
class ModelFileCompatibilityTest {
    private static final Path BEFORE_SPLIT = Path.of("src/test/resources/model-files/v-before-split");
    private static final Path EXAMPLES = Path.of("../examples");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<Path> beforeSplit() throws IOException {
        return jsonFiles(BEFORE_SPLIT);
    }

    static List<Path> examples() throws IOException {
        return jsonFiles(EXAMPLES);
    }

    private static List<Path> jsonFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyKindIsAmongTheOldFiles() throws IOException {
        assertThat(beforeSplit()).hasSize(28);
        assertThat(beforeSplit().stream().map(ModelFiles::kindOf).distinct()).containsExactlyInAnyOrder(
                ModelFiles.GAUSSIAN_MIXTURE, ModelFiles.KMEANS, ModelFiles.PRODUCT_MIXTURE,
                ModelFiles.HIDDEN_MARKOV_MODEL);
        assertThat(examples()).hasSizeGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beforeSplit")
    void oldFilesAreWrittenBackByteForByte(Path file) throws IOException {
        String before = Files.readString(file);
        Path again = dir.resolve("again.json");
        if (ModelFiles.kindOf(file).equals(ModelFiles.HIDDEN_MARKOV_MODEL)) {
            HiddenMarkovModel model = ModelFiles.readHmm(file);
            assertThat(ModelFiles.toJson(model)).isEqualTo(before);
            ModelFiles.writeHmm(model, again);
        } else {
            ClusteringModel model = ModelFiles.read(file);
            assertThat(model).isInstanceOf(expectedClass(ModelFiles.kindOf(file)));
            assertThat(ModelFiles.toJson(model)).isEqualTo(before);
            ModelFiles.write(model, again);
        }
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleFilesLoadAndWriteBackTheSameJson(Path file) throws IOException {
        String kind = ModelFiles.kindOf(file);
        String written = kind.equals(ModelFiles.HIDDEN_MARKOV_MODEL) ? ModelFiles.toJson(ModelFiles.readHmm(file))
                : kind.equals(ModelFiles.HIDDEN_SEMI_MARKOV_MODEL) ? ModelFiles.toJson(ModelFiles.readSemiMarkov(file))
                : ModelFiles.toJson(ModelFiles.read(file));
        JsonNode expected = JSON.readTree(file.toFile());
        JsonNode actual = JSON.readTree(written);
        assertThat(actual.equals(SAME_NUMBER, expected)).as("%s written back:%n%s", file, written).isTrue();
    }

    /** Numbers compare by value (a hand-written {@code 1} is the {@code 1.0} the writer prints). */
    private static final Comparator<JsonNode> SAME_NUMBER = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static Class<?> expectedClass(String kind) {
        return switch (kind) {
            case ModelFiles.GAUSSIAN_MIXTURE -> GaussianMixtureModel.class;
            case ModelFiles.KMEANS -> KMeansModel.class;
            case ModelFiles.PRODUCT_MIXTURE -> ProductMixtureModel.class;
            default -> throw new AssertionError(kind);
        };
    }
}
