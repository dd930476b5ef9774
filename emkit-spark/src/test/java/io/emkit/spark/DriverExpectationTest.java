package io.emkit.spark;

import io.emkit.data.Dataset;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.PartitionSteps;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianStatistics;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The driver's E-step for the search ({@link SparkFit#onDriver}), without Spark: the rows in parts of
 * {@value SparkFit#DRIVER_PART_ROWS} made at once on the common pool, against the same parts made one after another
 * on this thread and merged in order.
 */
class DriverExpectationTest {
    /** 20,000 rows of 3 columns (three parts, the last short), some weighted 0. */
    private static Dataset rows(boolean weighted) {
        SplittableRandom r = new SplittableRandom(5);
        double[][] x = new double[20_000][3];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = r.nextInt(3);
            for (int j = 0; j < 3; j++) {
                x[i][j] = 4 * c * (j + 1) + r.nextGaussian();
            }
            // The whole second part weighs nothing: it must add nothing, as a partition of such rows adds nothing.
            w[i] = i >= SparkFit.DRIVER_PART_ROWS && i < 2 * SparkFit.DRIVER_PART_ROWS ? 0 : 1 + r.nextInt(3);
        }
        Dataset data = Dataset.of(x);
        return weighted ? data.withWeights(w) : data;
    }

    @Test
    void thePartsMadeAtOnceGiveTheBitsOfThePartsMadeInTurn() {
        for (boolean weighted : new boolean[] {false, true}) {
            Dataset data = rows(weighted);
            GaussianMixture config = GaussianMixture.withComponents(3).seed(2);
            PartitionSteps<GaussianMixtureModel, GaussianStatistics> kernel = config.distributed().steps();
            GaussianMixtureModel params = config.fit(data).params();
            Expectation<GaussianStatistics> atOnce = SparkFit.onDriver(kernel, data).run(params);
            Expectation<GaussianStatistics> again = SparkFit.onDriver(kernel, data).run(params);

            GaussianStatistics inTurn = null;
            double logLikelihood = 0;
            for (int from = 0; from < data.rows(); from += SparkFit.DRIVER_PART_ROWS) {
                Dataset part = data.slice(from, Math.min(data.rows(), from + SparkFit.DRIVER_PART_ROWS));
                GaussianStatistics s = kernel.emptyStatistics(params);
                if (!part.isWeighted() || part.totalWeight() > 0) {
                    logLikelihood += kernel.accumulatePartition(params, part, from, s);
                }
                if (inTurn == null) {
                    inTurn = s;
                } else {
                    inTurn.merge(s);
                }
            }
            assertThat(atOnce.logLikelihood()).isEqualTo(logLikelihood).isEqualTo(again.logLikelihood());
            assertThat(atOnce.statistics().componentWeights()).containsExactly(inTurn.componentWeights());
            for (int c = 0; c < 3; c++) {
                assertThat(atOnce.statistics().mean(c)).containsExactly(inTurn.mean(c));
                assertThat(atOnce.statistics().scatter(c)).containsExactly(inTurn.scatter(c));
            }
            // And what a single pass over every row gives, to rounding: the zero-weight part added nothing.
            GaussianStatistics whole = kernel.emptyStatistics(params);
            double all = kernel.accumulatePartition(params, data, 0, whole);
            assertThat(atOnce.logLikelihood()).isCloseTo(all, within(1e-9 * Math.abs(all)));
            assertThat(atOnce.statistics().totalWeight()).isCloseTo(whole.totalWeight(),
                    within(1e-9 * whole.totalWeight()));
            assertThat(Arrays.stream(atOnce.statistics().componentWeights()).sum()).isPositive();
        }
    }
}
