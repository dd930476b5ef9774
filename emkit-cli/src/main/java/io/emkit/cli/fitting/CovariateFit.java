package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
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
import picocli.CommandLine;

import java.io.PrintWriter;
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
        if (!cmd.engine.isLocal()) {
            throw new EmkitException("--transition-covariates runs on this machine only for now; drop --engine");
        }
    }

    /**
     * Fits, then writes the model and prints the result.
     *
     * @param fitted called once the fit has ended, before anything is printed: clears the status line, which
     *               would otherwise run into the summary on a terminal
     */
    static int run(HmmFitCommand cmd, HiddenMarkov config, HmmData d, String notes, Runnable fitted) {
        CommandLine cl = cmd.spec.commandLine();
        CovariateSequences data = CovariateSequences.of(d.sequences, d.covariates, d.covariateNames);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        EmResult<CovariateHmmModel> fit = CovariateHmm.of(config).fit(data);
        fitted.run();
        err.print(notes);
        err.flush();
        if (cmd.output.modelOut != null) {
            ModelFiles.writeCovariateHmm(fit.params(), cmd.output.modelOut, CliSupport.provenance(cl,
                    cmd.data.toString(), d.sequences.totalLength(), fit.params().dimension(), cmd.em.seed, fit,
                    fit.logLikelihood()));
        }
        cmd.output.print(out, err, () -> toJson(fit, data), () -> summary(cmd, fit, data), fit.warnings());
        return 0;
    }

    private static String summary(HmmFitCommand cmd, EmResult<CovariateHmmModel> fit, CovariateSequences data) {
        CovariateHmmModel m = fit.params();
        TransitionRegression tr = m.transitions();
        StringBuilder b = new StringBuilder();
        int n = data.observations().totalLength();
        b.append("data         ").append(Format.dataName(String.valueOf(cmd.data))).append(": ")
                .append(Format.count(data.observations().count(), "sequence")).append(", ")
                .append(Format.count(n, "step")).append(", ")
                .append(Format.count(data.observations().dimension(), "column")).append(" (")
                .append(EmkitException.list(data.observations().featureNames())).append("), ")
                .append(Format.count(data.covariateCount(), "covariate")).append(" (")
                .append(EmkitException.list(data.covariateNames())).append(")\n");
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

    private static String toJson(EmResult<CovariateHmmModel> fit, CovariateSequences data) {
        ObjectNode o = CliSupport.fitJson(fit);
        o.put("n_sequences", data.observations().count());
        o.put("n_steps", data.observations().totalLength());
        o.put("n_features", data.observations().dimension());
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
