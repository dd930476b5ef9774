package io.emkit.em;

import io.emkit.EmkitException;
import io.emkit.Labelled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Collectors;

/**
 * The search for the global optimum that every model fitted by EM gets by default: a layer above "one EM run
 * from a start" ({@link ExpectationMaximization}).
 *
 * <ol>
 *   <li><b>Short runs</b> (emEM: Biernacki, Celeux and Govaert, 2003): the deterministic starts (a Gaussian
 *       mixture's hierarchical one) once each, then many drawn starts of the model's every other kind (taken
 *       round-robin from {@link SearchSpace#startKinds()}), each run for a few iterations at a loose
 *       tolerance. After the level's floor of starts, no new one is started once the best objective found
 *       has been found by several drawn runs (3 at the default level, to 1e-6 per row): a best optimum found again
 *       and again is rarely beaten by more starts, and where it is rare the whole budget is spent. (Only where
 *       the planned short runs cost at least 2% of the budget: on small data every planned start runs.)</li>
 *   <li><b>Continued runs</b>: the best short runs with different objectives, in order, run to convergence;
 *       the search stops continuing once two of them agree (their objectives differ by less than the
 *       convergence tolerance measures, or by 1e-7 relative).</li>
 *   <li><b>Split and merge</b> (SMEM: Ueda, Nakano, Ghahramani and Hinton, 2000), where the model offers
 *       moves ({@link SearchSpace#splitMerge}): from the best fit, a few candidates each merge two
 *       components and split a third; each gets a short run, the best are continued, and the first that
 *       raises the objective is kept; then again from the new fit, for a few rounds. Where a round keeps none
 *       and the search has spent less than half its budget, the next candidates down the same fit's list get
 *       a round of their own (up to three more at the default level, on shorter short runs): on components of
 *       a structure that cannot fit the clusters (spherical ones tiling elongated clusters) no pair plainly
 *       shares a cluster, and the move that leads higher is rarely among the first.</li>
 *   <li><b>Relocations</b>, where the model offers them ({@link SearchSpace#relocations}) and the search does
 *       not explore on a sample: from the best fit, a few candidates each move one part to where the rest of the
 *       model explains the data worst (Verbeek, Vlassis and Kröse, 2003, insert components there); tried like
 *       split/merge moves (and looked at further down their list the same way). For a part that straddles two
 *       clusters while another part holds the rest of one of them: no part covers two clusters, so no
 *       split/merge move repairs it.</li>
 *   <li><b>Repairs</b>, where the model tells a part the data do not support ({@link SearchSpace#repairs}: a
 *       Gaussian component whose loss costs fewer nats than BIC charges for it, or with fewer rows than parameters
 *       of its own): moves that merge it away and
 *       split another, tried like split/merge moves but each continued for a bounded number of iterations
 *       unless it is ahead by then.</li>
 * </ol>
 *
 * <p><b>Big data.</b> Where the model offers a sample ({@link SearchSpace#sample}: Gaussian mixtures and
 * k-means on at least four times {@link SearchSpace#explorationRows} rows), all of the above runs on a
 * random sample of the rows with half the level's budget, and only the best fit found there is run to
 * convergence on all of them. The optima of a sample that size are the data's; their E-steps cost a
 * fraction. But a part fitted to a few of the sample's rows looks as real there as a small cluster. So where
 * a model's sample optima mislead ({@link SearchSpace#samplesMislead}: Gaussian mixtures) nothing is run to the
 * sample's own optimum: the best short run and its split/merge moves race on short runs and only the winner is
 * continued, for a few dozen iterations at most; where the sample is a small part of the rows, moves from that
 * continued fit then race it the same way while one wins (a short run may not yet show two components sharing a
 * cluster). On all the rows the repairs race the same way before the winner is run to convergence, and the
 * converged fit's own unsupported parts are repaired as on small data. (Where they do not, as for k-means, the
 * best short runs are continued as on small data.) A short run is not
 * continued when it is hopelessly behind the best fit (its gap more than 100 times its last climb per
 * iteration): such runs crawl along a ridge for hundreds of iterations.
 *
 * <p><b>Spurious fits.</b> Where the model can tell a spurious maximum ({@link SearchSpace#spurious}: a
 * Gaussian component collapsed onto a few tied rows, with an unbounded likelihood), every proper fit ranks
 * above every spurious one, in the short runs, the continued runs and the moves; a spurious fit is the
 * answer only when the search found nothing else.
 *
 * <p><b>Budget.</b> The number of short starts, and whether moves are tried, follow from the cost of one
 * E-step ({@link SearchSpace#stepCost()}): a budget of operations per {@link Level} is shared out, within a
 * floor and a ceiling of starts, so small data get many starts and big data fewer. Every count is a function
 * of the data's sizes and the iteration counts, never of time: the search is deterministic for a seed and
 * the same for any thread count.
 *
 * <p><b>Random streams.</b> One {@link SplittableRandom} from the seed is split once per drawn short start, in
 * order; the deterministic starts and the moves use none, so a search with a deterministic start draws the same
 * starts as one without it.
 *
 * <p><b>Threads.</b> Where one E-step leaves threads idle and the model's runs share no mutable state
 * ({@link SearchSpace#concurrentStarts}), the short starts and the split/merge candidates are made several at
 * once, each on a thread of its own; the search takes them in order and decides exactly as it would one at a
 * time, so the fit, the report and the listener's events (on the caller's thread) do not depend on it. (A model may
 * also share out the making of its moves over the threads, as the Gaussian mixtures do, a component or a move per task.)
 *
 * <p><b>Engines.</b> Where the runner offers an explorer ({@link ExpectationRunner#explorer()}: the same E-step over
 * the same rows, made where it costs less), the whole search runs on it and the runner itself evaluates the answer
 * once, its log-likelihood the one reported: an engine whose E-steps are jobs with an overhead of their own (Spark's)
 * but whose driver holds every row pays for one job instead of the hundreds or thousands a search on small data
 * makes (Old Faithful's default fit: 633 E-steps).
 */
public final class Search {
    private Search() {
    }

    /** How hard the search tries: more starts, more continued runs and more split/merge rounds. */
    public enum Level implements Labelled {
        /** Few short starts, one continued, one round of moves: about the cost of two plain fits. */
        QUICK(2, 10, 5, 20, 1, 1, 2, 0, 3e9, 2),
        /** The default: enough starts for small data to find the optimum almost always, fast on big data. */
        DEFAULT(4, 50, 8, 50, 3, 3, 4, 3, 1.5e10, 3),
        /**
         * Many starts and moves, for when the answer matters more than the time; the default's search runs first
         * and the better answer is kept, so it never ends below the default.
         */
        THOROUGH(20, 150, 15, 200, 6, 10, 8, 3, 3e11, 8);

        private final int minStarts;
        private final int maxStarts;
        private final int shortIterations;
        private final int maxShortIterations;
        private final int continued;
        private final int moveRounds;
        private final int movesPerRound;
        private final int deeperRounds;
        private final double operations;
        private final int agreeing;

        Level(int minStarts, int maxStarts, int shortIterations, int maxShortIterations, int continued,
              int moveRounds, int movesPerRound, int deeperRounds, double operations, int agreeing) {
            this.minStarts = minStarts;
            this.maxStarts = maxStarts;
            this.shortIterations = shortIterations;
            this.maxShortIterations = maxShortIterations;
            this.continued = continued;
            this.moveRounds = moveRounds;
            this.movesPerRound = movesPerRound;
            this.deeperRounds = deeperRounds;
            this.operations = operations;
            this.agreeing = agreeing;
        }

