package io.emkit.families;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.emkit.families.ColumnFamily.BERNOULLI;
import static io.emkit.families.ColumnFamily.CATEGORICAL;
import static io.emkit.families.ColumnFamily.EXPONENTIAL;
import static io.emkit.families.ColumnFamily.GAUSSIAN;
import static io.emkit.families.ColumnFamily.POISSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Mixtures of independent columns with missing cells: a missing cell is integrated out (log density 0 in the
 * E-step) and adds nothing to its column's statistics in the M-step; checked against sums written out here.
 */
class ProductMixtureMissingTest {
    private static final double NaN = Double.NaN;

    private static final ProductMixtureModel MODEL = ProductMixtureModel.of(new double[] {0.25, 0.75},
            List.of(GAUSSIAN, POISSON, BERNOULLI, CATEGORICAL, EXPONENTIAL),
            new double[][][] {
                    {{0.0, 1.0}, {3.0, 4.0}},
                    {{2.0}, {7.0}},
                    {{0.3}, {0.9}},
                    {{0.5, 0.4, 0.1}, {0.2, 0.3, 0.5}},
                    {{1.0}, {0.25}}});

    private static final Dataset ROWS = Dataset.of(new double[][] {
            {1.5, NaN, 1, 1, 2.0}, {NaN, 4, NaN, NaN, 0.5}, {-0.5, 3, 0, 2, NaN}, {NaN, NaN, NaN, NaN, NaN}});

    /** The density of one observed cell under component c, from the textbook formulas. */
    private static double cellDensity(int j, int c, double x) {
        return switch (j) {
            case 0 -> {
                double[][] g = {{0.0, 1.0}, {3.0, 4.0}};
                yield Math.exp(-Math.pow(x - g[c][0], 2) / (2 * g[c][1])) / Math.sqrt(2 * Math.PI * g[c][1]);
            }
            case 1 -> {
                double rate = c == 0 ? 2.0 : 7.0;
                double f = 1;
                for (int t = 2; t <= (int) x; t++) {
                    f *= t;
                }
                yield Math.exp(-rate) * Math.pow(rate, x) / f;
            }
            case 2 -> {
                double p = c == 0 ? 0.3 : 0.9;
                yield x == 1 ? p : 1 - p;
            }
            case 3 -> (c == 0 ? new double[] {0.5, 0.4, 0.1} : new double[] {0.2, 0.3, 0.5})[(int) x];
            default -> {
                double l = c == 0 ? 1.0 : 0.25;
                yield l * Math.exp(-l * x);
            }
        };
    }

    /** w_c times the product of the densities of the observed cells. */
    private static double[] joint(double[] row) {
        double[] w = {0.25, 0.75};
        double[] out = new double[2];
        for (int c = 0; c < 2; c++) {
            out[c] = w[c];
            for (int j = 0; j < row.length; j++) {
                if (!Double.isNaN(row[j])) {
                    out[c] *= cellDensity(j, c, row[j]);
                }
            }
        }
        return out;
    }

    @Test
    void missingCellsAreIntegratedOutOfTheDensity() {
        double[] scores = MODEL.scoreSamples(ROWS);
        double[][] proba = MODEL.predictProba(ROWS);
        for (int i = 0; i < ROWS.rows(); i++) {
            double[] j = joint(ROWS.row(i));
            assertThat(scores[i]).as("row %d", i).isCloseTo(Math.log(j[0] + j[1]), within(1e-12));
            assertThat(proba[i][1]).as("row %d", i).isCloseTo(j[1] / (j[0] + j[1]), within(1e-12));
        }
        assertThat(scores[3]).as("nothing observed").isEqualTo(0.0);
        assertThat(proba[3][0]).isCloseTo(0.25, within(1e-15));
        assertThat(proba[3][1]).isCloseTo(0.75, within(1e-15));
    }

