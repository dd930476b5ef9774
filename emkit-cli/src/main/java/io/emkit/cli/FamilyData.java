package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.InvalidDataException;
import io.emkit.data.TextTable;
import io.emkit.families.ColumnFamily;
import io.emkit.mixture.MixtureModel;
import io.emkit.families.ProductMixtureModel;
import io.emkit.families.ValueOutOfSupportException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Data for mixtures of independent columns ({@link ProductMixtureModel}): text columns read as categories, and
 * support errors turned into messages naming the file's line.
 */
public final class FamilyData {
    private FamilyData() {
    }

    /** The columns of a table chosen for a fit, their families, category names and the data. */
    public record Selection(TextTable table, int[] fileColumns, List<ColumnFamily> families, List<List<String>> categories,
                     Dataset data) {
    }

    /** The columns a family fit uses, in order, and their families. */
    public record Choice(List<Integer> columns, List<ColumnFamily> families) {
    }

    /**
     * Chooses the columns and their families for {@code emkit fit --family}, from a table's schema: by
     * {@code --columns} when given, else every numeric column and every column whose family takes text.
     *
     * @param file        the data, for messages
     * @param names       the table's columns
     * @param isNumeric   whether a column (from 0) is numeric
     * @param columnIndex a column by name or number from 1, or an error naming the file
     * @param weightsIndex the --weights-column (from 0; not a model column), or -1
     * @param specs       the --family values: at most one bare family (the default for every column,
     *                    {@code auto} when none) and any number of {@code COL=FAMILY}
     * @param options     the data options (--columns)
     * @param notes       where the notes on columns left out go
     * @return the columns and their families
     */
    public static Choice choose(String file, List<String> names, java.util.function.IntPredicate isNumeric,
                         java.util.function.ToIntFunction<String> columnIndex, int weightsIndex, DataOptions options,
                         List<String> specs, java.util.function.Consumer<String> notes) {
        return choose(file, names, isNumeric, columnIndex, weightsIndex, -1, options, specs, notes);
    }

