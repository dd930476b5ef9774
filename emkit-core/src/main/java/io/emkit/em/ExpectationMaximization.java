package io.emkit.em;

import io.emkit.EmkitException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.function.Consumer;

/**
 * The EM loop, written once for every model: initialisation and restarts, alternating E- and M-steps,
 * the convergence test, progress, and the parallel E-step.
 *
 * <p><b>Convergence.</b> A run converges when the per-unit mean objective changes by less than the
 * tolerance between two iterations (or whatever {@link EmSteps#convergenceChange} measures instead). The statistics of that last E-step are then used for one more M-step
 * (the parameters scikit-learn would return) and the result is evaluated, so the run ends one step closer
 * to the optimum and the reported log-likelihood belongs exactly to the returned parameters. A run also
 * stops after the maximum number of M-steps, converged or not; with tolerance 0 it makes exactly that many.
 *
 * <p><b>Threads and determinism.</b> The data are cut into blocks of a fixed size; each block is
 * accumulated into its own statistics, and the statistics are merged along a binary tree whose shape
 * depends only on the number of blocks. Floating-point sums therefore happen in the same order whatever
 * the number of threads, and the same seed gives the same result bit for bit.
 *
 * <p><b>Search.</b> By default ({@link EmOptions#search()} set) a fit is a {@link Search}: many short runs
 * from the model's kinds of start, the best continued, then split/merge moves where the model offers them.
 * With a number of initialisations instead ({@link EmOptions#withInitializations}), it is plain restarts:
 *
 * <p><b>Restarts.</b> One {@link SplittableRandom} made from the seed is split once per initialisation,
 * in order; the run with the highest final objective wins. A run that fails (a non-finite objective or an
 * {@link EmkitException} from a step) is reported in the warnings and skipped; if all fail, the fit fails.
 */
public final class ExpectationMaximization {
    private ExpectationMaximization() {
    }

    /**
     * Fits a model by EM.
     *
     * @param steps       the model's E- and M-step
     * @param data        the data
     * @param initializer chooses starting parameters
     * @param options     how to run
     * @param <D>         data type
     * @param <P>         parameter type
     * @param <S>         statistics type
     * @return the best run's result
     * @throws EmkitException if every initialisation failed
     */
    public static <D, P, S extends SufficientStatistics<S>> EmResult<P> fit(
            EmSteps<D, P, S> steps, D data, Initializer<D, P> initializer, EmOptions options) {
        int n = steps.size(data);
        if (n < 1) {
            throw new EmkitException("no data to fit (0 rows)");
        }
        return fit(steps, data, SearchSpace.of("start", random -> initializer.initialize(data, random), n), options);
    }