    @Test
    void mStepUsesEachColumnsObservedRowsOnly() {
        ProductMixtureSteps steps = new ProductMixtureSteps(0.0);
        ProductStatistics s = steps.emptyStatistics(MODEL);
        double ll = steps.accumulate(MODEL, ROWS, 0, ROWS.rows(), s);
        ProductMixtureModel next = steps.maximize(s, MODEL, w -> { });

        double expectedLl = 0;
        double[] weight = new double[2];
        double[][] colWeight = new double[5][2];
        double[][] colSum = new double[5][2];
        double[][] colSumSq = new double[5][2];
        for (int i = 0; i < ROWS.rows(); i++) {
            double[] row = ROWS.row(i);
            if (Double.isNaN(row[0]) && Double.isNaN(row[1]) && Double.isNaN(row[4])) {
                continue; // row 3: nothing observed, skipped
            }
            double[] j = joint(row);
            expectedLl += Math.log(j[0] + j[1]);
            for (int c = 0; c < 2; c++) {
                double r = j[c] / (j[0] + j[1]);
                weight[c] += r;
                for (int col = 0; col < 5; col++) {
                    if (!Double.isNaN(row[col])) {
                        colWeight[col][c] += r;
                        colSum[col][c] += r * row[col];
                        colSumSq[col][c] += r * row[col] * row[col];
                    }
                }
            }
        }
        assertThat(ll).isCloseTo(expectedLl, within(1e-12));
        for (int c = 0; c < 2; c++) {
            assertThat(next.weights()[c]).isCloseTo(weight[c] / (weight[0] + weight[1]), within(1e-12));
            double mean = colSum[0][c] / colWeight[0][c];
            assertThat(next.parameters(0)[c][0]).as("Gaussian mean %d", c).isCloseTo(mean, within(1e-12));
            assertThat(next.parameters(0)[c][1]).as("Gaussian variance %d", c)
                    .isCloseTo(colSumSq[0][c] / colWeight[0][c] - mean * mean, within(1e-12));
            assertThat(next.parameters(1)[c][0]).as("Poisson rate %d", c)
                    .isCloseTo(colSum[1][c] / colWeight[1][c], within(1e-12));
            assertThat(next.parameters(2)[c][0]).as("Bernoulli p %d", c)
                    .isCloseTo(colSum[2][c] / colWeight[2][c], within(1e-12));
            assertThat(next.parameters(4)[c][0]).as("exponential rate %d", c)
                    .isCloseTo(colWeight[4][c] / colSum[4][c], within(1e-12));
        }
    }

    @Test
    void fitWithMissingCellsNeverLowersTheLogLikelihoodAndRecoversTheRates() {
        ProductMixtureModel truth = ProductMixtureModel.of(new double[] {0.4, 0.6}, List.of(POISSON, POISSON, GAUSSIAN),
                new double[][][] {{{2.0}, {12.0}}, {{30.0}, {5.0}}, {{0.0, 1.0}, {4.0, 2.0}}});
        double[] x = truth.sample(4000, 3).data().rawValues().clone();
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < x.length; i++) {
            if (random.nextDouble() < 0.2) {
                x[i] = NaN;
            }
        }
        Dataset data = Dataset.wrap(x, 4000, 3, List.of("a", "b", "g"));
        EmResult<ProductMixtureModel> fit = ProductMixture.withComponents(2).families(truth.families())
                .initializations(3).seed(1).tolerance(0).maxIterations(60).fit(data);
        double[] trace = fit.trace();
        for (int t = 1; t < trace.length; t++) {
            assertThat(trace[t]).isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
        }
        ProductMixtureModel m = fit.params();
        int low = m.parameters(0)[0][0] < m.parameters(0)[1][0] ? 0 : 1;
        assertThat(m.parameters(0)[low][0]).isCloseTo(2.0, within(0.2));
        assertThat(m.parameters(0)[1 - low][0]).isCloseTo(12.0, within(0.4));
        assertThat(m.parameters(1)[low][0]).isCloseTo(30.0, within(0.6));
        assertThat(m.parameters(2)[1 - low][0]).isCloseTo(4.0, within(0.15));
        assertThat(m.weights()[low]).isCloseTo(0.4, within(0.03));
        assertThat(fit.logLikelihood()).isCloseTo(m.logLikelihood(data), within(1e-6 * Math.abs(fit.logLikelihood())));
    }
}
