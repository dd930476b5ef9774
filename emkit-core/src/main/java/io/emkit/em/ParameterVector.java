package io.emkit.em;

/**
 * A model's parameters as a point of a real vector space in which the engine may extrapolate
 * ({@link Acceleration#SQUAREM}): a linear combination of the vectors of successive EM iterates must be
 * a sensible candidate, so constrained parameters are mapped to unconstrained coordinates where that is
 * easy (log or logit weights, log variances, log-Cholesky factors of covariance matrices).
 *
 * <p>A candidate need not satisfy constraints that are hard to keep (a covariance structure such as VEV):
 * the engine evaluates it, runs one M-step from it, which returns parameters of the model's structure, and
 * accepts the result only if its objective is at least that of the plain EM iterate it replaces.
 *
 * <p>An implementation is stateless; every vector of one fit has the same length.
 *
 * @param <P> the parameters
 */
public interface ParameterVector<P> {

    /**
     * The coordinates of {@code params}. Entries may be infinite (a weight of exactly 0 has log −∞); the
     * engine does not extrapolate from vectors with a non-finite entry.
     *
     * @param params the parameters
     * @return a new array
     */
    double[] toVector(P params);

    /**
     * The parameters at {@code vector}, shaped like {@code template} (same components, structure, names).
     *
     * @param vector   coordinates, as {@link #toVector} lays them out
     * @param template parameters of the same fit, for everything the vector does not hold
     * @return the parameters, or {@code null} if the vector does not describe valid ones (a covariance that
     *         is not positive definite, a non-finite value, ...)
     */
    P fromVector(double[] vector, P template);
}
