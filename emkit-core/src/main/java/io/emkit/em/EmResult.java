package io.emkit.em;

import java.util.List;

/**
 * The outcome of an EM fit: the best run's parameters and how it got there.
 *
 * @param <P> the parameters
 */
public final class EmResult<P> {
    private final P params;
    private final double logLikelihood;
    private final double objective;
    private final double[] trace;
    private final int iterations;
    private final boolean converged;
    private final int bestInitialization;
    private final double[] initializationObjectives;
    private final List<String> warnings;
    private final int parameterCount;
    private final double sampleCount;
    private final Search.Report search;

    EmResult(P params, double logLikelihood, double objective, double[] trace, int iterations, boolean converged,
             int bestInitialization, double[] initializationObjectives, List<String> warnings,
             int parameterCount, double sampleCount, Search.Report search) {
        this.params = params;
        this.logLikelihood = logLikelihood;
        this.objective = objective;
        this.trace = trace;
        this.iterations = iterations;
        this.converged = converged;
        this.bestInitialization = bestInitialization;
        this.initializationObjectives = initializationObjectives;
        this.warnings = List.copyOf(warnings);
        this.parameterCount = parameterCount;
        this.sampleCount = sampleCount;
        this.search = search;
    }

    /**
     * The result of a fit that runs its own loop around an engine's E-steps rather than EM's (variational
     * Bayes): one run, from one start, no search, no warnings.
     *
     * @param params         the fitted parameters
     * @param objective      the objective the loop maximised, at the end (also the log-likelihood reported)
     * @param trace          the objective after each iteration
     * @param iterations     how many iterations ran
     * @param converged      whether the loop met its convergence test
     * @param parameterCount the number of free parameters
     * @param sampleCount    how many rows the fit covered
     * @param <P>            the parameters
     * @return the result
     */
    public static <P> EmResult<P> ofLoop(P params, double objective, double[] trace, int iterations, boolean converged,
                                         int parameterCount, double sampleCount) {
        return new EmResult<>(params, objective, objective, trace.clone(), iterations, converged, 0,
                new double[] {objective}, List.of(), parameterCount, sampleCount, null);
    }

    /** @return what the search for the global optimum did, or {@code null} when the fit made plain runs */
    public Search.Report search() {
        return search;
    }

    /** @return the fitted parameters (the best run's) */
    public P params() {
        return params;
    }

    /**
     * @return the total log-likelihood of the data under {@link #params()}; for a model that is not a
     *         likelihood model, what its E-step sums instead (for k-means, minus the inertia), and then
     *         {@link #bic()} and {@link #aic()} mean nothing
     */
    public double logLikelihood() {
        return logLikelihood;
    }

    /** @return the log-likelihood per unit (row) */
    public double meanLogLikelihood() {
        return logLikelihood / sampleCount;
    }

    /** @return the objective EM maximised: the log-likelihood plus the log prior (equal without a prior) */
    public double objective() {
        return objective;
    }

    /**
     * The objective after each iteration of the best run: entry 0 for the starting parameters, entry
     * {@code i} after the {@code i}-th iteration (E-step), the objective of the parameters the run stands at
     * then (under {@link Acceleration#SQUAREM}, an extrapolated point still on trial leaves it unchanged);
     * the last entry is {@link #objective()}. It never decreases, beyond rounding.
     *
     * @return a copy of the trace
     */
    public double[] trace() {
        return trace.clone();
    }

    /**
     * @return the number of iterations the best run made: E-steps after the first, which under
     *         {@link Acceleration#SQUAREM} include those of extrapolated points (one pass over the data each)
     */
    public int iterations() {
        return iterations;
    }

    /** @return whether the best run met the tolerance before the iteration limit */
    public boolean converged() {
        return converged;
    }

    /** @return which initialisation won, from 0 (with a search: which short start the fit descends from) */
    public int bestInitialization() {
        return bestInitialization;
    }

    /**
     * @return each initialisation's final objective, {@code NaN} for one that failed (with a search: each
     *         continued run's)
     */
    public double[] initializationObjectives() {
        return initializationObjectives.clone();
    }

    /** @return problems met and handled during the fit, each said once, in the order first met */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * This result with one more warning, said first: for what a fit decided before its loop ran.
     *
     * @param warning the problem met and handled
     * @return a copy with the warning
     */
    public EmResult<P> withWarning(String warning) {
        List<String> all = new java.util.ArrayList<>();
        all.add(warning);
        all.addAll(warnings);
        return new EmResult<>(params, logLikelihood, objective, trace, iterations, converged, bestInitialization,
                initializationObjectives, all, parameterCount, sampleCount, search);
    }

    /**
     * This result with its log-likelihood evaluated again (by another runner over the same rows, to rounding): the
     * objective, the trace's last entry and the best run's final objective move with it, the prior's term unchanged.
     */
    EmResult<P> withLogLikelihood(double evaluated) {
        double moved = objective + (evaluated - logLikelihood);
        double[] t = trace.clone();
        t[t.length - 1] = moved;
        // A plain fit's runs each have their final objective here; the best's moves with it. (A search keeps only
        // its answer's, whatever its index.)
        double[] finals = initializationObjectives.clone();
        int best = finals.length == 1 ? 0 : bestInitialization;
        if (best >= 0 && best < finals.length && finals[best] == objective) {
            finals[best] = moved;
        }
        return new EmResult<>(params, evaluated, moved, t, iterations, converged, bestInitialization,
                finals, warnings, parameterCount, sampleCount, search);
    }

    /** This result with another search report and index of its best run: for a search made of two. */
    EmResult<P> withSearch(Search.Report report, int best) {
        return new EmResult<>(params, logLikelihood, objective, trace, iterations, converged, best,
                initializationObjectives, warnings, parameterCount, sampleCount, report);
    }

    /** @return the number of free parameters of the model */
    public int parameterCount() {
        return parameterCount;
    }

    /** @return the number of units (rows) fitted */
    public double sampleCount() {
        return sampleCount;
    }

    /** @return the Bayesian information criterion −2·logL + p·ln n (lower is better) */
    public double bic() {
        return -2.0 * logLikelihood + parameterCount * Math.log(sampleCount);
    }

    /** @return the Akaike information criterion −2·logL + 2p (lower is better) */
    public double aic() {
        return -2.0 * logLikelihood + 2.0 * parameterCount;
    }
}
