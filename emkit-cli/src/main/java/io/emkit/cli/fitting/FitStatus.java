package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.Format;
import io.emkit.cli.StatusLine;
import io.emkit.em.IterationEvent;
import io.emkit.em.IterationListener;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * What a fitting command (fit, fit --family, kmeans, hmm fit) shows while it works, phase by phase: reading the
 * file (the rows read so far), seeding each initialisation, its iterations;
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
    /**
     * Whether standard error is a terminal (so that the status line is shown); tests of whole commands stand in a
     * terminal of their own.
     */
    static java.util.function.BooleanSupplier terminal = () -> System.console() != null;
    /** Whether a reading is shown by a thread of its own; tests turn it off and tick by hand. */
    boolean ticking = true;

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
        Mode mode = quiet ? Mode.NONE : verbose ? Mode.LINES : terminal.getAsBoolean() ? Mode.LINE : Mode.NONE;
        return new FitStatus(err, mode, System::nanoTime, quantity, changeLabel, sign);
    }

    /**
     * The file is being read: until the returned reading is closed, the rows read so far are shown (on a
     * terminal every 0.2 s once the command has run a second; with {@code --verbose} a line at the start, one a
     * second while it lasts, and one with the rows read at the end). The rows are counted by the reader itself
     * (into the counter {@code data} hands to it), at the cost of an addition per few thousand rows.
     *
     * @param file the data being read
     * @param data how the command reads it: counts the rows into this status until the reading is closed
     * @return the reading, to close when the file has been read
     */
    Reading reading(String file, io.emkit.cli.DataOptions data) {
        return new Reading(file, data);
    }

    /**
     * A file being read, shown by a ticking thread that polls the reader's row counter; closing it stops the
     * thread (before it returns, so nothing is shown after) and, on a terminal, clears the line.
     */
    final class Reading implements AutoCloseable {
        private final String file;
        private final io.emkit.cli.DataOptions data;
        private final java.util.concurrent.atomic.LongAdder rows = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.ScheduledExecutorService ticker;
        private long lastLine;
        private long read = -1;

        private Reading(String file, io.emkit.cli.DataOptions data) {
            this.file = file;
            this.data = data;
            if (mode == Mode.NONE) {
                ticker = null;
                return;
            }
            data.countRows(rows);
            show("reading " + file, mode == Mode.LINES);
            lastLine = clock.getAsLong();
            if (!ticking) {
                ticker = null;
                return;
            }
            ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "emkit-status");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** Shows the rows read so far: on a terminal at each tick, with {@code --verbose} once a second. */
        void tick() {
            synchronized (FitStatus.this) {
                long now = clock.getAsLong();
                if (mode == Mode.LINES && now - lastLine < 1_000_000_000L) {
                    return;
                }
                lastLine = now;
                show("reading " + file + ": " + rows.sum() + " rows so far", false);
            }
        }

        /** @return the counter the reader adds its rows to (for tests that stand in for the reader) */
        java.util.concurrent.atomic.LongAdder counter() {
            return rows;
        }

        /** @param count the rows the file turned out to have, shown at the end with {@code --verbose} */
        void rows(long count) {
            read = count;
        }

        /**
         * Where the reader's notes (columns left out) go: {@code err}, with the status line cleared before each
         * note so that the two never run into each other.
         */
        PrintWriter notes() {
            if (mode != Mode.LINE) {
                return err;
            }
            return new PrintWriter(new java.io.Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    synchronized (FitStatus.this) {
                        line.clear();
                        err.write(buf, off, len);
                    }
                }

                @Override
                public void flush() {
                    err.flush();
                }

                @Override
                public void close() {
                    err.flush();
                }
            }, true);
        }

        @Override
        public void close() {
            if (mode == Mode.NONE) {
                return;
            }
            if (ticker != null) {
                ticker.shutdownNow();
                try {
                    ticker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            data.countRows(null);
            synchronized (FitStatus.this) {
                if (mode == Mode.LINES && read >= 0) {
                    show("read " + file + ": " + read + (read == 1 ? " row" : " rows"), true);
                } else if (mode == Mode.LINE) {
                    line.clear();
                }
            }
        }
    }

    /**
     * The first initialisation is being seeded.
     *
     * @param initializations how many initialisations the fit makes, or 0 when not known ahead (a search, whose
     *                        progress is then shown without an estimate)
     */
    synchronized void seeding(int initializations) {
        this.initializations = initializations;
        // A search's runs differ (short runs, then the best continued): its finished runs tell nothing of the rest.
        this.estimate = initializations > 0;
        firstStart = clock.getAsLong();
        show(initializations > 0 ? "init 1/" + initializations + ": seeding" : "seeding", true);
    }

    /**
     * @param options a fit's options
     * @return its initialisations as {@link #seeding} takes them: the plain runs, or 0 for a search
     */
    static int runs(io.emkit.em.EmOptions options) {
        return options.search() == null ? options.initializations() : 0;
    }

    /** Clears the line at the end of the command. */
    synchronized void done() {
        if (mode == Mode.LINE) {
            line.clear();
        }
    }

    @Override
    public void onIteration(IterationEvent e) {
        if (mode == Mode.NONE) {
            // Shown nowhere: not even the line is built. Every E-step of every start comes here (thousands in a
            // search), and building it costs two String.format calls and four regular expressions each, plus the
            // compiler's time on them: about 0.4 CPU-s of a 2.5-second fit (3,000 and 5,000 rows).
            return;
        }
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
        show(CliSupport.run(e) + "  iteration " + e.iteration() + "  "
                + quantity + " " + Format.num(sign * e.objective())
                + (Double.isNaN(e.meanChange()) ? "" : "  " + changeLabel + " " + Format.num(sign * e.meanChange())), false);
    }

    @Override
    public void onRunFinished(int initialization, double objective, boolean converged) {
        if (mode == Mode.NONE) {
            return;
        }
        finished = Math.max(finished, initialization + 1);
        if (initialization + 1 < initializations) {
            show("init " + (initialization + 2) + "/" + initializations + ": seeding", true);
        }
    }

    /** The text with the time since the command started and, when one can be made, an estimate of the rest. */
    private synchronized void show(String text, boolean phase) {
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
