package io.emkit.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * emkit's binary data format ({@code .emk}): a dataset stored as it lives in memory, so repeated fits
 * read it at the speed of the disk (it is memory-mapped) instead of parsing text again.
 *
 * <h2>Layout (version 1, all integers and doubles little-endian)</h2>
 * <pre>
 * bytes 0-7    magic "EMKDATA1"
 * int32        format version (1)
 * int32        D, the number of columns
 * int64        n, the number of rows
 * D times      int32 byte length + the column name in UTF-8
 * 0-7 bytes    zero padding to a multiple of 8
 * n·D float64  the values, row after row; NaN marks a missing value
 * </pre>
 *
 * <p>Errors name the file, and for a missing value the row (1-based) in place of a line.
 */
public final class EmkFile {
    /** The first eight bytes of every {@code .emk} file. */
    public static final String MAGIC = "EMKDATA1";
    /** The format version written and read. */
    public static final int VERSION = 1;

    private EmkFile() {
    }

    /**
     * Whether a file starts with the {@code .emk} magic bytes.
     *
     * @param file the file
     * @return true for an emk file; false otherwise, also when it cannot be read
     */
    public static boolean isEmk(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // keep reading until 8 bytes or end of file
            }
            return !b.hasRemaining() && new String(b.array(), StandardCharsets.US_ASCII).equals(MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes rows in the {@code .emk} format, a block at a time, so rows streamed from another file need
     * not fit in the heap.
     *
     * @param data the rows: a {@link Dataset}, or {@link MappedRows} of another {@code .emk} file
     * @param out  where to write; not closed
     * @throws IOException if writing fails
     */
    public static void write(Rows data, OutputStream out) throws IOException {
        out.write(header(data.rows(), data.columnNames()));
        int d = data.columns();
        ByteBuffer chunk = ByteBuffer.allocate(Math.max(1 << 16, d * Double.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        DoubleBuffer doubles = chunk.asDoubleBuffer();
        int rowsPerChunk = doubles.capacity() / d;
        double[] rows = new double[rowsPerChunk * d];
        for (int from = 0; from < data.rows(); from += rowsPerChunk) {
            int to = Math.min(data.rows(), from + rowsPerChunk);
            data.copyRows(from, to, rows);
            doubles.clear();
            doubles.put(rows, 0, (to - from) * d);
            out.write(chunk.array(), 0, (to - from) * d * Double.BYTES);
        }
        out.flush();
    }

    /**
     * Converts a CSV file to the {@code .emk} format without holding its rows in memory: rows are parsed
     * and written a block at a time, and the row count goes into the header at the end. The rows, columns
     * and errors are exactly those of {@link CsvDataReader#read(Path, CsvOptions)}, so a file bigger than
     * the heap converts to what the in-memory reader would have read.
     *
     * @param csv     the CSV file
     * @param options how to read it
     * @param out     an empty file open for reading and writing (the converter seeks back to finish the
     *                header, and to drop a column the default selection rules out late); not closed
     * @return what was written
     * @throws InvalidDataException if the CSV cannot be read or is not a table of numbers, naming file,
     *                              line and column
     * @throws IOException          if writing fails
     */
    public static EmkConversion convert(Path csv, CsvOptions options, FileChannel out) throws IOException {
        return CsvDataReader.convert(csv, options, new EmkStreamWriter(out));
    }

    /** The header of a file of {@code rows} rows and these columns, padded to a multiple of 8 bytes. */
    static byte[] header(long rows, List<String> names) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ByteBuffer small = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        bytes.writeBytes(MAGIC.getBytes(StandardCharsets.US_ASCII));
        small.putInt(VERSION).putInt(names.size()).putLong(rows);
        bytes.write(small.array(), 0, 16);
        for (String name : names) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            small.clear();
            small.putInt(utf8.length);
            bytes.write(small.array(), 0, 4);
            bytes.writeBytes(utf8);
        }
        bytes.writeBytes(new byte[(8 - bytes.size() % 8) % 8]);
        return bytes.toByteArray();
    }

    /**
     * Reads a {@code .emk} file, selecting columns as for CSV files (by name, or by number from 1; all
     * columns when none are given).
     *
     * @param file    the file
     * @param options only {@link CsvOptions#columns()} applies
     * @return the data; {@link CsvData#lineOf} gives the 1-based row number
     * @throws InvalidDataException if the file is missing, not an emk file, truncated, or a column is unknown
     */
    public static CsvData read(Path file, CsvOptions options) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch, name);
            long n = h.rows();
            int d = h.columns();
            List<String> names = h.names();
            long dataStart = h.dataStart();
            int[] selected = select(name, names, options.columns());
            if (n * d > Integer.MAX_VALUE - 8L) {
                throw InvalidDataException.ofFile(name, n + " rows x " + d + " columns are too many to hold in"
                        + " memory; fit it with --out-of-core (EmkFile.map)");
            }
            int rows = (int) n;
            int w = selected.length;
            double[] values = new double[Math.multiplyExact(rows, w)];
            double[] row = new double[d];
            long missing = 0;
            CsvData.MissingCell first = null;
            long chunkRows = Math.max(1, (1L << 30) / ((long) d * Double.BYTES));
            for (long r0 = 0; r0 < n; r0 += chunkRows) {
                long r1 = Math.min(n, r0 + chunkRows);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + r0 * d * Double.BYTES,
                        (r1 - r0) * d * Double.BYTES);
                DoubleBuffer db = map.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                for (long r = r0; r < r1; r++) {
                    db.get(row);
                    int o = (int) r * w;
                    for (int j = 0; j < w; j++) {
                        double v = row[selected[j]];
                        values[o + j] = v;
                        if (Double.isNaN(v)) {
                            missing++;
                            if (first == null) {
                                first = new CsvData.MissingCell(r + 1, selected[j] + 1, names.get(selected[j]));
                            }
                        } else if (Double.isInfinite(v)) {
                            throw InvalidDataException.atCell(name, r + 1, selected[j] + 1, names.get(selected[j]),
                                    "infinite value");
                        }
                    }
                }
            }
            List<String> kept = new ArrayList<>(w);
            int[] fileColumns = new int[w];
            for (int j = 0; j < w; j++) {
                kept.add(names.get(selected[j]));
                fileColumns[j] = selected[j] + 1;
            }
            int[] lines = new int[rows];
            Arrays.setAll(lines, i -> i + 1);
            return new CsvData(Dataset.wrap(values, rows, w, kept), name, true, missing, first, List.of(), lines,
                    fileColumns, names);
        } catch (NoSuchFileException e) {
            throw InvalidDataException.ofFile(name, "no such file");
        } catch (IOException e) {
            throw InvalidDataException.ofFile(name, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Opens a {@code .emk} file for streaming without reading it into the heap: the rows stay in the
     * file (memory-mapped) and are copied block by block as a fit reads them.
     *
     * @param file    the file
     * @param options only {@link CsvOptions#columns()} applies
     * @return the rows
     * @throws InvalidDataException if the file is missing, not an emk file, truncated, or a column is unknown
     */
    public static MappedRows map(Path file, CsvOptions options) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch, name);
            int[] selected = select(name, h.names(), options.columns());
            List<String> kept = new ArrayList<>(selected.length);
            for (int j : selected) {
                kept.add(h.names().get(j));
            }
            long rowBytes = (long) h.columns() * Double.BYTES;
            int rowsPerSegment = (int) Math.max(1, (1L << 30) / rowBytes);
            int segments = (int) ((h.rows() + rowsPerSegment - 1) / rowsPerSegment);
            DoubleBuffer[] maps = new DoubleBuffer[segments];
            for (int s = 0; s < segments; s++) {
                long r0 = (long) s * rowsPerSegment;
                long r1 = Math.min(h.rows(), r0 + rowsPerSegment);
                maps[s] = ch.map(FileChannel.MapMode.READ_ONLY, h.dataStart() + r0 * rowBytes, (r1 - r0) * rowBytes)
                        .order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
            }
            return new MappedRows(name, (int) h.rows(), h.columns(), selected, kept, maps, rowsPerSegment);
        } catch (NoSuchFileException e) {
            throw InvalidDataException.ofFile(name, "no such file");
        } catch (IOException e) {
            throw InvalidDataException.ofFile(name, "cannot read: " + e.getMessage());
        }
    }

    private record Header(long rows, int columns, List<String> names, long dataStart) {
    }

    private static Header header(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(head, 0);
        head.flip();
        if (head.remaining() < 24) {
            throw InvalidDataException.ofFile(name, "not an emk file (too short)");
        }
        byte[] magic = new byte[8];
        head.get(magic);
        if (!new String(magic, StandardCharsets.US_ASCII).equals(MAGIC)) {
            throw InvalidDataException.ofFile(name, "not an emk file");
        }
        int version = head.getInt();
        if (version != VERSION) {
            throw InvalidDataException.ofFile(name, "emk format version " + version
                    + " is not supported (this emkit reads " + VERSION + ")");
        }
        int d = head.getInt();
        long n = head.getLong();
        if (d < 1 || n < 1 || n > Integer.MAX_VALUE - 8L) {
            throw InvalidDataException.ofFile(name, "emk header is invalid or too large (" + n + " rows x " + d
                    + " columns)");
        }
        // Every column name takes at least its 4-byte length: a count the header has no room for is corrupt
        // (and must not size an allocation).
        if (d > head.remaining() / 4) {
            throw InvalidDataException.ofFile(name, "emk header claims " + d + " columns but has room for the names"
                    + " of at most " + head.remaining() / 4 + " (truncated or corrupt)");
        }
        List<String> names = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            if (head.remaining() < 4) {
                throw InvalidDataException.ofFile(name, "truncated emk header");
            }
            int len = head.getInt();
            if (len < 0 || len > head.remaining()) {
                throw InvalidDataException.ofFile(name, "truncated emk header");
            }
            byte[] b = new byte[len];
            head.get(b);
            names.add(new String(b, StandardCharsets.UTF_8));
        }
        long dataStart = (head.position() + 7L) / 8 * 8;
        long expected = dataStart + n * d * Double.BYTES;
        if (size != expected) {
            throw InvalidDataException.ofFile(name, "emk file is " + size + " bytes, expected " + expected
                    + " for " + n + " rows x " + d + " columns (truncated or corrupt)");
        }
        return new Header(n, d, names, dataStart);
    }

    private static int[] select(String file, List<String> names, List<String> wanted) {
        if (wanted.isEmpty()) {
            int[] all = new int[names.size()];
            Arrays.setAll(all, j -> j);
            return all;
        }
        int[] out = new int[wanted.size()];
        for (int i = 0; i < out.length; i++) {
            String w = wanted.get(i).trim();
            int found = names.indexOf(w);
            if (found < 0 && w.matches("[0-9]{1,9}")) {
                int number = Integer.parseInt(w);
                if (number >= 1 && number <= names.size()) {
                    found = number - 1;
                }
            }
            if (found < 0) {
                throw InvalidDataException.ofFile(file, "no column " + InvalidDataException.quote(w)
                        + "; the columns are: " + io.emkit.EmkitException.list(names));
            }
            out[i] = found;
        }
        return out;
    }
}
