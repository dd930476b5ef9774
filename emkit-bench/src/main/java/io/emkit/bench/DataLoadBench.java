package io.emkit.bench;

import io.emkit.data.CsvData;
import io.emkit.data.CsvDataReader;
import io.emkit.data.CsvOptions;
import io.emkit.data.Dataset;
import io.emkit.data.EmkFile;
import io.emkit.data.MappedRows;
import io.emkit.io.AtomicFiles;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * How long loading data takes next to fitting it: MB/s of reading a generated 1,000,000 × 16 CSV into
 * memory ({@link CsvDataReader}), of converting it to {@code .emk} as {@code emkit convert} does
 * (streaming), of reading the {@code .emk} file into memory, and of mapping it and copying every row out
 * as an out-of-core fit does; then the seconds of one full-covariance EM iteration with K components on
 * the same rows ((T(3 iterations) − T(1)) / 2, from K rows as means). Best of R runs each; the file is
 * generated once (header, values with 1 to 8 significant digits, a few exponents) and reused.
 *
 * <p>Usage: {@code java -Xmx4g -cp ... io.emkit.bench.DataLoadBench [file.csv] [runs] [K]} (defaults
 * {@code /tmp/emkit-speed-1Mx16.csv}, 3, 16).
 */
public final class DataLoadBench {
    private static final int ROWS = 1_000_000;
    private static final int COLUMNS = 16;

    private DataLoadBench() {
    }

    /**
     * @param args optional: the CSV file, the number of runs, K
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "/tmp/emkit-speed-1Mx16.csv");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        if (!Files.exists(csv)) {
            generate(csv);
        }
        Path emk = Path.of(csv + ".emk");
        double csvMb = Files.size(csv) / 1e6;
        System.out.printf(Locale.ROOT, "%s: %.1f MB of CSV, %d threads%n", csv, csvMb,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| step | seconds (best of " + runs + ") | MB/s |");
        System.out.println("| --- | ---: | ---: |");
        Dataset data = best("read the CSV into memory", csvMb, runs, () -> {
            CsvData read = CsvDataReader.read(csv, CsvOptions.defaults());
            check(read.dataset().rows() > 0, "read " + read.dataset());
            return read.dataset();
        });
        best("convert the CSV to .emk (streaming)", csvMb, runs, () -> {
            AtomicFiles.writeChannel(emk, ch -> EmkFile.convert(csv, CsvOptions.defaults(), ch));
            return null;
        });
        double emkMb = Files.size(emk) / 1e6;
        best("read the .emk into memory", emkMb, runs, () -> EmkFile.read(emk, CsvOptions.defaults()).dataset());
        best("map the .emk and copy every row (out-of-core)", emkMb, runs, () -> {
            MappedRows rows = EmkFile.map(emk, CsvOptions.defaults());
            double[] block = new double[4096 * rows.columns()];
            double sum = 0;
            for (int from = 0; from < rows.rows(); from += 4096) {
                int to = Math.min(rows.rows(), from + 4096);
                rows.copyRows(from, to, block);
                sum += block[0];
            }
            check(!Double.isNaN(sum), "read NaN");
            return null;
        });
        System.out.printf(Locale.ROOT, "(%d rows x %d columns)%n", data.rows(), data.columns());
        GaussianMixtureModel start = startingModel(data, k);
        GaussianMixture config = GaussianMixture.withComponents(k).initialModel(start).tolerance(0);
        double one = bestSeconds(runs, () -> config.maxIterations(1).fit(data));
        double three = bestSeconds(runs, () -> config.maxIterations(3).fit(data));
        System.out.printf(Locale.ROOT, "| one EM iteration, full covariance, K = %d | %.3f | |%n", k, (three - one) / 2);
    }

    private static <T> T best(String label, double mb, int runs, Supplier<T> step) {
        Object[] result = new Object[1];
        double best = bestSeconds(runs, () -> result[0] = step.get());
        System.out.printf(Locale.ROOT, "| %s | %.3f | %.0f |%n", label, best, mb / best);
        @SuppressWarnings("unchecked")
        T last = (T) result[0];
        return last;
    }

    /**
     * @param runs how many times to run
     * @param step what to time
     * @return the shortest wall-clock time of a run, in seconds
     */
    static double bestSeconds(int runs, Runnable step) {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long t0 = System.nanoTime();
            step.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    /** K evenly spaced rows as means, unit covariances, equal weights. */
    private static GaussianMixtureModel startingModel(Dataset data, int k) {
        double[] w = new double[k];
        double[][] means = new double[k][];
        double[][][] covs = new double[k][][];
        for (int c = 0; c < k; c++) {
            w[c] = 1.0 / k;
            means[c] = data.row((int) ((long) c * data.rows() / k));
            covs[c] = new double[data.columns()][data.columns()];
            for (int j = 0; j < data.columns(); j++) {
                covs[c][j][j] = 1.0;
            }
        }
        return GaussianMixtureModel.full(w, means, covs);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
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
