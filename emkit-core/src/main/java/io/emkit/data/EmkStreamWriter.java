package io.emkit.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@code .emk} file while its rows are still being parsed: the CSV reader hands over blocks of
 * rows, and the header is finished at the end, when the row count is known.
 *
 * <p>The columns are fixed at the first block. The default column selection can still rule a column out
 * later (text after only missing values); then the file is compacted in place at the end: every row
 * moves towards the start of the file, so rows are rewritten front to back without overwriting one not
 * yet read, and the shorter header goes in last.
 */
final class EmkStreamWriter {
    private static final int CHUNK_BYTES = 1 << 20;

    private final FileChannel out;
    private int[] columns;
    private int[] slots;
    private List<String> names;
    private long dataStart;
    private long rows;
    private ByteBuffer buffer;

    EmkStreamWriter(FileChannel out) {
        this.out = out;
    }

    /**
     * Appends rows.
     *
     * @param block    rows of {@code width} slots each
     * @param count    how many rows of the block to write
     * @param width    slots per row in the block
     * @param columns  the file columns kept so far, in output order
     * @param slots    where each of them sits in a row of the block
     * @param allNames every file column's name
     */
    void write(double[] block, int count, int width, int[] columns, int[] slots, String[] allNames) throws IOException {
        if (this.columns == null) {
            this.columns = columns.clone();
            this.slots = slots.clone();
            names = namesOf(this.columns, allNames);
            byte[] header = EmkFile.header(0, names);
            dataStart = header.length;
            writeFully(ByteBuffer.wrap(header), 0);
            buffer = ByteBuffer.allocate(Math.max(CHUNK_BYTES, this.columns.length * Double.BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        int w = this.columns.length;
        int rowsPerChunk = Math.max(1, buffer.capacity() / Math.max(1, w * Double.BYTES));
        for (int from = 0; from < count; from += rowsPerChunk) {
            int to = Math.min(count, from + rowsPerChunk);
            buffer.clear();
            for (int r = from; r < to; r++) {
                int o = r * width;
                for (int k = 0; k < w; k++) {
                    buffer.putDouble(block[o + this.slots[k]]);
                }
            }
            buffer.flip();
            writeFully(buffer, dataStart + rows * w * Double.BYTES);
            rows += to - from;
        }
    }

    /**
     * Finishes the file: drops the columns ruled out since the first block, writes the row count.
     *
     * @param kept     the file columns finally kept, a subsequence of those written
     * @param allNames every file column's name
     */
    void finish(int[] kept, String[] allNames) throws IOException {
        List<String> keptNames = namesOf(kept, allNames);
        byte[] header = EmkFile.header(rows, keptNames);
        if (!Arrays.equals(kept, columns)) {
            compact(kept, header.length);
        }
        writeFully(ByteBuffer.wrap(header), 0);
        out.truncate(header.length + rows * kept.length * Double.BYTES);
    }

    private void compact(int[] kept, long newStart) throws IOException {
        int w = columns.length;
        int[] from = new int[kept.length];
        for (int k = 0, j = 0; k < kept.length; k++) {
            while (columns[j] != kept[k]) {
                j++;
            }
            from[k] = j;
        }
        int rowsPerChunk = Math.max(1, CHUNK_BYTES / (w * Double.BYTES));
        ByteBuffer in = ByteBuffer.allocate(rowsPerChunk * w * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer moved = ByteBuffer.allocate(rowsPerChunk * Math.max(1, kept.length) * Double.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (long r0 = 0; r0 < rows; r0 += rowsPerChunk) {
            int n = (int) Math.min(rowsPerChunk, rows - r0);
            in.clear().limit(n * w * Double.BYTES);
            readFully(in, dataStart + r0 * w * Double.BYTES);
            in.flip();
            moved.clear();
            for (int r = 0; r < n; r++) {
                for (int k : from) {
                    moved.putDouble(in.getDouble((r * w + k) * Double.BYTES));
                }
            }
            moved.flip();
            // The new position of these rows is at or before their old one, and the whole chunk is read.
            writeFully(moved, newStart + r0 * kept.length * Double.BYTES);
        }
    }

    private static List<String> namesOf(int[] columns, String[] allNames) {
        List<String> out = new ArrayList<>(columns.length);
        for (int j : columns) {
            out.add(allNames[j]);
        }
        return out;
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += out.write(b, p);
        }
    }

    private void readFully(ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int n = out.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of the file being written");
            }
            p += n;
        }
    }
}
