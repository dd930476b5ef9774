package io.emkit.hmm;

import io.emkit.data.Sequences;
import io.emkit.io.ModelFileException;
import io.emkit.io.ModelFiles;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hidden Markov model files: exact round trips for every emission family, kind dispatch and refusals. */
class HmmModelFilesTest {
    @TempDir
    Path dir;

    private void assertRoundTrip(HiddenMarkovModel m, Sequences data) {
        Path file = dir.resolve("hmm.json");
        ModelFiles.writeHmm(m, file);
        assertThat(ModelFiles.kindOf(file)).isEqualTo(ModelFiles.HIDDEN_MARKOV_MODEL);
        HiddenMarkovModel loaded = ModelFiles.readHmm(file);
        assertThat(loaded).isEqualTo(m);
        assertThat(loaded.featureNames()).isEqualTo(m.featureNames());
        assertThat(Double.doubleToLongBits(loaded.logLikelihood(data)))
                .isEqualTo(Double.doubleToLongBits(m.logLikelihood(data)));
        assertThat(loaded.viterbi(data)).isDeepEqualTo(m.viterbi(data));
        assertThat(ModelFiles.toJson(loaded)).isEqualTo(ModelFiles.toJson(m));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void fittedGaussianModelsRoundTripExactly(CovarianceType type) {
        Sequences data = BaumWelchTest.truth().sample(3, 100, 1).observations().withFeatureNames(List.of("a", "b"));
        HiddenMarkovModel m = HiddenMarkov.gaussian(3, type).maxIterations(5).seed(1).fit(data).params();
        assertThat(m.featureNames()).containsExactly("a", "b");
        assertRoundTrip(m, data);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void fittedGaussianMixtureEmissionsRoundTripExactly(CovarianceType type) {
        Sequences data = BaumWelchTest.truth().sample(3, 100, 2).observations();
        HiddenMarkovModel m = HiddenMarkov.gaussianMixture(2, 3, type).maxIterations(5).seed(1).fit(data).params();
        assertRoundTrip(m, data);
        assertThat(ModelFiles.toJson(m)).contains("\"kind\" : \"gmm\"").contains("\"n_mix\" : 3");
    }

    @Test
    void categoricalAndPoissonModelsRoundTripExactly() {
        HiddenMarkovModel cat = HiddenMarkovModel.of(new double[] {0.3, 0.7}, new double[][] {{0.9, 0.1}, {0, 1}},
                CategoricalEmission.of(new double[][] {{0.1, 0.2, 0.7}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}));
        assertRoundTrip(cat, cat.sample(2, 30, 1).observations());
        HiddenMarkovModel poi = HiddenMarkovModel.of(new double[] {1, 0}, new double[][] {{0.5, 0.5}, {0.25, 0.75}},
                PoissonEmission.of(new double[][] {{0.1, Math.PI}, {12.5, 1e-3}}));
        assertRoundTrip(poi, poi.sample(2, 30, 1).observations());
    }

    @Test
    void multinomialModelsRoundTripExactlyWithTheirTrials() {
        HiddenMarkovModel mn = HiddenMarkovModel.of(new double[] {0.3, 0.7}, new double[][] {{0.9, 0.1}, {0, 1}},
                MultinomialEmission.of(new double[][] {{0.1, 0.2, 0.7}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}, 12));
        assertRoundTrip(mn, mn.sample(2, 30, 1).observations());
        String json = ModelFiles.toJson(mn);
        assertThat(json).contains("\"kind\" : \"multinomial\"").contains("\"n_trials\" : 12");
        assertThatThrownBy(() -> ModelFiles.hmmFromJson(json.replace("\"n_trials\" : 12", "\"n_trials\" : -1"),
                "m.json")).isInstanceOf(ModelFileException.class).hasMessageContaining("n_trials");
    }

    @Test
    void theMixtureReaderAndTheHmmReaderRefuseEachOthersFiles() {
        HiddenMarkovModel m = BaumWelchTest.truth();
        String json = ModelFiles.toJson(m);
        assertThatThrownBy(() -> ModelFiles.fromJson(json, "h.json")).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("h.json: holds a hidden Markov model");
        String mixture = ModelFiles.toJson(((GaussianEmission) m.emission()).gaussians());
        assertThatThrownBy(() -> ModelFiles.hmmFromJson(mixture, "g.json")).isInstanceOf(ModelFileException.class)
                .hasMessage("g.json: holds a Gaussian mixture, not a hidden Markov model");
    }

    @Test
    void invalidFilesAreRefusedWithTheKeyNamed() {
        String json = ModelFiles.toJson(BaumWelchTest.truth());
        assertThatThrownBy(() -> ModelFiles.hmmFromJson(json.replace("\"n_states\" : 3", "\"n_states\" : 2"), "x.json"))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("has 3 entries, expected 2");
        assertThatThrownBy(() -> ModelFiles.hmmFromJson(json.replace("\"kind\" : \"gaussian\"", "\"kind\" : \"beta\""),
                "x.json")).isInstanceOf(ModelFileException.class).hasMessageContaining("emission.kind")
                .hasMessageContaining("unknown emission 'beta'");
        assertThatThrownBy(() -> ModelFiles.hmmFromJson(json.replace("\"rates\"", "\"r\"")
                        .replace("\"covariances\"", "\"c\""), "x.json"))
                .isInstanceOf(ModelFileException.class).hasMessage("x.json: missing key \"emission.covariances\"");
        String badRow = ModelFiles.toJson(HiddenMarkovModel.of(new double[] {0.5, 0.5},
                new double[][] {{0.25, 0.75}, {0.5, 0.5}}, PoissonEmission.of(new double[][] {{1}, {2}})))
                .replace("0.75", "0.5");
        assertThatThrownBy(() -> ModelFiles.hmmFromJson(badRow, "x.json")).isInstanceOf(ModelFileException.class)
                .hasMessage("x.json: invalid model: transition row 1 must sum to 1, they sum to 0.75");
    }

    @Test
    void theSchemaHasTheDocumentedKeys() {
        String json = ModelFiles.toJson(BaumWelchTest.truth());
        for (String key : Arrays.asList("\"format\" : \"emkit-model\"", "\"kind\" : \"hidden_markov_model\"",
                "\"n_states\" : 3", "\"n_features\" : 2", "\"start_probabilities\"", "\"transitions\"",
                "\"emission\"", "\"covariance_type\" : \"full\"", "\"means\"", "\"covariances\"")) {
            assertThat(json).contains(key);
        }
    }
}
