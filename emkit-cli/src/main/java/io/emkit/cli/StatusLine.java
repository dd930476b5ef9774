package io.emkit.cli;

import java.io.PrintWriter;

/**
 * One line on a terminal rewritten in place with carriage returns: each text overwrites the last (padded with
 * spaces where it is shorter), and {@link #clear} blanks it before other output. What fit and select show
 * while they work.
 */
public final class StatusLine {
    private final PrintWriter err;
    private int width;

    /** @param err where the line is shown (standard error, on a terminal) */
    public StatusLine(PrintWriter err) {
        this.err = err;
    }

    /** @param text the line's new text */
    public void show(String text) {
        err.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
        err.flush();
        width = Math.max(width, text.length());
    }

    /** Blanks the line and returns to its start; does nothing when nothing is shown. */
    public void clear() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
        }
        width = 0;
    }

    /** @return whether a text is shown */
    public boolean showing() {
        return width > 0;
    }

    /**
     * A duration as a clock shows it: 0:07, 1:12, 1:02:03.
     *
     * @param nanos the duration in nanoseconds
     * @return the text
     */
    public static String clock(long nanos) {
        long s = Math.max(0, nanos) / 1_000_000_000L;
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(java.util.Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
