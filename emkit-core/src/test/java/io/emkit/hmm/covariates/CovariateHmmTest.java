package io.emkit.hmm.covariates;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Input–output HMMs: forward–backward against brute force, recovery of known coefficients, EM's monotony. */
class CovariateHmmTest {
    /** Known transitions: the log-odds of leaving, {@code [state][intercept, slope 1, slope 2]}. */
    private static final double[][] LEAVE = {{-2.0, 1.5, 0.0}, {-1.5, -1.0, 0.8}};
    private static final double[] MEANS = {0.0, 4.0};

    /** The probability of leaving state i at covariates (x1, x2), from the generating coefficients. */
    private static double leave(int i, double x1, double x2) {
        double eta = LEAVE[i][0] + LEAVE[i][1] * x1 + LEAVE[i][2] * x2;
        return 1.0 / (1.0 + Math.exp(-eta));
    }

    /** Simulated data: 2 states, Gaussian emissions N(MEANS[s], 1), 2 standard normal covariates. */
    private static Simulated simulate(int sequences, int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = sequences * length;
        double[] y = new double[n];
        double[] x = new double[2 * n];
        int[] states = new int[n];
        int[] lengths = new int[sequences];
        for (int q = 0; q < sequences; q++) {
            lengths[q] = length;
            for (int t = 0; t < length; t++) {
                int row = q * length + t;
                x[2 * row] = r.nextGaussian();
                x[2 * row + 1] = r.nextGaussian();
                int st;
                if (t == 0) {
                    st = r.nextDouble() < 0.5 ? 0 : 1;
                } else {
                    int prev = states[row - 1];
                    st = r.nextDouble() < leave(prev, x[2 * row], x[2 * row + 1]) ? 1 - prev : prev;
                }
                states[row] = st;
                y[row] = MEANS[st] + r.nextGaussian();
            }
        }
        Sequences obs = Sequences.of(Dataset.wrap(y, n, 1, List.of("y")), lengths);
        return new Simulated(CovariateSequences.of(obs, x, List.of("x1", "x2")), states, lengths);
    }

    private record Simulated(CovariateSequences data, int[] states, int[] lengths) {
    }

    private static HiddenMarkov config(long seed) {
        return HiddenMarkov.gaussian(2, CovarianceType.DIAG).seed(seed).initializations(2).threads(1);
    }

    @Test
    void recoversKnownLogisticTransitionCoefficientsWithinFourStandardErrors() {
        Simulated sim = simulate(4, 1000, 7);
        EmResult<CovariateHmmModel> fit = CovariateHmm.of(config(3).tolerance(1e-8)).fit(sim.data());
        CovariateHmmModel m = fit.params();
        // Which fitted state is the one with mean 0.
        GaussianEmission g = (GaussianEmission) m.emission();
        int low = g.gaussians().mean(0)[0] < g.gaussians().mean(1)[0] ? 0 : 1;
        for (int i = 0; i < 2; i++) {
            int fi = i == 0 ? low : 1 - low;
            double[] est = m.transitions().coefficients(fi, 1 - fi);
            double[] se = standardErrors(sim, i);
            for (int k = 0; k < 3; k++) {
                assertThat(est[k]).as("state %d, term %d (se %s)", i, k, se[k]).isCloseTo(LEAVE[i][k],
                        within(4 * se[k]));
            }
        }
    }

