package io.emkit.families;

import io.emkit.mixture.AbstractClusteringModel;
import io.emkit.mixture.MixtureModel;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fitted mixture whose components model the columns independently, each column with its own
 * {@link ColumnFamily}: a mixture of Poisson, Bernoulli, categorical or exponential distributions, or a mixed
 * model (Gaussian numeric columns beside categorical and count columns). Given component c, a row's density is
 * the product over columns j of {@code f_j(x_j | θ_cj)}. Immutable and safe to share between threads.
 *
 * <p>The parameters of column j in component c are {@link #parameters(int)}{@code [c]}, laid out as
 * {@link ColumnFamily} describes. A categorical column holds codes 0..M−1; {@link #categories(int)} names them
 * (the text values they were read from, or {@code "0", "1", ...}).
 */
public final class ProductMixtureModel extends AbstractClusteringModel implements MixtureModel {
    private final double[] weights;
    private final double[] logWeights;
    private final List<ColumnFamily> families;
    private final ColumnFamily[] familyArray;
    /** [column][component]: {@link ColumnFamily#logTerms} of the parameters, derived once. */
    private final double[][][] logTerms;
    /** [column][component][parameter]. */
    private final double[][][] parameters;
    private final List<List<String>> categories;

    private ProductMixtureModel(double[] weights, List<ColumnFamily> families, double[][][] parameters,
                                List<List<String>> categories, List<String> featureNames) {
        super(weights.length, families.size(), featureNames);
        this.weights = weights;
        this.families = families;
        this.parameters = parameters;
        this.categories = categories;
        this.logWeights = new double[weights.length];
        for (int c = 0; c < weights.length; c++) {
            logWeights[c] = Math.log(weights[c]);
        }
        this.familyArray = families.toArray(new ColumnFamily[0]);
        this.logTerms = new double[parameters.length][weights.length][];
        for (int j = 0; j < parameters.length; j++) {
            for (int c = 0; c < weights.length; c++) {
                logTerms[j][c] = familyArray[j].logTerms(parameters[j][c]);
            }
        }
    }

    /**
     * A model from its parameters, with columns named {@code x1, x2, ...} and categories {@code "0", "1", ...}.
     *
     * @param weights    K mixing weights, ≥ 0, summing to 1 (within 1e-6)
     * @param families   one family per column
     * @param parameters per column, K arrays of that family's parameters (see {@link ColumnFamily})
     * @return the model
     * @throws EmkitException if the parameters are not valid, with a message naming the column and component
     */
    public static ProductMixtureModel of(double[] weights, List<ColumnFamily> families, double[][][] parameters) {
        return of(weights, families, parameters, null, Dataset.defaultNames(families.size()));
    }

    /**
     * A model from its parameters and names.
     *
     * @param weights      K mixing weights, ≥ 0, summing to 1 (within 1e-6)
     * @param families     one family per column
     * @param parameters   per column, K arrays of that family's parameters (see {@link ColumnFamily})
     * @param categories   per column, the names of a categorical column's M categories (null entries, or a null
     *                     list, for {@code "0", "1", ...}); ignored for other families
     * @param featureNames the columns' names
     * @return the model
     * @throws EmkitException if the parameters are not valid, with a message naming the column and component
     */
    public static ProductMixtureModel of(double[] weights, List<ColumnFamily> families, double[][][] parameters,
                                         List<List<String>> categories, List<String> featureNames) {
        int k = weights.length;
        int d = families.size();
        if (k < 1 || d < 1) {
            throw new EmkitException("a mixture needs at least 1 component and 1 column");
        }
        if (parameters.length != d || featureNames.size() != d || (categories != null && categories.size() != d)) {
            throw new EmkitException("expected parameters, names and categories for " + d + " columns");
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            if (!(weights[c] >= 0) || Double.isInfinite(weights[c])) {
                throw new EmkitException("weight " + (c + 1) + " is " + weights[c] + "; weights must be >= 0");
            }
            sum += weights[c];
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new EmkitException("the weights must sum to 1, they sum to " + sum);
        }
        double[][][] p = new double[d][k][];
        List<List<String>> cats = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            ColumnFamily f = families.get(j);
            if (parameters[j] == null || parameters[j].length != k) {
                throw new EmkitException("column " + (j + 1) + ": expected parameters for " + k + " components");
            }
            if (parameters[j][0] == null) {
                throw new EmkitException("column " + (j + 1) + " (" + f + "), component 1: no parameters");
            }
            int size = f == ColumnFamily.CATEGORICAL ? parameters[j][0].length : f.statisticsSize(0);
            for (int c = 0; c < k; c++) {
                if (parameters[j][c] == null || parameters[j][c].length != size || size < 1) {
                    throw new EmkitException("column " + (j + 1) + " (" + f + "), component " + (c + 1)
                            + ": expected " + size + " parameters");
                }
                String bad = f.invalid(parameters[j][c]);
                if (bad != null) {
                    throw new EmkitException("column " + (j + 1) + " (" + f + "), component " + (c + 1) + ": " + bad);
                }
                p[j][c] = parameters[j][c].clone();
            }
            List<String> names = categories == null ? null : categories.get(j);
            if (f != ColumnFamily.CATEGORICAL) {
                cats.add(List.of());
            } else if (names == null) {
                List<String> codes = new ArrayList<>(size);
                for (int m = 0; m < size; m++) {
                    codes.add(Integer.toString(m));
                }
                cats.add(List.copyOf(codes));
            } else {
                if (names.size() != size) {
                    throw new EmkitException("column " + (j + 1) + ": " + names.size() + " category names for "
                            + size + " categories");
                }
                cats.add(List.copyOf(names));
            }
        }
        return new ProductMixtureModel(weights.clone(), List.copyOf(families), p, Collections.unmodifiableList(cats),
                List.copyOf(featureNames));
    }

    /**
     * @param names the columns' names
     * @return this model with other column names
     */
    public ProductMixtureModel withFeatureNames(List<String> names) {
        if (names.size() != families.size()) {
            throw new EmkitException("expected " + families.size() + " names, got " + names.size());
        }
        return new ProductMixtureModel(weights, families, parameters, categories, List.copyOf(names));
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** @return each column's family, in order */
    public List<ColumnFamily> families() {
        return families;
    }

    /**
     * @param column a column, from 0
     * @return its parameters per component, {@code K × (the family's parameters)} (a copy)
     */
    public double[][] parameters(int column) {
        double[][] out = new double[weights.length][];
        for (int c = 0; c < out.length; c++) {
            out[c] = parameters[column][c].clone();
        }
        return out;
    }

    /**
     * @param column a column, from 0
     * @return a categorical column's category names, code 0 first; empty for other families
     */
    public List<String> categories(int column) {
        return categories.get(column);
    }

    /** @return K − 1 weights plus, per column, K times its family's free parameters */
    @Override
    public int parameterCount() {
        int p = weights.length - 1;
        for (int j = 0; j < families.size(); j++) {
            p += weights.length * families.get(j).freeParameters(parameters[j][0].length);
        }
        return p;
    }

    double[][][] rawParameters() {
        return parameters;
    }

    /** The families, column by column, as an array (not copied: the E-step reads it once a block). */
    ColumnFamily[] familyArray() {
        return familyArray;
    }

    /**
     * Fills {@code out[c]} with log w_c + log f(row | component c), over the row's observed cells: a missing
     * ({@code NaN}) cell contributes a log density of 0 (its column integrated out).
     *
     * @return how many cells of the row are observed
     */
    int jointLogDensities(double[] x, int offset, double[] out) {
        int k = weights.length;
        System.arraycopy(logWeights, 0, out, 0, k);
        int observed = 0;
        for (int j = 0; j < familyArray.length; j++) {
            ColumnFamily f = familyArray[j];
            double v = x[offset + j];
            if (Double.isNaN(v)) {
                continue;
            }
            observed++;
            f.addLogDensities(v, logTerms[j], out, k);
        }
        return observed;
    }

    /**
     * Turns {@code out} from joint log densities into responsibilities (in place) and returns the row's log
     * density. A row impossible under every component gets equal responsibilities and log density −∞.
     */
    static double normalize(double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : out) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(out, 1.0 / out.length);
            return max;
        }
        double sum = 0;
        for (int c = 0; c < out.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= sum;
        }
        return max + Math.log(sum);
    }

    /**
     * Checks every value is in its column's support.
     *
     * @param data rows
     * @throws ValueOutOfSupportException naming the first row and column that is not
     */
    public void checkSupport(Dataset data) {
        if (data.columns() != dimension()) {
            throw new EmkitException("the data have " + data.columns() + " columns, the model expects " + dimension());
        }
        double[] x = data.rawValues();
        int d = dimension();
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                if (Double.isNaN(v)) {
                    continue;
                }
                ColumnFamily f = families.get(j);
                String bad = f.violation(v);
                if (bad == null && f == ColumnFamily.CATEGORICAL && v >= parameters[j][0].length) {
                    bad = "category code " + (long) v + " is unknown to the model (it has " + parameters[j][0].length
                            + " categories)";
                }
                if (bad != null) {
                    throw new ValueOutOfSupportException(i, j, data.columnNames().get(j), bad);
                }
            }
        }
    }

    @Override
    public double[] scoreSamples(Dataset data) {
        checkSupport(data);
        double[] x = data.rawValues();
        int d = dimension();
        double[] out = new double[data.rows()];
        double[] buf = new double[weights.length];
        for (int i = 0; i < out.length; i++) {
            // A row with every value missing has log density 0 (the log of the weights' sum).
            out[i] = jointLogDensities(x, i * d, buf) == 0 ? 0.0 : normalize(buf);
        }
        return out;
    }

    @Override
    public double[][] predictProba(Dataset data) {
        checkSupport(data);
        double[] x = data.rawValues();
        int d = dimension();
        double[][] out = new double[data.rows()][weights.length];
        for (int i = 0; i < out.length; i++) {
            jointLogDensities(x, i * d, out[i]);
            normalize(out[i]);
        }
        return out;
    }

    @Override
    public int[] predict(Dataset data) {
        double[][] p = predictProba(data);
        int[] labels = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        return labels;
    }

    @Override
    public Sample sample(int n, long seed) {
        if (n < 0) {
            throw new EmkitException("cannot draw " + n + " rows");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int d = dimension();
        double[] x = new double[Math.multiplyExact(n, d)];
        int[] comp = new int[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int c = 0;
            double acc = weights[0];
            while (u >= acc && c < weights.length - 1) {
                c++;
                acc += weights[c];
            }
            comp[i] = c;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = families.get(j).sample(parameters[j][c], random);
            }
        }
        return new Sample(Dataset.wrap(x, n, d, featureNames), comp);
    }

    @Override
    public String toString() {
        return "ProductMixtureModel[components=" + weights.length + ", families=" + families + "]";
    }
}
