package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianStatistics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A mixture of {@code M} Gaussians per state: state {@code s} emits from its own components
 * {@code s·M .. s·M + M − 1} with its own weights. The {@code S·M} Gaussians are held as the (equally
 * weighted) components of one {@link GaussianMixtureModel}, state after state, so densities, covariance
 * structures and the M-step are the mixture's own; the per-state weights are kept here.
 */
public final class GaussianMixtureEmission extends Emission {
    private final int s;
    private final int m;
    private final double[][] weights;
    private final double[][] logWeights;
    private final GaussianMixtureModel components;

    private GaussianMixtureEmission(double[][] weights, GaussianMixtureModel components) {
        this.s = weights.length;
        if (s < 1) {
            throw new EmkitException("a hidden Markov model needs at least one state");
        }
        this.m = weights[0].length;
        if (m < 1 || components.components() != s * m) {
            throw new EmkitException("expected " + s + " states × " + m + " = " + (s * m) + " Gaussians, got "
                    + components.components());
        }
        this.weights = new double[s][];
        this.logWeights = new double[s][];
        for (int i = 0; i < s; i++) {
            String what = "state " + (i + 1) + ": mixture weights";
            this.weights[i] = HiddenMarkovModel.checkedDistribution(checkedRow(weights[i], m, what), what);
            this.logWeights[i] = new double[m];
            for (int k = 0; k < m; k++) {
                logWeights[i][k] = Math.log(this.weights[i][k]);
            }
        }
        this.components = GaussianEmission.withEqualWeights(components);
    }

    /**
     * @param weights    S rows of M mixture weights, each summing to 1
     * @param components S·M Gaussians, state after state (component {@code s·M + k} is state s's k-th); the
     *                   mixture's own weights are ignored
     * @return the emissions
     */
    public static GaussianMixtureEmission of(double[][] weights, GaussianMixtureModel components) {
        return new GaussianMixtureEmission(weights, components);
    }

    /** @return the number of Gaussians per state M */
    public int mixtureComponents() {
        return m;
    }

    /** @return the mixture weights, {@code S × M} (a copy) */
    public double[][] mixtureWeights() {
        double[][] out = new double[s][];
        for (int i = 0; i < s; i++) {
            out[i] = weights[i].clone();
        }
        return out;
    }

    /** @return the S·M Gaussians, state after state, as the equally weighted components of a mixture */
    public GaussianMixtureModel gaussians() {
        return components;
    }

    /** @return the covariance structure */
    public CovarianceType covarianceType() {
        return components.covarianceType();
    }

    @Override
    public EmissionKind kind() {
        return EmissionKind.GAUSSIAN_MIXTURE;
    }

    @Override
    public int states() {
        return s;
    }

    @Override
    public int dimension() {
        return components.dimension();
    }

    @Override
    public List<String> featureNames() {
        return components.featureNames();
    }

    @Override
    public int parameterCount() {
        int d = dimension();
        return covarianceType().covarianceParameters(s * m, d) + s * m * d + s * (m - 1);
    }

    @Override
    public GaussianMixtureEmission withFeatureNames(List<String> names) {
        return new GaussianMixtureEmission(weights, components.withFeatureNames(names));
    }

    /** Log densities of each Gaussian, {@code (t - from) * S·M + c}. */
    private double[] componentDensities(double[] x, int from, int to) {
        double[] out = new double[(to - from) * s * m];
        components.logComponentDensities(x, from, to, out);
        return out;
    }

