package io.emkit.gaussian;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Repairs of components the data do not support ({@link SearchSpace#repairs}): the loss a component is judged by
 * is the log-likelihood lost without it (checked by brute force), a fit whose every component is supported gets
 * none, a near-spurious component is merged away and another split, and searches on a sample that missed the
 * optimum EM reaches from the generating parameters reach it.
 */
class RepairsTest {

    private static final double[][] CENTRES = {{0, 0}, {6, 0}, {0, 6}, {6, 6}};

    /** Four well-separated round 2-D clusters of 3,000, 3,000, 3,000 and 600 rows. */
    private static Dataset fourClusters() {
        SplittableRandom random = new SplittableRandom(3);
        int[] sizes = {3000, 3000, 3000, 600};
        int n = 0;
        for (int size : sizes) {
            n += size;
        }
        double[][] rows = new double[n][];
        int i = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int j = 0; j < sizes[c]; j++, i++) {
                rows[i] = new double[] {CENTRES[c][0] + random.nextGaussian(), CENTRES[c][1] + random.nextGaussian()};
            }
        }
        return Dataset.of(rows);
    }

    private static double logLikelihood(GaussianMixtureModel model, Dataset data) {
        double sum = 0;
        for (double v : model.scoreSamples(data)) {
            sum += v;
        }
        return sum;
    }

    /**
     * A fit that puts a component of a few dozen rows inside the first cluster and one component over the second
     * and fourth clusters (between them): the tiny component is the unsupported one.
     */
    private static GaussianMixtureModel tinyComponentAndOneOverTwo() {
        double[][] identity = {{1, 0}, {0, 1}};
        return GaussianMixtureModel.full(new double[] {0.31, 0.3766, 0.31, 0.0034},
                new double[][] {{0, 0}, {6, 1}, {0, 6}, {0.5, 0.5}},
                new double[][][] {identity, {{1.2, 0}, {0, 6}}, identity, {{0.05, 0}, {0, 0.05}}});
    }

    @Test
    void aComponentsLossIsTheLogLikelihoodLostWithoutIt() {
        Dataset data = fourClusters();
        GaussianMixtureModel model = tinyComponentAndOneOverTwo();
        double[] losses = SplitMergeMoves.losses(model, data);
        double whole = logLikelihood(model, data);
        for (int c = 0; c < model.components(); c++) {
            int k = model.components() - 1;
            double[] weights = new double[k];
            double[][] means = new double[k][];
            double[][][] covariances = new double[k][][];
            for (int j = 0, at = 0; j < model.components(); j++) {
                if (j != c) {
                    weights[at] = model.weights()[j] / (1 - model.weights()[c]);
                    means[at] = model.mean(j);
                    covariances[at++] = model.covariance(j);
                }
            }
            double without = logLikelihood(GaussianMixtureModel.full(weights, means, covariances), data);
            assertThat(losses[c]).as("component %d", c).isCloseTo(whole - without, within(1e-9 * Math.abs(whole)));
        }
    }

    @Test
    void aNearSpuriousComponentIsMergedAwayAndAnotherSplit() {
        Dataset data = fourClusters();
        GaussianMixture mixture = GaussianMixture.withComponents(4);
        SearchSpace<GaussianMixtureModel> space = mixture.searchSpace(data);
        GaussianMixtureModel stuck = tinyComponentAndOneOverTwo();
        double[] losses = SplitMergeMoves.losses(stuck, data);
        // BIC's price of a full 2-D component on 9,600 rows: 6 parameters, ln(9,600) / 2 each.
        assertThat(losses[3]).isLessThan(3 * Math.log(9600));
        for (int c = 0; c < 3; c++) {
            assertThat(losses[c]).isGreaterThan(3 * Math.log(9600));
        }
        List<GaussianMixtureModel> repairs = space.repairs(stuck, 4);
        assertThat(repairs).isNotEmpty().hasSizeLessThanOrEqualTo(4);
        double fromStuck = mixture.initialModel(stuck).tolerance(1e-10).fit(data).logLikelihood();
        double fromRepair = mixture.initialModel(repairs.get(0)).tolerance(1e-10).fit(data).logLikelihood();
        assertThat(fromRepair).isGreaterThan(fromStuck + 100);
        // From the repair, EM reaches what it reaches from the generating parameters.
        GaussianMixtureModel truth = GaussianMixtureModel.full(new double[] {3000 / 9600.0, 3000 / 9600.0,
                3000 / 9600.0, 600 / 9600.0}, CENTRES, new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}},
                {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
        double fromTruth = mixture.initialModel(truth).tolerance(1e-10).fit(data).logLikelihood();
        assertThat(fromRepair).isCloseTo(fromTruth, within(1e-7 * Math.abs(fromTruth)));
    }

    @Test
    void aFitWhoseEveryComponentIsSupportedGetsNoRepair() {
        Dataset data = fourClusters();
        GaussianMixture mixture = GaussianMixture.withComponents(4);
        EmResult<GaussianMixtureModel> fit = mixture.seed(1).fit(data);
        assertThat(fit.search().repairsTried()).isZero();
        assertThat(mixture.searchSpace(data).repairs(fit.params(), 4)).isEmpty();
        // Nor under a prior, whose objective is not the likelihood the losses are part of.
        assertThat(mixture.prior(GaussianPrior.defaults()).searchSpace(data).repairs(tinyComponentAndOneOverTwo(), 4))
                .isEmpty();
    }

    /**
     * A thin component — fewer rows than parameters of its own — is offered for repair even where BIC keeps it (its
     * loss above BIC's price), and the race keeps it where it is real: four clusters of 400 rows in 10 dimensions
     * and a tight clump of 12 rows far from them, K = 5 (a full 10-D component has 66 parameters).
     */
    @Test
    void aThinComponentIsOfferedForRepairAndKeptWhereItIsReal() {
        SplittableRandom random = new SplittableRandom(11);
        int d = 10;
        double[][] rows = new double[4 * 400 + 12][d];
        for (int i = 0; i < rows.length; i++) {
            int cluster = i < 1600 ? i / 400 : 4;
            double spread = cluster == 4 ? 0.05 : 1.0;
            for (int j = 0; j < d; j++) {
                rows[i][j] = (j == cluster % d ? 8.0 * (cluster + 1) : 0.0) + spread * random.nextGaussian();
            }
        }
        Dataset data = Dataset.of(rows);
        GaussianMixture mixture = GaussianMixture.withComponents(5);
        EmResult<GaussianMixtureModel> fit = mixture.seed(0).fit(data);
        GaussianMixtureModel model = fit.params();
        int thin = 0;
        for (int c = 1; c < 5; c++) {
            if (model.weights()[c] < model.weights()[thin]) {
                thin = c;
            }
        }
        assertThat(model.weights()[thin] * rows.length).isCloseTo(12, within(0.5));
        double price = 0.5 * 66 * Math.log(rows.length);
        assertThat(SplitMergeMoves.losses(model, data)[thin]).isGreaterThan(price);
        assertThat(mixture.searchSpace(data).repairs(model, 4)).isNotEmpty();
        assertThat(fit.search().repairsTried()).isPositive();
        assertThat(fit.search().repairsAccepted()).isZero();
    }

    /**
     * On more rows than the moves look at ({@code SplitMergePlan.MAX_ROWS}, sampled), a move leaves the components it
     * does not touch as they were: 80,000 rows in 10 dimensions, four clusters of 19,988 rows and two clumps of 24 far
     * apart, K = 6. Each clump keeps about 6 of the 20,000 rows looked at, too few to estimate a 10-D covariance from:
     * re-estimated there, the clump that is not moved collapsed, and every repair and split/merge candidate started
     * spurious (the search's race then ranked them below every proper fit).
     */
    @Test
    void aMoveOnASampleOfTheRowsKeepsTheComponentsItDoesNotTouch() {
        SplittableRandom random = new SplittableRandom(17);
        int d = 10;
        int[] sizes = {19_988, 19_988, 19_988, 19_988, 24, 24};
        int n = 80_000;
        double[][] rows = new double[n][d];
        double[][] means = new double[sizes.length][d];
        for (int c = 0; c < sizes.length; c++) {
            means[c][c] = 10.0 * (c + 1);
        }
        for (int c = 0, i = 0; c < sizes.length; c++) {
            for (int j = 0; j < sizes[c]; j++, i++) {
                for (int t = 0; t < d; t++) {
                    rows[i][t] = means[c][t] + random.nextGaussian();
                }
            }
        }
        Dataset data = Dataset.of(rows);
        double[][][] covariances = new double[sizes.length][d][d];
        double[] weights = new double[sizes.length];
        for (int c = 0; c < sizes.length; c++) {
            weights[c] = sizes[c] / (double) n;
            for (int t = 0; t < d; t++) {
                covariances[c][t][t] = 1;
            }
        }
        GaussianMixture mixture = GaussianMixture.withComponents(6);
        GaussianMixtureModel fitted = mixture.initialModel(GaussianMixtureModel.full(weights, means, covariances))
                .fit(data).params();
        SearchSpace<GaussianMixtureModel> space = mixture.searchSpace(data);
        assertThat(space.spurious(fitted)).isFalse();
        List<GaussianMixtureModel> repairs = space.repairs(fitted, 4);
        List<GaussianMixtureModel> moves = space.splitMerge(fitted, 4);
        assertThat(repairs).isNotEmpty();
        assertThat(moves).isNotEmpty();
        for (GaussianMixtureModel moved : concat(repairs, moves)) {
            assertThat(space.spurious(moved)).as(moved.spuriousReason(1e-6)).isFalse();
            // Three components moved (two merged, one split); the three others exactly as fitted.
            int same = 0;
            for (int c = 0; c < 6; c++) {
                same += java.util.Arrays.equals(moved.mean(c), fitted.mean(c))
                        && java.util.Arrays.deepEquals(moved.covariance(c), fitted.covariance(c))
                        && moved.weights()[c] == fitted.weights()[c] ? 1 : 0;
            }
            assertThat(same).isEqualTo(3);
            assertThat(java.util.Arrays.stream(moved.weights()).sum()).isCloseTo(1, within(1e-12));
        }
    }

    private static List<GaussianMixtureModel> concat(List<GaussianMixtureModel> a, List<GaussianMixtureModel> b) {
        List<GaussianMixtureModel> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * 50,000 rows in 8 dimensions from 10 overlapping components, the smallest of 674 (seed 3) or 782 rows (seed 5):
     * explored on a 10,000-row sample, the search's answer before the race of moves and the repairs ended 402 and
     * 629 nats below the optimum EM reaches from the generating parameters; now it reaches it (the same bits on 1
     * and 2 threads at seed 24). Seed 42: the sample's fit had no unsupported component, the run on all the
     * rows converged to one, and the search ended 872 nats below that optimum until converged fits were checked for
     * repairs whichever way they were reached. Seeds 3 and 42 needed a repair kept on all the rows until the
     * split/merge moves tried the likeliest merge with its four likeliest splits (session 28). Seeds 16 and 24 ended
     * 75.5 and 116.6 nats below that optimum until the sample's winner was continued for at most
     * {@code SAMPLE_CONTINUATION_ITERATIONS} there, not to the sample's convergence (session 29). Seed 24 keeps a
     * repair on all the rows (seed 8 did until moves raced the sample's continued fit, session 30).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {3, 5, 8, 16, 24, 42})
    void aSearchOnASampleReachesTheOptimumFromTheTruth(long seed) {
        GaussianMixtureModel truth = DrawnMixtures.randomTruth(8, 10, seed);
        Dataset data = DrawnMixtures.draw(truth, 50_000, seed + 1000);
        double fromTruth = DrawnMixtures.optimumFromTruth(truth, data);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(10).seed(0).threads(2).fit(data);
        assertThat(fit.search().sampleRows()).isEqualTo(10_000);
        assertThat(fit.logLikelihood()).isGreaterThan(fromTruth - 1e-8 * Math.abs(fromTruth));
        if (seed == 24) {
            assertThat(fit.search().repairsAccepted()).isPositive();
            assertThat(fit.search().summary()).contains("repairs of unsupported components accepted");
        }
        if (seed == 24) {
            // One thread for the seed whose answer needs a repair: same bits (SearchOnSampleTest checks a search on a
            // sample without one on 1, 2 and 3 threads, ConcurrentStartsTest every kind of fit).
            EmResult<GaussianMixtureModel> one = GaussianMixture.withComponents(10).seed(0).threads(1).fit(data);
            assertThat(one.params()).isEqualTo(fit.params());
            assertThat(one.search()).isEqualTo(fit.search());
        }
    }

    /**
     * 100,000 rows in 8 dimensions from 14 overlapping components, explored on a sample of a tenth of them: the
     * race of moves from the best short run, its winner continued, still had two components sharing a cluster,
     * and the fit ended 279 nats below the optimum EM reaches from the generating parameters until the continued
     * winner faced moves of its own (session 30; the same kind of miss as the million-row whole-job file's).
     */
    @Test
    void aSampleATenthOfTheRowsMovesFromItsContinuedFit() {
        reachesTheOptimumFromTheTruth(8, 14, 7, 100_000, 10_000);
    }

    /**
     * 60,000 rows in 12 dimensions from 12 components, explored on a sample of 10,910: the fit had one component
     * over two clusters of about 3,000 and 1,100 rows and one of 171 rows inside a cluster of 24,000, and ended
     * 1,319 nats below the optimum EM reaches from the generating parameters. The kurtosis ranked the covering
     * component sixth for a split; the trial splits, made on at most 5,000 rows looked at until session 30 (the
     * sample's moves look at all its 10,910), rank it first.
     */
    @Test
    void onASampleTheTrialSplitsFindTheComponentOverTwoClusters() {
        reachesTheOptimumFromTheTruth(12, 12, 5, 60_000, 10_910);
    }

    /**
     * The default fit of rows drawn from {@link DrawnMixtures#randomTruth} (data seed {@code seed}, the rows from
     * {@code seed + 1000}) explores on a sample of {@code sampleRows} and reaches the optimum from the truth.
     */
    private static void reachesTheOptimumFromTheTruth(int d, int k, long seed, int rows, int sampleRows) {
        GaussianMixtureModel truth = DrawnMixtures.randomTruth(d, k, seed);
        Dataset data = DrawnMixtures.draw(truth, rows, seed + 1000);
        double fromTruth = DrawnMixtures.optimumFromTruth(truth, data);
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(k).seed(0).fit(data);
        assertThat(fit.search().sampleRows()).isEqualTo(sampleRows);
        assertThat(fit.logLikelihood()).isGreaterThan(fromTruth - 1e-8 * Math.abs(fromTruth));
    }
}
