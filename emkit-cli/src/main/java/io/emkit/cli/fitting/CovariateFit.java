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
import io.emkit.hmm.covariates.CovariateHmm;
import io.emkit.hmm.covariates.CovariateHmmModel;
import io.emkit.hmm.covariates.CovariateSequences;
import io.emkit.hmm.covariates.TransitionRegression;
import io.emkit.io.ModelFiles;

import java.util.List;

/**
 * {@code emkit hmm fit --transition-covariates COL,...}: a hidden Markov model whose transitions are multinomial
 * logistic regressions of covariates (an input–output HMM), with the emissions and EM options the other options
 * describe. Refuses the HMM options it does not take yet.
 */
final class CovariateFit {
    private CovariateFit() {
    }

    /** Stops with one line when an option the covariate fit does not take is given. */
    static void refuseOptions(HmmFitCommand cmd) {
        CliSupport.refuseOptions(cmd.spec.commandLine().getParseResult(), List.of("--duration", "--labels-column",
                "--init-model", "--fix", "--fix-transitions", "--transition-prior", "--topology", "--transition-mask",
                "--start-prior", "--means-prior", "--means-weight", "--covars-prior", "--covars-weight"),
                o -> o + " is not available with --transition-covariates yet; it cannot be combined with it");
    }

    /**
     * Fits, then writes the model and prints the result.
     *
     * @param fitted called once the fit has ended, before anything is printed: clears the status line, which
     *               would otherwise run into the summary on a terminal
     */
    static int run(HmmFitCommand cmd, HiddenMarkov config, HmmData d, java.io.StringWriter notes, Runnable fitted) {
        EmResult<CovariateHmmModel> fit;
        Extent data;
        if (d != null) {
            CovariateSequences local = CovariateSequences.of(d.sequences, d.covariates, d.covariateNames);
            fit = CovariateHmm.of(config).fit(local);
            data = new Extent(local.observations().count(), local.observations().totalLength(),
                    local.observations().featureNames(), local.covariateNames());
        } else {
            record OnEngine(ClusterEngine.PlanFit<CovariateHmmModel> fit, List<String> names,
                            List<String> covariates) {
            }
            OnEngine on = cmd.onEngine(notes, null, e -> {
                List<String> columns = new java.util.ArrayList<>(e.observations());
                columns.addAll(e.covariates());
                return new OnEngine(e.held().fit(CovariateHmm.of(config).distributed(e.covariates()), e.sequence(),
                        e.time(), columns, null, null), e.observations(), e.covariates());
            });
            fit = on.fit().fit();
            data = new Extent(on.fit().sequences(), on.fit().steps(), on.names(), on.covariates());
        }
        return SemiMarkovFit.finish(cmd, fit, data.steps(), notes, fitted, ModelFiles::writeCovariateHmm,
                () -> toJson(fit, data), () -> summary(cmd, fit, data));
    }

    /**
     * The sequences a summary describes.
     *
     * @param count      the sequences
     * @param steps      their steps
     * @param columns    the observation columns
     * @param covariates the covariates' columns
     */
    private record Extent(long count, long steps, List<String> columns, List<String> covariates) {
    }

    private static String summary(HmmFitCommand cmd, EmResult<CovariateHmmModel> fit, Extent data) {
        CovariateHmmModel m = fit.params();
        TransitionRegression tr = m.transitions();
        StringBuilder b = new StringBuilder();
        long n = data.steps();
        SemiMarkovFit.dataLine(b, String.valueOf(cmd.data), data.count(), n, data.columns()).append(", ")
                .append(Format.count(data.covariates().size(), "covariate")).append(" (")
                .append(EmkitException.list(data.covariates())).append(")\n");
        b.append("model        hidden Markov model with transition covariates (input-output HMM), ")
                .append(Format.count(m.states(), "state")).append(", ").append(cmd.emission).append(" emissions");
        if (m.emission() instanceof GaussianEmission g) {
            b.append(" (").append(g.covarianceType()).append(" covariance)");
        }
        b.append('\n');
        // Covariate fits take no prior: the objective is the log-likelihood, so no "log posterior" line is printed.
        SemiMarkovFit.fitAndCriteria(b, cmd, fit, n);
        double[] pi = m.startProbabilities();
        b.append(Format.pad("from", 8)).append(Format.pad("to", 8)).append(Format.padLeft("intercept", 14));
        for (String c : tr.covariateNames()) {
            b.append(Format.padLeft(c, 14));
        }
        b.append('\n');
        for (int i = 0; i < m.states(); i++) {
            for (int j = 0; j < m.states(); j++) {
                if (j == i) {
                    continue;
                }
                b.append(Format.pad(Integer.toString(i + 1), 8)).append(Format.pad(Integer.toString(j + 1), 8));
                for (double v : tr.coefficients(i, j)) {
                    b.append(Format.padLeft(Format.num(v), 14));
                }
                b.append('\n');
            }
        }
        b.append("(the log-odds of moving from state 'from' to 'to' rather than staying, at the covariates of the step"
                + " moved into:\n intercept + slopes . covariates; staying is each row's reference)\n\n");
        b.append(Format.pad("state", 8)).append(Format.padLeft("start", 12)).append('\n');
        for (int i = 0; i < m.states(); i++) {
            b.append(Format.pad(Integer.toString(i + 1), 8)).append(Format.padLeft(Format.num(pi[i]), 12)).append('\n');
        }
        SemiMarkovFit.stateMeans(b, m.emission(), m.featureNames(), m.states());
        return b.toString();
    }

    private static String toJson(EmResult<CovariateHmmModel> fit, Extent data) {
        // Covariate fits take no prior: fitJson writes no log posterior.
        ObjectNode o = SemiMarkovFit.fitJson(fit, data.count(), data.steps(), data.columns().size());
        o.set("model", ModelFiles.toTree(fit.params()));
        TransitionRegression tr = fit.params().transitions();
        ArrayNode rows = o.putArray("transition_coefficients_by_state");
        for (int i = 0; i < tr.states(); i++) {
            ObjectNode row = rows.addObject();
            row.put("from", i);
            row.put("reference", i);
            ArrayNode to = row.putArray("to");
            for (int j = 0; j < tr.states(); j++) {
                if (j == i) {
                    continue;
                }
                ObjectNode one = to.addObject();
                one.put("state", j);
                double[] c = tr.coefficients(i, j);
                one.put("intercept", c[0]);
                ObjectNode slopes = one.putObject("slopes");
                for (int k = 0; k < tr.covariateCount(); k++) {
                    slopes.put(tr.covariateNames().get(k), c[k + 1]);
                }
            }
        }
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }
}
