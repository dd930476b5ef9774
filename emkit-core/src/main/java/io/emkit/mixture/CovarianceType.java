package io.emkit.mixture;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the components' covariance matrices are constrained. The names are scikit-learn's; each has an
 * mclust equivalent in the eigen-decomposition family Σ = λ D A Dᵀ.
 */
public enum CovarianceType {
    /** Each component its own unconstrained covariance matrix (mclust VVV). */
    FULL("full", "VVV"),
    /** Each component its own diagonal covariance, axis-aligned (mclust VVI). */
    DIAG("diag", "VVI"),
    /** Each component a single variance, the same in every direction (mclust VII). */
    SPHERICAL("spherical", "VII"),
    /** One unconstrained covariance matrix shared by all components (mclust EEE). */
    TIED("tied", "EEE");

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

    /**
     * The number of free covariance parameters for {@code k} components in {@code d} dimensions.
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
        };
    }

    /**
     * Parses a name: scikit-learn's ({@code full}, {@code diag}, {@code spherical}, {@code tied}) or
     * mclust's ({@code VVV}, {@code VVI}, {@code VII}, {@code EEE}), in any case.
     *
     * @param name the name
     * @return the type
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static CovarianceType parse(String name) {
        String s = name.trim();
        for (CovarianceType t : values()) {
            if (t.label.equalsIgnoreCase(s) || t.mclustName.equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new EmkitException("unknown covariance type '" + name + "'; expected one of: "
                + Arrays.stream(values()).map(t -> t.label + " (" + t.mclustName + ")")
                .collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
