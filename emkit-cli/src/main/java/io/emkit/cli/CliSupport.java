package io.emkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.data.Rows;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.em.IterationListener;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/** What the fitting commands share: option checks, the per-iteration progress line, the JSON result. */
public final class CliSupport {
    /**
     * The JSON writer, made on first use: building an ObjectMapper takes a start-up's worth of class loading
     * and initialisation, and a command without {@code --json} never needs it.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private CliSupport() {
    }

    /**
     * @param column a column left out of a fit because it is not numeric
     * @return the note saying so
     */
    public static String ignoredColumnNote(String column) {
        return ignoredColumnNote(column, COLUMNS_HINT);
    }

    /** What to do about a non-numeric column where only numeric columns can be used. */
    public static final String COLUMNS_HINT = "choose columns with --columns";

    /** What to do about a non-numeric column in {@code emkit fit}, which can model it as categorical. */
    public static final String FAMILY_HINT = "to model it too, as a categorical column, add --family auto";

    /**
     * @param column a column left out because it is not numeric
     * @param hint   what the user can do about it
     * @return the note saying so
     */
    public static String ignoredColumnNote(String column, String hint) {
        return "note: ignoring non-numeric column '" + column + "' (" + hint + ")";
    }

    /** Prints {@link #ignoredColumnNote} for each column, unless quiet. */
    static void noteIgnoredColumns(PrintWriter err, boolean quiet, java.util.List<String> columns) {
        if (!quiet) {
            for (String c : columns) {
                err.println(ignoredColumnNote(c));
            }
        }
    }

    /**
     * A usage error (exit 2) unless {@code value >= min}.
     *
     * @param cl     the command
     * @param option the option's name, for the message
     * @param value  its value
     * @param min    the least value allowed
     */
    public static void requireAtLeast(CommandLine cl, String option, long value, long min) {
        if (value < min) {
            throw new CommandLine.ParameterException(cl, option + " must be at least " + min + ", got " + value);
        }
    }

