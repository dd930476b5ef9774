import io.emkit.data.CsvOptions;
import io.emkit.data.DataFiles;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.DrawnMixtures;
import io.emkit.gaussian.GaussianMixtureModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The default search on big data against an independent reference: data sets big enough to be explored on a
 * sample, drawn from known parameters, each fitted by emkit's default fit and compared with the optimum EM reaches
 * from the parameters that generated it (started there, tolerance 1e-12). A fit is counted as reaching it when it
 * is no more than 0.01 nats below. The search-quality grid (SearchGrid.java, run.sh) has no set that large.
 *
 * <pre>
 *   mvn -B -q -o test-compile -pl emkit-core
 *   mvn -B -q -o dependency:build-classpath -pl emkit-core -Dmdep.outputFile=/tmp/core.cp
 *   CP=emkit-core/target/classes:emkit-core/target/test-classes:$(cat /tmp/core.cp)
 *   # a family drawn here: rows, dimension, components, data seeds FROM..TO, search seeds FROM..TO
 *   java --add-modules jdk.incubator.vector -cp $CP emkit-bench/search/GeneratedSets.java drawn 60000 12 12 1 12 0 0
 *   # a file written by emkit-bench/wholejob/truth-optimum.py N D K SEED --out DIR, with the optimum it printed
 *   java ... emkit-bench/search/GeneratedSets.java file DIR/truth-50000-8-14-52.csv 14 -674550.4459
 * </pre>
 * The drawn family is emkit-core's test support {@code io.emkit.gaussian.DrawnMixtures} (as RepairsTest draws it):
 * means uniform in ±3√(3/D), each covariance of random orientation with eigenvalues log-uniform in [0.3, 3], weights
 * from exponentials plus 0.05; a data seed s draws the truth from s and the rows from s + 1000.
 */
public final class GeneratedSets {
    public static void main(String[] args) throws IOException {
        if (args.length == 4 && args[0].equals("file")) {
            Dataset data = DataFiles.read(Path.of(args[1]), CsvOptions.defaults()).dataset();
            report(args[1], data, Integer.parseInt(args[2]), Double.parseDouble(args[3]), 0);
            return;
        }
        if (args.length != 8 || !args[0].equals("drawn")) {
            System.err.println("usage: GeneratedSets drawn N D K DATA_FROM DATA_TO SEARCH_FROM SEARCH_TO"
                    + " | file CSV K OPTIMUM");
            System.exit(2);
        }
        int n = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        int reached = 0;
        int fits = 0;
        for (long s = Long.parseLong(args[4]); s <= Long.parseLong(args[5]); s++) {
            GaussianMixtureModel truth = DrawnMixtures.randomTruth(d, k, s);
            Dataset data = DrawnMixtures.draw(truth, n, s + 1000);
            double optimum = DrawnMixtures.optimumFromTruth(truth, data);
            for (long search = Long.parseLong(args[6]); search <= Long.parseLong(args[7]); search++) {
                reached += report(n + " x " + d + ", K = " + k + ", data seed " + s, data, k, optimum, search)
                        ? 1 : 0;
                fits++;
            }
        }
        System.out.printf(Locale.ROOT, "reached %d of %d%n", reached, fits);
    }

    /** Fits, prints one line and says whether the fit reached the optimum. */
    private static boolean report(String name, Dataset data, int k, double optimum, long seed) {
        long start = System.nanoTime();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(k).seed(seed).fit(data);
        double seconds = (System.nanoTime() - start) / 1e9;
        double gap = optimum - fit.logLikelihood();
        boolean reached = gap <= 0.01;
        System.out.printf(Locale.ROOT, "%s, search seed %d: %.4f, %.3f nats below the optimum from the truth"
                        + " (%s), %d E-steps, %.1f s; search: %s%n", name, seed, fit.logLikelihood(), gap,
                reached ? "reached" : "MISSED", fit.search().eSteps(), seconds, fit.search().summary());
        return reached;
    }

    private GeneratedSets() {
    }
}
