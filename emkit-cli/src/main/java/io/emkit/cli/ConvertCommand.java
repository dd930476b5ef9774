package io.emkit.cli;

import io.emkit.data.CsvData;
import io.emkit.data.Dataset;
import io.emkit.data.EmkFile;
import io.emkit.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code emkit convert}: a CSV file to emkit's binary format, for fast repeated reading. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a CSV file to emkit's binary .emk format (memory-mapped on read, no parsing).",
                "Every command that reads data accepts .emk files; missing values are kept (as NaN)."})
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
        CsvData csv = dataOptions.read(data);
        Dataset d = csv.dataset();
        if (!quiet) {
            for (String c : csv.ignoredColumns()) {
                spec.commandLine().getErr().println("note: ignoring non-numeric column '" + c
                        + "' (choose columns with --columns)");
            }
        }
        AtomicFiles.write(out, os -> {
            BufferedOutputStream b = new BufferedOutputStream(os, 1 << 16);
            EmkFile.write(d, b);
            b.flush();
        });
        if (!quiet) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            double mb = Files.size(out) / 1e6;
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "wrote %s: %d rows x %d columns (%s), %.1f MB, %d missing values, in %.2f s",
                    out, d.rows(), d.columns(), String.join(", ", d.columnNames()), mb, csv.missingCells(), seconds));
        }
        return 0;
    }
}