        /**
         * @param name {@code quick}, {@code default} or {@code thorough}, case-insensitive
         * @return the level
         * @throws EmkitException for another name, listing the known ones
         */
        public static Level parse(String name) {
            return Labelled.parse(Level.class, name, "search");
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /**
     * What a search did.
     *
     * @param level           its effort
     * @param shortStarts     how many starts had a short run (failed ones included)
     * @param startsByKind    how many short starts of each kind, in the space's order
     * @param repeatedStarts  how many of the starts repeated an earlier start exactly (the same parameters up to
     *                        the components' order) and were therefore not run
     * @param shortIterations the most iterations of a short run
     * @param continued       how many short runs were continued to convergence
     * @param movesTried      how many split/merge candidates were run
     * @param movesAccepted   how many of them raised the objective and were kept
     * @param relocationsTried    how many relocations of a part were run ({@link SearchSpace#relocations}; on all
     *                            the data of a search that does not sample)
     * @param relocationsAccepted how many of them raised the objective and were kept
     * @param repairsTried    how many repairs of a part the data do not support were run
     *                        ({@link SearchSpace#repairs}; on all the data, also after a search on a sample)
     * @param repairsAccepted how many of them raised the objective and were kept
     * @param winner          the kind of start the final fit descends from
     * @param eSteps          E-steps made by the whole search, on the sample or on all the data
     * @param sampleRows      how many rows the search explored on ({@link SearchSpace#sample}), 0 if it
     *                        explored on all of them
     */
    public record Report(String level, int shortStarts, Map<String, Integer> startsByKind, int repeatedStarts,
                         int shortIterations,
                         int continued, int movesTried, int movesAccepted, int relocationsTried,
                         int relocationsAccepted, int repairsTried, int repairsAccepted,
                         String winner, long eSteps, int sampleRows) {
        /**
         * @param level           its effort
         * @param shortStarts     how many starts had a short run
         * @param startsByKind    how many short starts of each kind
         * @param repeatedStarts  how many starts repeated an earlier one and were not run
         * @param shortIterations the most iterations of a short run
         * @param continued       how many short runs were continued
         * @param movesTried      how many split/merge candidates were run
         * @param movesAccepted   how many were kept
         * @param relocationsTried    how many relocations were run
         * @param relocationsAccepted how many were kept
         * @param repairsTried    how many repairs were run
         * @param repairsAccepted how many were kept
         * @param winner          the kind of start the fit descends from
         * @param eSteps          E-steps made
         * @param sampleRows      rows of the sample explored on, 0 for none
         */
        public Report {
            startsByKind = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(startsByKind));
        }

        /**
         * What two searches did together, this one after {@code first}: every count summed, this one's level and
         * sample.
         */
        Report after(Report first, String winner) {
            Map<String, Integer> byKind = new LinkedHashMap<>(first.startsByKind);
            startsByKind.forEach((kind, count) -> byKind.merge(kind, count, Integer::sum));
            return new Report(level, first.shortStarts + shortStarts, byKind, first.repeatedStarts + repeatedStarts,
                    Math.max(first.shortIterations, shortIterations), first.continued + continued,
                    first.movesTried + movesTried, first.movesAccepted + movesAccepted,
                    first.relocationsTried + relocationsTried, first.relocationsAccepted + relocationsAccepted,
                    first.repairsTried + repairsTried, first.repairsAccepted + repairsAccepted, winner,
                    first.eSteps + eSteps, sampleRows);
        }

        /**
         * One line for people, e.g. {@code 24 short starts (kmeans++ 8, random-points 8, random 8), 3 continued,
         * 2 of 4 split/merge moves accepted; best from kmeans++} (and, after a search on a sample, {@code on a
         * random sample of 20,000 rows, the best then run on all} before "; best from"; where repairs were
         * tried, {@code 2 of 6 repairs of unsupported components accepted} before it).
         *
         * @return the line, without "search:"
         */
        public String summary() {
            String kinds = startsByKind.size() < 2 ? "" : startsByKind.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ", " (", ")"));
            return shortStarts + " short start" + (shortStarts == 1 ? "" : "s") + kinds
                    + (repeatedStarts == 0 ? "" : ", " + repeatedStarts + " of them repeats, not run") + ", " + continued
                    + " continued" + (movesTried == 0 ? "" : ", " + movesAccepted + " of " + movesTried
                    + " split/merge moves accepted") + (relocationsTried == 0 ? "" : ", " + relocationsAccepted
                    + " of " + relocationsTried + " relocations accepted")
                    + (sampleRows == 0 ? "" : " on a random sample of "
                    + String.format(java.util.Locale.ROOT, "%,d", sampleRows) + " rows, the best then run on all")
                    + (repairsTried == 0 ? "" : ", " + repairsAccepted + " of " + repairsTried
                    + " repairs of unsupported components accepted") + "; best from " + winner;
        }
    }

    /**
     * Searches for the global optimum; {@link ExpectationMaximization#fit} calls it when
     * {@link EmOptions#search()} is set.
     *
     * @param steps      the model's steps
     * @param runner     one E-step over all the data
     * @param normalizer see {@link EmSteps#normalizer}
     * @param space      the model's starts and moves
     * @param options    how to run; {@link EmOptions#search()} must be set
     * @param <P>        parameter type
     * @param <S>        statistics type
     * @return the best fit found, with {@link EmResult#search()} saying how
     * @throws EmkitException if every start failed
     */
    public static <P, S extends SufficientStatistics<S>> EmResult<P> fit(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            EmOptions options) {
        ExpectationRunner<P, S> explorer = runner.explorer();
        if (explorer != runner) {
            EmResult<P> found = fit(steps, explorer, normalizer, space, options);
            return found.withLogLikelihood(runner.run(found.params()).logLikelihood());
        }
        Level level = options.search() == null ? Level.DEFAULT : options.search();
        options = options.withListener(runsNotKnownAhead(options.listener()));
        if (level != Level.THOROUGH) {
            return searchAt(steps, runner, normalizer, space, level, options);
        }
        // The thorough level runs the default's search first and keeps the better answer: its own starts,
        // continuations and moves are not a superset of the default's, and alone it ended below the default on
        // 2 of the wide holdout grid's 24 sets (by 1.1 and 45.7 nats; in session 48 on none of the 22 of them
        // measured, but by 50.2 on the structures grid's h05 with tied covariance). The default costs a twentieth of
        // its budget.
        int[] runs = {0};
        IterationListener listener = options.listener();
        EmResult<P> base = searchAt(steps, runner, normalizer, space, Level.DEFAULT,
                options.withSearch(Level.DEFAULT).withListener(counted(listener, runs)));
        EmResult<P> deep = searchAt(steps, runner, normalizer, space, level,
                options.withListener(shifted(listener, runs[0])));
        boolean baseWins = ranksAbove(base, deep, space);
        EmResult<P> won = baseWins ? base : deep;
        // The second search's runs were reported after the first's: its best run's index moves with them.
        return won.withSearch(deep.search().after(base.search(), won.search().winner()),
                baseWins ? base.bestInitialization() : deep.bestInitialization() + runs[0]);
    }

    /** Whether fit {@code a} ranks above {@code b}: a proper fit above a spurious one, then the higher objective. */
    private static <P> boolean ranksAbove(EmResult<P> a, EmResult<P> b, SearchSpace<P> space) {
        boolean spuriousA = space.spurious(a.params());
        boolean spuriousB = space.spurious(b.params());
        return spuriousA != spuriousB ? spuriousB : a.objective() > b.objective();
    }

    /** The listener's events passed on, counting in {@code runs[0]} the runs reported (the highest index + 1). */
    private static IterationListener counted(IterationListener listener, int[] runs) {
        return new IterationListener() {
            @Override
            public void onIteration(IterationEvent e) {
                runs[0] = Math.max(runs[0], e.initialization() + 1);
                listener.onIteration(e);
            }

            @Override
            public void onRunFinished(int initialization, double objective, boolean converged) {
                runs[0] = Math.max(runs[0], initialization + 1);
                listener.onRunFinished(initialization, objective, converged);
            }
        };
    }

