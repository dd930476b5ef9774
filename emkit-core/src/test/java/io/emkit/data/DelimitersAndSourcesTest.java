package io.emkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files in the shapes people have them (semicolons, tabs, bars, gzip, standard input) read the same values as
 * the plain comma-separated file they were written from; a Parquet file is refused with a message.
 */
class DelimitersAndSourcesTest {
    @TempDir
    Path dir;

    /** A table with a text column, quoted cells and a missing value, as plain text with a delimiter. */
    private static String table(char d, int rows) {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder("id" + d + "\"first value\"" + d + "second" + d + "label\n");
        for (int i = 0; i < rows; i++) {
            String second = i == 3 ? "NA" : Double.toString(Math.round(random.nextGaussian() * 1e4) / 1e3);
            sb.append(i + 1).append(d).append(random.nextInt(1000) / 10.0).append(d).append(second).append(d)
                    .append(i % 2 == 0 ? "\"a" + d + "b\"" : "c").append('\n');
        }
        return sb.toString();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static void assertSameValues(CsvData actual, CsvData expected) {
        assertThat(actual.dataset().columnNames()).isEqualTo(expected.dataset().columnNames());
        assertThat(actual.dataset().rawValues()).isEqualTo(expected.dataset().rawValues());
        assertThat(actual.ignoredColumns()).isEqualTo(expected.ignoredColumns());
        assertThat(actual.missingCells()).isEqualTo(expected.missingCells());
        assertThat(actual.fileColumnNames()).isEqualTo(expected.fileColumnNames());
    }

    @Test
    void semicolonTabAndBarReadTheSameValuesAsCommas() throws IOException {
        CsvData plain = CsvDataReader.read(write("plain.csv", table(',', 40)), CsvOptions.defaults());
        assertThat(plain.dataset().columnNames()).containsExactly("id", "first value", "second");
        assertThat(plain.ignoredColumns()).containsExactly("label");
        for (char d : new char[] {';', '\t', '|'}) {
            Path file = write("other.csv", table(d, 40));
            assertSameValues(CsvDataReader.read(file, CsvOptions.defaults()), plain);
            assertSameValues(CsvDataReader.read(file, CsvOptions.defaults().withDelimiter(d)), plain);
            // The chunked reader resolves the delimiter as the sequential one does.
            CsvDataReaderTest.assertChunkedReadingAgrees(file, CsvOptions.defaults());
            assertSameValues(CsvDataReader.read(file, CsvOptions.defaults(), 64, 3), plain);
            assertTextTableAgrees(file, plain);
        }
    }

    /** The text reader finds the same columns and numbers in {@code file}. */
    private static void assertTextTableAgrees(Path file, CsvData plain) {
        TextTable table = TextTable.read(file, CsvOptions.defaults());
        assertThat(table.columnNames()).isEqualTo(plain.fileColumnNames());
        assertThat(table.isNumeric(3)).isFalse();
        double[] values = new double[plain.dataset().rows() * 3];
        for (int j = 0; j < 3; j++) {
            double[] column = table.numbers(j);
            for (int i = 0; i < column.length; i++) {
                values[i * 3 + j] = column[i];
            }
        }
        assertThat(values).isEqualTo(plain.dataset().rawValues());
    }

    @Test
    void aQuotedCellKeepsItsDelimiterInTheTextReader() throws IOException {
        TextTable table = TextTable.read(write("semi.csv", table(';', 5)), CsvOptions.defaults());
        assertThat(table.rawCell(0, 3)).isEqualTo("a;b");
        assertThat(table.rawCell(1, 3)).isEqualTo("c");
    }

    @Test
    void theCommaStaysWhenTheLinesLeaveItOpen() {
        // A single column, or no delimiter splitting every line alike: a comma.
        assertThat(CsvOptions.detectDelimiter("x\n1\n2\n")).isEqualTo(',');
        assertThat(CsvOptions.detectDelimiter("a;b\n1;2;3\n")).isEqualTo(',');
        // Commas split every line alike: a comma, even if semicolons do too.
        assertThat(CsvOptions.detectDelimiter("a,b;c\n1,2;3\n")).isEqualTo(',');
        // Two of the others fit: the lines do not tell, so a comma.
        assertThat(CsvOptions.detectDelimiter("a;b|c\n1;2|3\n")).isEqualTo(',');
        // Decimal commas under semicolons: the header has no comma, so semicolons.
        assertThat(CsvOptions.detectDelimiter("x;y\n1,5;2,5\n3,0;4,25\n")).isEqualTo(';');
        // Delimiters inside quotes do not count, nor blank lines.
        assertThat(CsvOptions.detectDelimiter("\"a,b\"\tc\n\n\"1,5\"\t2\n")).isEqualTo('\t');
        assertThat(CsvOptions.detectDelimiter("a|b\n1|2")).isEqualTo('|');
    }

    @Test
    void aGivenDelimiterIsUsedAsGiven() throws IOException {
        // Semicolons would be detected; a comma given reads one column of text.
        Path file = write("semi.csv", "x;y\n1;2\n3;4\n");
        assertThatThrownBy(() -> CsvDataReader.read(file, CsvOptions.defaults().withDelimiter(',')))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("no numeric columns");
        assertThat(CsvDataReader.read(file, CsvOptions.defaults()).dataset().columns()).isEqualTo(2);
        assertThat(CsvOptions.defaults().withDelimiter(';').withDetectedDelimiter()).isEqualTo(CsvOptions.defaults());
    }

    @Test
    void readersOfStreamsAndCharactersDetectToo() {
        String text = "x\ty\n1\t2\n3\t4\n";
        CsvData fromChars = CsvDataReader.read(new StringReader(text), "t.tsv", CsvOptions.defaults());
        CsvData fromBytes = CsvDataReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "t.tsv", CsvOptions.defaults());
        assertThat(fromChars.dataset().rawValues()).containsExactly(1, 2, 3, 4);
        assertThat(fromBytes.dataset().rawValues()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void gzipWithSemicolonsReadsTheSameValues() throws IOException {
        CsvData plain = CsvDataReader.read(write("plain.csv", table(',', 40)), CsvOptions.defaults());
        Path gz = dir.resolve("data.txt");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(table(';', 40).getBytes(StandardCharsets.UTF_8));
        }
        assertSameValues(CsvDataReader.read(gz, CsvOptions.defaults()), plain);
        assertSameValues(DataFiles.read(gz, CsvOptions.defaults()), plain);
    }

    @Test
    void aDashReadsStandardInputAsOftenAsAsked() throws IOException {
        CsvData plain = CsvDataReader.read(write("plain.csv", table(',', 40)), CsvOptions.defaults());
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(table('\t', 40).getBytes(StandardCharsets.UTF_8)));
            Path dash = Path.of("-");
            assertSameValues(DataFiles.read(dash, CsvOptions.defaults()), plain);
            // A second reading (a command that reads the data twice) gets the same copy.
            assertSameValues(CsvDataReader.read(dash, CsvOptions.defaults()), plain);
            assertThat(TextTable.read(dash, CsvOptions.defaults()).rows()).isEqualTo(40);
            // In chunks too, as a large input is read; its lines are not counted ahead (the rows are copied at
            // the end), whereas a file's are.
            StringBuilder numbers = new StringBuilder("x,y\n");
            for (int i = 0; i < 200; i++) {
                numbers.append(i).append(',').append(i * 0.25).append('\n');
            }
            CsvData fromFile = CsvDataReader.read(write("numbers.csv", numbers.toString()), CsvOptions.defaults(),
                    64, 3);
            assertThat(fromFile.readInPlace).isTrue();
            System.setIn(new ByteArrayInputStream(numbers.toString().getBytes(StandardCharsets.UTF_8)));
            CsvData chunked = CsvDataReader.read(dash, CsvOptions.defaults(), 64, 3);
            assertSameValues(chunked, fromFile);
            assertThat(chunked.readInPlace).isFalse();
            System.setIn(new ByteArrayInputStream("x\n1\nbad\n".getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> DataFiles.read(dash, CsvOptions.defaults()))
                    .hasMessage("standard input: line 3, column 1 ('x'): 'bad' is not a number");
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void aParquetFileIsRefusedWithAMessage() throws IOException {
        byte[] parquetLike = "PAR1\u0015\u0000\u0015\u001c...PAR1".getBytes(StandardCharsets.ISO_8859_1);
        Path byContent = Files.write(dir.resolve("data.bin"), parquetLike);
        Path byName = write("data.parquet", "x\n1\n");
        for (Path p : new Path[] {byContent, byName}) {
            assertThatThrownBy(() -> DataFiles.read(p, CsvOptions.defaults())).isInstanceOf(InvalidDataException.class)
                    .hasMessage(p + ": is a Parquet file, which the local engine does not read; use --engine spark"
                            + " (or save the data as CSV)");
            assertThatThrownBy(() -> TextTable.read(p, CsvOptions.defaults())).hasMessageContaining("--engine spark");
        }
    }

    @Test
    void aBigFileWithTabsIsReadInChunksAlike() throws IOException {
        // Over the 4 MB at which reading goes parallel.
        StringBuilder sb = new StringBuilder("a\tb\tc\n");
        Random random = new Random(3);
        while (sb.length() < 5_000_000) {
            sb.append(random.nextInt(100000) / 7.0).append('\t').append(random.nextGaussian()).append('\t')
                    .append(random.nextInt(9)).append('\n');
        }
        Path tabs = write("big.tsv", sb.toString());
        Path commas = write("big.csv", sb.toString().replace('\t', ','));
        CsvData expected = CsvDataReader.readSequentially(commas, CsvOptions.defaults());
        assertSameValues(CsvDataReader.read(tabs, CsvOptions.defaults(), ChunkedCsvReading.DEFAULT_CHUNK_BYTES, 2),
                expected);
        assertSameValues(CsvDataReader.read(tabs, CsvOptions.defaults()), expected);
    }

    @Test
    void aTableOfSomeColumnsHoldsOnlyTheirText() throws IOException {
        Path file = write("semi.csv", table(';', 6));
        assertThat(TextTable.columnNamesIn(file, CsvOptions.defaults()))
                .containsExactly("id", "first value", "second", "label");
        assertThat(TextTable.columnNamesIn(file, CsvOptions.defaults().withHeader(HeaderMode.ABSENT)))
                .containsExactly("x1", "x2", "x3", "x4");
        TextTable some = TextTable.read(file, CsvOptions.defaults(), j -> j == 0 || j == 3);
        TextTable all = TextTable.read(file, CsvOptions.defaults());
        assertThat(some.columnNames()).isEqualTo(all.columnNames());
        for (int i = 0; i < all.rows(); i++) {
            assertThat(some.rawCell(i, 0)).isEqualTo(all.rawCell(i, 0)).isEqualTo(Integer.toString(i + 1));
            assertThat(some.rawCell(i, 3)).isEqualTo(all.rawCell(i, 3));
            assertThat(some.rawCell(i, 1)).isNull();
            assertThat(some.lineOf(i)).isEqualTo(all.lineOf(i)).isEqualTo(i + 2);
        }
    }
}
