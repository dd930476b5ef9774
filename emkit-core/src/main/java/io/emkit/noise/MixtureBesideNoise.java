package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.mixture.DataChecks;
import io.emkit.mixture.MixtureModel;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A mixture of any kind with a uniform noise component beside it: density
 * {@code p(x) = π₀ / V + (1 − π₀) p_M(x)}, the noise weight {@code π₀} and the volume V of the data's region
 * ({@link NoiseRegion}) beside a mixture {@code M} whose weights sum to one among its own components — what the
 * Gaussian, t and factor-analyser mixtures with noise ({@link NoiseMixtureModel}, {@link NoiseStudentMixtureModel},
 * {@link NoiseFactorAnalyserMixtureModel}) share. Immutable and thread-safe.
 *
 * <p>{@link #predict} labels a row {@value NoiseMixtureModel#NOISE} when the noise component is its most
 * probable; {@link #predictProba} gives K + 1 probabilities per row, the noise's last. {@link #weights()} are the
 * components' shares of all rows, {@code (1 − π₀) w_c}. A row with missing values is evaluated on its observed
 * coordinates, as {@link NoiseMixtureModel} does (the mixture's marginal there; the noise's the uniform over the
 * region's projection).
 *
 * @param <M> the mixture beside the noise
 */
public abstract class MixtureBesideNoise<M extends MixtureModel> implements MixtureModel {
    /** The mixture beside the noise, its weights summing to one among its own components. */
    protected final M inner;
    private final double noiseWeight;
    private final NoiseRegion region;

    /**
     * @param inner       the mixture beside the noise, its weights summing to one among themselves
     * @param noiseWeight {@code π₀}, in (0, 1)
     * @param region      the region the noise is uniform over
     * @param what        the mixture's components, as a message names them ("the t components")
     * @throws EmkitException if the weight is not in (0, 1) or the region's dimension differs
     */
    protected MixtureBesideNoise(M inner, double noiseWeight, NoiseRegion region, String what) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.region = Objects.requireNonNull(region, "region");
        if (!(noiseWeight > 0 && noiseWeight < 1)) {
            throw new EmkitException("the noise weight must be in (0, 1), got " + noiseWeight);
        }
        if (region.lower().length != inner.dimension()) {
            throw new EmkitException("the noise region has " + region.lower().length + " dimensions, " + what + " "
                    + inner.dimension());
        }
        this.noiseWeight = noiseWeight;
    }

    /** @return {@code π₀}, the share of the rows the noise component takes */
    public double noiseWeight() {
        return noiseWeight;
    }

    /** @return the region the noise is uniform over */
    public NoiseRegion region() {
        return region;
    }

    /**
     * @param names one name per feature
     * @return this model with the features renamed
     */
    public abstract MixtureBesideNoise<M> withFeatureNames(List<String> names);

    /** @return the number of factor analysers (the noise component is not counted) */
    @Override
    public int components() {
        return inner.components();
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public List<String> featureNames() {
        return inner.featureNames();
    }

    /** @return the factor analysers' shares of all rows, {@code (1 − π₀) w_c}, summing to {@code 1 − π₀} */
    @Override
    public double[] weights() {
        double[] w = inner.weights();
        for (int c = 0; c < w.length; c++) {
            w[c] *= 1 - noiseWeight;
        }
        return w;
    }

    /**
     * @return the factor analysers' free parameters, the noise weight and the noise density, counted as mclust
     *         counts a noise component's
     */
    @Override
    public int parameterCount() {
        return inner.parameterCount() + 2;
    }

    /** Each row's noise log joint density over its observed coordinates; {@code NaN} for a row observing nothing. */
    private double[] logNoiseJoints(Dataset data) {
        double[] out = new double[data.rows()];
        double logWeight = Math.log(noiseWeight);
        double full = logWeight - region.logVolume();
        boolean complete = data.firstMissing() == null;
        for (int i = 0; i < out.length; i++) {
            if (complete) {
                out[i] = full;
                continue;
            }
            double[] row = data.row(i);
            boolean all = true;
            for (double v : row) {
                all &= !Double.isNaN(v);
            }
            out[i] = all ? full : NoiseMixtureSteps.observesNothing(row) ? Double.NaN
                    : logWeight - NoiseMixtureSteps.observedLogVolume(region, row, i);
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @throws EmkitException if a row has a missing value and the region lies along principal axes
     */
    @Override
    public double[] scoreSamples(Dataset data) {
        DataChecks.requireEvaluable(data, dimension(), featureNames(), true);
        double[] logInner = inner.scoreSamples(data);
        double[] logNoise = logNoiseJoints(data);
        double logSignal = Math.log1p(-noiseWeight);
        for (int i = 0; i < logInner.length; i++) {
            logInner[i] = Double.isNaN(logNoise[i]) ? 0.0
                    : NoiseMixtureModel.logSum(logSignal + logInner[i], logNoise[i]);
        }
        return logInner;
    }

    /**
     * {@inheritDoc}
     *
     * @return per row K + 1 probabilities: the components', then the noise's
     */
    @Override
    public double[][] predictProba(Dataset data) {
        DataChecks.requireEvaluable(data, dimension(), featureNames(), true);
        double[] logInner = inner.scoreSamples(data);
        double[] logNoise = logNoiseJoints(data);
        double[][] within = inner.predictProba(data);
        int k = components();
        double logSignal = Math.log1p(-noiseWeight);
        double[][] out = new double[data.rows()][k + 1];
        for (int i = 0; i < out.length; i++) {
            double ln = Double.isNaN(logNoise[i]) ? Math.log(noiseWeight) : logNoise[i];
            double logDensity = Double.isNaN(logNoise[i]) ? 0.0 : NoiseMixtureModel.logSum(logSignal + logInner[i], ln);
            double share = Math.exp(logSignal + logInner[i] - logDensity);
            for (int c = 0; c < k; c++) {
                out[i][c] = share * within[i][c];
            }
            out[i][k] = Math.exp(ln - logDensity);
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @return per row the most probable component (from 0), or {@value NoiseMixtureModel#NOISE} for noise
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
            out[i] = p[i][k] > p[i][best] ? NoiseMixtureModel.NOISE : best;
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A row is noise with probability {@code π₀}, drawn uniformly from the region's box (label
     * {@value NoiseMixtureModel#NOISE}); otherwise a row of the components' mixture, from its own sampler with a seed
     * drawn from this one.
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
        Sample drawn = inner.sample(n - noiseRows, random.nextLong());
        int d = dimension();
        double[] values = new double[Math.multiplyExact(n, d)];
        int[] labels = new int[n];
        double[] innerValues = drawn.data().rawValues();
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (noise[i]) {
                System.arraycopy(region.sample(random), 0, values, i * d, d);
                labels[i] = NoiseMixtureModel.NOISE;
            } else {
                System.arraycopy(innerValues, next * d, values, i * d, d);
                labels[i] = drawn.components()[next++];
            }
        }
        return new Sample(Dataset.wrap(values, n, d, featureNames()), labels);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((MixtureBesideNoise<?>) o).inner.equals(inner)
                && Double.compare(((MixtureBesideNoise<?>) o).noiseWeight, noiseWeight) == 0
                && ((MixtureBesideNoise<?>) o).region.equals(region);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inner, noiseWeight, region);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + inner + ", noise " + noiseWeight + ", " + region + "]";
    }
}