    /** The listener's events with every run's index raised by {@code by}: the runs of a second search after a first. */
    private static IterationListener shifted(IterationListener listener, int by) {
        return new IterationListener() {
            @Override
            public void onIteration(IterationEvent e) {
                listener.onIteration(new IterationEvent(e.initialization() + by, e.initializations(), e.iteration(),
                        e.objective(), e.meanChange(), e.elapsedNanos()));
            }

            @Override
            public void onRunFinished(int initialization, double objective, boolean converged) {
                listener.onRunFinished(initialization + by, objective, converged);
            }
        };
    }

    /** The search at one level: on a sample then all the rows where the model offers one, else on all the rows. */
    private static <P, S extends SufficientStatistics<S>> EmResult<P> searchAt(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            Level level, EmOptions options) {
        try (SearchSpace.Subproblem<P, ?> sample = space.sample(options)) {
            if (sample != null) {
                EmResult<P> refined = exploreThenRefine(steps, runner, normalizer, space, sample, level, options);
                if (refined != null) {
                    return refined;
                }
            }
        }
        return search(steps, runner, normalizer, space, level.operations, options, true, false).result;
    }

    /**
     * The listener's events with no count of runs ({@link IterationEvent#initializations()} 0): a search's runs
     * (short starts, continuations, moves, repairs) depend on how its earlier runs end, so no count given ahead
     * would hold.
     */
    private static IterationListener runsNotKnownAhead(IterationListener listener) {
        if (listener == IterationListener.NONE) {
            return listener;
        }
        return new IterationListener() {
            @Override
            public void onIteration(IterationEvent e) {
                listener.onIteration(new IterationEvent(e.initialization(), 0, e.iteration(), e.objective(),
                        e.meanChange(), e.elapsedNanos()));
            }

            @Override
            public void onRunFinished(int initialization, double objective, boolean converged) {
                listener.onRunFinished(initialization, objective, converged);
            }
        };
    }

    /**
     * The search on the sample, then its best fit run to convergence on all the data; {@code null} if the
     * search failed on the sample (too few distinct rows there, say), and the caller searches on all the data.
     * The sample's search gets half the level's budget: the other half is the run on all the data.
     */
    private static <P, S extends SufficientStatistics<S>, T extends SufficientStatistics<T>> EmResult<P>
            exploreThenRefine(EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer,
                              SearchSpace<P> space, SearchSpace.Subproblem<P, T> sample, Level level,
                              EmOptions options) {
        Outcome<P> explored;
        try {
            // The sample's optimum differs from the data's by sampling noise, far more than a tight tolerance
            // resolves: converging the sample's runs beyond SAMPLE_TOLERANCE is work the run on all the rows
            // undoes (on 100k rows, K = 16, a continuation on the sample took 390 iterations at 1e-8).
            EmOptions explore = options.withTolerance(Math.max(options.tolerance(), SAMPLE_TOLERANCE));
            explored = search(sample.steps(), sample.runner(), sample.normalizer(), sample.space(),
                    0.5 * level.operations, explore, false,
                    sample.space().stepCost() <= SETTLED_MOVES_MAX_COST * space.stepCost());
        } catch (EmkitException e) {
            return null;
        }
        int index = explored.nextIndex;
        P found = explored.result.params();
        // A part of the sample's fit that all the rows do not support (a near-spurious component of a few rows)
        // is repaired here, on all of them: the sample's few rows of it cannot tell it from a real one.
        List<P> repairs = space.repairs(found, REPAIRS_PER_ROUND);
        Attempt<P, S> best = null;
        int tried = 0;
        int accepted = 0;
        long eSteps = 0;
        EmOptions fullOptions = options.withInitializations(1);
        if (!repairs.isEmpty()) {
            Moves<P, S> won = compete(steps, runner, normalizer, space, found, repairs, space::repairs,
                    REPAIRS_PER_ROUND, level, fullOptions, index, null);
            best = won.best;
            tried = won.tried;
            accepted = won.accepted;
            index = won.nextIndex;
            eSteps = won.eSteps;
        }
        if (best == null) {
            // No repair to try (or every one failed): the sample's fit run to convergence on all the rows.
            Set<String> warnings = new LinkedHashSet<>();
            ExpectationMaximization.Run<P, S> run = ExpectationMaximization.runOnce(steps, runner, normalizer,
                    found, fullOptions, index, warnings::add);
            options.listener().onRunFinished(index, run.objective(), run.converged());
            eSteps += run.iterations() + 1;
            best = new Attempt<>(run, 0, index, warnings, false);
            index++;
        }
        // A converged fit may show a part unsupported that the sample's fit did not, whichever way it was reached (a
        // component that shrank onto a few rows as the run on all of them converged: 143 of 50,000 rows, K = 10,
        // whose loss was 73 nats against the 243 BIC charges for it): repaired as on small data.
        Moves<P, S> more = moveRounds(steps, runner, normalizer, space, space::repairs, 1, REPAIR_ITERATIONS,
                level, fullOptions.withMaxIterations(level.shortIterations)
                        .withTolerance(options.tolerance() * 10), fullOptions, 1, best, index, eSteps,
                Double.POSITIVE_INFINITY, false);
        best = more.best;
        tried += more.tried;
        accepted += more.accepted;
        eSteps = more.eSteps;
        ExpectationMaximization.Run<P, S> run = best.run;
        Set<String> warnings = new LinkedHashSet<>(best.warnings);
        steps.review(run.params(), run.statistics(), warnings::add);
        addNotConverged(steps, run, options, warnings);
        Report r = explored.result.search();
        Report report = new Report(r.level(), r.shortStarts(), r.startsByKind(), r.repeatedStarts(),
                r.shortIterations(), r.continued(), r.movesTried(), r.movesAccepted(), r.relocationsTried(),
                r.relocationsAccepted(), tried, accepted, r.winner(),
                r.eSteps() + eSteps, sample.rows());
        return new EmResult<>(run.params(), run.logLikelihood(), run.objective(), run.trace(), run.iterations(),
                run.converged(), best.index, new double[] {run.objective()}, new ArrayList<>(warnings),
                steps.parameterCount(run.params()), normalizer, report);
    }