    /**
     * As {@link #choose(String, List, java.util.function.IntPredicate, java.util.function.ToIntFunction, int,
     * DataOptions, List, java.util.function.Consumer)}, with a --labels-column, which is never a model column.
     *
     * @param file         the data, for messages
     * @param names        the table's columns
     * @param isNumeric    whether a column (from 0) is numeric
     * @param columnIndex  a column by name or number from 1, or an error naming the file
     * @param weightsIndex the --weights-column (from 0; not a model column), or -1
     * @param labelsIndex  the --labels-column (from 0; not a model column), or -1
     * @param options      the data options (--columns)
     * @param specs        the --family values
     * @param notes        where the notes on columns left out go
     * @return the columns and their families
     */
    public static Choice choose(String file, List<String> names, java.util.function.IntPredicate isNumeric,
                         java.util.function.ToIntFunction<String> columnIndex, int weightsIndex, int labelsIndex,
                         DataOptions options, List<String> specs, java.util.function.Consumer<String> notes) {
        String fallback = "auto";
        java.util.Map<Integer, String> perColumn = new java.util.LinkedHashMap<>();
        boolean defaultGiven = false;
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq < 0) {
                if (defaultGiven) {
                    throw new EmkitException("--family: two families for every column ('" + fallback + "' and '"
                            + spec + "'); give one, and COL=FAMILY for the exceptions");
                }
                fallback = checkFamily(spec);
                defaultGiven = true;
            } else {
                perColumn.put(columnIndex.applyAsInt(spec.substring(0, eq).trim()), checkFamily(spec.substring(eq + 1)));
            }
        }
        List<Integer> chosen = new ArrayList<>();
        if (options.columnsGiven()) {
            for (String c : options.columns) {
                int j = columnIndex.applyAsInt(c.trim());
                if (chosen.contains(j)) {
                    throw InvalidDataException.atColumn(file, j + 1, names.get(j), "selected twice");
                }
                if (j == weightsIndex) {
                    throw InvalidDataException.atColumn(file, j + 1, names.get(j),
                            "is the --weights-column; it cannot also be a model column (leave it out of --columns)");
                }
                if (j == labelsIndex) {
                    throw new EmkitException("--labels-column '" + names.get(j) + "' is also in --columns; the labels"
                            + " are not a model column: leave it out of --columns");
                }
                chosen.add(j);
            }
        } else {
            for (int j = 0; j < names.size(); j++) {
                if (j == weightsIndex || j == labelsIndex) {
                    continue;
                }
                String f = perColumn.getOrDefault(j, fallback);
                if (isNumeric.test(j) || f.equals("auto") || f.equals("categorical") || perColumn.containsKey(j)) {
                    chosen.add(j);
                } else {
                    notes.accept("note: ignoring non-numeric column '" + names.get(j)
                            + "' (choose columns with --columns, or --family " + names.get(j) + "=categorical)");
                }
            }
        }
        for (int j : perColumn.keySet()) {
            if (j == labelsIndex) {
                throw new EmkitException("--family names the --labels-column '" + names.get(j) + "'; the labels are"
                        + " not a model column");
            }
            if (!chosen.contains(j)) {
                throw new EmkitException("--family names column '" + names.get(j)
                        + "', which is not among the columns fitted");
            }
        }
        if (chosen.isEmpty()) {
            throw InvalidDataException.ofFile(file, "no columns to fit");
        }
        List<ColumnFamily> families = new ArrayList<>();
        for (int j : chosen) {
            String f = perColumn.getOrDefault(j, fallback);
            families.add(f.equals("auto") ? (isNumeric.test(j) ? ColumnFamily.GAUSSIAN : ColumnFamily.CATEGORICAL)
                    : ColumnFamily.parse(f));
        }
        return new Choice(chosen, families);
    }

    /**
     * Chooses columns and families for {@code emkit fit --family}.
     *
     * @param weightsColumn the --weights-column (not a model column), or {@code null}
     * @param specs the --family values: at most one bare family (the default for every column, {@code auto}
     *              when none) and any number of {@code COL=FAMILY}
     * @param file    the data file
     * @param options how to read it
     * @param notes   where the notes on columns left out go
     * @return the data, the columns and their families
     */
    public static Selection select(Path file, DataOptions options, String weightsColumn, List<String> specs,
                            java.util.function.Consumer<String> notes) {
        return select(file, options, weightsColumn, null, specs, notes);
    }

    /**
     * Chooses columns and families for {@code emkit fit --family ... --labels-column COL}: the labels column is
     * never a model column (its cells are read from the selection's table).
     *
     * @param file          the data file
     * @param options       how to read it
     * @param weightsColumn the --weights-column (not a model column), or {@code null}
     * @param labelsColumn  the --labels-column, or {@code null}
     * @param specs         the --family values
     * @param notes         where the notes on columns left out go
     * @return the data, the columns and their families
     */
    public static Selection select(Path file, DataOptions options, String weightsColumn, String labelsColumn,
                                   List<String> specs, java.util.function.Consumer<String> notes) {
        TextTable table = TextTable.read(file, options.textOptions());
        int weightsIndex = weightsColumn == null ? -1 : table.columnIndex(weightsColumn.trim());
        int labelsIndex = labelsColumn == null ? -1 : table.columnIndex(labelsColumn.trim());
        if (labelsIndex >= 0 && labelsIndex == weightsIndex) {
            throw new EmkitException("--labels-column '" + table.columnNames().get(labelsIndex) + "' is also the"
                    + " --weights-column");
        }
        Choice choice = choose(file.toString(), table.columnNames(), table::isNumeric, table::columnIndex, weightsIndex,
                labelsIndex, options, specs, notes);
        List<Integer> chosen = choice.columns();
        int d = chosen.size();
        int n = table.rows();
        double[] x = new double[n * d];
        List<ColumnFamily> families = new ArrayList<>(d);
        List<List<String>> categories = new ArrayList<>(d);
        List<String> names = new ArrayList<>(d);
        int[] fileColumns = new int[d];
        for (int k = 0; k < d; k++) {
            int j = chosen.get(k);
            fileColumns[k] = j;
            names.add(table.columnNames().get(j));
            ColumnFamily family = choice.families().get(k);
            families.add(family);
            double[] v;
            if (family == ColumnFamily.CATEGORICAL) {
                List<String> cats = table.categories(j);
                if (table.isNumeric(j)) {
                    cats = new ArrayList<>(cats);
                    cats.sort(Comparator.comparingDouble(Double::parseDouble));
                    cats = dedupeNumeric(cats);
                    v = numericCodes(table.numbers(j), cats);
                } else {
                    v = table.codes(j, cats);
                }
                categories.add(cats);
            } else {
                v = table.numbers(j);
                categories.add(null);
            }
            for (int i = 0; i < n; i++) {
                x[i * d + k] = v[i];
            }
        }
        Dataset data = Dataset.wrap(x, n, d, names);
        if (weightsIndex >= 0) {
            double[] w = table.numbers(weightsIndex);
            WeightsColumn.check(file.toString(), w, table::lineOf, weightsIndex + 1,
                    table.columnNames().get(weightsIndex));
            data = data.withWeights(w);
        }
        return new Selection(table, fileColumns, families, categories, data);
    }

    /** Numeric category names that are the same number ("1" and "1.0") become one category, the first spelling. */
    private static List<String> dedupeNumeric(List<String> sorted) {
        List<String> out = new ArrayList<>();
        for (String s : sorted) {
            if (out.isEmpty() || Double.parseDouble(out.get(out.size() - 1)) != Double.parseDouble(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static double[] numericCodes(double[] values, List<String> cats) {
        double[] keys = new double[cats.size()];
        for (int m = 0; m < keys.length; m++) {
            keys[m] = Double.parseDouble(cats.get(m));
        }
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isNaN(values[i]) ? Double.NaN : java.util.Arrays.binarySearch(keys, values[i]);
        }
        return out;
    }

    private static String checkFamily(String name) {
        String f = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!f.equals("auto")) {
            ColumnFamily.parse(f);
        }
        return f;
    }

    /**
     * Turns a support error of the library into one naming the file, line and column.
     *
     * @param e           the library's error
     * @param file        the data file
     * @param table       the file as read
     * @param fileColumns the file's column of each model column
     * @return the located error
     */
    public static EmkitException located(ValueOutOfSupportException e, Path file, TextTable table, int[] fileColumns) {
        int j = fileColumns[e.column()];
        return InvalidDataException.atCell(file.toString(), table.lineOf(e.row()), j + 1,
                table.columnNames().get(j), e.detail());
    }

    /**
     * The rows of a data file for a fitted mixture of independent columns: its features by name when the file
     * names them (else the file's columns in order, or --columns), categorical columns mapped through the
     * model's category names, every value checked against its column's family.
     */
    static Dataset forModel(Path file, DataOptions options, ProductMixtureModel model) {
        TextTable table = TextTable.read(file, options.textOptions());
        int d = model.dimension();
        int[] fileColumns = new int[d];
        if (options.columnsGiven()) {
            if (options.columns.size() != d) {
                throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": --columns names " + options.columns.size() + " columns, the model has "
                        + d + " features (" + EmkitException.list(model.featureNames()) + ")");
            }
            for (int k = 0; k < d; k++) {
                fileColumns[k] = table.columnIndex(options.columns.get(k).trim());
            }
        } else if (table.hasHeader() && table.columnNames().containsAll(model.featureNames())) {
            for (int k = 0; k < d; k++) {
                fileColumns[k] = table.columnNames().indexOf(model.featureNames().get(k));
            }
        } else if (table.columnNames().size() == d) {
            for (int k = 0; k < d; k++) {
                fileColumns[k] = k;
            }
        } else {
            throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": the model has " + d + " features (" + EmkitException.list(model.featureNames())
                    + ") but the file has " + table.columnNames().size() + " columns (" + EmkitException.list(table.columnNames())
                    + "); choose them with --columns");
        }
        int n = table.rows();
        double[] x = new double[n * d];
        for (int k = 0; k < d; k++) {
            int j = fileColumns[k];
            double[] v;
            if (model.families().get(k) == ColumnFamily.CATEGORICAL) {
                List<String> cats = model.categories(k);
                v = table.isNumeric(j) && allNumeric(cats) ? numericCodesOrFail(table, j, cats, file) : table.codes(j, cats);
            } else {
                v = table.numbers(j);
            }
            for (int i = 0; i < n; i++) {
                x[i * d + k] = v[i];
            }
        }
        Dataset data = Dataset.wrap(x, n, d, model.featureNames());
        try {
            model.checkSupport(data);
        } catch (ValueOutOfSupportException e) {
            throw located(e, file, table, fileColumns);
        }
        return data;
    }

    private static boolean allNumeric(List<String> cats) {
        for (String c : cats) {
            try {
                Double.parseDouble(c);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static double[] numericCodesOrFail(TextTable table, int j, List<String> cats, Path file) {
        double[] values = table.numbers(j);
        double[] codes = numericCodes(values, cats);
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0) {
                throw InvalidDataException.atCell(file.toString(), table.lineOf(i), j + 1, table.columnNames().get(j),
                        "category '" + values[i] + "' is not one of the model's: " + String.join(", ", cats));
            }
        }
        return codes;
    }

    /**
     * @param model  the model sampled
     * @param column the cell's column
     * @param value  the value drawn
     * @return the cell as CSV text: category names for categorical columns, whole numbers for counts
     */
    public static String cell(MixtureModel model, int column, double value) {
        if (model instanceof ProductMixtureModel p) {
            switch (p.families().get(column)) {
                case CATEGORICAL:
                    return Format.csvHeader(List.of(p.categories(column).get((int) value)));
                case POISSON:
                case BERNOULLI:
                    return Long.toString((long) value);
                default:
                    break;
            }
        }
        return Double.toString(value);
    }
}
