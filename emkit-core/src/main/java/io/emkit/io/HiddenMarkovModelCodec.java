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
        root.put("n_states", model.states());
        ModelJson.putFeatures(root, model.featureNames());
        root.set("start_probabilities", ModelJson.numbers(model.startProbabilities()));
        root.set("transitions", ModelJson.matrix(model.transitionMatrix()));
        putEmission(model.emission(), root.putObject("emission"));
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
        int s = root.count("n_states");
        List<String> names = root.featureNames();
        double[] start = root.vector("start_probabilities", s);
        double[][] transitions = root.matrix("transitions", s, s);
        return HiddenMarkovModel.of(start, transitions, readEmission(root, s, names));
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
