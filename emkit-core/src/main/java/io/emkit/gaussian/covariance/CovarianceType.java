package io.emkit.gaussian.covariance;

import io.emkit.EmkitException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How the components' covariance matrices are constrained: the 14 structures of the eigen-decomposition
 * family {@code Σk = λk Dk Ak Dkᵀ} (Celeux and Govaert 1995; Fraley and Raftery's mclust), where
 * {@code λk} is the volume ({@code |Σk|^(1/d)}), {@code Ak} the shape (diagonal, determinant 1) and
 * {@code Dk} the orientation (orthogonal). A name's three letters say, in that order, whether volume, shape
 * and orientation are Equal across components, Variable, or the Identity (axis-aligned, or spherical).
 *
 * <p>Four structures keep scikit-learn's names, which are their labels in model files and messages:
 * {@link #SPHERICAL} = VII, {@link #DIAG} = VVI, {@link #TIED} = EEE, {@link #FULL} = VVV. The other ten are
 * labelled by their mclust names. {@link #all()} lists all 14 in mclust's order.
 */
public enum CovarianceType {
    /** Each component its own unconstrained covariance matrix (mclust VVV). */
    FULL("full", "VVV"),
    /** Each component its own diagonal covariance, axis-aligned (mclust VVI). */
    DIAG("diag", "VVI"),
    /** Each component a single variance, the same in every direction (mclust VII). */
    SPHERICAL("spherical", "VII"),
    /** One unconstrained covariance matrix shared by all components (mclust EEE). */
    TIED("tied", "EEE"),
    /** One variance shared by all components, the same in every direction: {@code λ I}. */
    EII("EII", "EII"),
    /** One diagonal covariance shared by all components: {@code λ A}. */
    EEI("EEI", "EEI"),
    /** Diagonal covariances of varying volume and equal shape: {@code λk A}. */
    VEI("VEI", "VEI"),
    /** Diagonal covariances of equal volume and varying shape: {@code λ Ak}. */
    EVI("EVI", "EVI"),
    /** Varying volume, equal shape and orientation: {@code λk D A Dᵀ}. */
    VEE("VEE", "VEE"),
    /** Equal volume and orientation, varying shape: {@code λ D Ak Dᵀ}. */
    EVE("EVE", "EVE"),
    /** Varying volume and shape, equal orientation: {@code λk D Ak Dᵀ}. */
    VVE("VVE", "VVE"),
    /** Equal volume and shape, varying orientation: {@code λ Dk A Dkᵀ}. */
    EEV("EEV", "EEV"),
    /** Varying volume and orientation, equal shape: {@code λk Dk A Dkᵀ}. */
    VEV("VEV", "VEV"),
    /** Equal volume, varying shape and orientation: {@code λ Dk Ak Dkᵀ}. */
    EVV("EVV", "EVV");

    private static final List<CovarianceType> MCLUST_ORDER = List.of(EII, SPHERICAL, EEI, VEI, EVI, DIAG, TIED, VEE,
            EVE, VVE, EEV, VEV, EVV, FULL);

    private final String label;
    private final String mclustName;

    CovarianceType(String label, String mclustName) {
        this.label = label;
        this.mclustName = mclustName;
    }

    /** @return the name used in model files and on the command line, e.g. {@code "full"} */
    public String label() {
        return label;
    }

    /** @return the equivalent mclust model name, e.g. {@code "VVV"} */
    public String mclustName() {
        return mclustName;
    }

    /** @return all 14 structures in mclust's order: EII, VII, EEI, VEI, EVI, VVI, EEE, VEE, EVE, VVE, EEV, VEV, EVV, VVV */
    public static List<CovarianceType> all() {
        return MCLUST_ORDER;
    }

    /** @return whether all components have the same volume {@code |Σk|^(1/d)} (first letter E) */
    public boolean equalVolume() {
        return mclustName.charAt(0) == 'E';
    }

    /** @return whether all components have the same shape {@code Ak} (second letter E or I) */
    public boolean equalShape() {
        return mclustName.charAt(1) != 'V';
    }

    /** @return whether all components have the same orientation {@code Dk} (third letter E or I) */
    public boolean equalOrientation() {
        return mclustName.charAt(2) != 'V';
    }

    /** @return whether the covariances are diagonal (third letter I: axis-aligned or spherical) */
    public boolean diagonal() {
        return mclustName.charAt(2) == 'I';
    }

    /**
     * Whether this is one of the structures scikit-learn names (full, diag, spherical, tied), stored in
     * their compact forms; the other ten are stored as one full matrix per component.
     *
     * @return whether the fitted covariances of this structure are stored in the compact form
     */
    public boolean hasCompactStorage() {
        return this == FULL || this == DIAG || this == SPHERICAL || this == TIED;
    }

    /**
     * The free parameters of a Gaussian mixture with this structure: the covariances', {@code k·d} means
     * and {@code k − 1} weights (BIC's p, as mclust's {@code nMclustParams}).
     *
     * @param k components
     * @param d dimensions
     * @return the count
     */
    public int mixtureParameters(int k, int d) {
        return covarianceParameters(k, d) + k * d + k - 1;
    }

    /**
     * The number of free covariance parameters for {@code k} components in {@code d} dimensions, as
     * mclust counts them ({@code nVarParams}): a volume counts 1, a shape {@code d − 1}, an orientation
     * {@code d(d − 1)/2}, each once if shared and {@code k} times if it varies.
     *
     * @param k components
     * @param d dimensions
     * @return the count
     */
    public int covarianceParameters(int k, int d) {
        return switch (this) {
            case FULL -> k * d * (d + 1) / 2;
            case DIAG -> k * d;
            case SPHERICAL -> k;
            case TIED -> d * (d + 1) / 2;
            case EII -> 1;
            case EEI -> d;
            case VEI -> k + (d - 1);
            case EVI -> 1 + k * (d - 1);
            case VEE -> k + (d - 1) + d * (d - 1) / 2;
            case EVE -> 1 + k * (d - 1) + d * (d - 1) / 2;
            case VVE -> k + k * (d - 1) + d * (d - 1) / 2;
            case EEV -> 1 + (d - 1) + k * d * (d - 1) / 2;
            case VEV -> k + (d - 1) + k * d * (d - 1) / 2;
            case EVV -> 1 + k * (d - 1) + k * d * (d - 1) / 2;
        };
    }

    /**
     * Parses a name: scikit-learn's ({@code full}, {@code diag}, {@code spherical}, {@code tied}), any of
     * mclust's 14 ({@code EII} … {@code VVV}), or mclust's univariate {@code E} (equal variance) and {@code V}
     * (unequal variances), in any case. E and V are read as EII and VII, their models in one column and the
     * structures with the same volumes in more.
     *
     * @param name the name
     * @return the type
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static CovarianceType parse(String name) {
        String s = name.trim();
        if (s.equalsIgnoreCase("E")) {
            return EII;
        }
        if (s.equalsIgnoreCase("V")) {
            return SPHERICAL;
        }
        for (CovarianceType t : values()) {
            if (t.label.equalsIgnoreCase(s) || t.mclustName.equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new EmkitException("unknown covariance type '" + name + "'; expected one of: "
                + MCLUST_ORDER.stream().map(t -> t.hasCompactStorage() ? t.mclustName + " (" + t.label + ")"
                : t.mclustName).collect(Collectors.joining(", ")) + "; for one column also E and V");
    }

    @Override
    public String toString() {
        return label;
    }
}
