package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.Labelled;

import java.util.Locale;

/** The family of a hidden Markov model's emission distributions, and the observations each accepts. */
public enum EmissionKind implements Labelled {
    /** A multivariate Gaussian per state; observations are any finite numbers. */
    GAUSSIAN,
    /** A mixture of Gaussians per state; observations are any finite numbers. */
    GAUSSIAN_MIXTURE,
    /** A categorical distribution per state over symbols {@code 0..M-1}; one column of whole numbers. */
    CATEGORICAL,
    /** Independent Poisson counts per column and state; observations are whole numbers {@code >= 0}. */
    POISSON,
    /** A multinomial distribution per state over count vectors; observations are whole numbers {@code >= 0}. */
    MULTINOMIAL;

    /**
     * The most symbols categorical emissions take: the model keeps a probability for every symbol from 0 to
     * the largest in every state, so one stray huge symbol would otherwise ask for gigabytes.
     */
    public static final int MAX_SYMBOLS = 1_000_000;

    @Override
    public String label() {
        return switch (this) {
            case GAUSSIAN_MIXTURE -> "gmm";
            default -> Labelled.super.label();
        };
    }

    /**
     * Whether a value lies in the support of this kind's emissions.
     *
     * @param value an observation
     * @return {@code null} if it does, otherwise what is wrong with it
     */
    public String violation(double value) {
        if (!Double.isFinite(value)) {
            return value + " is not a finite number";
        }
        return switch (this) {
            case GAUSSIAN, GAUSSIAN_MIXTURE -> null;
            case CATEGORICAL -> !(value >= 0 && value == Math.rint(value))
                    ? value + " is not a category (a whole number >= 0)"
                    : value >= MAX_SYMBOLS ? String.format(Locale.ROOT, "%.0f", value) + " is not a category below "
                            + MAX_SYMBOLS + " (recode the symbols as 0, 1, 2, ...)"
                    : null;
            case POISSON, MULTINOMIAL -> value >= 0 && value == Math.rint(value) && value < 1e15 ? null
                    : value + " is not a count (a whole number >= 0)";
        };
    }

    /**
     * @param name a label, in any case
     * @return the kind
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static EmissionKind parse(String name) {
        return Labelled.parse(EmissionKind.class, name, "emission");
    }

    @Override
    public String toString() {
        return label();
    }
}
