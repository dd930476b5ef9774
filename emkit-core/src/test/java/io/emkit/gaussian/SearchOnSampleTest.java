package io.emkit.gaussian;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On big data the search explores on a random sample of the rows and runs only its best fit on all of them:
 * the answer must still be the data's optimum — here the fit EM reaches from the generating parameters, an
 * independent reference — and the same bits for any thread count; small data are searched whole.
 */
class SearchOnSampleTest {

    private static final double[][] CENTRES = {{0, 0, 0}, {4, 0, 0}, {0, 4, 0}, {0, 0, 4}, {4, 4, 4}, {2, 2, 2}};
    private static final double[] WEIGHTS = {0.35, 0.2, 0.15, 0.12, 0.1, 0.08};
    private static final double[] SCALES = {1.0, 0.7, 0.9, 0.6, 1.1, 0.5};

    /** Rows of six overlapping 3-D clusters of unequal size and spread, sorted by cluster (as files often are). */
    static Dataset sixClusters(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[n][];
        int i = 0;
        for (int c = 0; c < CENTRES.length; c++) {
            int size = c == CENTRES.length - 1 ? n - i : (int) Math.round(WEIGHTS[c] * n);
            for (int j = 0; j < size; j++, i++) {
                rows[i] = new double[3];
                for (int f = 0; f < 3; f++) {
                    rows[i][f] = CENTRES[c][f] + SCALES[c] * random.nextGaussian();
                }
            }
        }
        return Dataset.of(rows);
    }

    /** EM from the parameters that generated the data, to a tight tolerance. */
    static double fromTheTruth(Dataset data) {
        double[][][] covariances = new double[CENTRES.length][][];
        for (int c = 0; c < CENTRES.length; c++) {
            double v = SCALES[c] * SCALES[c];
            covariances[c] = new double[][] {{v, 0, 0}, {0, v, 0}, {0, 0, v}};
        }
        GaussianMixtureModel truth = GaussianMixtureModel.full(WEIGHTS, CENTRES, covariances);
        return GaussianMixture.withComponents(CENTRES.length).initialModel(truth).tolerance(1e-12)
                .maxIterations(5000).fit(data).logLikelihood();
    }

    @Test
    void bigDataAreExploredOnASampleAndStillReachTheOptimum() {
        Dataset data = sixClusters(60_000, 11);
        double reference = fromTheTruth(data);
        EmResult<GaussianMixtureModel> one = GaussianMixture.withComponents(6).seed(2).threads(1).fit(data);
        Search.Report r = one.search();
        assertThat(r.sampleRows()).as("explored on a sample").isEqualTo(10_000);
        assertThat(r.summary()).contains("on a random sample of 10,000 rows");
        // The reported log-likelihood is that of all 60,000 rows, converged to the default tolerance.
        assertThat(one.converged()).isTrue();
        assertThat(one.logLikelihood()).isGreaterThan(reference - 1e-8 * 60_000);
        for (int threads : new int[] {2, 3}) {
            EmResult<GaussianMixtureModel> other = GaussianMixture.withComponents(6).seed(2).threads(threads).fit(data);
            assertThat(other.params()).isEqualTo(one.params());
            assertThat(other.search()).isEqualTo(r);
        }
    }

    /**
     * k-means explores on a sample too: it must end in the basin of Lloyd's iterations from the generating
     * centres (an independent start): its centroids, run on to Lloyd's fixed point, give that inertia or a lower
     * one; its own inertia is within the default tolerance of it (the run stops once an iteration lowers the
     * inertia by less than 1e-6 of itself, here 5e-8 short of the fixed point).
     */
    @Test
    void kMeansOnBigDataReachesTheInertiaOfTheTrueCentres() {
        Dataset data = sixClusters(60_000, 13);
        double fromTruth = io.emkit.kmeans.KMeans.withClusters(6).refine(data,
                io.emkit.kmeans.KMeansModel.ofFlat(flatten(CENTRES), 6, 3, data.columnNames())).objective();
        EmResult<io.emkit.kmeans.KMeansModel> fit = io.emkit.kmeans.KMeans.withClusters(6).seed(4).fit(data);
        assertThat(fit.search().sampleRows()).isEqualTo(10_000);
        // The objective is minus the inertia.
        double fixedPoint = io.emkit.kmeans.KMeans.withClusters(6).tolerance(1e-300).maxIterations(100_000)
                .refine(data, fit.params()).objective();
        assertThat(fixedPoint).isGreaterThanOrEqualTo(fromTruth - 1e-9 * Math.abs(fromTruth));
        assertThat(fit.objective()).isGreaterThanOrEqualTo(
                fromTruth - io.emkit.kmeans.KMeans.DEFAULT_TOLERANCE * Math.abs(fromTruth));
        EmResult<io.emkit.kmeans.KMeansModel> three = io.emkit.kmeans.KMeans.withClusters(6).seed(4).threads(3)
                .fit(data);
        assertThat(three.params()).isEqualTo(fit.params());
    }

    private static double[] flatten(double[][] rows) {
        double[] out = new double[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        }
        return out;
    }

    @Test
    void theReportCountsTheSamplesRowsNotItsWeight() {
        Dataset data = sixClusters(60_000, 14);
        double[] twos = new double[data.rows()];
        java.util.Arrays.fill(twos, 2.0);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(6).covarianceType(CovarianceType.DIAG)
                .seed(5).fit(data.withWeights(twos));
        assertThat(fit.search().sampleRows()).isEqualTo(10_000);
    }

    @Test
    void smallDataAreSearchedWhole() {
        Dataset data = sixClusters(30_000, 12);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(6).covarianceType(CovarianceType.DIAG)
                .seed(1).fit(data);
        assertThat(fit.search().sampleRows()).isZero();
        assertThat(fit.search().summary()).doesNotContain("sample");
    }

    @Test
    void aRandomSubsetTakesEachRowEquallyOftenAndKeepsTheOrder() {
        double[][] rows = new double[10][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i};
        }
        Dataset data = Dataset.of(rows).withWeights(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        int[] seen = new int[10];
        int draws = 20_000;
        for (long seed = 0; seed < draws; seed++) {
            Dataset part = data.randomRows(3, seed);
            assertThat(part.rows()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                int row = (int) part.get(i, 0);
                seen[row]++;
                assertThat(part.weight(i)).isEqualTo(row + 1.0);
                assertThat(i == 0 || part.get(i - 1, 0) < row).as("in order").isTrue();
            }
        }
        // Each row is in a subset with probability 3/10: five standard errors of 20,000 draws.
        for (int count : seen) {
            assertThat(count / (double) draws).isCloseTo(0.3, org.assertj.core.data.Offset.offset(5 * Math.sqrt(0.21 / draws)));
        }
        assertThat(data.randomRows(50, 1).rows()).isEqualTo(10);
    }
}
