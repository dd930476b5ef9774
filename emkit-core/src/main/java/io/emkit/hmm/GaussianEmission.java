package io.emkit.hmm;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianStatistics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A multivariate Gaussian per state. The states' Gaussians are held as the components of a
 * {@link GaussianMixtureModel} with equal weights (the weights play no part), so densities, the
 * covariance structures, regularisation and degeneracy handling are the mixture's own.
 */
public final class GaussianEmission extends Emission {
    private final GaussianMixtureModel gaussians;

    private GaussianEmission(GaussianMixtureModel gaussians) {
        this.gaussians = withEqualWeights(gaussians);
    }

    /**
     * Emissions from the components of a Gaussian mixture (its weights are ignored).
     *
     * @param gaussians one component per state
     * @return the emissions, with the mixture's covariance structure and feature names
     */
    public static GaussianEmission of(GaussianMixtureModel gaussians) {
        return new GaussianEmission(gaussians);
    }

    /**
     * @param means       S means of D values
     * @param covariances S symmetric positive-definite D×D matrices
     * @return emissions with unconstrained covariances
     */
    public static GaussianEmission full(double[][] means, double[][][] covariances) {
        return new GaussianEmission(GaussianMixtureModel.full(equal(means.length), means, covariances));
    }

    /**
     * @param means     S means of D values
     * @param variances S rows of D positive variances
     * @return emissions with diagonal covariances
     */
    public static GaussianEmission diag(double[][] means, double[][] variances) {
        return new GaussianEmission(GaussianMixtureModel.diag(equal(means.length), means, variances));
    }

    /**
     * @param means     S means of D values
     * @param variances S positive variances
     * @return emissions with one variance per state
     */
    public static GaussianEmission spherical(double[][] means, double[] variances) {
        return new GaussianEmission(GaussianMixtureModel.spherical(equal(means.length), means, variances));
    }

    static double[] equal(int k) {
        double[] w = new double[k];
        Arrays.fill(w, 1.0 / k);
        return w;
    }

    static GaussianMixtureModel withEqualWeights(GaussianMixtureModel g) {
        double[] w = equal(g.components());
        if (Arrays.equals(w, g.weights())) {
            return g;
        }
        Object cov = g.covarianceParameters();
        GaussianMixtureModel out = switch (g.covarianceType()) {
            case FULL -> GaussianMixtureModel.full(w, g.means(), (double[][][]) cov);
            case DIAG -> GaussianMixtureModel.diag(w, g.means(), (double[][]) cov);
            case SPHERICAL -> GaussianMixtureModel.spherical(w, g.means(), (double[]) cov);
            case TIED -> GaussianMixtureModel.tied(w, g.means(), (double[][]) cov);
            default -> GaussianMixtureModel.of(g.covarianceType(), w, g.means(), (double[][][]) cov);
        };
        return out.withFeatureNames(g.featureNames());
    }

    /** @return the states' Gaussians as the (equally weighted) components of a mixture */
    public GaussianMixtureModel gaussians() {
        return gaussians;
    }

    /** @return the covariance structure */
    public CovarianceType covarianceType() {
        return gaussians.covarianceType();
    }

    @Override
    public EmissionKind kind() {
        return EmissionKind.GAUSSIAN;
    }

    @Override
    public int states() {
        return gaussians.components();
    }

    @Override
    public int dimension() {
        return gaussians.dimension();
    }

    @Override
    public List<String> featureNames() {
        return gaussians.featureNames();
    }

    @Override
    public int parameterCount() {
        int s = states();
        int d = dimension();
        return covarianceType().covarianceParameters(s, d) + s * d;
    }

    @Override
    public GaussianEmission withFeatureNames(List<String> names) {
        return new GaussianEmission(gaussians.withFeatureNames(names));
    }

    @Override
    void logDensities(double[] x, int from, int to, double[] out) {
        gaussians.logComponentDensities(x, from, to, out);
    }

