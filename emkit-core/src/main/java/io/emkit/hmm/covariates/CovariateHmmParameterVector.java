package io.emkit.hmm.covariates;

import io.emkit.em.ParameterVector;
import io.emkit.hmm.HiddenMarkovModel;

import java.util.Arrays;

/**
 * An input–output HMM's parameters as an unconstrained vector for SQUAREM: the start and emission coordinates of the
 * hidden Markov model with the same start and emission (its transition coordinates are those of a fixed uniform
 * matrix, the same in every iterate, so they never move), then the transition coefficients as they are — real
 * numbers without constraint; a reference destination's zeros stay zero, as every iterate has them.
 */
final class CovariateHmmParameterVector extends ParameterVector.Extended<CovariateHmmModel, HiddenMarkovModel> {
    CovariateHmmParameterVector(ParameterVector<HiddenMarkovModel> markov) {
        super(markov);
    }

    @Override
    protected int tailLength(CovariateHmmModel template) {
        TransitionRegression t = template.transitions();
        return t.states() * t.states() * (t.covariateCount() + 1);
    }

    @Override
    protected boolean writeTail(CovariateHmmModel params, double[] out, int at) {
        double[][][] b = params.transitions().coefficients();
        int s = b.length;
        int per = b[0][0].length;
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                System.arraycopy(b[i][j], 0, out, at + (i * s + j) * per, per);
            }
        }
        return true;
    }

    @Override
    protected CovariateHmmModel combine(HiddenMarkovModel h, double[] x, int at, CovariateHmmModel template) {
        TransitionRegression t = template.transitions();
        int s = t.states();
        int per = t.covariateCount() + 1;
        double[][][] b = new double[s][s][];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                b[i][j] = Arrays.copyOfRange(x, at + (i * s + j) * per, at + (i * s + j + 1) * per);
            }
        }
        return CovariateHmmModel.of(h.startProbabilities(), TransitionRegression.of(b, t.covariateNames()),
                h.emission()).withFeatureNames(template.featureNames());
    }

    /** The same start and emission with a uniform transition matrix, for the hidden Markov model's coordinates. */
    @Override
    protected HiddenMarkovModel headModel(CovariateHmmModel m) {
        int s = m.states();
        double[][] uniform = new double[s][s];
        for (double[] row : uniform) {
            Arrays.fill(row, 1.0 / s);
        }
        return HiddenMarkovModel.of(m.startProbabilities(), uniform, m.emission());
    }
}
