package io.emkit.bench;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.em.MiniBatch;

import java.util.Locale;

/**
 * Mini-batch (stepwise) EM against full EM on a case's synthetic data, from the case's common start
 * ({@link SyntheticData#start()}): the log-likelihood each reaches and its time. Full EM runs to the
 * default tolerance (1e-3 on the mean log-likelihood) and, for reference, for exactly one iteration (the
 * cost of one pass over the data); mini-batch EM makes one pass and then two passes in batches of B rows
 * (its time includes the extra pass that evaluates the final log-likelihood). The generating parameters'
 * log-likelihood is printed as a yardstick. All cores; one JIT warm-up fit on the first 20,000 rows first.
 *
 * <p>Usage: {@code java -cp ... io.emkit.bench.MiniBatchBench [case] [B...]} (defaults {@code 1m-16-16}
 * and B = 1000 10000).
 */
public final class MiniBatchBench {
    private MiniBatchBench() {
    }

    /**
     * @param args optional: the case (N-D-K or N-D-K-diag), then batch sizes
     */
    public static void main(String[] args) {
        BenchCase c = BenchCase.parse(args.length > 0 ? args[0] : "1m-16-16");
        int[] batchSizes = args.length > 1 ? new int[args.length - 1] : new int[] {1000, 10_000};
        for (int i = 1; i < args.length; i++) {
            batchSizes[i - 1] = Integer.parseInt(args[i]);
        }
        SyntheticData data = SyntheticData.generate(c);
        Dataset ds = Dataset.wrap(data.flat(), c.n(), c.d(), Dataset.defaultNames(c.d()));
        GaussianMixtureModel start = data.start().toEmkit();
        GaussianMixture base = GaussianMixture.withComponents(c.k())
                .covarianceType(c.diag() ? CovarianceType.DIAG : CovarianceType.FULL).initialModel(start);
        int warm = Math.min(c.n(), 20_000);
        Dataset head = Dataset.wrap(java.util.Arrays.copyOf(data.flat(), warm * c.d()), warm, c.d(), ds.columnNames());
        base.maxIterations(3).tolerance(0).fit(head);
        base.miniBatch(MiniBatch.ofSize(Math.max(1, warm / 10))).fit(head);

        System.out.printf(Locale.ROOT, "case %s (n = %d, D = %d, K = %d), %d threads%n", c.id(), c.n(), c.d(), c.k(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| method | M-steps | reads of the data | log-likelihood | per row | seconds |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        double truth = data.truth().toEmkit().score(ds) * c.n();
        System.out.printf(Locale.ROOT, "| generating parameters | | | %.4f | %.6f | |%n", truth, truth / c.n());
        row("full EM, 1 iteration", base.maxIterations(1).tolerance(0), ds);
        row("full EM, to tolerance 1e-3", base.maxIterations(500), ds);
        for (int b : batchSizes) {
            for (int passes = 1; passes <= 2; passes++) {
                row("mini-batch B = " + b + ", " + passes + (passes == 1 ? " pass" : " passes"),
                        base.miniBatch(MiniBatch.ofSize(b).passes(passes)), ds);
            }
        }
    }

    private static void row(String label, GaussianMixture config, Dataset ds) {
        long t0 = System.nanoTime();
        EmResult<GaussianMixtureModel> fit = config.fit(ds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // Full EM reads the data once per E-step (start, each M-step); mini-batch once per pass, plus the evaluation.
        int reads = config.miniBatch() == null ? fit.iterations() + 1 : config.miniBatch().passes() + 1;
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.4f | %.6f | %.3f |%n", label, fit.iterations(), reads,
                fit.logLikelihood(), fit.meanLogLikelihood(), seconds);
    }
}
