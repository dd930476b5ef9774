package io.emkit.hmm;

import io.emkit.EmkitException;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What the hidden-state models of sequences share — the hidden Markov model, the hidden semi-Markov model and the
 * input–output HMM: S states, a start distribution π over them, an emission distribution per state, and a
 * log-likelihood that is a sum over independent sequences. Each model adds how it moves between states.
 *
 * @param <D> the data a model scores: {@link io.emkit.data.Sequences}, or sequences with covariates
 */
public abstract class StateSequenceModel<D> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The number of states S. */
    protected final int s;
    /** π; the model's own array, never handed out ({@link #startProbabilities()} copies it). */
    protected final double[] start;
    /** The states' emission distributions. */
    protected final Emission emission;

    /**
     * @param start    π, checked by the subclass
     * @param emission the emissions of {@code start.length} states
     */
    protected StateSequenceModel(double[] start, Emission emission) {
        this.s = start.length;
        this.start = start;
        this.emission = Objects.requireNonNull(emission, "emission");
    }

    /** @return the number of states S */
    public int states() {
        return s;
    }

    /** @return the number of values per step */
    public int dimension() {
        return emission.dimension();
    }

    /** @return the observation columns' names */
    public List<String> featureNames() {
        return emission.featureNames();
    }

    /** @return the emission distributions */
    public Emission emission() {
        return emission;
    }

    /** @return the start distribution π (a copy) */
    public double[] startProbabilities() {
        return start.clone();
    }

    /**
     * @param data sequences this model scores
     * @return each sequence's log-likelihood
     * @throws EmkitException if the data do not have the model's columns
     */
    public abstract double[] sequenceLogLikelihoods(D data);

    /**
     * @param data sequences this model scores
     * @return the total log-likelihood of all sequences ({@code -Infinity} if one is impossible)
     * @throws EmkitException if the data do not have the model's columns
     */
    public double logLikelihood(D data) {
        double total = 0;
        for (double v : sequenceLogLikelihoods(data)) {
            total += v;
        }
        return total;
    }

    /**
     * Turns the log densities {@code b[o, o + S)} of one step into {@code exp(b − max)}: the scaled densities the
     * forward recursions work with, which cannot underflow together.
     *
     * @param b the steps' log densities, S per step
     * @param o where the step starts in {@code b}
     * @return the max, {@code -Infinity} (or NaN) when no state can emit the observation
     */
    protected final double scaleDensities(double[] b, int o) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
            max = Math.max(max, b[o + j]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        for (int j = 0; j < s; j++) {
            b[o + j] = Math.exp(b[o + j] - max);
        }
        return max;
    }

    /**
     * A sum of many terms of mixed size (a sequence's log scale factors), with Neumaier's compensation: long
     * sequences add hundreds of thousands of them, and the convergence test compares totals to 1e-8.
     */
    protected static final class CompensatedSum {
        private double sum;
        private double compensation;

        /** An empty sum. */
        public CompensatedSum() {
        }

        /** @param term the next term */
        public void add(double term) {
            double next = sum + term;
            compensation += Math.abs(sum) >= Math.abs(term) ? (sum - next) + term : (term - next) + sum;
            sum = next;
        }

        /** @return the sum so far */
        public double value() {
            return sum + compensation;
        }
    }

    /**
     * @param columns the number of observation columns the data have
     * @throws EmkitException if it is not the model's
     */
    protected final void checkColumns(int columns) {
        if (columns != dimension()) {
            throw new EmkitException("the model has " + dimension() + " features " + featureNames()
                    + " but the data have " + columns + " columns");
        }
    }
}
