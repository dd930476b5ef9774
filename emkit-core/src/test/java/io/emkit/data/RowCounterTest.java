package io.emkit.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row counter a progress display polls ({@link CsvOptions#withRowCounter}): each reader adds steps of 4096
 * rows as it goes and ends with the rows it read, starts from 0 on every read, and reads the same data with it.
 */
class RowCounterTest {
    private static final int STEP = 4096;

    @TempDir
    Path dir;

    private Path file(int rows) throws IOException {
        StringBuilder b = new StringBuilder("a,b,c\n");
        for (int i = 0; i < rows; i++) {
            b.append(i).append(',').append(i % 7).append(".5,").append(-i).append('\n');
        }
        Path f = dir.resolve("rows.csv");
        Files.writeString(f, b);
        return f;
    }

    @Test
    void aSequentialReadCountsItsRowsAndStartsFromZeroEachTime() throws IOException {
        int rows = 3 * STEP + 123;
        Path f = file(rows);
        LongAdder counter = new LongAdder();
        CsvOptions options = CsvOptions.defaults().withRowCounter(counter);
        CsvData data = CsvDataReader.readSequentially(f, options);
        assertThat(data.dataset().rows()).isEqualTo(rows);
        assertThat(counter.sum()).isEqualTo(rows);
        CsvDataReader.readSequentially(f, options);
        assertThat(counter.sum()).as("a second read starts from 0").isEqualTo(rows);
        assertThat(options).isEqualTo(CsvOptions.defaults());
    }

    @Test
    void aReadInChunksCountsEveryRowOnceAndReadsTheSameData() throws IOException {
        int rows = 10 * STEP + 7;
        Path f = file(rows);
        LongAdder counter = new LongAdder();
        int chunkBytes = 64 * 1024;
        CsvData counted = CsvDataReader.read(f, CsvOptions.defaults().withRowCounter(counter), chunkBytes, 3);
        CsvData plain = CsvDataReader.read(f, CsvOptions.defaults(), chunkBytes, 3);
        assertThat(counted.dataset().rows()).isEqualTo(rows);
        for (int i = 0; i < rows; i += 997) {
            assertThat(counted.dataset().row(i)).containsExactly(plain.dataset().row(i));
        }
        assertThat(counter.sum()).isEqualTo(rows);
        // A chunk the fast parser gives up on half-way (a text cell) is parsed again: its rows count once.
        Path text = dir.resolve("text.csv");
        String content = Files.readString(f);
        assertThat(content).contains("\n20000,1.5,-20000\n");
        Files.writeString(text, content.replace("\n20000,1.5,", "\n20000,NA,"));
        CsvData withMissing = CsvDataReader.read(text, CsvOptions.defaults().withRowCounter(counter), chunkBytes, 3);
        assertThat(withMissing.dataset().rows()).isEqualTo(rows);
        assertThat(counter.sum()).isEqualTo(rows);
    }

    @Test
    void aTextTableCountsItsRecords() throws IOException {
        int rows = 2 * STEP + 5;
        Path f = file(rows);
        LongAdder counter = new LongAdder();
        TextTable t = TextTable.read(f, CsvOptions.defaults().withRowCounter(counter));
        assertThat(t.rows()).isEqualTo(rows);
        // The header is a record too.
        assertThat(counter.sum()).isEqualTo(rows + 1);
    }
}
