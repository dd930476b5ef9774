package io.emkit.hmm;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The emission distributions of a hidden Markov model: one distribution per state over the
 * observation at a time step. Immutable; a closed family ({@link GaussianEmission},
 * {@link GaussianMixtureEmission}, {@link CategoricalEmission}, {@link PoissonEmission},
 * {@link MultinomialEmission}).
 */
public abstract sealed class Emission permits GaussianEmission, GaussianMixtureEmission, CategoricalEmission,
        PoissonEmission, MultinomialEmission {
    Emission() {
    }

    /** @return the family */
    public abstract EmissionKind kind();

    /** @return the number of states S */
    public abstract int states();

    /** @return the number of values per observation D */
    public abstract int dimension();

    /** @return the observation columns' names */
    public abstract List<String> featureNames();

    /** @return the number of free parameters of the emissions */
    public abstract int parameterCount();

    /**
     * @param names D names
     * @return the same emissions with renamed columns
     */
    public abstract Emission withFeatureNames(List<String> names);

    /**
     * The log density (or log probability) of one observation under one state's distribution.
     *
     * @param observation D values
     * @param state       the state, from 0
     * @return the log density; {@code -Infinity} outside the support
     */
    public double logDensity(double[] observation, int state) {
        double[] out = new double[states()];
        logDensities(observation.clone(), 0, 1, out);
        return out[state];
    }

    /** Writes log b_s(x_t) of rows {@code [from, to)} of row-major {@code x} to {@code out[(t - from) * S + s]}. */
    abstract void logDensities(double[] x, int from, int to, double[] out);

    /** Empty statistics for the M-step. */
    abstract Statistics newStatistics();

    /** The M-step: new emissions from statistics accumulated under these. */
    abstract Emission maximize(Statistics statistics, double regCovar, Consumer<String> warnings);

    /**
     * The M-step with some of the emissions' parts held at their current values: the exact maximiser under that
     * constraint, so Baum–Welch still never lowers the likelihood. This version serves families with one part
     * (categorical probabilities, Poisson rates): holding it keeps the emissions as they are.
     *
     * @param fixed the emission parts to hold (only parts of this family)
     */
    Emission maximizeHolding(Statistics statistics, double regCovar, java.util.Set<HmmParameter> fixed,
                             Consumer<String> warnings) {
        return fixed.isEmpty() ? maximize(statistics, regCovar, warnings) : this;
    }

    /**
     * @param fixed emission parts held fixed (only parts of this family)
     * @return how many of {@link #parameterCount()} they account for
     */
    int heldParameterCount(java.util.Set<HmmParameter> fixed) {
        return fixed.isEmpty() ? 0 : parameterCount();
    }

    /** Draws one observation per entry of {@code states} into row-major {@code out}. */
    abstract void sample(int[] states, SplittableRandom random, double[] out);

    // The seam other model families on these emissions use (the semi-Markov models of io.emkit.hmm.semimarkov):
    // per-step log densities, posterior-weighted statistics, the M-step and sampling.

    /**
     * Writes the log density of every state at rows {@code [from, to)} of row-major {@code x}.
     *
     * @param x    row-major observations, {@link #dimension()} values per row
     * @param from the first row
     * @param to   one past the last row
     * @param out  receives log b_s(x_t) at {@code (t - from) * S + s}
     */
    public final void logDensityRows(double[] x, int from, int to, double[] out) {
        logDensities(x, from, to, out);
    }

    /** @return empty posterior-weighted statistics for {@link #maximizeStatistics} */
    public final Statistics emptyStatistics() {
        return newStatistics();
    }

    /**
     * The M-step: the emissions that maximise the expected complete-data log-likelihood of the statistics.
     *
     * @param statistics statistics accumulated under these emissions
     * @param regCovar   added to Gaussian covariance diagonals (ignored by other families)
     * @param warnings   told of degenerate states
     * @return new emissions
     */
    public final Emission maximizeStatistics(Statistics statistics, double regCovar, Consumer<String> warnings) {
        return maximize(statistics, regCovar, warnings);
    }

    /**
     * Draws one observation per entry of {@code states}.
     *
     * @param states the state (from 0) of each observation
     * @param random the random stream
     * @param out    receives the observations, row-major
     */
    public final void sampleStates(int[] states, SplittableRandom random, double[] out) {
        sample(states, random, out);
    }

    /** Additive statistics of the emissions, weighted by state posteriors. */
    public abstract static class Statistics implements Serializable {
        private static final long serialVersionUID = 1L;

        Statistics() {
        }

        /** Adds rows {@code [from, to)} of {@code x} with posteriors {@code gamma[(t - from) * S + s]}. */
        abstract void add(double[] x, int from, int to, double[] gamma);

        abstract void merge(Statistics other);

        /**
         * Adds rows of observations weighted by state posteriors.
         *
         * @param x     row-major observations
         * @param from  the first row
         * @param to    one past the last row
         * @param gamma the posteriors, {@code gamma[(t - from) * S + s]}
         */
        public final void addRows(double[] x, int from, int to, double[] gamma) {
            add(x, from, to, gamma);
        }

        /**
         * Adds another block's statistics to these.
         *
         * @param other statistics of the same emissions' shape
         */
        public final void mergeFrom(Statistics other) {
            merge(other);
        }
    }

    static double[] checkedRow(double[] row, int length, String what) {
        if (row.length != length) {
            throw new io.emkit.EmkitException(what + ": expected " + length + " entries, got " + row.length);
        }
        return row.clone();
    }
}
