package io.emkit.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Reads a table of numbers from a CSV file (UTF-8, optional byte order mark, LF or CRLF line ends,
 * quoted fields as in RFC 4180).
 *
 * <p>Cells are trimmed of spaces. An empty cell, {@code NA} or {@code NaN} (any case) is a missing
 * value, read as {@code NaN}; infinite values ({@code inf}, {@code Infinity}, or a number too large for
 * a double) and any other text in a selected column are errors. Blank lines are skipped; every other
 * record must have as many fields as the first. See {@link CsvOptions} for the header and the column
 * selection.
 *
 * <p>The delimiter is detected unless given (see {@link CsvOptions}). A file compressed with gzip is read as
 * its content; {@code -} names standard input. A Parquet file is refused with a message. A large file is parsed on all cores, in chunks
 * cut at line ends, with the same result and messages as reading it from start to end.
 *
 * <p>Every problem with the data is reported as an {@link InvalidDataException} naming the file, line,
 * column and cell.
 */
public final class CsvDataReader {
    private static final int NUMBER = 0;
    private static final int MISSING = 1;
    private static final int INFINITE = 2;
    private static final int TEXT = 3;

    /** Column lists in messages are cut after this many names so the message stays readable. */
    private static final int MAX_LISTED_COLUMNS = 20;

    private CsvDataReader() {
    }

    /**
     * Reads a CSV file.
     *
     * @param file    the file, or {@code -} for standard input; its name appears in messages as given here
     *                (standard input as "standard input")
     * @param options how to read it
     * @return the data
     * @throws InvalidDataException if the file cannot be read or its content is not a table of numbers
     */
    public static CsvData read(Path file, CsvOptions options) {
        Objects.requireNonNull(options, "options");
        int threads = Runtime.getRuntime().availableProcessors();
        if (threads > 1 && largerThan(file, ChunkedCsvReading.DEFAULT_CHUNK_BYTES)) {
            return read(file, options, ChunkedCsvReading.DEFAULT_CHUNK_BYTES, threads);
        }
        return readSequentially(file, options);
    }

