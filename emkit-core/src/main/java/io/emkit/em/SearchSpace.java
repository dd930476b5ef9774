package io.emkit.em;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * What a model offers the {@link Search} for the global optimum: its kinds of start, the cost of one
 * E-step (from which the search sets its budget) and, optionally, moves that change a converged fit's
 * structure (split and merge).
 *
 * @param <P> the parameters
 */
public interface SearchSpace<P> {

    /**
     * A space with a single kind of start, drawn from each start's random stream, and no moves.
     *
     * @param name  what the start is called in the search's report
     * @param start starting parameters from a random stream
     * @param cost  the cost of one E-step, see {@link #stepCost()}
     * @param <P>   the parameters
     * @return the space
     */
    static <P> SearchSpace<P> of(String name, Function<SplittableRandom, P> start, double cost) {
        return of(name, start, cost, false);
    }

    /**
     * {@link #of(String, Function, double)}, whose starts the search may make several at once: see
     * {@link #concurrentStarts()} for when that is safe and worth it.
     *
     * @param name             what the start is called in the search's report
     * @param start            starting parameters from a random stream
     * @param cost             the cost of one E-step, see {@link #stepCost()}
     * @param concurrentStarts what {@link #concurrentStarts()} returns
     * @param <P>              the parameters
     * @return the space
     */
    static <P> SearchSpace<P> of(String name, Function<SplittableRandom, P> start, double cost,
                                 boolean concurrentStarts) {
        return of(name, start, cost, concurrentStarts, fitted -> false);
    }

    /**
     * {@link #of(String, Function, double, boolean)}, with the fits {@code spurious} tells ranked below every other
     * ({@link #spurious}).
     *
     * @param name             what the start is called in the search's report
     * @param start            starting parameters from a random stream
     * @param cost             the cost of one E-step, see {@link #stepCost()}
     * @param concurrentStarts what {@link #concurrentStarts()} returns
     * @param spurious         what {@link #spurious} returns
     * @param <P>              the parameters
     * @return the space
     */
    static <P> SearchSpace<P> of(String name, Function<SplittableRandom, P> start, double cost,
                                 boolean concurrentStarts, java.util.function.Predicate<P> spurious) {
        return new SearchSpace<>() {
            @Override
            public boolean concurrentStarts() {
                return concurrentStarts;
            }

            @Override
            public boolean spurious(P fitted) {
                return spurious.test(fitted);
            }

            @Override
            public List<String> startKinds() {
                return List.of(name);
            }

            @Override
            public P start(int kind, SplittableRandom random) {
                return start.apply(random);
            }

            @Override
            public double stepCost() {
                return cost;
            }
        };
    }

    /**
     * Another model's starts made this model's: the same kinds of start, each turned by {@code start}, and no moves.
     *
     * @param starts the other model's space
     * @param start  a start of this model from one of the other model's
     * @param cost   the cost of one of this model's E-steps, see {@link #stepCost()}
     * @param <G>    the other model's parameters
     * @param <P>    the parameters
     * @return the space
     */
    static <G, P> SearchSpace<P> startsOf(SearchSpace<G> starts, Function<G, P> start, double cost) {
        return startsAndMovesOf(starts, start, cost, null, null);
    }

    /**
     * Another model's starts and moves made this model's, where this model holds one of the other's (a t mixture its
     * scale mixture): the same kinds of start, each turned by {@code start}; a fit spurious when the model it holds
     * is; and that model's split-and-merge candidates, each turned by {@code moved}.
     *
     * @param starts the other model's space
     * @param start  a start of this model from one of the other model's
     * @param cost   the cost of one of this model's E-steps, see {@link #stepCost()}
     * @param held   the other model a fit holds, or {@code null} for no moves (and no fit spurious)
     * @param moved  a start of this model from a fit and a candidate of the model it holds
     * @param <G>    the other model's parameters
     * @param <P>    the parameters
     * @return the space
     */
    static <G, P> SearchSpace<P> startsAndMovesOf(SearchSpace<G> starts, Function<G, P> start, double cost,
                                                  Function<P, G> held, java.util.function.BiFunction<P, G, P> moved) {
        return new SearchSpace<>() {
            @Override
            public List<String> startKinds() {
                return starts.startKinds();
            }

            @Override
            public P start(int kind, SplittableRandom random) {
                return start.apply(starts.start(kind, random));
            }

            @Override
            public boolean deterministic(int kind) {
                return starts.deterministic(kind);
            }

            @Override
            public double stepCost() {
                return cost;
            }

            @Override
            public boolean spurious(P fitted) {
                return held != null && starts.spurious(held.apply(fitted));
            }

            @Override
            public List<P> splitMerge(P fitted, int max) {
                return held == null ? List.of()
                        : starts.splitMerge(held.apply(fitted), max).stream().map(g -> moved.apply(fitted, g)).toList();
            }
        };
    }

