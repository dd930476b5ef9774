package io.emkit.hmm;

import io.emkit.em.EmResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Baum–Welch's M-step against its closed form from given expected counts, and Poisson and categorical
 * recovery with every parameter inside a bound from its standard error.
 */
class HmmMStepAndRecoveryTest {
    /** Expected rows of a 3-state, 2-feature Poisson HMM: counts x and state occupancies γ (rows sum to 1). */
    private static final double[][] X = {{3, 0}, {1, 7}, {0, 2}, {5, 5}, {2, 1}};
    private static final double[][] GAMMA = {{0.7, 0.2, 0.1}, {0.05, 0.05, 0.9}, {0.3, 0.6, 0.1}, {0.2, 0.3, 0.5},
            {0.45, 0.45, 0.1}};
    private static final double[] START = {2.5, 0.7, 1.8};
    private static final double[][] TRANSITIONS = {{6.2, 1.1, 0.4}, {0.9, 3.3, 2.0}, {0.2, 1.5, 4.4}};

    private static double[] flatGamma(double[][] gamma) {
        int s = gamma[0].length;
        double[] out = new double[gamma.length * s];
        for (int t = 0; t < gamma.length; t++) {
            System.arraycopy(gamma[t], 0, out, t * s, s);
        }
        return out;
    }

    private static double[] flat(double[][] x) {
        int d = x[0].length;
        double[] out = new double[x.length * d];
        for (int t = 0; t < x.length; t++) {
            System.arraycopy(x[t], 0, out, t * d, d);
        }
        return out;
    }

    /**
     * {@code πi = ci / Σc}, {@code aij = (nij + α − 1) / (Σj nij + S(α − 1))} (the Dirichlet(α) posterior mode;
     * α = 1 is maximum likelihood), {@code λsj = Σt γts xtj / Σt γts}.
     */
    @ParameterizedTest(name = "alpha {0}")
    @ValueSource(doubles = {1.0, 3.0})
    void poissonMStepIsTheClosedFormOfTheExpectedCounts(double alpha) {
        HiddenMarkovModel previous = HiddenMarkovModel.of(new double[] {0.2, 0.3, 0.5},
                new double[][] {{0.5, 0.25, 0.25}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}},
                PoissonEmission.of(new double[][] {{1, 1}, {2, 2}, {3, 3}}));
        HmmStatistics stats = new HmmStatistics(3, previous.emission().newStatistics());
        System.arraycopy(START, 0, stats.start, 0, 3);
        System.arraycopy(flat(TRANSITIONS), 0, stats.transitions, 0, 9);
        stats.emission.add(flat(X), 0, X.length, flatGamma(GAMMA));
        HiddenMarkovModel next = new BaumWelchSteps(1e-6, false, null, alpha).maximize(stats, previous, w -> { });

