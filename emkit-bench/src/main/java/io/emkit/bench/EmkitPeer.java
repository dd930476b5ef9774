package io.emkit.bench;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.Precision;

/** emkit itself: {@code GaussianMixture.initialModel(start).tolerance(0).maxIterations(m)}, all cores. */
final class EmkitPeer implements Peer {

    private final int threads;
    private final double regCovar;
    private final Precision precision;

    /** emkit on {@code threads} threads (0: all cores) with its default {@code regCovar}. */
    EmkitPeer(int threads) {
        this(threads, GaussianMixture.DEFAULT_REG_COVAR);
    }

    /** emkit on {@code threads} threads (0: all cores), adding {@code regCovar} to covariance diagonals. */
    EmkitPeer(int threads, double regCovar) {
        this(threads, regCovar, Precision.DOUBLE);
    }

    /** emkit on {@code threads} threads (0: all cores), its distances in {@code precision}. */
    EmkitPeer(int threads, double regCovar, Precision precision) {
        this.threads = threads;
        this.regCovar = regCovar;
        this.precision = precision;
    }

    @Override
    public String name() {
        return (threads > 0 ? "emkit-t" + threads : "emkit") + (regCovar == 0 ? "-reg0" : "")
                + (precision == Precision.SINGLE ? "-single" : "");
    }

    @Override
    public Fit prepare(SyntheticData data, Params start) {
        BenchCase c = data.benchCase();
        Dataset ds = Dataset.wrap(data.flat(), c.n(), c.d(), Dataset.defaultNames(c.d()));
        GaussianMixtureModel init = start.toEmkit();
        return iterations -> {
            GaussianMixture gm = configuration(c, init, iterations).regCovar(regCovar).precision(precision);
            if (threads > 0) {
                gm = gm.threads(threads);
            }
            return checkedParams(gm.fit(ds), iterations, c);
        };
    }

    /** The fit every emkit tool runs: the case's covariance, from the start, exactly {@code iterations} M-steps. */
    static GaussianMixture configuration(BenchCase c, GaussianMixtureModel start, int iterations) {
        return GaussianMixture.withComponents(c.k())
                .covarianceType(c.diag() ? CovarianceType.DIAG : CovarianceType.FULL)
                .initialModel(start)
                .tolerance(0)
                .maxIterations(iterations);
    }

    /** The fitted parameters, after checking that the fit made the iterations asked for. */
    static Params checkedParams(EmResult<GaussianMixtureModel> r, int iterations, BenchCase c) {
        if (r.iterations() != iterations) {
            throw new IllegalStateException("emkit ran " + r.iterations() + " iterations, not " + iterations);
        }
        return Params.of(r.params(), c.diag());
    }
}
