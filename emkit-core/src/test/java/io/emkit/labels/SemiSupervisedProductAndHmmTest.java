package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Labels for mixtures of independent columns and for hidden Markov models: the semi-supervised objective never
 * decreases (the trace), it is what it claims to be (recomputed from the fitted model by hand: for the HMM by
 * summing over every state path through the known states), with every row labelled the fit is the closed-form
 * per-class estimate, and a few labels recover the generating classes.
 */
class SemiSupervisedProductAndHmmTest {
    private static final EmOptions PLAIN = EmOptions.defaults().withAcceleration(Acceleration.NONE).withTolerance(1e-12)
            .withMaxIterations(5000).withThreads(2);

    /** Two categorical columns (3 and 2 categories), classes "a" and "b" with different probabilities. */
    private static double[][] categoricalRows(int n, long seed, String[] classes) {
        double[][][] p = {{{0.7, 0.2, 0.1}, {0.8, 0.2}}, {{0.1, 0.3, 0.6}, {0.3, 0.7}}};
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            int g = random.nextDouble() < 0.4 ? 0 : 1;
            classes[i] = g == 0 ? "a" : "b";
            for (int j = 0; j < 2; j++) {
                double u = random.nextDouble();
                int m = 0;
                for (double acc = p[g][j][0]; u > acc && m < p[g][j].length - 1; acc += p[g][j][++m]) {
                    // walk the cumulative probabilities
                }
                out[i][j] = m;
            }
        }
        return out;
    }

    private static Dataset dataset(double[][] rows) {
        double[] flat = new double[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return Dataset.wrap(flat, rows.length, rows[0].length, List.of("u", "v"));
    }

    private static void assertNeverDecreases(double[] trace) {
        assertThat(trace.length).isGreaterThan(2);
        for (int t = 1; t < trace.length; t++) {
            assertThat(trace[t]).as("iteration %d", t + 1).isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
        }
    }

    @Test
    void productMixtureWithFewLabelsClimbsTheSemiSupervisedObjectiveAndRecoversTheClasses() {
        int n = 600;
        String[] truth = new String[n];
        Dataset data = dataset(categoricalRows(n, 11, truth));
        String[] cells = new String[n];
        for (int i = 0; i < 20; i++) {
            cells[i] = truth[i];
        }
        ClassLabels labels = ClassLabels.of(cells);
        ProductMixture config = ProductMixture.withComponents(2).family(ColumnFamily.CATEGORICAL).options(PLAIN);
        SemiSupervisedProductMixture.Fit fit = SemiSupervisedProductMixture.of(config).fit(data, labels, 2);
        assertNeverDecreases(fit.em().trace());
        assertThat(fit.componentClasses()).containsExactly("a", "b");
        ProductMixtureModel m = fit.em().params();

        // The objective by hand: a labelled row counts log π_g f_g(x) = log P(g | x) + log f(x).
        double[] logDensity = m.scoreSamples(data);
        double[][] posterior = m.predictProba(data);
        double expected = 0;
        for (int i = 0; i < n; i++) {
            expected += logDensity[i] + (labels.classOf(i) >= 0 ? Math.log(posterior[i][labels.classOf(i)]) : 0);
        }
        assertThat(fit.em().logLikelihood()).isCloseTo(expected, within(1e-8));

        // Component "a" is class a: its first category of u is the likely one, and most rows get their class.
        assertThat(m.parameters(0)[0][0]).isGreaterThan(0.5);
        int[] predicted = m.predict(data);
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += fit.componentClasses().get(predicted[i]).equals(truth[i]) ? 1 : 0;
        }
        assertThat(right).isGreaterThan(n * 3 / 4);
    }

    private static int poisson(SplittableRandom r, double lambda) {
        double limit = Math.exp(-lambda);
        double product = r.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= r.nextDouble();
            k++;
        }
        return k;
    }

    /**
     * Two classes, each itself a mixture of two kinds of rows (two Poisson columns with rates 2 and 9 in class a's,
     * 20 and 35 in class b's, the second column at half the first's rate), one row in ten labelled: with two
     * components per class the fit recovers the four rates, keeps each labelled row in its class's components, and
     * its objective is the semi-supervised log-likelihood computed by hand; the same bits on 1 and 2 threads.
     */
    @Test
    void productMixtureWithTwoComponentsPerClassRecoversEachClasssOwnMixture() {
        double[] rates = {2, 9, 20, 35};
        int n = 4000;
        SplittableRandom r = new SplittableRandom(17);
        double[][] rows = new double[n][2];
        String[] cells = new String[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(4);
            rows[i][0] = poisson(r, rates[kind]);
            rows[i][1] = poisson(r, rates[kind] / 2);
            cells[i] = i % 10 == 0 ? (kind < 2 ? "a" : "b") : null;
        }
        Dataset data = dataset(rows);
        ClassLabels labels = ClassLabels.of(cells);
        ProductMixture config = ProductMixture.withComponents(4).family(ColumnFamily.POISSON)
                .options(EmOptions.defaults().withSeed(3));
        SemiSupervisedProductMixture.Fit fit = SemiSupervisedProductMixture.of(config).fit(data, labels, 4, 2);
        assertNeverDecreases(fit.em().trace());
        assertThat(fit.componentClasses()).containsExactly("a", "a", "b", "b");
        ProductMixtureModel m = fit.em().params();
        for (int c = 0; c < 4; c++) {
            // Components 2g and 2g + 1 are class g's, in either order: the nearer true rate of that class.
            double rate = m.parameters(0)[c][0]; // column 0's rate in component c
            double nearest = c < 2 ? (Math.abs(rate - 2) < Math.abs(rate - 9) ? 2 : 9)
                    : (Math.abs(rate - 20) < Math.abs(rate - 35) ? 20 : 35);
            assertThat(rate).as("component %d's rate", c).isCloseTo(nearest, within(0.1 * nearest + 0.3));
            assertThat(m.parameters(1)[c][0]).isCloseTo(nearest / 2, within(0.1 * nearest + 0.3));
        }
        assertThat(m.parameters(0)[0][0]).isNotCloseTo(m.parameters(0)[1][0], within(3.0));
        assertThat(m.parameters(0)[2][0]).isNotCloseTo(m.parameters(0)[3][0], within(3.0));

        // The objective by hand: a labelled row of class g counts log Σ_{c of g} π_c f_c(x) = log f(x) + log Σ P(c | x).
        double[] logDensity = m.scoreSamples(data);
        double[][] posterior = m.predictProba(data);
        double expected = 0;
        for (int i = 0; i < n; i++) {
            int g = labels.classOf(i);
            expected += logDensity[i] + (g >= 0 ? Math.log(posterior[i][2 * g] + posterior[i][2 * g + 1]) : 0);
        }
        assertThat(fit.em().logLikelihood()).isCloseTo(expected, within(1e-7 * Math.abs(expected)));

        SemiSupervisedProductMixture.Fit one = SemiSupervisedProductMixture.of(config.options(config.options()
                .withThreads(1).withBlockSize(500))).fit(data, labels, 4, 2);
        SemiSupervisedProductMixture.Fit two = SemiSupervisedProductMixture.of(config.options(config.options()
                .withThreads(2).withBlockSize(500))).fit(data, labels, 4, 2);
        assertThat(two.em().trace()).isEqualTo(one.em().trace());
        assertThat(two.em().params().toString()).isEqualTo(one.em().params().toString());
    }

    @Test
    void productMixtureWithEveryRowLabelledIsTheClassFrequencies() {
        int n = 200;
        String[] truth = new String[n];
        double[][] rows = categoricalRows(n, 5, truth);
        SemiSupervisedProductMixture.Fit fit = SemiSupervisedProductMixture.of(ProductMixture.withComponents(2)
                .family(ColumnFamily.CATEGORICAL).options(PLAIN)).fit(dataset(rows), ClassLabels.of(truth), 2);
        double[] count = new double[2];
        double[][] uCount = new double[2][3];
        for (int i = 0; i < n; i++) {
            int g = truth[i].equals("a") ? 0 : 1;
            count[g]++;
            uCount[g][(int) rows[i][0]]++;
        }
        ProductMixtureModel m = fit.em().params();
        assertThat(m.weights()[0]).isCloseTo(count[0] / n, within(1e-12));
        for (int g = 0; g < 2; g++) {
            for (int c = 0; c < 3; c++) {
                assertThat(m.parameters(0)[g][c]).isCloseTo(uCount[g][c] / count[g], within(1e-9));
            }
        }
    }

    @Test
    void productMixtureRefusesAClassWithoutAComponent() {
        String[] truth = new String[50];
        Dataset data = dataset(categoricalRows(50, 3, truth));
        truth[7] = "c";
        assertThatThrownBy(() -> SemiSupervisedProductMixture.of(ProductMixture.withComponents(2)
                .family(ColumnFamily.CATEGORICAL)).fit(data, ClassLabels.of(truth), 2))
                .isInstanceOf(EmkitException.class).hasMessageStartingWith("class 'c' has labelled rows but no component");
    }

    /** Two Gaussian states, sticky; 3 sequences of 40 steps; returns the states in {@code states}. */
    private static Sequences hmmData(long seed, List<int[]> states) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[][]> seqs = new ArrayList<>();
        for (int q = 0; q < 3; q++) {
            double[][] x = new double[40][1];
            int[] z = new int[40];
            int s = random.nextInt(2);
            for (int t = 0; t < 40; t++) {
                if (t > 0 && random.nextDouble() < 0.1) {
                    s = 1 - s;
                }
                z[t] = s;
                x[t][0] = (s == 0 ? -1.0 : 1.5) + random.nextGaussian();
            }
            seqs.add(x);
            states.add(z);
        }
        return Sequences.of(seqs, List.of("x"));
    }

    @Test
    void hmmWithKnownStepsClimbsItsObjectiveWhichIsTheSumOverThePathsThroughTheKnownStates() {
        List<int[]> states = new ArrayList<>();
        Sequences data = hmmData(4, states);
        String[] cells = new String[data.totalLength()];
        for (int q = 0; q < 3; q++) {
            for (int t = 0; t < 40; t += 7) {
                cells[q * 40 + t] = states.get(q)[t] == 0 ? "calm" : "rough";
            }
        }
        ClassLabels labels = ClassLabels.of(cells);
        SemiSupervisedHmm.Fit fit = SemiSupervisedHmm.of(HiddenMarkov.gaussian(2, CovarianceType.FULL).options(PLAIN))
                .fit(data, labels);
        assertNeverDecreases(fit.em().trace());
        assertThat(fit.stateClasses()).containsExactly("calm", "rough");
        HiddenMarkovModel m = fit.em().params();
        assertThat(m.emission().logDensity(new double[] {-1}, 0)).isGreaterThan(m.emission().logDensity(new double[] {-1}, 1));

        // By brute force on the first 12 steps of each sequence: log Σ over the 2^12 paths through the known states.
        List<double[][]> shortSeqs = new ArrayList<>();
        String[] shortCells = new String[36];
        for (int q = 0; q < 3; q++) {
            double[][] x = new double[12][1];
            for (int t = 0; t < 12; t++) {
                x[t][0] = data.rawValues()[data.start(q) + t];
                shortCells[q * 12 + t] = cells[q * 40 + t];
            }
            shortSeqs.add(x);
        }
        Sequences shortData = Sequences.of(shortSeqs, List.of("x"));
        ClassLabels shortLabels = ClassLabels.of(shortCells);
        EmResult<HiddenMarkovModel> oneStep = HiddenMarkov.gaussian(2, CovarianceType.FULL).initialModel(m)
                .options(PLAIN.withMaxIterations(1)).fitWithKnownStates(shortData,
                        new ClassRestriction(shortLabels, new int[] {0, 1}));
        double bruteForce = 0;
        for (int q = 0; q < 3; q++) {
            double max = Double.NEGATIVE_INFINITY;
            List<Double> terms = new ArrayList<>();
            for (int code = 0; code < 1 << 12; code++) {
                int[] path = new int[12];
                boolean consistent = true;
                for (int t = 0; t < 12; t++) {
                    path[t] = (code >> t) & 1;
                    int known = shortLabels.classOf(q * 12 + t);
                    consistent &= known < 0 || known == path[t];
                }
                if (!consistent) {
                    continue;
                }
                int[][] paths = new int[3][];
                for (int r = 0; r < 3; r++) {
                    paths[r] = r == q ? path : new int[12];
                }
                double lp = m.pathLogProbabilities(shortData, paths)[q];
                terms.add(lp);
                max = Math.max(max, lp);
            }
            double sum = 0;
            for (double v : terms) {
                sum += Math.exp(v - max);
            }
            bruteForce += max + Math.log(sum);
        }
        // The trace's first value is the objective at the starting model (m).
        assertThat(oneStep.trace()[0]).isCloseTo(bruteForce, within(1e-8));
    }

    @Test
    void hmmWithKnownStepsDoesNotDependOnTheOrderOfTheSequences() {
        List<int[]> states = new ArrayList<>();
        Sequences data = hmmData(4, states);
        int n = data.count();
        String[] cells = new String[data.totalLength()];
        for (int q = 0; q < n; q++) {
            for (int t = q; t < data.length(q); t += 5) {
                cells[data.start(q) + t] = states.get(q)[t] == 0 ? "calm" : "rough";
            }
        }
        // The same sequences, each with its own labels, in reverse order.
        List<double[][]> reversed = new ArrayList<>();
        List<String> reversedCells = new ArrayList<>();
        for (int q = n - 1; q >= 0; q--) {
            double[][] x = new double[data.length(q)][1];
            for (int t = 0; t < x.length; t++) {
                x[t][0] = data.rawValues()[data.start(q) + t];
                reversedCells.add(cells[data.start(q) + t]);
            }
            reversed.add(x);
        }
        SemiSupervisedHmm config = SemiSupervisedHmm.of(HiddenMarkov.gaussian(2, CovarianceType.FULL));
        SemiSupervisedHmm.Fit given = config.fit(data, ClassLabels.of(cells));
        SemiSupervisedHmm.Fit other = config.fit(Sequences.of(reversed, List.of("x")),
                ClassLabels.of(reversedCells.toArray(String[]::new)));
        assertThat(other.em().trace()).isEqualTo(given.em().trace());
        assertThat(other.em().params().toString()).isEqualTo(given.em().params().toString());
        assertThat(other.stateClasses()).isEqualTo(given.stateClasses());
    }

    /**
     * Two classes, each with two regimes of its own (a 4-state chain: states 0 and 1 are class "low", means −3 and 0;
     * states 2 and 3 class "high", means 4 and 8), one step in eight labelled with its class: with two states per
     * class the fit finds the four regimes, each class's states where its regimes are, and keeps every labelled step
     * in its class's states.
     */
    @Test
    void hmmWithTwoStatesPerClassFindsEachClasssRegimes() {
        double[][] a = {{0.90, 0.05, 0.03, 0.02}, {0.05, 0.90, 0.02, 0.03}, {0.03, 0.02, 0.90, 0.05},
                {0.02, 0.03, 0.05, 0.90}};
        double[] means = {-3, 0, 4, 8};
        HiddenMarkovModel truth = HiddenMarkovModel.of(new double[] {0.25, 0.25, 0.25, 0.25}, a,
                io.emkit.hmm.GaussianEmission.diag(new double[][] {{-3}, {0}, {4}, {8}},
                        new double[][] {{1}, {1}, {1}, {1}}));
        HiddenMarkovModel.Sample sample = truth.sample(6, 400, 11);
        Sequences data = sample.observations();
        String[] cells = new String[data.totalLength()];
        for (int q = 0; q < data.count(); q++) {
            for (int t = 0; t < data.length(q); t += 8) {
                cells[data.start(q) + t] = sample.states()[q][t] < 2 ? "low" : "high";
            }
        }
        ClassLabels labels = ClassLabels.of(cells);
        SemiSupervisedHmm.Fit fit = SemiSupervisedHmm.of(HiddenMarkov.gaussian(4, CovarianceType.DIAG).seed(2))
                .fit(data, labels, 2);
        assertNeverDecreases(fit.em().trace());
        assertThat(fit.stateClasses()).containsExactly("high", "high", "low", "low");
        HiddenMarkovModel m = fit.em().params();
        double[] fitted = new double[4];
        for (int s = 0; s < 4; s++) {
            // The mean of state s: the density is highest there among the true means.
            double best = Double.NEGATIVE_INFINITY;
            for (double mu : means) {
                double v = m.emission().logDensity(new double[] {mu}, s);
                if (v > best) {
                    best = v;
                    fitted[s] = mu;
                }
            }
        }
        // "high" (sorted first) owns states 0 and 1: the regimes at 4 and 8; "low" states 2 and 3: −3 and 0.
        assertThat(new double[] {Math.min(fitted[0], fitted[1]), Math.max(fitted[0], fitted[1]),
                Math.min(fitted[2], fitted[3]), Math.max(fitted[2], fitted[3])}).containsExactly(4, 8, -3, 0);
        int[][] path = m.viterbi(data);
        for (int q = 0; q < data.count(); q++) {
            for (int t = 0; t < data.length(q); t += 8) {
                String cls = fit.stateClasses().get(path[q][t]);
                assertThat(cls).as("labelled step %d of sequence %d", t, q).isEqualTo(cells[data.start(q) + t]);
            }
        }
    }

    @Test
    void hmmWithEveryStepLabelledIsTheCountedTransitionsAndTheClassMeans() {
        List<int[]> states = new ArrayList<>();
        Sequences data = hmmData(9, states);
        String[] cells = new String[data.totalLength()];
        double[][] counts = new double[2][2];
        double[] sum = new double[2];
        double[] n = new double[2];
        for (int q = 0; q < 3; q++) {
            for (int t = 0; t < 40; t++) {
                int s = states.get(q)[t];
                cells[q * 40 + t] = s == 0 ? "calm" : "rough";
                sum[s] += data.rawValues()[data.start(q) + t];
                n[s]++;
                if (t > 0) {
                    counts[states.get(q)[t - 1]][s]++;
                }
            }
        }
        SemiSupervisedHmm.Fit fit = SemiSupervisedHmm.of(HiddenMarkov.gaussian(2, CovarianceType.FULL).options(PLAIN))
                .fit(data, ClassLabels.of(cells));
        HiddenMarkovModel m = fit.em().params();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(m.transition(i, j)).isCloseTo(counts[i][j] / (counts[i][0] + counts[i][1]), within(1e-9));
            }
        }
        assertThat(((io.emkit.hmm.GaussianEmission) m.emission()).gaussians().mean(0)[0]).isCloseTo(sum[0] / n[0],
                within(1e-9));
        assertThat(((io.emkit.hmm.GaussianEmission) m.emission()).gaussians().mean(1)[0]).isCloseTo(sum[1] / n[1],
                within(1e-9));
    }

    @Test
    void hmmRefusesMoreClassesThanStates() {
        List<int[]> states = new ArrayList<>();
        Sequences data = hmmData(1, states);
        String[] cells = new String[data.totalLength()];
        cells[0] = "a";
        cells[1] = "b";
        cells[2] = "c";
        assertThatThrownBy(() -> SemiSupervisedHmm.of(HiddenMarkov.gaussian(2, CovarianceType.FULL))
                .fit(data, ClassLabels.of(cells))).isInstanceOf(EmkitException.class)
                .hasMessageStartingWith("class 'c' has labelled steps but no state to take it");
    }
}
