package io.emkit.spark;

import io.emkit.EmkitException;
import io.emkit.data.HeaderMode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a data set for the Spark fits from a path Spark can read (a local file, {@code hdfs://},
 * {@code s3a://}, ...): Parquet when the path ends in {@code .parquet} (a file or a directory of part
 * files), CSV otherwise.
 *
 * <p>CSV files are read as emkit reads them on one machine: comma-separated; a header line detected when
 * the first line holds a cell that is not a number ({@link HeaderMode#AUTO}); without a header the columns
 * are named {@code x1, x2, ...}; empty cells, {@code NA} and {@code NaN} (any case) are missing (null or
 * {@code NaN}). One pass over the lines checks every line as the local engine does — a line with more or fewer
 * fields than the first, or text in a column whose first value is a number, is an {@link
 * io.emkit.data.InvalidDataException} naming the file and line — and finds each column's type as Spark's inference
 * would where the forms of its cells make it certain (numbers, missing cells); where they do not (text, dates,
 * quoted or spaced numbers), Spark infers the types, a pass of its own.
 */
public final class SparkData {
    private SparkData() {
    }

    /**
     * Reads the data at {@code path}.
     *
     * @param spark  the session
     * @param path   a CSV file or directory, or a Parquet file or directory (ending in {@code .parquet})
     * @param header for CSV: whether the first line names the columns
     * @return the rows
     * @throws EmkitException if the path cannot be read
     */
    public static org.apache.spark.sql.Dataset<Row> read(SparkSession spark, String path, HeaderMode header) {
        try {
            if (isParquet(path)) {
                return spark.read().parquet(path);
            }
            List<String> head = head(spark, path);
            boolean hasHeader = hasHeader(header, head);
            // The columns' names as Spark makes them: from a plain first line, its cells (a header's) or _c0, _c1, ...;
            // otherwise as Spark reads them (a job over the first line).
            List<String> names = plainNames(head.get(0), hasHeader);
            boolean sparkNamed = names == null;
            if (sparkNamed) {
                names = List.of(spark.read().option("header", hasHeader).option("nullValue", "NA").csv(path).columns());
            }
            CsvLines.Reading lines = CsvLines.read(spark, path, names.size(), hasHeader);
            org.apache.spark.sql.types.DataType[] types = lines.types();
            // Spark warns where a header's cells are not the schema's names: a name it made itself (for an empty or
            // repeated cell) leaves the types to its inference.
            List<String> headerCells = hasHeader && sparkNamed ? CsvLines.cells(head.get(0)) : null;
            org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
            for (int j = 0; j < names.size() && schema != null; j++) {
                boolean asInHeader = headerCells == null
                        || j < headerCells.size() && headerCells.get(j).equals(names.get(j));
                schema = types[j] == null || !asInHeader ? null : schema.add(names.get(j), types[j], true);
            }
            // Where every cell's inferred type is certain, the schema Spark's inference would give, without its pass
            // over the data; otherwise its inference.
            org.apache.spark.sql.DataFrameReader reader = spark.read().option("header", hasHeader).option("nullValue", "NA");
            org.apache.spark.sql.Dataset<Row> df = schema != null ? reader.schema(schema).csv(path)
                    : reader.option("inferSchema", true).csv(path);
            if (!hasHeader) {
                String[] numbered = new String[df.columns().length];
                for (int j = 0; j < numbered.length; j++) {
                    numbered[j] = "x" + (j + 1);
                }
                df = df.toDF(numbered);
            }
            boolean[] numbers = numberColumns(df, head, hasHeader);
            lines.check(numbers, List.of(df.columns()));
            // A column of numbers with a missing cell Spark's inference does not know ("nan", "NaN " ...) was
            // inferred as text; the check found only numbers and missing cells in it: numbers, as read locally.
            for (int j = 0; j < numbers.length; j++) {
                if (numbers[j]) {
                    String c = df.columns()[j];
                    df = df.withColumn(c, org.apache.spark.sql.functions.col("`" + c.replace("`", "``") + "`").cast("double"));
                }
            }
            return df;
        } catch (EmkitException e) {
            throw e;
        } catch (Exception e) {
            // Spark reports a missing path with an AnalysisException (checked in Java's eyes, undeclared).
            // The innermost cause says what is wrong ("... is not a Parquet file"), Spark's wrappers only where.
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause().getMessage() != null) {
                cause = cause.getCause();
            }
            throw new EmkitException(path + ": cannot read: " + firstLine(cause.getMessage()));
        }
    }

    /** The first two lines of a CSV path that are not blank (Spark's CSV reader skips those); refuses an empty one. */
    private static List<String> head(SparkSession spark, String path) {
        List<String> head = spark.read().textFile(path)
                .filter((org.apache.spark.api.java.function.FilterFunction<String>) line -> !CsvLines.blank(line))
                .limit(2).collectAsList();
        if (head.isEmpty()) {
            throw new EmkitException(path + ": the file is empty");
        }
        return head;
    }

    /**
     * The names Spark gives the columns of a CSV whose first line that is not blank is {@code first}, where that line
     * is plain — printable ASCII, no quotes nor backslashes, so that its cells are Spark's — and Spark would keep every
     * header cell as it is: not where a cell is empty, {@code NA} or repeated (Spark names those {@code _cJ} or adds
     * the column's index).
     *
     * @return the names, or null where Spark must read them
     */
    private static List<String> plainNames(String first, boolean hasHeader) {
        for (int i = 0; i < first.length(); i++) {
            char c = first.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return null;
            }
        }
        List<String> cells = CsvLines.cells(first);
        if (!hasHeader) {
            List<String> names = new ArrayList<>();
            for (int j = 0; j < cells.size(); j++) {
                names.add("_c" + j);
            }
            return names;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String cell : cells) {
            if (cell.isEmpty() || cell.equals("NA") || !seen.add(cell.toLowerCase(Locale.ROOT))) {
                return null;
            }
        }
        return cells;
    }

    private static boolean hasHeader(HeaderMode header, List<String> head) {
        return switch (header) {
            case PRESENT -> true;
            case ABSENT -> false;
            case AUTO -> isHeader(head.get(0));
        };
    }

    /**
     * The data at {@code path} as text, for carrying columns to an output unchanged ({@code emkit predict --keep}):
     * a CSV path's every column as a string, each cell as the file has it (quotes removed, spaces kept; an empty cell
     * null), row for row and partition for partition as {@link #read} reads the same path, so that {@link #beside}
     * can put the two side by side. A Parquet path's rows as {@link #read} reads them (its cells are typed values,
     * not text).
     *
     * @param spark  the session
     * @param path   the path {@link #read} read
     * @param header as given to {@link #read}
     * @param names  the columns' names, as {@link #read} named them
     * @return the rows
     * @throws EmkitException if the path cannot be read
     */
    public static org.apache.spark.sql.Dataset<Row> readText(SparkSession spark, String path, HeaderMode header,
                                                             List<String> names) {
        if (isParquet(path)) {
            return read(spark, path, header);
        }
        try {
            org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
            for (String name : names) {
                schema = schema.add(name, org.apache.spark.sql.types.DataTypes.StringType, true);
            }
            // Quotes doubled inside a quoted cell, as the local reader and Spark's CSV writer (escape '"') take them.
            return spark.read().schema(schema).option("header", hasHeader(header, head(spark, path)))
                    .option("escape", "\"").csv(path);
        } catch (EmkitException e) {
            throw e;
        } catch (Exception e) {
            throw new EmkitException(path + ": cannot read: " + firstLine(e.getMessage()));
        }
    }

    /**
     * Columns of {@code text} beside the rows of {@code rows}, read from the same path ({@link #readText}): row i of
     * the result is row i of {@code rows} followed by row i of {@code text}, in the partitions of {@code rows}.
     * Neither may have been filtered, shuffled or repartitioned since it was read.
     *
     * @param rows  the rows, as read (columns selected or cast since, if any)
     * @param text  the same rows as text, as read (columns selected since, if any)
     * @param names the names of {@code text}'s columns in the result (none the name of one of {@code rows}'s)
     * @return the rows with {@code text}'s columns after their own
     */
    public static org.apache.spark.sql.Dataset<Row> beside(org.apache.spark.sql.Dataset<Row> rows,
                                                           org.apache.spark.sql.Dataset<Row> text, List<String> names) {
        org.apache.spark.sql.types.StructType schema = rows.schema();
        org.apache.spark.sql.types.StructField[] added = text.schema().fields();
        for (int j = 0; j < added.length; j++) {
            schema = schema.add(names.get(j), added[j].dataType(), true);
        }
        // Both come from one scan plan of the same files, so their partitions hold the same rows; zip refuses
        // (an error, never a silent shift) partitions of different sizes.
        org.apache.spark.api.java.JavaRDD<Row> zipped = rows.javaRDD().zip(text.javaRDD()).map(pair -> {
            Row a = pair._1();
            Row b = pair._2();
            Object[] fields = new Object[a.size() + b.size()];
            for (int f = 0; f < a.size(); f++) {
                fields[f] = a.get(f);
            }
            for (int f = 0; f < b.size(); f++) {
                fields[a.size() + f] = b.get(f);
            }
            return org.apache.spark.sql.RowFactory.create(fields);
        });
        return rows.sparkSession().createDataFrame(zipped, schema);
    }

    /**
     * Writes {@code data} where Spark writes: a new directory of Parquet files when {@code path} ends in
     * {@code .parquet}, else a new directory of CSV part files, each with a header line (doubles written as Java
     * writes them, so the text is the local {@code emkit predict}'s). The part files, in name order, hold the rows in
     * order.
     *
     * @param data the rows
     * @param path a path Spark can write that does not exist yet
     * @throws EmkitException if the path exists or cannot be written, or a row cannot be computed (an executor's
     *                        {@code EmkitException}, as itself)
     */
    public static void write(org.apache.spark.sql.Dataset<Row> data, String path) {
        try {
            if (isParquet(path)) {
                data.write().parquet(path);
            } else {
                // Text cells as they were read (spaces kept), quotes doubled inside quoted cells as the local
                // output writes them; numbers are unaffected.
                data.write().option("header", true).option("escape", "\"")
                        .option("ignoreLeadingWhiteSpace", false).option("ignoreTrailingWhiteSpace", false).csv(path);
            }
        } catch (EmkitException e) {
            throw e;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof EmkitException emkit) {
                    throw emkit;
                }
            }
            String message = firstLine(e.getMessage());
            if (message.contains(EmkitException.class.getName())) {
                throw SparkFit.unwrap(e);
            }
            // Spark's own messages begin with an error class in brackets: "[PATH_ALREADY_EXISTS] Path ... already exists. ..."
            throw new EmkitException(path + ": cannot write: " + message.replaceFirst("^\\[[A-Z_]+\\] ", ""));
        }
    }

    /**
     * The numeric columns of {@code data}, in order: what a fit uses when no columns are chosen.
     *
     * @param data the rows
     * @return the names of its numeric columns
     */
    public static List<String> numericColumns(org.apache.spark.sql.Dataset<Row> data) {
        List<String> out = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            if (f.dataType() instanceof NumericType) {
                out.add(f.name());
            }
        }
        return out;
    }

    private static boolean isParquet(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.endsWith(".parquet");
    }

    /**
     * The columns whose cells must be numbers or missing, as the local engine reads them, where Spark's reader would
     * let text through ({@link CsvLines}): a column Spark infers as text whose first value is a number.
     */
    private static boolean[] numberColumns(org.apache.spark.sql.Dataset<Row> df, List<String> head, boolean hasHeader) {
        StructField[] fields = df.schema().fields();
        List<String> firstValues = hasHeader && head.size() < 2 ? List.of()
                : CsvLines.cells(head.get(hasHeader ? 1 : 0));
        boolean[] numbers = new boolean[fields.length];
        for (int j = 0; j < fields.length && j < firstValues.size(); j++) {
            String first = firstValues.get(j).trim();
            numbers[j] = fields[j].dataType() instanceof StringType && CsvLines.isNumber(first);
        }
        return numbers;
    }

    private static boolean isHeader(String firstLine) {
        for (String cell : firstLine.split(",", -1)) {
            String t = cell.trim();
            if (!t.isEmpty() && !t.equals("NA") && !CsvLines.isNumber(t)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
