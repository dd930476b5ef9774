package io.emkit.io;

import io.emkit.data.Dataset;
import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.emkit.families.ColumnFamily.BERNOULLI;
import static io.emkit.families.ColumnFamily.CATEGORICAL;
import static io.emkit.families.ColumnFamily.EXPONENTIAL;
import static io.emkit.families.ColumnFamily.GAUSSIAN;
import static io.emkit.families.ColumnFamily.POISSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model files of mixtures of independent columns: an exact round trip and refusals that name the key. */
class ProductMixtureModelFilesTest {

    private static ProductMixtureModel fitted() {
        ProductMixtureModel truth = ProductMixtureModel.of(new double[] {0.3, 0.7},
                List.of(GAUSSIAN, POISSON, BERNOULLI, CATEGORICAL, EXPONENTIAL),
                new double[][][] {
                        {{0.0, 1.0}, {3.0, 2.0}},
                        {{2.0}, {7.0}},
                        {{0.2}, {0.7}},
                        {{0.6, 0.3, 0.1}, {0.1, 0.3, 0.6}},
                        {{1.0}, {0.2}}},
                java.util.Arrays.asList(null, null, null, List.of("red", "green", "yellow"), null),
                List.of("height", "visits", "member", "colour", "wait"));
        Dataset data = truth.sample(2000, 11).data();
        return ProductMixture.withComponents(2).families(truth.families())
                .categoryNames(java.util.Arrays.asList(null, null, null, List.of("red", "green", "yellow"), null))
                .seed(1).fit(data).params();
    }

    @Test
    void roundTripIsExact(@TempDir Path dir) {
        ProductMixtureModel model = fitted();
        Path file = dir.resolve("m.json");
        ModelFiles.write(model, file);
        assertThat(ModelFiles.kindOf(file)).isEqualTo(ModelFiles.PRODUCT_MIXTURE);
        ProductMixtureModel back = (ProductMixtureModel) ModelFiles.readMixture(file);
        assertThat(back.families()).isEqualTo(model.families());
        assertThat(back.featureNames()).isEqualTo(model.featureNames());
        assertThat(back.categories(3)).containsExactly("red", "green", "yellow");
        assertThat(back.weights()).isEqualTo(model.weights());
        for (int j = 0; j < model.dimension(); j++) {
            assertThat(back.parameters(j)).isEqualTo(model.parameters(j));
        }
        Dataset data = model.sample(500, 3).data();
        assertThat(back.scoreSamples(data)).isEqualTo(model.scoreSamples(data));
        assertThat(back.predictProba(data)).isEqualTo(model.predictProba(data));
        assertThat(back.predict(data)).isEqualTo(model.predict(data));
        assertThat(ModelFiles.toJson(back)).isEqualTo(ModelFiles.toJson(model));
    }

    @Test
    void badFilesAreRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        String good = ModelFiles.toJson(fitted());
        Path file = dir.resolve("bad.json");
        Files.writeString(file, good.replace("\"poisson\"", "\"gamma\""));
        assertThatThrownBy(() -> ModelFiles.read(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("\"columns[1].family\": unknown family 'gamma'");
        Files.writeString(file, good.replaceFirst("\"categories\" : \\[ \"red\", ", "\"categories\" : [ "));
        assertThatThrownBy(() -> ModelFiles.read(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("columns[3].parameters");
        assertThatThrownBy(() -> ModelFiles.readHmm(Path.of(writeGood(dir, good)))).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("holds a mixture of independent columns, not a hidden Markov model");
    }

    private static String writeGood(Path dir, String json) throws Exception {
        Path p = dir.resolve("good.json");
        Files.writeString(p, json);
        return p.toString();
    }

    @Test
    void familiesParseTheirLabels() {
        for (ColumnFamily f : ColumnFamily.values()) {
            assertThat(ColumnFamily.parse(f.label().toUpperCase())).isEqualTo(f);
        }
    }
}
