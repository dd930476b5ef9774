package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.hmm.semimarkov.Durations;
import io.emkit.hmm.semimarkov.SemiMarkovModel;

/**
 * Hidden semi-Markov models: the keys of a hidden Markov model file ({@link HiddenMarkovModelCodec}: the
 * transitions now with a zero diagonal) and {@code "durations"}: {@code "family"} ({@code poisson},
 * {@code negative-binomial}, {@code nonparametric}), {@code "max_duration"} (Dmax), the parameters per state
 * ({@code "lambda"}; {@code "size"} and {@code "probability"}; or {@code "probabilities"}, S rows of Dmax) and
 * {@code "mean_durations"} (written for the reader; ignored on reading).
 */
final class SemiMarkovModelCodec extends ModelCodec<SemiMarkovModel> {
    static final String KIND = "hidden_semi_markov_model";

    SemiMarkovModelCodec() {
        super(KIND, "hidden semi-Markov model", SemiMarkovModel.class);
    }

    @Override
    void write(SemiMarkovModel model, ObjectNode root) {
        int s = model.states();
        HiddenMarkovModelCodec.putHead(model, root);
        root.set("transitions", ModelJson.matrix(model.transitionMatrix()));
        Durations d = model.durations();
        ObjectNode o = root.putObject("durations");
        o.put("family", d.family().label());
        o.put("max_duration", d.maxDuration());
        double[][] par = new double[s][];
        double[] means = new double[s];
        for (int j = 0; j < s; j++) {
            par[j] = d.parameters(j);
            means[j] = d.meanDuration(j);
        }
        switch (d.family()) {
            case POISSON -> o.set("lambda", ModelJson.numbers(column(par, 0)));
            case NEGATIVE_BINOMIAL -> {
                o.set("size", ModelJson.numbers(column(par, 0)));
                o.set("probability", ModelJson.numbers(column(par, 1)));
            }
            case NONPARAMETRIC -> o.set("probabilities", ModelJson.matrix(par));
            default -> throw new IllegalStateException();
        }
        o.set("mean_durations", ModelJson.numbers(means));
        HiddenMarkovModelCodec.putEmission(model.emission(), root.putObject("emission"));
    }

    private static double[] column(double[][] m, int c) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][c];
        }
        return out;
    }

    @Override
    SemiMarkovModel read(ModelJson root) {
        HiddenMarkovModelCodec.Head head = HiddenMarkovModelCodec.Head.read(root);
        int s = head.states();
        double[][] transitions = root.matrix("transitions", s, s);
        ModelJson o = root.object("durations", "durations.");
        Durations.Family family = o.parsed("family", Durations.Family::parse);
        int dmax = o.count("max_duration");
        Durations durations = switch (family) {
            case POISSON -> Durations.poisson(o.vector("lambda", s), dmax);
            case NEGATIVE_BINOMIAL -> Durations.negativeBinomial(o.vector("size", s), o.vector("probability", s), dmax);
            case NONPARAMETRIC -> Durations.nonparametric(o.matrix("probabilities", s, dmax));
        };
        return SemiMarkovModel.of(head.start(), transitions, durations, head.emission(root));
    }
}