    /**
     * Moves raced on short runs from {@code found} and its first {@code moves}: the standing fit (kind 0) and
     * each move (kind 1) get a short run of the level's length, so that they are compared after as many
     * iterations; the best stands and is moved again ({@code movesOf}, {@code perRound} at a time) while a move
     * beats it, for up to the level's rounds. Only the winner is continued to convergence: a fit with a part
     * the data do not support would crawl for a hundred iterations as that part shrinks (146 on 100k rows,
     * K = 16), a repaired one converges fast. A move still behind after its short run but climbing fast enough
     * to catch up (a split shows its gain slowly) is continued first, for a bounded number of iterations, and
     * the standing fit is not run on when it could not climb to it, nor to convergence when it is still behind
     * the challenger after as many iterations.
     *
     * @param settled {@code found} as a run already continued (its objective the race's mark), kept as it is when
     *                no move wins instead of being continued again; {@code null} when {@code found} is a short
     *                run's fit
     * @return the winner continued to convergence (a {@code null} best if every run failed), the moves tried and
     *         kept, the next run index and the E-steps made
     */
    private static <P, S extends SufficientStatistics<S>> Moves<P, S> compete(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            P found, List<P> moves, java.util.function.BiFunction<P, Integer, List<P>> movesOf, int perRound,
            Level level, EmOptions fullOptions, int index, Attempt<P, S> settled) {
        Attempt<P, S> best = null;
        int tried = 0;
        int accepted = 0;
        long eSteps = 0;
        EmOptions shortOptions = fullOptions.withMaxIterations(level.shortIterations)
                .withTolerance(fullOptions.tolerance() * 10);
        // The first round's standing fit is found.
        List<P> starts = new ArrayList<>(List.of(found));
        starts.addAll(moves);
        Attempt<P, S> current = null;
        // A move behind the standing fit after the short runs that may still overtake it: a split shows its gain
        // slowly (on 100k rows, K = 16, a repair was 55 nats behind after eight iterations and converged 650
        // ahead of where the standing fit crawled).
        Attempt<P, S> challenger = null;
        for (int round = 0; round <= level.moveRounds; round++) {
            List<Attempt<P, S>> partial = new ArrayList<>();
            List<P> these = starts;
            try (ShortStarts<P, S> runs = new ShortStarts<>(steps, runner, normalizer, shortOptions,
                    these.size(), index, these::get, 1)) {
                for (int m = 0; m < these.size(); m++) {
                    ShortStart<P, S> trial = runs.take(m, initial -> false);
                    if (trial.failure() == null) {
                        eSteps += trial.run.iterations() + 1;
                        partial.add(new Attempt<>(trial.run, m == 0 ? 0 : 1, index, trial.warnings,
                                space.spurious(trial.run.params())));
                    }
                    index++;
                }
            }
            tried += these.size() - 1;
            if (partial.isEmpty()) {
                break;
            }
            partial.sort(Attempt.rank());
            Attempt<P, S> standing = partial.stream().filter(a -> a.kind == 0).findFirst().orElse(null);
            Attempt<P, S> move = partial.stream().filter(a -> a.kind == 1).findFirst().orElse(null);
            if (standing == null || move != null && Attempt.<P, S>rank().compare(move, standing) < 0
                    && !agree(steps, standing.run.objective(), move.run.objective(), normalizer,
                    fullOptions.tolerance())) {
                current = move;
                accepted++;
                List<P> next = movesOf.apply(current.run.params(), perRound);
                if (next.isEmpty()) {
                    break;
                }
                starts = new ArrayList<>(List.of(current.run.params()));
                starts.addAll(next);
                continue;
            }
            current = standing;
            if (move != null && !cannotCatchUp(steps, move, standing, normalizer, fullOptions.tolerance())) {
                challenger = move;
            }
            break;
        }
        // Where no move won, a settled standing fit stands as it is: it is not run on again.
        boolean keepSettled = settled != null && accepted == 0;
        if (challenger != null) {
            Attempt<P, S> overtaking = continueBounded(steps, runner, normalizer, space, challenger, fullOptions,
                    index++, REPAIR_ITERATIONS, current);
            if (overtaking != null) {
                eSteps += overtaking.run.iterations() - challenger.run.iterations() + 1;
                if (Attempt.<P, S>rank().compare(overtaking, current) < 0
                        && cannotCatchUp(steps, current, overtaking, normalizer, fullOptions.tolerance())) {
                    // the standing fit cannot climb to it: not worth its crawl
                    best = overtaking;
                    accepted++;
                }
            }
            if (best == null) {
                // The standing fit continued as far as it must go to show whether it overtakes the challenger
                // (a fit that crawls does not).
                Attempt<P, S> standing = keepSettled ? settled : overtaking == null
                        ? continueRun(steps, runner, normalizer, space, current, fullOptions, index++)
                        : continueBounded(steps, runner, normalizer, space, current, fullOptions, index++,
                        REPAIR_ITERATIONS, overtaking);
                if (standing != null && !keepSettled) {
                    eSteps += standing.run.iterations() - current.run.iterations() + 1;
                }
                best = standing;
                if (overtaking != null && (best == null || Attempt.<P, S>rank().compare(overtaking, best) < 0)) {
                    best = overtaking;
                    accepted++;
                }
            }
        } else if (keepSettled) {
            best = settled;
        } else if (current != null) {
            best = continueRun(steps, runner, normalizer, space, current, fullOptions, index++);
            if (best != null) {
                eSteps += best.run.iterations() - current.run.iterations() + 1;
            }
        }
        return new Moves<>(best, tried, accepted, index, eSteps);
    }

    /**
     * The iterations a repair is continued for before it must be ahead of the fit it would replace to be
     * continued to convergence: a right repair converges fast (32–41 iterations on 100k rows, K = 16), a wrong
     * one can crawl for hundreds (302 on 50,000 rows, K = 10).
     */
    private static final int REPAIR_ITERATIONS = 50;

    /**
     * The share of the level's budget a search may have spent and still look further down a fit's list of moves
     * after a round that kept none ({@link Level#deeperRounds}). Where the budget is tight (mid-size data with a
     * full covariance: 5,000 × 8, K = 12) the first round's candidates are all it affords; where it is ample the
     * deeper rounds cost a few hundred short E-steps. On the structures holdout (72 fits of 1,500–3,000 rows,
     * diagonal, spherical and tied components on elongated clusters) no pair of components plainly shares a
     * cluster (at h08 spherical every pair's cosine is below 0.05), so the cosine's order of the merges says little,
     * and where some move from the default's fit leads to the best known the first such came 5th to 90th of the
     * 30 or 168 there are: with three deeper rounds the default reached the best known in 66 of 72 fits instead
     * of 58, for 43% more operations; the main grid's 116 fits all as before for 21% more (46% without this
     * bound). (With the merge's loss ranking pairs in turn with the cosine, 69 of 72.)
     */
    private static final double DEEPER_SHARE = 0.5;

    /**
     * A run continued for at most {@code cap} iterations, then to convergence only if it is ahead of
     * {@code beat}'s objective by then: one that is not is returned as it is, unconverged and behind.
     */
    private static <P, S extends SufficientStatistics<S>> Attempt<P, S> continueBounded(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            Attempt<P, S> from, EmOptions options, int index, int cap, Attempt<P, S> beat) {
        Attempt<P, S> part = continueRun(steps, runner, normalizer, space, from,
                options.withMaxIterations(Math.min(options.maxIterations(),
                        from.run.iterations() + Math.max(cap, beat.run.iterations()))), index);
        if (part == null || part.run.converged() || part.run.objective() <= beat.run.objective()
                || part.run.iterations() >= options.maxIterations()) {
            return part;
        }
        return continueRun(steps, runner, normalizer, space, part, options, index);
    }

    /**
     * Repairs tried per round on all the rows after a search on a sample: the two splits that go with the
     * cheapest unsupported part ({@link SearchSpace#repairs} lists them first); the next part's wait for the
     * next round, from the fit this round keeps.
     */
    private static final int REPAIRS_PER_ROUND = 2;

    /**
     * The most iterations the winner of a sample's race runs there (its short run's included). A run still climbing
     * after them is crawling — a part the sample's few rows of it seem to support shrinking, or two parts trading
     * rows — and the run on all the rows, with its repairs, settles that better than the sample can: on 100k rows,
     * K = 16, the winner crawled 161 iterations on the sample (69 nats) and the repairs on all the rows then changed
     * it anyway; capped, the fit reaches the same optimum in 245 E-steps instead of 433. On 54 generated sets (the
     * whole-job file's kind and {@code RepairsTest}'s) the cap reached the optimum from the generating parameters on
     * two more and one fewer, and came closer on the four none reaches (three with K ≥ 20; 1M rows, K = 16: 7,141
     * nats short against 7,449). Not tuned further: 60–80 lost the same set as 40, 100 kept none of its gains.
     * The continued winner then faces moves of its own where the sample is a small part of the rows
     * ({@link #SETTLED_MOVES_MAX_COST}): with them the million rows reach that optimum (17 iterations on all the
     * rows).
     */
    private static final int SAMPLE_CONTINUATION_ITERATIONS = 40;

    /**
     * The most a sample's E-step may cost, as a share of one on all the rows, for the sample's continued winner to
     * face moves of its own there: they cost up to a few hundred of the sample's E-steps, little beside the run on
     * all the rows where the sample is a small part of them. On a million rows in 16 dimensions, K = 16 (a sample of
     * a 41st of the rows) they are what reaches the optimum from the generating parameters (the fit had ended
     * 7,449 nats short); on 24 fits of 100,000 rows in 8 dimensions (a tenth), K = 10 and 14, they reached it once
     * more (279 nats, {@code RepairsTest}) and lost none. Where the sample is a quarter or a fifth of the rows they
     * cost more than that run (100k rows in 16 dimensions, K = 16: 4.9 s instead of 3.2 in one JVM, the same
     * optimum; 0.66× scikit-learn's wall as a process instead of 0.90×), and on 158 generated fits of 50,000 to
     * 120,000 rows they reached one optimum more and two fewer.
     */
    private static final double SETTLED_MOVES_MAX_COST = 0.125;

