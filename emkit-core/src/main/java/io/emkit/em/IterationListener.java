package io.emkit.em;

/**
 * Watches a fit's progress. Called on the thread that runs the fit, after every E-step; keep it quick.
 */
@FunctionalInterface
public interface IterationListener {
    /** A listener that ignores everything. */
    IterationListener NONE = event -> { };

    /**
     * @param event the iteration just completed
     */
    void onIteration(IterationEvent event);

    /**
     * Called when one initialisation's run ends.
     *
     * @param initialization which one, from 0
     * @param objective      its final objective, {@code NaN} if it failed
     * @param converged      whether it converged
     */
    default void onRunFinished(int initialization, double objective, boolean converged) {
    }
}
