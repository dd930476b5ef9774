package io.emkit.cli;

import io.emkit.data.CsvData;
import io.emkit.data.DataFiles;
import io.emkit.data.CsvOptions;
import io.emkit.data.HeaderMode;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How to read a data file: shared by every command that reads one. */
public final class DataOptions {
    @Option(names = "--columns", split = ",", paramLabel = "COL",
            description = "Columns to use, by name or by number from 1 (default: every numeric column).")
    List<String> columns = new ArrayList<>();

    @Option(names = "--header", paramLabel = "auto|yes|no", converter = HeaderConverter.class,
            description = "Whether the first line names the columns (default: auto, detected).")
    HeaderMode header = HeaderMode.AUTO;

    /** @return the columns of {@code --columns}, empty when not given */
    public List<String> columns() {
        return columns;
    }

    /** @return {@code --header} */
    public HeaderMode header() {
        return header;
    }

    CsvData read(Path file) {
        return DataFiles.read(file, options());
    }

    /** @return the options reading a file as these options say */
    public CsvOptions options() {
        return CsvOptions.defaults().withColumns(columns).withHeader(header);
    }

    /** @return whether {@code --columns} is given */
    public boolean columnsGiven() {
        return !columns.isEmpty();
    }

    static final class HeaderConverter implements picocli.CommandLine.ITypeConverter<HeaderMode> {
        @Override
        public HeaderMode convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> HeaderMode.AUTO;
                case "yes", "true", "present" -> HeaderMode.PRESENT;
                case "no", "false", "absent" -> HeaderMode.ABSENT;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not one of auto, yes, no");
            };
        }
    }
}