    @Override
    Statistics newStatistics() {
        return new GaussianStats(new GaussianMixtureSteps(covarianceType(), 0.0).emptyStatistics(gaussians));
    }

    @Override
    Emission maximize(Statistics statistics, double regCovar, Consumer<String> warnings) {
        GaussianStatistics s = ((GaussianStats) statistics).stats;
        GaussianMixtureModel next = new GaussianMixtureSteps(covarianceType(), regCovar)
                .maximize(s, gaussians, m -> warnings.accept(m.replace("component ", "state ")));
        return new GaussianEmission(next);
    }

    /** Fixed means: the covariances about them (see {@link GaussianStatistics#keepMeansAtShift}); fixed covariances: the old ones with the new means. */
    @Override
    Emission maximizeHolding(Statistics statistics, double regCovar, java.util.Set<HmmParameter> fixed,
                             Consumer<String> warnings) {
        boolean means = fixed.contains(HmmParameter.MEANS);
        boolean covariances = fixed.contains(HmmParameter.COVARIANCES);
        if (means && covariances) {
            return this;
        }
        if (means) {
            ((GaussianStats) statistics).stats.keepMeansAtShift();
        }
        GaussianEmission next = (GaussianEmission) maximize(statistics, regCovar, warnings);
        return covariances ? new GaussianEmission(gaussians.withMeansOf(next.gaussians)) : next;
    }

    /** The MAP M-step under {@code prior}, holding the parts in {@code fixed}. */
    GaussianEmission maximizeWithPrior(Statistics statistics, GaussianEmissionPrior prior, double regCovar,
                                       java.util.Set<HmmParameter> fixed) {
        boolean means = fixed.contains(HmmParameter.MEANS);
        boolean covariances = fixed.contains(HmmParameter.COVARIANCES);
        if (means && covariances) {
            return this;
        }
        return new GaussianEmission(prior.maximize(((GaussianStats) statistics).stats, gaussians, regCovar, means,
                covariances));
    }

    @Override
    int heldParameterCount(java.util.Set<HmmParameter> fixed) {
        int means = states() * dimension();
        return (fixed.contains(HmmParameter.MEANS) ? means : 0)
                + (fixed.contains(HmmParameter.COVARIANCES) ? parameterCount() - means : 0);
    }

    @Override
    void sample(int[] states, SplittableRandom random, double[] out) {
        sampleComponents(gaussians, states, random, out);
    }

    /** Draws one row per entry of {@code components} from that component of {@code g}, into row-major {@code out}. */
    static void sampleComponents(GaussianMixtureModel g, int[] components, SplittableRandom random, double[] out) {
        int d = g.dimension();
        int k = g.components();
        int[] counts = new int[k];
        for (int c : components) {
            counts[c]++;
        }
        double[][] drawn = new double[k][];
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                GaussianMixtureModel one = GaussianMixtureModel.full(new double[] {1.0},
                        new double[][] {g.mean(c)}, new double[][][] {g.covariance(c)});
                drawn[c] = one.sample(counts[c], random.nextLong()).data().rawValues();
            }
        }
        int[] used = new int[k];
        for (int t = 0; t < components.length; t++) {
            int c = components[t];
            System.arraycopy(drawn[c], used[c]++ * d, out, t * d, d);
        }
    }

    private static final class GaussianStats extends Statistics {
        private static final long serialVersionUID = 1L;
        final GaussianStatistics stats;

        GaussianStats(GaussianStatistics stats) {
            this.stats = stats;
        }

        @Override
        void add(double[] x, int from, int to, double[] gamma) {
            stats.addWeighted(x, from, to, gamma);
        }

        @Override
        void merge(Statistics other) {
            stats.merge(((GaussianStats) other).stats);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianEmission g && g.gaussians.equals(gaussians);
    }

    @Override
    public int hashCode() {
        return gaussians.hashCode();
    }

    @Override
    public String toString() {
        return "GaussianEmission[" + states() + " states, " + dimension() + " features, " + covarianceType() + "]";
    }
}
