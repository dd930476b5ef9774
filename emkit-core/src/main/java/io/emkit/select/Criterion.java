package io.emkit.select;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An information criterion for ranking fitted models; for all three, <b>lower is better</b>.
 *
 * <ul>
 *   <li>BIC = −2·logL + p·ln n (Schwarz 1978). mclust reports 2·logL − p·ln n, the same value with the
 *       opposite sign, and picks the largest.</li>
 *   <li>ICL = BIC + 2·EN, where EN = −Σᵢ Σₖ zᵢₖ ln zᵢₖ is the entropy of the responsibilities (Biernacki,
 *       Celeux and Govaert 2000, with soft responsibilities; mclust's {@code icl} uses the hard assignment,
 *       −2·Σᵢ ln maxₖ zᵢₖ, which is never smaller).</li>
 *   <li>AIC = −2·logL + 2p (Akaike 1974).</li>
 * </ul>
 */
public enum Criterion {
    /** The Bayesian information criterion. */
    BIC,
    /** The integrated completed likelihood: BIC plus twice the entropy of the responsibilities. */
    ICL,
    /** Akaike's information criterion. */
    AIC;

    /**
     * @param name {@code bic}, {@code icl} or {@code aic}, in any case
     * @return the criterion
     * @throws EmkitException for another name
     */
    public static Criterion parse(String name) {
        for (Criterion c : values()) {
            if (c.name().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new EmkitException("unknown criterion '" + name + "'; expected one of: "
                + Arrays.stream(values()).map(Criterion::toString).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
