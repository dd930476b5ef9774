package io.emkit.data;

import io.emkit.EmkitException;
import io.emkit.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streaming conversion of CSV to {@code .emk} ({@link EmkFile#convert}) against the in-memory reader
 * ({@link CsvDataReader#read(Path, CsvOptions)}): the same values bit for bit, columns, missing-value
 * counts and errors; atomic writing; and a conversion in a child JVM whose heap is smaller than the data.
 */
class EmkConvertTest {
    /** More rows than a few streaming blocks (4096 rows each), so blocks are flushed and reused. */
    private static final int ROWS = 13_000;

    @TempDir
    Path dir;

    private Path convert(Path csv, CsvOptions options, String name) {
        Path out = dir.resolve(name);
        EmkConversion[] c = new EmkConversion[1];
        AtomicFiles.writeChannel(out, ch -> c[0] = EmkFile.convert(csv, options, ch));
        CsvData expected = CsvDataReader.read(csv, options);
        assertThat(c[0].rows()).isEqualTo(expected.dataset().rows());
        assertThat(c[0].columnNames()).isEqualTo(expected.dataset().columnNames());
        assertThat(c[0].missingCells()).isEqualTo(expected.missingCells());
        assertThat(c[0].firstMissing()).isEqualTo(expected.firstMissing());
        assertThat(c[0].ignoredColumns()).isEqualTo(expected.ignoredColumns());
        return out;
    }

    private static void assertSameData(Path emk, Path csv, CsvOptions options) {
        Dataset got = EmkFile.read(emk, CsvOptions.defaults()).dataset();
        Dataset want = CsvDataReader.read(csv, options).dataset();
        assertThat(got.columnNames()).isEqualTo(want.columnNames());
        assertThat(got.rows()).isEqualTo(want.rows());
        double[] g = got.rawValues();
        double[] w = want.rawValues();
        assertThat(g.length).isEqualTo(w.length);
        for (int i = 0; i < g.length; i++) {
            if (Double.doubleToRawLongBits(g[i]) != Double.doubleToRawLongBits(w[i])) {
                throw new AssertionError("value " + i + ": " + g[i] + " != " + w[i]);
            }
        }
    }

    /**
     * A file with a header, CRLF line ends, quoted cells, missing values, a label column (text from the
     * first row) and a column that is empty for its first 9000 rows and then holds text (ruled out only
     * after two blocks were written, so the file must be compacted).
     */
    private Path mixedCsv() throws IOException {
        SplittableRandom r = new SplittableRandom(8);
        StringBuilder s = new StringBuilder("a,label,\"b\",late,c\r\n");
        for (int i = 0; i < ROWS; i++) {
            String late = i < 9000 ? "" : "t" + i;
            String b = i % 97 == 5 ? "NA" : Double.toString(r.nextGaussian() * 1e3);
            String c = i % 5 == 0 ? "\"" + r.nextInt(100) + "\"" : String.format("%.6e", r.nextDouble());
            s.append(r.nextGaussian()).append(",L").append(i % 3).append(',').append(b).append(',').append(late)
                    .append(',').append(c).append("\r\n");
        }
        return Files.writeString(dir.resolve("mixed.csv"), s.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void defaultSelectionEqualsTheInMemoryReaderIncludingALateDroppedColumn() throws IOException {
        Path csv = mixedCsv();
        Path emk = convert(csv, CsvOptions.defaults(), "mixed.emk");
        assertSameData(emk, csv, CsvOptions.defaults());
        assertThat(EmkFile.read(emk, CsvOptions.defaults()).dataset().columnNames()).containsExactly("a", "b", "c");
        assertThat(Files.size(emk) % 8).isZero();
    }

    @Test
    void explicitSelectionAndNoHeaderEqualTheInMemoryReader() throws IOException {
        Path csv = mixedCsv();
        CsvOptions chosen = CsvOptions.defaults().withColumns("c", "1", "b");
        assertSameData(convert(csv, chosen, "chosen.emk"), csv, chosen);

        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            s.append(i * 0.25).append(',').append(-i).append('\n');
        }
        Path plain = Files.writeString(dir.resolve("plain.csv"), s.toString());
        assertSameData(convert(plain, CsvOptions.defaults(), "plain.emk"), plain, CsvOptions.defaults());
        CsvOptions none = CsvOptions.defaults().withHeader(HeaderMode.ABSENT);
        assertSameData(convert(plain, none, "none.emk"), plain, none);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ragged", "text", "infinite", "quote", "header-only", "empty"})
    void errorsAreTheInMemoryReadersAndLeaveTheTargetAlone(String kind) throws IOException {
        StringBuilder s = new StringBuilder("x,y\n");
        int bad = 9001;
        if (!kind.equals("header-only") && !kind.equals("empty")) {
            for (int i = 1; i < 10_000; i++) {
                String line = i + "," + (i % 13);
                if (i == bad) {
                    line = switch (kind) {
                        case "ragged" -> i + "," + i + ",3";
                        case "text" -> i + ",seven";
                        case "infinite" -> i + ",-Infinity";
                        default -> i + ",\"7";
                    };
                }
                s.append(line).append('\n');
            }
        }
        Path csv = Files.writeString(dir.resolve(kind + ".csv"), kind.equals("empty") ? "" : s.toString());
        Path target = Files.writeString(dir.resolve(kind + ".emk"), "the old content");
        String expected = null;
        try {
            CsvDataReader.read(csv, CsvOptions.defaults());
        } catch (InvalidDataException e) {
            expected = e.getMessage();
        }
        assertThat(expected).as("the in-memory reader refuses it").isNotNull();
        if (kind.equals("ragged")) {
            assertThat(expected).contains("line " + (bad + 1));
        } else if (kind.equals("text") || kind.equals("infinite")) {
            assertThat(expected).contains("line " + (bad + 1)).contains("column 2");
        }
        assertThatThrownBy(() -> AtomicFiles.writeChannel(target, ch -> EmkFile.convert(csv, CsvOptions.defaults(), ch)))
                .isInstanceOf(InvalidDataException.class).hasMessage(expected);
        assertThat(Files.readString(target)).isEqualTo("the old content");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp") || f.contains(AtomicFiles.TEMPORARY_MARK));
        }
    }

    @Test
    void aMissingInputIsNamedAndNothingIsWritten() {
        Path target = dir.resolve("never.emk");
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> AtomicFiles.writeChannel(target, ch -> EmkFile.convert(missing, CsvOptions.defaults(), ch)))
                .isInstanceOf(EmkitException.class).hasMessageContaining("nope.csv").hasMessageContaining("no such file");
        assertThat(target).doesNotExist();
    }

    /**
     * 700,000 rows of 4 columns are 22.4 MB of doubles; a child JVM with a 16 MB heap converts them (the
     * in-memory reader could not even hold the values), and the result equals the rows written.
     */
    @Test
    void aFileLargerThanTheHeapConvertsInAChildJvm() throws Exception {
        int n = 700_000;
        Path csv = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("a,b,c,d\n");
            for (int i = 0; i < n; i++) {
                w.write(i + "," + (i % 1000) * 0.5 + "," + (-i) + ",1e-3\n");
            }
        }
        assertThat(8L * 4 * n).isGreaterThan(16L << 20);
        Path emk = dir.resolve("big.emk");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx16m", "-cp", System.getProperty("java.class.path"),
                ConvertInChildJvm.class.getName(), csv.toString(), emk.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        MappedRows rows = EmkFile.map(emk, CsvOptions.defaults());
        assertThat(rows.rows()).isEqualTo(n);
        assertThat(rows.columnNames()).containsExactly("a", "b", "c", "d");
        double[] row = new double[4];
        for (int i : new int[] {0, 1, 4095, 4096, 345_678, n - 1}) {
            rows.copyRows(i, i + 1, row);
            assertThat(row).containsExactly(i, (i % 1000) * 0.5, -i, 1e-3);
        }
    }
}
