package io.emkit.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Reads a CSV file on several threads: the bytes are cut into chunks after line feeds, the first chunk is
 * parsed alone (its first record fixes the header and the columns), and the others in parallel from that
 * layout, each counting its lines from its own start; the chunks' rows are then joined in file order with
 * their line numbers shifted.
 *
 * <p>A cut is only known to fall between records when no quoted cell spans lines, and a text cell after the
 * first chunk may drop a column or be an error depending on what came before it. In those cases, and on any
 * error at all, reading in chunks gives up ({@link NotChunkable}) and the caller reads the file again from
 * the start, sequentially: the result, and every message about the file, are the sequential reader's.
 *
 * <p>Where the caller knows how many lines the stream has (a file on disk, counted before it is read), the rows
 * go straight into one array of the whole file's rows: after the first chunk, each later chunk is given the rows
 * from the line count so far to that plus its own line count, in file order. Where every line was a row and
 * every column is kept, that array is the data's, and no parsed row was copied or moved by the garbage
 * collector; anything else (blank lines, a chunk left to the general parser, a dropped column, a miscount) only
 * costs the usual copy at the end.
 */
final class ChunkedCsvReading {
    /** Bytes per chunk: large enough that a data file's text columns show up in the first chunk. */
    static final int DEFAULT_CHUNK_BYTES = 1 << 22;

    /** The reading in chunks gave up; the file is to be read sequentially. */
    static final class NotChunkable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotChunkable() {
            super(null, null, false, false);
        }

