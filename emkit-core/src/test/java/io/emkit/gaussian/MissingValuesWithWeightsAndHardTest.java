package io.emkit.gaussian;

import io.emkit.em.MiniBatch;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.Assignment;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Missing values together with row weights and classification EM, which meet in the column-major E-step:
 * an incomplete row's responsibilities (one-hot under hard assignment) are multiplied by its weight before
 * its expected statistics are added, so a weighted incomplete row is that many copies of it, and hard EM's
 * classification log-likelihood over the observed values never decreases. References are computed row by
 * row from the definitions ({@link MissingValuesTest#expectedEStep}) or are the expanded data.
 */
class MissingValuesWithWeightsAndHardTest {
    private static final double NaN = Double.NaN;

    private static Stream<Arguments> structuresAndAssignments() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.DIAG, CovarianceType.SPHERICAL,
                CovarianceType.TIED, CovarianceType.VEV)) {
            for (Assignment a : Assignment.values()) {
                out.add(Arguments.of(type, a));
            }
        }
        return out.stream();
    }

    /**
     * 3-D rows drawn from {@code p}, a fifth of the cells removed and a few rows with nothing observed:
     * {@code n} is chosen by the callers so that the last block is partial and its padding lanes are lanes
     * that held incomplete rows in the block before.
     */
    private static Dataset incompleteRows(GaussianReference.Params p, int n, long seed) {
        Dataset drawn = TestData.drawMixture(seed, n, p.weights(), p.means(), p.covariances());
        double[][] rows = MissingValuesTest.removeCells(drawn, 0.2, seed + 1).toArray();
        for (int i = 0; i < 12; i++) {
            rows[i] = new double[] {NaN, NaN, NaN};
        }
        rows[100] = new double[] {NaN, NaN, NaN};
        return Dataset.of(rows);
    }

    private static double[] realWeights(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            // Some zeros: a row of weight 0 adds nothing, whatever its values.
            w[i] = r.nextInt(5) == 0 ? 0.0 : 0.1 + 4 * r.nextDouble();
        }
        return w;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("structuresAndAssignments")
    void weightedEStepOnIncompleteRowsMatchesTheDefinition(CovarianceType type, Assignment assignment) {
        GaussianReference.Params p = GaussianReference.randomParams(new SplittableRandom(41), type, 3, 3, 2.0);
        // 256 + 5 rows: two blocks, the second with 5 rows in 8 lanes.
        Dataset rows = incompleteRows(p, 261, 42);
        double[] w = realWeights(rows.rows(), 43);
        GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 0.0, assignment, null);
        GaussianStatistics s = steps.emptyStatistics(p.model());
        double ll = steps.accumulate(p.model(), rows.withWeights(w), 0, rows.rows(), s);
        MissingValuesTest.assertMatches(s, ll, MissingValuesTest.expectedEStep(rows, p, w, assignment));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("structuresAndAssignments")
    void aWeightedIncompleteRowIsThatManyCopiesOfIt(CovarianceType type, Assignment assignment) {
        GaussianReference.Params truth = GaussianReference.randomParams(new SplittableRandom(51), type, 3, 3, 3.0);
        Dataset rows = incompleteRows(truth, 300, 52);
        double[] w = SampleWeightsTest.integerWeights(rows.rows(), 53);
        Dataset repeated = SampleWeightsTest.expand(rows, w);
        GaussianMixtureModel start = GaussianReference.randomParams(new SplittableRandom(54), type, 3, 3, 2.0).model();
        GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(type).assignment(assignment)
                .initialModel(start).tolerance(0).maxIterations(15).threads(2);
        EmResult<GaussianMixtureModel> a = config.fit(rows.withWeights(w));
        EmResult<GaussianMixtureModel> b = config.fit(repeated);
        double rel = 1e-10;
        assertThat(a.trace()).hasSize(b.trace().length);
        for (int t = 0; t < a.trace().length; t++) {
            assertThat(a.trace()[t]).as("objective at iteration %d", t)
                    .isCloseTo(b.trace()[t], within(rel * Math.abs(b.trace()[t])));
        }
        GaussianMixtureModel ma = a.params();
        GaussianMixtureModel mb = b.params();
        for (int c = 0; c < 3; c++) {
            assertThat(ma.weights()[c]).isCloseTo(mb.weights()[c], within(rel));
            assertThat(ma.mean(c)).containsExactly(mb.mean(c), within(rel * 10));
            double[][] ca = ma.covariance(c);
            double[][] cb = mb.covariance(c);
            for (int j = 0; j < 3; j++) {
                assertThat(ca[j]).as("covariance %d, row %d", c, j).containsExactly(cb[j], within(rel * 10));
            }
        }
        if (assignment == Assignment.SOFT) {
            // The objective is Σ w log p(x_o) under the returned parameters, computed from the marginals.
            double direct = 0;
            for (int i = 0; i < rows.rows(); i++) {
                double[] row = rows.row(i);
                if (w[i] > 0 && Arrays.stream(row).anyMatch(v -> !Double.isNaN(v))) {
                    direct += w[i] * GaussianReference.logSumExp(MissingValuesTest.marginalLogJoint(row,
                            new GaussianReference.Params(ma, ma.weights(), ma.means(), ma.covariances())));
                }
            }
            assertThat(a.logLikelihood()).isCloseTo(direct, within(1e-9 * Math.abs(direct)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CovarianceType.class)
    void classificationLogLikelihoodNeverDecreasesWithMissingCells(CovarianceType type) {
        Dataset data = MissingValuesTest.removeCells(MissingValuesTest.recoveryData(61, 500), 0.2, 62);
        double[] w = realWeights(data.rows(), 63);
        Dataset weighted = data.withWeights(w);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).covarianceType(type)
                .assignment(Assignment.HARD).regCovar(0).tolerance(0).maxIterations(25).seed(7).fit(weighted);
        // The guarantee is for proper M-steps: a component emptied or collapsed (kept, or jittered to stay
        // positive definite) steps outside it, so this start is one where none is.
        assertThat(fit.warnings()).isEmpty();
        double[] trace = fit.trace();
        for (int t = 1; t < trace.length; t++) {
            assertThat(trace[t]).as("iteration %d of %s", t, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
        }
        assertThat(trace[trace.length - 1]).as("CEM improved on its start").isGreaterThan(trace[0]);
        // The objective is Σ w max_c (log π_c + log N(x_o | μ_c,o, Σ_c,oo)) under the returned parameters.
        GaussianMixtureModel m = fit.params();
        GaussianReference.Params p = new GaussianReference.Params(m, m.weights(), m.means(), m.covariances());
        double direct = 0;
        for (int i = 0; i < data.rows(); i++) {
            double[] row = data.row(i);
            if (w[i] > 0 && Arrays.stream(row).anyMatch(v -> !Double.isNaN(v))) {
                direct += w[i] * Arrays.stream(MissingValuesTest.marginalLogJoint(row, p)).max().orElseThrow();
            }
        }
        assertThat(fit.logLikelihood()).isCloseTo(direct, within(1e-9 * Math.abs(direct)));
    }

    /** Mini-batch EM runs the same E-step on its batches: with missing cells it ends near full EM too. */
    @Test
    void miniBatchEmWithMissingCellsEndsNearFullEm() {
        Dataset data = MissingValuesTest.removeCells(MissingValuesTest.recoveryData(71, 20_000), 0.15, 72);
        GaussianMixture config = GaussianMixture.withComponents(3);
        double full = config.tolerance(1e-7).maxIterations(300).fit(data).meanLogLikelihood();
        EmResult<GaussianMixtureModel> online = config.miniBatch(MiniBatch.ofSize(1000).passes(2)).fit(data);
        assertThat(online.iterations()).isEqualTo(40);
        assertThat(online.meanLogLikelihood()).isCloseTo(full, within(0.002));
        assertThat(online.params().logLikelihood(data) / data.rows()).isCloseTo(online.meanLogLikelihood(),
                within(1e-9));
    }
}