    /**
     * The standard errors of a logistic regression of "left state i" on (1, x1, x2) over the steps whose previous
     * state is i, at the generating coefficients and the true states (the inverse Fisher information): what the
     * coefficients would scatter by if the states were seen. The emissions' means are 4 standard deviations apart,
     * so the states are nearly seen.
     */
    private static double[] standardErrors(Simulated sim, int state) {
        double[][] info = new double[3][3];
        double[] x = sim.data().rawCovariates();
        int row = 0;
        for (int len : sim.lengths()) {
            for (int t = 1; t < len; t++) {
                int r = row + t;
                if (sim.states()[r - 1] != state) {
                    continue;
                }
                double[] z = {1.0, x[2 * r], x[2 * r + 1]};
                double pr = leave(state, z[1], z[2]);
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        info[a][b] += pr * (1 - pr) * z[a] * z[b];
                    }
                }
            }
            row += len;
        }
        double[][] inv = invert3(info);
        return new double[]{Math.sqrt(inv[0][0]), Math.sqrt(inv[1][1]), Math.sqrt(inv[2][2])};
    }

    private static double[][] invert3(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2], g = m[2][0],
                h = m[2][1], k = m[2][2];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        return new double[][]{
                {(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det},
                {(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det},
                {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }

    @Test
    void theLogLikelihoodNeverDecreases() {
        Simulated sim = simulate(3, 400, 11);
        EmResult<CovariateHmmModel> fit = CovariateHmm.of(config(5).initializations(1).tolerance(1e-10)
                .maxIterations(200)).fit(sim.data());
        double[] trace = fit.trace();
        assertThat(trace.length).isGreaterThan(5);
        for (int k = 1; k < trace.length; k++) {
            assertThat(trace[k]).as("iteration %d", k)
                    .isGreaterThanOrEqualTo(trace[k - 1] - 1e-9 * Math.abs(trace[k - 1]));
        }
        // And the fit moved the slopes away from the start's 0 to fit the data better than constant transitions.
        assertThat(Math.abs(fit.params().transitions().coefficients(0, 1)[1])).isGreaterThan(0.3);
    }

    @Test
    void zeroOrConstantCovariatesGiveThePlainHmmsFitFromTheSameStart() {
        Simulated sim = simulate(3, 300, 21);
        Sequences obs = sim.data().observations();
        HiddenMarkovModel start = HiddenMarkovModel.of(new double[]{0.6, 0.4}, new double[][]{{0.8, 0.2}, {0.3, 0.7}},
                GaussianEmission.diag(new double[][]{{0.5}, {3.0}}, new double[][]{{2.0}, {2.0}}));
        EmOptions o = EmOptions.defaults().withMaxIterations(40).withTolerance(0).withThreads(1)
                .withAcceleration(Acceleration.NONE);
        HiddenMarkov hmm = HiddenMarkov.gaussian(2, CovarianceType.DIAG).options(o);
        double plain = hmm.initialModel(start).fit(obs).logLikelihood();
        int n = obs.totalLength();
        for (double value : new double[]{0.0, 1.0, -2.5}) {
            double[] x = new double[n * 2];
            java.util.Arrays.fill(x, value);
            CovariateSequences data = CovariateSequences.of(obs, x, List.of("a", "b"));
            EmResult<CovariateHmmModel> fit = CovariateHmm.of(hmm).fit(data,
                    CovariateHmmModel.fromHiddenMarkov(start, data.covariateNames()));
            assertThat(fit.logLikelihood()).as("covariates all %s", value)
                    .isCloseTo(plain, within(1e-8 * Math.abs(plain)));
        }
    }

    @Test
    void forwardLogLikelihoodPosteriorsAndViterbiMatchEnumerationOfAllPaths() {
        // 3 states, 2 covariates, categorical emissions over 3 symbols, 5 steps: 243 paths.
        double[][][] beta = new double[3][3][3];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    beta[i][j][k] = i == j ? 0.0 : r.nextGaussian();
                }
            }
        }
        TransitionRegression tr = TransitionRegression.of(beta, List.of("u", "v"));
        double[][] emit = {{0.7, 0.2, 0.1}, {0.1, 0.6, 0.3}, {0.25, 0.25, 0.5}};
        double[] pi = {0.5, 0.3, 0.2};
        CovariateHmmModel m = CovariateHmmModel.of(pi, tr, CategoricalEmission.of(emit));
        int[] symbols = {0, 2, 1, 1, 0};
        int n = symbols.length;
        double[] x = new double[2 * n];
        for (int k = 0; k < x.length; k++) {
            x[k] = 2 * r.nextDouble() - 1;
        }
        CovariateSequences data = CovariateSequences.of(Sequences.ofSymbols(symbols), x, List.of("u", "v"));
        double total = 0;
        double[][] post = new double[n][3];
        double best = Double.NEGATIVE_INFINITY;
        int paths = 243;
        for (int code = 0; code < paths; code++) {
            int[] path = new int[n];
            for (int t = 0, c = code; t < n; t++, c /= 3) {
                path[t] = c % 3;
            }
            double lp = Math.log(pi[path[0]]) + Math.log(emit[path[0]][symbols[0]]);
            for (int t = 1; t < n; t++) {
                // Direct softmax of row path[t−1] at the covariates of step t.
                double[] eta = new double[3];
                double norm = 0;
                for (int j = 0; j < 3; j++) {
                    double[] b = beta[path[t - 1]][j];
                    eta[j] = Math.exp(b[0] + b[1] * x[2 * t] + b[2] * x[2 * t + 1]);
                    norm += eta[j];
                }
                lp += Math.log(eta[path[t]] / norm) + Math.log(emit[path[t]][symbols[t]]);
            }
            double prob = Math.exp(lp);
            total += prob;
            for (int t = 0; t < n; t++) {
                post[t][path[t]] += prob;
            }
            best = Math.max(best, lp);
        }
        assertThat(m.logLikelihood(data)).isCloseTo(Math.log(total), within(1e-12));
        double[][] fb = m.posteriors(data)[0];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < 3; j++) {
                assertThat(fb[t][j]).isCloseTo(post[t][j] / total, within(1e-12));
            }
        }
        assertThat(m.viterbiLogProbabilities(data)[0]).isCloseTo(best, within(1e-12));
        assertThat(m.pathLogProbabilities(data, m.viterbi(data))[0]).isCloseTo(best, within(1e-12));
    }

    @Test
    void theSameSeedGivesTheSameBitsForOneAndTwoThreads() {
        Simulated sim = simulate(40, 60, 5);
        CovariateHmmModel one = CovariateHmm.of(config(9).threads(1)).fit(sim.data()).params();
        CovariateHmmModel two = CovariateHmm.of(config(9).threads(2)).fit(sim.data()).params();
        assertThat(two).isEqualTo(one);
    }

    @Test
    void aModelFileKeepsTheCoefficientsBitForBit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Simulated sim = simulate(2, 200, 13);
        CovariateHmmModel m = CovariateHmm.of(config(1).initializations(1).maxIterations(20)).fit(sim.data()).params();
        java.nio.file.Path file = dir.resolve("m.json");
        io.emkit.io.ModelFiles.writeCovariateHmm(m, file, null);
        CovariateHmmModel back = io.emkit.io.ModelFiles.readCovariateHmm(file);
        assertThat(back).isEqualTo(m);
        assertThat(back.logLikelihood(sim.data())).isEqualTo(m.logLikelihood(sim.data()));
        assertThatThrownBy(() -> io.emkit.io.ModelFiles.readHmm(file)).hasMessageContaining("transition covariates");
    }

    @Test
    void theOrderOfTheSequencesDoesNotChangeTheFit() {
        Simulated sim = simulate(6, 150, 8);
        CovariateSequences data = sim.data();
        Sequences obs = data.observations();
        int n = obs.totalLength();
        // The same sequences, last first.
        double[] y = new double[n];
        double[] x = new double[2 * n];
        int[] lengths = new int[obs.count()];
        int row = 0;
        for (int q = obs.count() - 1, k = 0; q >= 0; q--, k++) {
            lengths[k] = obs.length(q);
            for (int t = 0; t < obs.length(q); t++, row++) {
                y[row] = obs.rawValues()[obs.start(q) + t];
                System.arraycopy(data.rawCovariates(), 2 * (obs.start(q) + t), x, 2 * row, 2);
            }
        }
        CovariateSequences reversed = CovariateSequences.of(Sequences.of(Dataset.wrap(y, n, 1, List.of("y")), lengths),
                x, List.of("x1", "x2"));
        CovariateHmmModel a = CovariateHmm.of(config(2).maxIterations(30)).fit(data).params();
        CovariateHmmModel b = CovariateHmm.of(config(2).maxIterations(30)).fit(reversed).params();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void theMStepSolvesTheLogisticScoreEquationsOfObservedTransitions() {
        // Seen states: ξ_t(i, j) one-hot on the true move. The M-step from zero coefficients must end where the
        // score equations of each row's multinomial logistic regression hold, Σ_t (y_tj − p_tj) z_t = 0,
        // computed here directly from the returned coefficients.
        Simulated sim = simulate(2, 1500, 4);
        int s = 2;
        int steps = 0;
        for (int len : sim.lengths()) {
            steps += len - 1;
        }
        double[] xi = new double[steps * s * s];
        double[] x = new double[steps * 2];
        double[] cov = sim.data().rawCovariates();
        int k = 0;
        int row = 0;
        for (int len : sim.lengths()) {
            for (int t = 1; t < len; t++, k++) {
                xi[k * 4 + sim.states()[row + t - 1] * 2 + sim.states()[row + t]] = 1.0;
                x[2 * k] = cov[2 * (row + t)];
                x[2 * k + 1] = cov[2 * (row + t) + 1];
            }
            row += len;
        }
        TransitionRegression start = TransitionRegression.constant(new double[][]{{0.5, 0.5}, {0.5, 0.5}},
                List.of("x1", "x2"));
        TransitionRegression fitted = start.maximize(new TransitionRegression.ExpectedTransitions(steps, x, xi, s));
        for (int i = 0; i < 2; i++) {
            double[] b = fitted.coefficients(i, 1 - i);
            double[] score = new double[3];
            int visits = 0;
            for (int t = 0; t < steps; t++) {
                double stay = xi[t * 4 + i * 2 + i];
                double move = xi[t * 4 + i * 2 + 1 - i];
                if (stay + move == 0) {
                    continue;
                }
                visits++;
                double[] z = {1.0, x[2 * t], x[2 * t + 1]};
                double pr = 1.0 / (1.0 + Math.exp(-(b[0] + b[1] * z[1] + b[2] * z[2])));
                for (int c = 0; c < 3; c++) {
                    score[c] += (move - pr) * z[c];
                }
            }
            // Newton stops once what it could still gain is below 1e-11 of the objective: the score is then about
            // 1e-5, which moves the coefficients by about 1e-7 (the information is in the hundreds), far below
            // their standard errors (about 0.08).
            for (int c = 0; c < 3; c++) {
                assertThat(score[c]).as("row %d, term %d", i, c).isCloseTo(0.0, within(1e-4));
            }
            assertThat(visits).isGreaterThan(500);
            // And near the generating coefficients (the states are seen: plain logistic regression).
            assertThat(b[0]).isCloseTo(LEAVE[i][0], within(0.5));
        }
    }

    @Test
    void samplingMovesWithTheTransitionMatrixOfTheCovariatesOfTheStepMovedInto() {
        // Two covariate values, alternating step by step (a move read at the wrong step would see the other value's
        // matrix): the empirical frequency of each move at each value must match the regression's matrix there,
        // within 4 binomial standard errors.
        TransitionRegression tr = TransitionRegression.of(new double[][][]{
                {{0, 0}, {-1.0, 2.0}}, {{0.5, -1.5}, {0, 0}}}, List.of("w"));
        CovariateHmmModel m = CovariateHmmModel.of(new double[]{0.5, 0.5}, tr,
                GaussianEmission.diag(new double[][]{{0}, {5}}, new double[][]{{1}, {1}}));
        int n = 40000;
        double[] w = new double[n];
        for (int t = 0; t < n; t++) {
            w[t] = t % 2 == 0 ? -1.0 : 1.0;
        }
        int[] path = m.sample(w, new int[]{n}, 99).states()[0];
        for (double level : new double[]{-1.0, 1.0}) {
            double[][] a = tr.matrix(new double[]{level});
            for (int i = 0; i < 2; i++) {
                int from = 0;
                int moved = 0;
                for (int t = 1; t < n; t++) {
                    if (w[t] == level && path[t - 1] == i) {
                        from++;
                        moved += path[t] != i ? 1 : 0;
                    }
                }
                double pr = a[i][1 - i];
                double se = Math.sqrt(pr * (1 - pr) / from);
                assertThat((double) moved / from).as("w = %s, from %d", level, i).isCloseTo(pr, within(4 * se));
            }
        }
    }

    @Test
    void aMissingCovariateIsRefusedWithItsSequenceStepAndName() {
        Sequences obs = Sequences.ofSymbols(new int[]{0, 1, 0});
        assertThatThrownBy(() -> CovariateSequences.of(obs, new double[]{1, Double.NaN, 2}, List.of("w")))
                .isInstanceOf(EmkitException.class).hasMessageContaining("step 2").hasMessageContaining("'w'");
    }
}
