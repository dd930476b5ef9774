package io.emkit.data;

import java.nio.DoubleBuffer;
import java.util.List;

/**
 * The rows of a {@code .emk} file, memory-mapped rather than read into the heap (see
 * {@link EmkFile#map}): a fit streams them block by block, so the data may be larger than the heap.
 * Safe for concurrent reads.
 */
public final class MappedRows implements Rows {
    private final String fileName;
    private final int rows;
    private final int fileColumns;
    private final int[] selected;
    private final List<String> names;
    private final DoubleBuffer[] segments;
    private final int rowsPerSegment;

    MappedRows(String fileName, int rows, int fileColumns, int[] selected, List<String> names, DoubleBuffer[] segments,
               int rowsPerSegment) {
        this.fileName = fileName;
        this.rows = rows;
        this.fileColumns = fileColumns;
        this.selected = selected;
        this.names = List.copyOf(names);
        this.segments = segments;
        this.rowsPerSegment = rowsPerSegment;
    }

    /** @return the file's name, as given */
    public String fileName() {
        return fileName;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return selected.length;
    }

    @Override
    public List<String> columnNames() {
        return names;
    }

    @Override
    public void copyRows(int from, int to, double[] dest) {
        java.util.Objects.checkFromToIndex(from, to, rows);
        int w = selected.length;
        boolean all = w == fileColumns;
        double[] row = all ? null : new double[fileColumns];
        int r = from;
        while (r < to) {
            int s = r / rowsPerSegment;
            int inSegment = r - s * rowsPerSegment;
            int count = Math.min(to - r, rowsPerSegment - inSegment);
            DoubleBuffer seg = segments[s];
            if (all) {
                // Absolute bulk reads leave the shared buffer's position alone: safe across threads.
                seg.get(inSegment * fileColumns, dest, (r - from) * w, count * w);
            } else {
                for (int i = 0; i < count; i++) {
                    seg.get((inSegment + i) * fileColumns, row, 0, fileColumns);
                    int o = (r - from + i) * w;
                    for (int j = 0; j < w; j++) {
                        dest[o + j] = row[selected[j]];
                    }
                }
            }
            r += count;
        }
    }

    @Override
    public String toString() {
        return "MappedRows[" + fileName + ": " + rows + " x " + selected.length + "]";
    }
}