    /**
     * Reads a file in chunks of about {@code chunkBytes} parsed on {@code threads} threads, or sequentially
     * when the chunks cannot be read on their own (see {@link ChunkedCsvReading}): the same data and the same
     * messages as the sequential reader either way. Tests force tiny chunks here.
     */
    static CsvData read(Path file, CsvOptions options, int chunkBytes, int threads) {
        String name = DataFiles.nameOf(file);
        // The lines are counted on a thread of their own while the first chunk is parsed, which needs them only
        // once it is done (a count costs about a tenth of a second on a 150 MB file); a file of a few chunks is
        // counted when they are needed, on the reading thread.
        FutureTask<Long> count = new FutureTask<>(() -> linesOf(file));
        if (largerThan(file, 4L * chunkBytes)) {
            Thread counter = new Thread(count, "emkit-csv-lines");
            counter.setDaemon(true);
            counter.start();
        }
        LongSupplier lines = () -> {
            count.run();
            try {
                return count.get();
            } catch (ExecutionException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        };
        try {
            return withInput(file, options, (in, resolved) -> ChunkedCsvReading.read(in, name, resolved, chunkBytes,
                    threads, lines));
        } catch (ChunkedCsvReading.NotChunkable e) {
            return readSequentially(file, options);
        } finally {
            count.cancel(true);
        }
    }

    /** Reads a file from start to end on one thread: what reading in chunks must agree with. */
    static CsvData readSequentially(Path file, CsvOptions options) {
        String name = DataFiles.nameOf(file);
        return withInput(file, options, (in, resolved) -> readText(in, name, resolved));
    }

    /**
     * The file's lines ({@link ChunkedCsvReading#lines(Path)}), or −1 where they cannot be counted first: not for
     * standard input, whose copy only the reading itself makes (a copy failing here, on the counting thread,
     * would have consumed part of the input unseen).
     */
    private static long linesOf(Path file) {
        if (DataFiles.isStandardInput(file)) {
            return -1;
        }
        try {
            return ChunkedCsvReading.lines(DataFiles.source(file));
        } catch (IOException | RuntimeException e) {
            // Reading proper reports what is wrong with the file.
            return -1;
        }
    }

    private static boolean largerThan(Path file, long bytes) {
        try {
            Path source = DataFiles.source(file);
            return Files.isRegularFile(source) && Files.size(source) > bytes;
        } catch (IOException e) {
            // The reading proper reports the problem in its words.
            return false;
        }
    }

    /**
     * Streams a CSV file into an {@code .emk} file (see {@link EmkFile#convert}): the same parsing and
     * checks as {@link #read(Path, CsvOptions)}, with blocks of rows handed to {@code writer} instead of
     * kept.
     */
    static EmkConversion convert(Path file, CsvOptions options, EmkStreamWriter writer) throws IOException {
        Objects.requireNonNull(options, "options");
        String name = DataFiles.nameOf(file);
        try {
            return withInput(file, options, (in, resolved) -> {
                Handler handler = new Handler(name, resolved, writer);
                parse(new InputStreamReader(in, StandardCharsets.UTF_8), name, resolved, handler);
                handler.countRest();
                return handler.finishStreaming();
            });
        } catch (WriteFailure e) {
            throw e.getCause();
        }
    }

    /**
     * Opens a file as text for another reader of this package ({@link TextTable}): standard input for
     * {@code -}, gzip undone, a byte order mark dropped, the delimiter resolved, and the ways opening can fail
     * turned into messages naming the file.
     */
    static <T> T withText(Path file, CsvOptions options, BiFunction<Reader, CsvOptions, T> read) {
        return withInput(file, options, (in, resolved) ->
                read.apply(new BomSkippingReader(new InputStreamReader(in, StandardCharsets.UTF_8)), resolved));
    }

    /**
     * Opens a file for reading (a copy of standard input for {@code -}), hands its decompressed bytes and the
     * options with the delimiter resolved to {@code read}, and turns the ways that can fail into messages
     * naming it.
     */
    private static <T> T withInput(Path file, CsvOptions options, BiFunction<InputStream, CsvOptions, T> read) {
        String name = DataFiles.nameOf(file);
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            throw parquet(name);
        }
        try {
            Path source = DataFiles.source(file);
            if (Files.isDirectory(source)) {
                throw InvalidDataException.ofFile(name, "is a directory");
            }
            if (options.rowCounter() != null) {
                options.rowCounter().reset();
            }
            try (BufferedInputStream in = opened(Files.newInputStream(source), name)) {
                return read.apply(in, resolved(in, options));
            }
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(name, 0, 0, null, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InvalidDataException(name, 0, 0, null, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw cannotRead(name, e);
        }
    }

    private static InvalidDataException parquet(String name) {
        return InvalidDataException.ofFile(name, "is a Parquet file, which the local engine does not read;"
                + " use --engine spark (or save the data as CSV)");
    }

    /** Writing the {@code .emk} file failed: carried out of the parser's callbacks, then unwrapped. */
    private static final class WriteFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WriteFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * Reads CSV from a byte stream in UTF-8, such as standard input. The stream is read to its end but not
     * closed.
     *
     * @param in       the bytes
     * @param fileName the name to use in messages, or {@code null}
     * @param options  how to read it
     * @return the data
     * @throws InvalidDataException if the stream cannot be read or its content is not a table of numbers
     */
    public static CsvData read(InputStream in, String fileName, CsvOptions options) {
        Objects.requireNonNull(options, "options");
        try {
            BufferedInputStream bytes = opened(in, fileName);
            return readText(bytes, fileName, resolved(bytes, options));
        } catch (IOException e) {
            throw cannotRead(fileName, e);
        }
    }

    private static CsvData readText(InputStream in, String fileName, CsvOptions options) {
        Handler handler = new Handler(fileName, options, null);
        // InputStreamReader replaces malformed bytes instead of failing: a stray Latin-1 byte in a
        // header should not stop us reading numbers.
        parse(new InputStreamReader(in, StandardCharsets.UTF_8), fileName, options, handler);
        handler.countRest();
        return handler.finish();
    }

    /**
     * The stream's bytes, decompressed when they are gzip's (known by its two magic bytes, whatever the
     * file's name), buffered either way; a Parquet file (known by its magic bytes) is refused with a message
     * naming it. Closing the result closes {@code in}.
     */
    static BufferedInputStream opened(InputStream in, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        byte[] magic = peek(buffered, 4);
        if (magic.length >= 2 && isGzip(magic[0], magic[1])) {
            return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
        }
        if (magic.length == 4 && new String(magic, StandardCharsets.US_ASCII).equals("PAR1")) {
            throw parquet(name);
        }
        return buffered;
    }

    /** Whether a stream starting with these two bytes is gzip-compressed (its magic number, 1f 8b). */
    static boolean isGzip(byte first, byte second) {
        return (first & 0xff) == 0x1f && (second & 0xff) == 0x8b;
    }

    /** Up to {@code n} bytes from the stream's start, which is left where it was. */
    private static byte[] peek(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] b = in.readNBytes(n);
        in.reset();
        return b;
    }

    /** The options with the delimiter fixed, detected (if it is to be) from the stream's first characters. */
    private static CsvOptions resolved(BufferedInputStream in, CsvOptions options) throws IOException {
        if (!options.detectsDelimiter()) {
            return options;
        }
        // A character may take up to four bytes; a cut one at the end falls in the last line, which is ignored.
        byte[] start = peek(in, CsvOptions.DETECTION_CHARS);
        return options.resolvedFor(new String(start, StandardCharsets.UTF_8));
    }

    /**
     * Reads CSV from characters. The reader is read to its end but not closed.
     *
     * @param in       the characters
     * @param fileName the name to use in messages, or {@code null}
     * @param options  how to read it
     * @return the data
     * @throws InvalidDataException if the reader fails or its content is not a table of numbers
     */
    public static CsvData read(Reader in, String fileName, CsvOptions options) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(options, "options");
        Reader text = in;
        CsvOptions resolved = options;
        if (options.detectsDelimiter()) {
            text = in.markSupported() ? in : new BufferedReader(in, 1 << 16);
            try {
                text.mark(CsvOptions.DETECTION_CHARS);
                char[] start = new char[CsvOptions.DETECTION_CHARS];
                int n = 0;
                int got;
                while (n < start.length && (got = text.read(start, n, start.length - n)) > 0) {
                    n += got;
                }
                text.reset();
                resolved = options.resolvedFor(new String(start, 0, n));
            } catch (IOException e) {
                throw cannotRead(fileName, e);
            }
        }
        Handler handler = new Handler(fileName, resolved, null);
        parse(text, fileName, resolved, handler);
        return handler.finish();
    }

    /** Runs FastCSV over the characters, the handler taking each record, and names the file in every error. */
    private static void parse(Reader in, String fileName, CsvOptions options, Handler handler) {
        parse(csvBuilder(options).build(handler, new BomSkippingReader(in)), fileName, handler);
    }

    /** Parses the first chunk of a file read by {@link ChunkedCsvReading}: the one that may start with a byte order mark. */
    static void parseFirstChunk(Reader text, String fileName, CsvOptions options, Handler handler) {
        parse(text, fileName, options, handler);
    }

    /** Parses a later chunk of a file read by {@link ChunkedCsvReading}, where a U+FEFF is data. */
    static void parseChunk(Reader text, String fileName, CsvOptions options, Handler handler) {
        parse(csvBuilder(options).build(handler, text), fileName, handler);
    }

    private static CsvReader.CsvReaderBuilder csvBuilder(CsvOptions options) {
        return CsvReader.builder()
                .fieldSeparator(options.delimiter())
                .quoteCharacter('"')
                .skipEmptyLines(true)
                // The handler checks field counts itself, to say which line is wrong in our words.
                .ignoreDifferentFieldCount(true);
    }

