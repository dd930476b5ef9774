package io.emkit.io;

import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.labels.LabelledGaussianMixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gaussian mixtures with a class per component: an ordinary Gaussian mixture file plus component_classes. */
class LabelledModelFilesTest {
    @TempDir
    Path dir;

    private static GaussianMixtureModel mixture() {
        return GaussianMixtureModel.full(new double[] {0.25, 0.75}, new double[][] {{0, 1}, {3, -1}},
                new double[][][] {{{1, 0.2}, {0.2, 2}}, {{0.5, 0}, {0, 0.7}}});
    }

    @Test
    void theMixtureAndItsClassesRoundTripAndThePlainReaderSeesTheSameMixture() throws Exception {
        Path file = dir.resolve("m.json");
        LabelledGaussianMixture model = new LabelledGaussianMixture(mixture(), List.of("cat, big", "dog"));
        LabelledModelFiles.write(model, file, null);
        LabelledGaussianMixture back = LabelledModelFiles.read(file);
        assertThat(back.mixture()).isEqualTo(model.mixture());
        assertThat(back.componentClasses()).containsExactly("cat, big", "dog");
        assertThat(ModelFiles.read(file)).isEqualTo(model.mixture());
        // The file is a Gaussian mixture's, key for key, with one more key.
        String plain = ModelFiles.toJson(mixture());
        String labelled = Files.readString(file);
        assertThat(labelled).contains("\"kind\" : \"gaussian_mixture\"").contains("\"component_classes\"");
        assertThat(ModelFiles.toTree(mixture()).properties()).allSatisfy(e ->
                assertThat(LabelledModelFiles.toTree(model).get(e.getKey())).isEqualTo(e.getValue()));
        assertThat(plain).doesNotContain("component_classes");
    }

    @Test
    void aPlainMixtureHasNoClassesAndBadClassesAreRefused() throws Exception {
        Path file = dir.resolve("plain.json");
        ModelFiles.write(mixture(), file);
        assertThat(LabelledModelFiles.readComponentClasses(file)).isNull();
        assertThatThrownBy(() -> LabelledModelFiles.read(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("no 'component_classes'");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(file).replaceFirst("\\{", "{\"component_classes\": [\"only one\"],"));
        assertThatThrownBy(() -> LabelledModelFiles.readComponentClasses(bad)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("one class name per component");
    }
}