        NotChunkable(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    private ChunkedCsvReading() {
    }

    /** A parsed chunk after the first, and how many lines it covers. */
    private record Part(CsvDataReader.Handler handler, long lines) {
    }

    /**
     * Reads a whole stream of CSV bytes in chunks.
     *
     * @param in         the bytes (decompressed); read to the end unless reading in chunks gives up
     * @param fileName   the name for messages
     * @param options    how to read
     * @param chunkBytes the least bytes per chunk (a chunk runs to the last line feed after that)
     * @param threads    the parsing threads
     * @param streamLines how many lines the stream holds ({@link #lines}), or −1 if that is not known; asked
     *                    once the first chunk is parsed
     * @return the data, as {@link CsvDataReader#read(InputStream, String, CsvOptions)} would return it
     * @throws NotChunkable if the file must be read sequentially
     * @throws InvalidDataException never for the file's content, which is left to the sequential reader
     */
    static CsvData read(InputStream in, String fileName, CsvOptions options, int chunkBytes, int threads,
                        LongSupplier streamLines) {
        try {
            return readChunks(new LineChunks(in, chunkBytes), fileName, options, threads, streamLines);
        } catch (InvalidDataException | IOException e) {
            throw new NotChunkable(e);
        }
    }

    private static CsvData readChunks(LineChunks chunks, String fileName, CsvOptions options, int threads,
                                      LongSupplier streamLines) throws IOException {
        Chunk first = chunks.next();
        if (first == null) {
            throw new NotChunkable();
        }
        CsvDataReader.Handler head = CsvDataReader.Handler.firstChunk(fileName, options);
        ChunkText firstText = new ChunkText(first.bytes(), first.length());
        CsvDataReader.parseFirstChunk(firstText, fileName, options, head);
        head.countRest();
        if (!head.started()) {
            throw new NotChunkable();
        }
        long lineOffset = firstText.lineBreaks();
        // Rows for the whole file if every line after the first chunk is one; each later chunk then takes its
        // lines' worth of rows of it, in order, as long as they fit.
        long nextRow = head.rows();
        long known = streamLines.getAsLong();
        long sharedRows = known < 0 ? -1 : nextRow + known - lines(first.bytes(), first.length());
        double[] shared = sharedRows < 0 ? null : head.shareRows(sharedRows);

        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "emkit-csv");
            t.setDaemon(true);
            return t;
        });
        // Chunks read but not yet parsed hold memory: a few per thread keep every thread busy.
        Semaphore inFlight = new Semaphore(2 * threads);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<Part>> parts = new ArrayList<>();
        try {
            Chunk chunk;
            while (!failed.get() && (chunk = chunks.next()) != null) {
                inFlight.acquireUninterruptibly();
                byte[] bytes = chunk.bytes();
                int length = chunk.length();
                long capacity = shared == null ? 0 : lines(bytes, length);
                boolean window = shared != null && nextRow + capacity <= sharedRows;
                int firstRow = (int) nextRow;
                nextRow += capacity;
                parts.add(pool.submit(() -> {
                    try {
                        CsvDataReader.Handler plain = window ? head.laterChunk(length, firstRow, (int) capacity)
                                : head.laterChunk(length);
                        long plainLines = parsePlain(bytes, length, options.delimiter(), plain);
                        if (plainLines >= 0) {
                            plain.countChunk();
                            return new Part(plain, plainLines);
                        }
                        CsvDataReader.Handler handler = head.laterChunk(length);
                        ChunkText text = new ChunkText(bytes, length);
                        CsvDataReader.parseChunk(text, fileName, options, handler);
                        handler.countChunk();
                        return new Part(handler, text.lineBreaks());
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<Part> future : parts) {
                Part part = join(future);
                head.append(part.handler(), lineOffset);
                lineOffset += part.lines();
            }
        } finally {
            pool.shutdownNow();
        }
        return head.finish();
    }

    /**
     * The lines of a file: its line feeds, and one more if it ends with something else. Where every line is a
     * row, that is how many rows a chunked read of it finds (the first chunk's header and blank lines aside).
     *
     * @param file a file
     * @return its lines, or −1 if it is not a regular file or is compressed (read as another stream of bytes)
     * @throws IOException if it cannot be read
     */
    static long lines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(8, channel.size())))
                    .order(ByteOrder.LITTLE_ENDIAN);
            long feeds = 0;
            byte last = '\n';
            boolean first = true;
            int n;
            while ((n = channel.read(buffer)) > 0) {
                if (first && n >= 2 && CsvDataReader.isGzip(buffer.get(0), buffer.get(1))) {
                    return -1;
                }
                first = false;
                feeds += lineFeeds(buffer.array(), buffer, n);
                last = buffer.get(n - 1);
                buffer.clear();
            }
            return feeds + (last == '\n' ? 0 : 1);
        }
    }

    /** The lines of the chunk {@code bytes[0, length)}, counted as {@link #lines(Path)} counts a file's. */
    static long lines(byte[] bytes, int length) {
        if (length == 0) {
            return 0;
        }
        return lineFeeds(bytes, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), length)
                + (bytes[length - 1] == '\n' ? 0 : 1);
    }

    /**
     * The line feeds in {@code bytes[0, n)} ({@code view} the same bytes, little-endian), eight bytes at a time:
     * in {@code x = word ^ 0x0A…0A} a byte is zero exactly where a line feed was, and
     * {@code ~(((x & 0x7F…7F) + 0x7F…7F) | x | 0x7F…7F)} has the top bit of exactly those bytes (no carry crosses
     * a byte), which {@link Long#bitCount} counts.
     */
    private static long lineFeeds(byte[] bytes, ByteBuffer view, int n) {
        long feeds = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = view.getLong(i) ^ 0x0A0A0A0A0A0A0A0AL;
            long low = (x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
            feeds += Long.bitCount(~(low | x | 0x7F7F7F7F7F7F7F7FL));
        }
        for (; i < n; i++) {
            if (bytes[i] == '\n') {
                feeds++;
            }
        }
        return feeds;
    }

    private static Part join(Future<Part> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new NotChunkable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotChunkable(e);
        }
    }

    /**
     * Parses a later chunk straight from its bytes when it is plain: ASCII lines of delimited cells, no quote,
     * no lone carriage return, every line with the file's number of fields, every kept cell a short decimal
     * ({@link CsvDataReader.Handler#plainCell}) or empty, and no line starting with a blank cell. That is what
     * numeric data files are, and it skips the general parser's decoding to characters and its per-field
     * calls (one thread on a 1M x 16 file: about 200 -> 310 MB per CPU-second). Anything else returns -1 at once
     * (a chunk that gives up late is parsed twice: a rare word such as NA costs that), and the
     * chunk is parsed again by the general parser into a fresh handler, so values, line numbers and messages
     * are always the general parser's.
     *
     * @param bytes     the chunk's bytes, {@code bytes[0, length)}
     * @param length    how many of them
     * @param delimiter the field delimiter
     * @param handler   where the rows go
     * @return the line breaks in the chunk (as {@link ChunkText#lineBreaks()} counts them), or -1 to give up
     */
    static long parsePlain(byte[] bytes, int length, char delimiter, CsvDataReader.Handler handler) {
        if (delimiter >= 0x80 || delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            return -1;
        }
        PlainLines lines = new PlainLines(bytes, length, (byte) delimiter, handler);
        while (lines.p < length) {
            if (!lines.next()) {
                return -1;
            }
        }
        return lines.lineBreaks;
    }

    /**
     * {@link #parsePlain}'s state, read one line at a time: a method called once per line is compiled as soon
     * as the first chunks' lines have gone through it, once, its loops' exits seen. As one loop over a chunk it
     * was compiled on the stack five to seven times while a 1M × 16 file was read (each version assuming that
     * the loop never ends, and undone where the chunk ended: 0.36 s of the optimising compiler's time, on one
     * of the two cores the parsing threads had).
     */
    private static final class PlainLines {
        private final byte[] bytes;
        private final int n;
        private final byte separator;
        private final int fields;
        private final CsvDataReader.Handler handler;
        private char[] cell = new char[32];
        /** Where the next line starts. */
        int p;
        /** The line breaks passed. */
        long lineBreaks;

        PlainLines(byte[] bytes, int length, byte separator, CsvDataReader.Handler handler) {
            this.bytes = bytes;
            this.n = length;
            this.separator = separator;
            this.fields = handler.fieldCount();
            this.handler = handler;
        }

        /** Reads the line at {@link #p}, blank or a record, and moves past it; false to give up. */
        boolean next() {
            byte[] bytes = this.bytes;
            int n = this.n;
            byte separator = this.separator;
            int p = this.p;
            byte b = bytes[p];
            if (b == '\n' || b == '\r') {
                // An empty line, skipped as the general parser skips it; a lone CR (a line end to it) is left to it.
                if (b == '\r' && (p + 1 == n || bytes[p + 1] != '\n')) {
                    return false;
                }
                p += b == '\r' ? 2 : 1;
                lineBreaks++;
                this.p = p;
                return true;
            }
            handler.beginPlainRow(lineBreaks + 1);
            int idx = 0;
            while (true) {
                if (idx >= fields) {
                    return false;
                }
                int start = p;
                double value = Double.NaN;
                // The usual cell, a short decimal up to the separator, is read in the pass that finds its end.
                int q = p;
                boolean negative = q < n && bytes[q] == '-';
                if (negative || (q < n && bytes[q] == '+')) {
                    q++;
                }
                long mantissa = 0;
                int digitsStart = q;
                while (q < n && (b = bytes[q]) >= '0' && b <= '9') {
                    mantissa = mantissa * 10 + (b - '0');
                    q++;
                }
                int digits = q - digitsStart;
                int exponent = 0;
                if (q < n && bytes[q] == '.') {
                    int fractionStart = ++q;
                    while (q < n && (b = bytes[q]) >= '0' && b <= '9') {
                        mantissa = mantissa * 10 + (b - '0');
                        q++;
                    }
                    digits += q - fractionStart;
                    exponent = fractionStart - q;
                }
                boolean shaped = true;
                if (q < n && (bytes[q] | 0x20) == 'e') {
                    q++;
                    boolean negativeExponent = q < n && bytes[q] == '-';
                    if (negativeExponent || (q < n && bytes[q] == '+')) {
                        q++;
                    }
                    int e = 0;
                    int exponentStart = q;
                    while (q < n && (b = bytes[q]) >= '0' && b <= '9' && q - exponentStart < 4) {
                        e = e * 10 + (b - '0');
                        q++;
                    }
                    shaped = q > exponentStart;
                    exponent += negativeExponent ? -e : e;
                }
                b = q < n ? bytes[q] : separator;
                if (shaped && (b == separator || b == '\n' || b == '\r')) {
                    value = CsvDataReader.exactDecimal(negative, mantissa, digits, exponent);
                }
                if (value == value) {
                    handler.plainValue(idx, value);
                    p = q;
                } else {
                    // Anything else (blanks around it, empty, long, text): found, widened, and taken as the
                    // general parser takes a field.
                    while (p < n && (b = bytes[p]) != separator && b != '\n' && b != '\r') {
                        if (b < 0 || b == '"') {
                            return false;
                        }
                        p++;
                    }
                    int length = p - start;
                    if (length > cell.length) {
                        cell = new char[Math.max(length, 2 * cell.length)];
                    }
                    for (int i = 0; i < length; i++) {
                        cell[i] = (char) bytes[start + i];
                    }
                    if (!handler.plainCell(idx, cell, length)) {
                        return false;
                    }
                }
                idx++;
                if (p == n) {
                    break;
                }
                if (b == separator) {
                    p++;
                    continue;
                }
                if (b == '\r') {
                    if (p + 1 == n || bytes[p + 1] != '\n') {
                        return false;
                    }
                    p++;
                }
                p++;
                lineBreaks++;
                break;
            }
            if (idx != fields) {
                return false;
            }
            handler.endPlainRow();
            this.p = p;
            return true;
        }
    }

    /**
     * A chunk's bytes as characters, decoded as the sequential reader decodes them (UTF-8, a malformed byte
     * becoming U+FFFD), counting the lines on the way as the CSV parser counts them: a line ends at LF, CRLF
     * or a lone CR (a chunk ends after a LF, so a CRLF is never cut). ASCII, what data files mostly are, is
     * widened in the same pass; from the first other byte on, the JDK's decoder takes over.
     */
    static final class ChunkText extends Reader {
        private final byte[] bytes;
        private final int length;
        private int position;
        private Reader decoder;
        private long lineBreaks;
        private boolean afterCarriageReturn;

        /** The characters of {@code bytes[0, length)}. */
        ChunkText(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        /** @return the lines ended in the characters read so far */
        long lineBreaks() {
            return lineBreaks;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            if (decoder != null) {
                int n = decoder.read(buf, off, len);
                countLines(buf, off, n);
                return n;
            }
            if (position == length) {
                return -1;
            }
            int n = Math.min(len, length - position);
            int ascii = 0;
            while (ascii < n && bytes[position + ascii] >= 0) {
                buf[off + ascii] = (char) bytes[position + ascii];
                ascii++;
            }
            if (ascii == 0) {
                // Everything before was whole one-byte characters, so decoding from here decodes as a whole.
                decoder = new InputStreamReader(new ByteArrayInputStream(bytes, position, length - position),
                        StandardCharsets.UTF_8);
                return read(buf, off, len);
            }
            position += ascii;
            countLines(buf, off, ascii);
            return ascii;
        }

        private void countLines(char[] buf, int off, int n) {
            for (int i = off; i < off + n; i++) {
                char c = buf[i];
                if (c == '\r') {
                    lineBreaks++;
                    afterCarriageReturn = true;
                } else {
                    if (c == '\n' && !afterCarriageReturn) {
                        lineBreaks++;
                    }
                    afterCarriageReturn = false;
                }
            }
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    /** A chunk of a stream: {@code bytes[0, length)}. */
    private record Chunk(byte[] bytes, int length) {
    }

    /** Cuts a stream into chunks of at least a given size that end just after a line feed, or at the end. */
    private static final class LineChunks {
        private final InputStream in;
        private final int chunkBytes;
        /** Bytes read after the last chunk's end. */
        private byte[] rest = new byte[0];
        private boolean atEnd;

        LineChunks(InputStream in, int chunkBytes) {
            this.in = in;
            this.chunkBytes = Math.max(1, chunkBytes);
        }

        /** @return the next chunk, or {@code null} after the last */
        Chunk next() throws IOException {
            byte[] buf = Arrays.copyOf(rest, Math.max(chunkBytes, rest.length + 1));
            int length = rest.length;
            int searched = 0;
            while (true) {
                if (!atEnd && length < buf.length) {
                    int n = in.readNBytes(buf, length, buf.length - length);
                    length += n;
                    atEnd = length < buf.length;
                }
                int cut = lastLineFeed(buf, searched, length);
                if (cut >= 0) {
                    // The chunk is the buffer up to its last line feed (not copied); the part line after it
                    // starts the next one.
                    rest = Arrays.copyOfRange(buf, cut + 1, length);
                    return new Chunk(buf, cut + 1);
                }
                if (atEnd) {
                    rest = new byte[0];
                    return length == 0 ? null : new Chunk(buf, length);
                }
                // A line longer than the chunk: read on until it ends.
                searched = length;
                buf = Arrays.copyOf(buf, 2 * buf.length);
            }
        }

        private static int lastLineFeed(byte[] b, int from, int to) {
            for (int i = to - 1; i >= from; i--) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
