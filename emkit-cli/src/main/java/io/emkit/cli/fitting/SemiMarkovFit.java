package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.cli.HmmData;
import io.emkit.em.EmResult;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import io.emkit.hmm.semimarkov.Durations;
import io.emkit.hmm.semimarkov.SemiMarkov;
import io.emkit.hmm.semimarkov.SemiMarkovModel;
import io.emkit.io.ModelFiles;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code emkit hmm fit --duration SPEC}: a hidden semi-Markov model with the emissions and EM options the other
 * options describe, from a starting model ({@code --init-model}, a hidden semi-Markov model file) with parts held
 * fixed ({@code --fix}, {@code durations} among them), a topology and priors, as for HMMs.
 */
final class SemiMarkovFit {
    /** Dmax of a parametric family when the spec gives none (or the longest sequence, if shorter). */
    static final int DEFAULT_MAX_DURATION = 100;

    private SemiMarkovFit() {
    }

    /** A parsed {@code --duration}: the family and Dmax (0: the default). */
    record Spec(Durations.Family family, int maxDuration, String text) {
        static Spec parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            String[] parts = t.split(":", -1);
            String usage = "--duration '" + text + "': expected poisson[:DMAX], negative-binomial[:DMAX] or"
                    + " nonparametric:DMAX, with DMAX (the longest duration, in steps) an integer >= 1";
            if (parts.length > 2) {
                throw new EmkitException(usage);
            }
            Durations.Family family;
            try {
                family = Durations.Family.parse(parts[0]);
            } catch (EmkitException e) {
                throw new EmkitException(usage);
            }
            int dmax = 0;
            if (parts.length == 2) {
                try {
                    dmax = Integer.parseInt(parts[1].trim());
                } catch (NumberFormatException e) {
                    throw new EmkitException(usage);
                }
                if (dmax < 1) {
                    throw new EmkitException(usage);
                }
            } else if (family == Durations.Family.NONPARAMETRIC) {
                throw new EmkitException("--duration '" + text + "': nonparametric durations need their longest"
                        + " duration, e.g. nonparametric:50");
            }
            return new Spec(family, dmax, text);
        }

