package io.emkit.gaussian;

import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.KMeansSeeding;
import io.emkit.kernels.BlockKernels;
import io.emkit.kernels.BlockWorkspace;
import io.emkit.kernels.Linalg;
import io.emkit.mixture.PrincipalAxis;
import io.emkit.mixture.SplitMergePlan;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Split-and-merge moves for a converged Gaussian mixture (Ueda, Nakano, Ghahramani and Hinton, 2000), the
 * model's part of the engine's search: a move merges two components that one would fit nearly as well and
 * splits a third whose rows a Gaussian fits worst, keeping K.
 *
 * <p><b>Merge.</b> Pairs are ranked by two criteria taken in turn ({@link SplitMergePlan#inTurn}). The cosine of
 * their responsibility vectors over the rows (Ueda et al.'s merge criterion, normalised): two components sharing
 * one cluster give nearly parallel vectors. And the merge's loss: the nats the fit loses if the pair becomes one
 * component of its structure with their moment-matched mean and covariance. Spherical, diagonal or tied components
 * tiling elongated clusters hardly overlap, so there the cosine's order is near arbitrary (3,000 rows in 5
 * dimensions, K = 5, spherical: no pair's cosine above 0.05, the search 97 nats below the best known), while the
 * loss ranks first the pair whose union one component fits about as well; alone, the loss missed a fit the cosine
 * reaches (1,500 × 3, K = 5, spherical, 18.5 nats). The search's structures holdout at seed 0: 66 of 72 fits
 * reached the best known with the cosine alone, 69 with the two in turn, none lower.
 *
 * <p><b>Split.</b> First (where at most 5,000 rows are looked at) the components whose trial split pays BIC's
 * price for its D + 1 parameters: two Gaussians sharing one covariance, fitted by a few EM steps to the
 * component's responsibility-weighted rows from the halves of its principal axis, against one Gaussian (a
 * component covering two clusters of similar size, which in many dimensions hardly moves the kurtosis). Then
 * the others by how far the (responsibility-weighted) multivariate kurtosis of their rows (Mardia, 1970) lies
 * from a Gaussian's, {@code |log(b₂ / (D(D+2)))|}: a component covering two clusters is flat-topped (b₂ below
 * D(D+2)), a component with outliers or a small cluster beside it heavy-tailed. Both stand in for Ueda et
 * al.'s local Kullback–Leibler divergence, which needs a density estimate of the rows.
 *
 * <p><b>Repairs.</b> A component the data do not support — one whose removal would cost the fit fewer nats than
 * BIC charges for its parameters — is a near-spurious fit of a few rows (on 100k rows in 16 dimensions, a
 * search on a sample left two such components of 95 and 149 rows while one component covered two clusters,
 * 1,495 nats below the optimum that a repair reaches). A repair merges such a component into the one its
 * responsibilities overlap most and splits a supported component, the first in the order above. Removing
 * component {@code c} and renormalising the weights lowers the log-likelihood by exactly
 * {@code −Σᵢ log(1 − rᵢ_c) + n log(1 − π_c)}, its loss.
 *
 * <p><b>Relocations.</b> The lighter component of the likeliest merge pair moved, mean only, to a row the rest
 * of the mixture explains badly (drawn in proportion to how far its log-density falls below the rows' average):
 * for a component straddling a small cluster and part of a large one, which no split/merge move repairs (a grid
 * case of 20,000 rows in 4 dimensions, K = 12, diagonal: 51.5 nats below the best known at three seeds of five).
 * The likeliest pair by each merge criterion, in turn.
 *
 * <p><b>The moved model.</b> Built from responsibilities, then one M-step of the fit's own structure
 * (so every covariance structure, prior, weights and hard assignment are respected): the merged slot takes
 * the sum of the pair's responsibilities; the split component's rows go to it or to the freed slot by the
 * side of its principal axis they lie on. Where the rows looked at are a sample of the fit's (more than
 * {@link SplitMergePlan#MAX_ROWS}), the components the move does not touch keep the fit's parameters
 * ({@link #keepUntouched}). A component with fewer rows than half its own parameters is not split.
 */
final class SplitMergeMoves {
    private SplitMergeMoves() {
    }

    /**
     * Up to {@code max} moved models, the most promising first; none for fewer than three components.
     */
    static List<GaussianMixtureModel> candidates(GaussianMixtureSteps steps, Dataset data, GaussianMixtureModel fitted,
                                                 int max) {
        return candidates(steps, data, fitted, max, 1);
    }

    /**
     * {@link #candidates(GaussianMixtureSteps, Dataset, GaussianMixtureModel, int)}, the components' trial splits and
     * kurtosis and the moved models made on up to {@code threads} threads at once ({@link #eachOf}): the same moves,
     * bit for bit, for any number of threads.
     */
    static List<GaussianMixtureModel> candidates(GaussianMixtureSteps steps, Dataset data, GaussianMixtureModel fitted,
                                                 int max, int threads) {
        return SplitMergePlan.candidates(data, fitted.components(), max,
                rows -> candidates(steps, fitted, max, rows, data.totalWeight(), threads));
    }

    /**
     * Up to {@code max} repairs of a fit, the most promising first: each unsupported component (one whose loss is
     * below BIC's price for it, the cheapest to lose first; then one with fewer rows than parameters of its own)
     * merged into the component it overlaps most, with the two worst-fitting supported components split; none
     * when every component is supported or there are fewer than three.
     *
     * @param data    the rows the fit's starts look at (all of them, or a sample)
     * @param units   the total weight of all the rows the fit is on, whose log-likelihood the loss is part of
     * @param threads how many threads share out the look's work ({@link #eachOf}; the repairs do not depend on it)
     */
    static List<GaussianMixtureModel> repairs(GaussianMixtureSteps steps, Dataset data, double units,
                                              GaussianMixtureModel fitted, int max, int threads) {
        return SplitMergePlan.candidates(data, fitted.components(), max,
                rows -> repairs(steps, fitted, max, rows, units / rows.totalWeight(), units, threads));
    }

    /**
     * Up to {@code max} relocations of a fit: the lighter component of the pair whose responsibilities overlap most
     * (the cosine's first pair) moved, mean only, to a row the rest of the mixture explains badly — each
     * candidate another row, drawn with probability in proportion to how far the row's log-density under the
     * mixture without that component falls below the rows' average. A component that straddles a small cluster
     * and part of a large one, while another component holds the rest of the large one, is no pair sharing a
     * cluster beside a component covering two, so no split/merge move repairs it; re-placed where the data are
     * explained worst, it can find the small cluster (Verbeek, Vlassis and Kröse, 2003, insert components where
     * the data are badly fitted). Every second candidate moves instead the lighter component of the pair whose
     * merge loses least ({@link Look#mergeLosses}), where that is another component: as for the split/merge moves,
     * where components hardly overlap the cosine's first pair says little (structures holdout at seed 0: 70 of 72
     * fits with both in turn, 69 with the cosine's alone). None where no two components' responsibilities overlap
     * at all. Weights and covariances stay, so every covariance structure's constraints hold.
     */
    static List<GaussianMixtureModel> relocations(Dataset data, GaussianMixtureModel fitted, int max) {
        return SplitMergePlan.candidates(data, fitted.components(), max, rows -> relocations(fitted, max, rows));
    }

    private static List<GaussianMixtureModel> relocations(GaussianMixtureModel fitted, int max, Dataset rows) {
        int k = fitted.components();
        int d = fitted.dimension();
        Look look = new Look(fitted, rows);
        int first = -1;
        int second = -1;
        double best = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double cosine = look.cosine(a, b);
                if (cosine > best) {
                    best = cosine;
                    first = a;
                    second = b;
                }
            }
        }
        double[] weights = fitted.weights();
        if (first < 0 || !(best > 0)) {
            return List.of();
        }
        int byOverlap = weights[second] < weights[first] ? second : first;
        // And the lighter component of the pair whose merge loses least, moved in turn with it.
        double[] density = look.density;
        double[][] loss = look.mergeLosses();
        int byLoss = byOverlap;
        double least = Double.POSITIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                if (loss[a][b] < least) {
                    least = loss[a][b];
                    byLoss = weights[b] < weights[a] ? b : a;
                }
            }
        }
        double[] overlapBadness = badness(look, rows, density, byOverlap);
        double[] lossBadness = byLoss == byOverlap ? overlapBadness : badness(look, rows, density, byLoss);
        double overlapTotal = Linalg.sum(overlapBadness);
        double lossTotal = Linalg.sum(lossBadness);
        if (!(overlapTotal > 0)) {
            return List.of();
        }
        double[] x = rows.rawValues();
        // A fixed stream: the moves of one fit are the same whatever the search's seed and threads.
        SplittableRandom random = new SplittableRandom(RELOCATION_SEED);
        List<GaussianMixtureModel> out = new ArrayList<>();
        for (int t = 0; t < max; t++) {
            boolean turn = t % 2 == 1 && byLoss != byOverlap && lossTotal > 0;
            int moved = turn ? byLoss : byOverlap;
            int i = turn ? KMeansSeeding.draw(lossBadness, lossTotal, random)
                    : KMeansSeeding.draw(overlapBadness, overlapTotal, random);
            double[] means = fitted.flatMeans().clone();
            System.arraycopy(x, i * d, means, moved * d, d);
            double[][] cov = fitted.flatCovariances().clone();
            for (int c = 0; c < cov.length; c++) {
                cov[c] = cov[c].clone();
            }
            out.add(GaussianMixtureModel.ofFlat(fitted.covarianceType(), weights.clone(), means, cov, d,
                    fitted.featureNames()));
        }
        return out;
    }

    /**
     * How badly the mixture without component {@code moved} explains each row: how far the row's log-density
     * without it ({@code log p(x) + log(1 − r) − log(1 − π)}) falls below the rows' average, times the row's weight;
     * 0 for a row with a missing value, no place for a mean.
     */
    private static double[] badness(Look look, Dataset rows, double[] density, int moved) {
        GaussianMixtureModel fitted = look.fitted;
        int k = fitted.components();
        int d = fitted.dimension();
        int n = look.n;
        double[] weights = fitted.weights();
        double[] without = density.clone();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double others = 0;
            for (int c = 0; c < k; c++) {
                others += c == moved ? 0 : look.r[i][c];
            }
            without[i] += Math.log(Math.max(others, Double.MIN_NORMAL)) - Math.log1p(-weights[moved]);
            mean += without[i] / n;
        }
        double[] x = rows.rawValues();
        double[] badness = new double[n];
        for (int i = 0; i < n; i++) {
            boolean complete = true;
            for (int j = 0; j < d; j++) {
                complete &= !Double.isNaN(x[i * d + j]);
            }
            badness[i] = complete ? (look.w == null ? 1.0 : look.w[i]) * Math.max(0, mean - without[i]) : 0.0;
        }
        return badness;
    }

    /** The seed of the rows relocations draw. */
    private static final long RELOCATION_SEED = 0x5EEDL;

    /**
     * The repairs planned on the rows to look at, whose losses count {@code scale} times (they stand for all
     * the rows, of total weight {@code n}).
     */
    private static List<GaussianMixtureModel> repairs(GaussianMixtureSteps steps, GaussianMixtureModel fitted, int max,
                                                      Dataset rows, double scale, double n, int threads) {
        int k = fitted.components();
        Look look = new Look(fitted, rows, threads);
        double[] loss = losses(look, scale, n);
        // BIC's price of one component: what the fit with K − 1 components saves in parameters, times ln(n) / 2.
        long own = ownParameters(fitted);
        double price = 0.5 * own * Math.log(n);
        double[] weights = fitted.weights();
        boolean[] supported = new boolean[k];
        boolean[] thin = new boolean[k];
        List<Integer> unsupported = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            // Thin: fewer rows than parameters of its own. Its loss can pass BIC's price because so few rows are
            // fitted so closely by so many parameters (a full covariance): 13 of 1,500 rows in 10 dimensions, 66
            // parameters, were worth 290 nats against BIC's 241, in a fit 12 nats below the best one known. The
            // race decides: a thin component is repaired only where the repaired fit climbs higher.
            thin[c] = weights[c] * n < own;
            supported[c] = !(loss[c] < price) && !thin[c];
            if (!supported[c]) {
                unsupported.add(c);
            }
        }
        if (unsupported.isEmpty()) {
            return List.of();
        }
        // BIC's unsupported first, the cheapest to lose first; then the thin ones.
        unsupported.sort(java.util.Comparator.comparing((Integer c) -> thin[c] && !(loss[c] < price))
                .thenComparingDouble(c -> loss[c]).thenComparingInt(c -> c));
        int[] order = look.splitOrder();
        List<int[]> planned = new ArrayList<>();
        for (int c : unsupported) {
            int into = -1;
            for (int b = 0; b < k; b++) {
                if (b != c && (into < 0 || look.overlap(b, c) > look.overlap(into, c))) {
                    into = b;
                }
            }
            int taken = 0;
            boolean[] tried = new boolean[k];
            while (taken < 2 && planned.size() < max) {
                int split = -1;
                for (int s = 0; s < k; s++) {
                    if (s != c && s != into && supported[s] && !tried[s] && (split < 0 || order[s] < order[split])) {
                        split = s;
                    }
                }
                if (split < 0) {
                    break;
                }
                tried[split] = true;
                taken++;
                planned.add(new int[] {into, c, split});
            }
        }
        return moved(steps, rows, n, look, planned, threads);
    }

    /**
     * What removing each component (and renormalising the others' weights) would cost the log-likelihood of
     * these rows: {@code −Σᵢ wᵢ log(1 − rᵢ_c) + n log(1 − π_c)}.
     *
     * @param fitted the model
     * @param rows   the rows, of total weight n
     * @return the loss of each component, in nats
     */
    static double[] losses(GaussianMixtureModel fitted, Dataset rows) {
        return losses(new Look(fitted, rows), 1.0, rows.totalWeight());
    }

    /** @return per pair of components the nats merging them would lose (see {@link Look#mergeLosses}) */
    static double[][] mergeLosses(GaussianMixtureModel fitted, Dataset rows) {
        return new Look(fitted, rows).mergeLosses();
    }

    /**
     * The order splits are tried in (see {@link Look#splitOrder}), on rows that are all the fit's.
     *
     * @return per component its place, 0 for the first to split
     */
    static int[] splitOrder(GaussianMixtureModel fitted, Dataset rows) {
        return new Look(fitted, rows).splitOrder();
    }

    /** @return per component its kurtosis misfit, {@code |log(b₂ / (D(D+2)))|} (see {@link Look#misfit}) */
    static double[] misfits(GaussianMixtureModel fitted, Dataset rows) {
        return new Look(fitted, rows).misfit();
    }

    /** @return per component the net gain of its trial split (see {@link Look#splitGains}) */
    static double[] splitGains(GaussianMixtureModel fitted, Dataset rows) {
        return new Look(fitted, rows).splitGains();
    }

    /** The losses of {@link #losses(GaussianMixtureModel, Dataset)}, the rows' sum counted {@code scale} times. */
    private static double[] losses(Look look, double scale, double n) {
        int k = look.fitted.components();
        double[] loss = new double[k];
        for (int i = 0; i < look.n; i++) {
            double wi = look.w == null ? 1.0 : look.w[i];
            double[] ri = look.r[i];
            for (int c = 0; c < k; c++) {
                // 1 − r_c as the others' sum: where r_c rounds to 1 their sum keeps what is left
                double others = 0;
                for (int j = 0; j < k; j++) {
                    others += j == c ? 0 : ri[j];
                }
                loss[c] -= wi * Math.log(Math.max(others, Double.MIN_NORMAL));
            }
        }
        for (int c = 0; c < k; c++) {
            loss[c] = scale * loss[c] + n * Math.log(1 - look.fitted.weights()[c]);
        }
        return loss;
    }

    /** The moves planned and made on the rows to look at. */
    private static List<GaussianMixtureModel> candidates(GaussianMixtureSteps steps, GaussianMixtureModel fitted,
                                                         int max, Dataset rows, double n, int threads) {
        int k = fitted.components();
        Look look = new Look(fitted, rows, threads);
        // A component with fewer rows than half its own parameters is not split: its halves, each with about a
        // quarter of a component's parameters in rows, collapse (on a sample of 18,190 rows in 12 dimensions,
        // K = 20, a component of 36 rows the kurtosis ranked first, 91 parameters). Not at all its parameters:
        // a split of a component a little below that can still pay (5,000 × 8, K = 12, 45 parameters: it ended
        // the search 3 nats higher).
        long own = ownParameters(fitted);
        double[] weights = fitted.weights();
        // The most parallel responsibilities and the cheapest merges, in turn.
        double[][] loss = look.mergeLosses();
        SplitMergePlan.PairCost mergeCost = SplitMergePlan.inTurn(k, (a, b) -> -look.cosine(a, b),
                (a, b) -> loss[a][b]);
        int[] order = look.splitOrder();
        List<int[]> moves = SplitMergePlan.moves(k, mergeCost, c -> order[c], c -> !(weights[c] * n < 0.5 * own),
                max);
        return moved(steps, rows, n, look, moves, threads);
    }

    /**
     * The models the planned moves make ({@code {merged into, merged away, split}} each), in order, on up to
     * {@code threads} threads ({@link #eachOf}); {@code n} is the total weight of the rows the fit is on.
     */
    private static List<GaussianMixtureModel> moved(GaussianMixtureSteps steps, Dataset rows, double n, Look look,
                                                    List<int[]> moves, int threads) {
        boolean sampled = rows.totalWeight() < n;
        return eachOf(moves.size(), threads, i -> {
            int[] move = moves.get(i);
            return moved(steps, rows, sampled, look.fitted, look.r, move[0], move[1], move[2], look.axis[move[2]]);
        });
    }

    /**
     * {@code value(0)}, ..., {@code value(count − 1)}, on up to {@code threads} threads at once: each value is
     * computed on its own (from what the look holds, writing nothing shared), so the list is the same for any number
     * of threads. One after the other, a look's trial splits, kurtosis and moved models were most of what the
     * search's own thread did while the E-steps' threads waited (a default fit of 100,000 × 16, K = 16, in one JVM:
     * 70% of its samples outside the E-steps; a look at 20,000 of the rows, four moves made, 0.43–0.46 s on one
     * thread, 0.25–0.28 s on two).
     */
    private static <T> List<T> eachOf(int count, int threads, IntFunction<T> value) {
        List<T> out = new ArrayList<>(java.util.Collections.nCopies(count, null));
        if (threads <= 1 || count < 2) {
            for (int i = 0; i < count; i++) {
                out.set(i, value.apply(i));
            }
            return out;
        }
        ForkJoinPool pool = new ForkJoinPool(Math.min(threads, count));
        try {
            pool.submit(() -> IntStream.range(0, count).parallel().forEach(i -> out.set(i, value.apply(i)))).join();
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * A fit's view of the rows the moves look at: the responsibilities and the rows' log-densities (one pass over
     * the rows), the responsibilities' overlaps (the inner products of two components' responsibility vectors over
     * the rows) and each component's principal axis.
     */
    private static final class Look {
        final GaussianMixtureModel fitted;
        final int n;
        final int d;
        final double[][] r;
        final double[] w;
        final double[] x;
        final double[][] axis;
        /** Each row's log-density under the fit, from the pass that gave {@link #r}. */
        final double[] density;
        private final double[][] overlap;
        /** How many components {@link #splitGains} and {@link #misfit()} take at once. */
        private final int threads;

        Look(GaussianMixtureModel fitted, Dataset rows) {
            this(fitted, rows, 1);
        }

        Look(GaussianMixtureModel fitted, Dataset rows, int threads) {
            this.fitted = fitted;
            this.threads = threads;
            int k = fitted.components();
            n = rows.rows();
            d = rows.columns();
            density = new double[n];
            r = fitted.predictProba(rows, density);
            w = rows.rawWeights();
            x = rows.rawValues();
            overlap = new double[k][k];
            for (int i = 0; i < n; i++) {
                double wi = w == null ? 1.0 : w[i];
                for (int a = 0; a < k; a++) {
                    double ra = wi * r[i][a];
                    for (int b = a; b < k; b++) {
                        overlap[a][b] += ra * r[i][b];
                    }
                }
            }
            axis = new double[k][];
            for (int c = 0; c < k; c++) {
                axis[c] = PrincipalAxis.of(fitted.covariance(c));
            }
        }

        double overlap(int a, int b) {
            return overlap[Math.min(a, b)][Math.max(a, b)];
        }

        /**
         * Per pair of components, the nats the fit would lose on the rows the pair holds (their responsibilities
         * add up to more than {@link #HELD}) if the pair were one component of the fit's structure with the pair's
         * weight and their mean and covariance moment-matched, the other components as they are:
         * {@code −Σᵢ log(1 − rᵢa − rᵢb + (πa + πb) f(xᵢ) / p(xᵢ))}, row i weighted as it counts. Only the rows held
         * (the rows left out would mostly add what a merged component far from them gains there), and of more than
         * {@link #MERGE_ROWS} rows an even share of that many, the sum scaled up. A row with a missing value is left
         * out too. The K(K − 1)/2 merged components' distances go through the E-step's kernel, each block of rows
         * loaded once for all of them: about 15 ms a look at 100,000 rows in 16 dimensions, K = 16 (a look takes
         * 20,000 of them). Each merged component's densities on all 20,000 through {@code scoreSamples} made that
         * whole fit 15% slower; a row at a time on the rows held took 0.2 s a look.
         *
         * @return the losses, symmetric, zero on the diagonal
         */
        double[][] mergeLosses() {
            int k = fitted.components();
            double[] weights = fitted.weights();
            // The pairs' merged components: centre, U = (L⁻¹)ᵀ of the covariance L Lᵀ, log of weight × normaliser.
            int pairs = k * (k - 1) / 2;
            int[][] pair = new int[pairs][];
            double[] centres = new double[pairs * d];
            double[][] factors = new double[pairs][];
            double[] logNorm = new double[pairs];
            double[][] loss = new double[k][k];
            int p = 0;
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++, p++) {
                    pair[p] = new int[] {a, b};
                    double[] mu = new double[d];
                    double[][] cov = mergedCovariance(a, b, mu);
                    System.arraycopy(mu, 0, centres, p * d, d);
                    double[] flat = new double[d * d];
                    for (int i = 0; i < d; i++) {
                        System.arraycopy(cov[i], 0, flat, i * d, d);
                    }
                    double[] lower = Linalg.choleskyLower(flat, d);
                    if (lower == null) {
                        loss[a][b] = loss[b][a] = Double.POSITIVE_INFINITY;
                        continue;
                    }
                    factors[p] = Linalg.inverseLowerTransposed(lower, d);
                    double logDiagonal = 0;
                    for (int i = 0; i < d; i++) {
                        logDiagonal += Math.log(lower[i * d + i]);
                    }
                    logNorm[p] = Math.log(weights[a] + weights[b]) - 0.5 * d * LOG_2PI - logDiagonal;
                }
            }
            // Every stride-th row, in blocks through the E-step's kernel: each block loaded once for all the pairs.
            int stride = (n + MERGE_ROWS - 1) / MERGE_ROWS;
            int m = (n + stride - 1) / stride;
            double[] kept = new double[m * d];
            for (int t = 0; t < m; t++) {
                System.arraycopy(x, t * stride * d, kept, t * d, d);
            }
            double[] sums = new double[pairs];
            BlockWorkspace ws = new BlockWorkspace(d, BlockKernels.forSize(m, pairs));
            for (int from = 0; from < m; from += BlockWorkspace.ROWS) {
                int to = Math.min(m, from + BlockWorkspace.ROWS);
                ws.load(kept, from, to);
                for (p = 0; p < pairs; p++) {
                    if (factors[p] == null) {
                        continue;
                    }
                    int a = pair[p][0];
                    int b = pair[p][1];
                    ws.triangularSquaredNorms(centres, p * d, factors[p]);
                    for (int t = from; t < to; t++) {
                        int i = t * stride;
                        double held = r[i][a] + r[i][b];
                        double m2 = ws.ss[t - from];
                        if (!(held > HELD) || Double.isNaN(density[i]) || Double.isNaN(m2)) {
                            continue;
                        }
                        double stays = Math.max(0, 1 - held) + Math.exp(logNorm[p] - 0.5 * m2 - density[i]);
                        sums[p] -= (w == null ? 1.0 : w[i]) * Math.log(Math.max(stays, Double.MIN_NORMAL));
                    }
                }
            }
            for (p = 0; p < pairs; p++) {
                if (factors[p] != null) {
                    loss[pair[p][0]][pair[p][1]] = loss[pair[p][1]][pair[p][0]] = sums[p] * stride;
                }
            }
            return loss;
        }

        /**
         * Components {@code a} and {@code b} as one Gaussian of the fit's structure: their weighted mean (into
         * {@code mu}) and the covariance that matches their first two moments, made diagonal or spherical as the
         * structure's are; a structure whose components share one covariance keeps it.
         */
        private double[][] mergedCovariance(int a, int b, double[] mu) {
            double[] weights = fitted.weights();
            double weight = weights[a] + weights[b];
            double[] meanA = fitted.mean(a);
            double[] meanB = fitted.mean(b);
            for (int j = 0; j < d; j++) {
                mu[j] = (weights[a] * meanA[j] + weights[b] * meanB[j]) / weight;
            }
            CovarianceType type = fitted.covarianceType();
            if (type.equalVolume() && type.equalShape() && type.equalOrientation()) {
                return fitted.covariance(a);
            }
            double[][] cov = new double[d][d];
            for (int c : new int[] {a, b}) {
                double[][] own = fitted.covariance(c);
                double[] mean = fitted.mean(c);
                double share = weights[c] / weight;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        cov[i][j] += share * (own[i][j] + (mean[i] - mu[i]) * (mean[j] - mu[j]));
                    }
                }
            }
            if (type.diagonal()) {
                // VII; EII, the other spherical structure, shares one covariance.
                boolean spherical = type == CovarianceType.SPHERICAL;
                double trace = 0;
                for (int j = 0; j < d; j++) {
                    trace += cov[j][j];
                }
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        cov[i][j] = i != j ? 0 : spherical ? trace / d : cov[i][i];
                    }
                }
            }
            return cov;
        }

        /** The cosine of two components' responsibility vectors: Ueda et al.'s merge criterion, normalised. */
        double cosine(int a, int b) {
            double norm = Math.sqrt(overlap(a, a) * overlap(b, b));
            return norm > 0 ? overlap(a, b) / norm : 0.0;
        }

        /**
         * How far each component's rows are from Gaussian: {@code |log(b₂ / (D(D+2)))|} of their
         * responsibility-weighted Mardia kurtosis.
         */
        double[] misfit() {
            return perComponent(this::misfit);
        }

        /** {@link #misfit()} of component {@code c}. */
        private double misfit(int c) {
            double[][] cov = fitted.covariance(c);
            double[] mu = fitted.mean(c);
            double[][] chol = Linalg.choleskyLower(cov);
            double mass = 0;
            double fourth = 0;
            double[] z = new double[d];
            for (int i = 0; i < n; i++) {
                double wr = (w == null ? 1.0 : w[i]) * r[i][c];
                if (wr == 0 || chol == null) {
                    continue;
                }
                double m2 = mahalanobis(chol, x, i * d, mu, z);
                mass += wr;
                fourth += wr * m2 * m2;
            }
            return mass > 0 && chol != null
                    ? Math.abs(Math.log(Math.max(fourth / mass, 1e-300) / (d * (d + 2.0)))) : 0.0;
        }

        /** {@code value} of each component, on up to {@link #threads} threads at once ({@link #eachOf}). */
        private double[] perComponent(IntFunction<Double> value) {
            return eachOf(fitted.components(), threads, value).stream().mapToDouble(Double::doubleValue).toArray();
        }

        /**
         * Each component's place in the order splits are tried in: first the components whose trial split pays
         * BIC's price ({@link #splitGains} above 0), the largest gain first; then the others by {@link #misfit},
         * the worst first. In many dimensions a component covering two clusters of similar size hardly moves the
         * kurtosis, an average over all D(D + 2) of its terms, while a trial split gains hundreds of nats (3,000
         * rows in 20 dimensions, K = 12: two elongated clusters of 92 and 70 rows in one component, 233 nats
         * against at most 23 for any other component, BIC's price 53; the kurtosis ranked that component ninth
         * of twelve, and the search ended 374 nats below the fit the split leads to). The trial split does not
         * replace the kurtosis: ordered by their gains alone, the splits missed optima the kurtosis finds (a
         * small cluster beside a large one makes a component's tails heavy, where a split from the principal
         * axis's halves may find nothing): four of the search grids' 152 cases, up to 214 nats below. The trial
         * splits are made on every row looked at ({@link SplitMergePlan#MAX_ROWS} at most): until session 30 they
         * were made on no more than 5,000, so a search on a sample of big data (10,000 rows or more) ordered its
         * splits by kurtosis alone, and on generated sets of 50,000 to 100,000 rows it ended hundreds of nats
         * short where a component covered two clusters the kurtosis ranked low (60,000 × 12, K = 12: sixth, 1,319
         * nats). Estimating the gains from 5,000 of the rows instead, each counted as many times as the sample is
         * smaller, lifted single clusters' gains toward BIC's price by their fitted noise counted as many times,
         * and missed sets the gains on all the rows reach (100,000 × 16, K = 16: one by 2,039 nats; 50,000 × 8,
         * K = 14: three of 20).
         *
         * @return per component its place, 0 for the first to split
         */
        int[] splitOrder() {
            int k = fitted.components();
            double[] misfit = misfit();
            double[] gain = splitGains();
            Integer[] byMisfit = byDescending(misfit);
            Integer[] byGain = byDescending(gain);
            int[] order = new int[k];
            int next = 0;
            java.util.Arrays.fill(order, -1);
            for (int c : byGain) {
                if (gain[c] > 0) {
                    order[c] = next++;
                }
            }
            for (int c : byMisfit) {
                if (order[c] < 0) {
                    order[c] = next++;
                }
            }
            return order;
        }

        /** The components by descending value, ties by index. */
        private static Integer[] byDescending(double[] value) {
            Integer[] idx = new Integer[value.length];
            for (int c = 0; c < idx.length; c++) {
                idx[c] = c;
            }
            java.util.Arrays.sort(idx, java.util.Comparator.comparingDouble((Integer c) -> -value[c])
                    .thenComparingInt(c -> c));
            return idx;
        }

        /**
         * What splitting each component in two would gain, in nats, on its responsibility-weighted rows, net of
         * BIC's price for the split's D + 1 parameters (a second mean and a weight): the log-likelihood of two
         * Gaussians sharing one full covariance, fitted by a few EM steps from the halves its principal axis
         * cuts, less that of one Gaussian, less {@code (D + 1) ln(m) / 2} for a component of weight m. Sharing
         * the covariance keeps the split's parameters few, so that a single cluster of a few dozen rows in many
         * dimensions gains little by it (a split with a covariance per half fits such a cluster's noise: on a
         * draft of the set above, 228 nats for a single cluster of 62 rows). {@code −∞} for a component with
         * too few rows to tell (weight below {@code 2(D + 1)}) or a singular scatter.
         */
        double[] splitGains() {
            return perComponent(this::splitGain);
        }

        /**
         * One component's trial split. Its cost is what made the trial splits too slow for 20,000 rows (0.5 s a
         * look at 16 dimensions, K = 16): the second moments are summed once, not once a step, and a row's
         * distance to the second mean follows from its distance to the first (0.2 s a look).
         */
        private double splitGain(int c) {
            // The rows the component holds, with their weights: the others add nothing but time.
            int[] held = new int[n];
            double[] q = new double[n];
            int m = 0;
            double mass = 0;
            for (int i = 0; i < n; i++) {
                double qi = (w == null ? 1.0 : w[i]) * r[i][c];
                if (qi > HELD) {
                    held[m] = i;
                    q[m++] = qi;
                    mass += qi;
                }
            }
            if (!(mass >= 2 * (d + 1))) {
                return Double.NEGATIVE_INFINITY;
            }
            // The rows about the component's mean (so that the scatter below loses nothing to cancellation), their
            // weighted sum and second moments: what a pooled scatter needs besides the two halves' sums, once for
            // all the steps.
            double[] mu = fitted.mean(c);
            double[] u = new double[m * d];
            double[] total = new double[d];
            double[][] moments = new double[d][d];
            double[] stays = new double[m];
            for (int t = 0; t < m; t++) {
                int off = held[t] * d;
                double side = 0;
                for (int j = 0; j < d; j++) {
                    double v = x[off + j] - mu[j];
                    u[t * d + j] = v;
                    total[j] += q[t] * v;
                    side += axis[c][j] * v;
                }
                for (int j = 0; j < d; j++) {
                    double qv = q[t] * u[t * d + j];
                    for (int l = 0; l <= j; l++) {
                        moments[j][l] += qv * u[t * d + l];
                    }
                }
                stays[t] = side < 0 ? 0.0 : 1.0;
            }
            // One Gaussian: its maximum log-likelihood, −(m/2)(D log 2π + log|S| + D), S the weighted scatter.
            double[][] means = new double[2][d];
            double[][] scatter = new double[d][d];
            pooledScatter(moments, total, mass, total, mass, means, scatter);
            double[][] chol = Linalg.choleskyLower(scatter);
            if (chol == null) {
                return Double.NEGATIVE_INFINITY;
            }
            double one = -0.5 * mass * (d * (LOG_2PI + 1) + 2 * logDiagonal(chol));
            double two = Double.NEGATIVE_INFINITY;
            double[] z = new double[d];
            double[] gap = new double[d];
            double[] origin = new double[d];
            for (int step = 0; step < SPLIT_STEPS; step++) {
                double stay = 0;
                double[] staying = new double[d];
                for (int t = 0; t < m; t++) {
                    double a = q[t] * stays[t];
                    stay += a;
                    for (int j = 0; j < d; j++) {
                        staying[j] += a * u[t * d + j];
                    }
                }
                double share = stay / mass;
                if (!(share > 0 && share < 1)) {
                    break;
                }
                pooledScatter(moments, total, mass, staying, stay, means, scatter);
                chol = Linalg.choleskyLower(scatter);
                if (chol == null) {
                    break;
                }
                double norm = -0.5 * d * LOG_2PI - logDiagonal(chol);
                double logStay = Math.log(share);
                double logLeave = Math.log1p(-share);
                // With one covariance L Lᵀ, a row's distance to the second mean is |z − g|², z = L⁻¹(u − μ₀) and
                // g = L⁻¹(μ₁ − μ₀): one triangular solve a row.
                for (int j = 0; j < d; j++) {
                    origin[j] = means[1][j] - means[0][j];
                }
                double gapSquared = mahalanobis(chol, origin, 0, new double[d], gap);
                double ll = 0;
                for (int t = 0; t < m; t++) {
                    double near = mahalanobis(chol, u, t * d, means[0], z);
                    double cross = 0;
                    for (int j = 0; j < d; j++) {
                        cross += z[j] * gap[j];
                    }
                    double far = near - 2 * cross + gapSquared;
                    double a = logStay + norm - 0.5 * near;
                    double b = logLeave + norm - 0.5 * far;
                    double top = Math.max(a, b);
                    double lse = top + Math.log(Math.exp(a - top) + Math.exp(b - top));
                    stays[t] = Math.exp(a - lse);
                    ll += q[t] * lse;
                }
                boolean settled = ll - two < SPLIT_TOLERANCE * mass;
                two = ll;
                if (settled) {
                    break;
                }
            }
            // BIC's price of the split's D + 1 parameters (a second mean and a weight), in nats.
            return two - one - 0.5 * (d + 1) * Math.log(mass);
        }

        /**
         * The means of the rows as they stay ({@code means[0]}: weight {@code stay}, weighted sum {@code staying})
         * and as they leave ({@code means[1]}: the rest of {@code mass} and {@code total}; left as it is where none
         * leaves), and the pooled scatter about them divided by {@code mass}: the second moments less each half's
         * weight times its mean's outer product. All about the component's mean.
         */
        private void pooledScatter(double[][] moments, double[] total, double mass, double[] staying, double stay,
                                   double[][] means, double[][] scatter) {
            double leave = mass - stay;
            for (int j = 0; j < d; j++) {
                means[0][j] = staying[j] / stay;
                if (leave > 0) {
                    means[1][j] = (total[j] - staying[j]) / leave;
                }
            }
            for (int j = 0; j < d; j++) {
                for (int l = 0; l <= j; l++) {
                    double v = moments[j][l] - stay * means[0][j] * means[0][l]
                            - (leave > 0 ? leave * means[1][j] * means[1][l] : 0.0);
                    scatter[j][l] = v / mass;
                    scatter[l][j] = scatter[j][l];
                }
            }
        }
    }

    /** The model after merging {@code a} and {@code b} into {@code a} and splitting {@code c} into {@code c} and {@code b}. */
    private static GaussianMixtureModel moved(GaussianMixtureSteps steps, Dataset rows, boolean sampled,
                                              GaussianMixtureModel fitted, double[][] r, int a, int b, int c,
                                              double[] axis) {
        int k = fitted.components();
        int d = rows.columns();
        double[] x = rows.rawValues();
        double[] mu = fitted.mean(c);
        double[][] moved = new double[rows.rows()][];
        for (int i = 0; i < rows.rows(); i++) {
            double[] ri = r[i].clone();
            ri[a] += ri[b];
            ri[b] = 0;
            double side = 0;
            for (int j = 0; j < d; j++) {
                side += axis[j] * (x[i * d + j] - mu[j]);
            }
            if (side < 0) {
                ri[b] = ri[c];
                ri[c] = 0;
            }
            moved[i] = ri;
        }
        double[] means = fitted.flatMeans().clone();
        GaussianStatistics s = steps.statisticsOf(rows, k, means, (from, to, resp) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(moved[i], 0, resp, (i - from) * k, k);
            }
        });
        GaussianMixtureModel estimated = steps.maximize(s, fitted, warning -> { });
        return sampled ? keepUntouched(fitted, estimated, a, b, c) : estimated;
    }

    /**
     * The moved model with every component the move does not touch (neither merged, {@code a} and {@code b}, nor
     * split, {@code c}) as it was in the fit: only the moved components are estimated from the rows looked at.
     * Used where those are a sample ({@link SplitMergePlan#MAX_ROWS} of more), where the M-step would estimate a
     * small component from its few sampled rows: on 80,000 rows in 12 dimensions, K = 20, components of 21–46
     * rows kept 5–11 of the 20,000 looked at, and every repair's model started with one of them collapsed
     * (smallest covariance eigenvalue 1.4e-6), a spurious fit the race ranked below every proper one. The
     * weights: the untouched components keep theirs, the merged component takes the pair's, and the split
     * component's is shared between its halves as the rows looked at share it. Only for the structures whose
     * components have covariances of their own (full, diag, spherical); the others are the M-step's. Where all
     * the rows are looked at the M-step's model is kept as it was: one EM step for the untouched components (a
     * search on a sample races moves from short runs, where that step helps: keeping the components there too
     * ended one of 25 generated sets, 50,000 × 8, K = 14, 55 nats lower).
     */
    private static GaussianMixtureModel keepUntouched(GaussianMixtureModel fitted, GaussianMixtureModel moved, int a,
                                                      int b, int c) {
        CovarianceType type = fitted.covarianceType();
        if (type != CovarianceType.FULL && type != CovarianceType.DIAG && type != CovarianceType.SPHERICAL) {
            return moved;
        }
        int k = fitted.components();
        int d = fitted.dimension();
        double[] w = fitted.weights();
        double[] mw = moved.weights();
        double[] weights = w.clone();
        weights[a] = w[a] + w[b];
        double halves = mw[b] + mw[c];
        double share = halves > 0 ? mw[c] / halves : 0.5;
        weights[c] = w[c] * share;
        weights[b] = w[c] * (1 - share);
        double[] means = fitted.flatMeans().clone();
        double[][] cov = fitted.flatCovariances().clone();
        double[] movedMeans = moved.flatMeans();
        double[][] movedCov = moved.flatCovariances();
        for (int t : new int[] {a, b, c}) {
            System.arraycopy(movedMeans, t * d, means, t * d, d);
            cov[t] = movedCov[t];
        }
        for (int t = 0; t < k; t++) {
            cov[t] = cov[t].clone();
        }
        return GaussianMixtureModel.ofFlat(type, weights, means, cov, d, fitted.featureNames());
    }

    /**
     * A row's weight in a component below which it is left out of the component's split gain; its responsibility in
     * a pair below which it is left out of the pair's merge loss.
     */
    static final double HELD = 1e-3;
    /**
     * The most rows a merge's loss is summed over: every row looked at up to this many, else every second, third, ...
     * of them, so that at most this many are (a look takes up to {@link SplitMergePlan#MAX_ROWS}).
     */
    static final int MERGE_ROWS = 5_000;
    /** The most EM steps of a component's trial split. */
    private static final int SPLIT_STEPS = 20;
    /** A trial split stops once a step gains less than this many nats per unit of the component's weight. */
    private static final double SPLIT_TOLERANCE = 1e-4;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** {@code Σ log L_jj}: half the log-determinant of {@code L Lᵀ}. */
    private static double logDiagonal(double[][] l) {
        double s = 0;
        for (int j = 0; j < l.length; j++) {
            s += Math.log(l[j][j]);
        }
        return s;
    }

    /** The parameters one component of the fit adds to the mixture: what a fit with one component fewer saves. */
    private static long ownParameters(GaussianMixtureModel fitted) {
        CovarianceType type = fitted.covarianceType();
        int k = fitted.components();
        int d = fitted.dimension();
        return type.mixtureParameters(k, d) - type.mixtureParameters(k - 1, d);
    }

    /** The squared Mahalanobis distance of row {@code x[off..]} from {@code mu} under {@code L Lᵀ}. */
    private static double mahalanobis(double[][] l, double[] x, int off, double[] mu, double[] z) {
        int d = mu.length;
        double m2 = 0;
        for (int i = 0; i < d; i++) {
            double s = x[off + i] - mu[i];
            for (int t = 0; t < i; t++) {
                s -= l[i][t] * z[t];
            }
            z[i] = s / l[i][i];
            m2 += z[i] * z[i];
        }
        return m2;
    }
}
