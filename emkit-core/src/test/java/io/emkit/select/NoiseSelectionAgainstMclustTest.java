package io.emkit.select;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.noise.NoiseMixtureModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selection among mixtures with a noise component against mclust 6.0.0 ({@code reference/mclust/noise-bic.csv},
 * made by make-noise-fixtures.R: Old Faithful with 60 uniform rows, K 1–3, VVV/VVI/VII/EEE, noise started from
 * NNclean's guess): every cell mclust fits, emkit fits at least as well (log-likelihood at most 0.05 below), with
 * mclust's parameter count, and the chosen model is mclust's or better by BIC.
 */
class NoiseSelectionAgainstMclustTest {
    @Test
    void everyCellIsAtLeastMclustsAndTheChoiceIsNoWorse() {
        List<String[]> rows = TestData.referenceRows("mclust/noisy-faithful.csv");
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {Double.parseDouble(rows.get(i)[0]), Double.parseDouble(rows.get(i)[1])};
        }
        Dataset data = Dataset.of(x);
        List<CovarianceType> types = List.of(CovarianceType.parse("VVV"), CovarianceType.parse("VVI"),
                CovarianceType.parse("VII"), CovarianceType.parse("EEE"));
        SelectionResult result = ModelSelection.of(List.of(1, 2, 3), types).noise(true).run(data);
        double bestMclust = Double.NEGATIVE_INFINITY;
        for (String[] f : TestData.referenceRows("mclust/noise-bic.csv")) {
            if (f[2].equals("NA")) {
                continue;
            }
            int k = Integer.parseInt(f[1]);
            Candidate c = result.candidates().stream().filter(a -> a.components() == k
                    && a.covariance().mclustName().equals(f[0])).findFirst().orElseThrow();
            assertThat(c.succeeded()).as("%s %d: %s", f[0], k, c.failure()).isTrue();
            assertThat(c.model()).isInstanceOf(NoiseMixtureModel.class);
            assertThat(c.parameterCount()).as("%s %d parameters", f[0], k).isEqualTo(Integer.parseInt(f[3]));
            assertThat(c.logLikelihood()).as("%s %d", f[0], k).isGreaterThanOrEqualTo(Double.parseDouble(f[2]) - 0.05);
            bestMclust = Math.max(bestMclust, Double.parseDouble(f[4]));
        }
        // mclust's BIC is 2 logL − p ln n, higher better; emkit's −2 logL + p ln n, lower better.
        assertThat(-result.best().orElseThrow().bic()).isGreaterThanOrEqualTo(bestMclust - 0.1);
    }
}