    /**
     * The kinds of start, in the order the search takes them round-robin (the first is the model's own
     * default, and a run count too small for all of them takes the first ones).
     *
     * @return one name per kind, as the report shows them
     */
    List<String> startKinds();

    /**
     * Starting parameters of one kind.
     *
     * @param kind   index into {@link #startKinds()}
     * @param random this start's own stream
     * @return the parameters
     */
    P start(int kind, SplittableRandom random);

    /**
     * Whether a kind gives the same start whatever the stream (hierarchical clustering), so that the search
     * takes it once.
     *
     * @param kind index into {@link #startKinds()}
     * @return true if the kind ignores its random stream
     */
    default boolean deterministic(int kind) {
        return false;
    }

    /**
     * Whether the search may make several short starts at once, each on a thread of its own: only where two
     * runs share no mutable state (the starts, the steps and the E-steps work on their own objects), and where
     * one E-step leaves threads idle (data of a few blocks). The result is the same either way.
     *
     * @return true to let the search compute starts ahead; false (the default) for one at a time
     */
    default boolean concurrentStarts() {
        return false;
    }

    /**
     * The cost of one E-step in floating-point operations, roughly ({@code n·K·d²} for a full-covariance
     * Gaussian mixture): the search sizes its budget from it, so that the default stays fast on big data.
     *
     * @return a positive cost
     */
    double stepCost();

    /**
     * Whether a fit is a spurious maximum: one where the objective is high only because part of the model
     * has collapsed onto a few rows (a Gaussian component on tied values, whose likelihood is unbounded).
     * The search ranks every fit that is not spurious above every fit that is, and takes a spurious one only
     * when it found nothing else. None is by default.
     *
     * @param fitted parameters after a run
     * @return true if the fit is spurious
     */
    default boolean spurious(P fitted) {
        return false;
    }

    /**
     * Split-and-merge moves (Ueda, Nakano, Ghahramani and Hinton, 2000) from a converged fit: each candidate
     * merges two parts of the model that explain the same data and splits one that explains data poorly,
     * keeping the number of components. The search runs EM from each and keeps the move if the objective
     * rises. None by default.
     *
     * @param fitted the converged parameters
     * @param max    the most candidates wanted, best first
     * @return starting parameters of the moved models, best candidate first
     */
    default List<P> splitMerge(P fitted, int max) {
        return List.of();
    }

    /**
     * Relocations from a converged fit: each candidate moves one part of the model to where the rest explains the
     * data worst, keeping the number of parts; for a part that straddles two clusters while no part covers two,
     * which no split/merge move repairs. The search runs EM from each and keeps one if the objective rises. None
     * by default.
     *
     * @param fitted the converged parameters
     * @param max    the most candidates wanted, best first
     * @return starting parameters of the relocated models
     */
    default List<P> relocations(P fitted, int max) {
        return List.of();
    }

    /**
     * Repairs of a fit that holds a part the data do not support (a Gaussian component whose loss would cost
     * fewer nats than BIC charges for its parameters, or that has fewer rows than parameters of its own: a
     * near-spurious fit of a few rows): each candidate merges
     * such a part into the one it overlaps most and splits a part that explains its data poorly, keeping the
     * number of components. The search tries them on all the data, even where it explored on a sample, whose
     * few rows of such a part cannot tell it from a real one. None by default, and none for a fit whose every
     * part is supported.
     *
     * @param fitted the parameters after a run
     * @param max    the most candidates wanted, best first
     * @return starting parameters of the repaired models, best candidate first
     */
    default List<P> repairs(P fitted, int max) {
        return List.of();
    }

