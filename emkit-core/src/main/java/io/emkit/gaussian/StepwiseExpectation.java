package io.emkit.gaussian;

import io.emkit.em.MiniBatch;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * Stepwise EM's E-side, as the engine's {@link ExpectationRunner}: each call is one batch, whose
 * normalised statistics are folded into the running ones ({@link MiniBatch} says how); the engine makes
 * the M-step after each call, so the one EM loop drives stepwise EM too. The call after the last batch
 * is an ordinary E-step over all the rows, whose log-likelihood belongs exactly to the fitted parameters.
 *
 * <p>What a batch call returns is the running statistics scaled to the n rows of the data (the M-step
 * is scale-free, and its diagnostics count rows' worth of responsibility), and the batch's
 * log-likelihood scaled to n rows, so that the trace reads as estimates of the total log-likelihood.
 *
 * <p>Stateful: {@link #restart} begins a run (the engine's start function calls it before each
 * initialisation). Each batch's E-step runs over fixed blocks merged along a fixed tree, so the result
 * does not depend on the number of threads.
 */
final class StepwiseExpectation implements ExpectationRunner<GaussianMixtureModel, GaussianStatistics> {
    private final GaussianMixtureSteps steps;
    private final Rows data;
    private final MiniBatch schedule;
    private final double regCovar;
    private final boolean fullMoments;
    private final int blockSize;
    private final ForkJoinPool pool;
    private final MiniBatch.Batches batches;
    private GaussianStatistics running;

    StepwiseExpectation(GaussianMixtureSteps steps, Rows data, MiniBatch schedule, double regCovar, boolean fullMoments,
                        int blockSize, ForkJoinPool pool) {
        this.steps = steps;
        this.data = data;
        this.schedule = schedule;
        this.regCovar = regCovar;
        this.fullMoments = fullMoments;
        this.blockSize = blockSize;
        this.pool = pool;
        this.batches = new MiniBatch.Batches(schedule, data);
    }

    /** @return the M-steps of one run: a batch each */
    int updates() {
        return batches.updates();
    }

    /**
     * Begins a run.
     *
     * @param orderRandom draws the row orders of a shuffled schedule; unused otherwise
     */
    void restart(SplittableRandom orderRandom) {
        batches.restart(orderRandom);
        running = null;
    }

    @Override
    public Expectation<GaussianStatistics> run(GaussianMixtureModel params) {
        int n = data.rows();
        if (batches.finished()) {
            return ExpectationMaximization.expectation(steps, data, params, blockSize, pool);
        }
        if (running == null) {
            running = GaussianStatistics.impliedBy(params, fullMoments, regCovar);
        }
        int t = batches.taken();
        Dataset batch = batches.next();
        Expectation<GaussianStatistics> e = ExpectationMaximization.expectation(steps, batch, params, blockSize, pool);
        GaussianStatistics normalised = e.statistics().scaled(1.0 / batch.rows());
        running.recentre(normalised.shift);
        running.interpolate(normalised, schedule.stepSize(t));
        return new Expectation<>(running.scaled(n), e.logLikelihood() * n / batch.rows());
    }
}
