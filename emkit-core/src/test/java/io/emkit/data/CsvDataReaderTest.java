package io.emkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private CsvData read(String name, String content) throws IOException {
        return read(name, content, CsvOptions.defaults());
    }

    /** Reads a file, and checks on the way that reading it in chunks of any size agrees. */
    private CsvData read(String name, String content, CsvOptions options) throws IOException {
        Path file = write(name, content);
        assertChunkedReadingAgrees(file, options);
        return CsvDataReader.read(file, options);
    }

    /** Reads from a stream under a short name, for checking messages exactly. */
    private CsvData readNamed(String name, String content) throws IOException {
        assertChunkedReadingAgrees(write(name, content), CsvOptions.defaults());
        return CsvDataReader.read(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), name,
                CsvOptions.defaults());
    }

    /**
     * Reads a file in chunks of many sizes (every size from one byte, which cuts after every line feed,
     * up to 256 bytes on a small file, then sizes spread over the file from a
     * thousandth of it) on three threads, and checks that each reading
     * gives what reading it sequentially gives: the same values, names, line numbers and missing-value
     * report, or an error with the same message.
     */
    static void assertChunkedReadingAgrees(Path file, CsvOptions options) throws IOException {
        CsvData expected = null;
        InvalidDataException expectedError = null;
        try {
            expected = CsvDataReader.readSequentially(file, options);
        } catch (InvalidDataException e) {
            expectedError = e;
        }
        long size = Files.size(file);
        List<Integer> chunkSizes = new ArrayList<>();
        // Every size up to 256 bytes on small files; on large ones (thousands of rows) sizes spread over
        // the file, from a thousandth of it.
        int every = size <= 4096 ? 256 : (int) (size / 1000);
        for (int s = size <= 4096 ? 1 : every; s <= Math.min(size, every); s++) {
            chunkSizes.add(s);
        }
        for (int i = 1; size > every && i <= 32; i++) {
            chunkSizes.add((int) (every + (size - every) * i / 32));
        }
        for (int chunkBytes : chunkSizes) {
            String as = file.getFileName() + " in chunks of " + chunkBytes + " bytes";
            if (expectedError != null) {
                assertThatThrownBy(() -> CsvDataReader.read(file, options, chunkBytes, 3)).as(as)
                        .isInstanceOf(InvalidDataException.class).hasMessage(expectedError.getMessage());
                continue;
            }
            assertSameData(CsvDataReader.read(file, options, chunkBytes, 3), expected, as);
        }
    }

    /**
     * A later chunk of plain numbers is read straight from its bytes ({@link ChunkedCsvReading#parsePlain}):
     * every shape of short decimal, missing cells, blanks around a number, CRLF and empty lines are taken
     * there, and anything the general parser decides differently makes it give up; either way the file reads
     * as it reads sequentially.
     */
    @Test
    void plainChunksAreReadFromTheirBytesOrLeftToTheGeneralParser() throws IOException {
        String header = "a,b,c\n";
        String plain = "1,-2.5,3e2\r\n+0.5,.5,5.\n\n-0,1E-3,1e+22\n4,,6\n 7 ,8\t,9\n0.125,2e-22,1e0\n10,11,12";
        CsvDataReader.Handler head = CsvDataReader.Handler.firstChunk("plain.csv", CsvOptions.defaults());
        CsvDataReader.parseFirstChunk(new StringReader(header), "plain.csv", CsvOptions.defaults(), head);
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        CsvDataReader.Handler later = head.laterChunk(bytes.length);
        // Taken: as many line breaks as the general parser counts (the last line has none).
        assertThat(ChunkedCsvReading.parsePlain(bytes, bytes.length, ',', later)).isEqualTo(7);
        head.append(later, 1);
        Dataset read = head.finish().dataset();
        assertThat(read.rows()).isEqualTo(7);
        assertThat(read.rawValues()).startsWith(1, -2.5, 300, 0.5, 0.5, 5, -0.0, 1e-3, 1e22, 4, Double.NaN, 6, 7, 8, 9);
        assertChunkedReadingAgrees(write("plain.csv", header + plain), CsvOptions.defaults());

        // Left to the general parser: more digits than a long holds, a power of ten beyond the exact ones, a
        // word, a quote, a lone CR, a wrong number of fields, a blank first cell, a byte beyond ASCII.
        for (String line : List.of("12345678901234567890,1,2", "1e23,1,2", "1,NA,2", "1,inf,2", "\"1\",2,3",
                "1,2\r3,4", "1,2", "1,2,3,4", ",1,2", "1,2,\u00e9")) {
            byte[] lineBytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            assertThat(ChunkedCsvReading.parsePlain(lineBytes, lineBytes.length, ',',
                    head.laterChunk(lineBytes.length))).as(line)
                    .isEqualTo(-1);
            assertChunkedReadingAgrees(write("mixed.csv", header + "1,2,3\n" + line + "\n5,6,7\n"),
                    CsvOptions.defaults());
        }
    }

    static void assertSameData(CsvData actual, CsvData expected, String as) {
        Dataset a = actual.dataset();
        Dataset e = expected.dataset();
        assertThat(a.columnNames()).as(as).isEqualTo(e.columnNames());
        assertThat(a.rows()).as(as).isEqualTo(e.rows());
        // Bit for bit, NaN included.
        assertThat(java.util.Arrays.equals(a.rawValues(), e.rawValues())).as(as).isTrue();
        for (int r = 0; r < e.rows(); r++) {
            assertThat(actual.lineOf(r)).as(as + ", line of row %d", r).isEqualTo(expected.lineOf(r));
        }
        for (int c = 0; c < e.columns(); c++) {
            assertThat(actual.fileColumnOf(c)).as(as).isEqualTo(expected.fileColumnOf(c));
        }
        assertThat(actual.hasHeader()).as(as).isEqualTo(expected.hasHeader());
        assertThat(actual.missingCells()).as(as).isEqualTo(expected.missingCells());
        assertThat(actual.firstMissing()).as(as).isEqualTo(expected.firstMissing());
        assertThat(actual.ignoredColumns()).as(as).isEqualTo(expected.ignoredColumns());
        assertThat(actual.fileName()).as(as).isEqualTo(expected.fileName());
    }

    /**
     * Reads a file that must fail, and returns the exception as if the user had typed the short name:
     * the temporary directory in the real message is checked here, once.
     */
    private InvalidDataException failure(String name, String content, CsvOptions options) throws IOException {
        Path file = write(name, content);
        assertChunkedReadingAgrees(file, options);
        InvalidDataException e = catchThrowableOfType(InvalidDataException.class,
                () -> CsvDataReader.read(file, options));
        assertThat(e).as("reading %s should fail", name).isNotNull();
        assertThat(e.file()).isEqualTo(file.toString());
        InvalidDataException shortName = new InvalidDataException(name, e.line(), e.column(), e.columnName(),
                e.detail());
        assertThat(e.getMessage()).isEqualTo(file + shortName.getMessage().substring(name.length()));
        return shortName;
    }

    private InvalidDataException failure(String name, String content) throws IOException {
        return failure(name, content, CsvOptions.defaults());
    }

    @Nested
    class Header {
        @Test
        void detectedWhenFirstRecordHasText() throws IOException {
            CsvData data = read("faithful.csv", "eruptions,waiting\n3.6,79\n1.8,54\n");

            assertThat(data.hasHeader()).isTrue();
            assertThat(data.dataset().columnNames()).containsExactly("eruptions", "waiting");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{3.6, 79}, {1.8, 54}});
            assertThat(data.lineOf(0)).isEqualTo(2);
            assertThat(data.lineOf(1)).isEqualTo(3);
        }

        @Test
        void absentWhenFirstRecordIsNumbersAndMissingTokens() throws IOException {
            CsvData data = read("plain.csv", "1.5,NA, 7\n2.5,3,\n");

            assertThat(data.hasHeader()).isFalse();
            assertThat(data.dataset().columnNames()).containsExactly("x1", "x2", "x3");
            assertThat(data.dataset().rows()).isEqualTo(2);
            assertThat(data.dataset().get(0, 0)).isEqualTo(1.5);
            assertThat(data.dataset().get(0, 1)).isNaN();
            assertThat(data.dataset().get(0, 2)).isEqualTo(7.0);
            assertThat(data.lineOf(0)).isEqualTo(1);
        }

        @Test
        void forcedPresentTakesNumericFirstRecordAsNames() throws IOException {
            CsvData data = read("years.csv", "2019,2020\n1,2\n3,4\n",
                    CsvOptions.defaults().withHeader(HeaderMode.PRESENT));

            assertThat(data.hasHeader()).isTrue();
            assertThat(data.dataset().columnNames()).containsExactly("2019", "2020");
            assertThat(data.dataset().rows()).isEqualTo(2);
        }

        @Test
        void forcedAbsentReadsTextFirstRecordAsData() throws IOException {
            // The first value of column 1 is text, so the default selection drops it.
            CsvData data = read("abs.csv", "a,1\nb,2\n", CsvOptions.defaults().withHeader(HeaderMode.ABSENT));

            assertThat(data.hasHeader()).isFalse();
            assertThat(data.dataset().columnNames()).containsExactly("x2");
            assertThat(data.ignoredColumns()).containsExactly("x1");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{1}, {2}});
        }

        @Test
        void forcedAbsentWithExplicitColumnRejectsText() throws IOException {
            InvalidDataException e = failure("abs.csv", "a,1\nb,2\n",
                    CsvOptions.defaults().withHeader(HeaderMode.ABSENT).withColumns("1"));

            assertThat(e).hasMessage("abs.csv: line 1, column 1 ('x1'): 'a' is not a number");
        }

        @Test
        void blankHeaderCellGetsDefaultName() throws IOException {
            CsvData data = read("blank.csv", "a,,c\n1,2,3\n");

            assertThat(data.dataset().columnNames()).containsExactly("a", "x2", "c");
        }
    }

    @Nested
    class Selection {
        private static final String FILE = "a,b,c,d\n1,2,3,4\n5,6,7,8\n";

        @Test
        void byNameInGivenOrder() throws IOException {
            CsvData data = read("s.csv", FILE, CsvOptions.defaults().withColumns("c", "a"));

            assertThat(data.dataset().columnNames()).containsExactly("c", "a");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{3, 1}, {7, 5}});
            assertThat(data.fileColumnOf(0)).isEqualTo(3);
            assertThat(data.fileColumnOf(1)).isEqualTo(1);
            assertThat(data.ignoredColumns()).isEmpty();
        }

        @Test
        void byNumber() throws IOException {
            CsvData data = read("s.csv", FILE, CsvOptions.defaults().withColumns(List.of("4", "2")));

            assertThat(data.dataset().columnNames()).containsExactly("d", "b");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{4, 2}, {8, 6}});
        }

        @Test
        void byNumberWithoutHeaderNamesColumnsByFilePosition() throws IOException {
            CsvData data = read("s.csv", "1,2,3,4\n5,6,7,8\n", CsvOptions.defaults().withColumns("2", "4"));

            assertThat(data.dataset().columnNames()).containsExactly("x2", "x4");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{2, 4}, {6, 8}});
        }

        @Test
        void nameWinsOverNumber() throws IOException {
            // Column "1" is the third column; "2" is not a name, so it is column number 2.
            CsvData data = read("s.csv", "x,y,1\n10,20,30\n", CsvOptions.defaults().withColumns("1", "2"));

            assertThat(data.dataset().columnNames()).containsExactly("1", "y");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{30, 20}});
        }

        @Test
        void nonSelectedColumnsAreNeverParsed() throws IOException {
            CsvData data = read("s.csv", "a,b\n1,junk\n2,inf\n", CsvOptions.defaults().withColumns("a"));

            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{1}, {2}});
        }

        @Test
        void unknownNameListsColumns() throws IOException {
            InvalidDataException e = failure("data.csv", "eruptions,waiting\n1,2\n",
                    CsvOptions.defaults().withColumns("foo"));

            assertThat(e).hasMessage("data.csv: no column named 'foo'; the columns are: eruptions, waiting");
            assertThat(e.file()).isEqualTo("data.csv");
            assertThat(e.line()).isZero();
        }

        @Test
        void numberOutOfRangeListsColumns() throws IOException {
            InvalidDataException e = failure("data.csv", "eruptions,waiting\n1,2\n",
                    CsvOptions.defaults().withColumns("3"));

            assertThat(e).hasMessage("data.csv: no column 3; the file has 2 columns: eruptions, waiting");
        }

        @Test
        void numberZeroIsOutOfRange() throws IOException {
            InvalidDataException e = failure("data.csv", "1,2\n", CsvOptions.defaults().withColumns("0"));

            assertThat(e.getMessage()).startsWith("data.csv: no column 0;");
        }

        @Test
        void sameColumnTwiceIsAnError() throws IOException {
            InvalidDataException e = failure("data.csv", "a,b\n1,2\n", CsvOptions.defaults().withColumns("b", "2"));

            assertThat(e).hasMessage("data.csv: column 2 ('b'): selected twice");
        }
    }

    @Nested
    class DefaultSelection {
        private static final String IRIS = """
                sepal_length,sepal_width,petal_length,petal_width,species
                5.1,3.5,1.4,0.2,setosa
                4.9,3.0,1.4,0.2,setosa
                7.0,3.2,4.7,1.4,versicolor
                """;

        @Test
        void textColumnIsIgnored() throws IOException {
            CsvData data = read("iris.csv", IRIS);

            assertThat(data.dataset().columnNames())
                    .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
            assertThat(data.ignoredColumns()).containsExactly("species");
            assertThat(data.dataset().rows()).isEqualTo(3);
            assertThat(data.dataset().row(2)).containsExactly(7.0, 3.2, 4.7, 1.4);
            assertThat(data.fileColumnOf(3)).isEqualTo(4);
        }

        @Test
        void textColumnSelectedExplicitlyIsAnError() throws IOException {
            InvalidDataException e = failure("iris.csv", IRIS,
                    CsvOptions.defaults().withColumns("petal_width", "species"));

            assertThat(e).hasMessage("iris.csv: line 2, column 5 ('species'): 'setosa' is not a number");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.columnName()).isEqualTo("species");
        }

        @Test
        void textColumnInTheMiddleIsDroppedAndOthersKeepTheirOrder() throws IOException {
            CsvData data = read("mid.csv", "a,label,b\n1,x,2\n3,y,4\n");

            assertThat(data.dataset().columnNames()).containsExactly("a", "b");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
            assertThat(data.fileColumnOf(1)).isEqualTo(3);
        }

        @Test
        void firstNonMissingValueDecides() throws IOException {
            // Column b starts with missing values, then text: dropped; its missing cells do not count.
            CsvData data = read("late.csv", "a,b\n1,\n2,NA\n3,txt\n4,5\n");

            assertThat(data.ignoredColumns()).containsExactly("b");
            assertThat(data.dataset().columnNames()).containsExactly("a");
            assertThat(data.missingCells()).isZero();
            assertThat(data.firstMissing()).isNull();
        }

        @Test
        void laterTextInNumericColumnIsAnError() throws IOException {
            InvalidDataException e = failure("faithful.csv",
                    "eruptions,waiting\n3.6,79\n1.8,54\n3.3,abc\n");

            assertThat(e).hasMessage("faithful.csv: line 4, column 2 ('waiting'): 'abc' is not a number");
        }

        @Test
        void entirelyMissingColumnStaysSelected() throws IOException {
            CsvData data = read("empty-col.csv", "a,b\n1,\n2,NA\n");

            assertThat(data.dataset().columnNames()).containsExactly("a", "b");
            assertThat(data.missingCells()).isEqualTo(2);
            assertThat(data.dataset().get(1, 1)).isNaN();
        }

        @Test
        void onlyTextColumnsIsAnError() throws IOException {
            InvalidDataException e = failure("text.csv", "name,kind\nbob,cat\n");

            assertThat(e).hasMessage("text.csv: no numeric columns (ignored: name, kind)");
        }
    }

    @Nested
    class Missing {
        @Test
        void tokensAreCountedAndFirstOneFound() throws IOException {
            String csv = """
                    x,waiting
                    1,2
                    3, NA
                    nan,4
                    5,NaN
                    ,6
                    7,8
                    """;
            CsvData data = read("data.csv", csv);

            assertThat(data.missingCells()).isEqualTo(4);
            assertThat(data.firstMissing()).isEqualTo(new CsvData.MissingCell(3, 2, "waiting"));
            double[][] v = data.dataset().toArray();
            assertThat(v[1][1]).isNaN();
            assertThat(v[2][0]).isNaN();
            assertThat(v[3][1]).isNaN();
            assertThat(v[4][0]).isNaN();
            assertThat(v[5]).containsExactly(7.0, 8.0);
        }

        @Test
        void firstMissingPrefersEarlierLineOverEarlierColumn() throws IOException {
            CsvData data = read("data.csv", "a,b\n1,\n,2\n");

            assertThat(data.firstMissing()).isEqualTo(new CsvData.MissingCell(2, 2, "b"));
        }

        @Test
        void firstMissingIsInTheSameRowLeftmostColumn() throws IOException {
            CsvData data = read("data.csv", "a,b,c\n1,2,3\n4,,\n");

            assertThat(data.firstMissing()).isEqualTo(new CsvData.MissingCell(3, 2, "b"));
            assertThat(data.missingCells()).isEqualTo(2);
        }

        @Test
        void missingInUnselectedColumnsIsNotCounted() throws IOException {
            CsvData data = read("data.csv", "a,b\n1,\n2,\n", CsvOptions.defaults().withColumns("a"));

            assertThat(data.missingCells()).isZero();
            assertThat(data.firstMissing()).isNull();
            assertThatThrownBy(data::missingValueError).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void missingValueErrorPointsAtFirstMissingCell() throws IOException {
            CsvData data = readNamed("data.csv", "x,waiting\n1,2\n3,4\n5,6\n7,8\n9,10\n11,\n,\nNA,1\n");

            InvalidDataException e = data.missingValueError();

            assertThat(e).hasMessage("data.csv: line 7, column 2 ('waiting'): missing value "
                    + "(empty cell, NA or NaN); 4 cells are missing in all");
            assertThat(e.line()).isEqualTo(7);
            assertThat(e.column()).isEqualTo(2);
        }

        @Test
        void missingValueErrorSingular() throws IOException {
            CsvData data = read("data.csv", "1,2\n3,\n");

            assertThat(data.missingValueError()).hasMessageEndingWith("; 1 cell is missing in all");
            assertThat(data.missingValueError().columnName()).isEqualTo("x2");
        }

        @Test
        void emptyFirstFieldIsMissingNotBlankLine() throws IOException {
            CsvData data = read("data.csv", "a,b\n,1\n2,3\n");

            assertThat(data.dataset().rows()).isEqualTo(2);
            assertThat(data.dataset().get(0, 0)).isNaN();
            assertThat(data.firstMissing()).isEqualTo(new CsvData.MissingCell(2, 1, "a"));
        }

        @Test
        void quotedEmptyFieldInOneColumnFileIsMissing() throws IOException {
            CsvData data = read("one.csv", "v\n1\n\"\"\n2\n\n3\n");

            assertThat(data.dataset().rows()).isEqualTo(4);
            assertThat(data.dataset().get(1, 0)).isNaN();
            assertThat(data.lineOf(3)).isEqualTo(6);
        }
    }

    @Nested
    class Errors {
        @Test
        void notANumberNamesLineColumnAndName() throws IOException {
            InvalidDataException e = failure("faithful.csv", "eruptions,waiting\n" + "1,2\n".repeat(10) + "3.1,abc\n");

            assertThat(e).hasMessage("faithful.csv: line 12, column 2 ('waiting'): 'abc' is not a number");
            assertThat(e.file()).isEqualTo("faithful.csv");
            assertThat(e.line()).isEqualTo(12);
            assertThat(e.column()).isEqualTo(2);
            assertThat(e.columnName()).isEqualTo("waiting");
        }

        @Test
        void raggedRowWithMoreFields() throws IOException {
            InvalidDataException e = failure("data.csv", "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12,13\n");

            assertThat(e).hasMessage("data.csv: line 7: 3 fields, expected 2 (as in line 1)");
            assertThat(e.line()).isEqualTo(7);
            assertThat(e.column()).isZero();
        }

        @Test
        void raggedRowWithFewerFieldsNamesTheFirstRecordLine() throws IOException {
            InvalidDataException e = failure("data.csv", "\n\na,b,c\n1,2,3\n4,5\n");

            assertThat(e).hasMessage("data.csv: line 5: 2 fields, expected 3 (as in line 3)");
        }

        @Test
        void noSuchFile() {
            Path file = dir.resolve("nope.csv");

            assertThatThrownBy(() -> CsvDataReader.read(file, CsvOptions.defaults()))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessage(file + ": no such file");
        }

        @Test
        void directory() {
            assertThatThrownBy(() -> CsvDataReader.read(dir, CsvOptions.defaults()))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessage(dir + ": is a directory");
        }

        @Test
        void emptyFile() throws IOException {
            assertThat(failure("empty.csv", "")).hasMessage("empty.csv: the file is empty");
        }

        @Test
        void onlyBlankLines() throws IOException {
            assertThat(failure("blank.csv", "\n  \r\n\n")).hasMessage("blank.csv: the file is empty");
        }

        @Test
        void onlyHeader() throws IOException {
            assertThat(failure("head.csv", "a,b\n\n")).hasMessage("head.csv: no data rows (only a header)");
        }

        @Test
        void infinityTokens() throws IOException {
            for (String token : List.of("inf", "-Inf", "Infinity", "-Infinity", "+infinity", "1e400", "-2E999")) {
                InvalidDataException e = failure("data.csv", "x\n1\n2\n3\n" + token + "\n");

                assertThat(e).hasMessage("data.csv: line 5, column 1 ('x'): infinite value '" + token + "'");
            }
        }

        @Test
        void infiniteFirstValueIsAnErrorNotAnIgnoredColumn() throws IOException {
            InvalidDataException e = failure("data.csv", "a,b\n1,inf\n");

            assertThat(e).hasMessage("data.csv: line 2, column 2 ('b'): infinite value 'inf'");
        }

        @Test
        void javaOnlyNumberSyntaxIsNotANumber() throws IOException {
            for (String token : List.of("1.5f", "2d", "0x1p3", "-0X10", "1e", "1.2.3", "--1", ".", "-", "1,5")) {
                InvalidDataException e = failure("data.csv", "x;y\n1;2\n3;" + token + "\n",
                        CsvOptions.defaults().withDelimiter(';'));

                assertThat(e).as(token)
                        .hasMessage("data.csv: line 3, column 2 ('y'): '" + token + "' is not a number");
            }
        }

        @Test
        void longCellIsShortenedAndLineBreaksEscaped() throws IOException {
            String junk = "a".repeat(50);
            InvalidDataException e = failure("data.csv", "x,y\n1,2\n3,\"" + junk + "\nb\"\n");

            assertThat(e.getMessage()).isEqualTo("data.csv: line 3, column 2 ('y'): '" + "a".repeat(40)
                    + "...' is not a number; the quoted cell spans 2 lines: is a closing quote missing?");
            InvalidDataException e2 = failure("data.csv", "x,y\n1,2\n3,\"a\nb\"\n4,5\n");
            assertThat(e2).hasMessage("data.csv: line 3, column 2 ('y'): 'a\\nb' is not a number; "
                    + "the quoted cell spans 2 lines: is a closing quote missing?");
        }

        @Test
        void unclosedQuoteInIgnoredColumnIsNotSilent() throws IOException {
            // Without the check, the default selection would drop column b and return one row.
            InvalidDataException e = failure("data.csv", "a,b\n1,\"2\n3,4\n5,6\n");

            assertThat(e).hasMessage("data.csv: line 2, column 2 ('b'): the quoted cell spans the last 3 lines "
                    + "of the file: is a closing quote missing?");
        }

        @Test
        void unclosedQuoteInUnselectedColumnIsNotSilent() throws IOException {
            InvalidDataException e = failure("data.csv", "a,b\n1,2\n3,\"4\n5,6\n",
                    CsvOptions.defaults().withColumns("a"));

            assertThat(e).hasMessage("data.csv: line 3, column 2 ('b'): the quoted cell spans the last 2 lines "
                    + "of the file: is a closing quote missing?");
        }

        @Test
        void unclosedQuoteMakingARaggedRecordIsExplained() throws IOException {
            InvalidDataException e = failure("data.csv", "a,b,c\n1,\"2\n3,4,5\n");

            assertThat(e).hasMessage("data.csv: line 2: 2 fields, expected 3 (as in line 1); column 2 has a "
                    + "quoted cell that spans 2 lines: is a closing quote missing?");
        }

        @Test
        void closedMultiLineQuoteInIgnoredColumnIsFine() throws IOException {
            CsvData data = read("notes.csv", "v,note\n1,\"two\nlines\"\n2,short\n");

            assertThat(data.ignoredColumns()).containsExactly("note");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{1}, {2}});
            assertThat(data.lineOf(1)).isEqualTo(4);
        }

        @Test
        void streamWithoutNameHasNoFilePrefix() {
            assertThatThrownBy(() -> CsvDataReader.read(new StringReader("a\n1\nz\n"), null, CsvOptions.defaults()))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessage("line 3, column 1 ('a'): 'z' is not a number");
        }

        @Test
        void readerFailureIsWrapped() {
            java.io.Reader broken = new java.io.Reader() {
                @Override
                public int read(char[] cbuf, int off, int len) throws IOException {
                    throw new IOException("disk on fire");
                }

                @Override
                public void close() {
                }
            };

            assertThatThrownBy(() -> CsvDataReader.read(broken, "data.csv", CsvOptions.defaults()))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessage("data.csv: cannot read: disk on fire");
        }
    }

    @Nested
    class Values {
        @Test
        void parsedExactlyLikeDoubleParseDouble() throws IOException {
            List<String> texts = new ArrayList<>(List.of(
                    "0", "-0", "0.0", "1", "-1", "+1", "3.14159", "-2.5e-3", "6.02214076E23", "1e-300",
                    "4.9e-324", "1.7976931348623157e308", "0.1", "0.30000000000000004",
                    "123456789012345678901234567890", "3.141592653589793238462643383279502884197",
                    "2.2250738585072011e-308", "9007199254740993", ".5", "5.", "-.75e+2", "1E5", "  42  ",
                    "1e-400"));
            Random random = new Random(42);
            for (int i = 0; i < 200; i++) {
                double v = switch (i % 4) {
                    case 0 -> random.nextGaussian();
                    case 1 -> Double.longBitsToDouble(random.nextLong()) % 1e300;
                    case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                    default -> Math.round(random.nextGaussian() * 1e6) / 1e3;
                };
                if (Double.isFinite(v)) {
                    texts.add(Double.toString(v));
                }
            }
            StringBuilder csv = new StringBuilder("value\n");
            for (String t : texts) {
                csv.append(t).append('\n');
            }

            CsvData data = read("values.csv", csv.toString());

            assertThat(data.dataset().rows()).isEqualTo(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                double expected = Double.parseDouble(texts.get(i));
                assertThat(Double.doubleToRawLongBits(data.dataset().get(i, 0)))
                        .as(texts.get(i))
                        .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }

        @Test
        void randomDecimalTextParsedExactly() throws IOException {
            // Digit counts and exponents straddle the limits of the short-decimal shortcut
            // (18 digits, 2^53, 10^22), so both it and the general parser are exercised.
            Random random = new Random(7);
            List<String> texts = new ArrayList<>(List.of("9007199254740992", "9007199254740993", "1e22", "1e23",
                    "123456789012345678", "1234567890123456789", "-0.0", "000123.4500", "4.5e-22", "4.5E-23",
                    "0e999", "0.0e-400", "1e0005", "17976931348623157e292"));
            for (int i = 0; i < 50_000; i++) {
                StringBuilder t = new StringBuilder();
                if (random.nextInt(3) == 0) {
                    t.append(random.nextBoolean() ? '-' : '+');
                }
                int digits = 1 + random.nextInt(random.nextBoolean() ? 8 : 21);
                int point = random.nextInt(digits + 2) - 1;
                for (int d = 0; d < digits; d++) {
                    if (d == point) {
                        t.append('.');
                    }
                    t.append((char) ('0' + random.nextInt(10)));
                }
                if (random.nextInt(4) == 0) {
                    t.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(60) - 30);
                }
                texts.add(t.toString());
            }
            StringBuilder csv = new StringBuilder();
            for (String t : texts) {
                csv.append(t).append('\n');
            }

            CsvData data = read("random.csv", csv.toString());

            assertThat(data.hasHeader()).isFalse();
            assertThat(data.dataset().rows()).isEqualTo(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                long expected = Double.doubleToRawLongBits(Double.parseDouble(texts.get(i)));
                long actual = Double.doubleToRawLongBits(data.dataset().get(i, 0));
                if (actual != expected) {
                    assertThat(data.dataset().get(i, 0)).as(texts.get(i)).isEqualTo(Double.parseDouble(texts.get(i)));
                    assertThat(actual).as("sign of zero in %s", texts.get(i)).isEqualTo(expected);
                }
            }
        }

        @Test
        void manyRowsAcrossStorageBlocks() throws IOException {
            int n = 200_000;
            StringBuilder csv = new StringBuilder("a,b,c\n");
            for (int i = 0; i < n; i++) {
                csv.append(i).append(",").append(-i * 0.5).append(",x").append('\n');
            }

            CsvData data = read("big.csv", csv.toString());

            assertThat(data.dataset().rows()).isEqualTo(n);
            assertThat(data.dataset().columnNames()).containsExactly("a", "b");
            for (int i : new int[] {0, 1023, 1024, 3071, 3072, 65_535, 65_536, 199_999}) {
                assertThat(data.dataset().row(i)).as("row %d", i).containsExactly(i, -i * 0.5);
                assertThat(data.lineOf(i)).isEqualTo(i + 2);
            }
        }

        @Test
        void manyRowsAllColumnsKept() throws IOException {
            int n = 5000;
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < n; i++) {
                csv.append(i).append(",").append(i + 0.25).append('\n');
            }

            CsvData data = read("big.csv", csv.toString());

            assertThat(data.dataset().rows()).isEqualTo(n);
            assertThat(data.dataset().row(n - 1)).containsExactly(n - 1, n - 0.75);
            assertThat(data.dataset().row(1500)).containsExactly(1500, 1500.25);
        }
    }

    @Nested
    class Format {
        @Test
        void crlfLineEnds() throws IOException {
            CsvData data = read("crlf.csv", "a,b\r\n1,2\r\n\r\n3,4\r\n");

            assertThat(data.dataset().columnNames()).containsExactly("a", "b");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
            assertThat(data.lineOf(1)).isEqualTo(4);
        }

        @Test
        void byteOrderMarkIsIgnored() throws IOException {
            CsvData data = read("bom.csv", "\uFEFFa,b\n1,2\n");

            assertThat(data.hasHeader()).isTrue();
            assertThat(data.dataset().columnNames()).containsExactly("a", "b");
        }

        @Test
        void byteOrderMarkBeforeQuotedHeaderAndFromStream() {
            byte[] bytes = "\uFEFF\"a\",b\n1,2\n".getBytes(StandardCharsets.UTF_8);

            CsvData data = CsvDataReader.read(new ByteArrayInputStream(bytes), "-", CsvOptions.defaults());

            assertThat(data.dataset().columnNames()).containsExactly("a", "b");
            assertThat(data.fileName()).isEqualTo("-");
        }

        @Test
        void byteOrderMarkBeforeHeaderlessNumbers() throws IOException {
            CsvData data = read("bom.csv", "\uFEFF1,2\n3,4\n");

            assertThat(data.hasHeader()).isFalse();
            assertThat(data.dataset().get(0, 0)).isEqualTo(1.0);
        }

        @Test
        void quotedFields() throws IOException {
            CsvData data = read("q.csv", "\"length, cm\",\"say \"\"hi\"\"\"\n\"1.5\",\" 2 \"\n3,4\n");

            assertThat(data.dataset().columnNames()).containsExactly("length, cm", "say \"hi\"");
            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{1.5, 2}, {3, 4}});
        }

        @Test
        void multiLineQuotedFieldCountsLines() throws IOException {
            CsvData data = read("q.csv", "\"a\nb\",c\n1,2\n3,4\n");

            assertThat(data.dataset().columnNames()).containsExactly("a\nb", "c");
            assertThat(data.lineOf(0)).isEqualTo(3);
            assertThat(data.lineOf(1)).isEqualTo(4);
        }

        @Test
        void blankLinesAreSkippedAndLinesStillCounted() throws IOException {
            CsvData data = read("gaps.csv", "\n\nx,y\n\n1,2\n   \n\n3,4\n\n");

            assertThat(data.dataset().rows()).isEqualTo(2);
            assertThat(data.lineOf(0)).isEqualTo(5);
            assertThat(data.lineOf(1)).isEqualTo(8);
            assertThat(data.missingCells()).isZero();
        }

        @Test
        void noTrailingNewline() throws IOException {
            CsvData data = read("nl.csv", "a,b\n1,2\n3,4");

            assertThat(data.dataset().rows()).isEqualTo(2);
            assertThat(data.dataset().row(1)).containsExactly(3.0, 4.0);
        }

        @Test
        void otherDelimiter() throws IOException {
            CsvData data = read("tab.tsv", "a\tb\n1\t 2\n", CsvOptions.defaults().withDelimiter('\t'));

            assertThat(data.dataset().toArray()).isDeepEqualTo(new double[][] {{1, 2}});
        }

        @Test
        void lineOfRejectsBadRow() throws IOException {
            CsvData data = read("a.csv", "1\n2\n");

            assertThat(data.lineOf(1)).isEqualTo(2);
            assertThatThrownBy(() -> data.lineOf(2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> data.lineOf(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Nested
    class Chunks {
        /** Reads in chunks without the sequential fallback: throws NotChunkable where the reader would fall back. */
        private CsvData chunkedOnly(String content, int chunkBytes) {
            return chunkedOnly(content, chunkBytes, -1);
        }

        /** The lines of a text, as a chunk of it counts them. */
        private long lines(String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            return ChunkedCsvReading.lines(bytes, bytes.length);
        }

        /** {@link #chunkedOnly(String, int)} told that the stream has {@code lines} lines (−1: not told). */
        private CsvData chunkedOnly(String content, int chunkBytes, long lines) {
            return ChunkedCsvReading.read(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                    dir.resolve("data.csv").toString(), CsvOptions.defaults(), chunkBytes, 3, () -> lines);
        }

        @Test
        void aPlainFileIsParsedStraightIntoTheDatasArray() throws IOException {
            for (String content : new String[] {"x,y,z\n" + rows(500, "%d,%s,%s\n"),
                    "x,y,z\r\n" + rows(300, "%d,%s,%s\r\n") + "7,8,9", rows(200, "%d,%s,%s\n")}) {
                Path file = write("data.csv", content);
                CsvData expected = CsvDataReader.readSequentially(file, CsvOptions.defaults());
                for (int chunkBytes : new int[] {1, 7, 64, 1000}) {
                    CsvData chunked = CsvDataReader.read(file, CsvOptions.defaults(), chunkBytes, 3);

                    assertSameData(chunked, expected, "chunks of " + chunkBytes);
                    assertThat(chunked.readInPlace).as("chunks of " + chunkBytes).isTrue();
                }
            }
        }

        @Test
        void rowsThatDoNotFillTheirLinesAreCopiedAsBefore() throws IOException {
            String plain = "x,y,z\n" + rows(400, "%d,%s,%s\n");
            long lines = lines(plain);
            CsvData expected = CsvDataReader.readSequentially(write("data.csv", plain), CsvOptions.defaults());
            String blanks = "x,y,z\n" + rows(200, "%d,%s,%s\n") + "\n\n" + rows(200, "%d,%s,%s\n");
            long blankLines = lines(blanks);
            CsvData withBlanks = CsvDataReader.readSequentially(write("data.csv", blanks), CsvOptions.defaults());
            String dropped = "x,y,label\n1,2,a\n" + rows(300, "%d,%s,k\n");
            CsvData withDropped = CsvDataReader.readSequentially(write("data.csv", dropped), CsvOptions.defaults());

            for (int chunkBytes : new int[] {1, 64, 1000}) {
                String as = "chunks of " + chunkBytes;
                assertThat(chunkedOnly(plain, chunkBytes, lines).readInPlace).as(as).isTrue();
                for (long told : new long[] {lines - 3, lines + 3, 0}) {
                    CsvData miscounted = chunkedOnly(plain, chunkBytes, told);
                    assertSameData(miscounted, expected, as + ", told " + told + " lines");
                    assertThat(miscounted.readInPlace).as(as).isFalse();
                }
                CsvData gaps = chunkedOnly(blanks, chunkBytes, blankLines);
                assertSameData(gaps, withBlanks, as + ", blank lines");
                assertThat(gaps.readInPlace).as(as).isFalse();
                CsvData narrower = chunkedOnly(dropped, chunkBytes, lines(dropped));
                assertSameData(narrower, withDropped, as + ", a dropped column");
                assertThat(narrower.readInPlace).as(as).isFalse();
            }
        }

        @Test
        void linesAreTheLineFeedsAndAnUnendedLastLine() throws IOException {
            java.util.Random random = new java.util.Random(7);
            for (int n = 0; n < 70; n++) {
                byte[] bytes = new byte[n];
                for (int i = 0; i < n; i++) {
                    // Line feeds among bytes next to them in value (0x09, 0x0B, 0x8A) and bytes of every value.
                    int pick = random.nextInt(6);
                    bytes[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x0B : pick == 2 ? 0x09 : pick == 3 ? 0x8A
                            : random.nextInt(256));
                }
                long feeds = 0;
                for (byte b : bytes) {
                    feeds += b == '\n' ? 1 : 0;
                }
                long expected = feeds + (n > 0 && bytes[n - 1] != '\n' ? 1 : 0);
                assertThat(ChunkedCsvReading.lines(bytes, n)).as(java.util.Arrays.toString(bytes)).isEqualTo(expected);
                Path file = dir.resolve("bytes" + n);
                Files.write(file, bytes);
                long fileLines = n >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b ? -1 : expected;
                assertThat(ChunkedCsvReading.lines(file)).isEqualTo(fileLines);
            }
            Path gz = dir.resolve("data.csv.gz");
            try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write("a\n1\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(ChunkedCsvReading.lines(gz)).isEqualTo(-1);
            assertThat(ChunkedCsvReading.lines(dir)).isEqualTo(-1);
        }

        private String rows(int n, String format) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(String.format(java.util.Locale.ROOT, format, i, i * 0.5 - 3, i % 7 == 0 ? "" : "1e-3"));
            }
            return sb.toString();
        }

        @Test
        void numericFileIsReallyReadInChunks() throws IOException {
            String content = "x,y,z\n" + rows(500, "%d,%s,%s\n");

            for (int chunkBytes : new int[] {1, 7, 64, 1000}) {
                CsvData chunked = chunkedOnly(content, chunkBytes);

                assertSameData(chunked, read("data.csv", content), "chunks of " + chunkBytes);
            }
            assertThat(read("data.csv", content).missingCells()).isEqualTo(72);
        }

        @Test
        void textColumnSeenInTheFirstChunkAndQuotedCellsAndCrlfDoNotStopChunks() throws IOException {
            // As R's write.csv writes: quoted header and row names, CRLF line ends.
            String content = "\"\",\"a\",\"b\",\"label\"\r\n" + rows(300, "\"%1$d\",%2$s,%3$s,\"k%1$d\"\r\n");

            CsvData chunked = chunkedOnly(content, 100);

            assertSameData(chunked, read("data.csv", content), "chunks of 100");
            assertThat(chunked.ignoredColumns()).containsExactly("label");
            assertThat(chunked.dataset().columnNames()).containsExactly("x1", "a", "b");
        }

        @Test
        void quotedCellSpanningLinesFallsBackToReadingFromTheStart() throws IOException {
            String content = "a,note\n1,x\n2,\"two\nlines\"\n3,y\n";

            assertThatThrownBy(() -> chunkedOnly(content, 1)).isInstanceOf(ChunkedCsvReading.NotChunkable.class);
            CsvData data = read("data.csv", content);
            assertThat(data.lineOf(2)).isEqualTo(5);
        }

        @Test
        void textAfterTheFirstChunkFallsBackToReadingFromTheStart() throws IOException {
            String content = "a,b\n1,\n2,\n3,text\n4,5\n";

            assertThatThrownBy(() -> chunkedOnly(content, 1)).isInstanceOf(ChunkedCsvReading.NotChunkable.class);
            assertThat(read("data.csv", content).ignoredColumns()).containsExactly("b");
        }

        @Test
        void loneCarriageReturnsCountAsLineEnds() throws IOException {
            CsvData data = read("cr.csv", "a,b\r1,2\n3,4\r\r5,6\n\n7,8");

            assertThat(data.dataset().rows()).isEqualTo(4);
            assertThat(data.lineOf(2)).isEqualTo(5);
            assertThat(data.lineOf(3)).isEqualTo(7);
        }

        @Test
        void chunkTextCountsLfCrlfAndLoneCrAndDecodesUtf8() throws IOException {
            String text = "a\nb\r\nc\rd\r\u00e9\n\u20ac\r\n\n";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            ChunkedCsvReading.ChunkText chunk = new ChunkedCsvReading.ChunkText(bytes, bytes.length);

            char[] buf = new char[3];
            StringBuilder read = new StringBuilder();
            for (int n; (n = chunk.read(buf, 0, buf.length)) > 0; ) {
                read.append(buf, 0, n);
            }

            assertThat(read.toString()).isEqualTo(text);
            assertThat(chunk.lineBreaks()).isEqualTo(7);
        }

        @Test
        void gzipIsKnownByItsMagicBytesNotItsName() throws IOException {
            String content = "x,y\n" + rows(2000, "%d,%s,%s\n").replace(",1e-3", "").replace(",\n", "\n");
            Path plain = write("plain.csv", content);
            Path packed = dir.resolve("packed.csv");
            try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(packed))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(Files.size(packed)).isLessThan(Files.size(plain));
            CsvData expected = CsvDataReader.read(plain, CsvOptions.defaults());

            CsvData fromFile = CsvDataReader.read(packed, CsvOptions.defaults());
            CsvData inChunks = CsvDataReader.read(packed, CsvOptions.defaults(), 512, 3);
            CsvData fromStream = CsvDataReader.read(Files.newInputStream(packed), plain.toString(),
                    CsvOptions.defaults());

            assertThat(expected.dataset().rows()).isEqualTo(2000);
            assertThat(fromFile.dataset().rawValues()).isEqualTo(expected.dataset().rawValues());
            assertThat(inChunks.dataset().rawValues()).isEqualTo(expected.dataset().rawValues());
            assertSameData(fromStream, expected, "gzip from a stream");
        }

        @Test
        void errorInGzipContentNamesTheLine() throws IOException {
            Path packed = dir.resolve("bad.csv.gz");
            try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(packed))) {
                out.write("a,b\n1,2\n3,x\n".getBytes(StandardCharsets.UTF_8));
            }

            assertThatThrownBy(() -> CsvDataReader.read(packed, CsvOptions.defaults(), 1, 3))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessage(packed + ": line 3, column 2 ('b'): 'x' is not a number");
        }
    }
}