    /** The convergence tolerance of the runs on a sample: the mean objective per row to 1e-6. */
    private static final double SAMPLE_TOLERANCE = 1e-6;

    /** A search's result and the index its next run would have (for listeners). */
    private record Outcome<P>(EmResult<P> result, int nextIndex) {
    }

    private static void addNotConverged(EmSteps<?, ?, ?> steps, ExpectationMaximization.Run<?, ?> run,
                                        EmOptions options, Set<String> warnings) {
        if (!run.converged() && options.tolerance() > 0) {
            warnings.add("did not converge in " + options.maxIterations()
                    + " iterations (last " + steps.convergenceMeasure() + ": "
                    + String.format("%.3g", run.lastChange()) + ", tolerance " + options.tolerance()
                    + "); raise the iteration limit or the tolerance");
        }
    }

    /**
     * The search on one set of rows within a budget of {@code operations}; {@code repair} says whether to try
     * {@link SearchSpace#repairs} (not on a sample: its few rows of an unsupported part cannot tell it from a
     * real one); {@code movesFromContinued} whether, on a sample, the race's continued winner faces moves of its
     * own ({@link #SETTLED_MOVES_MAX_COST}).
     */
    private static <P, S extends SufficientStatistics<S>> Outcome<P> search(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            double operations, EmOptions options, boolean repair, boolean movesFromContinued) {
        Level level = options.search() == null ? Level.DEFAULT : options.search();
        List<String> kinds = space.startKinds();
        double cost = Math.max(space.stepCost(), 1.0);
        // The budget in E-steps: what the level's operations buy at this cost. Half of it goes to the short
        // runs: as many starts as it buys (within the level's floor and ceiling), then, on small data where
        // that leaves budget over, longer short runs, which rank the starts better.
        double affordable = operations / cost;
        int starts = (int) Math.max(level.minStarts, Math.min(level.maxStarts,
                Math.floor(0.5 * affordable / (level.shortIterations + 1))));
        int shortIterations = (int) Math.min(options.maxIterations(), Math.max(level.shortIterations,
                Math.min(level.maxShortIterations, Math.floor(0.5 * affordable / starts) - 1)));
        List<Integer> plan = plan(space, kinds.size(), starts);
        EmOptions shortOptions = options.withInitializations(1).withMaxIterations(shortIterations)
                .withTolerance(options.tolerance() * 10);
        EmOptions fullOptions = options.withInitializations(1);

        SplittableRandom root = new SplittableRandom(options.seed());
        Map<String, Integer> byKind = new LinkedHashMap<>();
        List<Attempt<P, S>> shortRuns = new ArrayList<>();
        String firstFailure = null;
        long eSteps = 0;
        int index = 0;
        // Each run's start objective, to tell a start drawn again; a repeat counts where the run it repeats
        // ended, as evidence for that optimum (from another seed, k-means led to the same start).
        Map<Double, Attempt<P, S>> byStart = new LinkedHashMap<>();
        List<Attempt<P, S>> repeats = new ArrayList<>();
        // Stopping when starts agree trades a little certainty for time: only where the short runs cost a
        // real share of the budget. Where they are cheap (faithful, iris, a few hundred rows) every planned
        // start runs: a best optimum found three times in the first few starts is not always the global one
        // (40 rows, K = 2: for one seed of 100 a local optimum was found three times first).
        boolean mayStopEarly = plan.size() * (shortIterations + 1.0) * cost > EARLY_STOP_SHARE * operations;
        SplittableRandom[] streams = streams(space, plan, root);
        int ahead = space.concurrentStarts() ? options.threads() : 1;
        try (ShortStarts<P, S> trials = new ShortStarts<>(steps, runner, normalizer, shortOptions, plan.size(), 0,
                i -> space.start(plan.get(i), streams[i]), ahead)) {
            for (int kind : plan) {
                // Agreement is counted among drawn starts only: a deterministic start (the hierarchical one) is no
                // independent evidence, and a search that has it must not stop sooner than one without.
                if (mayStopEarly && index >= level.minStarts
                        && timesBestFound(steps, drawn(space, shortRuns), shortRuns, normalizer)
                        + timesBestFound(steps, drawn(space, repeats), shortRuns, normalizer) >= level.agreeing) {
                    break;
                }
                byKind.merge(kinds.get(kind), 1, Integer::sum);
                double objective = Double.NaN;
                ShortStart<P, S> trial = trials.take(index, initial -> earlierRunFrom(initial, byStart) != null);
                Attempt<P, S> original = trial.startFailure == null ? earlierRunFrom(trial.initial, byStart) : null;
                if (original != null) {
                    // The same start again (greedy k-means++ and converged Lloyd land on the same partition
                    // from many seeds): its run would retrace the earlier one step for step.
                    eSteps++;
                    repeats.add(original);
                    options.listener().onRunFinished(index, Double.NaN, false);
                    index++;
                    continue;
                }
                trial.replay(options.listener());
                String failure = trial.failure();
                if (failure != null) {
                    firstFailure = firstFailure == null ? failure : firstFailure;
                } else {
                    eSteps += trial.run.iterations() + 1;
                    Attempt<P, S> attempt = new Attempt<>(trial.run, kind, index, trial.warnings,
                            space.spurious(trial.run.params()));
                    shortRuns.add(attempt);
                    byStart.put(trial.initial, attempt);
                    objective = trial.run.objective();
                }
                options.listener().onRunFinished(index, objective, false);
                index++;
            }
        }
        if (shortRuns.isEmpty()) {
            throw new EmkitException(index == 1 ? firstFailure
                    : "all " + index + " starts failed; the first: " + firstFailure);
        }
        int started = index;
        shortRuns.sort(Attempt.rank());
        byKind = inOrderOf(kinds, byKind);

        if (!repair && space.samplesMislead()) {
            // On a sample nothing is run to the sample's own optimum (its few rows of a small cluster converge to
            // what all the rows do not support, and the run on all of them then crawls): the best short run and
            // its split/merge moves race on short runs, and only the winner is continued, for a few dozen
            // iterations at most. Then, where the sample is a small part of the rows, moves from that continued
            // fit race it, as Ueda et al. move from a fit EM has settled, while one wins: a short run's
            // responsibilities may not yet show two components sharing a cluster that the continued fit shows
            // plainly.
            Attempt<P, S> top = shortRuns.get(0);
            EmOptions capped = fullOptions.withMaxIterations(Math.min(fullOptions.maxIterations(),
                    SAMPLE_CONTINUATION_ITERATIONS));
            Moves<P, S> won = compete(steps, runner, normalizer, space, top.run.params(),
                    space.splitMerge(top.run.params(), level.movesPerRound), space::splitMerge, level.movesPerRound,
                    level, capped, index, null);
            Attempt<P, S> winner = won.best != null ? won.best : top;
            int tried = won.tried;
            int accepted = won.accepted;
            long moveSteps = won.eSteps;
            int next = won.nextIndex;
            for (int round = 0; movesFromContinued && won.best != null && round < level.moveRounds; round++) {
                List<P> moves = space.splitMerge(winner.run.params(), level.movesPerRound);
                if (moves.isEmpty()) {
                    break;
                }
                Moves<P, S> again = compete(steps, runner, normalizer, space, winner.run.params(), moves,
                        space::splitMerge, level.movesPerRound, level, capped, next, winner);
                tried += again.tried;
                moveSteps += again.eSteps;
                next = again.nextIndex;
                if (again.best == null || again.accepted == 0) {
                    break;
                }
                winner = again.best;
                accepted += again.accepted;
            }
            Report report = new Report(level.label(), started, byKind, repeats.size(), shortIterations,
                    won.best != null ? 1 : 0, tried, accepted, 0, 0, 0, 0, kinds.get(top.kind), eSteps + moveSteps, 0);
            ExpectationMaximization.Run<P, S> run = winner.run;
            return new Outcome<>(new EmResult<>(run.params(), run.logLikelihood(), run.objective(), run.trace(),
                    run.iterations(), run.converged(), top.index, new double[] {run.objective()},
                    new ArrayList<>(winner.warnings), steps.parameterCount(run.params()), normalizer, report), next);
        }

        // Continue the best short runs with different objectives until two agree.
        List<Attempt<P, S>> finished = new ArrayList<>();
        List<Double> shortObjectives = new ArrayList<>();
        Attempt<P, S> best = null;
        int continued = 0;
        // Proper short runs whose continuation collapsed into a spike: they say nothing about the proper
        // optima, so they do not use up the level's continuations (up to twice as many runs in all).
        int collapsed = 0;
        boolean agreed = false;
        for (Attempt<P, S> a : shortRuns) {
            if (continued - collapsed >= level.continued || continued >= 2 * level.continued || agreed
                    || (continued > 0 && eSteps > affordable)) {
                break;
            }
            double o = a.run.objective();
            if (shortObjectives.stream().anyMatch(p -> agree(steps, p, o, normalizer, options.tolerance()))) {
                continue; // as good as a short run already continued: most likely the same basin
            }
            if (best != null && cannotCatchUp(steps, a, best, normalizer, options.tolerance())) {
                break; // the later short runs are further behind still
            }
            shortObjectives.add(o);
            Attempt<P, S> full = continueRun(steps, runner, normalizer, space, a, fullOptions, index++);
            continued++;
            if (full == null) {
                continue;
            }
            eSteps += full.run.iterations() + 1;
            collapsed += !a.spurious && full.spurious ? 1 : 0;
            for (Attempt<P, S> f : finished) {
                // Two spurious fits agreeing say nothing about where the proper optimum is.
                agreed |= !f.spurious && !full.spurious
                        && agree(steps, f.run.objective(), full.run.objective(), normalizer, options.tolerance());
            }
            finished.add(full);
            if (best == null || Attempt.<P, S>rank().compare(full, best) < 0) {
                best = full;
            }
        }
        if (best == null) {
            // Every continuation failed: fall back to the best short run.
            best = shortRuns.get(0);
        }

        // Split and merge from the best fit; then, on all the data, relocations of a part where the rest explains
        // the data worst (for a part straddling two clusters, which no split/merge move repairs), and repairs of
        // parts the data do not support.
        Moves<P, S> moved = moveRounds(steps, runner, normalizer, space, space::splitMerge, 2, 0, level,
                shortOptions, fullOptions, ahead, best, index, eSteps, affordable, true);
        Moves<P, S> relocated = !repair ? moved.none() : moveRounds(steps, runner, normalizer, space,
                space::relocations, 2, 0, level, shortOptions, fullOptions, ahead, moved.best, moved.nextIndex,
                moved.eSteps, affordable, true);
        Moves<P, S> repaired = !repair ? relocated.none() : moveRounds(steps, runner, normalizer, space,
                space::repairs, 1, REPAIR_ITERATIONS, level, shortOptions, fullOptions, ahead, relocated.best,
                relocated.nextIndex, relocated.eSteps, Double.POSITIVE_INFINITY, false);
        best = repaired.best;
        index = repaired.nextIndex;
        eSteps = repaired.eSteps;

        ExpectationMaximization.Run<P, S> run = best.run;
        Set<String> warnings = new LinkedHashSet<>(best.warnings);
        steps.review(run.params(), run.statistics(), warnings::add);
        addNotConverged(steps, run, options, warnings);
        double[] finals = finished.stream().mapToDouble(a -> a.run.objective()).toArray();
        Report report = new Report(level.label(), started, byKind, repeats.size(), shortIterations, continued,
                moved.tried, moved.accepted, relocated.tried, relocated.accepted, repaired.tried, repaired.accepted,
                kinds.get(best.kind), eSteps, 0);
        return new Outcome<>(new EmResult<>(run.params(), run.logLikelihood(), run.objective(), run.trace(),
                run.iterations(), run.converged(), best.index, finals.length == 0 ? new double[] {run.objective()}
                : finals, new ArrayList<>(warnings), steps.parameterCount(run.params()), normalizer, report), index);
    }

