package io.emkit.em;

/**
 * A model's parameters as a point of a real vector space in which the engine may extrapolate
 * ({@link Acceleration#SQUAREM}, {@link Acceleration#DAAREM}): a linear combination of the vectors of successive EM iterates must be
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

    /**
     * Whether the parameters of {@code template}'s structure form a linear subspace of these coordinates, so that
     * every linear combination of their vectors describes parameters of that structure again. True by default (no
     * constraint beyond what the coordinates express); false for the Gaussian structures that constrain
     * orientations (VEE, EVE, ...). {@link Acceleration#DAAREM} may stand at a proposed point only where this holds;
     * elsewhere it stands at the M-step from it, as SQUAREM's cycle does.
     *
     * @param template parameters of the fit
     * @return whether linear combinations stay in the structure
     */
    default boolean keepsStructure(P template) {
        return true;
    }

    /**
     * The coordinates of a model built on another one: the other model's vector first (the head), then
     * coordinates of its own (the tail) — how the semi-Markov and input–output HMMs reuse the hidden Markov
     * model's coordinates for their start and emission. Any {@link io.emkit.EmkitException} while building a
     * model from a vector means the vector describes none: {@link #fromVector} returns {@code null}.
     *
     * @param <P> the parameters
     * @param <H> the parameters of the model the head describes
     */
    abstract class Extended<P, H> implements ParameterVector<P> {
        private final ParameterVector<H> head;

        /** @param head the coordinates of the model this one is built on */
        protected Extended(ParameterVector<H> head) {
            this.head = java.util.Objects.requireNonNull(head, "head");
        }

        /**
         * @param params the parameters
         * @return the model the head describes, as {@code params} hold it
         */
        protected abstract H headModel(P params);

        /**
         * @param template parameters of the fit
         * @return how many coordinates of its own a model of the fit has
         */
        protected abstract int tailLength(P template);

        /**
         * Writes the tail of {@code params} into {@code out} from {@code at}.
         *
         * @param params the parameters
         * @param out    the vector, the head already in it
         * @param at     where the tail starts
         * @return false when the parameters have no finite coordinates (a value on the edge of its range)
         */
        protected abstract boolean writeTail(P params, double[] out, int at);

        /**
         * The model of {@code head} and the tail {@code x[at..]}.
         *
         * @param head     the model the head coordinates describe
         * @param x        the whole vector
         * @param at       where the tail starts
         * @param template parameters of the fit, for what the vector does not hold
         * @return the parameters, or {@code null} if the tail describes none
         */
        protected abstract P combine(H head, double[] x, int at, P template);

        /** The head's answer: a tail of free coordinates constrains nothing. */
        @Override
        public boolean keepsStructure(P template) {
            return head.keepsStructure(headModel(template));
        }

        @Override
        public final double[] toVector(P params) {
            double[] h = head.toVector(headModel(params));
            if (h == null) {
                return null;
            }
            double[] out = java.util.Arrays.copyOf(h, h.length + tailLength(params));
            return writeTail(params, out, h.length) ? out : null;
        }

        @Override
        public final P fromVector(double[] x, P template) {
            int at = x.length - tailLength(template);
            H h = head.fromVector(java.util.Arrays.copyOf(x, at), headModel(template));
            if (h == null) {
                return null;
            }
            try {
                return combine(h, x, at, template);
            } catch (io.emkit.EmkitException invalid) {
                return null;
            }
        }
    }
}
