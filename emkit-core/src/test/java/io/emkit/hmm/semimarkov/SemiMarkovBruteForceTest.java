package io.emkit.hmm.semimarkov;

import io.emkit.hmm.CategoricalEmission;
import io.emkit.data.Sequences;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * On tiny semi-Markov models (2–3 states, 7 steps), the segment forward–backward pass, its expected counts and the
 * segment Viterbi agree with brute-force enumeration of every state path: a path's runs are its segments (no state
 * follows itself), its probability is π · Π p_j(run) · Π A · P_j(d ≥ last run) · Π b, all written out here from the
 * model's numbers, independently of the recursions.
 */
class SemiMarkovBruteForceTest {

    private static double[] distribution(SplittableRandom r, int n, int zeroAt) {
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

    private static SemiMarkovModel model(long seed, int s, String family, int dmax) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] start = distribution(r, s, -1);
        double[][] a = new double[s][];
        for (int i = 0; i < s; i++) {
            a[i] = s == 1 ? new double[]{1.0} : distribution(r, s, i);
        }
        double[][] symbols = new double[s][];
        for (int i = 0; i < s; i++) {
            symbols[i] = distribution(r, 3, -1);
        }
        Durations durations = switch (family) {
            case "poisson" -> {
                double[] lambda = new double[s];
                for (int i = 0; i < s; i++) {
                    lambda[i] = 0.3 + 3 * r.nextDouble();
                }
                yield Durations.poisson(lambda, dmax);
            }
            case "nb" -> {
                double[] size = new double[s];
                double[] p = new double[s];
                for (int i = 0; i < s; i++) {
                    size[i] = 0.5 + 3 * r.nextDouble();
                    p[i] = 0.2 + 0.6 * r.nextDouble();
                }
                yield Durations.negativeBinomial(size, p, dmax);
            }
            default -> {
                double[][] pmf = new double[s][];
                for (int i = 0; i < s; i++) {
                    // A zero inside the support: duration 2 is impossible in state 1.
                    pmf[i] = distribution(r, dmax, i == 0 && dmax > 2 ? 1 : -1);
                }
                yield Durations.nonparametric(pmf);
            }
        };
        return SemiMarkovModel.of(start, a, durations, CategoricalEmission.of(symbols));
    }

    /** Results of the enumeration. */
    private static final class Enumeration {
        double likelihood;
        double best = Double.NEGATIVE_INFINITY;
        double[][] gamma;
        double[] start;
        double[][] transitions;
        double[][] durations;
    }

    private static Enumeration enumerate(SemiMarkovModel m, int[] x) {
        int s = m.states();
        int n = x.length;
        int dmax = m.durations().maxDuration();
        double[] pi = m.startProbabilities();
        double[][] a = m.transitionMatrix();
        double[][] pmf = new double[s][];
        double[][] surv = new double[s][dmax];
        double[][] b = new double[s][];
        for (int j = 0; j < s; j++) {
            pmf[j] = m.durations().probabilities(j);
            for (int u = 0; u < dmax; u++) {
                for (int v = u; v < dmax; v++) {
                    surv[j][u] += pmf[j][v];
                }
            }
            b[j] = ((CategoricalEmission) m.emission()).probabilities()[j];
        }
        Enumeration e = new Enumeration();
        e.gamma = new double[n][s];
        e.start = new double[s];
        e.transitions = new double[s][s];
        e.durations = new double[s][dmax];
        int total = (int) Math.pow(s, n);
        double[] probs = new double[total];
        int[][] paths = new int[total][n];
        for (int code = 0; code < total; code++) {
            int c = code;
            for (int t = 0; t < n; t++) {
                paths[code][t] = c % s;
                c /= s;
            }
            int[] path = paths[code];
            double p = pi[path[0]];
            int runStart = 0;
            for (int t = 0; t < n; t++) {
                p *= b[path[t]][x[t]];
                boolean ends = t == n - 1 || path[t + 1] != path[t];
                if (ends) {
                    int len = t - runStart + 1;
                    if (len > dmax) {
                        p = 0;
                        break;
                    }
                    if (t == n - 1) {
                        p *= surv[path[t]][len - 1];
                    } else {
                        p *= pmf[path[t]][len - 1] * a[path[t]][path[t + 1]];
                    }
                    runStart = t + 1;
                }
            }
            probs[code] = p;
            e.likelihood += p;
            if (p > 0) {
                e.best = Math.max(e.best, Math.log(p));
            }
        }
        for (int code = 0; code < total; code++) {
            double w = probs[code] / e.likelihood;
            if (w == 0) {
                continue;
            }
            int[] path = paths[code];
            e.start[path[0]] += w;
            int runStart = 0;
            for (int t = 0; t < n; t++) {
                e.gamma[t][path[t]] += w;
                if (t == n - 1) {
                    int len = t - runStart + 1;
                    int j = path[t];
                    for (int u = len; u <= dmax; u++) {
                        e.durations[j][u - 1] += w * pmf[j][u - 1] / surv[j][len - 1];
                    }
                } else if (path[t + 1] != path[t]) {
                    e.durations[path[t]][t - runStart] += w;
                    e.transitions[path[t]][path[t + 1]] += w;
                    runStart = t + 1;
                }
            }
        }
        return e;
    }

    @ParameterizedTest
    @CsvSource({"1, 2, nonparametric, 3", "2, 3, nonparametric, 4", "3, 2, poisson, 7", "4, 3, poisson, 5",
            "5, 2, nb, 6", "6, 3, nb, 3", "7, 2, poisson, 2", "8, 3, nonparametric, 1"})
    void forwardBackwardAndViterbiMatchEnumeration(long seed, int s, String family, int dmax) {
        SemiMarkovModel m = model(seed, s, family, dmax);
        SplittableRandom r = new SplittableRandom(seed + 100);
        int n = 7;
        int[] x = new int[n];
        for (int t = 0; t < n; t++) {
            x[t] = r.nextInt(3);
        }
        Sequences data = Sequences.ofSymbols(x);
        Enumeration e = enumerate(m, x);

        assertThat(m.logLikelihood(data)).isCloseTo(Math.log(e.likelihood), within(1e-12));
        assertThat(m.viterbiLogProbabilities(data)[0]).isCloseTo(e.best, within(1e-12));
        // The decoded path is one whose probability is the maximum.
        int[] path = m.viterbi(data)[0];
        assertThat(pathLogProbability(m, x, path)).isCloseTo(e.best, within(1e-12));
        assertThat(m.pathLogProbabilities(data, new int[][]{path})[0]).isCloseTo(e.best, within(1e-12));

        double[][] gamma = m.posteriors(data)[0];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < s; j++) {
                assertThat(gamma[t][j]).as("gamma[%d][%d]", t, j).isCloseTo(e.gamma[t][j], within(1e-12));
            }
        }
        SemiMarkovSteps steps = new SemiMarkovSteps(0.0);
        SemiMarkovStatistics stats = steps.emptyStatistics(m);
        steps.accumulate(m, data, 0, 1, stats);
        for (int j = 0; j < s; j++) {
            assertThat(stats.startCounts()[j]).isCloseTo(e.start[j], within(1e-12));
            for (int k = 0; k < s; k++) {
                assertThat(stats.transitions[j * s + k]).as("transitions %d -> %d", j, k)
                        .isCloseTo(e.transitions[j][k], within(1e-12));
            }
            for (int u = 0; u < dmax; u++) {
                assertThat(stats.durationCounts()[j][u]).as("duration counts of state %d, d = %d", j, u + 1)
                        .isCloseTo(e.durations[j][u], within(1e-12));
            }
        }
    }

    /** log p(path, x) of a state path, from its runs. */
    private static double pathLogProbability(SemiMarkovModel m, int[] x, int[] path) {
        int n = x.length;
        double[][] b = ((CategoricalEmission) m.emission()).probabilities();
        double[][] a = m.transitionMatrix();
        double lp = Math.log(m.startProbabilities()[path[0]]);
        int runStart = 0;
        for (int t = 0; t < n; t++) {
            lp += Math.log(b[path[t]][x[t]]);
            if (t == n - 1 || path[t + 1] != path[t]) {
                int len = t - runStart + 1;
                double[] pmf = m.durations().probabilities(path[t]);
                if (t == n - 1) {
                    double sv = 0;
                    for (int u = len - 1; u < pmf.length; u++) {
                        sv += pmf[u];
                    }
                    lp += Math.log(sv);
                } else {
                    lp += Math.log(pmf[len - 1]) + Math.log(a[path[t]][path[t + 1]]);
                }
                runStart = t + 1;
            }
        }
        return lp;
    }
}
