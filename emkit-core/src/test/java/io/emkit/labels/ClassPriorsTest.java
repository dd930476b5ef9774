package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Class priors in prediction ({@link LabelledGaussianMixture#withClassPriors}, mclust's {@code predict(..., prop =)})
 * against a hand computation, and the text form of the priors ({@link ClassPriors}).
 */
class ClassPriorsTest {
    private static double normal(double x, double mean, double variance) {
        return Math.exp(-(x - mean) * (x - mean) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
    }

    /** Class a: N(0, 1); class b: 0.25 N(2, 1) + 0.75 N(5, 4) inside the class; class frequencies 0.5 / 0.5. */
    private static LabelledGaussianMixture model() {
        GaussianMixtureModel m = GaussianMixtureModel.full(new double[] {0.5, 0.125, 0.375},
                new double[][] {{0}, {2}, {5}}, new double[][][] {{{1}}, {{1}}, {{4}}});
        return new LabelledGaussianMixture(m, List.of("a", "b", "b"));
    }

    @Test
    void priorsReweightTheClassesAndKeepTheWeightsInsideEachClass() {
        LabelledGaussianMixture skewed = model().withClassPriors(new double[] {0.2, 0.8});
        assertThat(skewed.classPriors()).containsExactly(new double[] {0.2, 0.8}, within(1e-15));
        assertThat(skewed.mixture().weights()).containsExactly(new double[] {0.2, 0.2, 0.6}, within(1e-15));
        double[] xs = {-1, 1.2, 1, 2.5, 7};
        double[][] p = skewed.classProbabilities(Dataset.wrap(xs, xs.length, 1, List.of("x")));
        int[] classes = skewed.predictClasses(Dataset.wrap(xs, xs.length, 1, List.of("x")));
        for (int i = 0; i < xs.length; i++) {
            double fa = normal(xs[i], 0, 1);
            double fb = 0.25 * normal(xs[i], 2, 1) + 0.75 * normal(xs[i], 5, 4);
            double pa = 0.2 * fa / (0.2 * fa + 0.8 * fb);
            assertThat(p[i][0]).as("x = %s", xs[i]).isCloseTo(pa, within(1e-12));
            assertThat(p[i][1]).isCloseTo(1 - pa, within(1e-12));
            assertThat(classes[i]).isEqualTo(pa > 0.5 ? 0 : 1);
        }
        // At x = 1.2 the class frequencies (0.5 / 0.5) say a, the priors 0.2 / 0.8 say b.
        assertThat(model().predictClasses(Dataset.wrap(new double[] {1.2}, 1, 1, List.of("x")))).containsExactly(0);
        assertThat(classes[1]).isEqualTo(1);
        // Priors given twice are the same as given once.
        assertThat(skewed.withClassPriors(new double[] {2, 8}).mixture().weights())
                .containsExactly(skewed.mixture().weights(), within(1e-15));
    }

    @Test
    void priorsAreReadByNameOrInTheClassesOrder() {
        List<String> names = List.of("setosa", "versicolor", "virginica");
        assertThat(ClassPriors.parse("setosa=0.2,versicolor=0.3,virginica=0.5", names))
                .containsExactly(new double[] {0.2, 0.3, 0.5}, within(1e-15));
        assertThat(ClassPriors.parse("virginica=2, setosa=1,versicolor=1", names))
                .containsExactly(new double[] {0.25, 0.25, 0.5}, within(1e-15));
        assertThat(ClassPriors.parse("1,1,2", names)).containsExactly(new double[] {0.25, 0.25, 0.5}, within(1e-15));
        assertThatThrownBy(() -> ClassPriors.parse("0.5,0.5", names)).isInstanceOf(EmkitException.class)
                .hasMessageStartingWith("--class-priors: 2 values for 3 classes");
        assertThatThrownBy(() -> ClassPriors.parse("setosa=1,versicolor=1", names))
                .hasMessageStartingWith("--class-priors: class 'virginica' has no prior");
        assertThatThrownBy(() -> ClassPriors.parse("setosa=1,versicolor=1,iris=1", names))
                .hasMessageStartingWith("--class-priors: no class 'iris'");
        assertThatThrownBy(() -> ClassPriors.parse("1,0,1", names))
                .hasMessageStartingWith("--class-priors: the prior of class 'versicolor' must be a number > 0, got '0'");
        assertThatThrownBy(() -> ClassPriors.parse("setosa=1,setosa=2,virginica=1", names))
                .hasMessageStartingWith("--class-priors: class 'setosa' is given twice");
    }
}
