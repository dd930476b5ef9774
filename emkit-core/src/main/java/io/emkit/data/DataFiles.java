package io.emkit.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads a data file of either format emkit knows: CSV, or its binary {@code .emk} format (detected by content).
 * The name {@code -} stands for standard input, read once into a temporary file (deleted when the JVM exits)
 * so that it can be read as often, and in parallel, as a file.
 */
public final class DataFiles {
    /** The file name that stands for standard input. */
    public static final String STANDARD_INPUT = "-";

    /** Standard input's copy, and the stream it was copied from: a new {@code System.in} is copied anew. */
    private static InputStream copiedFrom;
    private static Path copy;

    private DataFiles() {
    }

    /**
     * @param file    a CSV or {@code .emk} file, or {@code -} for standard input
     * @param options how to read it (for {@code .emk} only the column selection applies)
     * @return the data
     * @throws InvalidDataException for any problem with the file, naming it
     */
    public static CsvData read(Path file, CsvOptions options) {
        return !isStandardInput(file) && EmkFile.isEmk(file) ? EmkFile.read(file, options)
                : CsvDataReader.read(file, options);
    }

    /**
     * @param file a file name as the user gave it
     * @return whether it stands for standard input ({@code -})
     */
    public static boolean isStandardInput(Path file) {
        return file.toString().equals(STANDARD_INPUT);
    }

    /**
     * @param file a file name as the user gave it
     * @return its name in messages: as given, or "standard input" for {@code -}
     */
    public static String nameOf(Path file) {
        return isStandardInput(file) ? "standard input" : file.toString();
    }

    /**
     * The file to open for a name: the file itself, or for {@code -} the copy of standard input, made on the
     * first call.
     */
    static synchronized Path source(Path file) throws IOException {
        if (!isStandardInput(file)) {
            return file;
        }
        InputStream in = System.in;
        if (copy == null || copiedFrom != in || !Files.exists(copy)) {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
            Path made = Files.createTempFile("emkit-stdin-", ".data");
            made.toFile().deleteOnExit();
            Files.copy(in, made, StandardCopyOption.REPLACE_EXISTING);
            copy = made;
            copiedFrom = in;
        }
        return copy;
    }
}