    private static void parse(CsvReader<Object> csv, String fileName, Handler handler) {
        try (csv) {
            for (Object ignored : csv) {
                // the handler stores each record as it is parsed
            }
        } catch (CsvParseException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidDataException ide) {
                throw ide;
            }
            if (cause instanceof UncheckedIOException uio) {
                throw cannotRead(fileName, uio.getCause());
            }
            if (cause instanceof IOException io) {
                throw cannotRead(fileName, io);
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof RuntimeException re && !(cause instanceof CsvParseException)) {
                // Our own bugs should surface as such, not as a problem with the user's file.
                throw re;
            }
            String reason = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
            throw new InvalidDataException(fileName, handler.line, 0, null, "cannot parse: " + reason, e);
        } catch (UncheckedIOException e) {
            throw cannotRead(fileName, e.getCause());
        } catch (IOException e) {
            throw cannotRead(fileName, e);
        }
    }

    private static InvalidDataException cannotRead(String fileName, IOException e) {
        String reason = null;
        if (e instanceof FileSystemException fse) {
            reason = fse.getReason();
        }
        if (reason == null) {
            reason = e.getMessage();
        }
        if (reason == null) {
            reason = e.getClass().getSimpleName();
        }
        return new InvalidDataException(fileName, 0, 0, null, "cannot read: " + reason, e);
    }

    /** The kind of a trimmed, non-empty cell: NUMBER, MISSING, INFINITE or TEXT. */
    private static int kind(char[] b, int off, int end) {
        if (off == end) {
            return MISSING;
        }
        if (plainNumberShape(b, off, end)) {
            try {
                double v = JavaDoubleParser.parseDouble(b, off, end - off);
                return Double.isInfinite(v) ? INFINITE : NUMBER;
            } catch (NumberFormatException e) {
                return TEXT;
            }
        }
        return wordKind(b, off, end);
    }

    /**
     * Whether a trimmed, non-empty cell is worth handing to the number parser. Java's syntax also takes
     * hexadecimal and suffixes like {@code 1.5f}, which are not numbers in a data file; checking the
     * last character and the prefix rules them out without scanning the cell.
     */
    private static boolean plainNumberShape(char[] b, int off, int end) {
        char last = b[end - 1];
        if (!((last >= '0' && last <= '9') || last == '.')) {
            return false;
        }
        int p = off;
        char c = b[p];
        if (c == '+' || c == '-') {
            p++;
        }
        return !(p + 1 < end && b[p] == '0' && (b[p + 1] | 0x20) == 'x');
    }

    /** Powers of ten that a double holds exactly. */
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /**
     * Parses the common short decimals ({@code -12.345}, {@code 6.02e23}) in one pass, or returns
     * {@code NaN} to leave the cell to the general path. When the digits fit in 53 bits and the power of
     * ten is exact, one IEEE multiplication or division gives the correctly rounded value (Clinger's fast
     * path), so the result equals {@link Double#parseDouble}. Profiling showed the general parser
     * dominating the read time, and data files are mostly such short numbers.
     */
    private static double simpleDecimal(char[] b, int off, int end) {
        int p = off;
        char c = b[p];
        boolean negative = c == '-';
        if (negative || c == '+') {
            p++;
        }
        long mantissa = 0;
        int digitsStart = p;
        while (p < end && (c = b[p]) >= '0' && c <= '9') {
            mantissa = mantissa * 10 + (c - '0');
            p++;
        }
        int digits = p - digitsStart;
        int exponent = 0;
        if (p < end && b[p] == '.') {
            p++;
            int fractionStart = p;
            while (p < end && (c = b[p]) >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                p++;
            }
            digits += p - fractionStart;
            exponent = fractionStart - p;
        }
        if (p < end && (b[p] | 0x20) == 'e') {
            p++;
            boolean negativeExponent = false;
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                negativeExponent = b[p] == '-';
                p++;
            }
            int e = 0;
            int exponentStart = p;
            while (p < end && (c = b[p]) >= '0' && c <= '9' && p - exponentStart < 4) {
                e = e * 10 + (c - '0');
                p++;
            }
            if (p == exponentStart) {
                return Double.NaN;
            }
            exponent += negativeExponent ? -e : e;
        }
        if (p != end) {
            return Double.NaN;
        }
        return exactDecimal(negative, mantissa, digits, exponent);
    }

    /**
     * The value of {@code ±mantissa × 10^exponent}, the mantissa read from {@code digits} decimal digits, when
     * one IEEE operation gives it correctly rounded (Clinger's fast path: at most 18 digits, a mantissa within
     * 53 bits, a power of ten of at most 22); {@code NaN} otherwise, for the general parser.
     */
    static double exactDecimal(boolean negative, long mantissa, int digits, int exponent) {
        // 18 digits cannot overflow a long; more are left to the general parser.
        if (digits == 0 || digits > 18 || mantissa > (1L << 53)) {
            return Double.NaN;
        }
        double v = mantissa;
        if (exponent < 0) {
            if (exponent < -22) {
                if (mantissa != 0) {
                    return Double.NaN;
                }
            } else {
                v /= EXACT_POWERS_OF_TEN[-exponent];
            }
        } else if (exponent > 0) {
            if (exponent > 22) {
                if (mantissa != 0) {
                    return Double.NaN;
                }
            } else {
                v *= EXACT_POWERS_OF_TEN[exponent];
            }
        }
        return negative ? -v : v;
    }

    /** Classifies a cell that does not end like a number: missing token, infinity, or text. */
    private static int wordKind(char[] b, int off, int end) {
        int p = off;
        boolean signed = b[p] == '+' || b[p] == '-';
        if (signed) {
            p++;
        }
        int n = end - p;
        if (!signed && n == 2 && lettersEqual(b, p, "na")) {
            return MISSING;
        }
        // printf writes "-nan" for some NaNs; it is still a missing value.
        if (n == 3 && lettersEqual(b, p, "nan")) {
            return MISSING;
        }
        if ((n == 3 && lettersEqual(b, p, "inf")) || (n == 8 && lettersEqual(b, p, "infinity"))) {
            return INFINITE;
        }
        return TEXT;
    }

    /** Case-insensitive comparison with a lower-case ASCII word; OR-ing 0x20 folds only letters onto it. */
    private static boolean lettersEqual(char[] b, int p, String lowerWord) {
        for (int i = 0; i < lowerWord.length(); i++) {
            if ((b[p + i] | 0x20) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String listColumns(String[] names) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(names.length, MAX_LISTED_COLUMNS);
        for (int j = 0; j < shown; j++) {
            if (j > 0) {
                sb.append(", ");
            }
            sb.append(names[j]);
        }
        if (shown < names.length) {
            sb.append(", ... (").append(names.length).append(" in all)");
        }
        return sb.toString();
    }

    private static String fields(int n) {
        return n == 1 ? "1 field" : n + " fields";
    }

    /**
     * Receives the fields straight from FastCSV's parser as slices of its buffer, so numbers are parsed
     * without creating a String per cell, and stores them into primitive blocks.
     */
    static final class Handler extends AbstractBaseCsvCallbackHandler<Object> {
        private static final Object RECORD = new Object();
        private static final int FIRST_BLOCK_ROWS = 1024;
        private static final int MAX_BLOCK_ROWS = 1 << 16;
        /** Rows per block handed to a streaming writer; the block is then reused. */
        private static final int STREAM_BLOCK_ROWS = 4096;
        /** Values in one block at most: a file of a million columns gets blocks of a few rows, not gigabytes. */
        private static final int MAX_BLOCK_VALUES = 1 << 22;

        private final String file;
        private final CsvOptions options;
        /** Where full blocks go when converting; {@code null} when the rows are kept in memory. */
        private final EmkStreamWriter writer;
        /** Where the rows read are counted, {@link #COUNTED_ROWS} at a time; {@code null} for nowhere. */
        private final java.util.concurrent.atomic.LongAdder rowCounter;
        /** Whether rows are counted as they are read; a later chunk's are counted when it is whole. */
        private boolean countAsRead = true;
        /** Rows between two additions to the row counter (a power of two). */
        private static final int COUNTED_ROWS = 4096;

        /** Line where the record being parsed starts. */
        long line;

        // Before the first non-blank record: its fields, kept as text to decide about the header.
        private boolean started;
        private final List<String> firstFields = new ArrayList<>();
        private boolean firstFieldQuoted;
        private long firstLine;

        // Layout, fixed by the first record.
        private boolean hasHeader;
        private int fieldCount;
        private String[] names;
        /** Position of each file column within a stored row, or -1 if it is not stored. */
        private int[] slotOf;
        /**
         * Whether a column has shown a number. Under the default selection a column is dropped when its
         * first value is text, so text is only an error once the column is known to be numeric.
         */
        private boolean[] numeric;
        private int width;
        private boolean explicitSelection;
        private int[] selected;
        private final List<Integer> dropped = new ArrayList<>();

        /**
         * Set when this handler reads one chunk of a file split at line ends ({@link ChunkedCsvReading}): a
         * quoted cell spanning lines may then have been cut at a chunk boundary.
         */
        private boolean chunked;
        /**
         * Set for a chunk after the first, which starts from the first chunk's layout: a text cell there
         * could drop a column or be an error, which only reading from the start decides.
         */
        private boolean speculative;
        private long[] missing;
        private long[] firstMissingLine;

        // Storage: full blocks of rows, then the current one; assembled into one array at the end so
        // that growing never copies what was read. A block may be a window of the whole file's array
        // (shareRows): its rows then start at a row of their own in it.
        private final List<double[]> blocks = new ArrayList<>();
        /** How many rows each block of {@code blocks} holds: all but the last of a chunk are full. */
        private final List<Integer> blockFills = new ArrayList<>();
        /** The row of each block of {@code blocks} where its rows start: 0 but in a window. */
        private final List<Integer> blockStarts = new ArrayList<>();
        private double[] block;
        /** The row of {@code block} where this handler's rows in it start. */
        private int blockStart;
        /** The array of the whole file's rows in file order ({@link #shareRows}), or {@code null}. */
        private double[] shared;
        /** Whether {@link #finish} took {@link #shared} as the data's array. */
        private boolean readInPlace;
        private int blockRows;
        private int firstBlockRows = FIRST_BLOCK_ROWS;
        private int inBlock;
        private int base;
        private int rows;
        private int[] lines = new int[FIRST_BLOCK_ROWS];

        /** The record's first field was blank; decided in buildRecord whether the line is blank. */
        private boolean blankFirstField;

        // A quote that is never closed swallows the rest of the file into one cell, silently, unless
        // we notice that the last record has a quoted cell spanning lines.
        private boolean recordHasMultiLineCell;
        private boolean lastRecordHasMultiLineCell;
        private long multiLineCellLine;
        private int multiLineCellColumn;
        private int multiLineCellLines;

        Handler(String file, CsvOptions options, EmkStreamWriter writer) {
            this.file = file;
            this.options = options;
            this.writer = writer;
            this.rowCounter = options.rowCounter();
        }

        /** A handler for the first chunk of a file read in chunks. */
        static Handler firstChunk(String file, CsvOptions options) {
            Handler h = new Handler(file, options, null);
            h.chunked = true;
            return h;
        }

        /** Whether the first record has fixed the layout, so that later chunks can start from it. */
        boolean started() {
            return started;
        }

        /**
         * A handler for a later chunk: this one's layout (header, names, kept columns), its own rows, and
         * line numbers counted from the chunk's start.
         */
        Handler laterChunk(int chunkBytes) {
            Handler h = laterLayout(chunkBytes);
            h.newBlock();
            return h;
        }

        /**
         * A handler for a later chunk, as {@link #laterChunk(int)}, whose rows go straight into the array of
         * the whole file's rows ({@link #shareRows}) from row {@code firstRow} on, {@code capacity} rows at most
         * (any more go to blocks of its own, which are then copied as usual).
         */
        Handler laterChunk(int chunkBytes, int firstRow, int capacity) {
            Handler h = laterLayout(chunkBytes);
            h.shared = shared;
            h.block = shared;
            h.blockStart = firstRow;
            h.inBlock = firstRow;
            h.blockRows = firstRow + capacity;
            return h;
        }

        /** A handler for a later chunk with this one's layout and no storage yet. */
        private Handler laterLayout(int chunkBytes) {
            Handler h = new Handler(file, options, null);
            // A chunk given up half-way is parsed again: its rows are counted when it is done.
            h.countAsRead = false;
            // A row takes at least one byte per field: no need for more room than that at first.
            h.firstBlockRows = Math.min(FIRST_BLOCK_ROWS, chunkBytes / fieldCount + 1);
            h.lines = new int[h.firstBlockRows];
            h.chunked = true;
            h.speculative = true;
            h.started = true;
            h.firstLine = firstLine;
            h.hasHeader = hasHeader;
            h.fieldCount = fieldCount;
            h.names = names;
            h.slotOf = slotOf;
            h.numeric = numeric.clone();
            h.width = width;
            h.explicitSelection = explicitSelection;
            h.selected = selected;
            h.dropped.addAll(dropped);
            h.missing = new long[fieldCount];
            h.firstMissingLine = new long[fieldCount];
            return h;
        }

        /**
         * Makes one array for all the rows of the file, {@code totalRows} of them, and moves the rows read so
         * far into its start, so that later chunks can be parsed straight into it
         * ({@link #laterChunk(int, int, int)}); when the chunks then fill it exactly, in file order, with every
         * column kept, it is the data's array and nothing is copied ({@link #finish}). The array is allocated
         * before the rows are parsed, so that (larger than the young generation) it is never copied by the
         * garbage collector either, as blocks of parsed rows were, generation after generation.
         *
         * @param totalRows the rows the whole file will have if every line after the first chunk is one
         * @return the array, or {@code null} if it would not hold them (too many values, no layout yet)
         */
        double[] shareRows(long totalRows) {
            if (writer != null || !started || width == 0 || totalRows < rows
                    || totalRows * width > Integer.MAX_VALUE - 8) {
                return null;
            }
            closeBlock();
            double[] all = new double[(int) (totalRows * width)];
            int pos = 0;
            for (int i = 0; i < blocks.size(); i++) {
                int n = blockFills.get(i) * width;
                System.arraycopy(blocks.get(i), blockStarts.get(i) * width, all, pos, n);
                pos += n;
            }
            blocks.clear();
            blockFills.clear();
            blockStarts.clear();
            blocks.add(all);
            blockFills.add(rows);
            blockStarts.add(0);
            shared = all;
            return all;
        }

        /** Whether the blocks are the shared array's rows from its start, in order, without a gap. */
        private boolean rowsInShared() {
            int next = 0;
            for (int i = 0; i < blocks.size(); i++) {
                if (blocks.get(i) != shared || blockStarts.get(i) != next) {
                    return false;
                }
                next += blockFills.get(i);
            }
            return next == rows && (long) rows * width == shared.length;
        }

        /**
         * Appends the rows of the chunk that follows, whose line numbers are counted from its start and
         * {@code lineOffset} lines into the file.
         *
         * @throws ChunkedCsvReading.NotChunkable if the rows together are too many, which the sequential
         *                                        reader reports in its words
         */
        void append(Handler next, long lineOffset) {
            if ((long) rows + next.rows > Integer.MAX_VALUE - 8) {
                throw new ChunkedCsvReading.NotChunkable();
            }
            closeBlock();
            next.closeBlock();
            blocks.addAll(next.blocks);
            blockFills.addAll(next.blockFills);
            blockStarts.addAll(next.blockStarts);
            if (rows + next.rows > lines.length) {
                lines = Arrays.copyOf(lines, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max(2L * lines.length, (long) rows + next.rows)));
            }
            for (int i = 0; i < next.rows; i++) {
                lines[rows + i] = (int) Math.min(Integer.MAX_VALUE, next.lines[i] + lineOffset);
            }
            rows += next.rows;
            for (int j = 0; j < fieldCount; j++) {
                numeric[j] |= next.numeric[j];
                if (next.missing[j] > 0) {
                    if (missing[j] == 0) {
                        firstMissingLine[j] = next.firstMissingLine[j] + lineOffset;
                    }
                    missing[j] += next.missing[j];
                }
            }
        }

        /** Moves the block being filled, if any, to the full ones. */
        private void closeBlock() {
            if (block != null) {
                keepBlock();
                block = null;
                inBlock = 0;
                blockRows = 0;
            }
        }

        /** Adds the block being filled to the full ones. */
        private void keepBlock() {
            blocks.add(block);
            blockFills.add(inBlock - blockStart);
            blockStarts.add(blockStart);
            blockStart = 0;
        }

        /** The rows read so far. */
        int rows() {
            return rows;
        }

        /** The number of fields every record of the file has (fixed by its first record). */
        int fieldCount() {
            return fieldCount;
        }

        /** Starts a record of a plain chunk ({@link ChunkedCsvReading#parsePlain}) at this line. */
        void beginPlainRow(long startingLineNumber) {
            handleBegin(startingLineNumber);
        }

        /**
         * Takes cell {@code idx} of a plain chunk's record, {@code b[0, length)}, as the general parser's
         * {@link #handleField} and {@link #cell} would: ignored in a column not kept, missing when blank, else
         * stored when it is a short decimal. Returns false, having stored nothing of it, for anything that
         * needs the general path: a blank first cell (a blank line for the general parser when it is the only
         * one), or a kept cell that is not a short decimal.
         */
        boolean plainCell(int idx, char[] b, int length) {
            int slot = slotOf[idx];
            if (slot < 0) {
                return true;
            }
            int off = 0;
            int end = length;
            while (off < end && b[off] <= ' ') {
                off++;
            }
            while (end > off && b[end - 1] <= ' ') {
                end--;
            }
            if (off == end) {
                if (idx == 0) {
                    return false;
                }
                missingCell(idx, slot);
                return true;
            }
            double v = simpleDecimal(b, off, end);
            if (v != v) {
                return false;
            }
            block[base + slot] = v;
            numeric[idx] = true;
            return true;
        }

        /** Takes cell {@code idx} of a plain chunk's record, already read as the short decimal {@code v}. */
        void plainValue(int idx, double v) {
            int slot = slotOf[idx];
            if (slot >= 0) {
                block[base + slot] = v;
                numeric[idx] = true;
            }
        }

        /** Ends a record of a plain chunk. */
        void endPlainRow() {
            commitRow();
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            line = startingLineNumber;
            blankFirstField = false;
            recordHasMultiLineCell = false;
            if (started) {
                if (inBlock == blockRows) {
                    newBlock();
                }
                base = inBlock * width;
            }
        }

        @Override
        protected void handleField(int idx, char[] buf, int offset, int len, boolean quoted) {
            if (quoted) {
                noteLineBreaks(idx, buf, offset, offset + len);
            }
            if (!started) {
                if (idx == 0) {
                    firstFieldQuoted = quoted;
                }
                firstFields.add(new String(buf, offset, len));
                return;
            }
            if (idx == 0 && !quoted && isBlank(buf, offset, offset + len)) {
                // A line of only spaces is a blank line, not a row of one missing value.
                blankFirstField = true;
                return;
            }
            if (idx >= fieldCount) {
                return;
            }
            int slot = slotOf[idx];
            if (slot >= 0) {
                cell(idx, slot, buf, offset, offset + len);
            }
        }

        @Override
        protected RecordWrapper<Object> buildRecord() {
            int n = getFieldCount();
            lastRecordHasMultiLineCell = recordHasMultiLineCell;
            if (!started) {
                boolean blank = n == 1 && !firstFieldQuoted && firstFields.get(0).trim().isEmpty();
                if (blank) {
                    firstFields.clear();
                } else {
                    start();
                }
                return wrapRecord(RECORD);
            }
            if (n == 1 && blankFirstField) {
                return wrapRecord(RECORD);
            }
            if (n != fieldCount) {
                throw InvalidDataException.atLine(file, line, fields(n) + ", expected " + fieldCount
                        + " (as in line " + firstLine + ")" + unclosedQuoteHint(-1));
            }
            if (blankFirstField && slotOf[0] >= 0) {
                missingCell(0, slotOf[0]);
            }
            commitRow();
            return wrapRecord(RECORD);
        }

        private void noteLineBreaks(int idx, char[] b, int off, int end) {
            int breaks = 0;
            for (int i = off; i < end; i++) {
                char c = b[i];
                if (c == '\n' || (c == '\r' && (i + 1 == end || b[i + 1] != '\n'))) {
                    breaks++;
                }
            }
            if (breaks > 0) {
                if (chunked) {
                    throw new ChunkedCsvReading.NotChunkable();
                }
                char last = b[end - 1];
                recordHasMultiLineCell = true;
                multiLineCellLine = line;
                multiLineCellColumn = idx;
                multiLineCellLines = last == '\n' || last == '\r' ? breaks : breaks + 1;
            }
        }

        /** Why a record may have swallowed the lines after it, for messages about that record. */
        private String unclosedQuoteHint(int idx) {
            if (!recordHasMultiLineCell) {
                return "";
            }
            String spans = " spans " + multiLineCellLines + " lines: is a closing quote missing?";
            if (idx < 0) {
                return "; column " + (multiLineCellColumn + 1) + " has a quoted cell that" + spans;
            }
            return idx == multiLineCellColumn ? "; the quoted cell" + spans : "";
        }

        private static boolean isBlank(char[] b, int off, int end) {
            for (int i = off; i < end; i++) {
                if (b[i] > ' ') {
                    return false;
                }
            }
            return true;
        }

        private void cell(int idx, int slot, char[] b, int off, int end) {
            while (off < end && b[off] <= ' ') {
                off++;
            }
            while (end > off && b[end - 1] <= ' ') {
                end--;
            }
            if (off == end) {
                missingCell(idx, slot);
                return;
            }
            double v = simpleDecimal(b, off, end);
            if (v == v) {
                block[base + slot] = v;
                numeric[idx] = true;
                return;
            }
            if (plainNumberShape(b, off, end)) {
                try {
                    v = JavaDoubleParser.parseDouble(b, off, end - off);
                } catch (NumberFormatException e) {
                    text(idx, b, off, end);
                    return;
                }
                if (Double.isInfinite(v)) {
                    throw infinite(idx, b, off, end);
                }
            } else {
                switch (wordKind(b, off, end)) {
                    case MISSING -> missingCell(idx, slot);
                    case INFINITE -> throw infinite(idx, b, off, end);
                    default -> text(idx, b, off, end);
                }
                return;
            }
            block[base + slot] = v;
            numeric[idx] = true;
        }

        private void missingCell(int idx, int slot) {
            block[base + slot] = Double.NaN;
            if (missing[idx]++ == 0) {
                firstMissingLine[idx] = line;
            }
        }

        private void text(int idx, char[] b, int off, int end) {
            if (speculative) {
                throw new ChunkedCsvReading.NotChunkable();
            }
            if (!numeric[idx]) {
                slotOf[idx] = -1;
                dropped.add(idx);
                return;
            }
            throw InvalidDataException.atCell(file, line, idx + 1, names[idx],
                    InvalidDataException.quote(new String(b, off, end - off)) + " is not a number"
                            + unclosedQuoteHint(idx));
        }

        private InvalidDataException infinite(int idx, char[] b, int off, int end) {
            return InvalidDataException.atCell(file, line, idx + 1, names[idx],
                    "infinite value " + InvalidDataException.quote(new String(b, off, end - off)));
        }

        /** Fixes the layout from the first record, and stores it as data unless it is the header. */
        private void start() {
            started = true;
            firstLine = line;
            fieldCount = firstFields.size();
            hasHeader = switch (options.header()) {
                case PRESENT -> true;
                case ABSENT -> false;
                case AUTO -> looksLikeHeader();
            };
            names = new String[fieldCount];
            for (int j = 0; j < fieldCount; j++) {
                String name = hasHeader ? firstFields.get(j).trim() : "";
                names[j] = name.isEmpty() ? "x" + (j + 1) : name;
            }
            slotOf = new int[fieldCount];
            numeric = new boolean[fieldCount];
            missing = new long[fieldCount];
            firstMissingLine = new long[fieldCount];
            if (options.columns().isEmpty()) {
                for (int j = 0; j < fieldCount; j++) {
                    slotOf[j] = j;
                }
                width = fieldCount;
            } else {
                explicitSelection = true;
                selected = resolveSelection();
                Arrays.fill(slotOf, -1);
                for (int k = 0; k < selected.length; k++) {
                    slotOf[selected[k]] = k;
                    numeric[selected[k]] = true;
                }
                width = selected.length;
            }
            newBlock();
            if (!hasHeader) {
                base = 0;
                for (int j = 0; j < fieldCount; j++) {
                    if (slotOf[j] >= 0) {
                        char[] chars = firstFields.get(j).toCharArray();
                        cell(j, slotOf[j], chars, 0, chars.length);
                    }
                }
                commitRow();
            }
            firstFields.clear();
        }

        private boolean looksLikeHeader() {
            for (String field : firstFields) {
                String t = field.trim();
                if (!t.isEmpty() && kind(t.toCharArray(), 0, t.length()) == TEXT) {
                    return true;
                }
            }
            return false;
        }

        private int[] resolveSelection() {
            List<String> wanted = options.columns();
            int[] cols = new int[wanted.size()];
            int[] selectedBy = new int[fieldCount];
            for (int k = 0; k < cols.length; k++) {
                String entry = wanted.get(k).trim();
                int col = columnNamed(entry);
                if (col < 0) {
                    col = columnNumbered(entry);
                }
                if (selectedBy[col] != 0) {
                    throw InvalidDataException.atColumn(file, col + 1, names[col], "selected twice");
                }
                selectedBy[col] = k + 1;
                cols[k] = col;
            }
            return cols;
        }

        /** The column with this name, -1 if none; a name used twice cannot select a column. */
        private int columnNamed(String name) {
            int found = -1;
            for (int j = 0; j < fieldCount; j++) {
                if (names[j].equals(name)) {
                    if (found >= 0) {
                        throw InvalidDataException.ofFile(file, "the column name " + InvalidDataException.quote(name)
                                + " is ambiguous: it names columns " + (found + 1) + " and " + (j + 1)
                                + "; select by number instead");
                    }
                    found = j;
                }
            }
            return found;
        }

        private int columnNumbered(String entry) {
            boolean digits = !entry.isEmpty() && entry.length() <= 9;
            for (int i = 0; digits && i < entry.length(); i++) {
                char c = entry.charAt(i);
                digits = c >= '0' && c <= '9';
            }
            String header = hasHeader ? "" : " (the file has no header)";
            if (!digits) {
                throw InvalidDataException.ofFile(file, "no column named " + InvalidDataException.quote(entry)
                        + header + "; the columns are: " + listColumns(names));
            }
            int number = Integer.parseInt(entry);
            if (number < 1 || number > fieldCount) {
                throw InvalidDataException.ofFile(file, "no column " + number + "; the file has "
                        + (fieldCount == 1 ? "1 column" : fieldCount + " columns") + ": " + listColumns(names));
            }
            return number - 1;
        }

        private void newBlock() {
            if (writer != null) {
                if (block == null) {
                    blockRows = rowsPerBlock(STREAM_BLOCK_ROWS);
                    block = new double[blockRows * width];
                } else {
                    flushToWriter();
                }
                inBlock = 0;
                return;
            }
            boolean window = block != null && block == shared;
            if (block != null) {
                keepBlock();
            }
            blockRows = rowsPerBlock(block == null || window ? firstBlockRows
                    : Math.min(MAX_BLOCK_ROWS, blockRows * 2));
            block = new double[blockRows * width];
            inBlock = 0;
        }

        /** As many rows as wanted, fewer when that many rows of this width would make a block too large. */
        private int rowsPerBlock(int wanted) {
            return Math.max(1, Math.min(wanted, MAX_BLOCK_VALUES / Math.max(1, width)));
        }

        private void flushToWriter() {
            int[] columns = keptColumns();
            int[] slots = new int[columns.length];
            for (int k = 0; k < columns.length; k++) {
                slots[k] = explicitSelection ? k : columns[k];
            }
            try {
                writer.write(block, inBlock, width, columns, slots, names);
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
        }

        private void commitRow() {
            if (writer != null) {
                if (rows == Integer.MAX_VALUE - 8) {
                    throw InvalidDataException.ofFile(file, "too many rows (more than " + rows + ")");
                }
                rows++;
                inBlock++;
                countRow();
                return;
            }
            if (rows == lines.length) {
                if (rows == Integer.MAX_VALUE - 8) {
                    throw InvalidDataException.ofFile(file, "too many rows (more than " + rows + ")");
                }
                lines = Arrays.copyOf(lines, (int) Math.min(Integer.MAX_VALUE - 8, 2L * rows));
            }
            lines[rows++] = line > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) line;
            inBlock++;
            countRow();
        }

        /** Adds to the row counter after every {@link #COUNTED_ROWS} rows of this handler. */
        private void countRow() {
            if ((rows & (COUNTED_ROWS - 1)) == 0 && countAsRead && rowCounter != null) {
                rowCounter.add(COUNTED_ROWS);
            }
        }

        /** Adds to the row counter the rows read since its last step: the count is then exact. */
        void countRest() {
            if (countAsRead && rowCounter != null) {
                rowCounter.add(rows & (COUNTED_ROWS - 1));
            }
        }

        /** Adds all of a later chunk's rows to the row counter, once the chunk has been parsed whole. */
        void countChunk() {
            if (rowCounter != null) {
                rowCounter.add(rows);
            }
        }

        /** The file columns kept so far, in output order: as selected, or those not ruled out by text. */
        private int[] keptColumns() {
            if (explicitSelection) {
                return selected;
            }
            int[] cols = new int[fieldCount - dropped.size()];
            int k = 0;
            for (int j = 0; j < fieldCount; j++) {
                if (slotOf[j] >= 0) {
                    cols[k++] = j;
                }
            }
            return cols;
        }

        /** What both endings share: the file's final layout, checked. */
        private record Layout(int[] fileCols, List<String> colNames, List<String> ignored, long missingCells,
                              CsvData.MissingCell firstMissing) {
        }

        /** Checks that there is data and fixes the kept columns and the missing-value count. */
        private Layout layout() {
            if (!started) {
                throw InvalidDataException.ofFile(file, "the file is empty");
            }
            if (lastRecordHasMultiLineCell) {
                int column = multiLineCellColumn;
                String name = column < fieldCount && names != null ? names[column] : null;
                throw InvalidDataException.atCell(file, multiLineCellLine, column + 1, name,
                        "the quoted cell spans the last " + multiLineCellLines
                                + " lines of the file: is a closing quote missing?");
            }
            if (rows == 0) {
                throw InvalidDataException.ofFile(file, "no data rows (only a header)");
            }
            dropped.sort(null);
            List<String> ignored = new ArrayList<>(dropped.size());
            for (int j : dropped) {
                ignored.add(names[j]);
            }
            int[] fileCols = keptColumns();
            if (fileCols.length == 0) {
                throw InvalidDataException.ofFile(file, "no numeric columns (ignored: "
                        + listColumns(ignored.toArray(new String[0])) + ")");
            }
            List<String> colNames = new ArrayList<>(fileCols.length);
            long missingCells = 0;
            int firstCol = -1;
            for (int j : fileCols) {
                colNames.add(names[j]);
                missingCells += missing[j];
            }
            for (int j = 0; j < fieldCount; j++) {
                // Dropped and unselected columns both have no slot.
                if (slotOf[j] >= 0 && missing[j] > 0 && (firstCol < 0 || firstMissingLine[j] < firstMissingLine[firstCol])) {
                    firstCol = j;
                }
            }
            CsvData.MissingCell first = firstCol < 0 ? null
                    : new CsvData.MissingCell(firstMissingLine[firstCol], firstCol + 1, names[firstCol]);
            return new Layout(fileCols, colNames, ignored, missingCells, first);
        }

        /** Checks that there is data and copies the kept columns into one row-major array. */
        CsvData finish() {
            Layout l = layout();
            int[] fileCols = l.fileCols();
            int kept = fileCols.length;
            long total = (long) rows * kept;
            if (total > Integer.MAX_VALUE - 8) {
                throw InvalidDataException.ofFile(file, "too many values for one table: " + rows + " rows x "
                        + kept + " columns");
            }
            double[] values = assemble(fileCols, (int) total);
            int[] oneBased = new int[kept];
            for (int k = 0; k < kept; k++) {
                oneBased[k] = fileCols[k] + 1;
            }
            Dataset dataset = Dataset.wrap(values, rows, kept, l.colNames());
            CsvData data = new CsvData(dataset, file, hasHeader, l.missingCells(), l.firstMissing(), l.ignored(),
                    Arrays.copyOf(lines, rows), oneBased, Arrays.asList(names));
            data.readInPlace = readInPlace;
            return data;
        }

        /** Writes the last rows and finishes the {@code .emk} file. */
        EmkConversion finishStreaming() {
            Layout l = layout();
            flushToWriter();
            try {
                writer.finish(l.fileCols(), names);
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
            return new EmkConversion(file, rows, l.colNames(), l.missingCells(), l.firstMissing(), l.ignored());
        }

        private double[] assemble(int[] fileCols, int total) {
            int kept = fileCols.length;
            int[] slots = new int[kept];
            boolean identity = kept == width;
            for (int k = 0; k < kept; k++) {
                slots[k] = slotOf[fileCols[k]];
                identity &= slots[k] == k;
            }
            closeBlock();
            if (identity && shared != null && rowsInShared()) {
                readInPlace = true;
                blocks.clear();
                return shared;
            }
            double[] out = new double[total];
            int pos = 0;
            for (int i = 0; i < blocks.size(); i++) {
                double[] b = blocks.get(i);
                int n = blockFills.get(i);
                int start = blockStarts.get(i);
                // Dropped as copied, so the garbage collector may reclaim them while the copy goes on.
                blocks.set(i, null);
                if (identity) {
                    System.arraycopy(b, start * width, out, pos, n * width);
                    pos += n * width;
                } else {
                    for (int r = 0; r < n; r++) {
                        int from = (start + r) * width;
                        for (int k = 0; k < kept; k++) {
                            out[pos++] = b[from + slots[k]];
                        }
                    }
                }
            }
            return out;
        }
    }

    /**
     * Drops a leading byte order mark, which some editors write at the start of UTF-8 files, and leaves
     * the caller's reader open.
     */
    private static final class BomSkippingReader extends Reader {
        private final Reader in;
        private boolean atStart = true;

        BomSkippingReader(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            int n = in.read(cbuf, off, len);
            if (atStart && n > 0) {
                atStart = false;
                if (cbuf[off] == '\uFEFF') {
                    if (n == 1) {
                        return read(cbuf, off, len);
                    }
                    System.arraycopy(cbuf, off + 1, cbuf, off, n - 1);
                    return n - 1;
                }
            }
            return n;
        }

        @Override
        public void close() {
            // the caller owns the reader
        }
    }
}
