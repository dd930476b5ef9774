package io.emkit.cli;

import io.emkit.data.CsvOptions;
import io.emkit.data.EmkConversion;
import io.emkit.data.EmkFile;
import io.emkit.data.CsvData;
import io.emkit.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code emkit convert}: a CSV file to emkit's binary format, for fast repeated reading. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a CSV file to emkit's binary .emk format (memory-mapped on read, no parsing).",
                "Every command that reads data accepts .emk files; missing values are kept (as NaN).",
                "The CSV is streamed (read and written a block of rows at a time), so it may be larger than memory."})
final class ConvertCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The CSV file to convert.")
    Path data;

    @Parameters(index = "1", paramLabel = "OUT.emk", description = "The binary file to write.")
    Path out;

    @Mixin
    DataOptions dataOptions;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Outputs.checkNotAnInput(out, "OUT.emk", data);
        long t0 = System.nanoTime();
        CsvOptions options = dataOptions.options();
        EmkConversion[] written = new EmkConversion[1];
        if (EmkFile.isEmk(data)) {
            // Another .emk file (to select columns): small enough to read, as every non-streaming command does.
            CsvData read = EmkFile.read(data, options);
            AtomicFiles.write(out, os -> EmkFile.write(read.dataset(), new BufferedOutputStream(os, 1 << 16)));
            written[0] = new EmkConversion(data.toString(), read.dataset().rows(), read.dataset().columnNames(),
                    read.missingCells(), read.firstMissing(), List.of());
        } else {
            AtomicFiles.writeChannel(out, ch -> written[0] = EmkFile.convert(data, options, ch));
        }
        EmkConversion c = written[0];
        if (!quiet) {
            for (String ignored : c.ignoredColumns()) {
                spec.commandLine().getErr().println("note: ignoring non-numeric column '" + ignored
                        + "' (choose columns with --columns)");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double mb = Files.size(out) / 1e6;
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "wrote %s: %d rows x %d columns (%s), %.1f MB, %d missing values, in %.2f s",
                    out, c.rows(), c.columnNames().size(), String.join(", ", c.columnNames()), mb, c.missingCells(),
                    seconds));
        }
        return 0;
    }
}
