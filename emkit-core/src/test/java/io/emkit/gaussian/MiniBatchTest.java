package io.emkit.gaussian;

import io.emkit.em.MiniBatch;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.CsvOptions;
import io.emkit.data.Dataset;
import io.emkit.data.EmkFile;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Mini-batch (stepwise) EM: the re-centring of statistics against direct accumulation, the documented
 * schedule against a hand-written recursion, and on data with known parameters a single pass that ends
 * close to full EM and recovers the parameters; determinism across threads and the out-of-core path.
 */
class MiniBatchTest {
    private static final double[] WEIGHTS = {0.3, 0.3, 0.4};
    private static final double[][] MEANS = {{0, 0, 0}, {4, 0, 1}, {0, 5, -2}};
    private static final double[][][] COVS = {
        {{1, 0.2, 0}, {0.2, 1, 0}, {0, 0, 1}},
        {{0.5, 0, 0}, {0, 2, 0.3}, {0, 0.3, 1}},
        {{1, 0, 0.4}, {0, 1, 0}, {0.4, 0, 2}}};

    @TempDir
    Path dir;

    private static Dataset synthetic(int n) {
        return TestData.drawMixture(11, n, WEIGHTS, MEANS, COVS);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG"})
    void recentringEqualsAccumulatingAboutTheNewShift(CovarianceType type) {
        boolean full = type == CovarianceType.FULL;
        int k = 2;
        int d = 3;
        int n = 700;
        SplittableRandom r = new SplittableRandom(5);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1000 + 3 * r.nextGaussian();
        }
        double[] resp = new double[n * k];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            resp[i * k] = u;
            resp[i * k + 1] = 1 - u;
        }
        double[] a = new double[k * d];
        double[] b = new double[k * d];
        for (int i = 0; i < k * d; i++) {
            a[i] = 1000 + r.nextGaussian();
            b[i] = 990 + 5 * r.nextGaussian();
        }
        GaussianStatistics moved = new GaussianStatistics(k, d, full, a);
        moved.addWeighted(x, 0, n, resp);
        moved.recentre(b);
        // The reference: sums written out directly about b, one row at a time.
        double[] n1 = new double[k];
        double[] m1 = new double[k * d];
        double[] m2 = new double[k * d * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double w = resp[i * k + c];
                n1[c] += w;
                for (int p = 0; p < d; p++) {
                    double zp = x[i * d + p] - b[c * d + p];
                    m1[c * d + p] += w * zp;
                    for (int q = 0; q < d; q++) {
                        m2[c * d * d + p * d + q] += w * zp * (x[i * d + q] - b[c * d + q]);
                    }
                }
            }
        }
        assertThat(moved.shift).containsExactly(b);
        assertThat(moved.weight).containsExactly(n1, within(1e-9));
        for (int i = 0; i < k * d; i++) {
            assertThat(moved.first[i]).isCloseTo(m1[i], within(1e-9 * n * 15));
        }
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < d; p++) {
                for (int q = full ? p : p; q < (full ? d : p + 1); q++) {
                    double got = full ? moved.second[c * d * d + p * d + q] : moved.second[c * d + p];
                    double want = m2[c * d * d + p * d + q];
                    assertThat(got).as("component %d, (%d, %d)", c, p, q)
                            .isCloseTo(want, within(1e-10 * Math.abs(want) + 1e-6));
                }
            }
        }
    }

    @Test
    void theScheduleIsTheDocumentedOne() {
        MiniBatch m = MiniBatch.ofSize(10).stepExponent(0.75);
        assertThat(m.stepSize(0)).isCloseTo(1 / Math.pow(2, 0.75), within(1e-15));
        assertThat(m.stepSize(7)).isCloseTo(1 / Math.pow(9, 0.75), within(1e-15));
        assertThat(MiniBatch.ofSize(10).stepSize(2)).isCloseTo(Math.pow(4, -0.6), within(1e-15));
        assertThat(MiniBatch.ofSize(1).stepExponent(1.0).stepSize(98)).isEqualTo(0.01);
        assertThatThrownBy(() -> MiniBatch.ofSize(10).stepExponent(0.5)).isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> MiniBatch.ofSize(10).stepExponent(1.01)).isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> MiniBatch.ofSize(0)).isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> MiniBatch.ofSize(5).passes(0)).isInstanceOf(EmkitException.class);
    }

    /**
     * With one component every responsibility is 1, so stepwise EM's mean and second moment follow the
     * recursion {@code v ← (1 − η_t) v + η_t (batch average)} from the starting model's; the test runs
     * that recursion by hand on raw (uncentred) moments and compares.
     */
    @Test
    void oneComponentFollowsTheRunningAverageOfTheSchedule() {
        int n = 1003;
        int d = 2;
        SplittableRandom r = new SplittableRandom(3);
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            rows[i][0] = 5 + r.nextGaussian();
            rows[i][1] = -2 + 0.5 * r.nextGaussian() + 0.3 * rows[i][0];
        }
        Dataset data = Dataset.of(rows);
        double reg = 1e-6;
        double[] mu0 = {1, 1};
        double[][] sigma0 = {{2, 0.5}, {0.5, 3}};
        GaussianMixtureModel start = GaussianMixtureModel.full(new double[] {1}, new double[][] {mu0},
                new double[][][] {sigma0});
        MiniBatch schedule = MiniBatch.ofSize(100).stepExponent(0.7).passes(2);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(1).initialModel(start).regCovar(reg)
                .miniBatch(schedule).fit(data);

        double[] mean = mu0.clone();
        double[][] raw = new double[d][d];
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                raw[p][q] = sigma0[p][q] - (p == q ? reg : 0) + mu0[p] * mu0[q];
            }
        }
        int batches = 11; // ⌈1003 / 100⌉, of 91 or 92 rows
        int t = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int b = 0; b < batches; b++) {
                int from = b * n / batches;
                int to = (b + 1) * n / batches;
                double eta = Math.pow(t + 2, -0.7);
                for (int p = 0; p < d; p++) {
                    double avg = 0;
                    for (int i = from; i < to; i++) {
                        avg += rows[i][p];
                    }
                    mean[p] = (1 - eta) * mean[p] + eta * avg / (to - from);
                    for (int q = 0; q < d; q++) {
                        double m2 = 0;
                        for (int i = from; i < to; i++) {
                            m2 += rows[i][p] * rows[i][q];
                        }
                        raw[p][q] = (1 - eta) * raw[p][q] + eta * m2 / (to - from);
                    }
                }
                t++;
            }
        }
        GaussianMixtureModel got = fit.params();
        assertThat(fit.iterations()).isEqualTo(22);
        assertThat(fit.trace()).hasSize(23);
        assertThat(got.mean(0)).containsExactly(mean, within(1e-10));
        double[][] cov = got.covariance(0);
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                double want = raw[p][q] - mean[p] * mean[q] + (p == q ? reg : 0);
                assertThat(cov[p][q]).as("(%d, %d)", p, q).isCloseTo(want, within(1e-9));
            }
        }
        // The reported log-likelihood is the fitted model's own, over every row.
        assertThat(fit.logLikelihood()).isCloseTo(got.score(data) * n, within(1e-8 * n));
    }

    /**
     * One pass over 200,000 rows in 100 batches of 2000 ends within 0.001 nats per row of full EM's
     * log-likelihood (full EM run to a tolerance of 1e-8), and recovers the generating parameters.
     */
    @Test
    void onePassComesCloseToFullEmAndRecoversTheParameters() {
        int n = 200_000;
        Dataset data = synthetic(n);
        EmResult<GaussianMixtureModel> full = GaussianMixture.withComponents(3).tolerance(1e-8).maxIterations(500)
                .fit(data);
        EmResult<GaussianMixtureModel> online = GaussianMixture.withComponents(3)
                .miniBatch(MiniBatch.ofSize(2000)).fit(data);
        assertThat(online.iterations()).isEqualTo(100);
        assertThat(online.meanLogLikelihood()).isCloseTo(full.meanLogLikelihood(), within(0.001));
        assertThat(online.meanLogLikelihood()).isLessThanOrEqualTo(full.meanLogLikelihood() + 1e-9);
        GaussianMixtureModel m = online.params();
        for (int truth = 0; truth < 3; truth++) {
            int c = nearest(m, MEANS[truth]);
            assertThat(m.weights()[c]).isCloseTo(WEIGHTS[truth], within(0.01));
            assertThat(m.mean(c)).containsExactly(MEANS[truth], within(0.05));
            double[][] cov = m.covariance(c);
            for (int p = 0; p < 3; p++) {
                assertThat(cov[p]).containsExactly(COVS[truth][p], within(0.1));
            }
        }
    }

    /** Every structure's M-step works from the running statistics: two passes end within 0.001 nats per row of full EM. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void everyStructureEndsNearFullEm(CovarianceType type) {
        Dataset data = synthetic(40_000);
        GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(type);
        double full = config.tolerance(1e-7).maxIterations(300).fit(data).meanLogLikelihood();
        EmResult<GaussianMixtureModel> online = config.miniBatch(MiniBatch.ofSize(1000).passes(2)).fit(data);
        assertThat(online.meanLogLikelihood()).isCloseTo(full, within(0.001));
        assertThat(online.params().covarianceType()).isEqualTo(type);
    }

    @Test
    void sameSeedSameResultForAnyThreadCount() {
        Dataset data = synthetic(30_000);
        GaussianMixture config = GaussianMixture.withComponents(3).seed(4).initializations(2)
                .miniBatch(MiniBatch.ofSize(1500).shuffled(true).passes(2));
        EmResult<GaussianMixtureModel> one = config.threads(1).fit(data);
        EmResult<GaussianMixtureModel> two = config.threads(2).fit(data);
        EmResult<GaussianMixtureModel> three = config.threads(3).fit(data);
        assertThat(two.params()).isEqualTo(one.params());
        assertThat(three.params()).isEqualTo(one.params());
        assertThat(two.trace()).containsExactly(one.trace());
        // The shuffle is the seed's: another seed visits the rows in another order.
        EmResult<GaussianMixtureModel> otherSeed = config.seed(5).fit(data);
        assertThat(otherSeed.trace()).isNotEqualTo(one.trace());
        // Shuffled and ordered runs start from the same parameters (the order stream is split off first).
        EmResult<GaussianMixtureModel> ordered = config.miniBatch(MiniBatch.ofSize(1500).passes(2)).fit(data);
        assertThat(ordered.trace()).isNotEqualTo(one.trace());
    }

    @Test
    void aMappedFileGivesTheInMemoryResultBitForBit() throws IOException {
        Dataset data = synthetic(20_000);
        Path p = dir.resolve("data.emk");
        try (OutputStream out = Files.newOutputStream(p)) {
            EmkFile.write(data, out);
        }
        GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(CovarianceType.VEV)
                .miniBatch(MiniBatch.ofSize(999).shuffled(true));
        EmResult<GaussianMixtureModel> inMemory = config.fit(data);
        EmResult<GaussianMixtureModel> mapped = config.fit(EmkFile.map(p, CsvOptions.defaults()));
        assertThat(mapped.params()).isEqualTo(inMemory.params());
        assertThat(mapped.trace()).containsExactly(inMemory.trace());
    }

    private static int nearest(GaussianMixtureModel m, double[] mean) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int c = 0; c < m.components(); c++) {
            double dist = 0;
            for (int j = 0; j < mean.length; j++) {
                double diff = m.mean(c)[j] - mean[j];
                dist += diff * diff;
            }
            if (dist < bestDistance) {
                bestDistance = dist;
                best = c;
            }
        }
        return best;
    }
}
