package io.emkit.gaussian;

import io.emkit.em.MiniBatch;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.ExpectationMaximization.Expectation;
import io.emkit.em.ExpectationRunner;

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
 * <p>Stateful: {@link MiniBatch.Runner#fit} begins a run before each initialisation. Each batch's E-step
 * runs over fixed blocks merged along a fixed tree, so the result does not depend on the number of threads.
 */
final class StepwiseExpectation extends MiniBatch.Runner<GaussianMixtureModel, GaussianStatistics> {
    private final GaussianMixtureSteps steps;
    private final Rows data;
    private final MiniBatch schedule;
    private final double regCovar;
    private final boolean fullMoments;
    private final int blockSize;
    private final ForkJoinPool pool;

    StepwiseExpectation(GaussianMixtureSteps steps, Rows data, MiniBatch schedule, double regCovar, boolean fullMoments,
                        int blockSize, ForkJoinPool pool) {
        super(schedule, data);
        this.steps = steps;
        this.data = data;
        this.schedule = schedule;
        this.regCovar = regCovar;
        this.fullMoments = fullMoments;
        this.blockSize = blockSize;
        this.pool = pool;
    }

    @Override
    protected Expectation<GaussianStatistics> allRows(GaussianMixtureModel params) {
        return ExpectationMaximization.expectation(steps, data, params, blockSize, pool);
    }

    @Override
    protected GaussianStatistics startRunning(GaussianMixtureModel params) {
        return GaussianStatistics.impliedBy(params, fullMoments, regCovar);
    }

    @Override
    protected Expectation<GaussianStatistics> batch(GaussianMixtureModel params, Dataset batch) {
        return ExpectationMaximization.expectation(steps, batch, params, blockSize, pool);
    }

    @Override
    protected GaussianStatistics fold(GaussianStatistics running, GaussianStatistics batchSums, int batchRows, int t) {
        GaussianStatistics normalised = batchSums.scaled(1.0 / batchRows);
        running.stepToward(normalised, schedule.stepSize(t));
        return running.scaled(data.rows());
    }
}