    /** Rounds of moves' outcome: the best fit, the moves tried and kept, the next run index and the E-steps. */
    private record Moves<P, S>(Attempt<P, S> best, int tried, int accepted, int nextIndex, long eSteps) {
        /** No moves from here: the same fit, index and E-steps. */
        Moves<P, S> none() {
            return new Moves<>(best, 0, 0, nextIndex, eSteps);
        }
    }

    /**
     * Rounds of moves from {@code best}: each round's candidates ({@code movesOf}) get a short run, the best
     * {@code continuations} are continued (by {@link #continueBounded} when {@code cap} is positive), and the
     * first that raises the objective (or repairs a spurious fit) is kept; the rounds stop at the level's count,
     * when a round has no candidate, or once the E-steps pass {@code affordable}. A round that keeps none ends
     * them too, unless {@code deeper}: then, up to the level's {@link Level#deeperRounds} times while the E-steps
     * are below {@link #DEEPER_SHARE} of {@code affordable}, the next candidates down the same fit's list get a
     * round of their own, their short runs the level's shortest.
     */
    private static <P, S extends SufficientStatistics<S>> Moves<P, S> moveRounds(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            java.util.function.BiFunction<P, Integer, List<P>> movesOf, int continuations, int cap, Level level,
            EmOptions shortOptions, EmOptions fullOptions, int ahead, Attempt<P, S> best, int index, long eSteps,
            double affordable, boolean deeper) {
        int tried = 0;
        int accepted = 0;
        // The standing fit's list of moves, how far down it the rounds since that fit was kept have looked, and how
        // many rounds looked past the first candidates. The list is made once for all the deeper rounds left (the
        // lists are prefixes of one another: a longer one only adds candidates), not again each round.
        List<P> listed = List.of();
        int looked = 0;
        int deeperRounds = 0;
        EmOptions deeperOptions = shortOptions.withMaxIterations(Math.min(shortOptions.maxIterations(),
                level.shortIterations));
        for (int round = 0; round < level.moveRounds + deeperRounds && eSteps <= affordable; round++) {
            if (looked == 0) {
                listed = movesOf.apply(best.run.params(), level.movesPerRound);
            }
            if (listed.size() <= looked) {
                break;
            }
            List<P> moves = listed.subList(looked, Math.min(listed.size(), looked + level.movesPerRound));
            List<Attempt<P, S>> partial = new ArrayList<>();
            try (ShortStarts<P, S> runs = new ShortStarts<>(steps, runner, normalizer,
                    looked == 0 ? shortOptions : deeperOptions, moves.size(), index, moves::get, ahead)) {
                for (int m = 0; m < moves.size(); m++) {
                    ShortStart<P, S> run = runs.take(m, initial -> false);
                    run.replay(fullOptions.listener());
                    // a move that breaks the model is simply not taken
                    if (run.failure() == null) {
                        eSteps += run.run.iterations() + 1;
                        partial.add(new Attempt<>(run.run, best.kind, index, run.warnings,
                                space.spurious(run.run.params())));
                    }
                    index++;
                    tried++;
                }
            }
            partial.sort(Attempt.rank());
            boolean improved = false;
            for (int i = 0; i < Math.min(partial.size(), continuations) && !improved; i++) {
                if (cannotCatchUp(steps, partial.get(i), best, normalizer, fullOptions.tolerance())) {
                    break;
                }
                Attempt<P, S> full = cap == 0
                        ? continueRun(steps, runner, normalizer, space, partial.get(i), fullOptions, index++)
                        : continueBounded(steps, runner, normalizer, space, partial.get(i), fullOptions, index++, cap,
                        best);
                if (full == null) {
                    continue;
                }
                eSteps += full.run.iterations() + 1;
                boolean repairs = best.spurious && !full.spurious;
                if (repairs || full.spurious == best.spurious && full.run.objective() > best.run.objective()
                        && !agree(steps, best.run.objective(), full.run.objective(), normalizer,
                        fullOptions.tolerance())) {
                    best = full;
                    accepted++;
                    improved = true;
                }
            }
            if (improved) {
                looked = 0;
            } else if (deeper && deeperRounds < level.deeperRounds && eSteps <= DEEPER_SHARE * affordable) {
                if (looked == 0) {
                    listed = movesOf.apply(best.run.params(),
                            moves.size() + level.movesPerRound * (level.deeperRounds - deeperRounds));
                }
                deeperRounds++;
                looked += moves.size();
            } else {
                break;
            }
        }

        return new Moves<>(best, tried, accepted, index, eSteps);
    }

