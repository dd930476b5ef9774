package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
     * @param columns the columns to fit, in order; a null (or NaN, or empty / NA / NaN text) cell is missing
     *                and left out of both steps, as {@link ProductMixture#fit} leaves out {@code NaN}
     * @return the fit, as {@link ProductMixture#fit} would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static EmResult<ProductMixtureModel> fit(ProductMixture config, org.apache.spark.sql.Dataset<Row> data,
                                                    List<String> columns) {
        return fit(config, data, columns, null, null, ProductMixture::distributed);
    }

    /**
     * As {@link #fit(ProductMixture, org.apache.spark.sql.Dataset, List)}, each row weighted by a numeric column (a
     * row of weight w counts as w copies of it), as {@link ProductMixture#fit} fits weighted rows: the weights
     * travel with the rows to every partition's kernel and to the starts' sample.
     *
     * @param config        the fit's configuration
     * @param data          the rows
     * @param columns       the columns to fit, in order
     * @param weightsColumn the numeric column of weights, or {@code null} for unweighted rows
     * @return the fit, as {@link ProductMixture#fit} would return it
     * @throws EmkitException if the data cannot be fitted, or a weight is missing, negative or not finite
     */
    public static EmResult<ProductMixtureModel> fit(ProductMixture config, org.apache.spark.sql.Dataset<Row> data,
                                                    List<String> columns, String weightsColumn) {
        if (weightsColumn == null) {
            return fit(config, data, columns);
        }
        if (columns.contains(weightsColumn)) {
            throw new EmkitException("the weights column '" + weightsColumn + "' is not a model column");
        }
        SparkFit.selectNumeric(data, List.of(weightsColumn));
        return fitColumns(config, data, columns, null, null, weightsColumn, ProductMixture::distributed);
    }

    /**
     * Fits a mixture of independent columns whose rows carry their class
     * ({@code SemiSupervisedProductMixture.of(config).distributed(classNames, perClass)}): each row is its columns'
     * numbers (categories as codes) followed by its class's index into {@code classNames}, {@code NaN} for a row
     * without a class, as for {@link SparkGaussianMixture#fit(io.emkit.em.DistributedFit, long,
     * org.apache.spark.sql.Dataset, List, String, List)}.
     *
     * @param config      the fit's configuration; its category names are replaced by the columns' distinct values
     * @param data        the rows
     * @param columns     the columns to fit, in order (not the labels column)
     * @param labelColumn the column of classes
     * @param classNames  the classes ({@link SparkGaussianMixture#classes}' names)
     * @param plan        the plan of the configuration with its category names set
     * @return the fit, as the single-machine fit would return it
     * @throws io.emkit.EmkitException if the data cannot be fitted
     */
    public static EmResult<ProductMixtureModel> fit(
            ProductMixture config, org.apache.spark.sql.Dataset<Row> data, List<String> columns, String labelColumn,
            List<String> classNames,
            java.util.function.Function<ProductMixture, io.emkit.em.DistributedFit<ProductMixtureModel, ?>> plan) {
        return fitColumns(config, data, columns, labelColumn, classNames, null, plan);
    }

    /** The fits above: each row its columns' codes, then its class (with a labels column) or its weight. */
    private static EmResult<ProductMixtureModel> fitColumns(
            ProductMixture config, org.apache.spark.sql.Dataset<Row> data, List<String> columns, String labelColumn,
            List<String> classNames, String weightsColumn,
            java.util.function.Function<ProductMixture, io.emkit.em.DistributedFit<ProductMixtureModel, ?>> plan) {
        if (labelColumn != null && columns.contains(labelColumn)) {
            throw new EmkitException("the labels column '" + labelColumn + "' is not a model column");
        }
        if (columns.isEmpty()) {
            throw new EmkitException("choose at least one column to fit");
        }
        List<ColumnFamily> families = config.familiesFor(columns.size());
        List<String> known = List.of(data.columns());
        int d = columns.size();
        Column[] cols = new Column[d];
        List<List<String>> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            String c = columns.get(j);
            if (!known.contains(c)) {
                throw new EmkitException("no column '" + c + "' in the data (columns: " + String.join(", ", known) + ")");
            }
            boolean text = checkType(c, data.schema().apply(c).dataType(), families.get(j));
            if (families.get(j) == ColumnFamily.CATEGORICAL) {
                cols[j] = text ? functions.col(c) : functions.col(c).cast("double");
                List<Row> distinct = data.select(cols[j]).distinct().limit(MAX_CATEGORIES + 1).collectAsList();
                if (distinct.size() > MAX_CATEGORIES) {
                    throw new EmkitException("column '" + c + "' has more than " + MAX_CATEGORIES + " categories");
                }
                if (text) {
                    TreeSet<String> sorted = new TreeSet<>();
                    distinct.stream().filter(r -> !isMissing(r.get(0))).forEach(r -> sorted.add(r.getString(0)));
                    names.add(List.copyOf(sorted));
                } else {
                    double[] numbers = distinct.stream().filter(r -> !isMissing(r.get(0))).mapToDouble(r -> r.getDouble(0))
                            .sorted().toArray();
                    names.add(Arrays.stream(numbers).mapToObj(SparkProductMixture::name).toList());
                }
            } else {
                cols[j] = functions.col(c).cast("double");
                names.add(null);
            }
        }
        int[] at = new int[d];
        Arrays.setAll(at, j -> j);
        // A missing cell is NaN: the kernel leaves it out of both steps, as the single-machine fit does.
        RowCodes codes = new RowCodes(families, names, columns, at, null);
        if (labelColumn == null && weightsColumn == null) {
            return SparkFit.fit(plan.apply(config.categoryNames(names)), data.select(cols), codes::row, columns,
                    config.options().seed());
        }
        if (weightsColumn != null) {
            String weights = weightsColumn;
            Column[] withWeights = Arrays.copyOf(cols, d + 1);
            withWeights[d] = functions.col("`" + weights.replace("`", "``") + "`").cast("double");
            return SparkFit.fit(plan.apply(config.categoryNames(names)), data.select(withWeights), r -> {
                // The weight first: a missing weight is named as one.
                double w = SparkFit.weight(r, d, weights);
                double[] out = Arrays.copyOf(codes.row(r), d + 1);
                out[d] = w;
                return out;
            }, columns, config.options().seed(), true);
        }
        SparkFit.select(data, List.of(labelColumn), functions::col);
        Column[] withLabels = Arrays.copyOf(cols, d + 1);
        withLabels[d] = functions.trim(functions.col(labelColumn).cast("string"));
        List<String> classes = List.copyOf(classNames);
        List<String> all = new ArrayList<>(columns);
        all.add(labelColumn);
        return SparkFit.fit(plan.apply(config.categoryNames(names)), data.select(withLabels), r -> {
            double[] x = codes.row(r);
            double[] out = Arrays.copyOf(x, d + 1);
            String cell = r.isNullAt(d) ? "" : r.getString(d);
            int g = cell.isEmpty() ? -1 : classes.indexOf(cell);
            out[d] = g < 0 ? Double.NaN : g;
            return out;
        }, all, config.options().seed());
    }

    /**
     * Whether a cell is missing, as the local engine reads a CSV file: null, a {@code NaN} number, or text that is
     * empty, {@code NA} or {@code NaN} in any case.
     */
    static boolean isMissing(Object v) {
        return v == null || v instanceof Double x && x.isNaN() || v instanceof String s && CsvLines.isMissing(s.trim());
    }

    /** A number as a category's name: whole numbers without a fraction. */
    private static String name(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Turns the chosen cells of a row into numbers: a categorical cell into its code (text as it is, a number
     * by its {@linkplain #name name}), every other value checked against its family. The one conversion
     * behind both the fit and {@link SparkModels#transform}.
     */
    static final class RowCodes implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final ColumnFamily[] families;
        /** Per column, category key to code; null for a column that is not categorical. */
        private final ArrayList<HashMap<String, Integer>> codes = new ArrayList<>();
        private final String[] columns;
        private final int[] at;
        private final String need;

        /**
         * @param families   each column's family
         * @param categories each categorical column's category names (code m the m-th), null for the others
         * @param columns    the columns' names, for messages
         * @param at         where each column is in the rows given to {@link #row}
         * @param need       why a cell may not be null, for the message; {@code null} when a missing cell (null,
         *                   {@code NaN}, or text that is empty, {@code NA} or {@code NaN}) is {@code NaN}
         */
        RowCodes(List<ColumnFamily> families, List<List<String>> categories, List<String> columns, int[] at,
                 String need) {
            this.families = families.toArray(new ColumnFamily[0]);
            for (List<String> names : categories) {
                HashMap<String, Integer> byKey = null;
                if (names != null) {
                    byKey = new HashMap<>();
                    for (int m = 0; m < names.size(); m++) {
                        byKey.putIfAbsent(names.get(m), m);
                    }
                }
                codes.add(byKey);
            }
            this.columns = columns.toArray(new String[0]);
            this.at = at.clone();
            this.need = need;
        }

        /**
         * The conversion a model needs: its categories, its families, the columns found in {@code schema}.
         *
         * @throws EmkitException if a column is missing, neither numeric nor text, or text where the family
         *                        is not categorical
         */
        static RowCodes forModel(ProductMixtureModel model, StructType schema, List<String> columns, String need) {
            List<String> known = List.of(schema.fieldNames());
            int[] at = new int[columns.size()];
            List<List<String>> categories = new ArrayList<>();
            for (int j = 0; j < at.length; j++) {
                String c = columns.get(j);
                if (!known.contains(c)) {
                    throw new EmkitException("no column '" + c + "' in the data (columns: " + String.join(", ", known)
                            + ")");
                }
                at[j] = schema.fieldIndex(c);
                checkType(c, schema.apply(c).dataType(), model.families().get(j));
                categories.add(model.families().get(j) == ColumnFamily.CATEGORICAL ? model.categories(j) : null);
            }
            return new RowCodes(model.families(), categories, columns, at, need);
        }

        /** @return the cells of {@code r} as numbers, in the columns' order */
        double[] row(Row r) {
            double[] out = new double[families.length];
            for (int j = 0; j < out.length; j++) {
                Object v = r.get(at[j]);
                if (isMissing(v)) {
                    if (need != null) {
                        throw new EmkitException("column '" + columns[j] + "': missing (null) value; " + need);
                    }
                    out[j] = Double.NaN;
                    continue;
                }
                HashMap<String, Integer> byKey = codes.get(j);
                if (byKey != null) {
                    String key = v instanceof String text ? text : name(((Number) v).doubleValue());
                    Integer code = byKey.get(key);
                    if (code == null) {
                        throw new EmkitException("column '" + columns[j] + "': category '" + key
                                + "' is unknown to the model (it has " + byKey.size() + " categories)");
                    }
                    out[j] = code;
                } else {
                    double x = ((Number) v).doubleValue();
                    String bad = families[j].violation(x);
                    if (bad != null) {
                        throw new EmkitException("column '" + columns[j] + "': " + bad);
                    }
                    out[j] = x;
                }
            }
            return out;
        }
    }

    /** Checks a column's type suits its family: numeric, or text for a categorical column. */
    private static boolean checkType(String c, DataType type, ColumnFamily family) {
        boolean text = type.equals(DataTypes.StringType);
        if (!text && !(type instanceof NumericType)) {
            throw new EmkitException("column '" + c + "' is neither numeric nor text (" + type.simpleString() + ")");
        }
        if (text && family != ColumnFamily.CATEGORICAL) {
            throw new EmkitException("column '" + c + "' holds text; a " + family.label()
                    + " column must be numeric (text columns can be categorical)");
        }
        return text;
    }
}
