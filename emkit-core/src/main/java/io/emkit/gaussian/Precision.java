package io.emkit.gaussian;

import io.emkit.EmkitException;
import io.emkit.Labelled;

/**
 * The floating-point precision of a Gaussian E-step's products ({@link GaussianMixture#precision}): the Mahalanobis
 * distances and, for the full-covariance structures, the products of the second moments (the M-step statistics).
 * The log densities, the responsibilities, the sums of the sufficient statistics and the log-likelihood are
 * computed in double either way.
 */
public enum Precision implements Labelled {
    /** Every step in double precision (the default). */
    DOUBLE,
    /**
     * The products of the full-covariance structures in float, twice the rows per SIMD vector of double (sixteen
     * per 512-bit vector, eight per 256-bit one). The triangular product {@code ‖(x − μ)U‖²}: each row is centred
     * to float precision (split into two floats about a point of its block, so an offset from the origin costs
     * nothing), the product and its squared norm are float, the distance is then widened to double; its relative
     * error is of order D·2⁻²⁴ (about 1e-6 at D = 16). The second moments {@code Σ r (x − μ)(x − μ)ᵀ}: the products
     * {@code √r'(x − μ)} and their cross-products are float ({@code r'} the responsibility over its block's
     * largest), summed in float over at most 64 rows, and those partial sums are added in double (a relative error
     * of order 64·2⁻²⁴ of each partial sum's magnitude at worst); where the SIMD kernels run at 512 bits and D is
     * 5–8 or at least 11, the second moments stay in double, whose kernel is the faster there. The diagonal,
     * spherical and tied structures, whose distances cost D operations per component, stay in double, and so do
     * data of fewer than five columns, where float does not pay. A block whose float values leave float's range is
     * computed again in double.
     */
    SINGLE;

    /**
     * @param name {@code double} or {@code single}, case-insensitive
     * @return the precision
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static Precision parse(String name) {
        return Labelled.parse(Precision.class, name, "precision");
    }

    @Override
    public String toString() {
        return label();
    }
}
