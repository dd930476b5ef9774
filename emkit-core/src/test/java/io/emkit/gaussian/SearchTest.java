package io.emkit.gaussian;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine's default search on Gaussian mixtures: it finds the global optimum of a small 1-D mixture for
 * every seed, gives the same bits for any thread count, and its split/merge moves repair the local optimum
 * where two components share one cluster while one covers two.
 */
class SearchTest {

    /** Forty 1-D rows from three overlapping groups of unequal size. */
    static Dataset fortyRows() {
        SplittableRandom random = new SplittableRandom(5);
        double[] x = new double[40];
        for (int i = 0; i < 40; i++) {
            int g = i < 20 ? 0 : i < 32 ? 1 : 2;
            x[i] = (g == 0 ? 0.0 : g == 1 ? 3.0 : 5.5) + (g == 0 ? 1.2 : 0.5) * random.nextGaussian();
        }
        double[][] rows = new double[40][];
        for (int i = 0; i < 40; i++) {
            rows[i] = new double[] {x[i]};
        }
        return Dataset.of(rows);
    }

    /**
     * The reference: the best of 400 plain runs (200 from random rows, 200 from random responsibilities),
     * each to a tolerance of 1e-12 — a many-start, tight-tolerance search that does not use the engine's.
     */
    static double reference(Dataset data, int k) {
        double best = Double.NEGATIVE_INFINITY;
        for (Initialization init : new Initialization[] {Initialization.RANDOM_POINTS, Initialization.RANDOM}) {
            EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(k).initialization(init)
                    .options(EmOptions.defaults().withInitializations(200).withTolerance(1e-12).withMaxIterations(5000))
                    .fit(data);
            best = Math.max(best, fit.logLikelihood());
        }
        return best;
    }

