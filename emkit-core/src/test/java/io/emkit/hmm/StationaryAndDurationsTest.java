package io.emkit.hmm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The stationary distribution and expected state durations against closed forms. */
class StationaryAndDurationsTest {
    private static HiddenMarkovModel chain(double[][] a) {
        double[] start = new double[a.length];
        start[0] = 1.0;
        double[][] rates = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            rates[i] = new double[] {i + 1.0};
        }
        return HiddenMarkovModel.of(start, a, PoissonEmission.of(rates));
    }

    /** Two states leaving with probabilities p and q: π = (q, p) / (p + q). */
    @Test
    void twoStatesHaveTheClosedForm() {
        double p = 0.1;
        double q = 0.35;
        double[] pi = chain(new double[][] {{1 - p, p}, {q, 1 - q}}).stationaryDistribution();
        assertThat(pi[0]).isCloseTo(q / (p + q), within(1e-15));
        assertThat(pi[1]).isCloseTo(p / (p + q), within(1e-15));
    }

    /** A birth–death chain is reversible: detailed balance gives π_{i+1} / π_i = A_{i,i+1} / A_{i+1,i}. */
    @Test
    void aBirthDeathChainMeetsDetailedBalance() {
        double[][] a = {{0.7, 0.3, 0}, {0.2, 0.5, 0.3}, {0, 0.6, 0.4}};
        double r1 = 0.3 / 0.2;
        double r2 = r1 * 0.3 / 0.6;
        double total = 1 + r1 + r2;
        double[] pi = chain(a).stationaryDistribution();
        assertThat(pi[0]).isCloseTo(1 / total, within(1e-15));
        assertThat(pi[1]).isCloseTo(r1 / total, within(1e-15));
        assertThat(pi[2]).isCloseTo(r2 / total, within(1e-15));
    }

    @Test
    void aLeftToRightChainEndsInItsLastState() {
        double[] pi = chain(new double[][] {{0.8, 0.2, 0}, {0, 0.9, 0.1}, {0, 0, 1}}).stationaryDistribution();
        assertThat(pi).containsExactly(0.0, 0.0, 1.0);
    }

    @Test
    void twoClosedClassesHaveNoUniqueStationaryDistribution() {
        assertThat(chain(new double[][] {{1, 0, 0}, {0.5, 0, 0.5}, {0, 0, 1}}).stationaryDistribution()).isNull();
        assertThat(chain(new double[][] {{0.5, 0.5, 0, 0}, {0.5, 0.5, 0, 0}, {0, 0, 0.1, 0.9}, {0, 0, 0.9, 0.1}})
                .stationaryDistribution()).isNull();
    }

    /** Durations are geometric: the mean of Geometric(1 − A_ii) on {1, 2, ...} is 1 / (1 − A_ii). */
    @Test
    void expectedDurationsAreGeometricMeans() {
        double[] d = chain(new double[][] {{0.9, 0.1, 0}, {0, 0.5, 0.5}, {0, 0, 1}}).expectedDurations();
        assertThat(d[0]).isCloseTo(10.0, within(1e-12));
        assertThat(d[1]).isEqualTo(2.0);
        assertThat(d[2]).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
