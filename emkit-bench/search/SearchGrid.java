import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search-quality grid inside one JVM: emkit's default fit of every case in cases.tsv, timed without the
 * JVM's start, parsing or output, against references.tsv. For tuning the search's budget: it separates
 * what the search costs from what the process around it costs (run.sh measures the whole process).
 *
 * <pre>
 *   mvn -B -q -o package -pl emkit-core -am -DskipTests
 *   mvn -B -q -o dependency:build-classpath -pl emkit-core -Dmdep.outputFile=/tmp/core.cp
 *   java --add-modules jdk.incubator.vector -cp emkit-core/target/classes:$(cat /tmp/core.cp) \
 *       emkit-bench/search/SearchGrid.java [level] [threads] [case-glob] [squarem|daarem|none]
 *   java ... emkit-bench/search/SearchGrid.java iterations [case-glob]
 * </pre>
 * The fourth argument picks the acceleration of the default search (the library's default when left out).
 * Run from the repository's root, after run.sh has generated the data.
 */
public final class SearchGrid {
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("iterations")) {
            iterations(args.length > 1 ? args[1] : "*");
            return;
        }
        Search.Level level = args.length > 0 ? Search.Level.parse(args[0]) : Search.Level.DEFAULT;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String glob = args.length > 2 ? args[2] : "*";
        io.emkit.em.Acceleration acceleration = args.length > 3
                ? io.emkit.em.Acceleration.valueOf(args[3].toUpperCase(Locale.ROOT))
                : EmOptions.defaults().acceleration();
        Path here = Path.of("emkit-bench/search");
        Map<String, Double> best = new HashMap<>();
        for (String line : Files.readAllLines(here.resolve("references.tsv"))) {
            String[] f = line.split("\t");
            if (!f[0].equals("id")) {
                best.put(f[0], Double.parseDouble(f[1]));
            }
        }
        Map<String, Dataset> cache = new HashMap<>();
        System.out.println("case\tloglik\tbest\tgap\treached\tms\teSteps\tstarts\tshortIt\tcontinued\tmoves\tfinalIt");
        int reached = 0;
        int cases = 0;
        long totalMs = 0;
        long totalESteps = 0;
        for (String[] f : cases(here, glob)) {
            Dataset data = cache.computeIfAbsent(f[1] + "|" + f[2], k -> read(Path.of(f[1]), f[2].split(",")));
            GaussianMixture gm = GaussianMixture.withComponents(Integer.parseInt(f[3]))
                    .covarianceType(CovarianceType.parse(f[4]))
                    .options(EmOptions.defaults().withSearch(level).withAcceleration(acceleration)).threads(threads);
            long t0 = System.nanoTime();
            EmResult<GaussianMixtureModel> fit = gm.fit(data);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Double b = best.get(f[0]);
            double gap = b == null ? Double.NaN : b - fit.logLikelihood();
            boolean ok = b != null && gap <= Math.max(0.01, 1e-6 * Math.abs(b));
            cases++;
            reached += ok ? 1 : 0;
            totalMs += ms;
            Search.Report r = fit.search();
            totalESteps += r == null ? fit.iterations() : r.eSteps();
            System.out.printf(Locale.ROOT, "%s\t%.6f\t%s\t%.4g\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d%n", f[0], fit.logLikelihood(),
                    b, gap, ok ? "yes" : "NO", ms, r == null ? 0 : r.eSteps(), r == null ? 0 : r.shortStarts(),
                    r == null ? 0 : r.shortIterations(), r == null ? 0 : r.continued(),
                    r == null ? "" : r.movesAccepted() + "/" + r.movesTried(), fit.iterations());
        }
        System.out.printf(Locale.ROOT, "# %s, %s, %d threads: reached %d of %d, E-steps %d, fit time %.1f s%n", level,
                acceleration, threads, reached, cases, totalESteps, totalMs / 1000.0);
    }

    /**
     * The acceleration target: from one start per case (k-means++, seed 0), the E-steps of plain EM at the
     * old loose tolerance 1e-3, of SQUAREM at the default 1e-8, of plain EM at 1e-8 and of DAAREM at 1e-8, with
     * the medians and totals.
     */
    private static void iterations(String glob) throws IOException {
        Path here = Path.of("emkit-bench/search");
        Map<String, Dataset> cache = new HashMap<>();
        System.out.println("case\tplain1e-3\tsquarem1e-8\tplain1e-8\tdaarem1e-8\tll_plain1e-3\tll_squarem\tll_plain1e-8"
                + "\tll_daarem");
        List<int[]> all = new ArrayList<>();
        for (String[] f : cases(here, glob)) {
            Dataset data = cache.computeIfAbsent(f[1] + "|" + f[2], k -> read(Path.of(f[1]), f[2].split(",")));
            GaussianMixture gm = GaussianMixture.withComponents(Integer.parseInt(f[3]))
                    .covarianceType(CovarianceType.parse(f[4]));
            EmOptions one = EmOptions.defaults().withInitializations(1).withMaxIterations(5000).withThreads(1);
            EmResult<GaussianMixtureModel> loose = gm.options(one.withTolerance(1e-3)
                    .withAcceleration(io.emkit.em.Acceleration.NONE)).fit(data);
            EmResult<GaussianMixtureModel> fast = gm.options(one).fit(data);
            EmResult<GaussianMixtureModel> slow = gm.options(one.withAcceleration(io.emkit.em.Acceleration.NONE))
                    .fit(data);
            EmResult<GaussianMixtureModel> anderson = gm.options(one.withAcceleration(io.emkit.em.Acceleration.DAAREM))
                    .fit(data);
            all.add(new int[] {loose.iterations(), fast.iterations(), slow.iterations(), anderson.iterations()});
            System.out.printf(Locale.ROOT, "%s\t%d\t%d\t%d\t%d\t%.6f\t%.6f\t%.6f\t%.6f%n", f[0], loose.iterations(),
                    fast.iterations(), slow.iterations(), anderson.iterations(), loose.logLikelihood(),
                    fast.logLikelihood(), slow.logLikelihood(), anderson.logLikelihood());
        }
        int[] med = new int[4];
        long[] sum = new long[4];
        for (int j = 0; j < 4; j++) {
            int jj = j;
            int[] v = all.stream().mapToInt(r -> r[jj]).sorted().toArray();
            med[j] = v.length == 0 ? 0 : v[v.length / 2];
            sum[j] = java.util.Arrays.stream(v).asLongStream().sum();
        }
        System.out.printf(Locale.ROOT, "# median (total) E-steps over %d cases: plain at 1e-3 %d (%d), SQUAREM at 1e-8 %d"
                + " (%d), plain at 1e-8 %d (%d), DAAREM at 1e-8 %d (%d)%n", all.size(), med[0], sum[0], med[1], sum[1],
                med[2], sum[2], med[3], sum[3]);
    }

    /** The rows of cases.tsv (id, file, columns, K, covariance) whose id matches the glob. */
    private static List<String[]> cases(Path here, String glob) throws IOException {
        java.nio.file.PathMatcher matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(here.resolve("cases.tsv"))) {
            String[] f = line.split("\t");
            if (!f[0].equals("id") && matcher.matches(Path.of(f[0]))) {
                out.add(f);
            }
        }
        return out;
    }

    private static Dataset read(Path file, String[] columns) {
        try {
            List<String> lines = Files.readAllLines(file);
            String[] header = lines.get(0).split(",");
            int[] index = new int[columns.length];
            for (int j = 0; j < columns.length; j++) {
                index[j] = List.of(header).indexOf(columns[j]);
            }
            List<double[]> rows = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) {
                if (l.isBlank()) {
                    continue;
                }
                String[] f = l.split(",");
                double[] row = new double[columns.length];
                for (int j = 0; j < columns.length; j++) {
                    row[j] = Double.parseDouble(f[index[j]]);
                }
                rows.add(row);
            }
            return Dataset.of(rows.toArray(new double[0][]), List.of(columns));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
