package io.emkit.bench;

import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * The speed targets of the robust and high-dimensional mixtures (issue "Mixtures that survive outliers and many
 * dimensions"), each side by side in one process:
 * <ul>
 *   <li>{@code t}: seconds per iteration of the Student-t fit against the Gaussian fit of the same structure (full,
 *   diag, spherical, tied), both from the same start on the bench generator's data (default case 100k-16-16);
 *   target ≤ 1.5×.</li>
 *   <li>{@code mfa}: seconds per iteration of a mixture of factor analysers at D = 1000, Q = 5, K = 10, n = 100k
 *   against full covariance at D = 200 (same n and K; target: faster), and the heap a fit needs beyond its data
 *   (the peak of the heap pools during the fit less the heap in use before it) for the factor analysers at D = 1000
 *   against full covariance at D = 1000 (measured on 2,000 rows: its matrices do not depend on n; target: under
 *   10%).</li>
 * </ul>
 * Per iteration is {@code (t(N2) − t(N1)) / (N2 − N1)} with the tolerance at 0 (N = 2 and 32 for t, 1 and 4 for the
 * wide fits), so the start, the first E-step and the result's bookkeeping cancel; the best of three. All cores.
 *
 * <p>Usage: {@code java -Xmx12g -cp ... io.emkit.bench.RobustMixturesBench [t [CASE]] [mfa [N]]} (both parts by
 * default; N = 100000).
 */
public final class RobustMixturesBench {
    private RobustMixturesBench() {
    }

    /**
     * @param args {@code t [CASE]} and/or {@code mfa [N]}; both by default
     */
    public static void main(String[] args) {
        boolean all = args.length == 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("t")) {
                student(i + 1 < args.length && !args[i + 1].equals("mfa") ? args[++i] : "100k-16-16");
            } else if (args[i].equals("mfa")) {
                factors(i + 1 < args.length && !args[i + 1].equals("t") ? Integer.parseInt(args[++i]) : 100_000);
            }
        }
        if (all) {
            student("100k-16-16");
            factors(100_000);
        }
    }

    private static void student(String caseId) {
        BenchCase c = BenchCase.parse(caseId);
        SyntheticData data = SyntheticData.generate(c);
        Dataset ds = Dataset.wrap(data.flat(), c.n(), c.d(), Dataset.defaultNames(c.d()));
        System.out.printf(Locale.ROOT, "## t against Gaussian, case %s, %d threads%n%n", c.id(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| structure | Gaussian s/iteration | t s/iteration | t / Gaussian |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                CovarianceType.SPHERICAL, CovarianceType.TIED}) {
            // A start of this structure: two EM iterations from the case's common start's means.
            GaussianMixture gaussian = GaussianMixture.withComponents(c.k()).covarianceType(type)
                    .options(EmOptions.defaults().withInitializations(1).withSeed(1));
            GaussianMixtureModel start = gaussian.maxIterations(2).tolerance(0).fit(ds).params();
            double[] nu = new double[c.k()];
            Arrays.fill(nu, 10.0);
            StudentMixtureModel studentStart = new StudentMixtureModel(start, nu, DegreesOfFreedom.Constraint.FREE);
            GaussianMixture fromStart = gaussian.initialModel(start).tolerance(0);
            double g = perIteration(2, 32, iterations -> seconds(() -> fromStart.maxIterations(iterations).fit(ds)));
            double t = perIteration(2, 32, iterations -> seconds(() -> StudentMixture.like(fromStart.maxIterations(iterations))
                    .initialModel(studentStart).fit(ds)));
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.2f |%n", type.label(), g, t, t / g);
        }
        System.out.println();
    }

    private static void factors(int n) {
        int k = 10;
        int q = 5;
        System.out.printf(Locale.ROOT, "## factor analysers against full covariance, n = %d, K = %d, %d threads%n%n", n, k,
                Runtime.getRuntime().availableProcessors());
        FactorAnalyserMixtureModel wide = randomFactorModel(k, 1000, q, 1);
        Dataset wideData = wide.sample(n, 2).data();
        GaussianMixture base = GaussianMixture.withComponents(k).options(EmOptions.defaults().withInitializations(1)
                .withSeed(1)).tolerance(0);
        double[] mfaBytes = new double[1];
        double mfa = perIteration(1, 4, iterations -> {
            long before = heapInUse();
            double s = seconds(() -> FactorAnalyserMixture.like(base.maxIterations(iterations), q)
                    .initialModel(wide).fit(wideData));
            mfaBytes[0] = Math.max(mfaBytes[0], peakHeap() - before);
            return s;
        });
        FactorAnalyserMixtureModel narrow = randomFactorModel(k, 200, q, 3);
        Dataset narrowData = narrow.sample(n, 4).data();
        GaussianMixtureModel narrowStart = asFullGaussian(narrow);
        double full200 = perIteration(1, 4, iterations -> seconds(() -> base.initialModel(narrowStart)
                .maxIterations(iterations).fit(narrowData)));
        System.out.println("| fit | D | s/iteration |");
        System.out.println("| --- | ---: | ---: |");
        System.out.printf(Locale.ROOT, "| factor analysers, Q = %d | 1000 | %.3f |%n", q, mfa);
        System.out.printf(Locale.ROOT, "| full covariance | 200 | %.3f |%n%n", full200);

        // Memory beyond the data at D = 1000: full covariance's matrices do not depend on n, so 2,000 rows do.
        Dataset fewRows = wide.sample(2000, 5).data();
        GaussianMixtureModel wideStart = asFullGaussian(wide);
        long before = heapInUse();
        seconds(() -> base.initialModel(wideStart).maxIterations(2).fit(fewRows));
        double fullBytes = peakHeap() - before;
        System.out.println("| fit at D = 1000 | heap beyond the data, MB |");
        System.out.println("| --- | ---: |");
        System.out.printf(Locale.ROOT, "| factor analysers, Q = %d (n = %d) | %.1f |%n", q, n, mfaBytes[0] / 1e6);
        System.out.printf(Locale.ROOT, "| full covariance (n = 2000) | %.1f |%n", fullBytes / 1e6);
        System.out.printf(Locale.ROOT, "factor analysers / full: %.1f%%%n%n", 100 * mfaBytes[0] / fullBytes);
    }

    /** The best of three of {@code (t(longer) − t(shorter)) / (longer − shorter)}, after one run to warm up. */
    private static double perIteration(int shorter, int longer, IntToDoubleFunction secondsFor) {
        double best = Double.POSITIVE_INFINITY;
        secondsFor.applyAsDouble(shorter);
        for (int repeat = 0; repeat < 3; repeat++) {
            double shortRun = secondsFor.applyAsDouble(shorter);
            double longRun = secondsFor.applyAsDouble(longer);
            best = Math.min(best, (longRun - shortRun) / (longer - shorter));
        }
        return best;
    }

    private static double seconds(Runnable fit) {
        long t0 = System.nanoTime();
        fit.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The heap in use after a collection, with every heap pool's peak reset to it. */
    private static long heapInUse() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    /** The sum of the heap pools' peaks since {@link #heapInUse()}. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static FactorAnalyserMixtureModel randomFactorModel(int k, int d, int q, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[k];
        Arrays.fill(w, 1.0 / k);
        double[][] means = new double[k][d];
        double[][][] loadings = new double[k][d][q];
        double[][] psi = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] = 2 * random.nextGaussian();
                psi[c][j] = 0.5 + random.nextDouble();
                for (int a = 0; a < q; a++) {
                    loadings[c][j][a] = random.nextGaussian();
                }
            }
        }
        return new FactorAnalyserMixtureModel(w, means, loadings, psi, null);
    }

    private static GaussianMixtureModel asFullGaussian(FactorAnalyserMixtureModel m) {
        int k = m.components();
        double[][] means = new double[k][];
        double[][][] covariances = new double[k][][];
        for (int c = 0; c < k; c++) {
            means[c] = m.mean(c);
            covariances[c] = m.covariance(c);
        }
        return GaussianMixtureModel.of(CovarianceType.FULL, m.weights(), means, covariances);
    }
}
