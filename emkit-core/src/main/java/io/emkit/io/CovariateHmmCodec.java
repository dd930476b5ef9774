package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.hmm.covariates.CovariateHmmModel;
import io.emkit.hmm.covariates.TransitionRegression;

import java.util.List;

/**
 * Input–output HMMs (transitions that depend on covariates): the keys of a hidden Markov model file
 * ({@link HiddenMarkovModelCodec}) without {@code "transitions"}, and {@code "n_covariates"} (P),
 * {@code "covariate_names"} (P strings), {@code "transition_reference": "origin"} (each row's reference destination
 * is its own state, whose coefficients are 0) and {@code "transition_coefficients"}: S × S × (P + 1) numbers,
 * {@code [i][j]} = the intercept then the P slopes of the log-odds of moving from state i to j rather than staying.
 */
final class CovariateHmmCodec extends ModelCodec<CovariateHmmModel> {
    static final String KIND = "covariate_hidden_markov_model";

    CovariateHmmCodec() {
        super(KIND, "hidden Markov model with transition covariates", CovariateHmmModel.class);
    }

    @Override
    void write(CovariateHmmModel model, ObjectNode root) {
        HiddenMarkovModelCodec.putHead(model, root);
        TransitionRegression t = model.transitions();
        root.put("n_covariates", t.covariateCount());
        ModelJson.putStrings(root, "covariate_names", t.covariateNames());
        root.put("transition_reference", "origin");
        root.set("transition_coefficients", ModelJson.matrices(t.coefficients()));
        HiddenMarkovModelCodec.putEmission(model.emission(), root.putObject("emission"));
    }

    @Override
    CovariateHmmModel read(ModelJson root) {
        HiddenMarkovModelCodec.Head head = HiddenMarkovModelCodec.Head.read(root);
        int s = head.states();
        int p = root.integer("n_covariates");
        if (p < 1) {
            throw root.fail("\"n_covariates\" must be at least 1, got " + p);
        }
        List<String> covariates = root.strings("covariate_names", p);
        JsonNode node = root.required("transition_coefficients");
        String key = root.key("transition_coefficients");
        root.array(node, key, s);
        double[][][] beta = new double[s][][];
        for (int i = 0; i < s; i++) {
            beta[i] = root.matrix(node.get(i), key + "[" + i + "]", s, p + 1);
        }
        return CovariateHmmModel.of(head.start(), TransitionRegression.of(beta, covariates), head.emission(root));
    }
}
