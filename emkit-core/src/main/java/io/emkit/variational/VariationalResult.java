package io.emkit.variational;

/**
 * What a variational fit ends with.
 *
 * @param model      the posterior
 * @param lowerBound the bound after each iteration (scikit-learn's form: the evidence lower bound without the
 *                   terms constant in the fit); never decreasing
 * @param iterations how many E- and M-steps ran after the start (with mini-batches: the batch updates and the
 *                   final full iteration)
 * @param converged  whether the bound's change per row fell below the tolerance (with mini-batches: whether the
 *                   schedule ran to its end)
 */
public record VariationalResult(VariationalModel model, double[] lowerBound, int iterations, boolean converged) {
    /** @return the last bound */
    public double finalLowerBound() {
        return lowerBound.length == 0 ? Double.NaN : lowerBound[lowerBound.length - 1];
    }
}
