package io.emkit.data;

import java.nio.file.Path;

/** Reads a data file of either format emkit knows: CSV, or its binary {@code .emk} format (detected by content). */
public final class DataFiles {
    private DataFiles() {
    }

    /**
     * @param file    a CSV or {@code .emk} file
     * @param options how to read it (for {@code .emk} only the column selection applies)
     * @return the data
     * @throws InvalidDataException for any problem with the file, naming it
     */
    public static CsvData read(Path file, CsvOptions options) {
        return EmkFile.isEmk(file) ? EmkFile.read(file, options) : CsvDataReader.read(file, options);
    }
}
