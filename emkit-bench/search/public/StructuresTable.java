import io.emkit.data.CsvOptions;
import io.emkit.data.DataFiles;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * emkit's default fit of every cell of mclust's BIC table — the 14 structures × K = 1..9 — beside mclust's own cell
 * ({@code mclustBIC(x, G = 1:9)}, its default hierarchical start; mclust-tables.tsv, made by mclust-tables.R), on the
 * public holdout grid's ten sets and on Old Faithful and iris. Each cell is one fit as {@code emkit fit FILE
 * --components K --covariance S} makes it (the default search, seed 0, 2 threads): no neighbouring cell's fit, which
 * {@code emkit select} adds, so this asks whether the default fit of each of the 14 structures is as good as
 * mclust's, not only the four the search grids have.
 *
 * <p>Counted where mclust has a value: emkit's BIC at most mclust's + 0.1 ("at least mclust's"), or not (a lower
 * fit, or a fit emkit calls spurious or could not make where mclust has one). BIC is compared as emkit writes it
 * ({@code −2 log L + p ln n}, lower is better; mclust's sign is the other). Prints one line per cell (set, model, K,
 * emkit's BIC, mclust's, the nats emkit is above, milliseconds, status) and the counts per set.
 *
 * <pre>
 *   mvn -B -q -o compile -pl emkit-core
 *   mvn -B -q -o dependency:build-classpath -pl emkit-core -Dmdep.outputFile=/tmp/core.cp
 *   java --add-modules jdk.incubator.vector -cp emkit-core/target/classes:$(cat /tmp/core.cp) \
 *       emkit-bench/search/public/StructuresTable.java [set-glob]
 * </pre>
 * Run from the repository's root after make-data.py.
 */
public final class StructuresTable {
    private StructuresTable() {
    }

    public static void main(String[] args) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + (args.length > 0 ? args[0] : "*"));
        Path here = Path.of("emkit-bench/search/public");
        // set -> "MODEL K" -> mclust's BIC (its sign: higher is better), in the file's order
        Map<String, Map<String, Double>> mclust = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(here.resolve("mclust-tables.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            mclust.computeIfAbsent(f[0], s -> new LinkedHashMap<>()).put(f[1] + " " + f[2],
                    f[3].equals("NA") ? Double.NaN : Double.parseDouble(f[3]));
        }
        System.out.println("set\tmodel\tK\temkit_bic\tmclust_bic\tnats_above\tms\tstatus");
        int[] total = new int[2];
        for (Map.Entry<String, Map<String, Double>> set : mclust.entrySet()) {
            String name = set.getKey();
            if (!matcher.matches(Path.of(name))) {
                continue;
            }
            Path file = name.equals("faithful") || name.equals("iris") ? Path.of("examples", name + ".csv")
                    : here.resolve("data").resolve(name + ".csv");
            Dataset data = DataFiles.read(file, CsvOptions.defaults()).dataset();
            int atLeast = 0;
            int counted = 0;
            for (CovarianceType type : CovarianceType.all()) {
                for (int k = 1; k <= 9; k++) {
                    double theirs = -set.getValue().getOrDefault(type.mclustName() + " " + k, Double.NaN);
                    long t0 = System.nanoTime();
                    String status;
                    double bic = Double.NaN;
                    try {
                        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(k).covarianceType(type)
                                .options(EmOptions.defaults().withSeed(0)).threads(2).fit(data);
                        bic = -2 * fit.logLikelihood() + fit.parameterCount() * Math.log(data.totalWeight());
                        String spurious = fit.params().spuriousReason(GaussianMixture.DEFAULT_REG_COVAR,
                                data.recordingSteps());
                        status = spurious == null ? "proper" : "spurious";
                    } catch (RuntimeException e) {
                        status = "failed";
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (!Double.isNaN(theirs)) {
                        boolean ok = status.equals("proper") && bic <= theirs + 0.1;
                        atLeast += ok ? 1 : 0;
                        counted++;
                        status += ok ? "" : " BELOW";
                    }
                    System.out.printf(Locale.ROOT, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%d\t%s%n", name, type.mclustName(), k,
                            bic, theirs, (theirs - bic) / 2, ms, status);
                }
            }
            System.out.printf(Locale.ROOT, "# %s: %d of %d cells mclust fits at least mclust's%n", name, atLeast,
                    counted);
            total[0] += atLeast;
            total[1] += counted;
        }
        System.out.printf(Locale.ROOT, "# all: %d of %d%n", total[0], total[1]);
    }
}
