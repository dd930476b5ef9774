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
 * Checks a CSV path line by line, in one Spark job, for what the local engine refuses and Spark's CSV reader lets
 * through: a line with more or fewer fields than the first (Spark pads or drops them), and text in a column whose
 * first value is a number (Spark infers such a column as text). The first problem is reported as the local engine
 * reports it, with its line in its file: each split of a file counts its lines, and the driver adds up the counts
 * of the splits before it.
 */
final class CsvLines {
    private CsvLines() {
    }

    /** The first problem a split found: its line within the split (from 0) and the message without file or line. */
    record Problem(long lineInSplit, int column, String detail) implements Serializable {
    }

    /** What a split found: its file, where it starts, how many lines it holds, and its first problem or null. */
    record Split(String file, long start, long lines, Problem problem) implements Serializable {
    }

    /**
     * Refuses the first ragged line or text cell in a number column of the CSV at {@code path}.
     *
     * @param spark     the session
     * @param path      the path as given (a file, a directory or a pattern)
     * @param fields    the number of fields of the first line
     * @param numbers   for each column, whether its cells must be numbers or missing
     * @param names     the columns' names
     * @param hasHeader whether each file's first line names the columns
     * @throws InvalidDataException naming the file, line (and column) of the first problem
     */
    static void check(SparkSession spark, String path, int fields, boolean[] numbers, List<String> names,
                      boolean hasHeader) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaHadoopRDD<LongWritable, Text> text = (JavaHadoopRDD<LongWritable, Text>)
                sc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class);
        List<Split> splits = text.mapPartitionsWithInputSplit(
                (split, lines) -> List.of(checkSplit(split, lines, fields, numbers, hasHeader)).iterator(), true)
                .collect();
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
                if (s.problem() != null) {
                    String shown = files.size() == 1 && splits.size() > 0 && !path.contains("*") ? path : file;
                    long line = before + s.problem().lineInSplit() + 1;
                    int j = s.problem().column();
                    throw j == 0 ? InvalidDataException.atLine(shown, line, s.problem().detail())
                            : InvalidDataException.atCell(shown, line, j, names.get(j - 1), s.problem().detail());
                }
                before += s.lines();
            }
        }
    }

    private static Split checkSplit(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines, int fields,
                                    boolean[] numbers, boolean hasHeader) {
        FileSplit file = (FileSplit) split;
        long count = 0;
        Problem problem = null;
        while (lines.hasNext()) {
            String line = lines.next()._2().toString();
            boolean header = hasHeader && file.getStart() == 0 && count == 0;
            if (problem == null && !header && !line.isBlank()) {
                problem = problemIn(line, count, fields, numbers);
            }
            count++;
        }
        return new Split(file.getPath().toString(), file.getStart(), count, problem);
    }

    /** The problem in one line, or null. */
    static Problem problemIn(String line, long index, int fields, boolean[] numbers) {
        List<String> cells = cells(line);
        if (cells.size() != fields) {
            return new Problem(index, 0, cells.size() + (cells.size() == 1 ? " field" : " fields") + ", expected "
                    + fields + " (as in line 1)");
        }
        for (int j = 0; j < fields; j++) {
            String cell = cells.get(j).trim();
            if (numbers[j] && !isMissing(cell) && !isNumber(cell)) {
                return new Problem(index, j + 1, InvalidDataException.quote(cell) + " is not a number");
            }
        }
        return null;
    }

    /** The comma-separated cells of a line; a comma inside double quotes does not separate, quotes are kept. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
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
        return out;
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
