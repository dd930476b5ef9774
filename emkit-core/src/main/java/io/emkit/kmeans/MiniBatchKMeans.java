package io.emkit.kmeans;

import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;
import io.emkit.em.MiniBatch;
import io.emkit.em.SearchSpace;

import java.util.SplittableRandom;
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
 * <p>Stateful: {@link #restart} begins a run. Each batch is assigned on the engine's fixed blocks and merged
 * along its fixed tree, and the running sums add the batches in order, so the result depends on the seed
 * only, not on the number of threads.
 */
final class MiniBatchKMeans implements ExpectationRunner<KMeansModel, KMeansStatistics> {
    private final Dataset data;
    private final int blockSize;
    private final ForkJoinPool pool;
    private final LongAdder distances;
    private final MiniBatch.Batches batches;
    private KMeansStatistics running;

    private MiniBatchKMeans(Dataset data, MiniBatch schedule, int blockSize, ForkJoinPool pool, LongAdder distances) {
        this.data = data;
        this.blockSize = blockSize;
        this.pool = pool;
        this.distances = distances;
        this.batches = new MiniBatch.Batches(schedule, data);
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
            MiniBatchKMeans runner = new MiniBatchKMeans(data, schedule, options.blockSize(), pool, distances);
            return ExpectationMaximization.fit(KMeansSteps.INSTANCE, runner, KMeansSteps.INSTANCE.normalizer(data),
                    random -> {
                        // The order stream is split off first, so a shuffled and an ordered fit start alike.
                        runner.restart(random.split());
                        return space.start(0, random);
                    }, options.withTolerance(0).withMaxIterations(runner.batches.updates()).withAcceleration(Acceleration.NONE));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Begins a run; {@code orderRandom} draws the row orders of a shuffled schedule. */
    void restart(SplittableRandom orderRandom) {
        batches.restart(orderRandom);
        running = null;
    }

    @Override
    public Expectation<KMeansStatistics> run(KMeansModel params) {
        int n = data.rows();
        if (batches.finished()) {
            count((long) n * params.components());
            return ExpectationMaximization.expectation(KMeansSteps.INSTANCE, data, params, blockSize, pool);
        }
        if (running == null) {
            running = new KMeansStatistics(params.components(), params.dimension());
            running.keepEmpty = true;
        }
        Dataset batch = batches.next();
        count((long) batch.rows() * params.components());
        Expectation<KMeansStatistics> e = ExpectationMaximization.expectation(KMeansSteps.INSTANCE, batch, params,
                blockSize, pool);
        running.addCounts(e.statistics());
        return new Expectation<>(running, e.logLikelihood() * n / batch.rows());
    }

    private void count(long computed) {
        if (distances != null) {
            distances.add(computed);
        }
    }
}
