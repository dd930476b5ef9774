package io.emkit.hmm.semimarkov;

import io.emkit.EmkitException;
import io.emkit.em.ParameterVector;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.HiddenMarkovModel;

import java.util.Arrays;

/**
 * A hidden semi-Markov model's parameters as an unconstrained vector for SQUAREM: the start, transition and emission
 * coordinates of the hidden Markov model with the same start, transitions (zero diagonal, which stays zero) and
 * emission ({@link BaumWelchSteps#parameterVector()}), then the durations: log λ for Poisson, log r and logit p for the
 * negative binomial, log probabilities (back through a softmax over the durations of positive probability) for the
 * nonparametric law. Durations with a parameter on the edge of its range (λ = 0, p = 1, a probability of 1) give no
 * vector, and the engine runs plain EM steps.
 */
final class SemiMarkovParameterVector implements ParameterVector<SemiMarkovModel> {
    private final ParameterVector<HiddenMarkovModel> markov;

    SemiMarkovParameterVector(ParameterVector<HiddenMarkovModel> markov) {
        this.markov = markov;
    }

    @Override
    public double[] toVector(SemiMarkovModel params) {
        double[] head = markov.toVector(asHiddenMarkov(params));
        if (head == null) {
            return null;
        }
        Durations d = params.durations();
        int per = width(d);
        double[] out = Arrays.copyOf(head, head.length + d.states() * per);
        for (int j = 0; j < d.states(); j++) {
            double[] q = d.parameters(j);
            int at = head.length + j * per;
            switch (d.family()) {
                case POISSON -> out[at] = Math.log(q[0]);
                case NEGATIVE_BINOMIAL -> {
                    out[at] = Math.log(q[0]);
                    out[at + 1] = Math.log(q[1]) - Math.log1p(-q[1]);
                }
                case NONPARAMETRIC -> {
                    double[] p = d.probabilities(j);
                    for (int u = 0; u < per; u++) {
                        out[at + u] = p[u] > 0 ? Math.log(p[u]) : 0.0;
                    }
                }
                default -> throw new IllegalStateException("unknown duration family " + d.family());
            }
        }
        for (int i = head.length; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                return null;
            }
        }
        return out;
    }

    @Override
    public SemiMarkovModel fromVector(double[] x, SemiMarkovModel template) {
        Durations d = template.durations();
        int per = width(d);
        int head = x.length - d.states() * per;
        HiddenMarkovModel h = markov.fromVector(Arrays.copyOf(x, head), asHiddenMarkov(template));
        if (h == null) {
            return null;
        }
        int s = d.states();
        try {
            Durations durations = switch (d.family()) {
                case POISSON -> {
                    double[] lambda = new double[s];
                    for (int j = 0; j < s; j++) {
                        lambda[j] = Math.exp(x[head + j]);
                    }
                    yield Durations.poisson(lambda, d.maxDuration());
                }
                case NEGATIVE_BINOMIAL -> {
                    double[] r = new double[s];
                    double[] p = new double[s];
                    for (int j = 0; j < s; j++) {
                        r[j] = Math.exp(x[head + 2 * j]);
                        p[j] = 1.0 / (1.0 + Math.exp(-x[head + 2 * j + 1]));
                    }
                    yield Durations.negativeBinomial(r, p, d.maxDuration());
                }
                case NONPARAMETRIC -> {
                    double[][] pmf = new double[s][];
                    for (int j = 0; j < s; j++) {
                        pmf[j] = softmaxOverSupport(x, head + j * per, d.probabilities(j));
                    }
                    yield Durations.nonparametric(pmf);
                }
            };
            for (int j = 0; j < s; j++) {
                for (double q : durations.parameters(j)) {
                    if (!(q > 0) || !Double.isFinite(q)) {
                        return null;
                    }
                }
            }
            return SemiMarkovModel.of(h.startProbabilities(), h.transitionMatrix(), durations, h.emission())
                    .withFeatureNames(template.featureNames());
        } catch (EmkitException invalid) {
            return null;
        }
    }

    /** The durations' coordinates per state. */
    private static int width(Durations d) {
        return switch (d.family()) {
            case POISSON -> 1;
            case NEGATIVE_BINOMIAL -> 2;
            case NONPARAMETRIC -> d.maxDuration();
        };
    }

    /** The same start, transitions and emission as a hidden Markov model, for its vector. */
    private static HiddenMarkovModel asHiddenMarkov(SemiMarkovModel m) {
        return HiddenMarkovModel.of(m.startProbabilities(), m.transitionMatrix(), m.emission());
    }

    /** The softmax of {@code x[at..]} over the entries positive in {@code template}, zeros elsewhere. */
    private static double[] softmaxOverSupport(double[] x, int at, double[] template) {
        double max = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < template.length; u++) {
            if (template[u] > 0) {
                max = Math.max(max, x[at + u]);
            }
        }
        double[] p = new double[template.length];
        double sum = 0;
        for (int u = 0; u < template.length; u++) {
            p[u] = template[u] > 0 ? Math.exp(x[at + u] - max) : 0.0;
            sum += p[u];
        }
        for (int u = 0; u < p.length; u++) {
            p[u] /= sum;
        }
        return p;
    }
}
