package io.emkit.cli.plot;

import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixtureModel;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a mixture of independent columns' parameter table: what it shows (e.g. {@code "colour P(green)"},
 * {@code "weight mean"}) and its value in each component. Shared by the printed summary and the HTML report.
 *
 * @param label        the column's name and the parameter
 * @param perComponent the value in each component, component 1 first
 */
public record ParameterRow(String label, double[] perComponent) {
    /**
     * The rows of a model's table, column by column: a Gaussian column's mean and variance, a Poisson column's
     * rate, a Bernoulli column's P(1), an exponential column's mean (1 / rate, the more familiar number), a
     * categorical column's probability of each category.
     *
     * @param model the fitted mixture
     * @return the rows, without the weights
     */
    public static List<ParameterRow> of(ProductMixtureModel model) {
        List<ParameterRow> rows = new ArrayList<>();
        int k = model.components();
        for (int j = 0; j < model.dimension(); j++) {
            ColumnFamily f = model.families().get(j);
            String name = model.featureNames().get(j);
            List<String> labels = switch (f) {
                case GAUSSIAN -> List.of("mean", "variance");
                case POISSON -> List.of("rate (mean count)");
                case BERNOULLI -> List.of("P(1)");
                case EXPONENTIAL -> List.of("mean (1/rate)");
                case CATEGORICAL -> model.categories(j).stream().map(c -> "P(" + c + ")").toList();
            };
            double[][] p = model.parameters(j);
            for (int r = 0; r < labels.size(); r++) {
                double[] v = new double[k];
                for (int c = 0; c < k; c++) {
                    v[c] = f == ColumnFamily.EXPONENTIAL ? 1.0 / p[c][0] : p[c][r];
                }
                rows.add(new ParameterRow(name + " " + labels.get(r), v));
            }
        }
        return rows;
    }
}
