package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.Emission;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.GaussianMixtureEmission;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.MultinomialEmission;
import io.emkit.hmm.PoissonEmission;
import io.emkit.hmm.StateSequenceModel;

import java.util.List;

/**
 * Hidden Markov models: {@code "n_states"}, the features, {@code "start_probabilities"}, {@code "transitions"}
 * and {@code "emission"}, an object whose {@code "kind"} says which keys follow (multinomial: {@code "n_trials"}, 0
 * when the totals vary, and {@code "probabilities"}, S rows over the feature columns). Gaussian emissions keep their
 * Gaussians as Gaussian mixture files do ({@link GaussianMixtureCodec}).
 */
final class HiddenMarkovModelCodec extends ModelCodec<HiddenMarkovModel> {
    static final String KIND = "hidden_markov_model";

    HiddenMarkovModelCodec() {
        super(KIND, "hidden Markov model", HiddenMarkovModel.class);
    }

    @Override
    void write(HiddenMarkovModel model, ObjectNode root) {
        putHead(model, root);
        root.set("transitions", ModelJson.matrix(model.transitionMatrix()));
        putEmission(model.emission(), root.putObject("emission"));
    }

    /**
     * Writes the keys every state-sequence model's file starts with (an HMM's, a semi-Markov model's, a covariate
     * HMM's): {@code "n_states"}, the features and {@code "start_probabilities"}.
     */
    static void putHead(StateSequenceModel<?> model, ObjectNode root) {
        root.put("n_states", model.states());
        ModelJson.putFeatures(root, model.featureNames());
        root.set("start_probabilities", ModelJson.numbers(model.startProbabilities()));
    }

    /**
     * What {@link #putHead} wrote, read back.
     *
     * @param states the number of states S
     * @param names  the feature names
     * @param start  the S start probabilities
     */
    record Head(int states, List<String> names, double[] start) {
        /** Reads the head keys of a state-sequence model's file. */
        static Head read(ModelJson root) {
            int s = root.count("n_states");
            List<String> names = root.featureNames();
            return new Head(s, names, root.vector("start_probabilities", s));
        }

        /** @return the file's {@code "emission"} object, over these states and features */
        Emission emission(ModelJson root) {
            return readEmission(root, states, names);
        }
    }

    /** Writes an HMM's (or a semi-Markov model's) emissions into the {@code "emission"} object {@code e}. */
    static void putEmission(Emission emission, ObjectNode e) {
        e.put("kind", emission.kind().label());
        if (emission instanceof GaussianEmission g) {
            e.put("covariance_type", g.covarianceType().label());
            GaussianMixtureCodec.putGaussians(g.gaussians(), e);
        } else if (emission instanceof GaussianMixtureEmission g) {
            e.put("covariance_type", g.covarianceType().label());
            e.put("n_mix", g.mixtureComponents());
            e.set("weights", ModelJson.matrix(g.mixtureWeights()));
            GaussianMixtureCodec.putGaussians(g.gaussians(), e);
        } else if (emission instanceof CategoricalEmission c) {
            e.put("n_symbols", c.symbols());
            e.set("probabilities", ModelJson.matrix(c.probabilities()));
        } else if (emission instanceof MultinomialEmission mu) {
            e.put("n_trials", mu.trials());
            e.set("probabilities", ModelJson.matrix(mu.probabilities()));
        } else if (emission instanceof PoissonEmission p) {
            e.set("rates", ModelJson.matrix(p.rates()));
        }
    }

    @Override
    HiddenMarkovModel read(ModelJson root) {
        Head head = Head.read(root);
        double[][] transitions = root.matrix("transitions", head.states(), head.states());
        return HiddenMarkovModel.of(head.start(), transitions, head.emission(root));
    }

    /** Reads the {@code "emission"} object of an HMM (or semi-Markov model) file with S states. */
    static Emission readEmission(ModelJson root, int s, List<String> names) {
        int d = names.size();
        ModelJson e = root.object("emission", "emission.");
        Emission emission = switch (e.parsed("kind", EmissionKind::parse)) {
            case GAUSSIAN -> GaussianEmission.of(GaussianMixtureCodec.readGaussians(e, s, d));
            case GAUSSIAN_MIXTURE -> {
                int m = e.count("n_mix");
                double[][] w = e.matrix("weights", s, m);
                yield GaussianMixtureEmission.of(w, GaussianMixtureCodec.readGaussians(e, s * m, d));
            }
            case CATEGORICAL -> {
                if (d != 1) {
                    throw e.fail("categorical emissions need \"n_features\": 1");
                }
                yield CategoricalEmission.of(e.matrix("probabilities", s, e.count("n_symbols")));
            }
            case POISSON -> PoissonEmission.of(e.matrix("rates", s, d));
            case MULTINOMIAL -> {
                int trials = e.integer("n_trials");
                if (trials < 0) {
                    throw e.fail("\"n_trials\" must be >= 0 (0: the totals vary), got " + trials);
                }
                yield MultinomialEmission.of(e.matrix("probabilities", s, d), trials);
            }
        };
        return emission.withFeatureNames(names);
    }
}
