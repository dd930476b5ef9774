package io.emkit.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Measures {@link CsvDataReader#read(Path, CsvOptions)} on a generated 1,000,000 x 16 CSV file. Not a
 * unit test: timings depend on the machine, so this is run by hand, e.g.
 *
 * <pre>
 * mvn -q -B -pl emkit-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/emkit-cp.txt
 * java -Xmx4g -cp emkit-core/target/classes:emkit-core/target/test-classes:$(cat /tmp/emkit-cp.txt) \
 *     io.emkit.data.CsvReadSpeed [file] [runs]
 * </pre>
 *
 * The file is generated once (header, values with 1 to 8 significant digits, a few exponents) and
 * reused; delete it to regenerate.
 */
public final class CsvReadSpeed {
    private static final int ROWS = 1_000_000;
    private static final int COLUMNS = 16;

    private CsvReadSpeed() {
    }

    /**
     * @param args optional file path (default {@code /tmp/emkit-speed-1Mx16.csv}) and number of timed runs
     *             (default 5)
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/emkit-speed-1Mx16.csv");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (!Files.exists(file)) {
            generate(file);
        }
        double mb = Files.size(file) / 1e6;
        System.out.printf("%s: %.1f MB, %d x %d%n", file, mb, ROWS, COLUMNS);
        double best = Double.MAX_VALUE;
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            CsvData data = CsvDataReader.read(file, CsvOptions.defaults());
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, s);
            if (data.dataset().rows() != ROWS || data.dataset().columns() != COLUMNS) {
                throw new AssertionError("read " + data.dataset());
            }
            System.out.printf("run %d: %.3f s, %.0f MB/s%n", run, s, mb / s);
        }
        System.out.printf("best: %.3f s, %.0f MB/s%n", best, mb / best);
    }

    private static void generate(Path file) throws IOException {
        Random random = new Random(1);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(256);
            for (int j = 1; j <= COLUMNS; j++) {
                line.append(j > 1 ? "," : "").append("feature_").append(j);
            }
            out.write(line.append('\n').toString());
            for (int i = 0; i < ROWS; i++) {
                line.setLength(0);
                for (int j = 0; j < COLUMNS; j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    double v = random.nextGaussian() * 10 + j;
                    int digits = 1 + random.nextInt(8);
                    double scale = Math.pow(10, digits - 1 - Math.floor(Math.log10(Math.abs(v) + 1e-300)));
                    v = Math.round(v * scale) / scale;
                    line.append(random.nextInt(50) == 0 ? String.format("%.3e", v) : Double.toString(v));
                }
                out.write(line.append('\n').toString());
            }
        }
    }
}
