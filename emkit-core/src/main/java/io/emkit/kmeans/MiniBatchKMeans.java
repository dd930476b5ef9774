package io.emkit.kmeans;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;
import io.emkit.em.MiniBatch;
import io.emkit.em.SearchSpace;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;

/**
 * Mini-batch k-means (Sculley 2010, <i>Web-scale k-means clustering</i>) as the engine's
 * {@link ExpectationRunner}: each call assigns one batch of rows to the current centroids and adds them into
 * running per-cluster counts and sums; the engine's M-step then makes every centroid the mean of all the rows
 * assigned to it so far, which is Sculley's update with his per-centre step size 1/count (a centroid no row
 * has reached keeps its start). The call after the last batch assigns every row, so the reported inertia is
 * exactly the fitted centroids'.
 *
 * <p>Stateful: {@link MiniBatch.Runner#fit} begins a run before each start. Each batch is assigned on the engine's fixed blocks and merged
 * along its fixed tree, and the running sums add the batches in order, so the result depends on the seed
 * only, not on the number of threads.
 */
final class MiniBatchKMeans extends MiniBatch.Runner<KMeansModel, KMeansStatistics> {
    private final Dataset data;
    private final int blockSize;
    private final ForkJoinPool pool;
    private final LongAdder distances;

    private MiniBatchKMeans(Dataset data, MiniBatch schedule, int blockSize, ForkJoinPool pool, LongAdder distances) {
        super(schedule, data);
        this.data = data;
        this.blockSize = blockSize;
        this.pool = pool;
        this.distances = distances;
    }

    /**
     * Fits by mini-batches: plain runs from the space's first kind of start, as many as the options ask.
     *
     * @param data      the rows, checked, unweighted
     * @param space     the starts
     * @param schedule  the batches
     * @param options   the run's options (their tolerance and iteration limit are replaced by the schedule)
     * @param distances counts the distances computed, or {@code null}
     * @return the best run
     */
    static EmResult<KMeansModel> fit(Dataset data, SearchSpace<KMeansModel> space, MiniBatch schedule, EmOptions options,
                                     LongAdder distances) {
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            return new MiniBatchKMeans(data, schedule, options.blockSize(), pool, distances).fit(KMeansSteps.INSTANCE,
                    KMeansSteps.INSTANCE.normalizer(data), random -> space.start(0, random), options);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    protected Expectation<KMeansStatistics> allRows(KMeansModel params) {
        count((long) data.rows() * params.components());
        return ExpectationMaximization.expectation(KMeansSteps.INSTANCE, data, params, blockSize, pool);
    }

    @Override
    protected KMeansStatistics startRunning(KMeansModel params) {
        KMeansStatistics running = new KMeansStatistics(params.components(), params.dimension());
        running.keepEmpty = true;
        return running;
    }

    @Override
    protected Expectation<KMeansStatistics> batch(KMeansModel params, Dataset batch) {
        count((long) batch.rows() * params.components());
        return ExpectationMaximization.expectation(KMeansSteps.INSTANCE, batch, params, blockSize, pool);
    }

    /** Adds the batch's counts and sums: the M-step makes each centroid the mean of every row it has had. */
    @Override
    protected KMeansStatistics fold(KMeansStatistics running, KMeansStatistics batchSums, int batchRows, int t) {
        running.addCounts(batchSums);
        return running;
    }

    private void count(long computed) {
        if (distances != null) {
            distances.add(computed);
        }
    }
}
