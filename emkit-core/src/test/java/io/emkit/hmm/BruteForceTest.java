package io.emkit.hmm;

import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * On tiny models (2–3 states, up to 8 steps), forward–backward and Viterbi agree with brute-force
 * enumeration of every state path, with emission densities written out independently here.
 */
class BruteForceTest {

    /** Everything the enumeration needs: the model and an independent log density per step and state. */
    private record Case(HiddenMarkovModel model, Sequences data, double[][] logB) {
    }

    private static double[] randomDistribution(SplittableRandom r, int n, int zeroAt) {
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = i == zeroAt ? 0.0 : 0.1 + r.nextDouble();
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static Case gaussianCase(long seed, int s, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] start = randomDistribution(r, s, -1);
        double[][] a = new double[s][];
        for (int i = 0; i < s; i++) {
            a[i] = randomDistribution(r, s, s > 2 && i == 0 ? 2 : -1); // one structural zero
        }
        double[][] means = new double[s][];
        double[][] variances = new double[s][];
        for (int i = 0; i < s; i++) {
            means[i] = new double[] {3 * r.nextDouble() - 1.5, 3 * r.nextDouble() - 1.5};
            variances[i] = new double[] {0.3 + r.nextDouble(), 0.3 + r.nextDouble()};
        }
        HiddenMarkovModel m = HiddenMarkovModel.of(start, a, GaussianEmission.diag(means, variances));
        double[][] obs = new double[length][];
        for (int t = 0; t < length; t++) {
            obs[t] = new double[] {2 * r.nextGaussian(), 2 * r.nextGaussian()};
        }
        double[][] logB = new double[length][s];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < s; i++) {
                double lp = 0;
                for (int j = 0; j < 2; j++) {
                    double z = obs[t][j] - means[i][j];
                    lp += -0.5 * Math.log(2 * Math.PI * variances[i][j]) - 0.5 * z * z / variances[i][j];
                }
                logB[t][i] = lp;
            }
        }
        return new Case(m, Sequences.of(List.<double[][]>of(obs)), logB);
    }

    /** Two Gaussians per state, 1-D, written out here as a weighted sum of densities. */
    private static Case gaussianMixtureCase(long seed, int s, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = 2;
        double[][] w = new double[s][];
        double[][] a = new double[s][];
        double[][] means = new double[s * m][];
        double[] variances = new double[s * m];
        for (int i = 0; i < s; i++) {
            w[i] = randomDistribution(r, m, -1);
            a[i] = randomDistribution(r, s, -1);
            for (int k = 0; k < m; k++) {
                means[i * m + k] = new double[] {4 * r.nextDouble() - 2};
                variances[i * m + k] = 0.2 + r.nextDouble();
            }
        }
        double[] eq = new double[s * m];
        java.util.Arrays.fill(eq, 1.0 / (s * m));
        GaussianMixtureEmission e = GaussianMixtureEmission.of(w,
                io.emkit.gaussian.GaussianMixtureModel.spherical(eq, means, variances));
        HiddenMarkovModel model = HiddenMarkovModel.of(randomDistribution(r, s, -1), a, e);
        double[][] obs = new double[length][];
        double[][] logB = new double[length][s];
        for (int t = 0; t < length; t++) {
            obs[t] = new double[] {2 * r.nextGaussian()};
            for (int i = 0; i < s; i++) {
                double p = 0;
                for (int k = 0; k < m; k++) {
                    double v = variances[i * m + k];
                    double z = obs[t][0] - means[i * m + k][0];
                    p += w[i][k] * Math.exp(-0.5 * z * z / v) / Math.sqrt(2 * Math.PI * v);
                }
                logB[t][i] = Math.log(p);
            }
        }
        return new Case(model, Sequences.of(List.<double[][]>of(obs)), logB);
    }

    private static Case categoricalCase(long seed, int s, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        int symbols = 4;
        double[][] p = new double[s][];
        double[][] a = new double[s][];
        for (int i = 0; i < s; i++) {
            p[i] = randomDistribution(r, symbols, -1);
            a[i] = randomDistribution(r, s, -1);
        }
        HiddenMarkovModel m = HiddenMarkovModel.of(randomDistribution(r, s, -1), a, CategoricalEmission.of(p));
        int[] obs = new int[length];
        double[][] logB = new double[length][s];
        for (int t = 0; t < length; t++) {
            obs[t] = r.nextInt(symbols);
            for (int i = 0; i < s; i++) {
                logB[t][i] = Math.log(p[i][obs[t]]);
            }
        }
        return new Case(m, Sequences.ofSymbols(obs), logB);
    }

    private static Case poissonCase(long seed, int s, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] rates = new double[s][];
        double[][] a = new double[s][];
        for (int i = 0; i < s; i++) {
            rates[i] = new double[] {0.5 + 6 * r.nextDouble()};
            a[i] = randomDistribution(r, s, -1);
        }
        HiddenMarkovModel m = HiddenMarkovModel.of(randomDistribution(r, s, -1), a, PoissonEmission.of(rates));
        double[][] obs = new double[length][];
        double[][] logB = new double[length][s];
        for (int t = 0; t < length; t++) {
            int k = r.nextInt(9);
            obs[t] = new double[] {k};
            double logFact = 0;
            for (int q = 2; q <= k; q++) {
                logFact += Math.log(q);
            }
            for (int i = 0; i < s; i++) {
                logB[t][i] = k * Math.log(rates[i][0]) - rates[i][0] - logFact;
            }
        }
        return new Case(m, Sequences.of(List.<double[][]>of(obs)), logB);
    }

    /** Enumerates every path: log p(x), posteriors, expected transitions, the best path and its log joint. */
    private static final class Enumeration {
        double logLikelihood;
        double[][] posterior;
        double[][] transitions;
        int[] best;
        double bestLogJoint = Double.NEGATIVE_INFINITY;

        Enumeration(Case c) {
            HiddenMarkovModel m = c.model();
            int s = m.states();
            int n = c.logB().length;
            double[] pi = m.startProbabilities();
            double[][] a = m.transitionMatrix();
            List<int[]> paths = new ArrayList<>();
            List<Double> joints = new ArrayList<>();
            int total = (int) Math.pow(s, n);
            for (int code = 0; code < total; code++) {
                int[] path = new int[n];
                int rest = code;
                for (int t = 0; t < n; t++) {
                    path[t] = rest % s;
                    rest /= s;
                }
                double lp = Math.log(pi[path[0]]) + c.logB()[0][path[0]];
                for (int t = 1; t < n; t++) {
                    lp += Math.log(a[path[t - 1]][path[t]]) + c.logB()[t][path[t]];
                }
                paths.add(path);
                joints.add(lp);
                if (lp > bestLogJoint) {
                    bestLogJoint = lp;
                    best = path;
                }
            }
            double max = joints.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double sum = 0;
            for (double j : joints) {
                sum += Math.exp(j - max);
            }
            logLikelihood = max + Math.log(sum);
            posterior = new double[n][s];
            transitions = new double[s][s];
            for (int p = 0; p < paths.size(); p++) {
                double w = Math.exp(joints.get(p) - logLikelihood);
                int[] path = paths.get(p);
                for (int t = 0; t < n; t++) {
                    posterior[t][path[t]] += w;
                    if (t > 0) {
                        transitions[path[t - 1]][path[t]] += w;
                    }
                }
            }
        }
    }

    private static void assertAgrees(Case c) {
        Enumeration e = new Enumeration(c);
        HiddenMarkovModel m = c.model();
        assertThat(m.logLikelihood(c.data())).isCloseTo(e.logLikelihood, within(1e-10 * Math.abs(e.logLikelihood)));
        double[][] gamma = m.posteriors(c.data())[0];
        for (int t = 0; t < gamma.length; t++) {
            for (int i = 0; i < m.states(); i++) {
                assertThat(gamma[t][i]).as("posterior t=%d state=%d", t, i).isCloseTo(e.posterior[t][i], within(1e-10));
            }
        }
        assertThat(m.viterbi(c.data())[0]).isEqualTo(e.best);
        assertThat(m.viterbiLogProbabilities(c.data())[0]).isCloseTo(e.bestLogJoint, within(1e-10));
        assertThat(m.pathLogProbabilities(c.data(), new int[][] {e.best})[0]).isCloseTo(e.bestLogJoint, within(1e-10));
        // MAP decoding: each step's state with the largest enumerated posterior.
        int[] map = m.mapStates(c.data())[0];
        for (int t = 0; t < map.length; t++) {
            int best = 0;
            for (int i = 1; i < m.states(); i++) {
                best = e.posterior[t][i] > e.posterior[t][best] ? i : best;
            }
            assertThat(map[t]).as("MAP state at t=%d", t).isEqualTo(best);
        }

        BaumWelchSteps steps = new BaumWelchSteps(0, false, null, 1);
        HmmStatistics stats = steps.emptyStatistics(m);
        double ll = steps.accumulate(m, c.data(), 0, 1, stats);
        assertThat(ll).isCloseTo(e.logLikelihood, within(1e-10 * Math.abs(e.logLikelihood)));
        double[][] xi = stats.transitionCounts();
        for (int i = 0; i < m.states(); i++) {
            for (int j = 0; j < m.states(); j++) {
                assertThat(xi[i][j]).as("expected transitions %d->%d", i, j).isCloseTo(e.transitions[i][j], within(1e-10));
            }
        }
        assertThat(stats.startCounts()).containsExactly(e.posterior[0], within(1e-12));

        // The E-step cut into chunks (as for long sequences on several threads) agrees with the enumeration too,
        // whatever the chunk size, including chunks of one step.
        Sequences d = c.data();
        for (int chunk = 1; chunk <= d.length(0); chunk++) {
            HmmStatistics cs = steps.emptyStatistics(m);
            double cll = m.accumulateChunked(d.rawValues(), d.start(0), d.start(0) + d.length(0), chunk, cs);
            assertThat(cll).as("chunks of %d", chunk).isCloseTo(e.logLikelihood, within(1e-10 * Math.abs(e.logLikelihood)));
            double[][] cxi = cs.transitionCounts();
            for (int i = 0; i < m.states(); i++) {
                for (int j = 0; j < m.states(); j++) {
                    assertThat(cxi[i][j]).as("chunks of %d: expected transitions %d->%d", chunk, i, j)
                            .isCloseTo(e.transitions[i][j], within(1e-10));
                }
            }
            assertThat(cs.startCounts()).as("chunks of %d", chunk).containsExactly(e.posterior[0], within(1e-12));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void gaussianEmissionsAgreeWithEnumeration(long seed) {
        assertAgrees(gaussianCase(seed, 3, 7));
        assertAgrees(gaussianCase(seed + 100, 2, 8));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void gaussianMixtureEmissionsAgreeWithEnumeration(long seed) {
        assertAgrees(gaussianMixtureCase(seed, 3, 6));
        assertAgrees(gaussianMixtureCase(seed + 100, 2, 8));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void categoricalEmissionsAgreeWithEnumeration(long seed) {
        assertAgrees(categoricalCase(seed, 3, 6));
        assertAgrees(categoricalCase(seed + 100, 2, 8));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void poissonEmissionsAgreeWithEnumeration(long seed) {
        assertAgrees(poissonCase(seed, 3, 6));
        assertAgrees(poissonCase(seed + 100, 2, 8));
    }

    @Test
    void aSingleStepSequenceIsAMixture() {
        Case c = gaussianCase(9, 3, 1);
        assertAgrees(c);
    }

    /**
     * MAP decoding may string together a forbidden path: with uninformative emissions the three possible paths
     * a→c (0.4), b→d (0.3) and b→e (0.3) give step 1 its likeliest state b (0.6) and step 2 c (0.4), but b→c is a
     * structural zero. Viterbi gives a→c, log 0.4.
     */
    @Test
    void mapDecodingCanCrossAStructuralZeroWhereViterbiCannot() {
        double[][] a = {{0, 0, 1, 0, 0}, {0, 0, 0, 0.5, 0.5}, {0, 0, 1, 0, 0}, {0, 0, 0, 1, 0}, {0, 0, 0, 0, 1}};
        double[][] one = {{1}, {1}, {1}, {1}, {1}};
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {0.4, 0.6, 0, 0, 0}, a, CategoricalEmission.of(one));
        Sequences data = Sequences.ofSymbols(new int[] {0, 0});
        int[] map = m.mapStates(data)[0];
        assertThat(map).containsExactly(1, 2);
        assertThat(m.pathLogProbabilities(data, new int[][] {map})[0]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.viterbi(data)[0]).containsExactly(0, 2);
        assertThat(m.viterbiLogProbabilities(data)[0]).isCloseTo(Math.log(0.4), within(1e-15));
    }

    @Test
    void theStructuralZeroIsNeverUsedByViterbiOrPosteriors() {
        Case c = gaussianCase(11, 3, 8);
        Enumeration e = new Enumeration(c);
        assertThat(e.transitions[0][2]).isZero();
        assertAgrees(c);
    }
}