    @Override
    void logDensities(double[] x, int from, int to, double[] out) {
        double[] c = componentDensities(x, from, to);
        for (int t = 0; t < to - from; t++) {
            for (int i = 0; i < s; i++) {
                int o = (t * s + i) * m;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < m; k++) {
                    max = Math.max(max, logWeights[i][k] + c[o + k]);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    out[t * s + i] = max;
                    continue;
                }
                double sum = 0;
                for (int k = 0; k < m; k++) {
                    sum += Math.exp(logWeights[i][k] + c[o + k] - max);
                }
                out[t * s + i] = max + Math.log(sum);
            }
        }
    }

    @Override
    Statistics newStatistics() {
        return new Stats(new GaussianMixtureSteps(covarianceType(), 0.0).emptyStatistics(components));
    }

    @Override
    Emission maximize(Statistics statistics, double regCovar, Consumer<String> warnings) {
        GaussianStatistics g = ((Stats) statistics).stats;
        GaussianMixtureModel next = new GaussianMixtureSteps(covarianceType(), regCovar).maximize(g, components,
                msg -> warnings.accept(renameComponents(msg)));
        double[] n = g.componentWeights();
        double[][] w = new double[s][m];
        for (int i = 0; i < s; i++) {
            double total = 0;
            for (int k = 0; k < m; k++) {
                total += n[i * m + k];
            }
            if (!(total > 0)) {
                w[i] = weights[i].clone();
                warnings.accept(String.format(Locale.ROOT, "state %d is never visited; it keeps its last mixture"
                        + " weights; fewer states may fit better", i + 1));
                continue;
            }
            for (int k = 0; k < m; k++) {
                w[i][k] = n[i * m + k] / total;
            }
        }
        return new GaussianMixtureEmission(w, next);
    }

    /**
     * Fixed means: the covariances about them (see {@link GaussianStatistics#keepMeansAtShift}); fixed covariances:
     * the old ones with the new means; fixed weights: the old weights. Each part's update does not depend on the
     * others' (given the means), so this is the exact constrained M-step.
     */
    @Override
    Emission maximizeHolding(Statistics statistics, double regCovar, java.util.Set<HmmParameter> fixed,
                             Consumer<String> warnings) {
        boolean means = fixed.contains(HmmParameter.MEANS);
        boolean covariances = fixed.contains(HmmParameter.COVARIANCES);
        boolean mixing = fixed.contains(HmmParameter.WEIGHTS);
        if (means && covariances && mixing) {
            return this;
        }
        if (means) {
            ((Stats) statistics).stats.keepMeansAtShift();
        }
        GaussianMixtureEmission next = (GaussianMixtureEmission) maximize(statistics, regCovar, warnings);
        GaussianMixtureModel gaussians = means && covariances ? components
                : covariances ? components.withMeansOf(next.components) : next.components;
        return new GaussianMixtureEmission(mixing ? weights : next.weights, gaussians);
    }

    @Override
    int heldParameterCount(java.util.Set<HmmParameter> fixed) {
        int meanCount = s * m * dimension();
        int weightCount = s * (m - 1);
        return (fixed.contains(HmmParameter.MEANS) ? meanCount : 0)
                + (fixed.contains(HmmParameter.WEIGHTS) ? weightCount : 0)
                + (fixed.contains(HmmParameter.COVARIANCES) ? parameterCount() - meanCount - weightCount : 0);
    }

    /** "component 7" of the S·M Gaussians → "state 3, component 1". */
    private String renameComponents(String message) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("component (\\d+)").matcher(message);
        StringBuilder b = new StringBuilder();
        while (matcher.find()) {
            int c = Integer.parseInt(matcher.group(1)) - 1;
            matcher.appendReplacement(b, "state " + (c / m + 1) + ", component " + (c % m + 1));
        }
        matcher.appendTail(b);
        return b.toString();
    }

    @Override
    void sample(int[] states, SplittableRandom random, double[] out) {
        int[] comps = new int[states.length];
        for (int t = 0; t < states.length; t++) {
            comps[t] = states[t] * m + HiddenMarkovModel.draw(weights[states[t]], random);
        }
        GaussianEmission.sampleComponents(components, comps, random, out);
    }

    private final class Stats extends Statistics {
        private static final long serialVersionUID = 1L;
        final GaussianStatistics stats;

        Stats(GaussianStatistics stats) {
            this.stats = stats;
        }

        /** Splits each step's state posterior over the state's components by their responsibilities. */
        @Override
        void add(double[] x, int from, int to, double[] gamma) {
            double[] c = componentDensities(x, from, to);
            for (int t = 0; t < to - from; t++) {
                for (int i = 0; i < s; i++) {
                    int o = (t * s + i) * m;
                    double g = gamma[t * s + i];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < m; k++) {
                        c[o + k] += logWeights[i][k];
                        max = Math.max(max, c[o + k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < m; k++) {
                        c[o + k] = max == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(c[o + k] - max);
                        sum += c[o + k];
                    }
                    for (int k = 0; k < m; k++) {
                        c[o + k] = sum > 0 ? g * c[o + k] / sum : 0.0;
                    }
                }
            }
            stats.addWeighted(x, from, to, c);
        }

        @Override
        void merge(Statistics other) {
            stats.merge(((Stats) other).stats);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianMixtureEmission g && Arrays.deepEquals(g.weights, weights)
                && g.components.equals(components);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(weights) * 31 + components.hashCode();
    }

    @Override
    public String toString() {
        return "GaussianMixtureEmission[" + s + " states × " + m + " Gaussians, " + dimension() + " features, "
                + covarianceType() + "]";
    }
}
