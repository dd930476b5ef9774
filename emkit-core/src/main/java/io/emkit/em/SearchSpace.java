package io.emkit.em;

import java.util.List;
import java.util.SplittableRandom;
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
        return new SearchSpace<>() {
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
}