        double startTotal = START[0] + START[1] + START[2];
        for (int i = 0; i < 3; i++) {
            assertThat(next.startProbabilities()[i]).isCloseTo(START[i] / startTotal, within(1e-15));
            double rowTotal = TRANSITIONS[i][0] + TRANSITIONS[i][1] + TRANSITIONS[i][2] + 3 * (alpha - 1);
            for (int j = 0; j < 3; j++) {
                assertThat(next.transition(i, j)).as("a%d%d", i, j)
                        .isCloseTo((TRANSITIONS[i][j] + alpha - 1) / rowTotal, within(1e-15));
            }
        }
        double[][] rates = ((PoissonEmission) next.emission()).rates();
        for (int s = 0; s < 3; s++) {
            double occupancy = 0;
            double[] weighted = new double[2];
            for (int t = 0; t < X.length; t++) {
                occupancy += GAMMA[t][s];
                weighted[0] += GAMMA[t][s] * X[t][0];
                weighted[1] += GAMMA[t][s] * X[t][1];
            }
            assertThat(rates[s][0]).as("rate %d,0", s).isCloseTo(weighted[0] / occupancy, within(1e-14));
            assertThat(rates[s][1]).as("rate %d,1", s).isCloseTo(weighted[1] / occupancy, within(1e-14));
        }
    }

    /** {@code bs(v) = Σt γts [xt = v] / Σt γts}, with the same start and transition forms. */
    @Test
    void categoricalMStepIsTheClosedFormOfTheExpectedCounts() {
        double[] symbols = {2, 0, 1, 2, 2};
        double[][] gamma = {{0.9, 0.1}, {0.4, 0.6}, {0.25, 0.75}, {0.5, 0.5}, {0.0, 1.0}};
        HiddenMarkovModel previous = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.5, 0.5}, {0.5, 0.5}},
                CategoricalEmission.of(new double[][] {{0.2, 0.3, 0.5}, {0.6, 0.3, 0.1}}));
        HmmStatistics stats = new HmmStatistics(2, previous.emission().newStatistics());
        stats.start[0] = 1.25;
        stats.start[1] = 0.75;
        double[] n = {3.0, 1.5, 0.5, 2.0};
        System.arraycopy(n, 0, stats.transitions, 0, 4);
        stats.emission.add(symbols, 0, symbols.length, flatGamma(gamma));
        HiddenMarkovModel next = new BaumWelchSteps(1e-6, false, null, 1.0).maximize(stats, previous, w -> { });
        assertThat(next.startProbabilities()).containsExactly(new double[] {1.25 / 2, 0.75 / 2}, within(1e-15));
        assertThat(next.transition(0, 1)).isCloseTo(1.5 / 4.5, within(1e-15));
        assertThat(next.transition(1, 0)).isCloseTo(0.5 / 2.5, within(1e-15));
        double[][] b = ((CategoricalEmission) next.emission()).probabilities();
        // State 0: occupancy 2.05; symbol 0: 0.4, symbol 1: 0.25, symbol 2: 0.9 + 0.5 + 0.
        assertThat(b[0]).containsExactly(new double[] {0.4 / 2.05, 0.25 / 2.05, 1.4 / 2.05}, within(1e-15));
        // State 1: occupancy 2.95; symbol 0: 0.6, symbol 1: 0.75, symbol 2: 0.1 + 0.5 + 1.
        assertThat(b[1]).containsExactly(new double[] {0.6 / 2.95, 0.75 / 2.95, 1.6 / 2.95}, within(1e-15));
    }

    // ------------------------------------------------------------------------------------------ recovery

    /** Bound in standard errors; see {@link #assertWithin}. */
    private static final double STANDARD_ERRORS = 4;

    /**
     * {@code |estimate − truth| ≤ 4 SE}, with SE the complete-data standard error from the sampled states'
     * own counts (Poisson {@code √(λ/Ns)}, a proportion {@code √(p(1−p)/N)}). Not knowing the states only adds
     * missing information, little with emissions this distinct, so a correct estimator stays well inside; a
     * biased one (a wrong M-step, states mixed up) leaves it.
     */
    private static void assertWithin(String what, double estimate, double truth, double se) {
        assertThat(Math.abs(estimate - truth)).as("%s: estimate %s, truth %s, SE %s", what, estimate, truth, se)
                .isLessThanOrEqualTo(STANDARD_ERRORS * se);
    }

    /** Visits per state and transitions per pair, from the sampled state paths. */
    private static double[][] counts(int[][] states, int s) {
        double[][] c = new double[s + 1][s];
        for (int[] path : states) {
            for (int t = 0; t < path.length; t++) {
                c[s][path[t]]++;
                if (t > 0) {
                    c[path[t - 1]][path[t]]++;
                }
            }
        }
        return c;
    }

    private static void assertTransitionsRecovered(HiddenMarkovModel fit, HiddenMarkovModel truth, int[] perm,
                                                   double[][] c) {
        int s = truth.states();
        for (int i = 0; i < s; i++) {
            double out = 0;
            for (int j = 0; j < s; j++) {
                out += c[i][j];
            }
            for (int j = 0; j < s; j++) {
                double a = truth.transition(i, j);
                assertWithin("a" + i + j, fit.transition(perm[i], perm[j]), a, Math.sqrt(a * (1 - a) / out));
            }
        }
    }

    @Test
    void poissonRecoveryIsWithinFourStandardErrorsOnEveryParameter() {
        HiddenMarkovModel truth = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.95, 0.05}, {0.1, 0.9}},
                PoissonEmission.of(new double[][] {{1.0, 10.0}, {6.0, 2.0}}));
        HiddenMarkovModel.Sample sample = truth.sample(4, 1500, 6);
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.poisson(2).tolerance(1e-9).maxIterations(500).seed(3)
                .fit(sample.observations());
        double[][] rates = ((PoissonEmission) fit.params().emission()).rates();
        int[] perm = rates[0][0] < rates[1][0] ? new int[] {0, 1} : new int[] {1, 0};
        double[][] c = counts(sample.states(), 2);
        double[][] trueRates = ((PoissonEmission) truth.emission()).rates();
        for (int s = 0; s < 2; s++) {
            for (int j = 0; j < 2; j++) {
                double l = trueRates[s][j];
                assertWithin("rate " + s + "," + j, rates[perm[s]][j], l, Math.sqrt(l / c[2][s]));
            }
        }
        assertTransitionsRecovered(fit.params(), truth, perm, c);
    }

    @Test
    void categoricalRecoveryIsWithinFourStandardErrorsOnEveryParameter() {
        HiddenMarkovModel truth = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.2, 0.8}},
                CategoricalEmission.of(new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}}));
        HiddenMarkovModel.Sample sample = truth.sample(4, 1500, 5);
        EmResult<HiddenMarkovModel> fit = HiddenMarkov.categorical(2).tolerance(1e-9).maxIterations(500).seed(3)
                .fit(sample.observations());
        double[][] b = ((CategoricalEmission) fit.params().emission()).probabilities();
        int[] perm = b[0][0] > b[1][0] ? new int[] {0, 1} : new int[] {1, 0};
        double[][] c = counts(sample.states(), 2);
        double[][] trueB = ((CategoricalEmission) truth.emission()).probabilities();
        for (int s = 0; s < 2; s++) {
            for (int v = 0; v < 3; v++) {
                double p = trueB[s][v];
                assertWithin("b" + s + "(" + v + ")", b[perm[s]][v], p, Math.sqrt(p * (1 - p) / c[2][s]));
            }
        }
        assertTransitionsRecovered(fit.params(), truth, perm, c);
    }
}
