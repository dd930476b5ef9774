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
 * <p><b>Acceleration.</b> By default ({@link Acceleration#SQUAREM}) a model whose steps supply a
 * {@link ParameterVector} is fitted by SQUAREM (Varadhan and Roland 2008, scheme S3, with their step-length
 * adaptation and a monotonicity safeguard, see {@link Acceleration#SQUAREM}); other models, and
 * {@link Acceleration#NONE}, run plain EM. An iteration is one E-step (one pass over the data), extrapolated
 * or not, so iteration counts compare the cost of plain and accelerated runs.
 *
 * <p><b>Convergence.</b> Plain EM converges when the per-unit mean objective changes by less than the
 * tolerance between two iterations (or whatever {@link EmSteps#convergenceChange} measures instead). The
 * statistics of that last E-step are then used for one more M-step (the parameters scikit-learn would
 * return) and the result is evaluated, so the run ends one step closer to the optimum and the reported
 * log-likelihood belongs exactly to the returned parameters. Under SQUAREM the change is measured across a
 * whole cycle (two EM steps, the extrapolation and the step from it), or across a cycle's two EM steps plus
 * what EM's observed rate says is still to come (Aitken), which ends a run without a last extrapolation
 * once EM itself has (nearly) nothing left to gain; the run ends at parameters whose E-step it has made, so
 * the reported log-likelihood again belongs exactly to them. A run also stops after the maximum number of
 * iterations, converged or not; with tolerance 0 it makes exactly that many.
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
     * {@link EmOptions#initializations()} runs from its first kind of start. Where the runner offers an explorer
     * ({@link ExpectationRunner#explorer()}), the search or the runs converge on it and the runner evaluates the answer;
     * a run of an exact number of iterations stays with the runner.
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
        boolean exact = options.maxIterations() == 0 || options.tolerance() == 0;
        if (options.search() != null && !exact) {
            return Search.fit(steps, runner, normalizer, space, options);
        }
        EmOptions plain = options.search() != null ? options.withInitializations(1) : options;
        ExpectationRunner<P, S> explorer = runner.explorer();
        if (explorer != runner && !exact) {
            // Plain runs converge on the explorer too (on Spark, the driver's copy of small data: MclustDA's per-class
            // fits of iris took 8,433 jobs), and the runner evaluates the best. Exact runs stay with the runner, as
            // asked: they time or reproduce its iterations.
            EmResult<P> found = multiStart(steps, explorer, normalizer, random -> space.start(0, random), plain);
            return found.withLogLikelihood(runner.run(found.params()).logLikelihood());
        }
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
        BlockTask<D, P, S> all = new BlockTask<>(steps, data, params, blockSize, n, 0, Math.max(blocks, 1));
        // One block is one task: run it here rather than hand it to a worker and wait, which costs a thread's
        // wake-up per E-step (a search on a small data set makes thousands).
        return blocks <= 1 ? all.compute() : pool.invoke(all);
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
        return runOnce(steps, runner, norm, start, runner.run(start), options, init, warnings);
    }

    /** {@link #runOnce} from a start whose E-step has been made already. */
    static <P, S extends SufficientStatistics<S>> Run<P, S> runOnce(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double norm, P start, Expectation<S> startExpectation,
            EmOptions options, int init, Consumer<String> warnings) {
        Progress progress = new Progress(options, init, norm, steps);
        P params = start;
        Expectation<S> e = startExpectation;
        progress.record(checkedObjective(steps, params, e, 0));
        ParameterVector<P> vector = options.acceleration() == Acceleration.NONE ? null : steps.parameterVector();
        if (vector != null) {
            AcceleratedRun<P, S> run = options.acceleration() == Acceleration.DAAREM
                    ? new Daarem<>(steps, runner, vector, params, e, options, progress, warnings)
                    : new Squarem<>(steps, runner, vector, params, e, options, progress, warnings);
            return run.run();
        }
        boolean converged = false;
        double change = Double.NaN;
        while (progress.iterations() < options.maxIterations()) {
            double before = progress.objective();
            params = steps.maximize(e.statistics(), params, warnings);
            e = runner.run(params);
            progress.record(checkedObjective(steps, params, e, progress.iterations() + 1));
            change = steps.convergenceChange(before, progress.objective(), norm);
            if (converged) {
                break;
            }
            converged = Math.abs(change) < options.tolerance();
        }
        return progress.finish(params, e, converged, change);
    }

    /** SQUAREM's largest first step, and the factor by which the largest step grows or shrinks. */
    private static final double FIRST_STEP_MAX = 1.0;
    private static final double STEP_FACTOR = 4.0;
    /**
     * How near the tolerance a cycle's first EM step must come before the cycle also evaluates F(F(θ)) to test
     * convergence: far from it, EM's change in one step is many times the tolerance and the test cannot pass.
     */
    private static final double NEAR_END = 100;

    /**
     * SQUAREM, scheme S3 ({@link Acceleration#SQUAREM}): cycles of two EM steps, an extrapolation and one
     * EM step from the extrapolated point, each cycle ending at parameters whose objective is at least
     * that of one plain EM step (two near convergence). The convergence test compares the objective at the
     * start and end of a cycle, and near the end also asks whether plain EM has (nearly) nothing left to gain
     * (Aitken). Near the iteration limit, where a cycle no longer fits, it makes plain EM steps.
     *
     * <p>The run's objective never decreases: an EM step that would lower it ({@link #falls}) is not taken,
     * and the run stops, converged, at the parameters it stands at. An exact M-step never does that, but a
     * regularised one can: adding {@code regCovar} to the covariances is not an ascent of the likelihood,
     * so the regularised map's fixed point lies slightly below the likelihood's optimum, and a run that
     * extrapolates past it would otherwise be pulled back down (by 1.6e-5 on iris, VVV, K = 3, from a
     * hierarchical start). Stopping there keeps the parameters with the best objective the run has seen.
     */
    private static final class Squarem<P, S extends SufficientStatistics<S>> extends AcceleratedRun<P, S> {
        private double stepMax = FIRST_STEP_MAX;

        Squarem(EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, ParameterVector<P> vector, P start,
                Expectation<S> startExpectation, EmOptions options, Progress progress, Consumer<String> warnings) {
            super(steps, runner, vector, start, startExpectation, options, progress, warnings);
        }

        @Override
        Run<P, S> iterate(double before) {
            if (options.maxIterations() - progress.iterations() < 4) {
                if (!standAtUnlessItFalls(steps.maximize(e.statistics(), params, warnings), before)) {
                    return progress.finish(params, e, true, 0);
                }
                settle(before);
                return null;
            }
            Step<P, S> first = emStep(steps, runner, params, e, progress, warnings);
            P p1 = first.params;
            Expectation<S> e1 = first.expectation;
            double objective1 = first.objective;
            if (falls(before, objective1)) {
                return progress.finish(params, e, true, 0);
            }
            progress.record(objective1);
            P p2 = steps.maximize(e1.statistics(), p1, warnings);
            // F(F(θ))'s own E-step is needed only to test convergence near the end, or when the cycle falls back
            // to it: elsewhere the cycle makes three E-steps instead of four (on 100k rows, K = 16, every
            // extrapolation of the final run was accepted).
            Step<P, S> second = null;
            if (Math.abs(steps.convergenceChange(before, objective1, progress.norm)) < NEAR_END * options.tolerance()) {
                second = evaluateUnlessItFalls(steps, runner, p2, objective1, progress);
                if (second == null) {
                    return progress.finish(p1, e1, true, steps.convergenceChange(before, objective1, progress.norm));
                }
                if (plainEmHasConverged(steps, before, objective1, second.objective, progress.norm,
                        options.tolerance())) {
                    return progress.finish(p2, second.expectation, true,
                            steps.convergenceChange(before, second.objective, progress.norm));
                }
            }
            double[] x0 = vector.toVector(params);
            double[] r = vector.toVector(p1);
            double[] v = vector.toVector(p2);
            boolean vectors = x0 != null && r != null && v != null;
            double[] squares = vectors ? differences(x0, r, v) : new double[] {Double.NaN, Double.NaN};
            double rr = squares[0];
            double vv = squares[1];
            double alpha = -Math.sqrt(rr / vv);
            boolean finite = vectors && Double.isFinite(rr) && Double.isFinite(vv) && vv > 0 && Double.isFinite(alpha);
            alpha = finite ? Math.max(-stepMax, Math.min(-1.0, alpha)) : -1.0;
            // The floor a cycle must beat: two plain EM steps where F(F(θ))'s objective is known, one otherwise
            // (Varadhan and Roland ask only that a cycle not fall below its start).
            double floor = second != null ? second.objective : objective1;
            P next = null;
            Expectation<S> nextExpectation = null;
            if (alpha < -1.0) {
                double[] x = extrapolate(x0, r, v, alpha);
                List<String> stepWarnings = new ArrayList<>();
                // The extrapolated point is accepted whatever its objective (as in Varadhan and Roland's
                // SQUAREM): only the step from it must beat the floor. Rejecting it on its own objective as
                // well cost more iterations than it saved on faithful and iris (VVV, VEV, EEE, K = 2..4).
                Attempt<P, S> extrapolated = attempt(steps, runner, vector.fromVector(x, p2), -Double.MAX_VALUE,
                        floor, false, progress);
                Attempt<P, S> stabilised = extrapolated == null ? null : attempt(steps, runner,
                        maximizeOrNull(steps, extrapolated.expectation.statistics(), extrapolated.params,
                                stepWarnings::add), floor, floor, true, progress);
                if (stabilised != null) {
                    stepWarnings.forEach(warnings);
                    next = stabilised.params;
                    nextExpectation = stabilised.expectation;
                    stepMax = alpha == -stepMax ? STEP_FACTOR * stepMax : stepMax;
                } else if (alpha == -stepMax) {
                    stepMax = Math.max(FIRST_STEP_MAX, stepMax / STEP_FACTOR);
                }
            } else {
                // A step of −1 extrapolates exactly to F(F(θ)): the cycle is three plain EM steps.
                second = second != null ? second : evaluateUnlessItFalls(steps, runner, p2, objective1, progress);
                if (second == null) {
                    return progress.finish(p1, e1, true, steps.convergenceChange(before, objective1, progress.norm));
                }
                Step<P, S> third = emStep(steps, runner, p2, second.expectation, progress, warnings);
                if (falls(second.objective, third.objective)) {
                    return progress.finish(p2, second.expectation, true,
                            steps.convergenceChange(before, second.objective, progress.norm));
                }
                next = third.params;
                nextExpectation = third.expectation;
                progress.record(third.objective);
                stepMax = finite && -1.0 == -stepMax ? STEP_FACTOR * stepMax : stepMax;
            }
            if (next != null) {
                params = next;
                e = nextExpectation;
            } else if (second != null) {
                params = p2;
                e = second.expectation;
            } else {
                // The extrapolation failed before F(F(θ)) was evaluated: evaluate it now and stand there.
                second = evaluateUnlessItFalls(steps, runner, p2, objective1, progress);
                if (second == null) {
                    return progress.finish(p1, e1, true, steps.convergenceChange(before, objective1, progress.norm));
                }
                params = p2;
                e = second.expectation;
            }
            settle(before);
            return null;
        }
    }

    /** DAAREM's damping schedule (Henderson and Varadhan 2019): {@code δ = 1/(1 + DAMPING_BASE^(DAMPING_SHIFT − s))}. */
    private static final double DAMPING_BASE = 1.2;
    private static final double DAMPING_SHIFT = 25;
    /** DAAREM's largest memory: differences of the last ten iterates at most. */
    private static final int ANDERSON_ORDER = 10;

    /**
     * DAAREM ({@link Acceleration#DAAREM}): from the parameters {@code x} the run stands at, the M-step gives
     * {@code F(x)}; Anderson's proposal {@code F(x) − (ΔX + ΔR)γ} is evaluated (one E-step) and kept if it is valid
     * and its objective is above {@code x}'s; otherwise the run takes the EM step {@code F(x)} (a second E-step).
     * Where linear combinations leave the model's structure ({@link ParameterVector#keepsStructure}), the run stands
     * at the M-step from an accepted proposal instead, as SQUAREM's cycle does, and that point must beat {@code x}.
     *
     * <p>The floor is {@code x}'s objective, not {@code F(x)}'s: knowing {@code F(x)}'s would cost an E-step per
     * iteration, and one E-step per iteration is what Anderson acceleration is for. The objective still never
     * decreases.
     *
     * <p><b>Convergence</b> means what it means under SQUAREM. While the objectives of the last three points the run
     * stood at show convergence by SQUAREM's end-of-run test (the change of two iterations plus what their ratio
     * says is still to come), the run makes two plain EM steps and stops only if they pass the same test: the
     * change of two EM steps plus the geometric tail at EM's observed rate, SQUAREM's test near its end. A proposal
     * may gain almost nothing without the run being near the optimum (a damped or poor one is accepted if it gains
     * at all), so the accelerated iterations alone never end a run; the two EM steps also end it at parameters of
     * an M-step, as every other run ends.
     */
    private static final class Daarem<P, S extends SufficientStatistics<S>> extends AcceleratedRun<P, S> {
        private final boolean linear;
        private AndersonHistory history;
        private int successes;
        private final double[] stood;

        Daarem(EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, ParameterVector<P> vector, P start,
               Expectation<S> startExpectation, EmOptions options, Progress progress, Consumer<String> warnings) {
            super(steps, runner, vector, start, startExpectation, options, progress, warnings);
            this.linear = vector.keepsStructure(start);
            this.stood = new double[] {Double.NaN, Double.NaN, progress.objective()};
        }

        @Override
        Run<P, S> iterate(double before) {
            P mapped = steps.maximize(e.statistics(), params, warnings);
            double[] x = vector.toVector(params);
            double[] fx = vector.toVector(mapped);
            P proposal = null;
            boolean tried = false;
            if (x == null || fx == null || !allFinite(x) || !allFinite(fx)) {
                history = null;
            } else {
                if (history == null) {
                    history = new AndersonHistory(Math.min(ANDERSON_ORDER, (x.length + 1) / 2));
                }
                double damping = 1 / (1 + Math.pow(DAMPING_BASE, DAMPING_SHIFT - successes));
                double[] shift = history.step(x, fx, damping);
                // A correction with a component along the residual r = F(x) − x moves the proposal back towards x: the
                // differences then describe a map whose residual grows (EM leaving a saddle along a ridge), and
                // Anderson's secant aims at the fixed point EM is leaving. Such a proposal would be rejected at the
                // cost of an E-step (2,486 E-steps instead of 971 on one case of the search grid): the EM step is
                // taken without it. A proposal may cost up to three E-steps (its own, the step from it, the
                // fallback's): near the iteration limit the run makes plain EM steps, which end it at parameters of
                // an M-step.
                if (shift != null && dot(shift, fx, x) <= 0 && options.maxIterations() - progress.iterations() >= 4) {
                    for (int i = 0; i < fx.length; i++) {
                        shift[i] = fx[i] - shift[i];
                    }
                    proposal = vector.fromVector(shift, mapped);
                    tried = true;
                }
            }
            Attempt<P, S> accepted = null;
            if (proposal != null) {
                if (linear) {
                    accepted = attempt(steps, runner, proposal, Math.nextUp(before), before, true, progress);
                } else {
                    List<String> stepWarnings = new ArrayList<>();
                    Attempt<P, S> candidate = attempt(steps, runner, proposal, -Double.MAX_VALUE, before, false,
                            progress);
                    accepted = candidate == null ? null : attempt(steps, runner, maximizeOrNull(steps,
                            candidate.expectation.statistics(), candidate.params, stepWarnings::add), Math.nextUp(before),
                            before, true, progress);
                    if (accepted != null) {
                        stepWarnings.forEach(warnings);
                    }
                }
            }
            if (tried && accepted != null) {
                successes++;
            } else if (tried) {
                // A rejected (or invalid) proposal: the differences describe the map badly here. Damp more, and
                // restart the memory from the EM step the run takes instead.
                successes--;
                history.restart();
            }
            if (accepted != null) {
                params = accepted.params;
                e = accepted.expectation;
            } else if (!standAtUnlessItFalls(mapped, before)) {
                return progress.finish(params, e, true, 0);
            }
            stood[0] = stood[1];
            stood[1] = stood[2];
            stood[2] = progress.objective();
            change = steps.convergenceChange(before, progress.objective(), progress.norm);
            boolean settling = !Double.isNaN(stood[0])
                    && plainEmHasConverged(steps, stood[0], stood[1], stood[2], progress.norm, options.tolerance());
            if (settling && options.maxIterations() - progress.iterations() >= 2) {
                // Confirmed as SQUAREM confirms: two plain EM steps, and what their rate says is still to come.
                double from = progress.objective();
                Step<P, S> first = evaluateUnlessItFalls(steps, runner, steps.maximize(e.statistics(), params, warnings),
                        from, progress);
                if (first == null) {
                    return progress.finish(params, e, true, change);
                }
                Step<P, S> second = evaluateUnlessItFalls(steps, runner,
                        steps.maximize(first.expectation.statistics(), first.params, warnings), first.objective, progress);
                if (second == null) {
                    return progress.finish(first.params, first.expectation, true,
                            steps.convergenceChange(from, first.objective, progress.norm));
                }
                params = second.params;
                e = second.expectation;
                stood[0] = from;
                stood[1] = first.objective;
                stood[2] = second.objective;
                change = steps.convergenceChange(first.objective, second.objective, progress.norm);
                converged = plainEmHasConverged(steps, from, first.objective, second.objective, progress.norm,
                        options.tolerance());
            }
            return null;
        }
    }

    /**
     * The state and the loop the accelerated schemes share ({@link Squarem}, {@link Daarem}): the run stands at
     * parameters with their E-step, each iteration of a scheme moves it or ends it, and the run stops, as plain EM
     * does, when an iteration has converged or the iterations run out. Shared so that both schemes count their
     * iterations, take a plain EM step and end the same way.
     */
    private abstract static class AcceleratedRun<P, S extends SufficientStatistics<S>> {
        final EmSteps<?, P, S> steps;
        final ExpectationRunner<P, S> runner;
        final ParameterVector<P> vector;
        final EmOptions options;
        final Progress progress;
        final Consumer<String> warnings;
        /** Where the run stands, and its E-step. */
        P params;
        Expectation<S> e;
        boolean converged;
        double change = Double.NaN;

        AcceleratedRun(EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, ParameterVector<P> vector, P start,
                       Expectation<S> startExpectation, EmOptions options, Progress progress,
                       Consumer<String> warnings) {
            this.steps = steps;
            this.runner = runner;
            this.vector = vector;
            this.params = start;
            this.e = startExpectation;
            this.options = options;
            this.progress = progress;
            this.warnings = warnings;
        }

        /**
         * One iteration of the scheme from the objective {@code before} the run stands at.
         *
         * @return the run's end when it ends in the iteration (a step would lower the objective), else null
         */
        abstract Run<P, S> iterate(double before);

        final Run<P, S> run() {
            while (!converged && progress.iterations() < options.maxIterations()) {
                Run<P, S> end = iterate(progress.objective());
                if (end != null) {
                    return end;
                }
            }
            return progress.finish(params, e, converged, change);
        }

        /**
         * Stands at {@code mapped}, the M-step from where the run stands, with its E-step, as one iteration, unless
         * that EM step lowers the objective from {@code from} ({@link #falls}).
         *
         * @return false, standing still, if it does
         */
        final boolean standAtUnlessItFalls(P mapped, double from) {
            Step<P, S> plain = evaluateUnlessItFalls(steps, runner, mapped, from, progress);
            if (plain == null) {
                return false;
            }
            params = plain.params;
            e = plain.expectation;
            return true;
        }

        /** The change from {@code before} to where the run stands, and whether it has converged by it. */
        final void settle(double before) {
            change = steps.convergenceChange(before, progress.objective(), progress.norm);
            converged = Math.abs(change) < options.tolerance();
        }
    }

    /** {@code a · (b − c)}. */
    private static double dot(double[] a, double[] b, double[] c) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * (b[i] - c[i]);
        }
        return sum;
    }

    private static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Anderson acceleration's memory with restarts (DAAREM): the differences of successive iterates {@code ΔX} and
     * of their residuals {@code ΔR}, at most {@code order} of each, cleared when full (a restart). Everything is
     * computed in one thread, in a fixed order, so a run gives the same bits whatever the number of threads.
     */
    static final class AndersonHistory {
        /** Singular values below this fraction of the largest are dropped: their directions are rounding noise. */
        private static final double RANK_CUT = 1e-10;
        private final int order;
        private final List<double[]> iterateDifferences = new ArrayList<>();
        private final List<double[]> residualDifferences = new ArrayList<>();
        private double[] lastIterate;
        private double[] lastResidual;

        AndersonHistory(int order) {
            this.order = Math.max(1, order);
        }

        int order() {
            return order;
        }

        /** Forgets the differences; the next iterate starts a new memory. */
        void restart() {
            iterateDifferences.clear();
            residualDifferences.clear();
            lastIterate = null;
        }

        /**
         * Records the iterate {@code x} and its image {@code fx = F(x)}, and returns {@code (ΔX + ΔR)γ}, where
         * {@code γ} is the damped least-squares solution of {@code ΔR γ ≈ r} ({@code r = F(x) − x}, see
         * {@link #dampedLeastSquares}); Anderson's proposal is {@code F(x)} minus it. {@code null} right after a
         * restart (no differences yet), where the proposal is the EM step itself.
         */
        double[] step(double[] x, double[] fx, double damping) {
            double[] residual = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                residual[i] = fx[i] - x[i];
            }
            if (lastIterate != null) {
                if (iterateDifferences.size() == order) {
                    iterateDifferences.clear();
                    residualDifferences.clear();
                } else {
                    double[] dx = new double[x.length];
                    double[] dr = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        dx[i] = x[i] - lastIterate[i];
                        dr[i] = residual[i] - lastResidual[i];
                    }
                    iterateDifferences.add(dx);
                    residualDifferences.add(dr);
                }
            }
            lastIterate = x.clone();
            lastResidual = residual;
            if (iterateDifferences.isEmpty()) {
                return null;
            }
            double[] gamma = dampedLeastSquares(residualDifferences, residual, damping);
            double[] shift = new double[x.length];
            for (int j = 0; j < gamma.length; j++) {
                double[] dx = iterateDifferences.get(j);
                double[] dr = residualDifferences.get(j);
                for (int i = 0; i < shift.length; i++) {
                    shift[i] += gamma[j] * (dx[i] + dr[i]);
                }
            }
            return shift;
        }

        /**
         * The {@code γ} that minimises {@code ‖b − Aγ‖² + λ‖γ‖²} for the columns {@code A}, with {@code λ ≥ 0} such
         * that {@code ‖γ‖²} is {@code damping} times that of the least-squares solution of smallest norm (DAAREM's
         * damping). Solved through the singular value decomposition of {@code A} by one-sided Jacobi rotations,
         * which works on {@code A} itself (not on {@code AᵀA}, whose condition number is the square), and drops
         * singular values below {@code 1e-10} of the largest. {@code λ} is found by bisection: {@code ‖γ(λ)‖} falls
         * monotonically as {@code λ} grows.
         *
         * @param columns the columns of A, each of the same length
         * @param b       the right-hand side
         * @param damping in (0, 1]; 1 is the plain least-squares solution
         * @return γ, one entry per column
         */
        static double[] dampedLeastSquares(List<double[]> columns, double[] b, double damping) {
            int m = columns.size();
            int p = b.length;
            double[][] u = new double[m][];
            double[][] v = new double[m][m];
            for (int j = 0; j < m; j++) {
                u[j] = columns.get(j).clone();
                v[j][j] = 1;
            }
            for (int sweep = 0; sweep < 60; sweep++) {
                boolean rotated = false;
                for (int i = 0; i < m - 1; i++) {
                    for (int j = i + 1; j < m; j++) {
                        double aa = dot(u[i], u[i]);
                        double bb = dot(u[j], u[j]);
                        double ab = dot(u[i], u[j]);
                        if (!(Math.abs(ab) > 1e-15 * Math.sqrt(aa * bb))) {
                            continue;
                        }
                        rotated = true;
                        double zeta = (bb - aa) / (2 * ab);
                        double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                        t = zeta == 0 ? 1 : t;
                        double c = 1 / Math.sqrt(1 + t * t);
                        double s = c * t;
                        rotate(u[i], u[j], c, s);
                        rotate(v[i], v[j], c, s);
                    }
                }
                if (!rotated) {
                    break;
                }
            }
            double[] sigma = new double[m];
            double largest = 0;
            for (int j = 0; j < m; j++) {
                sigma[j] = Math.sqrt(dot(u[j], u[j]));
                largest = Math.max(largest, sigma[j]);
            }
            // The rotated columns are σ_j times the left singular vectors: projection[j] is σ_j times b's coordinate.
            double[] projection = new double[m];
            double undamped = 0;
            double numerator = 0;
            for (int j = 0; j < m; j++) {
                if (!(sigma[j] > RANK_CUT * largest)) {
                    sigma[j] = 0;
                    continue;
                }
                projection[j] = dot(u[j], b);
                double coefficient = projection[j] / (sigma[j] * sigma[j]);
                undamped += coefficient * coefficient;
                numerator += projection[j] * projection[j];
            }
            double lambda = 0;
            if (damping < 1 && undamped > 0) {
                double target = damping * undamped;
                double lo = 0;
                double hi = Math.sqrt(numerator / target);
                for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
                    double mid = 0.5 * (lo + hi);
                    if (dampedNormSquared(sigma, projection, mid) > target) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                lambda = 0.5 * (lo + hi);
            }
            double[] gamma = new double[m];
            for (int j = 0; j < m; j++) {
                if (sigma[j] == 0) {
                    continue;
                }
                double coefficient = projection[j] / (sigma[j] * sigma[j] + lambda);
                for (int i = 0; i < m; i++) {
                    gamma[i] += coefficient * v[j][i];
                }
            }
            return gamma;
        }

        /** {@code ‖γ(λ)‖²} for the projections {@code σ_j (u_jᵀb)} (unnormalised {@code u_j}). */
        private static double dampedNormSquared(double[] sigma, double[] projection, double lambda) {
            double sum = 0;
            for (int j = 0; j < sigma.length; j++) {
                if (sigma[j] > 0) {
                    double coefficient = projection[j] / (sigma[j] * sigma[j] + lambda);
                    sum += coefficient * coefficient;
                }
            }
            return sum;
        }

        private static double dot(double[] a, double[] b) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += a[i] * b[i];
            }
            return sum;
        }

        /** The plane rotation {@code (a, b) ← (c·a − s·b, s·a + c·b)}. */
        private static void rotate(double[] a, double[] b, double c, double s) {
            for (int i = 0; i < a.length; i++) {
                double x = a[i];
                double y = b[i];
                a[i] = c * x - s * y;
                b[i] = s * x + c * y;
            }
        }
    }

    /**
     * SQUAREM's differences, in place: {@code r = F(θ) − θ} and {@code v = F(F(θ)) − 2F(θ) + θ}, given {@code r =
     * F(θ)} and {@code v = F(F(θ))}. Kept out of the cycle's method so that the JIT compiles these loops on their
     * own rather than the whole cycle on the stack (an on-stack compilation of the cycle cost ~0.7 CPU-s of C2 time
     * per process in short fits).
     *
     * @return {@code {|r|², |v|²}}
     */
    private static double[] differences(double[] x0, double[] r, double[] v) {
        double rr = 0;
        double vv = 0;
        for (int i = 0; i < x0.length; i++) {
            v[i] = v[i] - 2 * r[i] + x0[i];
            r[i] = r[i] - x0[i];
            rr += r[i] * r[i];
            vv += v[i] * v[i];
        }
        return new double[] {rr, vv};
    }

    /** SQUAREM's extrapolated point {@code θ − 2αr + α²v}. */
    private static double[] extrapolate(double[] x0, double[] r, double[] v, double alpha) {
        double[] x = new double[x0.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = x0[i] - 2 * alpha * r[i] + alpha * alpha * v[i];
        }
        return x;
    }

    /**
     * Whether an EM step from objective {@code from} to {@code to} lowers the objective beyond rounding (a
     * relative 1e-12, far above the rounding of a sum of log-densities and far below any real change).
     */
    private static boolean falls(double from, double to) {
        return to < from - 1e-12 * Math.abs(from);
    }

    /**
     * Whether two plain EM steps, with objectives {@code l0 → l1 → l2}, show convergence before any
     * extrapolation: the change of the two steps plus the change still to come if EM kept its rate
     * {@code ρ = (l2 − l1)/(l1 − l0)} (Aitken: {@code (l2 − l1)·ρ/(1 − ρ)}) is below the tolerance. Saves a
     * cycle's extrapolation at the end of a run; the estimate of what is left keeps it from stopping where
     * EM only crawls.
     */
    private static boolean plainEmHasConverged(EmSteps<?, ?, ?> steps, double l0, double l1, double l2, double norm,
                                               double tolerance) {
        double first = l1 - l0;
        double second = l2 - l1;
        double rho = second / first;
        if (!(first > 0) || !(rho >= 0)) {
            // No steady rate: a step that did not rise is rounding noise at the optimum when both are that
            // small (a run started at an optimum found on a sample otherwise cycles on for four more E-steps).
            return Math.abs(steps.convergenceChange(l0, l1, norm)) < tolerance
                    && Math.abs(steps.convergenceChange(l1, l2, norm)) < tolerance;
        }
        if (!(rho < 1)) {
            return false;
        }
        double projected = l2 + second * rho / (1 - rho);
        return Math.abs(steps.convergenceChange(l0, projected, norm)) < tolerance;
    }

    /**
     * Evaluates a candidate of an accelerated cycle (an extrapolated point, or the EM step from it) at the
     * cost of one iteration; {@code null} if there is no candidate, its E-step fails or its objective is
     * below {@code floor}. The iteration is recorded with the objective where the run stands: the
     * candidate's if it is accepted as the cycle's end ({@code end}), else {@code floor}, that of F(F(θ)).
     */
    private static <P, S extends SufficientStatistics<S>> Attempt<P, S> attempt(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, P candidate, double threshold, double floor,
            boolean end, Progress progress) {
        if (candidate == null) {
            return null;
        }
        Expectation<S> e;
        try {
            e = runner.run(candidate);
        } catch (EmkitException | ArithmeticException failed) {
            progress.record(floor);
            return null;
        }
        double objective = e.logLikelihood() + steps.logPrior(candidate);
        boolean accepted = objective >= threshold && objective < Double.POSITIVE_INFINITY;
        progress.record(accepted && end ? objective : floor);
        return accepted ? new Attempt<>(candidate, e) : null;
    }

    /** The M-step from an extrapolated point, or {@code null} if the step fails there. */
    private static <P, S extends SufficientStatistics<S>> P maximizeOrNull(
            EmSteps<?, P, S> steps, S statistics, P previous, Consumer<String> warnings) {
        try {
            return steps.maximize(statistics, previous, warnings);
        } catch (EmkitException | ArithmeticException failed) {
            return null;
        }
    }

    private record Attempt<P, S>(P params, Expectation<S> expectation) {
    }

    /**
     * The E-step and objective at {@code params}, the result of an M-step from objective {@code from}, recorded as
     * an iteration; {@code null} (nothing recorded) if that EM step lowers the objective ({@link #falls}).
     */
    private static <P, S extends SufficientStatistics<S>> Step<P, S> evaluateUnlessItFalls(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, P params, double from, Progress progress) {
        Expectation<S> e = runner.run(params);
        double objective = checkedObjective(steps, params, e, progress.iterations() + 1);
        if (falls(from, objective)) {
            return null;
        }
        progress.record(objective);
        return new Step<>(params, e, objective);
    }

    /** One plain EM step from {@code params}, whose E-step is {@code e}: the M-step, its E-step and objective. */
    private static <P, S extends SufficientStatistics<S>> Step<P, S> emStep(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, P params, Expectation<S> e, Progress progress,
            Consumer<String> warnings) {
        P next = steps.maximize(e.statistics(), params, warnings);
        Expectation<S> nextExpectation = runner.run(next);
        return new Step<>(next, nextExpectation,
                checkedObjective(steps, next, nextExpectation, progress.iterations() + 1));
    }

    private record Step<P, S>(P params, Expectation<S> expectation, double objective) {
    }

    /**
     * A run's objective after each iteration, told to the listener as it comes: the objective of the
     * parameters the run stands at, which never decreases under acceleration.
     */
    private static final class Progress {
        private final EmOptions options;
        private final int init;
        private final double norm;
        private final EmSteps<?, ?, ?> steps;
        private final long t0 = System.nanoTime();
        private double[] trace;
        private int count;

        Progress(EmOptions options, int init, double norm, EmSteps<?, ?, ?> steps) {
            this.options = options;
            this.init = init;
            this.norm = norm;
            this.steps = steps;
            this.trace = new double[Math.min(options.maxIterations(), 127) + 1];
        }

        void record(double objective) {
            if (count == trace.length) {
                trace = java.util.Arrays.copyOf(trace, (int) Math.min(2L * trace.length, options.maxIterations() + 1L));
            }
            trace[count] = objective;
            double change = count == 0 ? Double.NaN : steps.convergenceChange(trace[count - 1], objective, norm);
            options.listener().onIteration(new IterationEvent(init, options.initializations(), count, objective,
                    change, System.nanoTime() - t0));
            count++;
        }

        int iterations() {
            return count - 1;
        }

        double objective() {
            return trace[count - 1];
        }

        <P, S> Run<P, S> finish(P params, Expectation<S> e, boolean converged, double change) {
            return new Run<>(params, e.statistics(), e.logLikelihood(), objective(),
                    java.util.Arrays.copyOf(trace, count), count - 1, converged, change);
        }
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