    /**
     * Fits a model by EM from the starts a model offers: by the {@link Search} when {@link EmOptions#search()}
     * is set, otherwise by {@link EmOptions#initializations()} runs from its first kind of start.
     *
     * @param steps   the model's E- and M-step
     * @param data    the data
     * @param space   the model's starts (and moves)
     * @param options how to run
     * @param <D>     data type
     * @param <P>     parameter type
     * @param <S>     statistics type
     * @return the best result
     * @throws EmkitException if every start failed
     */
    public static <D, P, S extends SufficientStatistics<S>> EmResult<P> fit(
            EmSteps<D, P, S> steps, D data, SearchSpace<P> space, EmOptions options) {
        int n = steps.size(data);
        if (n < 1) {
            throw new EmkitException("no data to fit (0 rows)");
        }
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            return fit(steps, params -> expectation(steps, data, params, options.blockSize(), pool),
                    steps.normalizer(data), space, options);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Fits a model by EM with E-steps run elsewhere: by a cluster engine (Spark), a stream over a file, or
     * anything else that can turn parameters into merged statistics. Everything else — restarts,
     * iteration, convergence, listeners, warnings — is the same loop as {@link #fit(EmSteps, Object,
     * Initializer, EmOptions)}.
     *
     * @param steps      the model's M-step (and prior, parameter count, review)
     * @param runner     one E-step over all the data
     * @param normalizer the count that turns the total log-likelihood into the per-unit mean (rows)
     * @param start      chooses starting parameters from an initialisation's random stream
     * @param options    how to run ({@link EmOptions#threads()} and {@link EmOptions#blockSize()} are the runner's business)
     * @param <P>        parameter type
     * @param <S>        statistics type
     * @return the best run's result
     * @throws EmkitException if every initialisation failed
     */
    public static <P, S extends SufficientStatistics<S>> EmResult<P> fit(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer,
            java.util.function.Function<SplittableRandom, P> start, EmOptions options) {
        return fit(steps, runner, normalizer, SearchSpace.of("start", start, normalizer), options);
    }

    /**
     * Fits a model by EM with E-steps run elsewhere (see {@link #fit(EmSteps, ExpectationRunner, double,
     * java.util.function.Function, EmOptions)}) from the starts a model offers: by the {@link Search} when
     * {@link EmOptions#search()} is set (unless the tolerance is 0 or no iteration is asked: one run then), otherwise by
     * {@link EmOptions#initializations()} runs from its first kind of start.
     *
     * @param steps      the model's M-step (and prior, parameter count, review)
     * @param runner     one E-step over all the data
     * @param normalizer the count that turns the total log-likelihood into the per-unit mean (rows)
     * @param space      the model's starts (and moves)
     * @param options    how to run
     * @param <P>        parameter type
     * @param <S>        statistics type
     * @return the best result
     * @throws EmkitException if every start failed
     */
    public static <P, S extends SufficientStatistics<S>> EmResult<P> fit(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            EmOptions options) {
        // Tolerance 0 asks for exactly maxIterations iterations of one run (benchmarks, exact reproductions),
        // and 0 iterations for the start's evaluation: neither is a search.
        if (options.search() != null && options.maxIterations() > 0 && options.tolerance() > 0) {
            return Search.fit(steps, runner, normalizer, space, options);
        }
        EmOptions plain = options.search() != null ? options.withInitializations(1) : options;
        return multiStart(steps, runner, normalizer, random -> space.start(0, random), plain);
    }

    /** {@link EmOptions#initializations()} full runs, the best kept: the plain strategy, without search. */
    private static <P, S extends SufficientStatistics<S>> EmResult<P> multiStart(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer,
            java.util.function.Function<SplittableRandom, P> start, EmOptions options) {
        Set<String> warnings = new LinkedHashSet<>();
        SplittableRandom root = new SplittableRandom(options.seed());
        double[] finals = new double[options.initializations()];
        Run<P, S> best = null;
        int bestIndex = -1;
        String firstFailure = null;
        for (int init = 0; init < options.initializations(); init++) {
            SplittableRandom random = root.split();
            Set<String> runWarnings = new LinkedHashSet<>();
            Run<P, S> run;
            try {
                run = runOnce(steps, runner, normalizer, start.apply(random), options, init, runWarnings::add);
            } catch (EmkitException e) {
                run = null;
                String reason = e.getMessage();
                if (firstFailure == null) {
                    firstFailure = reason;
                }
                warnings.add(options.initializations() == 1 ? "the fit failed: " + reason
                        : "initialisation " + (init + 1) + " failed: " + reason);
            }
            finals[init] = run == null ? Double.NaN : run.objective;
            options.listener().onRunFinished(init, finals[init], run != null && run.converged);
            if (run != null) {
                warnings.addAll(runWarnings);
                if (best == null || run.objective > best.objective) {
                    best = run;
                    bestIndex = init;
                }
            }
        }
        if (best == null) {
            throw new EmkitException(options.initializations() == 1 ? firstFailure
                    : "all " + options.initializations() + " initialisations failed; the first: " + firstFailure);
        }
        steps.review(best.params, best.statistics, warnings::add);
        if (!best.converged && options.tolerance() > 0) {
            warnings.add("did not converge in " + options.maxIterations()
                    + " iterations (last " + steps.convergenceMeasure() + ": "
                    + String.format("%.3g", best.lastChange) + ", tolerance " + options.tolerance()
                    + "); raise the iteration limit or the tolerance");
        }
        return new EmResult<>(best.params, best.logLikelihood, best.objective, best.trace, best.iterations,
                best.converged, bestIndex, finals, new ArrayList<>(warnings), steps.parameterCount(best.params),
                normalizer, null);
    }

    /**
     * One E-step over all the data, in parallel and deterministically: the merged statistics under
     * {@code params} and the total log-likelihood.
     *
     * @param steps     the model's steps
     * @param data      the data
     * @param params    the parameters
     * @param blockSize units per block
     * @param pool      where to run the blocks
     * @param <D>       data type
     * @param <P>       parameter type
     * @param <S>       statistics type
     * @return statistics and log-likelihood
     */
    public static <D, P, S extends SufficientStatistics<S>> Expectation<S> expectation(
            EmSteps<D, P, S> steps, D data, P params, int blockSize, ForkJoinPool pool) {
        int n = steps.size(data);
        int blocks = (int) ((n + (long) blockSize - 1) / blockSize);
        return pool.invoke(new BlockTask<>(steps, data, params, blockSize, n, 0, Math.max(blocks, 1)));
    }

    /**
     * The result of one E-step over all the data.
     *
     * @param statistics    merged statistics
     * @param logLikelihood total log-likelihood
     * @param <S>           statistics type
     */
    public record Expectation<S>(S statistics, double logLikelihood) {
    }

    static <P, S extends SufficientStatistics<S>> Run<P, S> runOnce(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double norm, P start, EmOptions options, int init,
            Consumer<String> warnings) {
        long t0 = System.nanoTime();
        double[] trace = new double[Math.min(options.maxIterations(), 127) + 1];
        P params = start;
        Expectation<S> e = runner.run(params);
        double objective = checkedObjective(steps, params, e, 0);
        trace[0] = objective;
        options.listener().onIteration(new IterationEvent(init, options.initializations(), 0, objective,
                Double.NaN, System.nanoTime() - t0));
        int iter = 0;
        boolean converged = false;
        double change = Double.NaN;
        while (iter < options.maxIterations()) {
            params = steps.maximize(e.statistics(), params, warnings);
            iter++;
            e = runner.run(params);
            double next = checkedObjective(steps, params, e, iter);
            change = steps.convergenceChange(objective, next, norm);
            objective = next;
            if (iter == trace.length) {
                trace = java.util.Arrays.copyOf(trace, (int) Math.min(2L * trace.length, options.maxIterations() + 1L));
            }
            trace[iter] = objective;
            options.listener().onIteration(new IterationEvent(init, options.initializations(), iter, objective,
                    change, System.nanoTime() - t0));
            if (converged) {
                break;
            }
            converged = Math.abs(change) < options.tolerance();

        }
        double[] used = java.util.Arrays.copyOf(trace, iter + 1);
        return new Run<>(params, e.statistics(), e.logLikelihood(), objective, used, iter, converged, change);
    }

    private static <P, S extends SufficientStatistics<S>> double checkedObjective(
            EmSteps<?, P, S> steps, P params, Expectation<S> e, int iteration) {
        double objective = e.logLikelihood() + steps.logPrior(params);
        if (Double.isNaN(objective) || objective == Double.POSITIVE_INFINITY) {
            throw new EmkitException("the log-likelihood became " + objective + " at iteration " + iteration
                    + "; the data may need scaling, or a larger regularisation");
        }
        if (objective == Double.NEGATIVE_INFINITY) {
            throw new EmkitException("some rows have zero probability under the model at iteration " + iteration
                    + " (log-likelihood -Infinity); the data may need scaling, or a larger regularisation");
        }
        return objective;
    }

    record Run<P, S>(P params, S statistics, double logLikelihood, double objective, double[] trace,
                             int iterations, boolean converged, double lastChange) {
    }

    /** Accumulates blocks [lo, hi) by halving, so the merge tree depends only on the number of blocks. */
    private static final class BlockTask<D, P, S extends SufficientStatistics<S>> extends RecursiveTask<Expectation<S>> {
        private static final long serialVersionUID = 1L;
        private final transient EmSteps<D, P, S> steps;
        private final transient D data;
        private final transient P params;
        private final int blockSize;
        private final int n;
        private final int lo;
        private final int hi;

        BlockTask(EmSteps<D, P, S> steps, D data, P params, int blockSize, int n, int lo, int hi) {
            this.steps = steps;
            this.data = data;
            this.params = params;
            this.blockSize = blockSize;
            this.n = n;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected Expectation<S> compute() {
            if (hi - lo == 1) {
                S stats = steps.emptyStatistics(params);
                int from = (int) Math.min((long) lo * blockSize, n);
                int to = (int) Math.min((long) hi * blockSize, n);
                double ll = steps.accumulate(params, data, from, to, stats);
                return new Expectation<>(stats, ll);
            }
            int mid = (lo + hi) >>> 1;
            BlockTask<D, P, S> left = new BlockTask<>(steps, data, params, blockSize, n, lo, mid);
            BlockTask<D, P, S> right = new BlockTask<>(steps, data, params, blockSize, n, mid, hi);
            left.fork();
            Expectation<S> r = right.compute();
            Expectation<S> l = left.join();
            l.statistics().merge(r.statistics());
            return new Expectation<>(l.statistics(), l.logLikelihood() + r.logLikelihood());
        }
    }
}