    @Test
    void theDefaultFitFindsTheGlobalOptimumOfASmallMixtureForEverySeed() {
        Dataset data = fortyRows();
        for (int k = 2; k <= 3; k++) {
            double optimum = reference(data, k);
            for (long seed = 0; seed < 100; seed++) {
                // The default search at a tight tolerance, so that "found" means to the optimum's digits.
                EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(k).seed(seed).tolerance(1e-10)
                        .maxIterations(2000).fit(data);
                assertThat(fit.search()).isNotNull();
                assertThat(fit.logLikelihood()).as("k %d, seed %d", k, seed)
                        .isGreaterThan(optimum - 1e-6 * Math.abs(optimum));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL", "TIED", "VEV"})
    void theSearchIsBitIdenticalForAnyThreadCount(CovarianceType type) {
        Dataset iris = TestData.iris();
        EmResult<GaussianMixtureModel> one = GaussianMixture.withComponents(4).covarianceType(type).seed(3).threads(1)
                .fit(iris);
        for (int threads : new int[] {2, 3}) {
            EmResult<GaussianMixtureModel> other = GaussianMixture.withComponents(4).covarianceType(type).seed(3)
                    .threads(threads).fit(iris);
            assertThat(other.params()).isEqualTo(one.params());
            assertThat(other.objective()).isEqualTo(one.objective());
            assertThat(other.search()).isEqualTo(one.search());
        }
    }

    /**
     * A look's trial splits, kurtosis and moved models are made on several threads at once: the moves and repairs are
     * the same, bit for bit, on one thread or three, and there are several of each (so the threads had work to share).
     */
    @Test
    void theMovesAndRepairsAreTheSameForAnyThreadCount() {
        Dataset data = TestData.structuresHoldoutH08();
        GaussianMixtureSteps steps = GaussianMixture.withComponents(5).steps();
        GaussianMixtureModel fitted = GaussianMixture.withComponents(5).initializations(1).seed(1).fit(data).params();
        List<GaussianMixtureModel> moves = SplitMergeMoves.candidates(steps, data, fitted, 4, 1);
        assertThat(moves).hasSize(4);
        assertThat(SplitMergeMoves.candidates(steps, data, fitted, 4, 3)).isEqualTo(moves);

        // Nine components on iris's three clusters: some are not worth their parameters, and are repaired.
        Dataset iris = TestData.iris();
        GaussianMixtureSteps nine = GaussianMixture.withComponents(9).steps();
        GaussianMixtureModel crowded = GaussianMixture.withComponents(9).initializations(1).seed(1).fit(iris).params();
        List<GaussianMixtureModel> repairs = SplitMergeMoves.repairs(nine, iris, iris.rows(), crowded, 4, 1);
        assertThat(repairs).hasSizeGreaterThan(1);
        assertThat(SplitMergeMoves.repairs(nine, iris, iris.rows(), crowded, 4, 3)).isEqualTo(repairs);
    }

    /**
     * Five well-separated clusters fitted from a start with two components on one cluster and one covering
     * two others: plain EM stays there; the search's split/merge moves leave it.
     */
    @Test
    void splitAndMergeRepairsTwoComponentsSharingOneClusterWhileOneCoversTwo() {
        SplittableRandom random = new SplittableRandom(9);
        double[][] centres = {{0, 0}, {10, 0}, {0, 10}, {10, 10}, {20, 20}};
        double[][] rows = new double[1000][];
        for (int i = 0; i < rows.length; i++) {
            double[] c = centres[i % 5];
            rows[i] = new double[] {c[0] + random.nextGaussian(), c[1] + random.nextGaussian()};
        }
        Dataset data = Dataset.of(rows);
        // Components 0 and 1 both on cluster (0,0); component 2 between (10,0) and (10,10).
        GaussianMixtureModel trapped = GaussianMixtureModel.full(new double[] {0.1, 0.1, 0.4, 0.2, 0.2},
                new double[][] {{-0.5, 0}, {0.5, 0}, {10, 5}, {0, 10}, {20, 20}},
                new double[][][] {eye(1), eye(1), eye(30), eye(1), eye(1)});
        EmResult<GaussianMixtureModel> plain = GaussianMixture.withComponents(5).initialModel(trapped).fit(data);
        double best = GaussianMixture.withComponents(5).initialModel(GaussianMixtureModel.full(
                new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, centres,
                new double[][][] {eye(1), eye(1), eye(1), eye(1), eye(1)})).tolerance(1e-10).fit(data).logLikelihood();
        assertThat(plain.logLikelihood()).as("plain EM stays in the local optimum").isLessThan(best - 100);

        // The moves alone, from the trapped fit: the model's hook proposes a move that EM turns into the optimum.
        GaussianMixtureSteps steps = GaussianMixture.withComponents(5).steps();
        boolean repaired = false;
        for (GaussianMixtureModel move : SplitMergeMoves.candidates(steps, data, plain.params(), 4)) {
            double after = GaussianMixture.withComponents(5).initialModel(move).tolerance(1e-10).fit(data).logLikelihood();
            repaired |= after > best - 1e-6 * Math.abs(best);
        }
        assertThat(repaired).isTrue();
    }

    @Test
    void theReportSaysWhatTheSearchDidAndInitializationsTurnItOff() {
        Dataset iris = TestData.iris();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(3).fit(iris);
        Search.Report r = fit.search();
        assertThat(r.level()).isEqualTo("default");
        assertThat(r.startsByKind()).containsOnlyKeys("kmeans++", "random-points", "plain kmeans++", "random", "hc");
        assertThat(r.startsByKind().get("hc")).isEqualTo(1);
        assertThat(r.startsByKind().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(r.shortStarts());
        assertThat(r.continued()).isBetween(1, 3);
        assertThat(r.summary()).startsWith(r.shortStarts() + " short starts (kmeans++ ").contains(" continued");
        assertThat(GaussianMixture.withComponents(3).initializations(2).fit(iris).search()).isNull();
        assertThat(GaussianMixture.withComponents(3).options(EmOptions.defaults().withSearch(Search.Level.QUICK))
                .fit(iris).search().shortStarts()).isLessThan(r.shortStarts());
    }

    @Test
    void theHierarchicalStartIsInThePortfolioUpToItsColumnLimit() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int d : new int[] {GaussianMixture.SEARCH_HC_MAX_COLUMNS, GaussianMixture.SEARCH_HC_MAX_COLUMNS + 1}) {
            double[][] rows = new double[120][d];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < d; j++) {
                    rows[i][j] = random.nextGaussian() + (i % 3) * 4;
                }
            }
            Search.Report r = GaussianMixture.withComponents(3).fit(Dataset.of(rows)).search();
            assertThat(r.startsByKind().containsKey("hc")).as("d = %d", d)
                    .isEqualTo(d <= GaussianMixture.SEARCH_HC_MAX_COLUMNS);
        }
    }

