package io.emkit.families;

import io.emkit.EmkitException;
import io.emkit.em.ParameterVector;

/**
 * A product mixture's parameters as an unconstrained vector for SQUAREM: log weights (back through a
 * softmax), then per column and component the family's parameters in coordinates where every value is
 * allowed: Gaussian mean and log variance, log Poisson or exponential rate, logit of a Bernoulli
 * probability, log categorical probabilities (back through a softmax). A probability of exactly 0 stays 0.
 */
final class ProductParameterVector implements ParameterVector<ProductMixtureModel> {
    static final ProductParameterVector INSTANCE = new ProductParameterVector();

    private ProductParameterVector() {
    }

    @Override
    public double[] toVector(ProductMixtureModel params) {
        double[][][] p = params.rawParameters();
        int k = params.components();
        int length = k;
        for (double[][] column : p) {
            for (double[] component : column) {
                length += component.length;
            }
        }
        double[] out = new double[length];
        double[] w = params.weights();
        for (int c = 0; c < k; c++) {
            out[c] = Math.log(w[c]);
        }
        int at = k;
        for (int j = 0; j < p.length; j++) {
            ColumnFamily f = params.families().get(j);
            for (double[] q : p[j]) {
                for (int i = 0; i < q.length; i++) {
                    out[at + i] = switch (f) {
                        case GAUSSIAN -> i == 0 ? q[0] : Math.log(q[1]);
                        case BERNOULLI -> Math.log(q[0]) - Math.log1p(-q[0]);
                        case CATEGORICAL -> q[i] > 0 ? Math.log(q[i]) : 0.0;
                        case POISSON, EXPONENTIAL -> Math.log(q[0]);
                    };
                }
                at += q.length;
            }
        }
        return out;
    }

    @Override
    public ProductMixtureModel fromVector(double[] x, ProductMixtureModel template) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        int k = template.components();
        double[] weights = softmax(x, 0, k, null);
        double[][][] prev = template.rawParameters();
        double[][][] next = new double[prev.length][k][];
        int at = k;
        for (int j = 0; j < prev.length; j++) {
            ColumnFamily f = template.families().get(j);
            for (int c = 0; c < k; c++) {
                int m = prev[j][c].length;
                next[j][c] = switch (f) {
                    case GAUSSIAN -> new double[] {x[at], Math.exp(x[at + 1])};
                    case BERNOULLI -> new double[] {1.0 / (1.0 + Math.exp(-x[at]))};
                    case CATEGORICAL -> softmax(x, at, m, prev[j][c]);
                    case POISSON, EXPONENTIAL -> new double[] {Math.exp(x[at])};
                };
                at += m;
            }
        }
        try {
            return ProductMixtureModel.of(weights, template.families(), next,
                    ProductMixtureSteps.categoryList(template), template.featureNames());
        } catch (EmkitException invalid) {
            // A probability or rate that underflowed to 0 or rounded to 1.
            return null;
        }
    }

    /** Softmax of {@code x[at, at + m)}, over the entries positive in {@code support} (all if it is null). */
    private static double[] softmax(double[] x, int at, int m, double[] support) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            if (support == null || support[i] > 0) {
                max = Math.max(max, x[at + i]);
            }
        }
        double[] p = new double[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            p[i] = support == null || support[i] > 0 ? Math.exp(x[at + i] - max) : 0.0;
            sum += p[i];
        }
        for (int i = 0; i < m; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
