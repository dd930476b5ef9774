package io.emkit.hmm.semimarkov;

import io.emkit.em.ParameterVector;
import io.emkit.hmm.BaumWelchSteps;
import io.emkit.hmm.HiddenMarkovModel;


/**
 * A hidden semi-Markov model's parameters as an unconstrained vector for SQUAREM: the start, transition and emission
 * coordinates of the hidden Markov model with the same start, transitions (zero diagonal, which stays zero) and
 * emission ({@link BaumWelchSteps#parameterVector()}), then the durations: log λ for Poisson, log r and logit p for the
 * negative binomial, log probabilities (back through a softmax over the durations of positive probability) for the
 * nonparametric law. Durations with a parameter on the edge of its range (λ = 0, p = 1, a probability of 1) give no
 * vector, and the engine runs plain EM steps.
 */
final class SemiMarkovParameterVector extends ParameterVector.Extended<SemiMarkovModel, HiddenMarkovModel> {
    SemiMarkovParameterVector(ParameterVector<HiddenMarkovModel> markov) {
        super(markov);
    }

    @Override
    protected int tailLength(SemiMarkovModel template) {
        return template.durations().states() * width(template.durations());
    }

    @Override
    protected boolean writeTail(SemiMarkovModel params, double[] out, int at) {
        Durations d = params.durations();
        int per = width(d);
        for (int j = 0; j < d.states(); j++) {
            double[] q = d.parameters(j);
            int o = at + j * per;
            switch (d.family()) {
                case POISSON -> out[o] = Math.log(q[0]);
                case NEGATIVE_BINOMIAL -> {
                    out[o] = Math.log(q[0]);
                    out[o + 1] = Math.log(q[1]) - Math.log1p(-q[1]);
                }
                case NONPARAMETRIC -> {
                    double[] p = d.probabilities(j);
                    for (int u = 0; u < per; u++) {
                        out[o + u] = p[u] > 0 ? Math.log(p[u]) : 0.0;
                    }
                }
                default -> throw new IllegalStateException("unknown duration family " + d.family());
            }
        }
        for (int i = at; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected SemiMarkovModel combine(HiddenMarkovModel h, double[] x, int head, SemiMarkovModel template) {
        Durations d = template.durations();
        int per = width(d);
        int s = d.states();
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
    @Override
    protected HiddenMarkovModel headModel(SemiMarkovModel m) {
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