    /**
     * The thorough level runs the default's search first and keeps the better answer: on this set (tied covariance,
     * K = 8) its own search ended at −27,069.27 in session 48, 50.19 nats below the default's −27,019.09. (The wide
     * holdout's w10 was this test's set until then; there the thorough level's own search now ends 11 nats above
     * the default's.)
     */
    @Test
    void theThoroughSearchEndsAtLeastWhereTheDefaultEnds() {
        Dataset data = TestData.holdoutH05();
        GaussianMixture tied = GaussianMixture.withComponents(8).covarianceType(CovarianceType.TIED);
        EmResult<GaussianMixtureModel> standard = tied.fit(data);
        EmResult<GaussianMixtureModel> thorough = tied.options(EmOptions.defaults().withSearch(Search.Level.THOROUGH))
                .fit(data);
        assertThat(thorough.objective()).isGreaterThanOrEqualTo(standard.objective());
        Search.Report r = thorough.search();
        assertThat(r.level()).isEqualTo("thorough");
        assertThat(r.eSteps()).isGreaterThan(standard.search().eSteps());
        standard.search().startsByKind().forEach((kind, count) ->
                assertThat(r.startsByKind().get(kind)).as(kind).isGreaterThan(count));
    }

    /**
     * Tied components on elongated clusters (the holdout grid's h05, 3,000 rows, K = 8): the first rounds of
     * split/merge candidates and relocations keep one move and then find nothing more, and without the deeper rounds
     * (the next candidates down the same fit's list) the default ended at −27,069.94, at scikit-learn's best of 20
     * tight starts; a deeper round keeps a second move and the fit ends 50.85 nats higher, at the best `--search
     * thorough` found (session 38). scikit-learn's figures are made by
     * {@code emkit-bench/search/holdout/references.py --structures} (references-structures.sklearn.tsv there): its
     * default fit −27,144.65 and its best of 20 tight starts −27,069.27. (Until session 51 this test was on h14
     * with spherical components; since the hierarchical start is in the portfolio on 3,000 rows, the search reaches
     * that optimum from its starts.)
     */
    @Test
    void aSearchLooksDeeperDownTheMovesWhereTheFirstOnesFindNothing() {
        Dataset data = TestData.holdoutH05();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(8).covarianceType(CovarianceType.TIED)
                .seed(0).fit(data);
        assertThat(fit.logLikelihood()).isGreaterThan(-27_069.27 + 50).isCloseTo(-27_019.087, within(0.01));
        assertThat(fit.search().movesTried()).isGreaterThan(8);
        assertThat(fit.search().movesAccepted()).isGreaterThan(1);
    }

    /**
     * Spherical components on elongated clusters (the holdout grid's h14, 3,000 rows, K = 5): no pair of them
     * plainly shares a cluster, and until session 38's deeper rounds of moves the default ended at −51,782.98, 71
     * nats below even scikit-learn's default fit (its default −51,712.51, its best of 20 tight starts −51,707.614).
     */
    @Test
    void sphericalComponentsOnElongatedClustersReachTheBestOfTwentyTightStarts() {
        Dataset data = TestData.structuresHoldoutH14();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(5).covarianceType(CovarianceType.SPHERICAL)
                .seed(0).fit(data);
        assertThat(fit.logLikelihood()).isGreaterThan(-51_712.51).isCloseTo(-51_707.614, within(0.01));
    }

    /**
     * Diagonal components on h14: until session 51 the hierarchical start was in the search's portfolio on at most
     * 2,000 rows, and the default fit ended at −49,261.19, 21.7 nats below mclust's default (−49,239.53, its tree of a
     * random 2,000 of the rows; −49,231.23 from the tree of all of them: references-structures.mclust.tsv beside
     * references.py). On up to 10,000 rows it is (the tree of 2,000 rows spread over the data), and the fit ends at
     * the best `--search thorough` found.
     */
    @Test
    void onThreeThousandRowsTheHierarchicalStartIsInThePortfolio() {
        Dataset data = TestData.structuresHoldoutH14();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(5).covarianceType(CovarianceType.DIAG)
                .seed(0).fit(data);
        assertThat(fit.search().startsByKind()).containsKey("hc");
        assertThat(fit.logLikelihood()).isGreaterThan(-49_231.23).isCloseTo(-49_230.541, within(0.01));
    }

    @Test
    void theIterationLimitBoundsEachStartsWholeRunShortRunIncluded() {
        Dataset iris = TestData.iris();
        for (int limit : new int[] {1, 2, 3, 5, 8}) {
            EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(4).maxIterations(limit).fit(iris);
            assertThat(fit.iterations()).as("--max-iter %d", limit).isLessThanOrEqualTo(limit);
            assertThat(fit.trace()).hasSizeLessThanOrEqualTo(limit + 1);
        }
    }

    private static double[][] eye(double v) {
        return new double[][] {{v, 0}, {0, v}};
    }
}
