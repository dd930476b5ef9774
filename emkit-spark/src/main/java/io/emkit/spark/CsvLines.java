package io.emkit.spark;

import io.emkit.data.InvalidDataException;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CSV path line by line, in one Spark job, for two things. It checks for what the local engine refuses and
 * Spark's CSV reader lets through: a line with more or fewer fields than the first (Spark pads or drops them), and
 * text in a column whose first value is a number (Spark infers such a column as text). The first problem is reported
 * as the local engine reports it, with its line in its file: each split of a file counts its lines, and the driver
 * adds up the counts of the splits before it. And it finds the type Spark's schema inference would give each column
 * ({@link Kind}), where every cell of the column has a form whose inferred type is certain, so that the rows can be
 * read with that schema instead of Spark's inference, a pass of its own over the data.
 */
final class CsvLines {
    private CsvLines() {
    }

    /** The first problem a split found: its line within the split (from 0) and the message without file or line. */
    record Problem(long lineInSplit, int column, String detail) implements Serializable {
    }

    /**
     * What a split found: its file, where it starts, how many lines it holds, the index of its first line that is not
     * blank (or −1), its first line of the wrong number of fields (or null), and per column its first cell that is
     * neither a number nor missing (or null) and the {@link Kind} of its cells, the {@code ordinal()} of the widest.
     */
    record Split(String file, long start, long lines, long firstFilled, Problem ragged, Problem[] text, byte[] kinds)
            implements Serializable {
    }

    /**
     * What Spark's CSV schema inference (header aside, {@code nullValue} "NA") makes of a column from the forms of its
     * cells, widest last: a column is the widest kind of its cells. Only forms whose inferred type is certain are
     * named; any other cell (a quoted one, spaces around a number, an exponent, "Inf", text, an integer beyond a
     * long, which Spark makes a decimal) makes its column {@link #OTHER}, and the schema is then Spark's to infer.
     */
    enum Kind {
        /** Empty or "NA" only: Spark's null, a column of text. */
        MISSING,
        /** Digits, a sign allowed, within an {@code int}: an integer column. */
        INTEGER,
        /** Digits, a sign allowed, within a {@code long}: a long column. */
        LONG,
        /** Digits with a point and at least one digit after it, or "NaN": a double column. */
        DOUBLE,
        /** Any other form: the schema is left to Spark's inference. */
        OTHER;

        /** The Spark type of a column of this kind, or null for {@link #OTHER}. */
        org.apache.spark.sql.types.DataType sparkType() {
            return switch (this) {
                case MISSING -> org.apache.spark.sql.types.DataTypes.StringType;
                case INTEGER -> org.apache.spark.sql.types.DataTypes.IntegerType;
                case LONG -> org.apache.spark.sql.types.DataTypes.LongType;
                case DOUBLE -> org.apache.spark.sql.types.DataTypes.DoubleType;
                case OTHER -> null;
            };
        }
    }

    /**
     * What {@link #read} found: the columns' types as Spark would infer them, each null where Spark must infer it,
     * and the first problem given which columns hold numbers, found once the types are known.
     */
    static final class Reading {
        private final List<Split> splits;
        private final String path;
        private final Kind[] kinds;

        private Reading(String path, List<Split> splits, int fields) {
            this.path = path;
            this.splits = splits;
            this.kinds = new Kind[fields];
            java.util.Arrays.fill(kinds, Kind.MISSING);
            for (Split s : splits) {
                for (int j = 0; j < fields; j++) {
                    Kind k = Kind.values()[s.kinds()[j]];
                    if (k.compareTo(kinds[j]) > 0) {
                        kinds[j] = k;
                    }
                }
            }
        }

        /** @return per column the type Spark's inference would give it, or null where it must infer it */
        org.apache.spark.sql.types.DataType[] types() {
            org.apache.spark.sql.types.DataType[] out = new org.apache.spark.sql.types.DataType[kinds.length];
            for (int j = 0; j < kinds.length; j++) {
                out[j] = kinds[j].sparkType();
            }
            return out;
        }

        /**
         * Refuses the first ragged line, or text cell in a column of numbers.
         *
         * @param numbers for each column, whether its cells must be numbers or missing
         * @param names   the columns' names
         * @throws InvalidDataException naming the file, line (and column) of the first problem
         */
        void check(boolean[] numbers, List<String> names) {
            // Files in the order Spark lists them, each file's splits by position.
            List<String> files = new ArrayList<>();
            for (Split s : splits) {
                if (!files.contains(s.file())) {
                    files.add(s.file());
                }
            }
            for (String file : files) {
                List<Split> ofFile = new ArrayList<>(splits.stream().filter(s -> s.file().equals(file)).toList());
                ofFile.sort(Comparator.comparingLong(Split::start));
                long before = 0;
                for (Split s : ofFile) {
                    Problem problem = s.ragged();
                    for (int j = 0; j < numbers.length; j++) {
                        Problem text = s.text()[j];
                        if (numbers[j] && text != null && (problem == null || text.lineInSplit() < problem.lineInSplit())) {
                            problem = text;
                        }
                    }
                    if (problem != null) {
                        String shown = files.size() == 1 && !path.contains("*") ? path : file;
                        long line = before + problem.lineInSplit() + 1;
                        int j = problem.column();
                        throw j == 0 ? InvalidDataException.atLine(shown, line, problem.detail() + " (as in line "
                                + firstFilledLine(ofFile) + ")")
                                : InvalidDataException.atCell(shown, line, j, names.get(j - 1), problem.detail());
                    }
                    before += s.lines();
                }
            }
        }
    }

