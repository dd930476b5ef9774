package io.emkit.cli.fitting;

import io.emkit.cli.Format;
import io.emkit.cli.StatusLine;
import io.emkit.em.IterationEvent;
import io.emkit.em.IterationListener;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * What fit shows while it works, phase by phase: reading the file, seeding each initialisation, its iterations;
 * the time since the command started on every line, and once an initialisation has finished, about how long
 * the rest will take. On a terminal one line rewritten in place (iterations at most every 0.2 s, and only a
 * second into the command); with {@code --verbose} a line per phase and per iteration; with {@code --quiet}
 * nothing.
 */
final class FitStatus implements IterationListener {
    /** How the status is shown. */
    enum Mode {
        /** Nothing ({@code --quiet}, or not a terminal). */
        NONE,
        /** One line rewritten in place (a terminal). */
        LINE,
        /** A line per phase and per iteration ({@code --verbose}). */
        LINES
    }

    private final PrintWriter err;
    private final Mode mode;
    private final StatusLine line;
    private final LongSupplier clock;
    private final long start;
    private final String quantity;
    private final String changeLabel;
    private final int sign;
    private long lastShown = Long.MIN_VALUE;
    /** When the first initialisation began (its seeding), and how many have finished. */
    private long firstStart = Long.MIN_VALUE;
    private int finished;
    private int initializations;
    /** Whether the initialisations are alike, so that those finished tell how long the rest take (not a search). */
    private boolean estimate = true;

    FitStatus(PrintWriter err, Mode mode, LongSupplier clock, String quantity, String changeLabel, int sign) {
        this.err = err;
        this.mode = mode;
        this.line = new StatusLine(err);
        this.clock = clock;
        this.start = clock.getAsLong();
        this.quantity = quantity;
        this.changeLabel = changeLabel;
        this.sign = sign;
    }

    /**
     * The status a fitting command shows: nothing with {@code --quiet}, lines with {@code --verbose}, otherwise a
     * status line on a terminal only.
     */
    static FitStatus of(PrintWriter err, boolean quiet, boolean verbose, String quantity, String changeLabel, int sign) {
        Mode mode = quiet ? Mode.NONE : verbose ? Mode.LINES : System.console() != null ? Mode.LINE : Mode.NONE;
        return new FitStatus(err, mode, System::nanoTime, quantity, changeLabel, sign);
    }

    /**
     * The file is being read. Shown as a line with {@code --verbose} only: the reader reports no rows as it goes,
     * and what it notes (skipped columns) would run into a status line.
     *
     * @param file the data being read
     */
    void reading(String file) {
        if (mode == Mode.LINES) {
            show("reading " + file, true);
        }
    }

    /**
     * The first initialisation is being seeded.
     *
     * @param initializations how many initialisations the fit makes, or 0 when not known ahead (a search, whose
     *                        progress is then shown without an estimate)
     */
    void seeding(int initializations) {
        this.initializations = initializations;
        // A search's runs differ (short runs, then the best continued): its finished runs tell nothing of the rest.
        this.estimate = initializations > 0;
        firstStart = clock.getAsLong();
        show(initializations > 0 ? "init 1/" + initializations + ": seeding" : "seeding", true);
    }

    /** Clears the line at the end of the command. */
    void done() {
        if (mode == Mode.LINE) {
            line.clear();
        }
    }

    @Override
    public void onIteration(IterationEvent e) {
        initializations = e.initializations();
        if (firstStart == Long.MIN_VALUE) {
            firstStart = clock.getAsLong();
        }
        long now = clock.getAsLong();
        if (mode == Mode.LINE && (now - start < 1_000_000_000L
                || (lastShown != Long.MIN_VALUE && now - lastShown < 200_000_000L))) {
            return;
        }
        lastShown = now;
        show("init " + (e.initialization() + 1) + "/" + e.initializations() + "  iteration " + e.iteration() + "  "
                + quantity + " " + Format.num(sign * e.objective())
                + (Double.isNaN(e.meanChange()) ? "" : "  " + changeLabel + " " + Format.num(sign * e.meanChange())), false);
    }

    @Override
    public void onRunFinished(int initialization, double objective, boolean converged) {
        finished = Math.max(finished, initialization + 1);
        if (initialization + 1 < initializations) {
            show("init " + (initialization + 2) + "/" + initializations + ": seeding", true);
        }
    }

    /** The text with the time since the command started and, when one can be made, an estimate of the rest. */
    private void show(String text, boolean phase) {
        if (mode == Mode.NONE) {
            return;
        }
        long now = clock.getAsLong();
        String s = text + "  " + StatusLine.clock(now - start) + " elapsed";
        if (estimate && finished > 0 && initializations > finished && firstStart != Long.MIN_VALUE) {
            long per = (now - firstStart) / finished;
            s += ", about " + StatusLine.clock(per * (initializations - finished)) + " left";
        }
        if (mode == Mode.LINES) {
            err.println(s);
            err.flush();
        } else if (phase || now - start >= 1_000_000_000L) {
            line.show(s);
        }
    }
}