    /**
     * The kind of each short start: each deterministic kind once, first, then {@code starts} drawn ones round-robin
     * over the other kinds. The deterministic starts come on top of the drawn ones and before them: a search with
     * them draws the same starts as one without, and cannot stop early before it has run them.
     */
    static List<Integer> plan(SearchSpace<?> space, int kinds, int starts) {
        List<Integer> plan = new ArrayList<>();
        List<Integer> drawn = new ArrayList<>();
        for (int kind = 0; kind < kinds; kind++) {
            (space.deterministic(kind) ? plan : drawn).add(kind);
        }
        for (int s = 0; s < starts && !drawn.isEmpty(); s++) {
            plan.add(drawn.get(s % drawn.size()));
        }
        return plan;
    }

    /**
     * The random stream of each start of {@code plan}, split from {@code root} in order for the drawn starts; none
     * (null) for the deterministic ones, so that having them or not leaves the drawn starts as they are.
     */
    static SplittableRandom[] streams(SearchSpace<?> space, List<Integer> plan, SplittableRandom root) {
        SplittableRandom[] streams = new SplittableRandom[plan.size()];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = space.deterministic(plan.get(i)) ? null : root.split();
        }
        return streams;
    }

    /**
     * Iterations over which a short run's last rate of climb is projected: EM converging linearly at rate ρ
     * has {@code ρ/(1 − ρ)} times its last step still to climb, 99 times at ρ = 0.99.
     */
    private static final int CATCH_UP_ITERATIONS = 100;

    /**
     * Whether a short run is so far behind the best fit that continuing it is hopeless: a proper run whose
     * gap to the best proper fit is more than {@value #CATCH_UP_ITERATIONS} times its last rate of climb
     * (per iteration, over its last four). Such runs mostly crawl along a ridge for hundreds of iterations to
     * end below: on a 24,470-row sample of 100k rows, K = 16, one took 266 iterations to end 22,000 nats short.
     */
    private static boolean cannotCatchUp(EmSteps<?, ?, ?> steps, Attempt<?, ?> a, Attempt<?, ?> best,
                                         double normalizer, double tolerance) {
        if (a.spurious || best.spurious) {
            return false;
        }
        double gap = best.run.objective() - a.run.objective();
        double[] trace = a.run.trace();
        int last = trace.length - 1;
        int back = Math.min(4, last);
        double rate = back == 0 ? 0 : (trace[last] - trace[last - back]) / back;
        return gap > CATCH_UP_ITERATIONS * Math.max(rate, 0)
                && !agree(steps, best.run.objective(), a.run.objective(), normalizer, tolerance);
    }

    /** How close two starts' objectives must be, relative, to count as the same start drawn twice. */
    private static final double SAME_START_RELATIVE = 1e-12;

