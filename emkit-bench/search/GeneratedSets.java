import io.emkit.data.CsvOptions;
import io.emkit.data.DataFiles;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kernels.Linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The default search on big data against an independent reference: data sets big enough to be explored on a
 * sample, drawn from known parameters, each fitted by emkit's default fit and compared with the optimum EM reaches
 * from the parameters that generated it (started there, tolerance 1e-12). A fit is counted as reaching it when it
 * is no more than 0.01 nats below. The search-quality grid (SearchGrid.java, run.sh) has no set that large.
 *
 * <pre>
 *   mvn -B -q -o package -pl emkit-core -am -DskipTests
 *   mvn -B -q -o dependency:build-classpath -pl emkit-core -Dmdep.outputFile=/tmp/core.cp
 *   CP=emkit-core/target/classes:$(cat /tmp/core.cp)
 *   # a family drawn here: rows, dimension, components, data seeds FROM..TO, search seeds FROM..TO
 *   java --add-modules jdk.incubator.vector -cp $CP emkit-bench/search/GeneratedSets.java drawn 60000 12 12 1 12 0 0
 *   # a file written by emkit-bench/wholejob/truth-optimum.py N D K SEED --out DIR, with the optimum it printed
 *   java ... emkit-bench/search/GeneratedSets.java file DIR/truth-50000-8-14-52.csv 14 -674550.4459
 * </pre>
 * The drawn family: means uniform in ±3√(3/D), each covariance Qᵀ diag(λ) Q with Q a random orthonormal basis and λ
 * log-uniform in [0.3, 3], weights from exponentials plus 0.05, the rows in order of a fresh stream (a data seed s
 * draws the truth from s and the rows from s + 1000).
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
            GaussianMixtureModel truth = randomTruth(d, k, s);
            Dataset data = draw(truth, n, s + 1000);
            double optimum = GaussianMixture.withComponents(k).initialModel(truth).tolerance(1e-12)
                    .maxIterations(5000).fit(data).logLikelihood();
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

    /** A truth as described in the class comment. */
    static GaussianMixtureModel randomTruth(int d, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] weights = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            weights[c] = -Math.log(1 - random.nextDouble()) + 0.05;
            sum += weights[c];
        }
        double half = 3 * Math.sqrt(3.0 / d);
        double[][] means = new double[k][d];
        for (int c = 0; c < k; c++) {
            weights[c] /= sum;
            for (int j = 0; j < d; j++) {
                means[c][j] = random.nextDouble(-half, half);
            }
        }
        double[][][] covariances = new double[k][][];
        for (int c = 0; c < k; c++) {
            double[][] basis = orthonormalBasis(d, random);
            double[] eigenvalues = new double[d];
            for (int a = 0; a < d; a++) {
                eigenvalues[a] = Math.exp(random.nextDouble(Math.log(0.3), Math.log(3)));
            }
            covariances[c] = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int a = 0; a < d; a++) {
                        covariances[c][i][j] += basis[a][i] * eigenvalues[a] * basis[a][j];
                    }
                }
            }
        }
        return GaussianMixtureModel.full(weights, means, covariances);
    }

    /** Gram–Schmidt on Gaussian rows. */
    private static double[][] orthonormalBasis(int d, SplittableRandom random) {
        double[][] q = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int j = 0; j < d; j++) {
                q[a][j] = random.nextGaussian();
            }
            for (int b = 0; b < a; b++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += q[a][j] * q[b][j];
                }
                for (int j = 0; j < d; j++) {
                    q[a][j] -= dot * q[b][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += q[a][j] * q[a][j];
            }
            for (int j = 0; j < d; j++) {
                q[a][j] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    /** n rows of the truth: each a component drawn by weight, then its mean plus its Cholesky factor times z. */
    static Dataset draw(GaussianMixtureModel truth, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int k = truth.components();
        int d = truth.dimension();
        double[][][] chol = new double[k][][];
        for (int c = 0; c < k; c++) {
            chol[c] = Linalg.choleskyLower(truth.covariance(c));
        }
        double[][] rows = new double[n][d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double acc = 0;
            int c = 0;
            for (; c < k - 1; c++) {
                acc += truth.weights()[c];
                if (u < acc) {
                    break;
                }
            }
            double[] mu = truth.mean(c);
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            for (int a = 0; a < d; a++) {
                double v = mu[a];
                for (int b = 0; b <= a; b++) {
                    v += chol[c][a][b] * z[b];
                }
                rows[i][a] = v;
            }
        }
        return Dataset.of(rows);
    }

    private GeneratedSets() {
    }
}
