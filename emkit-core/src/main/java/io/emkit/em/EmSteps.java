package io.emkit.em;

import io.emkit.data.Rows;
import io.emkit.data.Sequences;

import java.util.function.Consumer;

/**
 * The two steps of EM for one kind of model: what {@link ExpectationMaximization} needs and all it knows
 * about the model.
 *
 * <p>An implementation is stateless and thread-safe: the engine calls {@link #accumulate} from several
 * threads at once, each with its own statistics.
 *
 * @param <D> the data: rows of a table, a set of sequences, ...
 * @param <P> the parameters: an immutable value
 * @param <S> the sufficient statistics the E-step accumulates
 */
public interface EmSteps<D, P, S extends SufficientStatistics<S>> {

    /**
     * The number of independent units (rows, sequences) the data hold; blocks are ranges of them.
     *
     * @param data the data
     * @return the number of units
     */
    int size(D data);

    /**
     * The count that turns a total log-likelihood into the per-unit mean the convergence test watches:
     * by default the number of units.
     *
     * @param data the data
     * @return a positive count
     */
    default double normalizer(D data) {
        return size(data);
    }

    /**
     * Empty statistics, ready to accumulate blocks under {@code params}.
     *
     * @param params the parameters of the current E-step
     * @return zero statistics
     */
    S emptyStatistics(P params);

    /**
     * The E-step over units {@code [from, to)}: adds their expected sufficient statistics under
     * {@code params} into {@code statistics}.
     *
     * @param params     the current parameters
     * @param data       the data
     * @param from       first unit, inclusive
     * @param to         last unit, exclusive
     * @param statistics where to add; owned by the caller's thread
     * @return the log-likelihood of the units, summed
     */
    double accumulate(P params, D data, int from, int to, S statistics);

    /**
     * The M-step: the parameters that maximise the expected complete-data log-likelihood (or log posterior).
     *
     * @param statistics statistics merged over all the data
     * @param previous   the parameters the statistics were accumulated under
     * @param warnings   receives a message for each problem met and handled (e.g. a degenerate component)
     * @return the new parameters
     */
    P maximize(S statistics, P previous, Consumer<String> warnings);

    /**
     * The log prior density of the parameters, added to the log-likelihood to form the objective EM
     * monitors. Zero (a flat prior, maximum likelihood) unless overridden.
     *
     * @param params the parameters
     * @return the log prior
     */
    default double logPrior(P params) {
        return 0.0;
    }

    /**
     * The change between two successive objectives that the convergence test compares (in absolute value)
     * with the tolerance, and that {@link IterationEvent#meanChange()} reports. By default the change of
     * the per-unit mean objective, {@code (current - previous) / normalizer}.
     *
     * @param previous   the objective before the last M-step
     * @param current    the objective after it
     * @param normalizer {@link #normalizer} of the data
     * @return the change; a run converges when its absolute value is below the tolerance
     */
    default double convergenceChange(double previous, double current, double normalizer) {
        return (current - previous) / normalizer;
    }

    /**
     * What {@link #convergenceChange} measures, for messages such as "did not converge".
     *
     * @return a short noun phrase
     */
    default String convergenceMeasure() {
        return "change of the mean log-likelihood";
    }

    /**
     * The number of free parameters, for BIC and AIC.
     *
     * @param params the parameters
     * @return the count
     */
    int parameterCount(P params);

    /**
     * A last look at the fitted parameters and the statistics of the final E-step, to report problems
     * that do not stop the fit (for example a component resting on very few rows). Does nothing by default.
     *
     * @param params     the fitted parameters
     * @param statistics the statistics accumulated under them
     * @param warnings   receives a message per problem
     */
    default void review(P params, S statistics, Consumer<String> warnings) {
    }

    /**
     * The parameters as a vector the engine may extrapolate in ({@link Acceleration#SQUAREM},
     * {@link Acceleration#DAAREM}), or
     * {@code null} (the default) if extrapolation makes no sense for this model; it then runs plain EM.
     *
     * @return the mapping, or {@code null}
     */
    default ParameterVector<P> parameterVector() {
        return null;
    }

    /**
     * The steps of a model of the rows of a table: its units are the rows, and the count that turns a total
     * log-likelihood into a mean is their total weight (their number when unweighted).
     *
     * @param <D> the rows
     * @param <P> the parameters
     * @param <S> the statistics
     */
    interface OfRows<D extends Rows, P, S extends SufficientStatistics<S>> extends EmSteps<D, P, S> {
        @Override
        default int size(D data) {
            return data.rows();
        }

        /** @return the rows' total weight (their number when unweighted) */
        @Override
        default double normalizer(D data) {
            return data.totalWeight();
        }
    }

    /**
     * The steps of a model of sequences: its units are the sequences (each one E-step's work), and the count that
     * turns a total log-likelihood into a mean is the number of time steps.
     *
     * @param <P> the parameters
     * @param <S> the statistics
     */
    interface OfSequences<P, S extends SufficientStatistics<S>> extends EmSteps<Sequences, P, S> {
        @Override
        default int size(Sequences data) {
            return data.count();
        }

        /** @return the number of time steps of all sequences: the convergence test watches the mean per step */
        @Override
        default double normalizer(Sequences data) {
            return data.totalLength();
        }
    }
}
