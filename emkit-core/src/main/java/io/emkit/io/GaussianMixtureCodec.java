package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;

import java.util.List;

/**
 * Gaussian mixtures: {@code "covariance_type"}, {@code "n_components"}, the features, {@code "weights"},
 * {@code "means"} and {@code "covariances"}. The Gaussians' keys ({@link #putGaussians}, {@link #readGaussians})
 * also serve the Gaussian emissions of hidden Markov models.
 */
final class GaussianMixtureCodec extends ModelCodec<GaussianMixtureModel> {
    static final String KIND = "gaussian_mixture";

    GaussianMixtureCodec() {
        super(KIND, "Gaussian mixture", GaussianMixtureModel.class);
    }

    @Override
    void write(GaussianMixtureModel model, ObjectNode root) {
        root.put("covariance_type", model.covarianceType().label());
        ModelJson.putComponentsAndFeatures(root, model);
        root.set("weights", ModelJson.numbers(model.weights()));
        putGaussians(model, root);
    }

    @Override
    GaussianMixtureModel read(ModelJson root) {
        CovarianceType type = root.parsed("covariance_type", CovarianceType::parse);
        int k = root.count("n_components");
        List<String> names = root.featureNames();
        double[] weights = root.vector("weights", k);
        return gaussians(root, type, weights, names.size()).withFeatureNames(names);
    }

    /**
     * The {@code k} Gaussians of an emission: {@code "covariance_type"}, and the keys {@link #putGaussians} wrote;
     * equal weights (the file keeps none).
     */
    static GaussianMixtureModel readGaussians(ModelJson node, int k, int d) {
        CovarianceType type = node.parsed("covariance_type", CovarianceType::parse);
        double[] weights = new double[k];
        java.util.Arrays.fill(weights, 1.0 / k);
        return gaussians(node, type, weights, d);
    }

    /** {@code "means"} and {@code "covariances"}. */
    static void putGaussians(GaussianMixtureModel g, ObjectNode node) {
        node.set("means", ModelJson.matrix(g.means()));
        node.set("covariances", covariances(g));
    }

    /** The covariances in the shape the structure stores: see {@link #gaussians}. */
    private static ArrayNode covariances(GaussianMixtureModel g) {
        Object cov = g.covarianceParameters();
        return switch (g.covarianceType()) {
            case DIAG, TIED -> ModelJson.matrix((double[][]) cov);
            case SPHERICAL -> ModelJson.numbers((double[]) cov);
            default -> ModelJson.matrices((double[][][]) cov);
        };
    }

    /**
     * The Gaussians from their means and covariances, in the shape the structure stores: K×D×D for every
     * structure but diag (K×D), spherical (K) and tied (D×D).
     */
    private static GaussianMixtureModel gaussians(ModelJson node, CovarianceType type, double[] weights, int d) {
        int k = weights.length;
        double[][] means = node.matrix("means", k, d);
        JsonNode cov = node.required("covariances");
        String key = node.key("covariances");
        return switch (type) {
            case DIAG -> GaussianMixtureModel.diag(weights, means, node.matrix(cov, key, k, d));
            case SPHERICAL -> GaussianMixtureModel.spherical(weights, means, node.vector(cov, key, k));
            case TIED -> GaussianMixtureModel.tied(weights, means, node.matrix(cov, key, d, d));
            default -> {
                node.array(cov, key, k);
                double[][][] c = new double[k][][];
                for (int i = 0; i < k; i++) {
                    c[i] = node.matrix(cov.get(i), key + "[" + i + "]", d, d);
                }
                yield GaussianMixtureModel.of(type, weights, means, c);
            }
        };
    }
}
