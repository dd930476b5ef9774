package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.mixture.DataChecks;
import io.emkit.mixture.MixtureModel;
import io.emkit.factor.FactorAnalyserMixtureModel;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A mixture of factor analysers with a uniform noise component: density
 * {@code p(x) = π₀ / V + (1 − π₀) Σ_c w_c N(x; μ_c, Λ_cΛ_cᵀ + Ψ_c)}, the noise weight {@code π₀} and the volume V of
 * the data's region ({@link NoiseRegion}) beside a mixture of factor analysers ({@link #factorAnalysers()}, whose
 * weights {@code w_c} sum to one among themselves): scattered rows for many columns. Immutable and thread-safe.
 *
 * <p>{@link #predict} labels a row {@value NoiseMixtureModel#NOISE} when the noise component is its most
 * probable; {@link #predictProba} gives K + 1 probabilities per row, the noise's last. {@link #weights()} are the
 * factor analysers' shares of all rows, {@code (1 − π₀) w_c}. A row with missing values is evaluated on its
 * observed coordinates, as {@link NoiseMixtureModel} does.
 */
public final class NoiseFactorAnalyserMixtureModel implements MixtureModel {
    private final FactorAnalyserMixtureModel factorAnalysers;
    private final double noiseWeight;
    private final NoiseRegion region;

    /**
     * @param factorAnalysers the factor analysers, their weights summing to one among themselves
     * @param noiseWeight     {@code π₀}, in (0, 1)
     * @param region          the region the noise is uniform over
     * @throws EmkitException if the weight is not in (0, 1) or the region's dimension differs
     */
    public NoiseFactorAnalyserMixtureModel(FactorAnalyserMixtureModel factorAnalysers, double noiseWeight,
                                           NoiseRegion region) {
        this.factorAnalysers = Objects.requireNonNull(factorAnalysers, "factorAnalysers");
        this.region = Objects.requireNonNull(region, "region");
        if (!(noiseWeight > 0 && noiseWeight < 1)) {
            throw new EmkitException("the noise weight must be in (0, 1), got " + noiseWeight);
        }
        if (region.lower().length != factorAnalysers.dimension()) {
            throw new EmkitException("the noise region has " + region.lower().length + " dimensions, the factor"
                    + " analysers " + factorAnalysers.dimension());
        }
        this.noiseWeight = noiseWeight;
    }

    /** @return the factor analysers, with weights summing to one among themselves */
    public FactorAnalyserMixtureModel factorAnalysers() {
        return factorAnalysers;
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
    public NoiseFactorAnalyserMixtureModel withFeatureNames(List<String> names) {
        return new NoiseFactorAnalyserMixtureModel(factorAnalysers.withFeatureNames(names), noiseWeight, region);
    }

    /** @return the number of factor analysers (the noise component is not counted) */
    @Override
    public int components() {
        return factorAnalysers.components();
    }

    @Override
    public int dimension() {
        return factorAnalysers.dimension();
    }

    @Override
    public List<String> featureNames() {
        return factorAnalysers.featureNames();
    }

    /** @return the factor analysers' shares of all rows, {@code (1 − π₀) w_c}, summing to {@code 1 − π₀} */
    @Override
    public double[] weights() {
        double[] w = factorAnalysers.weights();
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
        return factorAnalysers.parameterCount() + 2;
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
        double[] inner = factorAnalysers.scoreSamples(data);
        double[] logNoise = logNoiseJoints(data);
        double logSignal = Math.log1p(-noiseWeight);
        for (int i = 0; i < inner.length; i++) {
            inner[i] = Double.isNaN(logNoise[i]) ? 0.0 : NoiseMixtureModel.logSum(logSignal + inner[i], logNoise[i]);
        }
        return inner;
    }

    /**
     * {@inheritDoc}
     *
     * @return per row K + 1 probabilities: the factor analysers', then the noise's
     */
    @Override
    public double[][] predictProba(Dataset data) {
        DataChecks.requireEvaluable(data, dimension(), featureNames(), true);
        double[] inner = factorAnalysers.scoreSamples(data);
        double[] logNoise = logNoiseJoints(data);
        double[][] within = factorAnalysers.predictProba(data);
        int k = components();
        double logSignal = Math.log1p(-noiseWeight);
        double[][] out = new double[data.rows()][k + 1];
        for (int i = 0; i < out.length; i++) {
            double ln = Double.isNaN(logNoise[i]) ? Math.log(noiseWeight) : logNoise[i];
            double logDensity = Double.isNaN(logNoise[i]) ? 0.0 : NoiseMixtureModel.logSum(logSignal + inner[i], ln);
            double share = Math.exp(logSignal + inner[i] - logDensity);
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
     * @return per row the most probable factor analyser (from 0), or {@value NoiseMixtureModel#NOISE} for noise
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
     * {@value NoiseMixtureModel#NOISE}); otherwise a row of the factor analysers, from their own sampler with a seed
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
        Sample inner = factorAnalysers.sample(n - noiseRows, random.nextLong());
        int d = dimension();
        double[] values = new double[Math.multiplyExact(n, d)];
        int[] labels = new int[n];
        double[] innerValues = inner.data().rawValues();
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (noise[i]) {
                System.arraycopy(region.sample(random), 0, values, i * d, d);
                labels[i] = NoiseMixtureModel.NOISE;
            } else {
                System.arraycopy(innerValues, next * d, values, i * d, d);
                labels[i] = inner.components()[next++];
            }
        }
        return new Sample(Dataset.wrap(values, n, d, featureNames()), labels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseFactorAnalyserMixtureModel m && m.factorAnalysers.equals(factorAnalysers)
                && Double.compare(m.noiseWeight, noiseWeight) == 0 && m.region.equals(region);
    }

    @Override
    public int hashCode() {
        return Objects.hash(factorAnalysers, noiseWeight, region);
    }

    @Override
    public String toString() {
        return "NoiseFactorAnalyserMixtureModel[" + factorAnalysers + ", noise " + noiseWeight + ", " + region + "]";
    }
}
