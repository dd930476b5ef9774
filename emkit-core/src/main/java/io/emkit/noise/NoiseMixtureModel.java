package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.DataChecks;
import io.emkit.mixture.MixtureModel;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A Gaussian mixture with a uniform noise component: density
 * {@code p(x) = π₀ / V + (1 − π₀) Σ_c w_c N(x; μ_c, Σ_c)}, the noise weight {@code π₀} and the volume V of
 * the data's region ({@link NoiseRegion}) beside a Gaussian mixture ({@link #gaussian()}, whose weights
 * {@code w_c} sum to one among the Gaussian components). As mclust's models with {@code Vinv}.
 *
 * <p>{@link #predict} labels a row {@value #NOISE} when the noise component is its most probable;
 * {@link #predictProba} gives K + 1 probabilities per row, the noise's last. {@link #weights()} are the
 * Gaussian components' shares of all rows, {@code (1 − π₀) w_c}, which sum to {@code 1 − π₀}.
 *
 * <p>A row with missing values ({@code NaN}) is evaluated on its observed coordinates o: density
 * {@code π₀ / V_o + (1 − π₀) Σ_c w_c N(x_o; μ_{c,o}, Σ_{c,oo})}, {@code V_o} the volume of the region's projection
 * onto those coordinates ({@link NoiseRegion#logVolumeOver}; a region along principal axes refuses such rows); a
 * row observing nothing has log density 0 and the weights as probabilities.
 */
public final class NoiseMixtureModel implements MixtureModel {
    /** The label {@link #predict} gives a row the noise component explains best. */
    public static final int NOISE = -1;

    private final GaussianMixtureModel gaussian;
    private final double noiseWeight;
    private final NoiseRegion region;

    /**
     * @param gaussian    the Gaussian components, their weights summing to one among themselves
     * @param noiseWeight {@code π₀}, in (0, 1)
     * @param region      the region the noise is uniform over
     * @throws EmkitException if the weight is not in (0, 1) or the region's dimension differs
     */
    public NoiseMixtureModel(GaussianMixtureModel gaussian, double noiseWeight, NoiseRegion region) {
        this.gaussian = Objects.requireNonNull(gaussian, "gaussian");
        this.region = Objects.requireNonNull(region, "region");
        if (!(noiseWeight > 0 && noiseWeight < 1)) {
            throw new EmkitException("the noise weight must be in (0, 1), got " + noiseWeight);
        }
        if (region.lower().length != gaussian.dimension()) {
            throw new EmkitException("the noise region has " + region.lower().length + " dimensions, the Gaussian"
                    + " components " + gaussian.dimension());
        }
        this.noiseWeight = noiseWeight;
    }

    /** @return the Gaussian components, with weights summing to one among themselves */
    public GaussianMixtureModel gaussian() {
        return gaussian;
    }

    /** @return {@code π₀}, the share of the rows the noise component takes */
    public double noiseWeight() {
        return noiseWeight;
    }

    /** @return the region the noise is uniform over */
    public NoiseRegion region() {
        return region;
    }

    /** @return the structure of the Gaussian components' covariances */
    public CovarianceType covarianceType() {
        return gaussian.covarianceType();
    }

    /**
     * @param names one name per feature
     * @return this model with the features renamed
     */
    public NoiseMixtureModel withFeatureNames(List<String> names) {
        return new NoiseMixtureModel(gaussian.withFeatureNames(names), noiseWeight, region);
    }

    /** @return the number of Gaussian components (the noise component is not counted) */
    @Override
    public int components() {
        return gaussian.components();
    }

    @Override
    public int dimension() {
        return gaussian.dimension();
    }

    @Override
    public List<String> featureNames() {
        return gaussian.featureNames();
    }

    /** @return the Gaussian components' shares of all rows, {@code (1 − π₀) w_c}, summing to {@code 1 − π₀} */
    @Override
    public double[] weights() {
        double[] w = gaussian.weights();
        for (int c = 0; c < w.length; c++) {
            w[c] *= 1 - noiseWeight;
        }
        return w;
    }

    /**
     * @return the Gaussian mixture's free parameters, the noise weight and the noise density: mclust counts the
     *         density {@code 1/V}, which the data's extent sets, as a parameter too, and BIC tables compare
     */
    @Override
    public int parameterCount() {
        return gaussian.parameterCount() + 2;
    }

    /** @return {@code ln π₀ − ln V}, the noise component's log joint density, the same for every row */
    double logNoiseJoint() {
        return Math.log(noiseWeight) - region.logVolume();
    }

    /**
     * {@inheritDoc}
     *
     * @throws EmkitException if a row has a missing value and the region lies along principal axes
     */
    @Override
    public double[] scoreSamples(Dataset data) {
        DataChecks.requireEvaluable(data, dimension(), featureNames(), true);
        double[] g = gaussian.scoreSamples(data);
        double[] logNoise = logNoiseJoints(data);
        double logGaussian = Math.log1p(-noiseWeight);
        for (int i = 0; i < g.length; i++) {
            g[i] = Double.isNaN(logNoise[i]) ? 0.0 : logSum(logGaussian + g[i], logNoise[i]);
        }
        return g;
    }

    /**
     * Each row's noise log joint density {@code ln π₀ − ln V_o}, over its observed coordinates; {@code NaN} for a
     * row observing nothing.
     */
    private double[] logNoiseJoints(Dataset data) {
        double[] out = new double[data.rows()];
        double full = logNoiseJoint();
        if (data.firstMissing() == null) {
            java.util.Arrays.fill(out, full);
            return out;
        }
        double logWeight = Math.log(noiseWeight);
        for (int i = 0; i < out.length; i++) {
            double[] row = data.row(i);
            boolean complete = true;
            for (double v : row) {
                complete &= !Double.isNaN(v);
            }
            out[i] = complete ? full : NoiseMixtureSteps.observesNothing(row) ? Double.NaN
                    : logWeight - NoiseMixtureSteps.observedLogVolume(region, row, i);
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @return per row K + 1 probabilities: the Gaussian components', then the noise's
     * @throws EmkitException if a row has a missing value and the region lies along principal axes
     */
    @Override
    public double[][] predictProba(Dataset data) {
        DataChecks.requireEvaluable(data, dimension(), featureNames(), true);
        double[] g = gaussian.scoreSamples(data);
        double[] logNoise = logNoiseJoints(data);
        double[][] within = gaussian.predictProba(data);
        int k = components();
        double logGaussian = Math.log1p(-noiseWeight);
        double[][] out = new double[data.rows()][k + 1];
        for (int i = 0; i < out.length; i++) {
            double ln = Double.isNaN(logNoise[i]) ? Math.log(noiseWeight) : logNoise[i];
            double logDensity = Double.isNaN(logNoise[i]) ? 0.0 : logSum(logGaussian + g[i], ln);
            double gaussianShare = Math.exp(logGaussian + g[i] - logDensity);
            for (int c = 0; c < k; c++) {
                out[i][c] = gaussianShare * within[i][c];
            }
            out[i][k] = Math.exp(ln - logDensity);
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @return per row the most probable Gaussian component (from 0), or {@value #NOISE} for noise
     * @throws EmkitException if a row has a missing value and the region lies along principal axes
     */
    @Override
    public int[] predict(Dataset data) {
        double[][] p = predictProba(data);
        int k = components();
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            out[i] = p[i][k] > p[i][best] ? NOISE : best;
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A row is noise with probability {@code π₀}, drawn uniformly from the region's box (label
     * {@value #NOISE}); otherwise a row of the Gaussian mixture. The Gaussian rows come from the Gaussian
     * mixture's own sampler with a seed drawn from this one.
     */
    @Override
    public Sample sample(int n, long seed) {
        if (n < 0) {
            throw new EmkitException("the number of samples must be >= 0, got " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] noise = new boolean[n];
        int noiseRows = 0;
        for (int i = 0; i < n; i++) {
            noise[i] = random.nextDouble() < noiseWeight;
            noiseRows += noise[i] ? 1 : 0;
        }
        Sample g = gaussian.sample(n - noiseRows, random.nextLong());
        int d = dimension();
        double[] values = new double[Math.multiplyExact(n, d)];
        int[] labels = new int[n];
        double[] gv = g.data().rawValues();
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (noise[i]) {
                System.arraycopy(region.sample(random), 0, values, i * d, d);
                labels[i] = NOISE;
            } else {
                System.arraycopy(gv, next * d, values, i * d, d);
                labels[i] = g.components()[next++];
            }
        }
        return new Sample(Dataset.wrap(values, n, d, featureNames()), labels);
    }

    static double logSum(double a, double b) {
        double max = Math.max(a, b);
        return max == Double.NEGATIVE_INFINITY ? max : max + Math.log(Math.exp(a - max) + Math.exp(b - max));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseMixtureModel m && m.gaussian.equals(gaussian)
                && Double.compare(m.noiseWeight, noiseWeight) == 0 && m.region.equals(region);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gaussian, noiseWeight, region);
    }

    @Override
    public String toString() {
        return "NoiseMixtureModel[" + gaussian + ", noise " + noiseWeight + ", " + region + "]";
    }
}
