package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixtureModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Mixtures of independent columns: {@code "n_components"}, the features, {@code "weights"} and {@code "columns"},
 * one object per column with its {@code "family"}, its {@code "categories"} if categorical, and its
 * {@code "parameters"} (K arrays).
 */
final class ProductMixtureCodec extends ModelCodec<ProductMixtureModel> {
    static final String KIND = "product_mixture";

    ProductMixtureCodec() {
        super(KIND, "mixture of independent columns", ProductMixtureModel.class);
    }

    @Override
    void write(ProductMixtureModel model, ObjectNode root) {
        ModelJson.putComponentsAndFeatures(root, model);
        root.set("weights", ModelJson.numbers(model.weights()));
        ArrayNode columns = root.putArray("columns");
        for (int j = 0; j < model.dimension(); j++) {
            ObjectNode c = columns.addObject();
            c.put("family", model.families().get(j).label());
            if (model.families().get(j) == ColumnFamily.CATEGORICAL) {
                ModelJson.putStrings(c, "categories", model.categories(j));
            }
            c.set("parameters", ModelJson.matrix(model.parameters(j)));
        }
    }

    @Override
    ProductMixtureModel read(ModelJson root) {
        int k = root.count("n_components");
        List<String> names = root.featureNames();
        int d = names.size();
        double[] weights = root.vector("weights", k);
        JsonNode columns = root.required("columns");
        root.array(columns, "columns", d);
        List<ColumnFamily> families = new ArrayList<>(d);
        List<List<String>> categories = new ArrayList<>(d);
        double[][][] parameters = new double[d][][];
        for (int j = 0; j < d; j++) {
            String key = "columns[" + j + "]";
            ModelJson c = root.nested(columns.get(j), key, key + ".");
            ColumnFamily family = c.parsed("family", ColumnFamily::parse);
            families.add(family);
            int size = family.freeParameters(0); // every non-categorical family: one parameter per free parameter
            List<String> cats = null;
            if (family == ColumnFamily.CATEGORICAL) {
                JsonNode catNode = c.required("categories");
                if (!catNode.isArray() || catNode.size() < 1) {
                    throw c.fail("\"" + c.key("categories") + "\" must be a non-empty array");
                }
                cats = c.strings("categories", catNode.size());
                size = cats.size();
            }
            categories.add(cats);
            parameters[j] = c.matrix("parameters", k, size);
        }
        return ProductMixtureModel.of(weights, families, parameters, categories, names);
    }
}
