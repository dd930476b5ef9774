package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.em.ParameterVector;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;

import java.util.Arrays;

/**
 * A hidden Markov model's parameters as an unconstrained vector for SQUAREM: log start probabilities and
 * log transition probabilities (each row back through a softmax, so it stays a distribution), then the
 * emissions: the Gaussian mixture's own vector for Gaussian emissions, log rates for Poisson, log
 * probabilities for categorical, log weights and the components' vector for Gaussian-mixture emissions.
 *
 * <p>A probability that is exactly 0 stays 0 (EM never makes it positive again, and a structural zero must
 * not become one); its coordinate is written as 0 and ignored. A distribution whose coordinates are those
 * of the template is taken from the template as it is, so probabilities the fit holds fixed come back bit
 * for bit, not through a log and an exp.
 */
final class HmmParameterVector implements ParameterVector<HiddenMarkovModel> {
    static final HmmParameterVector INSTANCE = new HmmParameterVector();

    private HmmParameterVector() {
    }

    @Override
    public double[] toVector(HiddenMarkovModel params) {
        double[] emission = emissionVector(params.emission());
        if (emission == null) {
            return null;
        }
        int s = params.states();
        double[] out = new double[s + s * s + emission.length];
        logs(params.startProbabilities(), out, 0);
        double[][] t = params.transitionMatrix();
        for (int i = 0; i < s; i++) {
            logs(t[i], out, s + i * s);
        }
        System.arraycopy(emission, 0, out, s + s * s, emission.length);
        return out;
    }

    @Override
    public HiddenMarkovModel fromVector(double[] x, HiddenMarkovModel template) {
        int s = template.states();
        double[] start = distribution(x, 0, template.startProbabilities());
        double[][] t = template.transitionMatrix();
        double[] transitions = new double[s * s];
        for (int i = 0; i < s; i++) {
            System.arraycopy(distribution(x, s + i * s, t[i]), 0, transitions, i * s, s);
        }
        try {
            Emission emission = emissionFrom(Arrays.copyOfRange(x, s + s * s, x.length), template.emission());
            return emission == null ? null : HiddenMarkovModel.ofFlat(start, transitions, emission);
        } catch (EmkitException invalid) {
            return null;
        }
    }

    private static double[] emissionVector(Emission e) {
        if (e instanceof GaussianEmission g) {
            return gaussianVector(g.gaussians()).toVector(g.gaussians());
        }
        if (e instanceof PoissonEmission p) {
            double[][] rates = p.rates();
            double[] out = new double[rates.length * rates[0].length];
            for (int i = 0; i < rates.length; i++) {
                for (int j = 0; j < rates[i].length; j++) {
                    out[i * rates[i].length + j] = Math.log(rates[i][j]);
                }
            }
            return out;
        }
        double[][] p = e instanceof MultinomialEmission c ? c.probabilities()
                : e instanceof CategoricalEmission c ? c.probabilities() : null;
        if (p != null) {
            double[] out = new double[p.length * p[0].length];
            for (int i = 0; i < p.length; i++) {
                logs(p[i], out, i * p[i].length);
            }
            return out;
        }
        if (e instanceof GaussianMixtureEmission m) {
            double[][] w = m.mixtureWeights();
            double[] g = gaussianVector(m.gaussians()).toVector(m.gaussians());
            int per = w[0].length;
            double[] out = new double[w.length * per + g.length];
            for (int i = 0; i < w.length; i++) {
                logs(w[i], out, i * per);
            }
            System.arraycopy(g, 0, out, w.length * per, g.length);
            return out;
        }
        return null;
    }

    private static Emission emissionFrom(double[] x, Emission template) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        if (template instanceof GaussianEmission g) {
            GaussianMixtureModel m = gaussianVector(g.gaussians()).fromVector(x, g.gaussians());
            return m == null ? null : GaussianEmission.of(m);
        }
        if (template instanceof PoissonEmission p) {
            double[][] rates = p.rates();
            for (int i = 0; i < rates.length; i++) {
                for (int j = 0; j < rates[i].length; j++) {
                    rates[i][j] = Math.exp(x[i * rates[i].length + j]);
                }
            }
            return PoissonEmission.of(rates).withFeatureNames(p.featureNames());
        }
        if (template instanceof MultinomialEmission c) {
            double[][] p = c.probabilities();
            for (int i = 0; i < p.length; i++) {
                p[i] = distribution(x, i * p[i].length, p[i]);
            }
            return MultinomialEmission.of(p, c.trials()).withFeatureNames(c.featureNames());
        }
        if (template instanceof CategoricalEmission c) {
            double[][] p = c.probabilities();
            for (int i = 0; i < p.length; i++) {
                p[i] = distribution(x, i * p[i].length, p[i]);
            }
            return CategoricalEmission.of(p).withFeatureNames(c.featureNames());
        }
        if (template instanceof GaussianMixtureEmission m) {
            double[][] w = m.mixtureWeights();
            int per = w[0].length;
            for (int i = 0; i < w.length; i++) {
                w[i] = distribution(x, i * per, w[i]);
            }
            GaussianMixtureModel g = gaussianVector(m.gaussians())
                    .fromVector(Arrays.copyOfRange(x, w.length * per, x.length), m.gaussians());
            return g == null ? null : GaussianMixtureEmission.of(w, g).withFeatureNames(m.featureNames());
        }
        return null;
    }

    private static ParameterVector<GaussianMixtureModel> gaussianVector(GaussianMixtureModel g) {
        return new GaussianMixtureSteps(g.covarianceType(), 0.0).parameterVector();
    }

    /** Log probabilities into {@code out[at..]}, 0 for a probability of exactly 0. */
    private static void logs(double[] p, double[] out, int at) {
        for (int i = 0; i < p.length; i++) {
            out[at + i] = p[i] > 0 ? Math.log(p[i]) : 0.0;
        }
    }

    /**
     * The distribution at coordinates {@code x[at..]}: the softmax over the entries positive in
     * {@code template}, zeros elsewhere; the template itself if the coordinates are its own.
     */
    private static double[] distribution(double[] x, int at, double[] template) {
        double[] own = new double[template.length];
        logs(template, own, 0);
        boolean same = true;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < template.length; i++) {
            same &= own[i] == x[at + i];
            if (template[i] > 0) {
                max = Math.max(max, x[at + i]);
            }
        }
        if (same) {
            return template.clone();
        }
        double[] p = new double[template.length];
        double sum = 0;
        for (int i = 0; i < template.length; i++) {
            p[i] = template[i] > 0 ? Math.exp(x[at + i] - max) : 0.0;
            sum += p[i];
        }
        for (int i = 0; i < template.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
