package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.mixture.ColumnFamily;
import io.emkit.mixture.ProductMixture;
import io.emkit.mixture.ProductMixtureModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Fits a {@link ProductMixture} (a mixture of independent columns, each with its {@link ColumnFamily}) on a
 * Spark {@code Dataset<Row>} with the single-machine kernel, as {@link SparkGaussianMixture} fits Gaussian
 * mixtures.
 *
 * <p><b>Categorical columns</b> may hold text or numbers. Their categories are the column's distinct values
 * over all the rows (one small aggregation before the fit), sorted — text as Java sorts strings, numbers by
 * value — and code m is the m-th, as {@code emkit fit --family} reads a CSV file; the fitted model names them
 * (numbers as written without a trailing {@code .0}). At most {@value #MAX_CATEGORIES} categories per column.
 * Every other family's column must be numeric, and its values in the family's support (counts for Poisson,
 * 0/1 for Bernoulli, positive for exponential); a value outside it stops the fit with a message naming the
 * column and the value.
 *
 * <p>The seeded start of each of the {@link ProductMixture#initializations} starts looks at a sample drawn with
 * {@code takeSample(false, }{@value SparkGaussianMixture#DEFAULT_SAMPLE_ROWS}{@code , seed)} (every row, in
 * order, when there are no more). Given the same
 * starting model, the result is the single-machine fit's to rounding.
 */
public final class SparkProductMixture {
    /** The most categories a categorical column may have. */
    public static final int MAX_CATEGORIES = 10_000;

    private SparkProductMixture() {
    }

    /**
     * Fits the configured mixture to the chosen columns of {@code data}.
     *
     * @param config  the fit's configuration (components, one family per column, EM options); its category
     *                names are replaced by the columns' distinct values
     * @param data    the rows
     * @param columns the columns to fit, in order; no nulls allowed
     * @return the fit, as {@link ProductMixture#fit} would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static EmResult<ProductMixtureModel> fit(ProductMixture config, org.apache.spark.sql.Dataset<Row> data,
                                                    List<String> columns) {
        if (columns.isEmpty()) {
            throw new EmkitException("choose at least one column to fit");
        }
        List<ColumnFamily> families = config.familiesFor(columns.size());
        List<String> known = List.of(data.columns());
        int d = columns.size();
        Column[] cols = new Column[d];
        String[][] textCategories = new String[d][];
        double[][] numberCategories = new double[d][];
        List<List<String>> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            String c = columns.get(j);
            if (!known.contains(c)) {
                throw new EmkitException("no column '" + c + "' in the data (columns: " + String.join(", ", known) + ")");
            }
            DataType type = data.schema().apply(c).dataType();
            boolean text = type.equals(DataTypes.StringType);
            if (!text && !(type instanceof NumericType)) {
                throw new EmkitException("column '" + c + "' is neither numeric nor text (" + type.simpleString() + ")");
            }
            if (families.get(j) == ColumnFamily.CATEGORICAL) {
                cols[j] = text ? functions.col(c) : functions.col(c).cast("double");
                List<Row> distinct = data.select(cols[j]).distinct().limit(MAX_CATEGORIES + 1).collectAsList();
                if (distinct.size() > MAX_CATEGORIES) {
                    throw new EmkitException("column '" + c + "' has more than " + MAX_CATEGORIES + " categories");
                }
                if (text) {
                    TreeSet<String> sorted = new TreeSet<>();
                    distinct.stream().filter(r -> !r.isNullAt(0)).forEach(r -> sorted.add(r.getString(0)));
                    textCategories[j] = sorted.toArray(new String[0]);
                    names.add(List.of(textCategories[j]));
                } else {
                    numberCategories[j] = distinct.stream().filter(r -> !r.isNullAt(0)).mapToDouble(r -> r.getDouble(0))
                            .sorted().toArray();
                    names.add(Arrays.stream(numberCategories[j]).mapToObj(SparkProductMixture::name).toList());
                }
            } else {
                if (text) {
                    throw new EmkitException("column '" + c + "' holds text; a " + families.get(j).label()
                            + " column must be numeric (text columns can be categorical)");
                }
                cols[j] = functions.col(c).cast("double");
                names.add(null);
            }
        }
        RowCodes codes = new RowCodes(families.toArray(new ColumnFamily[0]), textCategories, numberCategories,
                columns.toArray(new String[0]));
        return SparkFit.fit(config.categoryNames(names).distributed(), data.select(cols), codes::row, columns,
                config.options().seed());
    }

    /** A number as a category's name: whole numbers without a fraction. */
    private static String name(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Turns a row into numbers: categories into their codes, other values checked against their family. */
    private record RowCodes(ColumnFamily[] families, String[][] text, double[][] numbers, String[] columns)
            implements java.io.Serializable {
        double[] row(Row r) {
            double[] out = new double[families.length];
            for (int j = 0; j < out.length; j++) {
                if (r.isNullAt(j)) {
                    throw new EmkitException("column '" + columns[j] + "': missing (null) value; fitting needs a value"
                            + " in every cell");
                }
                if (text[j] != null) {
                    out[j] = Arrays.binarySearch(text[j], r.getString(j));
                } else if (numbers[j] != null) {
                    out[j] = Arrays.binarySearch(numbers[j], r.getDouble(j));
                } else {
                    double v = r.getDouble(j);
                    String bad = families[j].violation(v);
                    if (bad != null) {
                        throw new EmkitException("column '" + columns[j] + "': " + bad);
                    }
                    out[j] = v;
                }
            }
            return out;
        }
    }
}
