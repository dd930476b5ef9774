package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.StudentFactorAnalyserMixtureModel;

import java.util.List;

/**
 * Mixtures of factor analysers: {@code "n_components"}, the features, {@code "n_factors"} (Q),
 * {@code "weights"}, {@code "means"} (K×D), {@code "loadings"} (K×D×Q) and {@code "uniquenesses"} (K×D, the
 * diagonals of {@code Ψ_k}); never a D×D matrix.
 */
final class FactorMixtureCodec extends ModelCodec<FactorAnalyserMixtureModel> {
    static final String KIND = "mfa_mixture";

    FactorMixtureCodec() {
        super(KIND, "mixture of factor analysers", FactorAnalyserMixtureModel.class);
    }

    @Override
    void write(FactorAnalyserMixtureModel model, ObjectNode root) {
        int k = model.components();
        ModelJson.putComponentsAndFeatures(root, model);
        root.put("n_factors", model.factors());
        root.set("weights", ModelJson.numbers(model.weights()));
        root.set("means", ModelJson.matrix(model.means()));
        double[][][] loadings = new double[k][][];
        double[][] uniquenesses = new double[k][];
        for (int c = 0; c < k; c++) {
            loadings[c] = model.loadings(c);
            uniquenesses[c] = model.uniquenesses(c);
        }
        root.set("loadings", ModelJson.matrices(loadings));
        root.set("uniquenesses", ModelJson.matrix(uniquenesses));
    }

    @Override
    FactorAnalyserMixtureModel read(ModelJson root) {
        int k = root.count("n_components");
        List<String> names = root.featureNames();
        int d = names.size();
        int q = root.count("n_factors");
        double[] weights = root.vector("weights", k);
        double[][] means = root.matrix("means", k, d);
        JsonNode node = root.required("loadings");
        String key = root.key("loadings");
        root.array(node, key, k);
        double[][][] loadings = new double[k][][];
        for (int c = 0; c < k; c++) {
            loadings[c] = root.matrix(node.get(c), key + "[" + c + "]", d, q);
        }
        double[][] uniquenesses = root.matrix("uniquenesses", k, d);
        return new FactorAnalyserMixtureModel(weights, means, loadings, uniquenesses, names);
    }

    /**
     * Mixtures of t factor analysers: the mixture of factor analysers' keys ({@code "n_components"}, the features,
     * {@code "n_factors"}, {@code "weights"}, {@code "means"}, {@code "loadings"}, {@code "uniquenesses"}), then
     * {@code "distribution": "t"}, {@code "degrees_of_freedom"} (K numbers) and {@code "df_constraint"} ({@code free},
     * {@code equal} or {@code fixed}; {@code free} when absent), as a t mixture's.
     */
    static final class OfT extends ModelCodec<StudentFactorAnalyserMixtureModel> {
        static final String KIND = "t_mfa_mixture";
        private final FactorMixtureCodec factorAnalysers = new FactorMixtureCodec();

        OfT() {
            super(KIND, "mixture of t factor analysers", StudentFactorAnalyserMixtureModel.class);
        }

        @Override
        void write(StudentFactorAnalyserMixtureModel model, ObjectNode root) {
            factorAnalysers.write(model.scales(), root);
            StudentMixtureCodec.writeDegrees(model.degreesOfFreedom(), model.constraint(), root);
        }

        @Override
        StudentFactorAnalyserMixtureModel read(ModelJson root) {
            return StudentMixtureCodec.readWithDegrees(root, KIND, factorAnalysers::read,
                    StudentFactorAnalyserMixtureModel::new);
        }
    }
}