    /**
     * The earlier short run whose start had this start's objective, or null: the same parameters, up to the
     * order of the components, whose EM run this start's would retrace. Two different starts with objectives
     * equal to twelve digits are unheard of; the cost of mistaking one is a start not run.
     */
    private static <A> A earlierRunFrom(double initial, Map<Double, A> byStart) {
        for (Map.Entry<Double, A> e : byStart.entrySet()) {
            double earlier = e.getKey();
            if (Math.abs(initial - earlier) <= SAME_START_RELATIVE * Math.max(Math.abs(initial), Math.abs(earlier))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The share of the level's budget the planned short runs must cost before the search may stop early. */
    private static final double EARLY_STOP_SHARE = 0.02;

    /** How close two short runs' mean objectives (per row) must be to count as the same optimum found twice. */
    private static final double SAME_OPTIMUM_PER_ROW = 1e-6;

    /** The counts of {@code byKind} in the order of {@code kinds} (the space's), not the order they were run in. */
    private static Map<String, Integer> inOrderOf(List<String> kinds, Map<String, Integer> byKind) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String kind : kinds) {
            Integer count = byKind.get(kind);
            if (count != null) {
                ordered.put(kind, count);
            }
        }
        return ordered;
    }

    /** The runs of {@code runs} from drawn starts, not deterministic ones. */
    private static <A extends Attempt<?, ?>> List<A> drawn(SearchSpace<?> space, List<A> runs) {
        return runs.stream().filter(a -> !space.deterministic(a.kind())).toList();
    }

    /**
     * How many proper runs of {@code runs} ended at the best proper objective among {@code ranked} (within
     * {@value #SAME_OPTIMUM_PER_ROW} per row): the search stops starting new runs once the level's count of them
     * agree, after its floor of starts. When the best optimum found keeps being found again, more starts rarely find
     * a better one; where it is rare (a hard case), the count is not reached and the search spends its whole budget.
     */
    private static int timesBestFound(EmSteps<?, ?, ?> steps, List<? extends Attempt<?, ?>> runs,
                                      List<? extends Attempt<?, ?>> ranked, double normalizer) {
        double best = Double.NEGATIVE_INFINITY;
        for (Attempt<?, ?> a : ranked) {
            best = a.spurious ? best : Math.max(best, a.run.objective());
        }
        int found = 0;
        for (Attempt<?, ?> a : runs) {
            found += !a.spurious && Math.abs(steps.convergenceChange(a.run.objective(), best, normalizer))
                    <= SAME_OPTIMUM_PER_ROW ? 1 : 0;
        }
        return found;
    }

    /** Two objectives agree when one convergence step cannot tell them apart, or to 1e-7 relative. */
    private static boolean agree(EmSteps<?, ?, ?> steps, double a, double b, double normalizer, double tolerance) {
        return Math.abs(a - b) <= 1e-7 * Math.max(Math.abs(a), Math.abs(b))
                || Math.abs(steps.convergenceChange(a, b, normalizer)) < tolerance;
    }

    private static <P, S extends SufficientStatistics<S>> Attempt<P, S> continueRun(
            EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer, SearchSpace<P> space,
            Attempt<P, S> from, EmOptions options, int index) {
        Set<String> warnings = new LinkedHashSet<>(from.warnings);
        try {
            // The short run's iterations count against the start's limit: --max-iter bounds the whole run, as
            // the reported iteration count is the whole run's.
            EmOptions rest = options.withMaxIterations(Math.max(0, options.maxIterations() - from.run.iterations()));
            ExpectationMaximization.Run<P, S> run = ExpectationMaximization.runOnce(steps, runner, normalizer,
                    from.run.params(), rest, index, warnings::add);
            options.listener().onRunFinished(index, run.objective(), run.converged());
            // One run from the start: the short run's trace, then the continuation's (whose first entry is the
            // short run's last).
            double[] first = from.run.trace();
            double[] trace = Arrays.copyOf(first, first.length + run.trace().length - 1);
            System.arraycopy(run.trace(), 1, trace, first.length, run.trace().length - 1);
            // Where the short run used the whole limit the continuation makes no iteration and knows no change:
            // the last change is the short run's.
            double lastChange = run.iterations() > 0 ? run.lastChange() : from.run.lastChange();
            ExpectationMaximization.Run<P, S> whole = new ExpectationMaximization.Run<>(run.params(), run.statistics(),
                    run.logLikelihood(), run.objective(), trace, from.run.iterations() + run.iterations(),
                    run.converged(), lastChange);
            return new Attempt<>(whole, from.kind, from.index, warnings, space.spurious(run.params()));
        } catch (EmkitException e) {
            options.listener().onRunFinished(index, Double.NaN, false);
            return null;
        }
    }

    /**
     * One planned short start's outcome: its start's objective, and its short run or why it failed. A start that
     * failed ({@code startFailure}) has no objective; a run that failed ({@code runFailure}) has no run. A
     * start computed ahead ({@link ShortStarts}) holds the listener's events of its run, to be replayed when
     * the search takes it; one computed when taken has sent them already.
     */
    private static final class ShortStart<P, S> {
        double initial = Double.NaN;
        ExpectationMaximization.Run<P, S> run;
        String startFailure;
        String runFailure;
        final Set<String> warnings = new LinkedHashSet<>();
        final List<IterationEvent> events = new ArrayList<>();
        /** An exception that is not the model's refusal (a bug, an error): thrown when the start is taken. */
        Throwable thrown;

        /** @return why the start or its run failed, or {@code null} */
        String failure() {
            return startFailure != null ? startFailure : runFailure;
        }

        void replay(IterationListener listener) {
            for (IterationEvent event : events) {
                listener.onIteration(event);
            }
            events.clear();
        }
    }

    /**
     * The planned short starts, each computed when the search takes it or, where the model's runs are
     * independent of each other ({@link SearchSpace#concurrentStarts}), a few ahead of it on as many threads
     * as the options allow: on small data one E-step runs on one thread, and the short runs are the search's
     * bulk. While the search waits for a start still being made, the threads that are free make the starts
     * after it, one each: the hierarchical start's tree (a second on 5,000 rows, before the compilers have
     * caught up) no longer leaves the other threads idle. The search takes the starts in plan order and
     * decides exactly as if each had been computed when taken — repeats, failures and when to stop — so the
     * result does not depend on the threads: a start computed ahead runs its short run even where it will turn
     * out to repeat an earlier start, and those computed ahead of where the search stops are cancelled and
     * dropped. Each start has its own random stream, split from the seed's in plan order.
     */
    private static final class ShortStarts<P, S extends SufficientStatistics<S>> implements AutoCloseable {
        private final EmSteps<?, P, S> steps;
        private final ExpectationRunner<P, S> runner;
        private final double normalizer;
        private final EmOptions shortOptions;
        private final int count;
        private final int firstIndex;
        private final java.util.function.IntFunction<P> startOf;
        private final int ahead;
        private final ExecutorService pool;
        private final List<Future<ShortStart<P, S>>> submitted = new ArrayList<>();
        /** Notified whenever a start submitted to the pool is done. */
        private final Object finished = new Object();
        private volatile boolean cancelled;

        /**
         * @param count      how many starts
         * @param firstIndex the run index (for listeners) of the first
         * @param startOf    start {@code i}'s parameters (an {@link EmkitException} is a failed start)
         * @param threads    how many to compute at once (1: each when taken, on the caller's thread)
         */
        ShortStarts(EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner, double normalizer,
                    EmOptions shortOptions, int count, int firstIndex, java.util.function.IntFunction<P> startOf,
                    int threads) {
            this.steps = steps;
            this.runner = runner;
            this.normalizer = normalizer;
            this.shortOptions = shortOptions;
            this.count = count;
            this.firstIndex = firstIndex;
            this.startOf = startOf;
            this.ahead = Math.min(threads, count);
            this.pool = ahead > 1 ? Executors.newFixedThreadPool(ahead, r -> {
                Thread t = new Thread(r, "emkit-search");
                t.setDaemon(true);
                return t;
            }) : null;
        }

        /**
         * Start {@code i}, computed now or waited for.
         *
         * @param i      its place, from 0
         * @param repeat whether a start with this objective repeats an earlier one (asked only when computed
         *               now: then a repeat's run is not made)
         */
        ShortStart<P, S> take(int i, java.util.function.DoublePredicate repeat) {
            if (pool == null) {
                return compute(i, repeat, shortOptions.listener(), new ShortStart<>());
            }
            while (submitted.size() < Math.min(count, i + ahead)) {
                submitNext();
            }
            Future<ShortStart<P, S>> wanted = submitted.get(i);
            ShortStart<P, S> trial;
            try {
                // While start i is still being made (the hierarchical start's tree takes a second on 5,000 rows
                // where a short run takes a few milliseconds), the threads it leaves idle make the starts after it.
                synchronized (finished) {
                    while (!wanted.isDone()) {
                        if (submitted.size() < count && running() < ahead) {
                            submitNext();
                        } else {
                            finished.wait();
                        }
                    }
                }
                trial = wanted.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmkitException("interrupted");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            if (trial.thrown instanceof RuntimeException r) {
                throw r;
            }
            if (trial.thrown instanceof Error err) {
                throw err;
            }
            return trial;
        }

        /** Submits the next start in plan order to the pool; its end wakes a {@link #take} waiting for another. */
        private void submitNext() {
            int next = submitted.size();
            FutureTask<ShortStart<P, S>> task = new FutureTask<>(() -> {
                ShortStart<P, S> t = new ShortStart<>();
                return compute(next, x -> false, event -> {
                    if (cancelled) {
                        throw new CancellationException();
                    }
                    t.events.add(event);
                }, t);
            }) {
                @Override
                protected void done() {
                    synchronized (finished) {
                        finished.notifyAll();
                    }
                }
            };
            submitted.add(task);
            pool.execute(task);
        }

        /** How many submitted starts are still being made. */
        private int running() {
            int n = 0;
            for (Future<ShortStart<P, S>> f : submitted) {
                n += f.isDone() ? 0 : 1;
            }
            return n;
        }

        private ShortStart<P, S> compute(int i, java.util.function.DoublePredicate repeat,
                                         IterationListener listener, ShortStart<P, S> t) {
            P start;
            ExpectationMaximization.Expectation<S> first;
            try {
                start = startOf.apply(i);
                first = runner.run(start);
                t.initial = first.logLikelihood() + steps.logPrior(start);
            } catch (EmkitException e) {
                t.startFailure = e.getMessage();
                return t;
            } catch (RuntimeException | Error e) {
                t.thrown = e;
                return t;
            }
            if (repeat.test(t.initial)) {
                return t;
            }
            try {
                t.run = ExpectationMaximization.runOnce(steps, runner, normalizer, start, first,
                        shortOptions.withListener(listener), firstIndex + i, t.warnings::add);
            } catch (EmkitException e) {
                t.runFailure = e.getMessage();
            } catch (CancellationException e) {
                // dropped: the search stopped before this start (only the listener of a start made ahead throws it)
                t.runFailure = "cancelled";
            } catch (RuntimeException | Error e) {
                t.thrown = e;
            }
            return t;
        }

        /** Cancels the starts computed ahead of where the search stopped; their threads end on their own. */
        @Override
        public void close() {
            if (pool != null) {
                cancelled = true;
                pool.shutdown();
            }
        }
    }

    /**
     * A run and where it came from: the kind and index of its short start, the warnings on its way, and
     * whether it ended spurious ({@link SearchSpace#spurious}).
     */
    private record Attempt<P, S>(ExpectationMaximization.Run<P, S> run, int kind, int index, Set<String> warnings,
                                 boolean spurious) {
        /** Best first: proper fits before spurious ones, then the higher objective, then the earlier start. */
        static <P, S> Comparator<Attempt<P, S>> rank() {
            return Comparator.comparing((Attempt<P, S> a) -> a.spurious)
                    .thenComparingDouble(a -> -a.run.objective()).thenComparingInt(a -> a.index);
        }
    }
}
