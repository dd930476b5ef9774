package io.emkit.cli.fitting;

import io.emkit.cli.Format;
import io.emkit.cli.StatusLine;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.select.Candidate;
import io.emkit.select.ModelSelection;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * The progress {@code select} shows, as {@code fit} does: nothing with {@code --quiet}; a line per finished fit
 * with {@code --verbose}; otherwise, on a terminal, one status line rewritten in place ("fit 37/126: K=3 VEV,
 * 1:12 elapsed, about 2:30 left"), from a second into the command on, cleared when the last fit ends.
 */
final class SelectProgress implements ModelSelection.Listener, AutoCloseable {
    private final PrintWriter err;
    private final LongSupplier clock;
    private final boolean lines;
    private final StatusLine status;
    private final long afterNanos;
    private final long everyNanos;
    private final long start;
    private long lastShown = Long.MIN_VALUE;
    private String running = "";
    private int finished;
    private int total;
    /** Whether the last fit has ended (or the command stopped): nothing is shown after. */
    private boolean done;
    /** Refreshes the line while fits run (none on a fake clock, nor for lines). */
    private java.util.concurrent.ScheduledExecutorService ticker;

    SelectProgress(PrintWriter err, LongSupplier clock, boolean lines, long afterNanos, long everyNanos) {
        this.err = err;
        this.clock = clock;
        this.lines = lines;
        this.status = lines ? null : new StatusLine(err);
        this.afterNanos = afterNanos;
        this.everyNanos = everyNanos;
        this.start = clock.getAsLong();
    }

    /** The progress the options ask for; started when the command starts, so the elapsed time is the command's. */
    static ModelSelection.Listener of(PrintWriter err, boolean quiet, boolean verbose) {
        if (quiet) {
            return ModelSelection.Listener.NONE;
        }
        if (verbose) {
            return new SelectProgress(err, System::nanoTime, true, 0, 0);
        }
        return System.console() != null
                ? new SelectProgress(err, System::nanoTime, false, 1_000_000_000L, 200_000_000L).ticking()
                : ModelSelection.Listener.NONE;
    }

    /**
     * Keeps the status line's elapsed time running between events: a fit that runs for minutes tells nothing
     * until it ends, and the fits of a selection start at once, before the line is first shown.
     */
    SelectProgress ticking() {
        ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emkit-select-status");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        return this;
    }

    /** Shows the running fit with the time so far, once a fit has started. */
    synchronized void tick() {
        if (status != null && !done && total > 0) {
            maybeShow(total);
        }
    }

    /** Stops the line (at the end of the command, also when it fails) and clears it. */
    @Override
    public synchronized void close() {
        done = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (status != null) {
            status.clear();
        }
    }

    @Override
    public synchronized void onFitStarted(int started, int total, int components, CovarianceType structure) {
        onFitStarted(started, total, components, structure, 0);
    }

    @Override
    public synchronized void onFitStarted(int started, int total, int components, CovarianceType structure,
                                          int factors) {
        this.total = total;
        running = "fit " + started + "/" + total + ": K=" + components + " "
                + (factors > 0 ? "mfa:" + factors : structure.mclustName());
        if (status != null) {
            maybeShow(total);
        }
    }

    @Override
    public synchronized void onFitFinished(int finished, int total, Candidate c) {
        this.finished = finished;
        this.total = total;
        if (lines) {
            err.println("fit " + finished + "/" + total + ": K=" + c.components() + " " + c.structureName()
                    + (c.succeeded() ? ", BIC " + Format.num(c.bic()) : ", failed") + ", " + times(total));
            err.flush();
        } else if (finished == total) {
            close();
        } else {
            maybeShow(total);
        }
    }

    private void maybeShow(int total) {
        if (done) {
            return;
        }
        long now = clock.getAsLong() - start;
        if (now < afterNanos || (lastShown != Long.MIN_VALUE && now - lastShown < everyNanos)) {
            return;
        }
        lastShown = now;
        status.show(running + ", " + times(total));
    }

    /** "1:12 elapsed, about 2:30 left", the estimate once a fit has ended. */
    private String times(int total) {
        long elapsed = clock.getAsLong() - start;
        String text = StatusLine.clock(elapsed) + " elapsed";
        if (finished > 0 && finished < total) {
            text += ", about " + StatusLine.clock(elapsed / finished * (total - finished)) + " left";
        }
        return text;
    }
}
