package io.emkit.hmm.semimarkov;

import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.GaussianEmission;
import io.emkit.data.Sequences;
import io.emkit.io.ModelFileException;
import io.emkit.io.ModelFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model files keep a semi-Markov model's durations exactly: the loaded model is equal and scores bit for bit. */
class SemiMarkovModelFilesTest {

    private static Durations durations(Durations.Family family) {
        return switch (family) {
            case POISSON -> Durations.poisson(new double[]{2.5, 7.25}, 12);
            case NEGATIVE_BINOMIAL -> Durations.negativeBinomial(new double[]{1.5, 4}, new double[]{0.3, 0.45}, 12);
            case NONPARAMETRIC -> Durations.fromMeans(Durations.Family.NONPARAMETRIC, new double[]{3, 6}, 12);
        };
    }

    @ParameterizedTest
    @EnumSource(Durations.Family.class)
    void roundTripIsExact(Durations.Family family) {
        double[][] a = {{0, 1}, {1, 0}};
        SemiMarkovModel gaussian = SemiMarkovModel.of(new double[]{0.4, 0.6}, a, durations(family),
                GaussianEmission.diag(new double[][]{{0, 1}, {2, -1}}, new double[][]{{1, 2}, {0.5, 0.25}}));
        SemiMarkovModel back = ModelFiles.semiMarkovFromJson(ModelFiles.toJson(gaussian), "m.json");
        assertThat(back).isEqualTo(gaussian);
        Sequences data = gaussian.sample(3, 40, 1).observations();
        assertThat(back.sequenceLogLikelihoods(data)).containsExactly(gaussian.sequenceLogLikelihoods(data));
        assertThat(ModelFiles.toJson(back)).isEqualTo(ModelFiles.toJson(gaussian));
        assertThat(ModelFiles.toJson(gaussian)).contains("\"kind\" : \"hidden_semi_markov_model\"")
                .contains("\"family\" : \"" + family.label() + "\"").contains("\"mean_durations\"");

        SemiMarkovModel categorical = SemiMarkovModel.of(new double[]{1, 0}, a, durations(family),
                CategoricalEmission.of(new double[][]{{0.2, 0.8}, {0.7, 0.3}}));
        assertThat(ModelFiles.semiMarkovFromJson(ModelFiles.toJson(categorical), "c.json")).isEqualTo(categorical);
    }

    @ParameterizedTest
    @EnumSource(value = Durations.Family.class, names = "POISSON")
    void refusesAnHmmFileAndABadFamily(Durations.Family family) {
        double[][] a = {{0, 1}, {1, 0}};
        SemiMarkovModel m = SemiMarkovModel.of(new double[]{0.4, 0.6}, a, durations(family),
                CategoricalEmission.of(new double[][]{{0.2, 0.8}, {0.7, 0.3}}));
        String bad = ModelFiles.toJson(m).replace("\"poisson\"", "\"weibull\"");
        assertThatThrownBy(() -> ModelFiles.semiMarkovFromJson(bad, "b.json"))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("b.json")
                .hasMessageContaining("unknown duration family 'weibull'");
        String selfLoop = ModelFiles.toJson(m).replaceFirst("\\[ 0\\.0, 1\\.0 \\]", "[ 0.5, 0.5 ]");
        assertThatThrownBy(() -> ModelFiles.semiMarkovFromJson(selfLoop, "s.json"))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("cannot move to itself");
    }
}
