package io.emkit.spark;

import io.emkit.data.HeaderMode;
import io.emkit.data.InvalidDataException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SparkData#read} of CSV files against Spark's own schema inference, the reference: where the forms of every
 * column's cells make the inferred type certain, the rows are read with that schema and no inference pass; the
 * columns' types and every value are then those Spark's inference reads, and where a form is not certain Spark infers
 * the types itself.
 */
class SparkDataTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The rows as Spark's inference reads them, after the same header and naming as {@link SparkData#read}. */
    private static org.apache.spark.sql.Dataset<Row> inferred(Path file, boolean header) {
        org.apache.spark.sql.Dataset<Row> df = spark.read().option("header", header).option("inferSchema", true)
                .option("nullValue", "NA").csv(file.toString());
        if (!header) {
            String[] names = new String[df.columns().length];
            for (int j = 0; j < names.length; j++) {
                names[j] = "x" + (j + 1);
            }
            df = df.toDF(names);
        }
        return df;
    }

    private static List<String> types(org.apache.spark.sql.Dataset<Row> df) {
        List<String> out = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            out.add(f.name() + ":" + f.dataType().simpleString());
        }
        return out;
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** How many Spark jobs reading {@code file} takes, and the schema and rows it reads. */
    private static int jobsToRead(Path file, HeaderMode header, List<String> schema, List<Row> rows) {
        int[] jobs = new int[1];
        org.apache.spark.sql.Dataset<Row> df = LocalSpark.countingJobs(spark,
                () -> SparkData.read(spark, file.toString(), header), jobs);
        schema.addAll(types(df));
        rows.addAll(df.collectAsList());
        return jobs[0];
    }

    @Test
    void columnsOfNumbersAndMissingCellsGetSparksTypesWithoutItsInferencePass() throws IOException {
        // Integers within an int, one beyond (a long), decimals with and without a leading digit, signs, NaN, the
        // missing cells Spark knows (empty, NA), integers and decimals mixed both ways, and a column missing throughout.
        Path file = write("numbers.csv", """
                id,big,x,y,mixed,later,empty
                1,5,0.5,-1.25,3,-.5,NA
                2,3000000000,+1.5,NaN,4.75,2,
                -3,,NA,7.0,,8,NA
                4,-12,2.000,-0.001,6,9,
                """);
        List<String> schema = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        int withoutInference = jobsToRead(file, HeaderMode.AUTO, schema, rows);
        org.apache.spark.sql.Dataset<Row> reference = inferred(file, true);
        assertThat(schema).isEqualTo(types(reference))
                .containsExactly("id:int", "big:bigint", "x:double", "y:double", "mixed:double", "later:double",
                        "empty:string");
        assertThat(rows).isEqualTo(reference.collectAsList());

        // A column of dates beside the numbers: Spark infers the schema, a job more.
        Path text = write("dates.csv", """
                id,when,x
                1,2024-01-05,0.5
                2,2024-02-11,1.5
                """);
        List<String> textSchema = new ArrayList<>();
        List<Row> textRows = new ArrayList<>();
        int withInference = jobsToRead(text, HeaderMode.AUTO, textSchema, textRows);
        org.apache.spark.sql.Dataset<Row> textReference = inferred(text, true);
        assertThat(textSchema).isEqualTo(types(textReference));
        assertThat(textRows).isEqualTo(textReference.collectAsList());
        assertThat(withoutInference).isLessThan(withInference);
    }

    @Test
    void formsWhoseTypeIsNotCertainAreLeftToSparksInference() throws IOException {
        // A column per form, two rows: forms the reading decides (an int, longs, either side of an int's range,
        // decimals, NaN, missing cells) and forms it leaves to Spark — an exponent, a trailing point (a decimal to
        // Spark), integers beyond a long (decimals; of 20 digits and of 19), spaces (a double), quotes, Spark's
        // infinities, booleans, a date.
        String[][] forms = {{"7", "-8"}, {"3000000000", "1"}, {"2147483648", "-2147483648"}, {"-.5", "2"},
                {"NaN", "NA"}, {"", "NA"}, {"1e5", "2"}, {"1.", "3."}, {"12345678901234567890", "1"},
                {"9999999999999999999", "1"}, {" 5", "6 "}, {"\"6\"", "7"},
                {"Inf", "-Inf"}, {"true", "false"}, {"2024-01-05", "2024-02-11"}};
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < forms.length; j++) {
                text.append(j == 0 ? "" : ",").append(forms[j][r]);
            }
            text.append('\n');
        }
        Path file = write("forms.csv", text.toString());
        org.apache.spark.sql.Dataset<Row> reference = inferred(file, false);
        StructField[] sparks = reference.schema().fields();
        List<Integer> decided = new ArrayList<>();
        for (int j = 0; j < forms.length; j++) {
            CsvLines.Kind kind = CsvLines.kindOf(forms[j][0]).compareTo(CsvLines.kindOf(forms[j][1])) >= 0
                    ? CsvLines.kindOf(forms[j][0]) : CsvLines.kindOf(forms[j][1]);
            if (kind.sparkType() != null) {
                decided.add(j);
                assertThat(kind.sparkType()).as("'%s'", forms[j][0]).isEqualTo(sparks[j].dataType());
            }
        }
        assertThat(decided).containsExactly(0, 1, 2, 3, 4, 5);
        // The file as a whole: Spark's inference, its types and values.
        List<String> schema = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        jobsToRead(file, HeaderMode.ABSENT, schema, rows);
        assertThat(schema).isEqualTo(types(reference));
        assertThat(rows).isEqualTo(reference.collectAsList());
        // Header names Spark makes its own (a repeated one, whatever its case; an empty one; NA): named as Spark's
        // inference names them.
        for (String header : List.of("a,A,b", "a,,b", "a,NA,b")) {
            Path named = write("named.csv", header + "\n1,2,3\n5,6,7\n");
            org.apache.spark.sql.Dataset<Row> read = SparkData.read(spark, named.toString(), HeaderMode.PRESENT);
            org.apache.spark.sql.Dataset<Row> asInferred = inferred(named, true);
            assertThat(types(read)).as(header).isEqualTo(types(asInferred));
            assertThat(read.collectAsList()).as(header).isEqualTo(asInferred.collectAsList());
        }
        // Blank lines before the header: Spark's header is the first line that is not blank, and so is emkit's.
        Path blankFirst = write("blank-first.csv", "\n  \na,b\n1,2.5\n3,4\n");
        org.apache.spark.sql.Dataset<Row> afterBlanks = SparkData.read(spark, blankFirst.toString(), HeaderMode.AUTO);
        org.apache.spark.sql.Dataset<Row> afterBlanksInferred = inferred(blankFirst, true);
        assertThat(types(afterBlanks)).isEqualTo(types(afterBlanksInferred)).containsExactly("a:int", "b:double");
        assertThat(afterBlanks.collectAsList()).isEqualTo(afterBlanksInferred.collectAsList()).hasSize(2);
        // Lower-case nan: text to Spark's inference, missing to the local engine, which reads the column as numbers.
        Path nan = write("nan.csv", "1,1.5\n2,nan\n");
        org.apache.spark.sql.Dataset<Row> read = SparkData.read(spark, nan.toString(), HeaderMode.ABSENT);
        assertThat(types(inferred(nan, false))).containsExactly("x1:int", "x2:string");
        assertThat(types(read)).containsExactly("x1:int", "x2:double");
        List<Row> nanRows = read.collectAsList();
        assertThat(nanRows.get(0).getDouble(1)).isEqualTo(1.5);
        assertThat(nanRows.get(1).getDouble(1)).isNaN();
    }

    @Test
    void theFirstProblemIsNamedByFileLineAndColumnWhicheverKindComesFirst() throws IOException {
        // Text in a column of numbers on line 4 comes before a ragged line 5; a column of text is not checked.
        assertRefused("text.csv", "a,b,name\n1,2,x\n3,4,y\n5,oops,z\n6,7\n",
                ": line 4, column 2 ('b'): 'oops' is not a number");
        assertRefused("ragged.csv", "a,b,name\n1,2,x\n3,4\n5,oops,z\n",
                ": line 3: 2 fields, expected 3 (as in line 1)");
        // After blank lines, the lines are still the file's, and a ragged line is measured against the header's.
        assertRefused("late.csv", "\n  \na,b\n1,2\nx,3\n", ": line 5, column 1 ('a'): 'x' is not a number");
        assertRefused("late-ragged.csv", "\n  \na,b\n1,2\n3\n", ": line 5: 1 field, expected 2 (as in line 3)");
        // Two columns with text on the same line: the first column is named.
        assertRefused("both.csv", "a,b\n1,2\nx,y\n", ": line 3, column 1 ('a'): 'x' is not a number");
    }

    /** {@code text} written as {@code name} is refused by Spark's reading with the file's name and {@code message}. */
    private void assertRefused(String name, String text, String message) throws IOException {
        Path file = write(name, text);
        assertThatThrownBy(() -> SparkData.read(spark, file.toString(), HeaderMode.AUTO))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(file + message);
    }
}
