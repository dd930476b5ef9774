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
}
