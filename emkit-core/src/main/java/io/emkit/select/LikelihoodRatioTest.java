package io.emkit.select;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.mixture.MixtureModel;

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
 * <p>Gaussian mixtures of one covariance structure by default ({@link #of(CovarianceType)}); any other kind of
 * mixture whose fit can be repeated on a sample drawn from it — t mixtures, a noise component, factor analysers —
 * through a {@link Fitter} ({@link #of(String, Fitter)}; {@link ModelSelection#likelihoodRatioTest} gives the one
 * for a selection's models).
 *
 * <p><b>Determinism.</b> One stream split from the seed per (K, replicate), in order; replicates run in
 * parallel, each fit on one thread, so the result does not depend on the number of threads.
 */
public final class LikelihoodRatioTest {
    private final CovarianceType structure;
    private final String model;
    private final Fitter fitter;
    private final int replicates;
    private final double level;
    private final int maxComponents;
    private final GaussianMixture template;

    /** Fits one kind of mixture, with a given number of components, to rows: the data, and each bootstrap sample. */
    @FunctionalInterface
    public interface Fitter {
        /**
         * @param data  the rows (complete for a bootstrap sample)
         * @param k     the number of components
         * @param start a K-component model of this kind to run EM from once (the generating model, for the smaller
         *              fit to a sample), or {@code null} for the fit's usual starts
         * @return the fit; its log-likelihood is the one compared
         * @throws EmkitException if the rows cannot be fitted
         */
        EmResult<? extends MixtureModel> fit(Dataset data, int k, MixtureModel start);
    }

    private LikelihoodRatioTest(CovarianceType structure, String model, Fitter fitter, int replicates, double level,
                                int maxComponents, GaussianMixture template) {
        this.structure = structure;
        this.model = model;
        this.fitter = fitter;
        this.replicates = replicates;
        this.level = level;
        this.maxComponents = maxComponents;
        this.template = template;
    }

    /**
     * @param structure the covariance structure every fit uses
     * @return a test of Gaussian mixtures with 99 replicates, level 0.05, K up to 9 and default fit settings
     */
    public static LikelihoodRatioTest of(CovarianceType structure) {
        return new LikelihoodRatioTest(Objects.requireNonNull(structure, "structure"), structure.mclustName(), null,
                99, 0.05, 9, GaussianMixture.withComponents(1));
    }

    /**
     * A test of any kind of mixture: the fits are {@code fitter}'s; the fit settings ({@link #fitting}) give only
     * the seed and the number of fits run at once.
     *
     * @param model  the model's name, as reports show it ({@code "mfa:2"}, {@code "VVV"})
     * @param fitter fits K components of the model to rows
     * @return a test with 99 replicates, level 0.05 and K up to 9
     */
    public static LikelihoodRatioTest of(String model, Fitter fitter) {
        return new LikelihoodRatioTest(null, Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(fitter, "fitter"), 99, 0.05, 9, GaussianMixture.withComponents(1));
    }

    /** @return the model's name: the structure's ({@code "VVV"}), or the one given to {@link #of(String, Fitter)} */
    public String model() {
        return model;
    }

    /**
     * @param replicates B, the bootstrap samples per K (at least 1; the smallest p-value possible is 1/(B + 1))
     * @return a changed copy
     */
    public LikelihoodRatioTest replicates(int replicates) {
        if (replicates < 1) {
            throw new EmkitException("the bootstrap LRT needs at least 1 replicate, got " + replicates);
        }
        return new LikelihoodRatioTest(structure, model, fitter, replicates, level, maxComponents, template);
    }

    /**
     * @param level reject K (and go on to K + 1) when the p-value is at most this; strictly between 0 and 1
     * @return a changed copy
     */
    public LikelihoodRatioTest level(double level) {
        if (!(level > 0 && level < 1)) {
            throw new EmkitException("the level must be strictly between 0 and 1, got " + level);
        }
        return new LikelihoodRatioTest(structure, model, fitter, replicates, level, maxComponents, template);
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
        return new LikelihoodRatioTest(structure, model, fitter, replicates, level, maxComponents, template);
    }

    /**
     * The fit settings (initialisation, restarts, tolerance, prior, seed); its K, structure and starting model
     * are ignored, its thread count is the number of fits run at once.
     *
     * @param template the settings
     * @return a changed copy
     */
    public LikelihoodRatioTest fitting(GaussianMixture template) {
        return new LikelihoodRatioTest(structure, model, fitter, replicates, level, maxComponents,
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
        Fitter fits = fitter != null ? fitter : gaussian(template.covarianceType(structure).initialModel(null).threads(1));
        SplittableRandom root = new SplittableRandom(template.options().seed());
        List<Step> out = new ArrayList<>();
        ExecutorService pool = Workers.pool(threads, "emkit-lrt");
        try {
            MixtureModel smaller = fits.fit(data, 1, null).params();
            double llSmaller = smaller.logLikelihood(data);
            for (int k = 1; k < maxComponents; k++) {
                MixtureModel larger = fits.fit(data, k + 1, null).params();
                double llLarger = larger.logLikelihood(data);
                double statistic = 2 * (llLarger - llSmaller);
                List<Future<Double>> futures = new ArrayList<>();
                for (int b = 0; b < replicates; b++) {
                    long sampleSeed = root.nextLong();
                    MixtureModel generator = smaller;
                    int kk = k;
                    futures.add(pool.submit(() -> replicate(fits, generator, kk, data.rows(), sampleSeed)));
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
    private static Double replicate(Fitter fits, MixtureModel generator, int k, int n, long seed) {
        Dataset sample = generator.sample(n, seed).data();
        try {
            double small = fits.fit(sample, k, generator).logLikelihood();
            double large = fits.fit(sample, k + 1, null).logLikelihood();
            return 2 * (large - small);
        } catch (EmkitException | IllegalStateException e) {
            return null;
        }
    }

    /** Gaussian mixtures with {@code fit}'s structure and settings. */
    private static Fitter gaussian(GaussianMixture fit) {
        return (data, k, start) -> GaussianMixture.withComponents(k).covarianceType(fit.covarianceType())
                .initialization(fit.initialization()).regCovar(fit.regCovar()).prior(fit.prior()).options(fit.options())
                .initialModel((GaussianMixtureModel) start).fit(data);
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
