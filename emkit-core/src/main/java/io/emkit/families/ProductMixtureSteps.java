package io.emkit.families;

import io.emkit.em.PartitionSteps;
import io.emkit.data.Dataset;

import java.util.List;
import java.util.function.Consumer;

/**
 * EM's two steps for a {@link ProductMixtureModel}: the E-step computes each row's responsibilities in log
 * space and adds them, with each column's family's sums, into {@link ProductStatistics}; the M-step is each
 * family's closed form, column by column. A missing ({@code NaN}) cell is left out of both steps: the columns
 * are independent given the component, so this is exact EM for the observed values; a row with every value
 * missing is skipped. Stateless and thread-safe.
 */
public final class ProductMixtureSteps implements PartitionSteps.OfDataset<ProductMixtureModel, ProductStatistics> {
    private static final long serialVersionUID = 1L;
    /** Below this total responsibility a component keeps its previous parameters (with weight ~0). */
    static final double EMPTY = 1e-10;
    private final double regVar;
    /** Which components each row may come from (rows of known class), or {@code null} for any. */
    private final io.emkit.mixture.ComponentRestriction restriction;

    /**
     * The steps of a product mixture fit.
     *
     * @param regVar the variance added to every Gaussian column's variance
     */
    public ProductMixtureSteps(double regVar) {
        this(regVar, null);
    }

    /**
     * The steps of a semi-supervised fit: a row's E-step is restricted to the components it may come from, and the
     * log-likelihood counts the log of their densities' sum. In memory only: the rows must be numbered as the
     * restriction numbers them.
     *
     * @param regVar      the variance added to every Gaussian column's variance
     * @param restriction which components each row may come from, or {@code null} for any
     */
    public ProductMixtureSteps(double regVar, io.emkit.mixture.ComponentRestriction restriction) {
        this.regVar = regVar;
        this.restriction = restriction;
    }

    @Override
    public ProductStatistics emptyStatistics(ProductMixtureModel params) {
        return new ProductStatistics(params.components(), widths(params));
    }

    private static int[] widths(ProductMixtureModel params) {
        List<ColumnFamily> families = params.families();
        int[] w = new int[families.size()];
        double[][][] p = params.rawParameters();
        for (int j = 0; j < w.length; j++) {
            w[j] = families.get(j).statisticsSize(p[j][0].length);
        }
        return w;
    }

    @Override
    public double accumulatePartition(ProductMixtureModel params, Dataset rows, long firstRow, ProductStatistics s) {
        if (restriction != null) {
            throw new io.emkit.EmkitException("semi-supervised EM (rows of known class) runs in memory only, not on"
                    + " partitions");
        }
        return accumulate(params, rows, 0, rows.rows(), s);
    }

    @Override
    public double accumulate(ProductMixtureModel params, Dataset data, int from, int to, ProductStatistics s) {
        int k = params.components();
        int d = params.dimension();
        double[] x = data.rawValues();
        double[] r = new double[k];
        double[][][] p = params.rawParameters();
        ColumnFamily[] families = params.familyArray();
        double[] rowWeights = data.rawWeights();
        double ll = 0;
        for (int i = from; i < to; i++) {
            if (rowWeights != null && rowWeights[i] == 0) {
                continue;
            }
            if (params.jointLogDensities(x, i * d, r) == 0) {
                continue; // every value missing: the row tells nothing and is skipped
            }
            if (restriction != null) {
                boolean[] allowed = restriction.allowed(i);
                if (allowed != null) {
                    for (int c = 0; c < k; c++) {
                        if (!allowed[c]) {
                            r[c] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
            double logDensity = ProductMixtureModel.normalize(r);
            if (rowWeights == null) {
                ll += logDensity;
            } else {
                // A row of weight w counts as w copies: its responsibilities and log density times w.
                double w = rowWeights[i];
                ll += w * logDensity;
                for (int c = 0; c < k; c++) {
                    r[c] *= w;
                }
            }
            s.addRow(families, p, x, i * d, r);
        }
        return ll;
    }

    @Override
    public ProductMixtureModel maximize(ProductStatistics s, ProductMixtureModel previous, Consumer<String> warnings) {
        int k = previous.components();
        int d = previous.dimension();
        double total = 0;
        for (double w : s.weight) {
            total += w;
        }
        double[] weights = new double[k];
        double[][][] prev = previous.rawParameters();
        double[][][] next = new double[d][k][];
        for (int c = 0; c < k; c++) {
            weights[c] = s.weight[c] / total;
            boolean empty = s.weight[c] < EMPTY;
            if (empty) {
                warnings.accept("component " + (c + 1) + " has (almost) no rows; it keeps its last parameters"
                        + " with weight ~0 (fewer components may fit better)");
            }
            for (int j = 0; j < d; j++) {
                ColumnFamily f = previous.families().get(j);
                // A column the component's rows (almost) never observe keeps its parameters too.
                double n = s.columnWeight[j][c];
                next[j][c] = empty || n < EMPTY ? prev[j][c].clone()
                        : f.maximize(n, s.sums[j], c * s.width[j], prev[j][c], prev[j][c].length, regVar);
            }
        }
        return ProductMixtureModel.of(weights, previous.families(), next, categoryList(previous),
                previous.featureNames());
    }

    static List<List<String>> categoryList(ProductMixtureModel m) {
        java.util.ArrayList<List<String>> out = new java.util.ArrayList<>();
        for (int j = 0; j < m.dimension(); j++) {
            out.add(m.families().get(j) == ColumnFamily.CATEGORICAL ? m.categories(j) : null);
        }
        return out;
    }

    @Override
    public int parameterCount(ProductMixtureModel params) {
        return params.parameterCount();
    }

    /** @return the parameters as a vector for SQUAREM ({@link ProductParameterVector}) */
    @Override
    public io.emkit.em.ParameterVector<ProductMixtureModel> parameterVector() {
        return ProductParameterVector.INSTANCE;
    }
}