    /**
     * Reads every line of the CSV at {@code path} once: its problems and its columns' kinds, checked and used later
     * ({@link Reading}).
     *
     * @param spark     the session
     * @param path      the path as given (a file, a directory or a pattern)
     * @param fields    the number of fields of the first line
     * @param hasHeader whether each file's first line names the columns
     * @return what the lines hold
     */
    static Reading read(SparkSession spark, String path, int fields, boolean hasHeader) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaHadoopRDD<LongWritable, Text> text = (JavaHadoopRDD<LongWritable, Text>)
                sc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class);
        List<Split> splits = text.mapPartitionsWithInputSplit(
                (split, lines) -> List.of(readSplit(split, lines, fields, hasHeader)).iterator(), true)
                .collect();
        return new Reading(path, splits, fields);
    }

    private static Split readSplit(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines, int fields,
                                   boolean hasHeader) {
        FileSplit file = (FileSplit) split;
        long count = 0;
        Problem ragged = null;
        Problem[] text = new Problem[fields];
        byte[] kinds = new byte[fields];
        List<String> cells = new ArrayList<>(fields);
        long firstFilled = -1;
        while (lines.hasNext()) {
            String line = lines.next()._2().toString();
            boolean first = firstFilled < 0 && !blank(line);
            if (first) {
                firstFilled = count;
            }
            // The header is the file's first line that is not blank, as Spark takes it (blank lines before it skipped).
            boolean header = first && hasHeader && file.getStart() == 0;
            if (!header && !line.isBlank()) {
                cells.clear();
                split(line, cells);
                if (cells.size() != fields) {
                    if (ragged == null) {
                        ragged = raggedLine(count, cells.size(), fields);
                    }
                } else {
                    for (int j = 0; j < fields; j++) {
                        String cell = cells.get(j);
                        int kind = kindOf(cell).ordinal();
                        if (kind > kinds[j]) {
                            kinds[j] = (byte) kind;
                        }
                        if (text[j] == null && kind == Kind.OTHER.ordinal()) {
                            String trimmed = cell.trim();
                            if (!isMissing(trimmed) && !isNumber(trimmed)) {
                                text[j] = new Problem(count, j + 1, InvalidDataException.quote(trimmed) + " is not a number");
                            }
                        }
                    }
                }
            }
            count++;
        }
        return new Split(file.getPath().toString(), file.getStart(), count, firstFilled, ragged, text, kinds);
    }

    /** The line a ragged line is measured against: the number of the file's first line that is not blank. */
    private static long firstFilledLine(List<Split> ofFile) {
        long before = 0;
        for (Split s : ofFile) {
            if (s.firstFilled() >= 0) {
                return before + s.firstFilled() + 1;
            }
            before += s.lines();
        }
        return before;
    }

    /** Whether Spark's CSV reader skips the line as empty: nothing but spaces and control characters. */
    static boolean blank(String line) {
        return line.trim().isEmpty();
    }

    private static Problem raggedLine(long index, int found, int fields) {
        return new Problem(index, 0, found + (found == 1 ? " field" : " fields") + ", expected " + fields);
    }

    /**
     * The kind of one cell as Spark's CSV reader hands it to the inference (untrimmed, quotes included here):
     * only forms whose inferred type is certain, the others {@link Kind#OTHER}.
     */
    static Kind kindOf(String cell) {
        int n = cell.length();
        if (n == 0 || cell.equals("NA")) {
            return Kind.MISSING;
        }
        if (cell.equals("NaN")) {
            return Kind.DOUBLE;
        }
        int i = cell.charAt(0) == '-' || cell.charAt(0) == '+' ? 1 : 0;
        int digits = 0;
        while (i < n && cell.charAt(i) >= '0' && cell.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i == n) {
            if (digits == 0) {
                return Kind.OTHER;
            }
            // Digits alone: an int or a long as Integer.parseInt and Long.parseLong read them (Spark's toInt, toLong);
            // beyond a long, Spark makes a decimal. Up to 18 digits no long overflows (and no exception is thrown, a
            // cost in a column of them); 19 may; more, leading zeros aside, do (leading zeros are left to Spark).
            if (digits > 19) {
                return Kind.OTHER;
            }
            long value;
            try {
                value = Long.parseLong(cell);
            } catch (NumberFormatException beyond) {
                return Kind.OTHER;
            }
            return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? Kind.INTEGER : Kind.LONG;
        }
        if (cell.charAt(i) != '.') {
            return Kind.OTHER;
        }
        i++;
        int fraction = 0;
        while (i < n && cell.charAt(i) >= '0' && cell.charAt(i) <= '9') {
            i++;
            fraction++;
        }
        // A digit after the point: a decimal of positive scale, which Spark's inference never makes a decimal type.
        return i == n && fraction > 0 ? Kind.DOUBLE : Kind.OTHER;
    }

    /** The comma-separated cells of a line; a comma inside double quotes does not separate, quotes are kept. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        split(line, out);
        return out;
    }

    private static void split(String line, List<String> out) {
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(line.substring(from, i));
                from = i + 1;
            }
        }
        out.add(line.substring(from));
    }

    /** An empty cell, NA or NaN (any case): missing, as the local engine reads it. */
    static boolean isMissing(String cell) {
        String c = cell.toLowerCase(Locale.ROOT);
        return c.isEmpty() || c.equals("na") || c.equals("nan");
    }

    static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
