package io.emkit.data;

import io.emkit.io.AtomicFiles;

import java.nio.file.Path;

/** Converts a CSV file to {@code .emk} in its own JVM, so a test can give it a heap smaller than the data. */
public final class ConvertInChildJvm {
    private ConvertInChildJvm() {
    }

    /**
     * @param args the CSV file and the {@code .emk} file to write
     */
    public static void main(String[] args) {
        Path csv = Path.of(args[0]);
        AtomicFiles.writeChannel(Path.of(args[1]), ch -> EmkFile.convert(csv, CsvOptions.defaults(), ch));
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
    }
}
