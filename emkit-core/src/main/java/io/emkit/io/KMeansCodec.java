package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.kmeans.KMeansModel;

import java.util.List;

/** k-means models: {@code "n_components"}, the features and {@code "centroids"} (K arrays of D numbers). */
final class KMeansCodec extends ModelCodec<KMeansModel> {
    static final String KIND = "kmeans";

    KMeansCodec() {
        super(KIND, "k-means model", KMeansModel.class);
    }

    @Override
    void write(KMeansModel model, ObjectNode root) {
        ModelJson.putComponentsAndFeatures(root, model);
        root.set("centroids", ModelJson.matrix(model.centroids()));
    }

    @Override
    KMeansModel read(ModelJson root) {
        int k = root.count("n_components");
        List<String> names = root.featureNames();
        double[][] centroids = root.matrix("centroids", k, names.size());
        return KMeansModel.of(centroids).withFeatureNames(names);
    }
}