        /**
         * The spec of a fit that starts from a semi-Markov model: the model's family and Dmax, which a given
         * {@code --duration} must match (a spec without DMAX takes the model's).
         */
        static Spec adopt(Spec given, SemiMarkovModel model, java.nio.file.Path file) {
            Durations d = model.durations();
            if (given == null) {
                return new Spec(d.family(), d.maxDuration(), d.family().label() + ":" + d.maxDuration());
            }
            if (given.family() != d.family() || (given.maxDuration() != 0 && given.maxDuration() != d.maxDuration())) {
                throw new EmkitException("--duration " + given.text() + " but --init-model " + file + " has "
                        + d.family().label() + " durations up to " + d.maxDuration() + " steps; drop --duration");
            }
            return new Spec(d.family(), d.maxDuration(), given.text());
        }
    }

    /**
     * Fits, then writes the model and prints the result.
     *
     * @param fitted called once the fit has ended, before anything is printed: clears the status line, which
     *               would otherwise run into the summary on a terminal
     */
    static int run(HmmFitCommand cmd, HiddenMarkov config, HmmData d, Spec spec, SemiMarkovModel start,
                   boolean fixDurations, java.io.StringWriter notes, Runnable fitted) {
        String file = io.emkit.data.DataFiles.nameOf(cmd.data);
        EmResult<SemiMarkovModel> fit;
        Extent s;
        if (d != null) {
            Sequences local = d.sequences;
            int longest = 0;
            for (int q = 0; q < local.count(); q++) {
                longest = Math.max(longest, local.length(q));
            }
            fit = configure(config, spec, start, fixDurations, file, longest).fit(local);
            s = new Extent(local.count(), local.totalLength(), local.featureNames());
        } else {
            // On an engine: the sequences stay there; the longest is counted first, for Dmax.
            HiddenMarkovModel markovStart = start == null ? null : HiddenMarkovModel.of(start.startProbabilities(),
                    start.transitionMatrix(), start.emission());
            record OnEngine(ClusterEngine.PlanFit<SemiMarkovModel> fit, List<String> names) {
            }
            OnEngine on = cmd.onEngine(notes, markovStart, e -> new OnEngine(e.held().fit(configure(config, spec,
                    start, fixDurations, file, e.held().longestSequence(e.sequence())).distributed(), e.sequence(),
                    e.time(), e.observations(), null, null), e.observations()));
            fit = on.fit().fit();
            s = new Extent(on.fit().sequences(), on.fit().steps(), on.names());
        }
        return finish(cmd, fit, s.steps(), notes, fitted, ModelFiles::writeSemiMarkov, () -> toJson(fit, s),
                () -> summary(cmd, fit, s));
    }

    /**
     * The end of a sequence model's fit, shared by the semi-Markov and covariate fits: clears the status line,
     * prints the reader's notes, writes the model file of {@code --model-out} and prints the result.
     *
     * @param steps   the steps fitted, for the model file's provenance
     * @param fitted  clears the status line, which would otherwise run into the summary on a terminal
     * @param writer  how the model is written to a file
     * @param json    the JSON output
     * @param summary the readable summary
     * @return the exit code, 0
     */
    static <M extends io.emkit.hmm.StateSequenceModel<?>> int finish(HmmFitCommand cmd, EmResult<M> fit, long steps,
            java.io.StringWriter notes, Runnable fitted, ModelWriter<M> writer, java.util.function.Supplier<String> json,
            java.util.function.Supplier<String> summary) {
        CommandLine cl = cmd.spec.commandLine();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        fitted.run();
        err.print(notes);
        err.flush();
        if (cmd.output.modelOut != null) {
            writer.write(fit.params(), cmd.output.modelOut, CliSupport.provenance(cl, cmd.data.toString(), steps,
                    fit.params().dimension(), cmd.em.seed, fit, fit.logLikelihood()));
        }
        cmd.output.print(out, err, json, summary, fit.warnings());
        return 0;
    }

    /**
     * How a model is written to a file with its provenance, as {@link ModelFiles} does for each kind.
     *
     * @param <M> the model
     */
    @FunctionalInterface
    interface ModelWriter<M> {
        /**
         * @param model      the model
         * @param file       where
         * @param provenance how it was fitted
         */
        void write(M model, java.nio.file.Path file, io.emkit.io.Provenance provenance);
    }

    /**
     * The sequences a summary describes: how many, their steps, their observation columns.
     *
     * @param count   the sequences
     * @param steps   their steps
     * @param columns the observation columns
     */
    record Extent(long count, long steps, List<String> columns) {
    }

    /** The semi-Markov fit of {@code --duration}, its Dmax checked against the longest sequence. */
    private static SemiMarkov configure(HiddenMarkov config, Spec spec, SemiMarkovModel start, boolean fixDurations,
                                        String file, int longest) {
        int dmax = spec.maxDuration() == 0 ? Math.min(DEFAULT_MAX_DURATION, longest) : spec.maxDuration();
        if (dmax > longest) {
            throw new EmkitException(file + ": --duration " + spec.text() + ": the longest duration " + dmax
                    + " is longer than every sequence (the longest has " + Format.count(longest, "step")
                    + "); use at most " + longest);
        }
        return SemiMarkov.of(config, spec.family(), dmax).initialModel(start).fixDurations(fixDurations);
    }

    private static String summary(HmmFitCommand cmd, EmResult<SemiMarkovModel> fit, Extent s) {
        SemiMarkovModel m = fit.params();
        Durations dur = m.durations();
        StringBuilder b = new StringBuilder();
        long n = s.steps();
        dataLine(b, String.valueOf(cmd.data), s.count(), n, s.columns()).append('\n');
        b.append("model        hidden semi-Markov model, ").append(Format.count(m.states(), "state")).append(", ")
                .append(dur.family().label()).append(" durations up to ").append(dur.maxDuration()).append(" steps, ")
                .append(cmd.emission).append(" emissions");
        if (m.emission() instanceof GaussianEmission g) {
            b.append(" (").append(g.covarianceType()).append(" covariance)");
        }
        b.append('\n');
        fitAndCriteria(b, cmd, fit, n);
        double[] pi = m.startProbabilities();
        double[][] a = m.transitionMatrix();
        b.append(Format.pad("state", 8)).append(Format.padLeft("start", 12)).append(Format.padLeft("mean dur.", 12));
        for (int j = 0; j < m.states(); j++) {
            b.append(Format.padLeft("-> " + (j + 1), 12));
        }
        b.append("   duration distribution\n");
        for (int i = 0; i < m.states(); i++) {
            b.append(Format.pad(Integer.toString(i + 1), 8)).append(Format.padLeft(Format.num(pi[i]), 12))
                    .append(Format.padLeft(Format.num(dur.meanDuration(i)), 12));
            for (int j = 0; j < m.states(); j++) {
                b.append(Format.padLeft(Format.num(a[i][j]), 12));
            }
            b.append("   ").append(parameters(dur, i)).append('\n');
        }
        b.append("(start: the first segment's state; mean dur.: the expected steps per visit, from the duration"
                + " distribution\n truncated at ").append(dur.maxDuration()).append("; -> j: the probabilities of the"
                + " next segment's state)\n");
        stateMeans(b, m.emission(), m.featureNames(), m.states());
        return b.toString();
    }

    /**
     * The summary's "fit" line (converged, tolerance, runs, seed) and its criteria: log-likelihood, the log posterior
     * where priors make it the objective, BIC and AIC over {@code steps} time steps; shared by the sequence models'
     * summaries.
     */
    static void fitAndCriteria(StringBuilder b, HmmFitCommand cmd, EmResult<?> fit, long steps) {
        b.append("fit          ").append(fit.converged() ? "converged after " + Format.count(fit.iterations(), "iteration")
                : "DID NOT CONVERGE in " + Format.count(fit.iterations(), "iteration")).append(" (tolerance ")
                .append(Format.setting(cmd.em.tol)).append(" on the mean log-likelihood per step); ")
                .append(CliSupport.runsText(fit, cmd.em.options())).append(", seed ").append(cmd.em.seed).append("\n\n");
        b.append("log-likelihood  ").append(Format.fixed(fit.logLikelihood(), 4)).append("   (per step ")
                .append(Format.num(fit.meanLogLikelihood())).append(")\n");
        if (fit.objective() != fit.logLikelihood()) {
            b.append("log posterior   ").append(Format.fixed(fit.objective(), 4))
                    .append("   (the objective of MAP-EM: log-likelihood + log prior, up to a constant)\n");
        }
        b.append("BIC             ").append(Format.fixed(fit.bic(), 4)).append("   (p = ").append(fit.parameterCount())
                .append(" free parameters, n = ").append(steps).append(" steps; lower is better)\n");
        b.append("AIC             ").append(Format.fixed(fit.aic(), 4)).append("\n\n");
    }

    /**
     * The summary's table of each state's means (Gaussian emissions), or where the other emissions' parameters are;
     * shared by the sequence models' summaries.
     */
    static void stateMeans(StringBuilder b, io.emkit.hmm.Emission emission, List<String> names, int states) {
        if (emission instanceof GaussianEmission g) {
            b.append('\n').append(Format.pad("state", 8));
            for (String f : names) {
                b.append(Format.padLeft("mean " + f, 16));
            }
            b.append('\n');
            for (int i = 0; i < states; i++) {
                b.append(Format.pad(Integer.toString(i + 1), 8));
                for (double v : g.gaussians().mean(i)) {
                    b.append(Format.padLeft(Format.num(v), 16));
                }
                b.append('\n');
            }
        } else {
            b.append("\n(the emissions' parameters are in the JSON output, --json, and the model file)\n");
        }
    }

    private static String parameters(Durations d, int state) {
        double[] p = d.parameters(state);
        return switch (d.family()) {
            case POISSON -> "d - 1 ~ Poisson(lambda = " + Format.num(p[0]) + ")";
            case NEGATIVE_BINOMIAL -> "d - 1 ~ NB(r = " + Format.num(p[0]) + ", p = " + Format.num(p[1]) + ")";
            case NONPARAMETRIC -> {
                int mode = 0;
                for (int u = 1; u < p.length; u++) {
                    if (p[u] > p[mode]) {
                        mode = u;
                    }
                }
                yield "nonparametric, mode " + (mode + 1) + " (P = " + Format.num(p[mode]) + ")";
            }
        };
    }

    /**
     * The start of the summary's "data" line of a sequence model's fit, shared by the sequence models' summaries.
     *
     * @param file    the data as the user named them
     * @param count   the sequences
     * @param steps   their steps
     * @param columns the observation columns
     * @return {@code b}, for the line's end
     */
    static StringBuilder dataLine(StringBuilder b, String file, long count, long steps, List<String> columns) {
        return b.append("data         ").append(Format.dataName(file)).append(": ")
                .append(Format.count(count, "sequence")).append(", ").append(Format.count(steps, "step")).append(", ")
                .append(Format.count(columns.size(), "column")).append(" (").append(EmkitException.list(columns))
                .append(")");
    }

    /**
     * The JSON output's first fields of a sequence model's fit, shared by the sequence models: the fit's, the
     * sequences' extent and, where priors make it the objective, the log posterior.
     */
    static ObjectNode fitJson(EmResult<?> fit, long sequences, long steps, int features) {
        ObjectNode o = CliSupport.fitJson(fit);
        o.put("n_sequences", sequences);
        o.put("n_steps", steps);
        o.put("n_features", features);
        if (fit.objective() != fit.logLikelihood()) {
            // MAP-EM: the objective (and log_likelihood_trace) is the log posterior, up to a constant.
            o.put("log_posterior", fit.objective());
        }
        return o;
    }

    private static String toJson(EmResult<SemiMarkovModel> fit, Extent s) {
        ObjectNode o = fitJson(fit, s.count(), s.steps(), s.columns().size());
        o.set("model", ModelFiles.toTree(fit.params()));
        Durations d = fit.params().durations();
        ArrayNode durations = o.putArray("durations");
        for (int j = 0; j < d.states(); j++) {
            ObjectNode one = durations.addObject();
            one.put("state", j);
            one.put("family", d.family().label());
            double[] p = d.parameters(j);
            switch (d.family()) {
                case POISSON -> one.put("lambda", p[0]);
                case NEGATIVE_BINOMIAL -> {
                    one.put("size", p[0]);
                    one.put("probability", p[1]);
                }
                case NONPARAMETRIC -> {
                    ArrayNode pmf = one.putArray("probabilities");
                    for (double v : p) {
                        pmf.add(v);
                    }
                }
                default -> throw new IllegalStateException();
            }
            one.put("mean_duration", d.meanDuration(j));
            one.put("max_duration", d.maxDuration());
        }
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }
}
