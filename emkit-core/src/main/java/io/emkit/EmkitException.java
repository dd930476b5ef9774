package io.emkit;

/**
 * A problem with what the user gave emkit (a data file, a model file, an option), carrying a message
 * written for that user: what is wrong, where, and what to do about it.
 *
 * <p>The command line prints such messages on one line and exits with status 2; any other exception
 * is a bug in emkit.
 */
public class EmkitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the user-facing message */
    public EmkitException(String message) {
        super(message);
    }

    /**
     * @param message the user-facing message
     * @param cause   the underlying failure, kept for debugging
     */
    public EmkitException(String message, Throwable cause) {
        super(message, cause);
    }

    /** How many names {@link #list} shows before it says how many more there are. */
    public static final int LISTED = 10;

    /**
     * Names as a message lists them: comma-separated, the first {@value #LISTED} only when there are more
     * ("a, b, ..., j ... and 99,990 more"), so that a file with 100,000 columns gets a readable line.
     *
     * @param names the names
     * @return the list as text
     */
    public static String list(java.util.List<String> names) {
        if (names.size() <= LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, LISTED)) + " ... and "
                + String.format(java.util.Locale.ROOT, "%,d", names.size() - LISTED) + " more";
    }
}