    /**
     * A usage error (exit 2) unless {@code value} is finite and {@code >= min}.
     *
     * @param cl     the command
     * @param option the option's name, for the message
     * @param value  its value
     * @param min    the least value allowed
     */
    public static void requireFiniteAtLeast(CommandLine cl, String option, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new CommandLine.ParameterException(cl, option + " must be a finite number >= "
                    + Format.num(min) + ", got " + value);
        }
    }

    /**
     * A usage error (exit 2) unless an optional number, when given, is finite and {@code > 0}; the message quotes
     * the value as it was typed (where picocli would write 1.0E-4 for 1e-4).
     *
     * @param cl     the command, parsed
     * @param option the option's name, for the message and to find what was typed
     * @param value  its value, or {@code null} where it was not given
     */
    public static void requireFinitePositive(CommandLine cl, String option, Double value) {
        if (value != null && (!(value > 0) || value.isInfinite())) {
            throw new CommandLine.ParameterException(cl, option + " must be a finite number > 0, got "
                    + cl.getParseResult().matchedOption(option).originalStringValues().get(0));
        }
    }

    /**
     * @param e an iteration
     * @return which run it belongs to: {@code init 2/5} among a known number of runs, {@code search run 7} in a
     *         search, whose runs are not known ahead
     */
    public static String run(io.emkit.em.IterationEvent e) {
        return e.initializations() > 0 ? "init " + (e.initialization() + 1) + "/" + e.initializations()
                : "search run " + (e.initialization() + 1);
    }

    /**
     * A line per iteration on standard error (for {@code --verbose}).
     *
     * @param err         where to print
     * @param quantity    what the objective is called, e.g. "log-likelihood"
     * @param changeLabel what the change is called, e.g. "change/row"
     * @param sign        1, or -1 to show the negated objective and change (k-means' inertia)
     * @return the listener
     */
    public static IterationListener progress(PrintWriter err, String quantity, String changeLabel, int sign) {
        return e -> {
            err.println(run(e) + "  iteration " + e.iteration()
                    + "  " + quantity + " " + Format.num(sign * e.objective())
                    + (Double.isNaN(e.meanChange()) ? "" : "  " + changeLabel + " " + Format.num(sign * e.meanChange()))
                    + "  " + Format.fixed(e.elapsedNanos() / 1e9, 3) + " s");
            err.flush();
        };
    }

    /**
     * The progress a fitting command shows: nothing with {@code --quiet}; a line per iteration with
     * {@code --verbose}; otherwise, on a terminal, one status line rewritten in place (only once a fit has
     * run for a second, so short fits print nothing) and cleared when each initialisation ends.
     *
     * @param err         where to print
     * @param quiet       {@code --quiet}
     * @param verbose     {@code --verbose}
     * @param quantity    what the objective is called, e.g. "log-likelihood"
     * @param changeLabel what the change is called, e.g. "change/row"
     * @param sign        1, or -1 to show the negated objective and change (k-means' inertia)
     * @return the listener
     */
    public static IterationListener progress(PrintWriter err, boolean quiet, boolean verbose, String quantity,
                                      String changeLabel, int sign) {
        if (quiet) {
            return IterationListener.NONE;
        }
        if (verbose) {
            return progress(err, quantity, changeLabel, sign);
        }
        return System.console() != null ? statusLine(err, quantity, changeLabel, sign, 1_000_000_000L, 200_000_000L)
                : IterationListener.NONE;
    }

    /**
     * A status line rewritten with carriage returns, at most every {@code everyNanos}, from
     * {@code afterNanos} into each initialisation on.
     */
    static IterationListener statusLine(PrintWriter err, String quantity, String changeLabel, int sign,
                                        long afterNanos, long everyNanos) {
        StatusLine status = new StatusLine(err);
        return new IterationListener() {
            private long lastShown = Long.MIN_VALUE;

            @Override
            public void onIteration(io.emkit.em.IterationEvent e) {
                long now = e.elapsedNanos();
                if (now < afterNanos || (lastShown != Long.MIN_VALUE && now - lastShown < everyNanos)) {
                    return;
                }
                lastShown = now;
                String line = run(e) + "  iteration "
                        + e.iteration() + "  " + quantity + " " + Format.num(sign * e.objective())
                        + (Double.isNaN(e.meanChange()) ? "" : "  " + changeLabel + " " + Format.num(sign * e.meanChange()))
                        + "  " + Format.fixed(now / 1e9, 1) + " s";
                status.show(line);
            }

            @Override
            public void onRunFinished(int initialization, double objective, boolean converged) {
                status.clear();
                lastShown = Long.MIN_VALUE;
            }
        };
    }

    /**
     * How a model was made, for its file's {@code "provenance"}: this emkit's version, the data, the options
     * given on the command line (as typed, a flag as "true"), the seed, how the fit ended, and the date (the
     * time now, or {@code SOURCE_DATE_EPOCH} when set, for files that must come out byte for byte the same).
     *
     * @param cl            the command that fitted
     * @param dataFile      the data file as the user named it
     * @param rows          the rows fitted
     * @param columns       the columns fitted
     * @param seed          the seed
     * @param fit           the fit
     * @param logLikelihood its log-likelihood (NaN when it has none: k-means)
     * @return the provenance
     */
    public static io.emkit.io.Provenance provenance(CommandLine cl, String dataFile, long rows, int columns, long seed,
                                                    EmResult<?> fit, double logLikelihood) {
        double bic = -2.0 * logLikelihood + fit.parameterCount() * Math.log(fit.sampleCount());
        return provenance(cl, dataFile, rows, columns, seed, logLikelihood, bic, fit.converged(), fit.iterations());
    }

    /**
     * As {@link #provenance(CommandLine, String, long, int, long, EmResult, double)}, from a fit's numbers.
     *
     * @param cl            the command that fitted
     * @param dataFile      the data file as the user named it
     * @param rows          the rows fitted
     * @param columns       the columns fitted
     * @param seed          the seed
     * @param logLikelihood the log-likelihood, NaN when none
     * @param bic           the BIC, NaN when none
     * @param converged     whether the fit converged, null when not known
     * @param iterations    its iterations, null when not known
     * @return the provenance
     */
    public static io.emkit.io.Provenance provenance(CommandLine cl, String dataFile, long rows, int columns, long seed,
                                                    double logLikelihood, double bic, Boolean converged,
                                                    Integer iterations) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        for (CommandLine.Model.OptionSpec o : cl.getParseResult().matchedOptions()) {
            List<String> values = o.originalStringValues();
            options.put(o.longestName(), values.isEmpty() ? "true" : String.join(",", values));
        }
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        java.time.Instant now = epoch != null && epoch.matches("[0-9]{1,12}")
                ? java.time.Instant.ofEpochSecond(Long.parseLong(epoch))
                : java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new io.emkit.io.Provenance(Emkit.version(), dataFile, rows, columns, java.util.Collections.unmodifiableMap(options),
                seed, logLikelihood, bic, converged, iterations, now.toString());
    }

    /**
     * The keys every likelihood-based fit reports: log_likelihood, mean_log_likelihood, bic, aic,
     * n_parameters, n_iter, converged; then {@link #finishJson} adds the trace and warnings.
     *
     * @param fit the fit
     * @return the JSON object, to be completed by the command
     */
    public static ObjectNode fitJson(EmResult<?> fit) {
        return fitJson(fit, fit.logLikelihood());
    }

    /**
     * As {@link #fitJson(EmResult)}, with the log-likelihood (and the criteria and mean from it) given: for a
     * fit whose objective is not the log-likelihood (hard EM). The mean divides by the fit's n, the number of
     * rows or their total weight.
     *
     * @param fit           the fit
     * @param logLikelihood the log-likelihood to report
     * @return the JSON object, to be completed by the command
     */
    public static ObjectNode fitJson(EmResult<?> fit, double logLikelihood) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("log_likelihood", logLikelihood);
        o.put("mean_log_likelihood", logLikelihood / fit.sampleCount());
        o.put("bic", -2.0 * logLikelihood + fit.parameterCount() * Math.log(fit.sampleCount()));
        o.put("aic", -2.0 * logLikelihood + 2.0 * fit.parameterCount());
        o.put("n_parameters", fit.parameterCount());
        o.put("n_iter", fit.iterations());
        o.put("converged", fit.converged());
        putSearch(o, fit);
        return o;
    }

    /**
     * How the fit looked for its optimum, for a summary's fit line: "search (default): 24 short starts ...", or
     * "best of N initialisations".
     *
     * @param fit     the fit
     * @param options the options it ran with
     * @return the phrase
     */
    public static String runsText(EmResult<?> fit, EmOptions options) {
        if (fit.search() != null) {
            return "search (" + fit.search().level() + "): " + fit.search().summary();
        }
        int n = options.search() != null ? 1 : options.initializations();
        return "best of " + n + " initialisation" + (n == 1 ? "" : "s");
    }

    /**
     * Refuses the first of {@code options} the command line gives, with the message {@code why} makes of it: for
     * options that do not go with the kind of fit asked for.
     *
     * @param parse   the parsed command line
     * @param options the options that are refused
     * @param why     the message for a refused option
     * @throws io.emkit.EmkitException naming the first refused option given
     */
    public static void refuseOptions(CommandLine.ParseResult parse, java.util.List<String> options,
                                     java.util.function.Function<String, String> why) {
        for (String o : options) {
            if (parse.hasMatchedOption(o)) {
                throw new io.emkit.EmkitException(why.apply(o));
            }
        }
    }

    /**
     * Adds the {@code search} object (what the search did) to a fit's JSON when the fit searched.
     *
     * @param o   the fit's JSON object
     * @param fit the fit
     */
    public static void putSearch(ObjectNode o, EmResult<?> fit) {
        Search.Report r = fit.search();
        if (r == null) {
            return;
        }
        ObjectNode s = o.putObject("search");
        s.put("level", r.level());
        s.put("short_starts", r.shortStarts());
        ObjectNode kinds = s.putObject("starts_by_kind");
        r.startsByKind().forEach(kinds::put);
        s.put("repeated_starts", r.repeatedStarts());
        s.put("short_iterations", r.shortIterations());
        s.put("continued", r.continued());
        s.put("moves_tried", r.movesTried());
        s.put("moves_accepted", r.movesAccepted());
        s.put("relocations_tried", r.relocationsTried());
        s.put("relocations_accepted", r.relocationsAccepted());
        s.put("repairs_tried", r.repairsTried());
        s.put("repairs_accepted", r.repairsAccepted());
        s.put("best_from", r.winner());
        s.put("e_steps", r.eSteps());
        s.put("sample_rows", r.sampleRows());
    }

    /**
     * The summary line saying how many cells were missing and how many rows (every cell missing) the fit
     * skipped; empty when nothing is missing.
     *
     * @param missing what the data miss
     * @param data    the data
     * @return the line, ending in a line break, or the empty string
     */
    public static String missingLine(Rows.MissingCounts missing, Rows data) {
        return missingLine(missing, data.rows(), data.columns());
    }

    /**
     * As {@link #missingLine(Rows.MissingCounts, Rows)}, for rows another engine holds.
     *
     * @param missing what the rows miss
     * @param rows    how many rows
     * @param columns how many columns
     * @return the line, or nothing when no value is missing
     */
    public static String missingLine(Rows.MissingCounts missing, long rows, int columns) {
        if (missing.cells() == 0) {
            return "";
        }
        double share = 100.0 * missing.cells() / ((double) rows * columns);
        return "missing      " + missing.cells() + " cell" + (missing.cells() == 1 ? "" : "s") + " ("
                + String.format(java.util.Locale.ROOT, "%.1f", share) + "% of the data; the fit uses each row's observed values)"
                + (missing.emptyRows() == 0 ? "" : "; " + missing.emptyRows() + " row"
                + (missing.emptyRows() == 1 ? "" : "s") + " with every value missing skipped") + "\n";
    }

    /**
     * Adds {@code missing_cells} and {@code skipped_rows} (rows with every value missing) to a fit's JSON.
     *
     * @param o       the fit's JSON
     * @param missing what the data miss
     */
    public static void putMissing(ObjectNode o, Rows.MissingCounts missing) {
        o.put("missing_cells", missing.cells());
        o.put("skipped_rows", missing.emptyRows());
    }

    /**
     * Adds the objective's trace (under {@code traceKey}) and the warnings, then serialises.
     *
     * @param o        the fit's JSON
     * @param fit      the fit
     * @param traceKey the trace's key
     * @param sign     1, or -1 to negate the trace (k-means' inertia)
     * @return the indented JSON text
     */
    public static String finishJson(ObjectNode o, EmResult<?> fit, String traceKey, int sign) {
        ArrayNode trace = o.putArray(traceKey);
        for (double v : fit.trace()) {
            trace.add(sign * v);
        }
        ArrayNode warnings = o.putArray("warnings");
        fit.warnings().forEach(warnings::add);
        return json(o);
    }

    /**
     * @param o a JSON object
     * @return it as indented JSON text
     */
    public static String json(ObjectNode o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
