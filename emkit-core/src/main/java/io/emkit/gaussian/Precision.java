package io.emkit.gaussian;

import io.emkit.EmkitException;
import io.emkit.Labelled;

/**
 * The floating-point precision of a Gaussian E-step's Mahalanobis distances ({@link GaussianMixture#precision}).
 * Everything else (centring, log densities, responsibilities, the sufficient statistics and the log-likelihood)
 * is computed in double either way.
 */
public enum Precision implements Labelled {
    /** Every step in double precision (the default). */
    DOUBLE,
    /**
     * The triangular product {@code ‖(x − μ)U‖²} of the full-covariance structures in float, eight rows per 256-bit
     * vector instead of four: each row is centred in double and rounded to float, the product and its squared norm
     * are float, the distance is then widened to double. A distance's relative error is of order D·2⁻²⁴ (about 1e-6
     * at D = 16). The diagonal, spherical and tied structures, whose distances cost D operations per component, stay
     * in double. A block whose float distances leave float's range is computed again in double.
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
