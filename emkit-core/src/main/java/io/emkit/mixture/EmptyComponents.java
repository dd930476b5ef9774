package io.emkit.mixture;

/**
 * When an M-step calls a component empty, and the warning it gives: the Gaussian, t and factor-analyser mixtures keep
 * an empty component's parameters with a weight of about 0 and say so in the same words.
 */
public final class EmptyComponents {
    /** {@link #FRACTION} as the warnings write it. */
    private static final String FRACTION_TEXT = "1e-10";
    /** The share of the total responsibility at or below which a component is empty. */
    public static final double FRACTION = Double.parseDouble(FRACTION_TEXT);

    private EmptyComponents() {
    }

    /**
     * @param held  the component's total responsibility
     * @param total every component's
     * @return whether the component is empty: it holds at most {@link #FRACTION} of the total
     */
    public static boolean isEmpty(double held, double total) {
        return held <= FRACTION * total;
    }

    /**
     * The warning for an empty component, in the same words at every step it stays empty, so that a run's set of
     * warnings holds it once; and no number is formatted: a search's short runs at high K meet empty components
     * thousands of times (4,925 warnings in one {@code emkit select} on Old Faithful, enough to have the optimising
     * compiler compile {@code String.format}'s machinery), and what an empty component holds is below
     * {@link #FRACTION} of the total whatever its value.
     *
     * @param component the component, from 0
     * @param kept      what became of its parameters, e.g. "it keeps its last mean and covariance with weight ~0"
     * @return the warning
     */
    public static String warning(int component, String kept) {
        return "component " + (component + 1) + " is empty (its total responsibility under " + FRACTION_TEXT
                + " of the rows'); " + kept + "; fewer components may fit better";
    }
}
