package io.emkit.select;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The parametric bootstrap likelihood-ratio test for the number of components (McLachlan 1987; mclust's
 * {@code mclustBootstrapLRT}): for K = 1, 2, … and one covariance structure, tests K components against K + 1.
 *
 * <p>The statistic is {@code LRT = 2 (logL(K+1) − logL(K))}. Its null distribution (the usual χ² theory does
 * not hold at a boundary of the parameter space) is simulated: B samples of n rows are drawn from the fitted
 * K-component model, and K and K + 1 components are fitted to each (K warm-started from the generating
 * model, K + 1 with the template's initialisation); the p-value is {@code (1 + #{LRT* ≥ LRT}) / (B + 1)}. The
 * test moves to the next K while the p-value is at most the level, and stops at the first K it does not
 * reject (or at the largest K allowed).
 *
 * <p><b>Determinism.</b> One stream split from the seed per (K, replicate), in order; replicates run in
 * parallel, each fit on one thread, so the result does not depend on the number of threads.
 */
public final class LikelihoodRatioTest {
    private final CovarianceType structure;
    private final int replicates;
    private final double level;
    private final int maxComponents;
    private final GaussianMixture template;

    private LikelihoodRatioTest(CovarianceType structure, int replicates, double level, int maxComponents,
                                GaussianMixture template) {
        this.structure = structure;
        this.replicates = replicates;
        this.level = level;
        this.maxComponents = maxComponents;
        this.template = template;
    }

    /**
     * @param structure the covariance structure every fit uses
     * @return a test with 99 replicates, level 0.05, K up to 9 and default fit settings
     */
    public static LikelihoodRatioTest of(CovarianceType structure) {
        return new LikelihoodRatioTest(Objects.requireNonNull(structure, "structure"), 99, 0.05, 9,
                GaussianMixture.withComponents(1));
    }

    /**
     * @param replicates B, the bootstrap samples per K (at least 1; the smallest p-value possible is 1/(B + 1))
     * @return a changed copy
     */
    public LikelihoodRatioTest replicates(int replicates) {
        if (replicates < 1) {
            throw new EmkitException("the bootstrap LRT needs at least 1 replicate, got " + replicates);
        }
        return new LikelihoodRatioTest(structure, replicates, level, maxComponents, template);
    }

    /**
     * @param level reject K (and go on to K + 1) when the p-value is at most this; strictly between 0 and 1
     * @return a changed copy
     */
    public LikelihoodRatioTest level(double level) {
        if (!(level > 0 && level < 1)) {
            throw new EmkitException("the level must be strictly between 0 and 1, got " + level);
        }
        return new LikelihoodRatioTest(structure, replicates, level, maxComponents, template);
    }

    /**
     * @param maxComponents the largest K + 1 to test (at least 2)
     * @return a changed copy
     */
    public LikelihoodRatioTest maxComponents(int maxComponents) {
        if (maxComponents < 2) {
            throw new EmkitException("the LRT compares K with K + 1, so it needs at most-components >= 2, got "
                    + maxComponents);
        }
        return new LikelihoodRatioTest(structure, replicates, level, maxComponents, template);
    }

    /**
     * The fit settings (initialisation, restarts, tolerance, prior, seed); its K, structure and starting model
     * are ignored, its thread count is the number of fits run at once.
     *
     * @param template the settings
     * @return a changed copy
     */
    public LikelihoodRatioTest fitting(GaussianMixture template) {
        return new LikelihoodRatioTest(structure, replicates, level, maxComponents,
                Objects.requireNonNull(template, "template"));
    }

    /**
     * Runs the sequence of tests.
     *
     * @param data the rows
     * @return a row per K tested, the last one not rejected unless K reached the limit
     * @throws EmkitException if a fit to the data fails
     */
    public List<Step> run(Dataset data) {
        int threads = template.options().threads();
        GaussianMixture fit = template.covarianceType(structure).initialModel(null).threads(1);
        SplittableRandom root = new SplittableRandom(template.options().seed());
        List<Step> out = new ArrayList<>();
        ExecutorService pool = Workers.pool(threads, "emkit-lrt");
        try {
            GaussianMixtureModel smaller = withK(fit, 1).fit(data).params();
            double llSmaller = smaller.logLikelihood(data);
            for (int k = 1; k < maxComponents; k++) {
                GaussianMixtureModel larger = withK(fit, k + 1).fit(data).params();
                double llLarger = larger.logLikelihood(data);
                double statistic = 2 * (llLarger - llSmaller);
                List<Future<Double>> futures = new ArrayList<>();
                for (int b = 0; b < replicates; b++) {
                    long sampleSeed = root.nextLong();
                    GaussianMixtureModel generator = smaller;
                    int kk = k;
                    futures.add(pool.submit(() -> replicate(fit, generator, kk, data.rows(), sampleSeed)));
                }
                int atLeast = 0;
                int failed = 0;
                for (Future<Double> f : futures) {
                    Double v = f.get();
                    if (v == null) {
                        failed++;
                    } else if (v >= statistic) {
                        atLeast++;
                    }
                }
                int used = replicates - failed;
                double p = (1.0 + atLeast) / (used + 1.0);
                boolean significant = p <= level;
                out.add(new Step(k, llSmaller, llLarger, statistic, p, used, significant));
                if (!significant) {
                    break;
                }
                smaller = larger;
                llSmaller = llLarger;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmkitException("bootstrap LRT interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(out);
    }

    /** LRT* of one sample drawn from the K-component fit, or {@code null} if a fit to it failed. */
    private static Double replicate(GaussianMixture fit, GaussianMixtureModel generator, int k, int n, long seed) {
        Dataset sample = generator.sample(n, seed).data();
        try {
            double small = withK(fit, k).initialModel(generator).fit(sample).logLikelihood();
            double large = withK(fit, k + 1).fit(sample).logLikelihood();
            return 2 * (large - small);
        } catch (EmkitException e) {
            return null;
        }
    }

    private static GaussianMixture withK(GaussianMixture fit, int k) {
        return GaussianMixture.withComponents(k).covarianceType(fit.covarianceType()).initialization(fit.initialization())
                .regCovar(fit.regCovar()).prior(fit.prior()).options(fit.options());
    }

    /**
     * One test, K against K + 1.
     *
     * @param components       K
     * @param logLikelihood    the data's log-likelihood under the K-component fit
     * @param logLikelihoodMore under the (K + 1)-component fit
     * @param statistic        {@code 2 (logLikelihoodMore − logLikelihood)}
     * @param pValue           {@code (1 + #{LRT* ≥ statistic}) / (B + 1)}
     * @param replicates       the bootstrap replicates used (those whose fits succeeded)
     * @param significant      whether the p-value is at most the level: K + 1 components fit significantly better
     */
    public record Step(int components, double logLikelihood, double logLikelihoodMore, double statistic, double pValue,
                       int replicates, boolean significant) {
    }
}