    /**
     * Whether a fit on a sample of the rows can hold a part that all the rows do not support (a Gaussian
     * component fitted to a sample's few rows of a small cluster, see {@link #repairs}). Where it can, the search
     * on a sample runs nothing to the sample's own optimum: its best short run and that run's split/merge moves
     * race on short runs and only the winner is continued, before the run on all the rows. Where it cannot
     * (k-means, whose centres the sample places as all the rows would), the best short runs are continued.
     * False by default.
     *
     * @return whether the sample's optima mislead
     */
    default boolean samplesMislead() {
        return false;
    }

    /**
     * The same model on a random part of the rows, where the search explores when the data are big (see
     * {@link Search}): every short run, continued run and move runs there, and only the best fit found is run
     * on all the data. A model offers one only when its data are big enough for the sample's E-steps to cost
     * a good deal less than the full ones and the sample is still big enough to tell its optima apart.
     *
     * @param options the fit's options (threads, block size, seed)
     * @return the smaller problem, or {@code null} (the default) to explore on all the data
     */
    default Subproblem<P, ?> sample(EmOptions options) {
        return null;
    }

    /** The smallest sample the search explores on ({@link #explorationRows}). */
    int MIN_EXPLORATION_ROWS = 10_000;

    /**
     * How many rows a model with this many free parameters and components explores on when the data are big
     * (see {@link #sample}): ten per free parameter and 500 per component, at least
     * {@value #MIN_EXPLORATION_ROWS} — enough for the sample's optima to be the data's (the search then runs
     * only the best of them on all the rows) — or 0 when the data have fewer than four times that many rows,
     * and a sample would save less than three quarters of each E-step. (mclust explores on a subset of big
     * data for the same reason: its hierarchical start looks at a sample.) Per component because each of the
     * sample's clusters needs rows enough to place it: k-means of 64 clusters in 16 dimensions would otherwise
     * explore on 10,240 rows, 160 per cluster.
     *
     * @param rows       the rows of all the data
     * @param parameters the model's free parameters
     * @param components the model's components (clusters)
     * @return the sample's size, or 0 for none
     */
    static int explorationRows(long rows, long parameters, int components) {
        long m = Math.max(MIN_EXPLORATION_ROWS, Math.max(10 * parameters, 500L * components));
        return rows < 4 * m || m > Integer.MAX_VALUE / 2 ? 0 : (int) m;
    }

    /**
     * A fit's problem on other data — the model's steps, an E-step over the data, the normaliser and the
     * starts — with the thread pool its E-steps run on, shut down by {@link #close()}.
     *
     * @param steps      the model's steps on these data
     * @param runner     one E-step over these data
     * @param normalizer the rows' count (or total weight), see {@link EmSteps#normalizer}
     * @param rows       how many rows (units) the data have
     * @param space      the starts and moves on these data (whose own {@link #sample} is {@code null})
     * @param pool       the pool {@code runner} uses, or {@code null} if it owns none
     * @param <P>        the parameters
     * @param <S>        the statistics
     */
    record Subproblem<P, S extends SufficientStatistics<S>>(EmSteps<?, P, S> steps, ExpectationRunner<P, S> runner,
                                                           double normalizer, int rows, SearchSpace<P> space,
                                                           ForkJoinPool pool)
            implements AutoCloseable {
        /**
         * The problem on data in memory, its E-steps run in parallel on a pool of its own (as
         * {@link ExpectationMaximization#fit(EmSteps, Object, SearchSpace, EmOptions)} runs them).
         *
         * @param steps   the model's steps
         * @param data    the data
         * @param space   the starts and moves on these data
         * @param options threads and block size
         * @param <D>     the data
         * @param <P>     the parameters
         * @param <S>     the statistics
         * @return the problem; close it when done
         */
        public static <D, P, S extends SufficientStatistics<S>> Subproblem<P, S> of(
                EmSteps<D, P, S> steps, D data, SearchSpace<P> space, EmOptions options) {
            ForkJoinPool pool = new ForkJoinPool(options.threads());
            return new Subproblem<>(steps, params -> ExpectationMaximization.expectation(steps, data, params,
                    options.blockSize(), pool), steps.normalizer(data), steps.size(data), space, pool);
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
