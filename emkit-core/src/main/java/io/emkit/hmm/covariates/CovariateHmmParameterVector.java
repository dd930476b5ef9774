package io.emkit.hmm.covariates;

import io.emkit.EmkitException;
import io.emkit.em.ParameterVector;
import io.emkit.hmm.HiddenMarkovModel;

import java.util.Arrays;

/**
 * An input–output HMM's parameters as an unconstrained vector for SQUAREM: the start and emission coordinates of the
 * hidden Markov model with the same start and emission (its transition coordinates are those of a fixed uniform
 * matrix, the same in every iterate, so they never move), then the transition coefficients as they are — real
 * numbers without constraint; a reference destination's zeros stay zero, as every iterate has them.
 */
final class CovariateHmmParameterVector implements ParameterVector<CovariateHmmModel> {
    private final ParameterVector<HiddenMarkovModel> markov;

    CovariateHmmParameterVector(ParameterVector<HiddenMarkovModel> markov) {
        this.markov = markov;
    }

    @Override
    public double[] toVector(CovariateHmmModel params) {
        double[] head = markov.toVector(asHiddenMarkov(params));
        if (head == null) {
            return null;
        }
        double[][][] b = params.transitions().coefficients();
        int s = b.length;
        int per = b[0][0].length;
        double[] out = Arrays.copyOf(head, head.length + s * s * per);
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                System.arraycopy(b[i][j], 0, out, head.length + (i * s + j) * per, per);
            }
        }
        return out;
    }

    @Override
    public CovariateHmmModel fromVector(double[] x, CovariateHmmModel template) {
        TransitionRegression t = template.transitions();
        int s = t.states();
        int per = t.covariateCount() + 1;
        int head = x.length - s * s * per;
        HiddenMarkovModel h = markov.fromVector(Arrays.copyOf(x, head), asHiddenMarkov(template));
        if (h == null) {
            return null;
        }
        double[][][] b = new double[s][s][];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                b[i][j] = Arrays.copyOfRange(x, head + (i * s + j) * per, head + (i * s + j + 1) * per);
            }
        }
        try {
            return CovariateHmmModel.of(h.startProbabilities(), TransitionRegression.of(b, t.covariateNames()),
                    h.emission()).withFeatureNames(template.featureNames());
        } catch (EmkitException invalid) {
            return null;
        }
    }

    /** The same start and emission with a uniform transition matrix, for the hidden Markov model's coordinates. */
    private static HiddenMarkovModel asHiddenMarkov(CovariateHmmModel m) {
        int s = m.states();
        double[][] uniform = new double[s][s];
        for (double[] row : uniform) {
            Arrays.fill(row, 1.0 / s);
        }
        return HiddenMarkovModel.of(m.startProbabilities(), uniform, m.emission());
    }
}
