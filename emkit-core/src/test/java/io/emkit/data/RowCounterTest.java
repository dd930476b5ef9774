package io.emkit.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row counter a progress display polls ({@link CsvOptions#withRowCounter}): each reader adds whole steps of
 * 4096 rows, never more than it read, starts from 0 on every read, and the data read are the same with it.
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
    void aSequentialReadCountsEveryWholeStepOfRowsAndStartsFromZeroEachTime() throws IOException {
        int rows = 3 * STEP + 123;
        Path f = file(rows);
        LongAdder counter = new LongAdder();
        CsvOptions options = CsvOptions.defaults().withRowCounter(counter);
        CsvData data = CsvDataReader.readSequentially(f, options);
        assertThat(data.dataset().rows()).isEqualTo(rows);
        assertThat(counter.sum()).isEqualTo(3L * STEP);
        CsvDataReader.readSequentially(f, options);
        assertThat(counter.sum()).as("a second read starts from 0").isEqualTo(3L * STEP);
        assertThat(options).isEqualTo(CsvOptions.defaults());
    }

    @Test
    void aReadInChunksCountsEachChunksWholeStepsAndReadsTheSameData() throws IOException {
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
        // Each chunk's handler adds its own whole steps: a multiple of the step, at most the rows, and short of
        // them by less than a step per chunk (a chunk of 64 KiB holds at most 64 Ki / 6 rows of this file).
        long chunks = Files.size(f) / chunkBytes + 1;
        assertThat(counter.sum() % STEP).isZero();
        assertThat(counter.sum()).isLessThanOrEqualTo(rows).isGreaterThan(rows - chunks * STEP);
    }

    @Test
    void aTextTableCountsItsRecords() throws IOException {
        int rows = 2 * STEP + 5;
        Path f = file(rows);
        LongAdder counter = new LongAdder();
        TextTable t = TextTable.read(f, CsvOptions.defaults().withRowCounter(counter));
        assertThat(t.rows()).isEqualTo(rows);
        // The header is a record too: 2 * STEP + 6 records, two whole steps.
        assertThat(counter.sum()).isEqualTo(2L * STEP);
    }
}
